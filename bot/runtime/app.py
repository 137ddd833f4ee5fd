"""The Bolt app factory: authorization that needs no Slack call, request logging, one error handler, every handler registered.

Request signatures are checked by the HTTP gate (:mod:`bot.runtime.wsgi`) on the raw bytes
before Bolt parses anything, so Bolt's own verification — which logs the body of a refused
request — is off; Socket Mode requests arrive over an authenticated WebSocket and carry none.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError

from bot.runtime.clients import slack_client
from bot.runtime.identity import BotIdentity
from bot.runtime.logs import request_ids
from bot.runtime.request_log import log_request, surface
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from handlers import register_all

log = logging.getLogger("ladder.app")


def ids_of(req: BoltRequest) -> contextlib.AbstractContextManager[None]:
    """Log lines written while ``req`` is handled carry its team, user and event ids."""
    event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
    return request_ids(team=req.context.team_id, user=req.context.user_id, event=event_id if isinstance(event_id, str) else None)


class _DropTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself, then notices that the client and ``authorize`` supersede it: intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class LadderApp(App):
    """Bolt's App, plus one structured log line for every request it dispatches.

    Every line logged while the request is handled — by Ladder, Bolt or any library, the error
    handler included — carries the request's team, user and event ids. (This wraps ``dispatch``
    rather than being a middleware: Bolt runs listeners after its middleware chain has returned.)
    """

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        with ids_of(req):
            response = super().dispatch(req)
            log_request(req, response, started)
        return response


def create_app(settings: Settings, services: Services) -> App:
    settings.require("the Slack app", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    # The identity retries with its own backoff and logs its own line; slack_sdk's ERROR per failed try would be noise.
    quiet = logging.getLogger("ladder.identity.slack_sdk")
    quiet.setLevel(logging.CRITICAL)
    identity = BotIdentity(slack_client(settings, token=settings.slack_bot_token, retries=False, logger=quiet))
    bolt_logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _DropTokenNotice) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropTokenNotice())
    app = LadderApp(
        signing_secret=settings.slack_signing_secret,
        client=slack_client(settings),
        authorize=identity,
        request_verification_enabled=False,
        raise_error_for_unhandled_request=True,
        logger=bolt_logger,
        # Listeners run in the request's own thread: a slash command is answered in its HTTP
        # response with no hand-off (Bolt's threaded mode polls for the ack every 10 ms); what
        # must reach Slack afterwards goes to the courier (bot/runtime/courier.py).
        process_before_response=True,
    )
    app.error(_on_error)
    register_all(app, services)
    return app


def _on_error(error: Exception, body: Any, response: BoltResponse | None) -> None:
    """The one place a failed request becomes what Slack sees: never a traceback, never the payload."""
    body = body if isinstance(body, dict) else {}
    if isinstance(error, BoltUnhandledRequestError):
        log.info("no listener for this request", extra={"surface": surface(body)})
        _answer(response, 404, "")
        return
    if bolt_could_not_read_the_payload(error):
        log.info("malformed payload", extra={"surface": surface(body), "error": type(error).__name__})
        _answer(response, 400, "")
        return
    log.error("handling a Slack request failed", exc_info=error, extra={"surface": surface(body)})
    _answer(response, 500, "")


def bolt_could_not_read_the_payload(error: Exception) -> bool:
    """A signed payload of a shape Slack never sends (``event`` as a string, ``user`` as a list): Bolt reads
    payloads by their documented shape and fails inside its own code. A failure in Ladder's code is a bug, not this."""
    if not isinstance(error, (AttributeError, KeyError, TypeError, IndexError, ValueError)):
        return False
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}slack_bolt{os.sep}" in frame.tb_frame.f_code.co_filename


def _answer(response: BoltResponse | None, status: int, body: str) -> None:
    if response is not None:
        response.status = status
        response.body = body
