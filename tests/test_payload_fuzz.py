"""Signed payloads of every shape: the bot answers 2xx or 4xx, never 500 (property-based).

Slack signs what it sends, so only a leaked secret or a Slack bug could produce these; the point
is that no payload, however odd, can make a request fail with a traceback.
"""

from __future__ import annotations

import io
import json
import urllib.parse
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.runtime.wsgi import build_wsgi
from storage.migrate import upgrade
from tests.app_server import SIGNING_SECRET, ladder_env
from tests.slack_requests import sign

TYPES = ["event_callback", "block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion",
         "url_verification", "interactive_message", "app_rate_limited", "app_mention", "message", "app_home_opened"]  # fmt: skip
KEYS = ["type", "event", "team", "team_id", "user", "user_id", "channel", "channel_id", "enterprise", "enterprise_id", "view",
        "actions", "authorizations", "callback_id", "command", "text", "trigger_id", "response_url", "message", "container",
        "event_id", "api_app_id", "subtype", "thread_ts", "ts", "bot_id", "channel_type", "id", "state", "challenge",
        "previous_message", "item", "is_enterprise_install", "action_id", "block_id", "value", "tab"]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.sampled_from(TYPES),
    st.sampled_from(["T0TEST", "U1", "C1", "/ladder"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=20,
)
objects = st.dictionaries(st.sampled_from(KEYS), values, max_size=5)
anything = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
events = st.fixed_dictionaries(
    {"type": st.just("event_callback"), "team_id": st.just("T0TEST"), "event_id": st.text(min_size=1, max_size=8),
     "event": st.fixed_dictionaries({"type": st.sampled_from(["app_mention", "message", "app_home_opened", "reaction_added"])},
                                    optional={k: values for k in ("user", "channel", "text", "ts", "thread_ts", "channel_type", "subtype", "bot_id", "message", "previous_message", "blocks")})},
    optional={"authorizations": st.lists(objects, max_size=2), "api_app_id": values},
)  # fmt: skip
interactions = st.fixed_dictionaries(
    {"type": st.sampled_from(["block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion"]),
     "team": st.just({"id": "T0TEST"}), "user": st.just({"id": "U1"})},
    optional={"actions": st.lists(objects, min_size=1, max_size=2), "view": objects, "callback_id": values, "trigger_id": values,
              "container": objects, "channel": objects, "message": objects, "response_url": values, "action_id": values, "value": values},
)  # fmt: skip
commands = st.fixed_dictionaries(
    {"command": st.sampled_from(["/ladder", "/other"]), "team_id": st.just("T0TEST"), "user_id": st.just("U1")},
    optional={"text": st.text(max_size=40), "channel_id": st.text(max_size=5), "response_url": st.text(max_size=10), "trigger_id": st.text(max_size=5)},
)  # fmt: skip
envelopes = st.one_of(anything, events, interactions, commands)


@pytest.fixture(scope="module")
def wsgi(tmp_path_factory) -> Any:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ladder.db'}"
    upgrade(database_url)
    settings = Settings.from_env(ladder_env("http://127.0.0.1:9/api/", database_url))  # Slack unreachable: nothing here needs it
    services = build_services(settings)
    yield build_wsgi(settings, services)
    services.close(timeout=0)


def status_of(app: Any, body: bytes, content_type: str) -> int:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sign(SIGNING_SECRET, body).items()},
    }
    seen: list[str] = []
    answer = app(environ, lambda status, headers: seen.append(status))
    b"".join(answer)
    if hasattr(answer, "close"):  # as every WSGI server does once the body is written (PEP 3333)
        answer.close()
    return int(seen[0].split()[0])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(envelope=envelopes, encoding=st.sampled_from(["json", "payload", "form"]))
def test_no_signed_payload_makes_a_500(wsgi, envelope, encoding):
    if encoding == "json":
        body, content_type = json.dumps(envelope).encode(), "application/json"
    elif encoding == "payload":
        body, content_type = (
            urllib.parse.urlencode({"payload": json.dumps(envelope)}).encode(),
            "application/x-www-form-urlencoded",
        )
    else:
        flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in envelope.items()}
        body, content_type = urllib.parse.urlencode(flat).encode(), "application/x-www-form-urlencoded"
    assert status_of(wsgi, body, content_type) in (200, 400, 404)
