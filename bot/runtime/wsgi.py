"""The HTTP face of Ladder: Slack requests at /slack/events, /healthz for load balancers, /livez, and with OAuth the
"Add to Slack" pages (/slack/install, /slack/oauth_redirect), served by Bolt's own WSGI adapter.

Every Slack request passes the same gate before Bolt sees it: a body larger than Slack ever
sends is refused from its Content-Length (413) without being read; the signature is checked on
the raw bytes (401) before anything is parsed; a signed body Bolt cannot make sense of is a 400.
Each refusal is one log line with the reason — never the body.
"""

from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus
from typing import Any, Callable, Iterable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest

from bot.runtime.app import bolt_could_not_read_the_payload, create_app, ids_of
from bot.runtime.oauth import install_failed_page
from bot.runtime.payload_shape import envelope_problem
from bot.runtime.request_log import log_refusal
from bot.runtime.server import MAX_BODY_BYTES
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.runtime.signature import check_signature
from messages.pages import CSS, ICON, SECURITY_HEADERS, Links, OrganisationPages, Pages, tenant_of_site

SLACK_PATH = "/slack/events"
log = logging.getLogger("ladder.requests")

StartResponse = Callable[..., Any]


class LadderWsgi:
    """WSGI application: the gate, Bolt behind it, and the health answers."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        health: Callable[[], dict[str, Any]],
        close: Callable[[float], None] = lambda _timeout: None,
        clock: Callable[[], float] = time.time,
        pages: Pages | None = None,
        pages_for: Callable[[str], Pages] | None = None,
    ) -> None:
        self._app = app
        self._pages = pages
        self._pages_for = pages_for
        """An organisation's pages, served under /ladder/<tenant>-<key>/ (:func:`messages.pages.organisation_site`)."""
        self._secret = signing_secret
        self._health = health
        self._close = close
        self._clock = clock
        flow = app.oauth_flow
        self._oauth_paths = (flow.install_path, flow.redirect_uri_path) if flow is not None else ()
        self._oauth = SlackRequestHandler(app) if flow is not None else None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO") or "", environ.get("REQUEST_METHOD")
        if path == SLACK_PATH:
            if method != "POST":
                return _reply(start_response, 405, {"error": "use POST"}, [("Allow", "POST")])
            return self._slack(environ, start_response)
        if path in self._oauth_paths and self._oauth is not None:
            if method != "GET":
                return _reply(start_response, 405, {"error": "use GET"}, [("Allow", "GET")])
            try:
                return self._oauth(environ, _with_headers(start_response, INSTALL_HEADERS))
            except Exception:  # noqa: BLE001 - the database or Slack failed mid-install: one line, no traceback shown
                log.error("the Add to Slack flow failed", exc_info=True)
                return _bolt_reply(_with_headers(start_response, INSTALL_HEADERS), install_failed_page())
        if self._pages is not None and (path == "/ladder" or path.startswith("/ladder/")):
            if method not in ("GET", "HEAD"):
                return _reply(start_response, 405, {"error": "use GET"}, [("Allow", "GET, HEAD")])
            status, content_type, body, extra = self._page(path)
            headers = [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "private, max-age=60"),
                *extra,
                *SECURITY_HEADERS,
            ]
            start_response(_status_line(status), headers)
            return [] if method == "HEAD" else [body]
        if path in ("/healthz", "/livez") and method in ("GET", "HEAD"):
            report = self._health() if path == "/healthz" else {"status": "ok"}
            reply = _reply(start_response, 200 if report["status"] == "ok" else 503, report)
            return [] if method == "HEAD" else reply
        return _reply(start_response, 404, {"error": "not found"})

    def _page(self, path: str) -> tuple[int, str, bytes, list[tuple[str, str]]]:
        """A page at its canonical address; any other spelling of one (a trailing slash, an empty segment, a level id
        in capitals) is redirected there (308), so relative links always resolve; anything else is the not-found page."""
        assert self._pages is not None
        asked = path.split("/")[2:]  # after "" and "ladder": "/ladder/" asks for [""]
        pages, root = self._pages, ["ladder"]
        tenant = tenant_of_site(asked[0], self._secret) if self._pages_for is not None and asked else None
        if tenant is not None and self._pages_for is not None and pages.framework.level(asked[0].lower()) is None:
            pages, root, asked = self._pages_for(tenant), ["ladder", asked[0]], asked[1:]
        canonical = self._canonical([part for part in asked if part], pages)
        html = "text/html; charset=utf-8"
        site = root[-1]
        if canonical is None:
            return 404, html, pages.not_found(Links(depth=max(len(asked) - 1, 0), root=site)).encode(), []
        if canonical != asked:
            # Relative, so a proxy's path prefix is kept: up to the folder /ladder sits in, then down to the page.
            location = "../" * (len(asked) + len(root) - 1) + "/".join([*root, *canonical])
            return 308, html, b"", [("Location", location)]
        if not canonical:
            return 200, html, pages.index(Links(index_page=True, root=site)).encode(), []
        if canonical == ["ladder.css"]:
            return 200, "text/css; charset=utf-8", CSS.encode(), []
        if canonical == ["icon.svg"]:
            return 200, "image/svg+xml", ICON.encode(), []
        if len(canonical) == 1:
            page = pages.level(canonical[0], Links(root=site))
        else:
            page = pages.compare(canonical[1], canonical[2], Links(depth=2, root=site))
        assert page is not None  # _canonical found the levels
        return 200, html, page.encode(), []

    def _canonical(self, parts: list[str], pages: Pages) -> list[str] | None:
        """The canonical address (below /ladder, or an organisation's /ladder/<tenant>) of the page ``parts`` names, or
        None when it names none."""
        framework = pages.framework
        if not parts:
            return []
        if parts in (["ladder.css"], ["icon.svg"]):
            return parts
        if len(parts) == 1:
            level = framework.level(parts[0].lower())
            return [level.id] if level is not None else None
        if len(parts) == 3 and parts[0].lower() == "compare":
            before, after = framework.level(parts[1].lower()), framework.level(parts[2].lower())
            if before is None or after is None or before is after:
                return None
            return ["compare", before.id, after.id]
        return None

    @property
    def pages(self) -> Pages | None:
        """The ladder's web pages this app serves (None when LADDER_PAGES is off)."""
        return self._pages

    def close(self, timeout: float) -> None:
        """The worker is stopping: its outbox senders give back what they claimed and did not post, within ``timeout`` s."""
        self._close(timeout)

    def _slack(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(start_response, 400, "bad Content-Length", started)
        if length > MAX_BODY_BYTES:
            return self._refuse(start_response, 413, "body too large", started)
        body = environ["wsgi.input"].read(length) if length else b""
        refusal = check_signature(
            self._secret,
            body,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
            self._clock(),
        )
        if refusal is not None:
            return self._refuse(start_response, 401, refusal.value, started)
        try:
            request = BoltRequest(
                body=body.decode("utf-8"), query=environ.get("QUERY_STRING", ""), headers=WsgiHttpRequest(environ).get_headers()
            )
        except Exception as exc:  # noqa: BLE001 - Slack signed it, but it is not a payload Bolt can read
            return self._refuse(start_response, 400, f"unreadable payload ({type(exc).__name__})", started)
        problem = envelope_problem(request.body)
        if problem is not None:
            return self._refuse(start_response, 400, f"malformed payload: {problem}", started)
        with ids_of(request):  # ids also for the catch-all's line below
            try:
                response: BoltResponse = self._app.dispatch(request)
            except Exception as exc:  # noqa: BLE001 - Bolt's own error path failed: still one line, still an answer
                if bolt_could_not_read_the_payload(exc):
                    return self._refuse(start_response, 400, f"malformed payload ({type(exc).__name__})", started)
                log.error("handling a Slack request failed", exc_info=exc)
                return _reply(start_response, 500, {"error": "internal error"})
        headers = [(name, value) for name, values in response.headers.items() for value in values]
        body_bytes = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        start_response(_status_line(response.status), headers)
        return [body_bytes]

    def _refuse(self, start_response: StartResponse, status: int, reason: str, started: float) -> Iterable[bytes]:
        log_refusal(status, reason, started)
        return _reply(start_response, status, {"error": reason})


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _bolt_reply(start_response: StartResponse, response: BoltResponse) -> list[bytes]:
    body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    start_response(_status_line(response.status), [*headers, ("Content-Length", str(len(body)))])
    return [body]


INSTALL_HEADERS = [
    # The install pages (Bolt's, and messages/install_pages.py's) style themselves inline and show Slack's button image.
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src https://platform.slack-edge.com data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),  # the redirect's address carries Slack's one-time code
]


def _with_headers(start_response: StartResponse, extra: list[tuple[str, str]]) -> StartResponse:
    """``start_response`` adding ``extra`` to the headers of whatever answer the wrapped app gives."""

    def started(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        return start_response(status, [*headers, *extra], *args)

    return started


def _reply(start_response: StartResponse, status: int, payload: dict[str, Any], extra: list[tuple[str, str]] = []) -> list[bytes]:  # noqa: B006
    body = json.dumps(payload).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra]
    start_response(_status_line(status), headers)
    return [body]


def build_wsgi(settings: Settings, services: Services) -> LadderWsgi:
    """The whole HTTP application for ``settings``: what ``ladder serve`` runs and what the tests drive."""
    assert settings.slack_signing_secret  # create_app refuses to start without it
    app = create_app(settings, services)
    pages = Pages(services.framework) if settings.pages else None
    return LadderWsgi(
        app,
        signing_secret=settings.slack_signing_secret,
        health=services.health,
        close=services.close,
        pages=pages,
        pages_for=OrganisationPages(services.framework_for, pages) if pages else None,
    )
