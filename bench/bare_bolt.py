"""The baseline for bench_slack.py, bench_nominations.py and bench_tenants.py: a bare Bolt app that acks /ladder with a
fixed text and any modal submission with nothing,
served exactly as `ladder serve` serves Ladder (the same supervisor and waitress settings, same Bolt WSGI adapter,
same Bolt mode).

Run by bench_slack.py as: python bench/bare_bolt.py PORT
(one workspace's bot token, SLACK_BOT_TOKEN), and by bench_tenants.py as:

- python bench/bare_bolt.py PORT --oauth CLIENT_ID: many workspaces installed with OAuth, authorized by Bolt's own
  InstallationStoreAuthorize with ``cache_enabled=True`` over slack_sdk's SQLAlchemy installation store on
  DATABASE_URL (the tables Ladder's installs write). Bolt's cache keeps each token's auth.test answer; the store is
  still read (``find_bot``, one SELECT) on every request.
- python bench/bare_bolt.py PORT --oauth-memory CLIENT_ID: the same store, but each workspace's bot is read from it
  once and kept in a dict (authorize from memory: no database read per request once warm).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import App, BoltContext  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_bolt.authorization import AuthorizeResult  # noqa: E402
from slack_bolt.authorization.authorize import InstallationStoreAuthorize  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from bot.runtime.server import Supervisor, listen  # noqa: E402
from storage.slack_tables import BOTS, INSTALLATIONS  # noqa: E402


def _listeners(app: App) -> App:
    @app.command("/ladder")
    def ladder(ack):
        ack(response_type="ephemeral", text="Staff Engineer: a fixed answer.")

    @app.view(re.compile(".*"))
    def submitted(ack):  # the baseline for a modal's submission (bench_nominations.py): acknowledged, nothing stored
        ack()

    return app


def bare_app() -> SlackRequestHandler:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    # The same Bolt mode as Ladder (bot/runtime/app.py): listeners run in the request thread.
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, process_before_response=True)
    return SlackRequestHandler(_listeners(app))


def _store(client_id: str) -> SQLAlchemyInstallationStore:
    engine = create_engine(os.environ["DATABASE_URL"])
    return SQLAlchemyInstallationStore(
        client_id=client_id, engine=engine, bots_table_name=BOTS, installations_table_name=INSTALLATIONS
    )


def bare_oauth_app(client_id: str, *, in_memory: bool) -> SlackRequestHandler:
    """Many workspaces' installations in slack_sdk's store; ``in_memory``: each bot read once, then from a dict."""
    client = WebClient(base_url=os.environ["SLACK_API_URL"])
    store = _store(client_id)
    if in_memory:
        known: dict[tuple[str | None, str | None], AuthorizeResult] = {}
        lock = threading.Lock()

        def authorize(context: BoltContext, enterprise_id: str | None, team_id: str | None, user_id: str | None):
            key = (enterprise_id, team_id)
            found = known.get(key)
            if found is None:
                bot = store.find_bot(
                    enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=context.is_enterprise_install
                )
                if bot is None:
                    return None
                found = AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                        bot_token=bot.bot_token, bot_user_id=bot.bot_user_id, bot_id=bot.bot_id)  # fmt: skip
                with lock:
                    known[key] = found
            return found

        app = App(
            signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, authorize=authorize, process_before_response=True
        )
    else:
        cached = InstallationStoreAuthorize(
            logger=client.logger, installation_store=store, bot_only=True, cache_enabled=True, client=client
        )
        app = App(
            signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, authorize=cached, installation_store=store,
            installation_store_bot_only=True, process_before_response=True,
        )  # fmt: skip
    return SlackRequestHandler(_listeners(app))


def _handler(argv: list[str]):
    if len(argv) >= 4 and argv[2] in ("--oauth", "--oauth-memory"):
        for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN"):  # Bolt would set up its own OAuth flow
            os.environ.pop(name, None)
        return lambda _generation: bare_oauth_app(argv[3], in_memory=argv[2] == "--oauth-memory")
    return lambda _generation: bare_app()


if __name__ == "__main__":
    sys.exit(Supervisor(listen("127.0.0.1", int(sys.argv[1])), _handler(sys.argv)).run())
