"""`ladder people groups import FILE [--dry-run]`: HR's group data for the fairness audit (:mod:`bot.fairness.groups`),
registered under ``ladder people`` by :mod:`bot.cli`.

What it prints is counts per attribute and rows with a problem, never a person's value: group data goes into its own
table and out again only through the fairness audit's aggregated reports and a person's own answers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli.common import EXIT_FAILED, command, upgrade_if_asked
from bot.errors import LadderError


def add_commands(people_commands: argparse._SubParsersAction) -> None:
    """``groups`` under ``ladder people``."""
    groups = people_commands.add_parser("groups", help="group data for fairness audits (gender, location, …)")
    actions = groups.add_subparsers(metavar="ACTION", required=True)
    imports = command(actions, "import", _groups_import, "import people's group data for fairness audits from a CSV file")
    imports.add_argument("file", help="CSV with a slack_id column and attribute columns, e.g. gender, location, working_pattern")
    imports.add_argument("--team", help="Slack team id (default: the only team in the database)")
    imports.add_argument("--dry-run", action="store_true", help="say what the import would change (counts), and write nothing")


def _groups_import(args: argparse.Namespace) -> int:
    from bot.fairness.groups import changes_to_save, plan_groups, read_groups_file
    from bot.framework.loader import load_framework
    from bot.imports.table import TableError
    from bot.runtime.settings import Settings
    from storage.engine import make_engine, sqlite_path
    from storage.health import require_schema
    from storage.repositories.groups import GroupRepository
    from storage.unit_of_work import unit_of_work

    settings = Settings.from_env()
    framework = load_framework(settings.framework_path)
    try:
        file = read_groups_file(args.file, framework.fairness.questions)
    except TableError as exc:
        raise LadderError(str(exc) if str(exc).startswith(args.file) else f"{args.file}: {exc}") from None
    if file.ignored:
        print(f"ignored column(s), not group data: {', '.join(file.ignored)}", file=sys.stderr)
    for note in file.notes():
        print(note, file=sys.stderr)
    database = sqlite_path(settings.database_url)
    if database is not None and not database.exists():
        raise LadderError(f"no database at {database}, so nobody is recorded: import people first (ladder people import FILE)")
    if not args.dry_run:
        upgrade_if_asked(settings)
    engine = make_engine(settings.database_url, create_missing=False)
    try:
        require_schema(engine, settings.database_url)
        with unit_of_work(engine, reads_only=args.dry_run) as work:
            groups = GroupRepository(work.session)
            team = _team(groups, args.team)
            plan = plan_groups(file, groups.recorded_people(team), groups.hr_groups(team, {row.user_id for row in file.rows}))
            if not args.dry_run:
                groups.save_hr(team, changes_to_save(plan))
    finally:
        engine.dispose()
    for line in plan.problem_lines():
        print(line, file=sys.stderr)
    for line in plan.lines(args.dry_run):
        print(line)
    return EXIT_FAILED if plan.problems else 0


def _team(groups: Any, given: str | None) -> str:
    """``--team``, else the one team whose people are recorded."""
    teams = groups.teams()
    if given:
        if given not in teams:
            raise LadderError(f"no people are recorded in team {given}" + (f" (known: {', '.join(teams)})" if teams else ""))
        return given
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise LadderError("nobody is recorded yet: import people first (ladder people import FILE)")
    raise LadderError(f"give --team: the database holds {len(teams)} teams ({', '.join(teams)})")
