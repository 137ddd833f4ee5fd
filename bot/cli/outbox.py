"""`ladder outbox failed|status`: the messages Ladder must deliver, and those Slack refused for good."""

from __future__ import annotations

import argparse
import sys

from bot.cli import common
from bot.cli.common import command, team_of


def add_commands(commands: argparse._SubParsersAction) -> None:
    outbox = commands.add_parser("outbox", help="messages Ladder must deliver")
    outbox_actions = outbox.add_subparsers(metavar="ACTION", required=True)
    failed = command(outbox_actions, "failed", _outbox_failed, "list messages Slack refused for good, with the reason")
    failed.add_argument("--team", help="Slack team id (default: as for cadence)")
    command(outbox_actions, "status", _outbox_status, "count messages by status")


def _outbox_failed(args: argparse.Namespace) -> int:
    from storage.repositories.outbox import Outbox
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        failed = Outbox(work.session).failed(team, limit=1000)
        for message in failed:
            print(f"{message.due_at.isoformat()} {message.purpose} to {message.recipient}: {message.error} (key {message.key})")
    if not failed:
        print("no failed deliveries", file=sys.stderr)
    return 0


def _outbox_status(args: argparse.Namespace) -> int:
    from storage.repositories.outbox import Outbox
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    with unit_of_work(services.engine) as work:
        counts = Outbox(work.session).counts()
    print(" ".join(f"{status}={counts.get(status, 0)}" for status in ("pending", "sending", "sent", "failed")))
    return 0
