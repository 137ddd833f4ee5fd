"""The `ladder` command line (also `python -m bot`).

One module per command group (``ladder framework …`` is :mod:`bot.cli.framework`), all registered here, in the order
``ladder --help`` lists them; what they share is :mod:`bot.cli.common`, which imports none of them, and no command
module imports another (tests/test_layers.py checks it). Each command imports what it needs when it runs, so
`ladder ask` starts in well under a second. Problems a person can fix are printed as one clear line each with a
non-zero exit status: 2 for a missing setting or bad usage, 1 for anything else that failed.
"""

from __future__ import annotations

import argparse
from typing import NoReturn, Sequence

from bot.cli import (
    admins,
    ask,
    checkins,
    clock,
    cycle,
    db,
    fairness,
    framework,
    groups,
    nominations,
    outbox,
    panel,
    people,
    person,
    retention,
    serve,
    workspace,
)
from bot.cli.common import EXIT_USAGE, error, reporting_failures


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Bad usage is one line naming what was wrong, like every other problem (argparse prints the usage too)."""
        self.exit(EXIT_USAGE, f"ladder: {message} (see: {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or bad usage already said in one line
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    problem = _id_problem(args)
    if problem:
        error(problem)
        return EXIT_USAGE
    return reporting_failures(lambda: args.run(args))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ladder", description="Ladder: career-ladder answers in Slack and in your terminal.")
    commands = parser.add_subparsers(metavar="COMMAND")
    ask.add_commands(commands)  # ladder ask
    framework.add_commands(commands)  # ladder framework check|schema|init|import|render|diff
    people_actions = people.add_commands(commands)  # ladder people import
    groups.add_commands(people_actions)  # ladder people groups import
    db.add_commands(commands)  # ladder db upgrade|current
    clock.add_commands(commands)  # ladder clock
    checkins.add_commands(commands)  # ladder checkins cadence|schedule|holidays
    outbox.add_commands(commands)  # ladder outbox failed|status
    admins.add_commands(commands)  # ladder admins add|remove|list
    nominations.add_commands(commands)  # ladder nominations list|export
    cycle.add_commands(commands)  # ladder cycle …
    panel.add_commands(commands)  # ladder panel …
    panel.add_digest_command(commands)  # ladder digest
    cycle.add_audit_command(commands)  # ladder audit
    retention.add_commands(commands)  # ladder retention run
    person.add_commands(commands)  # ladder person export|erase
    fairness.add_commands(commands)  # ladder fairness report|trend
    workspace.add_commands(commands)  # ladder workspace list|erase
    serve.add_commands(commands)  # ladder serve, ladder socket
    return parser


def _id_problem(args: argparse.Namespace) -> str | None:
    """Every command's --team and --user are Slack ids of the right shape (and length, so no column refuses them)."""
    from bot.slack_ids import is_team_id, is_user_id, not_a_team_id, not_a_user_id

    team, user = getattr(args, "team", None), getattr(args, "user", None)
    if isinstance(team, str) and not is_team_id(team):
        return f"--team: {not_a_team_id(team)}"
    if isinstance(user, str) and not is_user_id(user):
        return f"--user: {not_a_user_id(user)}"
    return None
