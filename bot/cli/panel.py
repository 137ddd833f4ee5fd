"""`ladder panel …` and `ladder digest`: review panels and their digests."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from bot.cli import common
from bot.cli.common import check_people, command, directory, team_of, user_id, warn
from bot.errors import LadderError
from bot.slack_ids import is_channel_id, not_a_channel_id


def add_commands(commands: argparse._SubParsersAction) -> None:
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


def add_digest_command(commands: argparse._SubParsersAction) -> None:
    """``ladder digest``: listed after ``ladder panel`` by :mod:`bot.cli`."""
    digest = command(commands, "digest", _digest, "post a panel's review digest now")
    digest.add_argument("panel", metavar="PANEL", help="the panel's name")
    digest.add_argument("--cycle", help="the cycle (default: the one whose panel review is on)")
    digest.add_argument("--team", help="Slack team id (default: the only team in the database)")


def _users(text: str) -> list[str]:
    return [user_id(part) for part in text.split(",") if part.strip()]


def _channel(text: str) -> str:
    if not is_channel_id(text.strip()):
        raise argparse.ArgumentTypeError(not_a_channel_id(text))
    return text.strip()


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
        warn(list(setup.warnings))
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
        warn(list(setup.warnings))
        return 0

    return _with_channel(args, edit)


def _with_channel(args: argparse.Namespace, work: Callable[[Any, str, Any], int]) -> int:
    """``work(board, team, facts)``: ``facts`` about ``--channel`` as Slack tells them (None without a channel or token)."""
    from bot.panels.board import Board
    from handlers.slack_lookups import channel_facts
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    check_people(services, [u for u in (getattr(args, "chair", None), *(getattr(args, "members", None) or ())) if u], team)
    client = directory(services, team)
    channel = getattr(args, "channel", None)
    facts = channel_facts(client, channel) if channel and client.token else None
    with unit_of_work(services.engine) as unit:
        return work(Board.open(services.framework_for(team), unit.session, services.now, services.admins), team, facts)


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


def _digest(args: argparse.Namespace) -> int:
    from bot.admins import CLI

    def digest(board: Any, team: str, _facts: Any) -> int:
        for panel, count in board.digest_on_demand(team, CLI, panel_name=args.panel, cycle_name=args.cycle):
            where = f"channel {panel.channel}" if panel.channel else "its chair"
            if count:
                print(f"{panel.name}: digest of {count} nominations queued for {where} and each member who judges them")
            else:
                print(f"{panel.name}: no nomination is before it in this cycle, so no digest was posted")
        return 0

    return _with_channel(args, digest)
