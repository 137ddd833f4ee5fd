"""What every command module of the command line shares: exit statuses, the one-line error handling, the argument
types, and the services a command runs on.

It imports no command module. Command modules call :func:`load_services` through this module (``common.load_services()``),
so a test replaces it once, here, for every command.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from bot.days import out_of_range
from bot.errors import LadderError
from bot.slack_ids import is_user_id, not_a_user_id

if TYPE_CHECKING:
    from bot.framework.loader import FrameworkError
    from bot.runtime.settings import Settings

EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command was given something it cannot take (an argument, an option): one line, exit status 2."""


def command(
    group: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int], help_text: str
) -> argparse.ArgumentParser:
    """A command under ``group`` that runs ``run(args)``; its help is its description too."""
    parser = group.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(run=run)
    return parser


# -- failures: one line, an exit status, never a traceback ---------------------------------------------------


def reporting_failures(work: Callable[[], int | None]) -> int:
    """Run ``work``; a failure becomes one clear line on stderr and an exit status, never a traceback: 2 for a setting
    or usage to fix, 1 for anything else (the database or Slack out of reach included)."""
    from bot.framework.loader import FrameworkError
    from bot.runtime.settings import InvalidSetting, MissingSetting
    from storage.errors import DatabaseUnreachable, SchemaNotReady

    try:
        return work() or 0
    except (MissingSetting, InvalidSetting, UsageError) as exc:
        error(str(exc))
        return EXIT_USAGE
    except LadderError as exc:
        error(exc.message)
        return EXIT_FAILED
    except (SchemaNotReady, DatabaseUnreachable) as exc:
        error(str(exc))
        return EXIT_FAILED
    except FrameworkError as exc:
        report_framework_error(exc)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a person at a terminal gets one line, not a traceback
        error(failure_line(exc))
        if os.environ.get("LOG_LEVEL", "").upper() == "DEBUG":
            raise
        return EXIT_FAILED


def failure_line(exc: Exception) -> str:
    """One line for a failure nobody foresaw in particular: Slack refusing or out of reach, the database refusing (its
    own words, never the SQL), else the error itself."""
    import traceback
    import urllib.error

    slack_api = (os.environ.get("SLACK_API_URL") or "").strip() or "https://slack.com/api/"
    slack_errors, database_errors = sys.modules.get("slack_sdk.errors"), sys.modules.get("sqlalchemy.exc")  # if loaded
    if slack_errors is not None and isinstance(exc, slack_errors.SlackApiError):
        if exc.response.status_code != 200:  # down (5xx), still rate-limited after the retries (429), or not Slack at all
            return f"Slack's Web API at {slack_api} answered HTTP {exc.response.status_code}; try again later"
        said = str(exc.response.get("error")).strip().splitlines()[0][:200]  # an answer that was not Slack's can be long
        return f"Slack refused the request: {said} (check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL)"
    from_slack = any("slack_sdk" in frame.filename for frame in traceback.extract_tb(exc.__traceback__))
    if from_slack and isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError)):
        reason = getattr(exc, "reason", None) or exc
        return f"cannot reach Slack's Web API at {slack_api}: {reason} (check SLACK_API_URL and the network)"
    if database_errors is not None and isinstance(exc, database_errors.DBAPIError) and exc.orig is not None:
        said = getattr(getattr(exc.orig, "diag", None), "message_primary", None) or str(exc.orig).strip().splitlines()[0]
        return f"the database refused the request: {said}"
    return f"unexpected error: {type(exc).__name__}: {exc} (set LOG_LEVEL=DEBUG for details)"


_json_log = False
"""Set by the server commands once logging is JSON lines: their failures are log lines too."""


def errors_as_log_lines() -> None:
    """From now on a failure is a JSON log line, like everything else a server says."""
    global _json_log
    _json_log = True


def error(message: str, details: list[str] | None = None) -> None:
    if _json_log:
        import logging

        logging.getLogger("ladder.cli").error(message, extra={"details": details} if details else None)
        return
    print(f"ladder: {message}", file=sys.stderr)
    for line in details or ():
        print(line, file=sys.stderr)


def report_framework_error(exc: "FrameworkError") -> None:
    error(
        f"the career framework has {len(exc.result.errors)} problem(s); fix them and try again:",
        [problem.format(exc.result.source) for problem in exc.result.errors],
    )


def warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


# -- argument types --------------------------------------------------------------------------------------------


def user_id(text: str) -> str:
    if not is_user_id(text.strip()):
        raise argparse.ArgumentTypeError(not_a_user_id(text))
    return text.strip()


def iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    problem = out_of_range(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


# -- what a command runs on --------------------------------------------------------------------------------------


def upgrade_if_asked(settings: Settings) -> None:
    from storage.migrate import upgrade

    if getattr(settings, "upgrade_db_on_start", False):
        upgrade(settings.database_url)


def load_services() -> Any:
    """What a command needs, on a database at this release's schema (else :class:`SchemaNotReady` says what to run)."""
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings
    from storage.health import require_schema

    settings = Settings.from_env()
    upgrade_if_asked(settings)
    services = build_services(settings)
    require_schema(services.engine, settings.database_url)
    if not settings.oauth:  # with OAuth, LADDER_ADMINS apply nowhere: each installation has its own admins
        services.admins = _configured_admins(settings.admins, services.identity)
    return services


def _configured_admins(users: frozenset[str], identity: Any) -> Any:
    """LADDER_ADMINS administer the bot token's workspace only: the command line asks Slack which that is (once, when
    it matters), and without an answer they administer nothing here, which it says."""
    from functools import cache

    from bot.admins import ConfiguredAdmins

    @cache
    def workspace() -> str | None:
        team = identity.learn_now()
        if team is None:
            why = "Slack did not say which workspace SLACK_BOT_TOKEN is for" if identity.token else "SLACK_BOT_TOKEN is not set"
            why = "SLACK_BOT_TOKEN was revoked by an uninstall (set the new bot token)" if identity.revoked else why
            print(f"ladder: note: LADDER_ADMINS are not counted as admins here: {why}", file=sys.stderr)
        return team

    return ConfiguredAdmins(users, workspace)


def oauth(services: Any) -> bool:
    """Whether Ladder is installed with OAuth (SLACK_CLIENT_ID), each tenant with its own installation's token."""
    return getattr(getattr(services, "tenancy", None), "mode", "single") == "oauth"


def directory(services: Any, team: str) -> Any:
    """The Web API client that reads ``team``'s people: its installation's token (OAuth), else SLACK_BOT_TOKEN's (its
    ``token`` is None when that is not set)."""
    return services.directory_for(team) if oauth(services) else _live(services).directory_client


def refuse_revoked_token(engine: Any, token: str | None) -> None:
    """Single-workspace mode: a one-line refusal, and no Slack call, when ``token`` (SLACK_BOT_TOKEN) is one an
    uninstall revoked (asked of the database, never Slack) — for a command that asks Slack with it before it has
    services (:func:`_live` is the same check on them)."""
    from bot.runtime.workspace_token import REVOKED, WorkspaceToken
    from storage.models import utcnow

    if token and WorkspaceToken(engine, utcnow).revoked(token):
        raise LadderError(REVOKED)


def _live(services: Any) -> Any:
    """The services, unless SLACK_BOT_TOKEN is one an uninstall revoked (single-workspace mode): then a one-line refusal,
    and no Slack call with it (asked of the database)."""
    identity = getattr(services, "identity", None)
    if identity is not None and identity.token_revoked():
        from bot.runtime.workspace_token import REVOKED

        raise LadderError(REVOKED)
    return services


def check_people(services: Any, user_ids: list[str], team: str | None = None) -> None:
    """Refuse, in one line, Slack user ids that name nobody who can take a part (unknown, deactivated, a bot or an app),
    asking Slack with ``team``'s token; without a bot token they cannot be checked, which is said once."""
    from handlers.slack_lookups import unusable_people

    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    client = directory(services, team) if team is not None else _live(services).directory_client
    if not client.token:
        print(f"ladder: note: not checked in Slack (SLACK_BOT_TOKEN is not set): {', '.join(ids)}", file=sys.stderr)
        return
    unusable = unusable_people(client, ids)
    if unusable:
        raise LadderError("not someone who can take part: " + "; ".join(f"{u} ({why})" for u, why in unusable.items()))


def team_of(services: Any, given: str | None) -> str:
    """``--team``, else the one team whose people are recorded, else the bot token's team. With OAuth: the tenant
    ``--team`` names (a workspace id, or for an org-wide install the enterprise id or any of its workspaces' ids), else
    the one installed tenant."""
    from sqlmodel import Session, select

    from storage.models import Person

    if oauth(services):
        return _installed_tenant(services, given)
    with Session(services.engine) as session:
        teams = sorted(set(session.exec(select(Person.team_id).distinct())))
    if given:
        if teams and given not in teams:  # a typo, most likely: say so, but a team may be set up before its people
            print(f"ladder: note: no people are recorded in team {given} (known: {', '.join(teams)})", file=sys.stderr)
        return given
    if len(teams) == 1:
        return teams[0]
    if _live(services).directory_client.token:
        from bot.runtime.slack_directory import team_id

        return team_id(services.directory_client)
    raise LadderError(
        "give --team: the database holds "
        + (f"{len(teams)} teams" if teams else "no people yet")
        + " and SLACK_BOT_TOKEN is not set"
    )


def _installed_tenant(services: Any, given: str | None) -> str:
    """The installed tenant ``given`` names (itself, or the tenant its workspace belongs to; an active one before one
    that was uninstalled), else the only one."""
    from storage.repositories.tenants import ACTIVE, Tenants
    from storage.unit_of_work import unit_of_work

    with unit_of_work(services.engine, reads_only=True) as work:
        tenants = Tenants(work.session)
        installed = [t.id for t in tenants.all() if t.status == ACTIVE]
        if given is None:
            if len(installed) == 1:
                return installed[0]
            raise UsageError(
                "give --team: Ladder is installed in "
                + (f"{len(installed)} workspaces or organisations ({', '.join(installed)})" if installed else "none yet")
            )
        given = given.strip()
        tenant = tenants.active_tenant_named(given)
        inactive = given if tenants.get(given) is not None else tenants.tenant_of_workspace(given)
    if tenant is None and services.tenancy.is_active(given):  # installed, its tenant row not written (yet)
        tenant = given
    if tenant is None:
        tenant = _org_wide_tenant_of(services, given)
    if tenant is None:  # uninstalled, and no organisation's install covers it now: its own (inactive) data
        tenant = inactive
    if tenant is None:
        known = f" (installed: {', '.join(installed)})" if installed else " (none is installed yet)"
        raise UsageError(f"--team {given}: Ladder is not installed in that workspace or organisation{known}")
    return tenant


def _org_wide_tenant_of(services: Any, team: str) -> str | None:
    """The org-wide tenant whose enterprise has workspace ``team`` though no request came from it yet: each org-wide
    installation's workspaces as Slack lists them (auth.teams.list), recorded as the tenant's."""
    from storage.repositories.tenants import ACTIVE, Tenants
    from storage.unit_of_work import unit_of_work

    with unit_of_work(services.engine, reads_only=True) as work:
        org_wide = [t.id for t in Tenants(work.session).all() if t.org_wide and t.status == ACTIVE]
    for tenant in org_wide:
        client, teams, cursor = services.directory_for(tenant), [], None
        while True:
            answer = client.auth_teams_list(limit=100, **({"cursor": cursor} if cursor else {}))
            teams += [(str(t["id"]), str(t.get("name") or "")) for t in answer.get("teams") or []]
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        if team in {t for t, _name in teams}:
            with unit_of_work(services.engine) as work:
                for workspace, name in teams:
                    Tenants(work.session).spans(workspace, tenant, name)
            return tenant
    return None
