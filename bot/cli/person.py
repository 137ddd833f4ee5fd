"""`ladder person export USER` and `ladder person erase USER [--dry-run]`: a person's rights over their data.

Whoever runs the command line runs Ladder (as for `ladder admins add`): these are the operator's and admins' tools.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli import common
from bot.cli.common import command, team_of, user_id
from bot.errors import LadderError


def add_commands(commands: argparse._SubParsersAction) -> None:
    person = commands.add_parser("person", help="a person's data: export it, or erase it")
    actions = person.add_subparsers(metavar="ACTION", required=True)
    export = command(actions, "export", _export, "print, as JSON, everything Ladder holds about a person that they may read")
    export.add_argument("user", type=user_id, metavar="USER", help="Slack user id, e.g. U0123ABC")
    erase = command(actions, "erase", _erase, "erase a person: remove their data, pseudonymise what others' outcomes rest on")
    erase.add_argument("user", type=user_id, metavar="USER", help="Slack user id, e.g. U0123ABC")
    erase.add_argument("--dry-run", action="store_true", help="count what would be removed and pseudonymised; change nothing")
    erase.add_argument(
        "--by", type=user_id, metavar="ADMIN", help="Slack user id of the admin who asked for it, for the record (default: cli)"
    )
    for parser in (export, erase):
        parser.add_argument("--team", help="Slack team id (default: the only team in the database)")


def _export(args: argparse.Namespace) -> int:
    from bot.rights.export import export_json, export_person
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine, reads_only=True) as work:
        document = export_person(services.framework_for(team), work.session, team, args.user, now=services.now, admins=services.admins)
    if _holds_nothing(document):
        raise LadderError(f"Ladder holds nothing about {args.user} in team {team}")
    sys.stdout.write(export_json(document))
    return 0


def _erase(args: argparse.Namespace) -> int:
    from bot.rights.erase import erase_person
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        result = erase_person(work.session, team, args.user, by=args.by or "cli", now=services.now)
        if args.dry_run:
            work.rollback()
    if result.nothing_held:
        print(f"nothing left to erase: Ladder holds nothing about {args.user} in team {team}")
        return 0
    verb = ("would remove", "would pseudonymise") if args.dry_run else ("removed", "pseudonymised")
    for words, counts in zip(verb, (result.removed, result.pseudonymised), strict=True):
        for table, count in sorted(counts.items()):
            print(f"{words} {count} {table} row(s)")
    if result.pseudonymised:
        print("(pseudonymised: their id, name and email replaced by the pseudonym in that row, or a reference to them cleared)")
    if args.dry_run:
        print(f"dry run: nothing changed (ladder person erase {args.user} erases)")
        return 0
    print(f"{args.user} erased in team {team}: what remains carries the pseudonym {result.pseudonym}")
    for panel in result.chairless_panels:
        print(f"note: panel {panel!r} was chaired by them: give it another chair (ladder panel edit --chair)", file=sys.stderr)
    return 0


def _holds_nothing(document: dict[str, Any]) -> bool:
    """No record of any kind (the export's header and its computed growth plan aside)."""
    kept = {k: v for k, v in document.items() if k not in ("about", "growth_plan")}
    return not any(_filled(v) for v in kept.values())


def _filled(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value is not None
