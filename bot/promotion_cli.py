"""`ladder admins` and `ladder nominations`: roles and the promotion pipeline from the command line.

Whoever runs the command line runs Ladder (it holds the database), so it can name the first admin.
Listings and exports carry stages, dates and counts, never a case or a review.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any, Callable

from bot.errors import LadderError
from bot.workflow_cli import check_people, load_services, team_of, user_id

EXPORT_FIELDS = (
    "nomination_id", "cycle", "nominee", "nominator", "from_level", "target_level", "track_switch", "stage",
    "submitted_at", "reviews_due_on", "reviews_requested", "reviews_in", "reviews_declined",
)  # fmt: skip


def add_commands(commands: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    admins = commands.add_parser("admins", help="who administers Ladder (the first admin is named here)")
    actions = admins.add_subparsers(metavar="ACTION", required=True)
    for name, handler, text in (
        ("add", _admins_add, "make someone a Ladder admin"),
        ("remove", _admins_remove, "remove an admin"),
    ):
        parser = command(actions, name, handler, text)
        parser.add_argument("user", type=user_id, metavar="USER", help="Slack user id, e.g. U024BE7LH")
        parser.add_argument("--team", help="Slack team id (default: the bot token's team, or the only team in the database)")
    listing = command(actions, "list", _admins_list, "list the admins")
    listing.add_argument("--team", help="Slack team id (default: as for add)")

    nominations = commands.add_parser("nominations", help="promotion nominations: list, export for HR systems")
    actions = nominations.add_subparsers(metavar="ACTION", required=True)
    listed = command(actions, "list", _nominations_list, "every submitted nomination, with its stage and review counts")
    listed.add_argument("--cycle", help="only this promotion cycle (by name)")
    listed.add_argument("--team", help="Slack team id (default: as for admins)")
    export = command(actions, "export", _nominations_export, "export a cycle's nominations (stages, dates, counts)")
    export.add_argument("--cycle", required=True, help="the promotion cycle's name")
    export.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")
    export.add_argument("--team", help="Slack team id (default: as for admins)")


def _admins(args: argparse.Namespace, change: str) -> int:
    from bot.admins import CLI, Admins
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    if change == "add":
        check_people(services, [args.user])
    with unit_of_work(services.engine) as work:
        admins = Admins(work.session, services.admins)
        if change == "add":
            print(f"{args.user} is {'now' if admins.add(team, args.user, by=CLI) else 'already'} a Ladder admin in team {team}")
        elif change == "remove":
            print(
                f"{args.user} is {'no longer' if admins.remove(team, args.user, by=CLI) else 'not'} a Ladder admin in team {team}"
            )
        else:
            current = sorted(admins.of(team))
            print("\n".join(current) if current else f"no admins in team {team} yet: ladder admins add USER")
    return 0


def _admins_add(args: argparse.Namespace) -> int:
    return _admins(args, "add")


def _admins_remove(args: argparse.Namespace) -> int:
    return _admins(args, "remove")


def _admins_list(args: argparse.Namespace) -> int:
    return _admins(args, "list")


def _rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bot.nominations.service import Nominations
    from storage.repositories.nominations import DECLINED, SUBMITTED
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        nominations = Nominations(services.framework, work.session, services.now, services.admins)
        cycle = nominations.repo.cycle_named(team, args.cycle) if args.cycle else None
        if args.cycle and cycle is None:
            known = ", ".join(c.name for c in nominations.repo.cycles(team)) or "none yet"
            raise LadderError(f"no promotion cycle named {args.cycle!r} in team {team} (cycles: {known})")
        found = nominations.repo.listing(team, cycle.id if cycle else None)
        requests = nominations.repo.requests_of(team, [n.id for n in found if n.id is not None])
        cycles = {c.id: c.name for c in nominations.repo.cycles(team)} | ({cycle.id: cycle.name} if cycle else {})
        out = []
        for n in found:
            mine = [r for r in requests if r.nomination_id == n.id]
            out.append(
                {
                    "nomination_id": n.id, "cycle": cycles.get(n.cycle_id, n.cycle_id), "nominee": n.nominee, "nominator": n.nominator,
                    "from_level": n.from_level, "target_level": n.target_level, "track_switch": "yes" if n.track_switch else "no",
                    "stage": n.stage, "submitted_at": n.submitted_at.isoformat() if n.submitted_at else "",
                    "reviews_due_on": n.reviews_due_on.isoformat() if n.reviews_due_on else "",
                    "reviews_requested": sum(not (r.status == DECLINED and r.replaced) for r in mine),
                    "reviews_in": sum(r.status == SUBMITTED for r in mine), "reviews_declined": sum(r.status == DECLINED for r in mine),
                }
            )  # fmt: skip
        return out


def _nominations_list(args: argparse.Namespace) -> int:
    rows = _rows(args)
    for row in rows:
        print(
            f"#{row['nomination_id']} {row['cycle']}: {row['nominee']} {row['from_level']} → {row['target_level']}"
            f"{' (track switch)' if row['track_switch'] == 'yes' else ''}, {row['stage']}, by {row['nominator']}; "
            f"reviews {row['reviews_in']}/{row['reviews_requested']} due {row['reviews_due_on']}"
        )
    if not rows:
        print("no nominations submitted", file=sys.stderr)
    return 0


def _nominations_export(args: argparse.Namespace) -> int:
    writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_rows(args))
    return 0
