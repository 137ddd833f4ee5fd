"""Configuration from the environment, read once at start-up.

A missing variable is reported by name with what needs it, never as a traceback, because the
first person to see it is someone setting Ladder up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from bot.slack_ids import is_user_id

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite:///ladder.db"
MAX_WORKERS = 64
"""The most WEB_CONCURRENCY may ask for: each worker is a process holding the app (about 100 MB)."""
MAX_SENDERS = 32
"""The most LADDER_SENDERS may ask for: each sender thread holds a database connection while it claims."""


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
    """Run the clock (scheduled prompts, retention) inside ``ladder serve``/``ladder socket``; off when a
    separate ``ladder clock`` process runs (LADDER_CLOCK=off)."""
    clock_lease: float = 30.0
    """Seconds a clock's lease lasts unrenewed (LADDER_CLOCK_LEASE): how soon a second clock takes over from a dead one."""
    admins: frozenset[str] = frozenset()
    """Slack user ids of Ladder's admins (LADDER_ADMINS, comma-separated): they see failed deliveries."""
    senders: int = 2
    """Outbox sender threads in each process that sends (LADDER_SENDERS): every ``ladder serve`` worker and every
    ``ladder clock`` runs this many, all claiming from the one outbox; 0 turns sending off in that process."""
    slack_client_id: str | None = None
    """The app's client id (SLACK_CLIENT_ID, Bolt's own variable): set, Ladder is installed with "Add to Slack" (OAuth)
    in any number of workspaces; unset, it serves the one workspace of SLACK_BOT_TOKEN."""
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_scopes: tuple[str, ...] | None = None
    """The bot scopes an install asks for (SLACK_SCOPES, comma-separated); None: exactly manifest.yml's."""
    slack_redirect_uri: str | None = None
    """Where Slack sends the installer back (SLACK_REDIRECT_URI); None: the one the app's settings give."""

    @property
    def oauth(self) -> bool:
        """Installed with OAuth in many workspaces (a client id is set), rather than one workspace's bot token."""
        return self.slack_client_id is not None

    def __repr__(self) -> str:
        """Secrets never appear in a repr (nor, through it, in a log line or an error message)."""
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.repr}
        secrets = {
            name: "set" if getattr(self, name) else "unset"
            for name in ("slack_bot_token", "slack_signing_secret", "slack_app_token", "slack_client_secret")
        }
        return f"Settings(database_url={_without_password(self.database_url)!r}, {', '.join(f'{k}={v!r}' for k, v in {**secrets, **shown}.items())})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        database_url = _database_url(env)
        return cls(
            slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-", "the Bot User OAuth Token, under OAuth & Permissions"),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token, under Basic Information"),
            database_url=database_url,
            framework_path=env.get("LADDER_FRAMEWORK") or None,
            host=_host(env),
            port=_int(env, "PORT", 3000, 1, 65535),
            slack_api_url=_slack_api_url(env),
            upgrade_db_on_start=_switch(env, "LADDER_UPGRADE_DB_ON_START", default=_sqlite(database_url)),
            web_concurrency=_int(env, "WEB_CONCURRENCY", 1, 1, MAX_WORKERS),
            request_timeout=_seconds(env, "LADDER_REQUEST_TIMEOUT", 10.0),
            pages=_switch(env, "LADDER_PAGES", default=False),
            public_url=_public_url(env),
            log_level=_log_level(env),
            clock=_switch(env, "LADDER_CLOCK", default=True),
            clock_lease=_seconds(env, "LADDER_CLOCK_LEASE", 30.0),
            admins=_user_ids(env, "LADDER_ADMINS"),
            senders=_int(env, "LADDER_SENDERS", 2, 0, MAX_SENDERS),
            **_oauth(env),
        )

    def require(self, needed_for: str, *names: str) -> None:
        """Raise :class:`MissingSetting` for the first of ``names`` (environment names) not set."""
        values = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
            "SLACK_APP_TOKEN": self.slack_app_token,
            "SLACK_CLIENT_ID": self.slack_client_id,
            "SLACK_CLIENT_SECRET": self.slack_client_secret,
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
    folder = _missing_sqlite_folder(raw)
    if folder is not None:
        raise InvalidSetting(f"DATABASE_URL names a file in a folder that does not exist ({folder}): create the folder first")
    return raw


def _missing_sqlite_folder(url: str) -> Path | None:
    found = _URL.fullmatch(url)
    if found is None or found["scheme"].lower() not in SQLITE_SCHEMES:
        return None
    folder = Path(unquote(found["database"])).parent.resolve()
    return None if folder.is_dir() else folder


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
        if not database or database == ":memory:":
            return "names no database file (an in-memory database is gone when the command ends, and no two processes share one)"
        return None
    if part["password"] is not None and not part["username"]:
        return "has a password but no user"
    if not database:
        return "names no database (…/DATABASE at its end)"
    return None


def _sqlite(database_url: str) -> bool:
    return database_url.split(":", 1)[0].lower() in SQLITE_SCHEMES


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise InvalidSetting(f"{name} must be a whole number from {low} to {high}, got {env.get(name)!r}")
    return value


def _token(env: Mapping[str, str], name: str, prefix: str, where: str) -> str | None:
    """A Slack token, which says what kind it is in its first letters; the value itself is never shown."""
    raw = (env.get(name) or "").strip()
    if raw and not raw.startswith(prefix):
        kind = re.match(r"[a-z]{4}-", raw)
        starts = f"it starts {kind.group()!r}" if kind else "it is not a Slack token"
        raise InvalidSetting(f"{name} must be a token starting {prefix} ({where} in the Slack app's settings); {starts}")
    return raw or None


def _host(env: Mapping[str, str]) -> str:
    raw = (env.get("HOST") or "0.0.0.0").strip()
    if raw.startswith("[") and raw.endswith("]"):  # an IPv6 address as URLs write it
        raw = raw[1:-1]
    if not re.fullmatch(r"[A-Za-z0-9.\-]{1,253}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*", raw):
        raise InvalidSetting(f"HOST must be an address to listen on, like 0.0.0.0, 127.0.0.1 or ::, got {env.get('HOST')!r}")
    return raw


def _slack_api_url(env: Mapping[str, str]) -> str:
    raw = (env.get("SLACK_API_URL") or "").strip() or SLACK_API_URL_DEFAULT
    if not _http_address(raw):
        raise InvalidSetting(
            f"SLACK_API_URL must be an http(s) address like {SLACK_API_URL_DEFAULT}, got {env.get('SLACK_API_URL')!r}"
        )
    return raw if raw.endswith("/") else raw + "/"


def _http_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number from 0 to 65535 raises
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port != 0 and not re.search(r"[\s?#]", url)


def _user_ids(env: Mapping[str, str], name: str) -> frozenset[str]:
    ids = [part.strip() for part in (env.get(name) or "").replace(" ", ",").split(",") if part.strip()]
    bad = [i for i in ids if not is_user_id(i)]
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


def _oauth(env: Mapping[str, str]) -> dict[str, Any]:
    """Bolt's own OAuth variables; with a client id, its secret is needed and a bot token is refused (which
    workspace would it be for?)."""
    client_id = (env.get("SLACK_CLIENT_ID") or "").strip() or None
    secret = (env.get("SLACK_CLIENT_SECRET") or "").strip() or None
    scopes = tuple(s.strip() for s in (env.get("SLACK_SCOPES") or "").split(",") if s.strip()) or None
    redirect = (env.get("SLACK_REDIRECT_URI") or "").strip() or None
    if client_id is None:
        if secret or scopes or redirect:
            named = [n for n in ("SLACK_CLIENT_SECRET", "SLACK_SCOPES", "SLACK_REDIRECT_URI") if (env.get(n) or "").strip()]
            raise MissingSetting("SLACK_CLIENT_ID", f"installing with OAuth ({', '.join(named)} is set)")
        return {}
    if not re.fullmatch(r"[0-9]+\.[0-9]+", client_id):
        raise InvalidSetting(
            "SLACK_CLIENT_ID must be the app's Client ID (digits, a dot, digits: under Basic Information > App Credentials)"
        )
    if secret is None:
        raise MissingSetting("SLACK_CLIENT_SECRET", "installing with OAuth (SLACK_CLIENT_ID is set)")
    if (env.get("SLACK_BOT_TOKEN") or "").strip():
        raise InvalidSetting(
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID (installed with Add to Slack), not both: "
            "with OAuth each workspace's token comes from its installation"
        )
    bad = [s for s in scopes or () if not re.fullmatch(r"[a-z]+(?:[:._][a-z.]+)*", s)]
    if bad:
        raise InvalidSetting(f"SLACK_SCOPES must list Slack scopes like chat:write, got {', '.join(repr(b) for b in bad)}")
    if redirect is not None and not (_http_address(redirect) or redirect.startswith("https://")):
        raise InvalidSetting(f"SLACK_REDIRECT_URI must be an http(s) address, got {redirect!r}")
    return {"slack_client_id": client_id, "slack_client_secret": secret, "slack_scopes": scopes, "slack_redirect_uri": redirect}


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
