"""`ladder ask QUESTION [--team T [--user U]]`: a career question answered in the terminal, as Slack would answer it,
from the framework the tenant runs on (the one it published last, else the deployment's default).

A plain question with no database there (a first try, no SQLite file yet) loads no database code and creates nothing
(tests/test_first_hour.py checks it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.common import EXIT_USAGE, command, error


def add_commands(commands: argparse._SubParsersAction) -> None:
    ask = command(commands, "ask", _ask, "answer a career question in the terminal")
    ask.add_argument("question", nargs="+", help='e.g. "what does Staff mean"')
    ask.add_argument(
        "--team",
        help="the workspace (or org-wide enterprise) whose framework answers; with --user, to answer as a recorded person",
    )
    ask.add_argument("--user", help="Slack user id of the person asking (for 'what's my next level?'), with --team")


def _ask(args: argparse.Namespace) -> int:
    from bot.careers import CareerQuestions
    from bot.framework.loader import load_framework
    from bot.runtime.settings import Settings
    from messages.render import Renderer

    settings = Settings.from_env()
    if args.user and not args.team:
        error("--user needs --team (the workspace the person is recorded in)")
        return EXIT_USAGE
    framework = load_framework(settings.framework_path)
    levels, team = None, args.team
    if args.team or settings.oauth:
        if _no_database(settings):  # asking creates nothing: say why nobody is known, answer from the default
            error(
                f"no database at {_no_database(settings)}, so no one's level is recorded (ladder people import FILE records them)"
            )
        else:
            framework, levels, team = _tenants(args.team, with_levels=bool(args.user))
    else:
        framework = _single_workspace_framework(settings, framework)
    answer = CareerQuestions(framework, levels).ask(" ".join(args.question), team_id=team, user_id=args.user)
    sys.stdout.write(Renderer(public_url=settings.public_url).terminal(answer.template, **answer.context))
    return 0


def _no_database(settings: Any) -> Path | None:
    """The SQLite file DATABASE_URL names when it does not exist, else None (read from the URL by hand: a plain question
    with no database there imports no database code)."""
    url = str(settings.database_url)
    if not url.startswith("sqlite") or "://" not in url:
        return None
    name = url.split("://", 1)[1].split("?", 1)[0]
    name = name[1:] if name.startswith("/") else name
    if name in ("", ":memory:"):
        return None
    database = Path(name).resolve()
    return None if database.exists() else database


def _tenants(given: str | None, *, with_levels: bool) -> tuple[Any, Any, str]:
    """The tenant ``--team`` names (with OAuth, without --team: the one installed), its framework in force, and its
    people's recorded levels when asked as a person."""
    from bot.cli.common import load_services, team_of
    from bot.runtime.services import RecordedLevels

    services = load_services()
    try:
        tenant = team_of(services, given)
        framework = services.framework_for(tenant)
    finally:
        services.engine.dispose()
    return framework, RecordedLevels(services.people) if with_levels else None, tenant


def _single_workspace_framework(settings: Any, default: Any) -> Any:
    """Single-workspace mode, no --team: the framework its one workspace published, when a database holds one (and only
    one tenant published), else the default — read without creating or migrating anything."""
    if _no_database(settings):
        return default
    from bot.runtime.frameworks import Frameworks
    from storage.engine import make_engine
    from storage.health import schema_not_ready
    from storage.repositories.framework_versions import FrameworkVersions
    from storage.unit_of_work import unit_of_work

    engine = make_engine(settings.database_url, create_missing=False)
    try:
        if schema_not_ready(engine, settings.database_url) is not None:
            return default
        try:
            with unit_of_work(engine, reads_only=True) as work:
                published = sorted(FrameworkVersions(work.session).latest_numbers())
        except Exception as exc:  # noqa: BLE001 - the database is away: today's answer, from the default, and say so
            print(
                f"ladder: note: could not read a published framework ({type(exc).__name__}): answering from the default",
                file=sys.stderr,
            )
            return default
        if len(published) != 1:
            return default
        return Frameworks(engine, default).for_tenant(published[0])
    finally:
        engine.dispose()
