"""`ladder ask QUESTION [--team T --user U]`: a career question answered in the terminal, as Slack would answer it.

Asking loads no database code unless it asks as a recorded person (tests/test_first_hour.py checks it).
"""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_USAGE, command, error


def add_commands(commands: argparse._SubParsersAction) -> None:
    ask = command(commands, "ask", _ask, "answer a career question in the terminal")
    ask.add_argument("question", nargs="+", help='e.g. "what does Staff mean"')
    ask.add_argument("--team", help="Slack team id, with --user, to answer as a recorded person")
    ask.add_argument("--user", help="Slack user id of the person asking (for 'what's my next level?')")


def _ask(args: argparse.Namespace) -> int:
    from bot.careers import CareerQuestions
    from bot.framework.loader import load_framework
    from bot.runtime.settings import Settings
    from messages.render import Renderer

    settings = Settings.from_env()
    framework = load_framework(settings.framework_path)
    levels = None
    if args.user or args.team:
        if not (args.user and args.team):
            error("--user and --team go together")
            return EXIT_USAGE
        from bot.runtime.services import RecordedLevels
        from storage.engine import make_engine, sqlite_path
        from storage.health import require_schema
        from storage.repositories import PeopleRepository

        database = sqlite_path(settings.database_url)
        if database is not None and not database.exists():  # asking creates nothing: say why nobody is known
            error(f"no database at {database}, so no one's level is recorded (ladder people import FILE records them)")
        else:
            engine = make_engine(settings.database_url, create_missing=False)
            require_schema(engine, settings.database_url)
            levels = RecordedLevels(PeopleRepository(engine))
    answer = CareerQuestions(framework, levels).ask(" ".join(args.question), team_id=args.team, user_id=args.user)
    sys.stdout.write(Renderer(public_url=settings.public_url).terminal(answer.template, **answer.context))
    return 0
