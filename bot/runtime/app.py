"""The Bolt app factory: authorization that needs no Slack call, request logging, one error handler, every handler registered.

Request signatures are checked by the HTTP gate (:mod:`bot.runtime.wsgi`) on the raw bytes
before Bolt parses anything, so Bolt's own verification — which logs the body of a refused
request — is off; Socket Mode requests arrive over an authenticated WebSocket and carry none.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import InvalidAnswers, LadderError
from bot.runtime.clients import slack_client
from bot.runtime.identity import BotIdentity
from bot.runtime.installations import SINGLE, InstalledBots, OAuthTenancy
from bot.runtime.logs import request_ids
from bot.runtime.request_log import ELSEWHERE, log_request, surface
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.tenancy import tenant_id
from handlers import reads_only, register_all
from handlers.context import FAILED, SERVICES, WORK, services_of
from messages.escape import slack_escape
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.app")
INSTALLATION_EVENTS = ("app_uninstalled", "tokens_revoked")
DEAD_TOKEN = ("token_revoked", "invalid_auth", "account_inactive")
"""What Slack answers a call made with a token that no longer works (uninstalled, revoked, installed again elsewhere)."""


def ids_of(req: BoltRequest) -> contextlib.AbstractContextManager[None]:
    """Log lines written while ``req`` is handled carry its team, user and event ids."""
    event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
    return request_ids(team=req.context.team_id, user=req.context.user_id, event=event_id if isinstance(event_id, str) else None)


class _DropTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself, then notices that the client and ``authorize`` supersede it: intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class LadderApp(App):
    """Bolt's App, plus one unit of work and one structured log line for every request it dispatches.

    Every listener of a request shares one database session, committed when the request succeeded
    and rolled back when it failed, so a request changes all it meant to or nothing. A request whose
    listener only reads (:func:`handlers.reads_only`) gets a reading unit of work; any other holds what
    it reads to decide until it commits (:mod:`storage.unit_of_work`). Every line
    logged meanwhile — by Ladder, Bolt or any library, the error handler included — carries the
    request's team, user and event ids. (This wraps ``dispatch`` rather than being a middleware:
    Bolt runs listeners after its middleware chain has returned.)
    """

    def __init__(self, *, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._services = services

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        with ids_of(req):
            context = req.context
            tenancy = self._services.tenancy
            oauth_event = tenancy.mode != SINGLE and _installation_event(req.body)
            if not oauth_event and not tenancy.serves(context.enterprise_id, context.team_id, context.is_enterprise_install):
                req.context[ELSEWHERE] = True
                response = _elsewhere(req.body, tenancy.mode)
                log_request(req, response, started)
                return response
            if isinstance(tenancy, OAuthTenancy) and context.is_enterprise_install and context.enterprise_id and context.team_id:
                tenancy.note_workspace(context.enterprise_id, context.team_id)
            with unit_of_work(self._services.engine, reads_only=reads_only(req.body)) as work:
                req.context[WORK] = work
                response = super().dispatch(req)
                if req.context.get(FAILED) or response.status >= 500:
                    work.rollback()  # then the unit of work's commit has nothing to commit
            log_request(req, response, started)
        return response


def create_app(settings: Settings, services: Services) -> App:
    if settings.oauth:
        settings.require("the Slack app installed with OAuth", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
    else:
        settings.require("the Slack app", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    bolt_logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _DropTokenNotice) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropTokenNotice())
    tenancy = services.tenancy
    authorize: Authorize
    if isinstance(tenancy, OAuthTenancy):
        from bot.runtime.oauth import oauth_flow

        authorize, flow = InstalledBots(tenancy), oauth_flow(settings, services)
    else:
        authorize, flow = BotIdentity(services.identity), None
    app = LadderApp(
        services=services,
        signing_secret=settings.slack_signing_secret,
        client=slack_client(settings),
        authorize=authorize,
        oauth_flow=flow,
        request_verification_enabled=False,
        raise_error_for_unhandled_request=True,
        logger=bolt_logger,
        # Listeners run in the request's own thread: a slash command is answered in its HTTP
        # response with no hand-off (Bolt's threaded mode polls for the ack every 10 ms); what
        # must reach Slack afterwards is an outbox row written in the request's transaction (handlers/deliveries.py).
        process_before_response=True,
    )
    app.error(_on_error)
    register_all(app, services)
    return app


def _installation_event(body: Any) -> bool:
    """app_uninstalled and tokens_revoked: Slack's word about an installation, handled whether or not it still works."""
    event = body.get("event") if isinstance(body, dict) and body.get("type") == "event_callback" else None
    return isinstance(event, dict) and event.get("type") in INSTALLATION_EVENTS


def _elsewhere(body: Any, mode: str = SINGLE) -> BoltResponse:
    """The answer to a request from a workspace Ladder does not serve (another workspace than the token's; one with no
    active installation): acknowledged (so Slack does not retry it), nothing done."""
    if isinstance(body, dict) and body.get("command"):
        text = (
            "Ladder here serves another Slack workspace, so it cannot answer in this one."
            if mode == SINGLE
            else "Ladder is not installed in this workspace (or was uninstalled): an admin can add it again with Add to Slack."
        )
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers={"content-type": "application/json"},
        )
    return BoltResponse(status=200, body="")


def _on_error(error: Exception, body: Any, response: BoltResponse | None, context: BoltContext, client: WebClient) -> None:
    """The one place a failed request becomes what Slack sees: never a traceback, never the payload.

    A :class:`LadderError` is something the person can act on: field errors on a modal (plain text), an
    ephemeral line for a command or a direct message for a button (mrkdwn, so escaped: its words may
    hold names). Its unit of work is rolled back.
    """
    body = body if isinstance(body, dict) else {}
    context[FAILED] = True
    if isinstance(error, SlackApiError) and error.response.get("error") in DEAD_TOKEN:
        _forget_dead_token(context)
    if isinstance(error, LadderError):
        log.info("request refused", extra={"surface": surface(body), "error": type(error).__name__})
        _tell(error, body, response, client)
        return
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


def _forget_dead_token(context: BoltContext) -> None:
    """Slack refused the token a request was authorized with: the tenancy forgets it, so the next request reads the
    installation again (another process may have installed Ladder again meanwhile, with a new token)."""
    tenant = tenant_id(context.enterprise_id, context.team_id, context.is_enterprise_install)
    if tenant and context.get(SERVICES) is not None:
        log.warning("Slack refused the bot token: forgotten, read again at the next request", extra={"tenant": tenant})
        services_of(context).tenancy.forget(tenant)


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


def _tell(error: LadderError, body: dict[str, Any], response: BoltResponse | None, client: WebClient) -> None:
    kind = body.get("type")
    if kind == "view_submission":
        view = body.get("view") or {}
        inputs = [
            b["block_id"]
            for b in view.get("blocks") or []
            if isinstance(b, dict) and b.get("type") == "input" and isinstance(b.get("block_id"), str)
        ]
        problems = error.problems if isinstance(error, InvalidAnswers) else {}
        errors = {field: text for field, text in problems.items() if field in inputs} or (
            {inputs[0]: error.message} if inputs else {}
        )
        _answer_json(response, {"response_action": "errors", "errors": errors})
    elif body.get("command"):
        _answer_json(response, {"response_type": "ephemeral", "text": slack_escape(error.message)})
    else:
        _answer(response, 200, "")
        user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else body.get("user_id")
        if isinstance(user, str) and user:
            try:
                client.chat_postMessage(channel=user, text=slack_escape(error.message))
            except Exception:  # noqa: BLE001 - telling the person is best effort; the refusal is logged above
                log.warning("could not tell the person why their request was refused", exc_info=True)


def _answer_json(response: BoltResponse | None, payload: dict[str, Any]) -> None:
    if response is not None:
        response.status = 200
        response.body = json.dumps(payload)
        response.headers["content-type"] = ["application/json;charset=utf-8"]
