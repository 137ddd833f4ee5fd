"""The baseline for bench_slack.py and bench_nominations.py: a bare Bolt app that acks /ladder with a fixed text
and any modal submission with nothing,
served exactly as `ladder serve` serves Ladder (the same supervisor and waitress settings, same Bolt WSGI adapter,
same Bolt mode).

Run by bench_slack.py as: python bench/bare_bolt.py PORT
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.runtime.server import Supervisor, listen  # noqa: E402


def bare_app() -> SlackRequestHandler:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    # The same Bolt mode as Ladder (bot/runtime/app.py): listeners run in the request thread.
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, process_before_response=True)

    @app.command("/ladder")
    def ladder(ack):
        ack(response_type="ephemeral", text="Staff Engineer: a fixed answer.")

    @app.view(re.compile(".*"))
    def submitted(ack):  # the baseline for a modal's submission (bench_nominations.py): acknowledged, nothing stored
        ack()

    return SlackRequestHandler(app)


if __name__ == "__main__":
    sys.exit(Supervisor(listen("127.0.0.1", int(sys.argv[1])), lambda _generation: bare_app()).run())
