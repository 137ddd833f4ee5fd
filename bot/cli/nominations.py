"""`ladder nominations list|export`: the promotion pipeline from the command line.

Listings and exports carry stages, dates and counts, never a case or a review.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from bot.cli import common
from bot.cli.common import command, team_of
from bot.errors import LadderError

EXPORT_FIELDS = (
    "nomination_id", "cycle", "nominee", "nominator", "from_level", "target_level", "track_switch", "stage",
    "submitted_at", "reviews_due_on", "reviews_requested", "reviews_in", "reviews_declined",
)  # fmt: skip


def add_commands(commands: argparse._SubParsersAction) -> None:
    nominations = commands.add_parser("nominations", help="promotion nominations: list, export for HR systems")
    actions = nominations.add_subparsers(metavar="ACTION", required=True)
    listed = command(actions, "list", _nominations_list, "every submitted nomination, with its stage and review counts")
    listed.add_argument("--cycle", help="only this promotion cycle (by name)")
    listed.add_argument("--team", help="Slack team id (default: as for admins)")
    export = command(actions, "export", _nominations_export, "export a cycle's nominations (stages, dates, counts)")
    export.add_argument("--cycle", required=True, help="the promotion cycle's name")
    export.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")
    export.add_argument("--team", help="Slack team id (default: as for admins)")


def _rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bot.nominations.service import Nominations
    from bot.nominations.stages import DECLINED, SUBMITTED
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        nominations = Nominations(services.framework_for(team), work.session, services.now, services.admins)
        cycle = nominations.cycles.repo.cycle_named(team, args.cycle) if args.cycle else None
        if args.cycle and cycle is None:
            known = ", ".join(c.name for c in nominations.cycles.repo.cycles(team)) or "none yet"
            raise LadderError(f"no promotion cycle named {args.cycle!r} in team {team} (cycles: {known})")
        found = nominations.repo.listing(team, cycle.id if cycle else None)
        requests = nominations.repo.requests_of(team, [n.id for n in found if n.id is not None])
        cycles = {c.id: c.name for c in nominations.cycles.repo.cycles(team)} | ({cycle.id: cycle.name} if cycle else {})
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
