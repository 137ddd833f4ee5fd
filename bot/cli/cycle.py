"""`ladder cycle …` and `ladder audit`: promotion cycles, their decisions, report and audit trail."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from bot.cli import common
from bot.cli.common import command, iso_date, team_of, warn
from bot.errors import LadderError

DATES = (
    ("opens", "opens_on", "the day nominations open (YYYY-MM-DD)"),
    ("reviews-due", "reviews_due_on", "the day peer reviews are due"),
    ("panel-from", "panel_from", "the day the panel review starts"),
    ("decisions", "decisions_on", "the day decisions are published"),
)


def add_commands(commands: argparse._SubParsersAction) -> None:
    cycle = commands.add_parser("cycle", help="promotion cycles: create, list, edit, close, publish, report")
    actions = cycle.add_subparsers(metavar="ACTION", required=True)
    create = command(actions, "create", _cycle_create, "create a promotion cycle with its dates")
    create.add_argument("name", metavar="NAME", help="e.g. '2027 H1'")
    for flag, dest, text in DATES:
        create.add_argument(f"--{flag}", dest=dest, type=iso_date, required=True, help=text)
    create.add_argument("--appeal-days", type=int, default=10, help="working days to appeal a decision (default 10)")
    create.add_argument("--review-cap", type=int, default=5, help="reviews one person may be asked for (default 5)")
    edit = command(actions, "edit", _cycle_edit, "change a cycle's dates or reviewer cap")
    edit.add_argument("name", metavar="NAME")
    for flag, dest, text in DATES:
        edit.add_argument(f"--{flag}", dest=dest, type=iso_date, help=text)
    edit.add_argument("--appeal-days", type=int)
    edit.add_argument("--review-cap", type=int)
    close = command(actions, "close", _cycle_close, "close a cycle: it takes no more nominations")
    close.add_argument("name", metavar="NAME")
    rename = command(actions, "rename", _cycle_rename, "give a cycle another name")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new_name", metavar="NEW_NAME")
    remove = command(actions, "remove", _cycle_remove, "remove a cycle set up by mistake (one without nominations)")
    remove.add_argument("name", metavar="NAME")
    listing = command(actions, "list", _cycle_list, "every cycle with its dates and where it stands")
    publish = command(actions, "publish", _cycle_publish, "publish the cycle's decisions now (nominees hear first)")
    publish.add_argument("name", metavar="NAME")
    report = command(actions, "report", _cycle_report, "nominations, outcomes, pace, reviews, recusals, flagged criteria")
    report.add_argument("name", metavar="NAME")
    for parser in (create, edit, close, rename, remove, listing, publish, report):
        parser.add_argument("--team", help="Slack team id (default: the only team in the database)")


def add_audit_command(commands: argparse._SubParsersAction) -> None:
    """``ladder audit``: listed after ``ladder digest`` by :mod:`bot.cli`."""
    audit = command(commands, "audit", _audit, "a cycle's audit trail as CSV: who did what, when, to which object")
    audit.add_argument("--cycle", required=True, help="the cycle's name")
    audit.add_argument("--team", help="Slack team id (default: the only team in the database)")


def _in_work(args: argparse.Namespace, make: Callable[[Any, Any, str], Any], work: Callable[[Any, str], int]) -> int:
    """``work(service, team)`` in one unit of work, ``service`` made by ``make(services, session, team)``."""
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as unit:
        return work(make(services, unit.session, team), team)


def _with_cycles(args: argparse.Namespace, work: Callable[[Any, str], int]) -> int:
    from bot.panels.cycles import Cycles

    return _in_work(args, lambda services, session, team: Cycles(services.framework_for(team), session, services.now), work)


def _cycle_create(args: argparse.Namespace) -> int:
    from bot.admins import CLI
    from bot.panels.cycles import CycleDates

    dates = CycleDates(args.opens_on, args.reviews_due_on, args.panel_from, args.decisions_on, args.appeal_days)

    def create(cycles: Any, team: str) -> int:
        cycle = cycles.create(team, args.name, dates, by=CLI, review_cap=args.review_cap)
        print(_line(cycles.view(cycle)))
        warn(cycles.overlaps(cycle))
        return 0

    return _with_cycles(args, create)


def _cycle_edit(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    changes = {dest: getattr(args, dest) for _, dest, _ in DATES} | {
        "appeal_days": args.appeal_days,
        "review_cap": args.review_cap,
    }
    if all(v is None for v in changes.values()):
        raise LadderError(
            "nothing to change: give a date (--opens, --reviews-due, --panel-from, --decisions), --appeal-days or --review-cap"
        )

    def edit(cycles: Any, team: str) -> int:
        cycle = cycles.edit(team, args.name, by=CLI, **changes)
        print(_line(cycles.view(cycle)))
        warn(cycles.overlaps(cycle))
        return 0

    return _with_cycles(args, edit)


def _cycle_rename(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def rename(cycles: Any, team: str) -> int:
        cycle = cycles.rename(team, args.name, args.new_name, by=CLI)
        print(f"the cycle is now named {cycle.name}")
        return 0

    return _with_cycles(args, rename)


def _cycle_remove(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def remove(cycles: Any, team: str) -> int:
        print(f"{cycles.remove(team, args.name, by=CLI).name} is removed")
        return 0

    return _with_cycles(args, remove)


def _with_board(args: argparse.Namespace, work: Callable[[Any, str], int]) -> int:
    from bot.panels.board import Board

    return _in_work(
        args,
        lambda services, session, team: Board.open(services.framework_for(team), session, services.now, services.admins),
        work,
    )


def _cycle_close(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def close(board: Any, team: str) -> int:
        cycle, closed = board.close(team, args.name, by=CLI)
        print(
            f"{cycle.name} is {'now closed: its reminders stop, and the admins get its report' if closed else 'already closed'}"
        )
        return 0

    return _with_board(args, close)


def _cycle_publish(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def publish(board: Any, team: str) -> int:
        done = board.publication.publish(team, board.cycles.named(team, args.name), by=CLI)
        print(f"published {done.decisions} decision{'s' if done.decisions != 1 else ''} ({done.promotions} promotions)")
        return 0

    return _with_board(args, publish)


def _cycle_report(args: argparse.Namespace) -> int:
    from messages.panels import report_lines

    def report(board: Any, team: str) -> int:
        for line in report_lines(board.reports.report(team, board.cycles.named(team, args.name))):
            print(line)
        return 0

    return _with_board(args, report)


def _audit(args: argparse.Namespace) -> int:
    def audit(board: Any, team: str) -> int:
        sys.stdout.write(board.reports.audit_csv(team, board.cycles.named(team, args.cycle)))
        return 0

    return _with_board(args, audit)


def _cycle_list(args: argparse.Namespace) -> int:
    def listing(cycles: Any, team: str) -> int:
        views = cycles.listing(team)
        for view in views:
            print(_line(view))
        if not views:
            print(
                f"no promotion cycles in team {team} yet: ladder cycle create NAME --opens … --reviews-due … --panel-from … --decisions …"
            )
        return 0

    return _with_cycles(args, listing)


def _line(view: Any) -> str:
    c = view.cycle
    if c.reviews_due_on is None:
        return f"{c.name}: opened {c.opens_on} (default cycle, no dates set) — {view.phase.value}"
    return (
        f"{c.name}: opens {c.opens_on}, reviews due {c.reviews_due_on}, panel from {c.panel_from}, "
        f"decisions {c.decisions_on}, appeals until {view.appeals_close_on} ({c.appeal_days} working days); "
        f"reviewer cap {c.review_cap} — {view.phase.value}"
    )
