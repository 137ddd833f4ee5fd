"""Run the real Ladder WSGI app (Bolt, handlers, storage) on a local port for tests.

The app talks to the fake Slack Web API through SLACK_API_URL exactly as it would talk to
Slack, and tests talk to it with signed HTTP requests exactly as Slack would.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.runtime.pacing import Pacer
from bot.runtime.senders import start_senders
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.runtime.wsgi import LadderWsgi, build_wsgi
from storage.migrate import upgrade
from tests.slack_requests import SlackSender

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
CLIENT_ID, CLIENT_SECRET = "1111.2222", "fake-client-secret"
"""The app's OAuth credentials, as the fake Slack (tests.fake_slack.FakeSlack's defaults) knows them."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # the app logs requests itself
        pass


@dataclass
class RunningLadder:
    url: str
    services: Services
    slack: SlackSender
    settings: Settings
    app: LadderWsgi


def ladder_env(fake_slack_url: str, database_url: str, *, oauth: bool = False, **overrides: str) -> dict[str, str]:
    """The environment ``ladder serve`` would be given: one workspace's bot token, or with ``oauth`` the app's client
    id and secret (installed with Add to Slack); an override of "" leaves a variable out."""
    credentials = (
        {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET} if oauth else {"SLACK_BOT_TOKEN": BOT_TOKEN}
    )
    env = {
        **credentials,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack_url,
        "DATABASE_URL": database_url,
        **overrides,
    }
    return {name: value for name, value in env.items() if value != ""}


@contextlib.contextmanager
def running_ladder(
    fake_slack_url: str,
    tmp_path: Path,
    *,
    database_url: str | None = None,
    now: Callable[[], datetime] | None = None,
    oauth: bool = False,
    **overrides: str,
) -> Iterator[RunningLadder]:
    """The whole app on a local port, configured as ``ladder serve`` would be by these environment variables;
    ``now`` is the app's clock (a test's :class:`tests.clock.TestClock`); ``oauth``: installed with Add to Slack
    (:func:`add_to_slack`) rather than one workspace's bot token."""
    database_url = database_url or f"sqlite:///{tmp_path / 'ladder.db'}"
    settings = Settings.from_env(ladder_env(fake_slack_url, database_url, oauth=oauth, **overrides))
    upgrade(database_url)
    services = build_services(settings, now=now) if now else build_services(settings)
    services.identity.learn_now()  # as a server knows its workspace a moment after its first request
    app = build_wsgi(settings, services)
    if now is None:  # as in a `ladder serve` worker, its senders send what requests write to the outbox (answers too);
        start_senders(services, settings)  # a test with its own clock sends by draining the outbox itself
    else:  # and its clock stands still unless it moves it: paced to Slack's limits, a drain would send only a burst
        services.sender.pacer = Pacer.unlimited(lambda: now().timestamp())  # (a 429 still pauses what it limited)
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield RunningLadder(url, services, SlackSender(url, SIGNING_SECRET), settings, app)
    finally:
        server.shutdown()
        server.server_close()
        services.close(timeout=5)


@pytest.fixture
def ladder(fake_slack, tmp_path) -> Iterator[RunningLadder]:
    with running_ladder(fake_slack.url, tmp_path) as running:
        yield running


@pytest.fixture
def oauth_ladder(fake_slack, tmp_path, database_url) -> Iterator[RunningLadder]:
    """The app installed with OAuth ("Add to Slack") on SQLite and PostgreSQL: no workspace until a test installs one."""
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, oauth=True) as running:
        yield running


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]
    """Lower-cased names."""


def browse(url: str, cookie: str | None = None) -> Page:
    """GET ``url`` as a browser would (no redirect followed), with ``cookie`` if given."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Page(response.status, response.read().decode(), {k.lower(): v for k, v in response.headers.items()})
    except urllib.error.HTTPError as error:
        return Page(error.code, error.read().decode(), {k.lower(): v for k, v in error.headers.items()})


@dataclass
class Install:
    """What an install through Add to Slack gave: the pages the installer saw, and the token Slack issued."""

    install_page: Page
    authorize_url: str
    redirect_page: Page
    token: str | None


def add_to_slack(
    ladder: RunningLadder,
    fake: Any,
    team: str | None = None,
    *,
    enterprise: str | None = None,
    installer: str = "U0INSTALLER",
    rotation: bool = False,
    scopes: Any = None,
) -> Install:
    """Install Ladder as a person does: open /slack/install, follow "Add to Slack" (Slack approves: the fake issues a
    code for ``team``, or org-wide for ``enterprise``), come back to /slack/oauth_redirect with the code and state."""
    page = browse(f"{ladder.url}/slack/install")
    assert page.status == 200, page
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.body)
    assert found, page.body
    authorize_url = html.unescape(found.group(1))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize_url).query)
    cookie = page.headers.get("set-cookie", "").split(";", 1)[0]
    code = fake.install_code(team, enterprise=enterprise, installer=installer, rotation=rotation, scopes=scopes)
    back = urllib.parse.urlencode({"code": code, "state": query["state"][0]})
    redirect = browse(f"{ladder.url}/slack/oauth_redirect?{back}", cookie=cookie)
    tenant = enterprise if team is None else team
    live = [i for i in fake.installations(tenant) if not i.revoked]
    return Install(page, authorize_url, redirect, live[-1].token if live and redirect.status == 200 else None)


class EnterpriseSender(SlackSender):
    """What Slack sends from a workspace of Enterprise Grid organisation ``enterprise_id``: the same requests as
    :class:`SlackSender` (pass each one's workspace as ``team_id``), carrying the enterprise, and
    ``is_enterprise_install: true`` for an app installed org-wide (``org_wide``), where Slack puts them."""

    def __init__(self, ladder: RunningLadder, enterprise_id: str, *, org_wide: bool = True) -> None:
        super().__init__(ladder.url, SIGNING_SECRET)
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide

    def _post(self, body: bytes, content_type: str, **opts: Any) -> tuple[int, str, dict[str, str]]:
        enterprise, org_wide = self.enterprise_id, self.org_wide
        if "json" in content_type:
            envelope = json.loads(body)
            envelope["enterprise_id"] = envelope["context_enterprise_id"] = enterprise
            for authorization in envelope.get("authorizations") or []:
                authorization.update(enterprise_id=enterprise, is_enterprise_install=org_wide)
            body = json.dumps(envelope).encode()
        else:
            form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
            if "payload" in form:
                payload = json.loads(form["payload"])
                payload["enterprise"] = {"id": enterprise, "name": enterprise}
                payload["is_enterprise_install"] = org_wide
                form["payload"] = json.dumps(payload)
            else:
                form.update(enterprise_id=enterprise, enterprise_name=enterprise, is_enterprise_install=str(org_wide).lower())
            body = urllib.parse.urlencode(form).encode()
        return super()._post(body, content_type, **opts)
