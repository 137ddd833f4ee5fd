"""`ladder admins add|remove|list`: who administers Ladder.

Whoever runs the command line runs Ladder (it holds the database), so it can name the first admin.
"""

from __future__ import annotations

import argparse

from bot.cli import common
from bot.cli.common import check_people, command, team_of, user_id


def add_commands(commands: argparse._SubParsersAction) -> None:
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


def _admins(args: argparse.Namespace, change: str) -> int:
    from bot.admins import CLI, Admins
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    if change == "add":
        check_people(services, [args.user], team)
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
