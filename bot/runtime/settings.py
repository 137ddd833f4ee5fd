"""Configuration from the environment, read once at start-up.

A missing variable is reported by name with what needs it, never as a traceback, because the
first person to see it is someone setting Ladder up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import Mapping

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite:///ladder.db"


class MissingSetting(Exception):
    def __init__(self, name: str, needed_for: str) -> None:
        self.name = name
        super().__init__(f"{name} is not set; {needed_for} needs it")


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = field(repr=False)
    slack_signing_secret: str | None = field(repr=False)
    slack_app_token: str | None = field(repr=False)
    database_url: str = field(repr=False)
    framework_path: str | None
    host: str
    port: int
    slack_api_url: str
    upgrade_db_on_start: bool
    web_concurrency: int
    request_timeout: float
    pages: bool
    public_url: str | None
    log_level: str
    clock: bool = True
    """Run the clock (scheduled prompts, the outbox sender) inside ``ladder serve``/``ladder socket``; off when a
    separate ``ladder clock`` process runs (LADDER_CLOCK=off)."""
    clock_lease: float = 30.0
    """Seconds a clock's lease lasts unrenewed (LADDER_CLOCK_LEASE): how soon a second clock takes over from a dead one."""
    admins: frozenset[str] = frozenset()
    """Slack user ids of Ladder's admins (LADDER_ADMINS, comma-separated): they see failed deliveries."""

    def __repr__(self) -> str:
        """Secrets never appear in a repr (nor, through it, in a log line or an error message)."""
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.repr}
        secrets = {
            name: "set" if getattr(self, name) else "unset"
            for name in ("slack_bot_token", "slack_signing_secret", "slack_app_token")
        }
        return f"Settings(database_url={_without_password(self.database_url)!r}, {', '.join(f'{k}={v!r}' for k, v in {**secrets, **shown}.items())})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or SLACK_API_URL_DEFAULT
        database_url = _database_url(env)
        return cls(
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            database_url=database_url,
            framework_path=env.get("LADDER_FRAMEWORK") or None,
            host=(env.get("HOST") or "0.0.0.0").strip(),
            port=_int(env, "PORT", 3000),
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            upgrade_db_on_start=_upgrade_on_start(env, database_url),
            web_concurrency=_int(env, "WEB_CONCURRENCY", 1),
            request_timeout=_seconds(env, "LADDER_REQUEST_TIMEOUT", 10.0),
            pages=_switch(env, "LADDER_PAGES", default=False),
            public_url=_public_url(env),
            log_level=_log_level(env),
            clock=_switch(env, "LADDER_CLOCK", default=True),
            clock_lease=_seconds(env, "LADDER_CLOCK_LEASE", 30.0),
            admins=_user_ids(env, "LADDER_ADMINS"),
        )

    def require(self, needed_for: str, *names: str) -> None:
        """Raise :class:`MissingSetting` for the first of ``names`` (environment names) not set."""
        values = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
            "SLACK_APP_TOKEN": self.slack_app_token,
        }
        for name in names:
            if not values[name]:
                raise MissingSetting(name, needed_for)


class InvalidSetting(Exception):
    pass


def _without_password(url: str) -> str:
    return re.sub(r"(://[^:/@]*):.*@", r"\1:***@", url)  # to the last @: a password may hold one, unencoded


_URL = re.compile(
    r"""(?P<scheme>[\w+]+)://
        (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
        (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
        (?:/(?P<database>[^?]*))?
        (?:\?(?P<query>.*))?""",
    re.X,
)
"""SQLAlchemy's URL grammar (sqlalchemy/engine/url.py ``_parse_url``), here so that reading settings imports no SQLAlchemy."""
SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
POSTGRESQL_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg")
DATABASE_URL_SHAPES = "sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE"


def _database_url(env: Mapping[str, str]) -> str:
    """DATABASE_URL, or the default; a value SQLAlchemy cannot parse, or that names no database Ladder runs on, is refused."""
    raw = (env.get("DATABASE_URL") or "").strip()
    if not raw:
        return DATABASE_URL_DEFAULT
    problem = _database_url_problem(raw)
    if problem:
        raise InvalidSetting(f"DATABASE_URL {problem}; it must look like {DATABASE_URL_SHAPES}, got {_without_password(raw)!r}")
    return raw


def _database_url_problem(url: str) -> str | None:
    found = _URL.fullmatch(url)
    if found is None:
        return "is not a database URL"
    part = found.groupdict()
    scheme, host, database = part["scheme"].lower(), part["ipv4host"] or part["ipv6host"], part["database"]
    if scheme not in SQLITE_SCHEMES + POSTGRESQL_SCHEMES:
        return f"names a database driver Ladder does not run on ({part['scheme']})"
    if part["port"] is not None and not (part["port"].isdigit() and 0 < int(part["port"]) < 65536):
        return f"has a port that is not a number from 1 to 65535 ({part['port']!r})"
    if scheme in SQLITE_SCHEMES:
        if part["username"] is not None or host or part["port"] is not None:
            return "names a host, a user or a port, which SQLite has none of (sqlite:///relative/path, sqlite:////absolute/path)"
        return None
    if part["password"] is not None and not part["username"]:
        return "has a password but no user"
    if not database:
        return "names no database (…/DATABASE at its end)"
    return None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidSetting(f"{name} must be a whole number, got {raw!r}") from None


def _user_ids(env: Mapping[str, str], name: str) -> frozenset[str]:
    ids = [part.strip() for part in (env.get(name) or "").replace(" ", ",").split(",") if part.strip()]
    bad = [i for i in ids if not re.fullmatch(r"[UW][A-Z0-9]{2,}", i)]
    if bad:
        raise InvalidSetting(f"{name} must list Slack user ids (U…), got {', '.join(repr(b) for b in bad)}")
    return frozenset(ids)


def _switch(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise InvalidSetting(f"{name} must be on or off, got {env.get(name)!r}")


def _public_url(env: Mapping[str, str]) -> str | None:
    raw = (env.get("LADDER_PUBLIC_URL") or "").strip().rstrip("/")
    if not raw:
        return None
    if not raw.startswith(("https://", "http://")) or any(c in raw for c in '<>| "'):
        raise InvalidSetting(
            f"LADDER_PUBLIC_URL must be an http(s) address like https://ladder.example.com, got {env.get('LADDER_PUBLIC_URL')!r}"
        )
    return raw


def _log_level(env: Mapping[str, str]) -> str:
    level = (env.get("LOG_LEVEL") or "INFO").strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise InvalidSetting(f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got {env.get('LOG_LEVEL')!r}")
    return level


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise InvalidSetting(f"{name} must be a number of seconds between 0 and 3600, got {raw!r}")
    return value


def _upgrade_on_start(env: Mapping[str, str], database_url: str) -> bool:
    """On by default for SQLite (one process owns the file); opt-in for shared servers."""
    raw = env.get("LADDER_UPGRADE_DB_ON_START")
    if raw is None or not raw.strip():
        return database_url.startswith("sqlite")
    return raw.strip().lower() in {"1", "true", "yes", "on"}
