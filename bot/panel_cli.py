"""`ladder cycle` and `ladder panel`: promotion cycles and review panels from the command line."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from bot.errors import LadderError
from bot.slack_ids import is_channel_id, not_a_channel_id
from bot.workflow_cli import check_people, iso_date, load_services, team_of, user_id

DATES = (
    ("opens", "opens_on", "the day nominations open (YYYY-MM-DD)"),
    ("reviews-due", "reviews_due_on", "the day peer reviews are due"),
    ("panel-from", "panel_from", "the day the panel review starts"),
    ("decisions", "decisions_on", "the day decisions are published"),
)


def add_commands(commands: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
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

    panel = commands.add_parser("panel", help="review panels: create, edit, rename, remove, list")
    actions = panel.add_subparsers(metavar="ACTION", required=True)
    create = command(actions, "create", _panel_create, "set up a review panel")
    create.add_argument("name", metavar="NAME", help="e.g. 'Engineering IC panel'")
    create.add_argument("--chair", type=user_id, required=True, help="Slack user id of the chair (a member too)")
    create.add_argument("--members", type=_users, required=True, help="Slack user ids, comma-separated")
    create.add_argument("--channel", type=_channel, help="the panel's private channel for digests (id, e.g. C0123ABC)")
    create.add_argument(
        "--scope", action="append", default=[], metavar="KIND=VALUES",
        help="what it reviews, by target level: family=…, track=…, level=… (ids or names, comma-separated; repeatable; default: everything)",
    )  # fmt: skip
    create.add_argument("--appeal", action="store_true", help="an appeal panel: hears appeals against other panels' decisions")
    edit = command(actions, "edit", _panel_edit, "change a panel's chair, members, channel or scope")
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--chair", type=user_id, help="the new chair (a member too)")
    edit.add_argument("--members", type=_users, help="the members, comma-separated: this list replaces the old one")
    edit.add_argument("--channel", type=_channel, help="the panel's private channel for digests")
    edit.add_argument("--scope", action="append", metavar="KIND=VALUES", help="the new scope (repeatable), as for create")
    rename = command(actions, "rename", _panel_rename, "give a panel another name")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new_name", metavar="NEW_NAME")
    remove = command(actions, "remove", _panel_remove, "remove a panel that has judged nothing")
    remove.add_argument("name", metavar="NAME")
    listing = command(actions, "list", _panel_list, "every panel with its chair, members, channel and scope")
    for parser in (create, edit, rename, remove, listing):
        parser.add_argument("--team", help="Slack team id (default: the only team in the database)")

    digest = command(commands, "digest", _digest, "post a panel's review digest now")
    digest.add_argument("panel", metavar="PANEL", help="the panel's name")
    digest.add_argument("--cycle", help="the cycle (default: the one whose panel review is on)")
    audit = command(commands, "audit", _audit, "a cycle's audit trail as CSV: who did what, when, to which object")
    audit.add_argument("--cycle", required=True, help="the cycle's name")
    for parser in (digest, audit):
        parser.add_argument("--team", help="Slack team id (default: the only team in the database)")


def _users(text: str) -> list[str]:
    return [user_id(part) for part in text.split(",") if part.strip()]


def _channel(text: str) -> str:
    if not is_channel_id(text.strip()):
        raise argparse.ArgumentTypeError(not_a_channel_id(text))
    return text.strip()


def _in_work(args: argparse.Namespace, make: Callable[[Any, Any], Any], work: Callable[[Any, str], int]) -> int:
    """``work(service, team)`` in one unit of work, ``service`` made by ``make(services, session)``."""
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as unit:
        return work(make(services, unit.session), team)


def _with_cycles(args: argparse.Namespace, work: Callable[[Any, str], int]) -> int:
    from bot.panels.cycles import Cycles

    return _in_work(args, lambda services, session: Cycles(services.framework, session, services.now), work)


def _cycle_create(args: argparse.Namespace) -> int:
    from bot.admins import CLI
    from bot.panels.cycles import CycleDates

    dates = CycleDates(args.opens_on, args.reviews_due_on, args.panel_from, args.decisions_on, args.appeal_days)

    def create(cycles: Any, team: str) -> int:
        cycle = cycles.create(team, args.name, dates, by=CLI, review_cap=args.review_cap)
        print(_line(cycles.view(cycle)))
        _warn(cycles.overlaps(cycle))
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
        _warn(cycles.overlaps(cycle))
        return 0

    return _with_cycles(args, edit)


def _warn(warnings: list[str]) -> None:
    import sys

    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


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

    return _in_work(args, lambda services, session: Board.open(services.framework, session, services.now, services.admins), work)


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


def _digest(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def digest(board: Any, team: str) -> int:
        for panel, count in board.digest_on_demand(team, CLI, panel_name=args.panel, cycle_name=args.cycle):
            where = f"channel {panel.channel}" if panel.channel else "its chair"
            if count:
                print(f"{panel.name}: digest of {count} nominations queued for {where} and each member who judges them")
            else:
                print(f"{panel.name}: no nomination is before it in this cycle, so no digest was posted")
        return 0

    return _with_board(args, digest)


def _audit(args: argparse.Namespace) -> int:
    import sys

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


def _panel_create(args: argparse.Namespace) -> int:
    from bot.admins import CLI
    from bot.panels.panels import APPEAL, REVIEW, Scope

    def create(board: Any, team: str, facts: Any) -> int:
        panels = board.docket.panels
        scope = Scope.parse(panels.framework, args.scope)
        setup = panels.create(
            team, args.name, chair=args.chair, members=args.members, channel=args.channel, scope=scope, by=CLI,
            kind=APPEAL if args.appeal else REVIEW, channel_facts=facts,
        )  # fmt: skip
        print(f"{setup.panel.name} {'created' if setup.created else 'exists already, unchanged'}: {panels.describe(setup.panel)}")
        _warn(list(setup.warnings))
        return 0

    return _with_channel(args, create)


def _panel_edit(args: argparse.Namespace) -> int:
    from bot.admins import CLI
    from bot.panels.panels import Scope

    if all(getattr(args, k) is None for k in ("chair", "members", "channel", "scope")):
        raise LadderError("nothing to change: give --chair, --members, --channel or --scope")

    def edit(board: Any, team: str, facts: Any) -> int:
        panels = board.docket.panels
        scope = Scope.parse(panels.framework, args.scope) if args.scope is not None else None
        setup = panels.edit(
            team, args.name, by=CLI, chair=args.chair, members=args.members, channel=args.channel, scope=scope,
            channel_facts=facts,
        )  # fmt: skip
        taken = board.reconsider(team)
        print(f"{setup.panel.name} changed: {panels.describe(setup.panel)}")
        if taken:
            print(
                f"{taken} message(s) written: packets and digests taken back from people who no longer judge those "
                "nominations, nominations no panel can judge escalated, appeals passed on"
            )
        _warn(list(setup.warnings))
        return 0

    return _with_channel(args, edit)


def _with_channel(args: argparse.Namespace, work: Callable[[Any, str, Any], int]) -> int:
    """``work(board, team, facts)``: ``facts`` about ``--channel`` as Slack tells them (None without a channel or token)."""
    from bot.panels.board import Board
    from bot.runtime.slack_directory import channel_facts
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    check_people(services, [u for u in (getattr(args, "chair", None), *(getattr(args, "members", None) or ())) if u])
    client = services.directory_client
    channel = getattr(args, "channel", None)
    facts = channel_facts(client, channel) if channel and client.token else None
    with unit_of_work(services.engine) as unit:
        return work(Board.open(services.framework, unit.session, services.now, services.admins), team, facts)


def _panel_rename(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def rename(board: Any, team: str, _facts: Any) -> int:
        print(f"the panel is now named {board.docket.panels.rename(team, args.name, args.new_name, by=CLI).name}")
        return 0

    return _with_channel(args, rename)


def _panel_remove(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def remove(board: Any, team: str, _facts: Any) -> int:
        panel = board.docket.panels.remove(team, args.name, by=CLI)
        board.reconsider(team)
        print(f"{panel.name} is removed; the nominations it would have judged go to the next panel covering them")
        return 0

    return _with_channel(args, remove)


def _panel_list(args: argparse.Namespace) -> int:
    from bot.panels.panels import Scope

    def listing(board: Any, team: str, _facts: Any) -> int:
        panels = board.docket.panels
        found = panels.listing(team)
        for panel, members in found:
            kind = " (appeals)" if panel.kind == "appeal" else ""
            print(
                f"{panel.name}{kind}: chair {panel.chair}; members {', '.join(members)}; channel {panel.channel or 'none'}; "
                f"reviews {Scope.of(panel).describe(panels.framework)}"
            )
        if not found:
            print(f"no panels in team {team} yet: ladder panel create NAME --chair USER --members USER,USER,…")
        return 0

    return _with_channel(args, listing)
