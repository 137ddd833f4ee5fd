"""`ladder db upgrade` and `ladder db current`: the database's schema migrations."""

from __future__ import annotations

import argparse

from bot.cli.common import command


def add_commands(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database migrations")
    actions = db.add_subparsers(metavar="ACTION", required=True)
    command(actions, "upgrade", _upgrade, "upgrade the database to the latest schema")
    command(actions, "current", _current, "print the database's schema revision")


def _upgrade(args: argparse.Namespace) -> int:
    from bot.runtime.settings import Settings
    from storage.migrate import current_revision, upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    print(f"database at revision {current_revision(settings.database_url)}")
    return 0


def _current(args: argparse.Namespace) -> int:
    from bot.runtime.settings import Settings
    from storage.migrate import current_revision

    print(current_revision(Settings.from_env().database_url) or "empty (run: ladder db upgrade)")
    return 0
