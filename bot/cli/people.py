"""`ladder people import FILE`: the people whose levels Ladder knows, from a CSV file (:mod:`bot.people_import`).

``ladder people groups import`` (HR's group data) is :mod:`bot.cli.groups`, registered under this group by
:mod:`bot.cli`: group data is kept apart, down to the module that imports it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Callable

from bot.cli import common
from bot.cli.common import EXIT_FAILED, UsageError, command, error, upgrade_if_asked

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.imports.plan import Plan


def add_commands(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """``ladder people …``; returns its actions, for the commands registered beside ``import``."""
    people = commands.add_parser("people", help="manage the people whose levels Ladder knows")
    people_commands = people.add_subparsers(metavar="ACTION", required=True)
    imports = command(people_commands, "import", _people_import, "import people from a CSV file")
    imports.add_argument("file", help="CSV with columns email or slack_id, and any of level, track, manager, name, level_since")
    imports.add_argument("--team", help="Slack team id: the bot token's team, which is the default")
    imports.add_argument("--dry-run", action="store_true", help="say what the import would change, and write nothing")
    imports.add_argument(
        "--levels-from-file",
        action="store_true",
        help="let the file's levels replace levels Ladder set from published promotions (kept and reported otherwise)",
    )
    return people_commands


def _people_import(args: argparse.Namespace) -> int:
    from bot.framework.loader import load_framework
    from bot.imports.table import TableError, read_table_file
    from bot.people_import import COLUMN_NAMES, Promotion, parse_people, plan_people, save_plan, stored_people
    from bot.runtime.clients import slack_client
    from bot.runtime.settings import Settings
    from bot.runtime.slack_directory import SlackDirectory
    from storage.engine import make_engine, sqlite_path
    from storage.health import require_schema
    from storage.repositories import PeopleRepository

    settings = Settings.from_env()
    if not settings.oauth:
        settings.require("ladder people import (to look people up in Slack)", "SLACK_BOT_TOKEN")
    framework = load_framework(settings.framework_path)
    try:
        table = read_table_file(args.file, COLUMN_NAMES)
        rows, problems = parse_people(table, framework)
    except TableError as exc:
        error(str(exc) if str(exc).startswith(args.file) else f"{args.file}: {exc}")
        return EXIT_FAILED
    if table.other:
        print(f"ignored column(s), not known to the import: {', '.join(table.other)}", file=sys.stderr)
    database = sqlite_path(settings.database_url)
    people, engine = None, None
    if args.dry_run and database is not None and not database.exists():  # a dry run creates nothing, a database least
        print(f"no database at {database} yet: everyone would be new", file=sys.stderr)
    else:
        if not args.dry_run:
            upgrade_if_asked(settings)
        engine = make_engine(settings.database_url, create_missing=not args.dry_run)
        require_schema(engine, settings.database_url)
        people = PeopleRepository(engine)
    if settings.oauth:  # the tenant --team names, looked up with its installation's token
        services = common.load_services()
        team = common.team_of(services, args.team)
        client = services.directory_for(team)
    else:  # SLACK_BOT_TOKEN: refused in one line, before any Slack call, if an uninstall revoked it (no database: none did)
        if engine is not None:
            common.refuse_revoked_token(engine, settings.slack_bot_token)
        client = slack_client(settings, token=settings.slack_bot_token)
        team = _token_team(client, args.team)
    promotions = {
        user: Promotion(change.to_track, change.to_level, change.effective_on)
        for user, change in (people.latest_promotions(team) if people else {}).items()
    }
    stored = stored_people(people.list(team)) if people else {}
    plan = plan_people(rows, SlackDirectory(client), stored, promotions, levels_from_file=args.levels_from_file)
    plan.problems[:0] = problems

    def apply() -> None:
        assert people is not None  # applied only by a run that is not dry: it opened the database
        save_plan(plan, people, team)
        _take_back_from_the_newly_recused(team)

    return _show_and_apply(plan, "people", args.dry_run, apply)


def _token_team(client: WebClient, given: str | None) -> str:
    """The workspace SLACK_BOT_TOKEN belongs to, where the import looks people up: a --team naming another is refused,
    or its people would be stored where Ladder serves nobody."""
    own = client.auth_test()["team_id"]
    if given is not None and given != own:
        raise UsageError(f"--team {given} is not the workspace SLACK_BOT_TOKEN belongs to ({own}), where people are looked up")
    return own


def _take_back_from_the_newly_recused(team: str) -> None:
    """New managers can put a panel member in a nominee's chain: what they were sent to judge it is taken back now, not
    at the next digest."""
    from bot.panels.board import Board
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    with unit_of_work(services.engine) as work:
        Board.open(services.framework_for(team), work.session, services.now, services.admins).reconsider(team)


def _show_and_apply(plan: "Plan", noun: str, dry_run: bool, apply: Callable[[], None]) -> int:
    """What every import prints: the changes per record and field on stdout, each problem by row on stderr, then the
    counts; the plan is applied unless this is a dry run. Exit 1 when any row had a problem, so a schedule notices."""
    for line in plan.change_lines():
        print(line)
    for line in plan.problem_lines():
        print(line, file=sys.stderr)
    if not dry_run:
        apply()
    print(plan.summary(noun, dry_run))
    return EXIT_FAILED if plan.problems else 0
