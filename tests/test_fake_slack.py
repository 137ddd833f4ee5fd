"""The fake Slack is test infrastructure: check it refuses what Slack refuses, so the other tests mean something."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.slack_requests import SlackSender, sign

OPTION = {"text": {"type": "plain_text", "text": "o"}, "value": "o"}


@pytest.fixture(autouse=True)
def _refusals_are_the_point(fake_slack):
    """Every test here sends what Slack refuses, on purpose."""
    fake_slack.expect_refusals()


@pytest.fixture
def client(fake_slack):
    return WebClient(token="xoxb-test-token", base_url=fake_slack.url)


def test_a_valid_message_is_recorded_with_its_blocks(client, fake_slack):
    client.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}])
    [call] = fake_slack.calls("chat.postMessage")
    assert call.args["blocks"][0]["text"]["text"] == "hi"


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "divider"}] * 51,
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{"type": "section"}],
        [{"type": "bogus"}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}, "colour": "red"}],  # a key Slack does not know
        [{"type": "actions", "elements": []}],
        [{"type": "actions", "elements": ["not an element"]}],
        [{"type": "actions", "elements": [{"type": "button", "text": {"type": "mrkdwn", "text": "Go"}, "action_id": "go"}]}],
        [{"type": "image", "image_url": "https://example.com/x.png"}],
        [{"type": "image", "alt_text": "a ladder"}],
    ],
)
def test_blocks_slack_would_refuse_are_refused(client, blocks):
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x", blocks=blocks)
    assert raised.value.response["error"] == "invalid_blocks"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_a_message_with_no_text_and_no_blocks_is_refused(client):
    with pytest.raises(SlackApiError, match="no_text"):
        client.chat_postMessage(channel="C1", text="")


def test_a_bad_token_is_refused(fake_slack):
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-wrong", base_url=fake_slack.url).auth_test()


def test_a_modal_title_over_24_characters_is_refused(client):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_open(trigger_id="1.2", view=view)


def test_rate_limits_answer_429_with_retry_after(fake_slack):
    fake_slack.rate_limit_next("auth.test", times=1, retry_after=1)
    retrying = WebClient(
        token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )
    assert retrying.auth_test()["ok"]
    assert [c.rate_limited for c in fake_slack.calls("auth.test")] == [True, False]


def test_users_are_found_by_email_and_id(client, fake_slack):
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    assert client.users_lookupByEmail(email="ada@example.com")["user"]["id"] == "U0ADA"
    assert client.users_info(user="U0ADA")["user"]["profile"]["email"] == "ada@example.com"
    with pytest.raises(SlackApiError, match="users_not_found"):
        client.users_lookupByEmail(email="nobody@example.com")


def test_requests_are_signed_as_slack_signs_them():
    body = b"token=x&text=staff"
    headers = sign("secret", body)
    verifier = SignatureVerifier("secret")
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])


def test_a_call_without_a_token_is_not_authed(fake_slack):
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=fake_slack.url).auth_test()


def test_form_encoded_blocks_are_decoded_and_checked(client, fake_slack):
    blocks = [{"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "x"}}]
    client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks)})
    assert fake_slack.calls("chat.postMessage")[0].args["blocks"] == blocks
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks * 2)})  # duplicate block_id


@pytest.mark.parametrize(
    "element, label",
    [
        ({"type": "plain_text_input", "action_id": "a", "max_length": 3001}, "Why"),
        ({"type": "radio_buttons", "action_id": "a", "options": [OPTION] * 11}, "Pick"),
        ({"type": "plain_text_input", "action_id": "a"}, None),
    ],
)
def test_inputs_slack_would_refuse_are_refused(client, element, label):
    block = {"type": "input", "element": element, **({"label": {"type": "plain_text", "text": label}} if label else {})}
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Ladder"}, "blocks": [block]}
    with pytest.raises(SlackApiError, match="invalid_arguments") as raised:
        client.views_open(trigger_id="1.2", view=view)
    assert raised.value.response["response_metadata"]["messages"]


def test_a_valid_modal_opens(client):
    block = {"type": "input", "label": {"type": "plain_text", "text": "Why"}, "element": {"type": "plain_text_input"}}
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 24}, "blocks": [block]}
    assert client.views_open(trigger_id="1.2", view=view)["view"]["id"].startswith("V")


def test_fail_next_fails_once(client, fake_slack):
    fake_slack.fail_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="C1", text="hi")
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


def test_response_url_posts_are_recorded_and_checked(fake_slack):
    hook = WebhookClient(fake_slack.response_url + "T0TEST/1/abc")
    assert json.loads(hook.send(text="hi", response_type="ephemeral").body) == {"ok": True}
    assert json.loads(hook.send(text="", blocks=[{"type": "divider"}] * 51).body)["error"] == "invalid_blocks"
    assert [c.args["text"] for c in fake_slack.wait_for("response_url", count=2)] == ["hi", ""]


def test_wait_for_says_what_arrived_instead(client, fake_slack):
    client.auth_test()
    with pytest.raises(AssertionError, match="auth.test"):
        fake_slack.wait_for("chat.postMessage", timeout=0.05)


def test_the_sender_signs_and_shapes_requests_as_slack_does():
    received: list[tuple[dict[str, str], bytes]] = []

    class Capture(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append((dict(self.headers.items()), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sender = SlackSender(f"http://127.0.0.1:{server.server_port}", "secret")
        assert sender.slash_command("staff engineer")[0] == 200
        sender.app_mention("<@U0BOT> hi", thread_ts="1.2", event_id="Ev1", retry_num=1, retry_reason="http_timeout")
        sender.slash_command("x", bad_signature=True)
        sender.slash_command("x", timestamp_offset=-600)
    finally:
        server.shutdown()
        server.server_close()

    verifier = SignatureVerifier("secret")
    valid = [verifier.is_valid_request(body, headers) for headers, body in received]
    assert valid == [True, True, False, False]
    form = dict(urllib.parse.parse_qsl(received[0][1].decode()))
    assert form["command"] == "/ladder" and form["text"] == "staff engineer" and form["team_id"] == "T0TEST"
    assert {"trigger_id", "response_url", "api_app_id", "user_id", "channel_id"} <= form.keys()
    headers, body = received[1]
    envelope = json.loads(body)
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev1"
    assert envelope["event"]["type"] == "app_mention" and envelope["event"]["thread_ts"] == "1.2"
    assert headers["X-Slack-Retry-Num"] == "1" and headers["X-Slack-Retry-Reason"] == "http_timeout"


def test_a_post_with_no_channel_and_an_ephemeral_with_no_user_are_refused(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    for method, args, error in [
        ("chat.postMessage", {"text": "hi"}, "channel_not_found"),
        ("chat.postEphemeral", {"channel": "C1", "text": "hi"}, "invalid_arguments"),
    ]:
        with pytest.raises(SlackApiError) as raised:
            client.api_call(method, json=args)
        assert raised.value.response["error"] == error


def test_refusals_caused_by_the_bot_are_reported_and_provoked_ones_are_not(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    fake_slack.fail_next("chat.postMessage", "internal_error")
    for blocks in ([{"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}], [{"type": "bogus"}]):
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="C1", text="x", blocks=blocks)
    (refused,) = fake_slack.unexpected_refusals()  # the bogus block, not the failure the test asked for
    assert refused.answer["error"] == "invalid_blocks"
