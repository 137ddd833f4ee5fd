"""The Bolt app factory: Slack client with retries, request logging, every handler registered."""

from __future__ import annotations

import logging
import time

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.runtime.request_log import log_request
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from handlers import register_all


class _DropClientTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and then notices we also passed a client; that is intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class LadderApp(App):
    """Bolt's App, plus one structured log line for every request it dispatches."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        response = super().dispatch(req)
        log_request(req, response, started)
        return response


def slack_client(settings: Settings) -> WebClient:
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3), ConnectionErrorRetryHandler(max_retry_count=2)],
    )


def create_app(settings: Settings, services: Services) -> App:
    settings.require("the Slack app", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    bolt_logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _DropClientTokenNotice) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropClientTokenNotice())
    app = LadderApp(
        signing_secret=settings.slack_signing_secret,
        client=slack_client(settings),
        logger=bolt_logger,
        # Listeners run in the request's own thread: a slash command is answered in its HTTP
        # response with no hand-off (Bolt's threaded mode polls for the ack every 10 ms), and
        # events hand their work to lazy listeners (see handlers/questions.py).
        process_before_response=True,
    )
    register_all(app, services)
    return app
