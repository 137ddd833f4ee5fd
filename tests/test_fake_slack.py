"""The fake Slack is test infrastructure: check it refuses what Slack refuses, so the other tests mean something."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.metadata import Metadata
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fake_slack import FakeSlack
from tests.modal_filler import fill
from tests.slack_requests import SlackSender, sign
from tests.slack_scopes import IM, METHOD_SCOPES, PRIVATE, PUBLIC, manifest_bot_scopes, needed_scope, scopes_needed

SAMPLES = Path(__file__).resolve().parent / "data" / "slack" / "samples"

OPTION = {"text": {"type": "plain_text", "text": "o"}, "value": "o"}
SUBMIT = {"type": "plain_text", "text": "Save"}


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


def test_a_modal_title_over_24_characters_is_refused(client, fake_slack):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_open(trigger_id=fake_slack.issue_trigger_id(), view=view)


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
def test_inputs_slack_would_refuse_are_refused(client, fake_slack, element, label):
    block = {"type": "input", "element": element, **({"label": {"type": "plain_text", "text": label}} if label else {})}
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Ladder"}, "submit": SUBMIT, "blocks": [block]}
    with pytest.raises(SlackApiError, match="invalid_arguments") as raised:
        client.views_open(trigger_id=fake_slack.issue_trigger_id(), view=view)
    assert raised.value.response["response_metadata"]["messages"]


def test_a_valid_modal_opens(client, fake_slack):
    block = {"type": "input", "label": {"type": "plain_text", "text": "Why"}, "element": {"type": "plain_text_input"}}
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 24}, "submit": SUBMIT, "blocks": [block]}
    assert client.views_open(trigger_id=fake_slack.issue_trigger_id(), view=view)["view"]["id"].startswith("V")


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


# -- a clock the test moves ---------------------------------------------------------------------


class Clock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:  # 2025-06-15, British Summer Time
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def slack(clock):
    """A fake Slack on the test's clock, and a client for it that does not retry."""
    with FakeSlack(now=clock) as fake:
        fake.expect_refusals()
        yield fake, WebClient(token="xoxb-test-token", base_url=fake.url, retry_handlers=[])


def refusal(call, *args, **kwargs) -> dict:
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    return raised.value.response


# -- a sustained rate limit ---------------------------------------------------------------------


def test_a_sustained_rate_limit_answers_429_with_retry_after_once_the_burst_is_spent(slack, clock):
    fake, client = slack
    fake.limit_rate("chat.postMessage", per_second=0.25, burst=2)
    assert client.chat_postMessage(channel="C1", text="1")["ok"] and client.chat_postMessage(channel="C1", text="2")["ok"]
    answer = refusal(client.chat_postMessage, channel="C1", text="3")
    assert (answer.status_code, answer.headers["Retry-After"], answer["error"]) == (429, "4", "ratelimited")
    clock.advance(3)
    assert refusal(client.chat_postMessage, channel="C1", text="3").headers["Retry-After"] == "1"
    clock.advance(1)
    assert client.chat_postMessage(channel="C1", text="3")["ok"]  # waited as told
    assert client.auth_test()["ok"]  # other methods are not limited
    limited = [c for c in fake.calls("chat.postMessage") if c.rate_limited]
    assert len(limited) == 2 and all(c.provoked and not c.carried_out for c in limited)
    assert fake.calls_carried_out("chat.postMessage") == 3 and fake.unexpected_refusals() == []
    assert [m["text"] for m in fake.messages("C1")] == ["1", "2", "3"]  # what was refused was not posted


def test_retry_after_is_at_least_one_second(slack):
    fake, client = slack
    fake.limit_rate("chat.postMessage", per_second=100, burst=1)
    client.chat_postMessage(channel="C1", text="1")
    assert refusal(client.chat_postMessage, channel="C1", text="2").headers["Retry-After"] == "1"


def test_a_sustained_rate_limit_lets_through_the_rate_plus_the_burst(slack, clock):
    fake, _ = slack
    fake.limit_rate("chat.postMessage", per_second=50)  # burst defaults to 50
    headers = {"Authorization": "Bearer xoxb-test-token"}
    statuses = []
    for _ in range(10_000):  # 100 attempts a second for 100 seconds, as fast as the bot could
        statuses.append(fake.handle("chat.postMessage", {"channel": "C1", "text": "x"}, headers)[0])
        clock.advance(0.01)
    assert statuses.count(200) == fake.calls_carried_out("chat.postMessage")
    assert 50 + 50 * 100 - 1 <= statuses.count(200) <= 50 + 50 * 100  # the burst, then 50 a second (the last 0.01 s is short)
    assert set(statuses) == {200, 429}


def test_a_sustained_rate_limit_holds_in_real_time_over_http(fake_slack):
    fake_slack.limit_rate("auth.test", per_second=20, burst=1)
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    started = time.monotonic()
    while time.monotonic() - started < 1.0:
        try:
            client.auth_test()
        except SlackApiError as error:
            assert error.response.status_code == 429
    elapsed = time.monotonic() - started
    assert 15 <= fake_slack.calls_carried_out("auth.test") <= 1 + 20 * elapsed + 1


# -- direct messages and history ----------------------------------------------------------------


def test_a_post_to_a_user_lands_in_their_dm_and_history_has_it_newest_first(slack, clock):
    fake, client = slack
    fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    posted = client.chat_postMessage(
        channel="U0ADA", text="first", metadata={"event_type": "checkin_due", "event_payload": {"id": 7}}
    )
    assert posted["channel"] == "DU0ADA" == client.conversations_open(users="U0ADA")["channel"]["id"]
    clock.advance(60)
    second = client.chat_postMessage(
        channel="DU0ADA", text="second", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*second*"}}]
    )
    assert second["channel"] == "DU0ADA" and float(second["ts"]) > float(posted["ts"])

    history = client.conversations_history(channel="DU0ADA")
    assert [m["text"] for m in history["messages"]] == ["second", "first"] and history["has_more"] is False
    assert all(m["user"] == "U0BOT" and m["bot_id"] == "B0BOT" for m in history["messages"])
    assert history["messages"][0]["blocks"][0]["block_id"]  # Slack names the blocks the bot did not
    assert "metadata" not in history["messages"][1]
    with_metadata = client.conversations_history(channel="DU0ADA", include_all_metadata=True)["messages"]
    assert with_metadata[1]["metadata"] == {"event_type": "checkin_due", "event_payload": {"id": 7}}

    assert [m["text"] for m in client.conversations_history(channel="DU0ADA", oldest=posted["ts"])["messages"]] == ["second"]
    assert [m["text"] for m in client.conversations_history(channel="DU0ADA", latest=second["ts"])["messages"]] == ["first"]
    assert [
        m["text"] for m in client.conversations_history(channel="DU0ADA", latest=second["ts"], inclusive=True)["messages"]
    ] == ["second", "first"]
    page = client.conversations_history(channel="DU0ADA", limit=1)
    assert [m["text"] for m in page["messages"]] == ["second"] and page["has_more"]
    rest = client.conversations_history(channel="DU0ADA", limit=1, cursor=page["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == ["first"] and not rest["has_more"]
    fake.add_channel("C0EMPTY", "panel", private=True)
    assert client.conversations_history(channel="C0EMPTY")["messages"] == []
    assert refusal(client.conversations_history, channel="U0ADA")["error"] == "channel_not_found"
    assert [m["text"] for m in fake.messages("U0ADA")] == ["first", "second"]


def test_metadata_may_come_as_a_json_string_or_an_sdk_object(slack):
    fake, client = slack
    client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "x", "metadata": json.dumps({"event_type": "a", "event_payload": {}})}
    )
    client.chat_postMessage(channel="C1", text="y", metadata=Metadata(event_type="b", event_payload={"k": "v"}))
    assert [m["metadata"]["event_type"] for m in fake.messages("C1")] == ["a", "b"]


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        {"event_payload": {}},
        {"event_type": "", "event_payload": {}},
        {"event_type": "a"},
        {"event_type": "a", "event_payload": [1]},
    ],
)
def test_malformed_metadata_is_refused(slack, metadata):
    fake, client = slack
    args = {"channel": "C1", "text": "x", "metadata": metadata}
    assert refusal(client.api_call, "chat.postMessage", json=args)["error"] == "invalid_metadata_format"
    assert fake.messages("C1") == []


# -- users ------------------------------------------------------------------------------------


def test_users_info_has_slacks_shape_with_the_time_zone_at_the_fakes_clock(slack, clock):
    fake, client = slack
    fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")  # the old positional call: Europe/London
    fake.add_user("U0GRACE", "grace@example.com", "Grace Hopper", tz="America/Los_Angeles", is_admin=True)
    ada = client.users_info(user="U0ADA")["user"]
    assert (ada["tz"], ada["tz_label"], ada["tz_offset"], ada["is_admin"], ada["deleted"]) == (
        "Europe/London",
        "British Summer Time",
        3600,
        False,
        False,
    )
    assert ada["profile"]["email"] == "ada@example.com" and ada["real_name"] == "Ada Lovelace"
    grace = client.users_info(user="U0GRACE")["user"]
    assert (grace["tz_label"], grace["tz_offset"], grace["is_admin"]) == ("Pacific Daylight Time", -7 * 3600, True)
    clock.advance(180 * 86400)  # December
    assert (client.users_info(user="U0ADA")["user"]["tz_label"], client.users_info(user="U0ADA")["user"]["tz_offset"]) == (
        "Greenwich Mean Time",
        0,
    )
    fake.change_user("U0ADA", tz="Asia/Kolkata", real_name="Ada King")
    ada = client.users_info(user="U0ADA")["user"]
    assert (ada["tz"], ada["tz_label"], ada["tz_offset"], ada["real_name"]) == (
        "Asia/Kolkata",
        "India Standard Time",
        19800,
        "Ada King",
    )
    assert fake.user_object("U0ADA") == ada
    with pytest.raises(TypeError):
        fake.change_user("U0ADA", shoe_size=9)


def test_users_info_keys_are_those_slack_sends():
    user = sample("UserChangePayload.json")["event"]["user"]
    with FakeSlack() as fake:
        fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
        ours = fake.user_object("U0ADA")
    assert set(ours) <= set(user) and set(ours["profile"]) <= set(user["profile"])


def test_a_disabled_user_shows_deleted_and_cannot_be_messaged(slack):
    fake, client = slack
    fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    fake.disable_user("U0ADA")
    assert client.users_info(user="U0ADA")["user"]["deleted"] is True
    for channel in ("U0ADA", "DU0ADA"):
        assert refusal(client.chat_postMessage, channel=channel, text="hi")["error"] == "user_disabled"
    assert refusal(client.conversations_open, users="U0ADA")["error"] == "user_disabled"
    assert fake.messages("U0ADA") == []
    assert all(c.provoked for c in fake.calls("chat.postMessage")) and fake.unexpected_refusals() == []


# -- Do Not Disturb -------------------------------------------------------------------------------


def test_dnd_info_shows_the_bot_a_dnd_period_but_never_someone_elses_snooze(slack, clock):
    fake, client = slack
    fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    quiet = client.dnd_info(user="U0ADA")
    assert (quiet["dnd_enabled"], quiet["next_dnd_start_ts"], quiet["next_dnd_end_ts"]) == (False, 1, 1)
    assert not any(
        key.startswith("snooze") for key in quiet.data
    )  # "only visible if the user being queried is also the current user"

    fake.set_dnd("U0ADA", until=clock.now + 3600)
    busy = client.dnd_info(user="U0ADA")
    assert busy["dnd_enabled"] and busy["next_dnd_start_ts"] <= clock.now < busy["next_dnd_end_ts"] == int(clock.now + 3600)
    fake.set_dnd("U0ADA", until=clock.now + 7200, start=clock.now + 3600)
    later = client.dnd_info(user="U0ADA")
    assert later["dnd_enabled"] and clock.now < later["next_dnd_start_ts"]
    clock.advance(7200)
    assert client.dnd_info(user="U0ADA")["dnd_enabled"] is False  # over

    fake.set_dnd("U0ADA", until=clock.now + 600, snooze=True)
    assert client.dnd_info(user="U0ADA")["dnd_enabled"] is False  # a snooze is the person's own business
    fake.set_dnd("U0BOT", until=clock.now + 600, snooze=True)
    own = client.dnd_info()
    assert (own["snooze_enabled"], own["snooze_endtime"], own["snooze_remaining"]) == (True, int(clock.now + 600), 600)
    fake.set_dnd("U0BOT", until=clock.now)  # cleared
    assert client.dnd_info()["snooze_enabled"] is False and "snooze_endtime" not in client.dnd_info().data
    assert refusal(client.dnd_info, user="U0NOBODY")["error"] == "user_not_found"


# -- views ----------------------------------------------------------------------------------------


def modal(title: str = "Check-in", **extra) -> dict:
    block = {"type": "input", "label": {"type": "plain_text", "text": "Why"}, "element": {"type": "plain_text_input"}}
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "submit": SUBMIT, "blocks": [block], **extra}


def home(text: str = "Hello") -> dict:
    return {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def test_a_view_is_kept_and_answered_whole_with_a_new_hash_on_each_change(slack):
    fake, client = slack
    opened = client.views_open(
        trigger_id=fake.issue_trigger_id("U0ADA"), view=modal(callback_id="checkin", private_metadata="7")
    )["view"]
    assert {"id", "team_id", "type", "blocks", "private_metadata", "callback_id", "state", "hash", "title", "submit", "close",
            "notify_on_close", "clear_on_close", "external_id", "root_view_id", "previous_view_id", "app_id", "bot_id"} <= set(opened)  # fmt: skip
    assert (opened["callback_id"], opened["private_metadata"], opened["state"], opened["root_view_id"]) == (
        "checkin",
        "7",
        {"values": {}},
        opened["id"],
    )
    block = opened["blocks"][0]
    assert block["block_id"] and block["element"]["action_id"]  # generated, as Slack does
    assert fake.view(opened["id"]) == opened and fake.open_views("U0ADA") == [opened] and fake.open_views("U0GRACE") == []

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Step 2"))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"] and updated["title"]["text"] == "Step 2"
    assert (
        refusal(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal("Step 3"))["error"] == "hash_conflict"
    )
    assert client.views_update(view_id=opened["id"], view=modal("Step 3"))["ok"]  # no hash: last write wins
    assert refusal(client.views_update, view_id="VNOPE", view=modal())["error"] == "not_found"
    assert refusal(client.api_call, "views.update", json={"view": modal()})["error"] == "invalid_arguments"
    assert (
        refusal(client.views_update, view_id=opened["id"], view=home())["error"] == "invalid_arguments"
    )  # a modal stays a modal
    assert fake.view(opened["id"])["title"]["text"] == "Step 3"


def test_a_view_is_updated_by_its_external_id_which_is_unique(slack):
    fake, client = slack
    opened = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=modal(external_id="checkin-7"))["view"]
    assert (
        client.views_update(external_id="checkin-7", view=modal("Again", external_id="checkin-7"))["view"]["id"] == opened["id"]
    )
    assert refusal(client.views_update, external_id="checkin-8", view=modal())["error"] == "not_found"
    taken = refusal(client.views_open, trigger_id=fake.issue_trigger_id("U0ADA"), view=modal(external_id="checkin-7"))
    assert taken["error"] == "duplicate_external_id"


def test_a_trigger_id_opens_one_modal_within_three_seconds(slack, clock):
    fake, client = slack
    trigger = fake.issue_trigger_id("U0ADA")
    assert client.views_open(trigger_id=trigger, view=modal())["ok"]
    assert refusal(client.views_open, trigger_id=trigger, view=modal())["error"] == "exchanged_trigger_id"
    late = fake.issue_trigger_id("U0ADA")
    clock.advance(3.5)
    assert refusal(client.views_open, trigger_id=late, view=modal())["error"] == "expired_trigger_id"
    assert refusal(client.views_open, trigger_id="12345.98765.made-up", view=modal())["error"] == "expired_trigger_id"
    assert refusal(client.views_open, trigger_id="expired-on-purpose", view=modal())["error"] == "expired_trigger_id"
    assert refusal(client.api_call, "views.open", json={"view": modal()})["error"] == "invalid_arguments"
    refused = {c.args.get("trigger_id") for c in fake.unexpected_refusals()}
    assert "expired-on-purpose" not in refused and {trigger, late, "12345.98765.made-up"} <= refused
    bad_view = refusal(client.views_open, trigger_id=(kept := fake.issue_trigger_id("U0ADA")), view=modal("x" * 25))
    assert (
        bad_view["error"] == "invalid_arguments" and client.views_open(trigger_id=kept, view=modal())["ok"]
    )  # not spent on a refusal
    assert refusal(client.views_open, trigger_id=fake.issue_trigger_id("U0ADA"), view=home())["error"] == "invalid_arguments"


def test_a_pushed_view_stacks_on_the_open_one(slack):
    fake, client = slack
    root = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=modal())["view"]
    pushed = client.views_push(trigger_id=fake.issue_trigger_id("U0ADA"), view=modal("More"))["view"]
    assert (pushed["previous_view_id"], pushed["root_view_id"]) == (root["id"], root["id"])
    assert [v["id"] for v in fake.open_views("U0ADA")] == [root["id"], pushed["id"]]


def test_the_home_tab_is_published_per_user_and_keeps_its_id(slack):
    fake, client = slack
    assert fake.home_of("U0ADA") is None
    first = client.views_publish(user_id="U0ADA", view=home("one"))["view"]
    second = client.views_publish(user_id="U0ADA", view=home("two"), hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["hash"] != first["hash"]
    assert fake.home_of("U0ADA")["blocks"][0]["text"]["text"] == "two" and fake.home_of("U0GRACE") is None
    assert refusal(client.views_publish, user_id="U0ADA", view=home("three"), hash=first["hash"])["error"] == "hash_conflict"
    assert refusal(client.views_publish, user_id="U0ADA", view=modal())["error"] == "invalid_arguments"
    assert refusal(client.api_call, "views.publish", json={"view": home()})["error"] == "invalid_arguments"


def options(count: int, text: str = "o", value: str = "o") -> list[dict]:
    return [{"text": {"type": "plain_text", "text": f"{text}{i}"}, "value": f"{value}{i}"} for i in range(count)]


def text_input(**element) -> dict:
    return {"type": "input", "label": {"type": "plain_text", "text": "Why"}, "element": {"type": "plain_text_input", **element}}


def labelled(element: dict, **block) -> dict:
    return {"type": "input", "label": {"type": "plain_text", "text": "Pick"}, "element": element, **block}


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"submit": None}, id="input blocks without a submit button"),
        pytest.param({"submit": {"type": "plain_text", "text": "x" * 25}}, id="submit over 24"),
        pytest.param({"close": {"type": "mrkdwn", "text": "Close"}}, id="close not plain_text"),
        pytest.param({"title": {"type": "mrkdwn", "text": "Ladder"}}, id="title not plain_text"),
        pytest.param({"title": None}, id="no title"),
        pytest.param({"type": "bogus"}, id="unknown type"),
        pytest.param({"blocks": [{"type": "divider"}] * 101}, id="101 blocks"),
        pytest.param({"callback_id": "c" * 256}, id="callback_id over 255"),
        pytest.param({"private_metadata": "m" * 3001}, id="private_metadata over 3000"),
        pytest.param({"external_id": "e" * 256}, id="external_id over 255"),
        pytest.param({"blocks": [{**text_input(), "label": {"type": "plain_text", "text": "l" * 2001}}]}, id="label over 2000"),
        pytest.param({"blocks": [{**text_input(), "hint": {"type": "plain_text", "text": "h" * 2001}}]}, id="hint over 2000"),
        pytest.param({"blocks": [{**text_input(), "block_id": "b" * 256}]}, id="block_id over 255"),
        pytest.param({"blocks": [{**text_input(), "block_id": "b"}, {**text_input(), "block_id": "b"}]}, id="duplicate block_id"),
        pytest.param({"blocks": [text_input(action_id="a" * 256)]}, id="action_id over 255"),
        pytest.param(
            {"blocks": [{"type": "actions", "elements": [{"type": "button", "text": SUBMIT, "action_id": "a"}] * 2}]},
            id="duplicate action_id in a block",
        ),
        pytest.param({"blocks": [labelled({"type": "button", "text": SUBMIT, "action_id": "a"})]}, id="a button in an input"),
        pytest.param({"blocks": [labelled({"type": "static_select", "options": []})]}, id="no options"),
        pytest.param({"blocks": [labelled({"type": "static_select", "options": options(101)})]}, id="101 options"),
        pytest.param({"blocks": [labelled({"type": "checkboxes", "options": options(11)})]}, id="11 checkboxes"),
        pytest.param(
            {"blocks": [labelled({"type": "static_select", "options": options(1, text="t" * 76)})]}, id="option text over 75"
        ),
        pytest.param(
            {"blocks": [labelled({"type": "static_select", "options": options(1, value="v" * 151)})]}, id="option value over 150"
        ),
        pytest.param(
            {
                "blocks": [
                    labelled(
                        {
                            "type": "radio_buttons",
                            "options": [{**OPTION, "description": {"type": "plain_text", "text": "d" * 76}}],
                        }
                    )
                ]
            },
            id="description over 75",
        ),
        pytest.param(
            {"blocks": [labelled({"type": "static_select", "options": options(2), "initial_option": options(3)[2]})]},
            id="initial option not offered",
        ),
        pytest.param(
            {"blocks": [labelled({"type": "checkboxes", "options": options(2), "initial_options": options(3)[1:]})]},
            id="initial options not offered",
        ),
        pytest.param({"blocks": [text_input(min_length=3001)]}, id="min_length over 3000"),
        pytest.param({"blocks": [labelled({"type": "number_input"})]}, id="number input without is_decimal_allowed"),
        pytest.param(
            {"blocks": [labelled({"type": "datepicker", "initial_date": "15/06/2025"})]}, id="initial date not YYYY-MM-DD"
        ),
    ],
)
def test_modals_slack_would_refuse_are_refused(slack, change):
    fake, client = slack
    view = {key: value for key, value in {**modal(), **change}.items() if value is not None}
    answer = refusal(client.views_open, trigger_id=fake.issue_trigger_id("U0ADA"), view=view)
    assert answer["error"] == "invalid_arguments" and answer["response_metadata"]["messages"]


def checkin_modal() -> View:
    """A modal as a bot would build it with slack_sdk's classes: some ids given, some left to Slack."""
    ratings = [Option(text="Learning", value="1"), Option(text="Doing", value="2"), Option(text="Teaching others", value="3")]
    return View(
        type="modal",
        title="Check-in",
        submit="Save",
        callback_id="checkin",
        blocks=[
            InputBlock(
                block_id="went_well", label="What went well?", element=PlainTextInputElement(action_id="value", multiline=True)
            ),
            InputBlock(
                block_id="goals",
                label="Goals for next month",
                element=PlainTextInputElement(action_id="value", initial_value="Ship it"),
            ),
            InputBlock(label="Obstacles (optional)", optional=True, element=PlainTextInputElement()),
            InputBlock(
                block_id="rating.python",
                label="Python",
                element=StaticSelectElement(action_id="value", placeholder="Rate", options=ratings),
            ),
            InputBlock(
                block_id="rating.sql",
                label="SQL",
                element=RadioButtonsElement(action_id="value", options=ratings, initial_option=ratings[1]),
            ),
            InputBlock(
                block_id="support",
                label="Support you would like",
                optional=True,
                element=CheckboxesElement(
                    action_id="value",
                    options=[Option(text="A mentor", value="mentor"), Option(text="Training", value="training")],
                ),
            ),
            InputBlock(
                block_id="next", label="Next check-in", element=DatePickerElement(action_id="value", initial_date="2025-07-01")
            ),
            InputBlock(
                block_id="mentor",
                label="Mentor",
                optional=True,
                element=UserSelectElement(action_id="value", placeholder="Someone"),
            ),
        ],
    )


def test_a_modal_built_with_slack_sdk_is_filled_in_as_a_person_would(slack):
    fake, client = slack
    opened = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=checkin_modal())["view"]
    view = fake.view(opened["id"])
    obstacles = next(b for b in view["blocks"] if b["label"]["text"].startswith("Obstacles"))
    values = fill(
        view,
        {"What went well": "Shipped the importer", "python": "doing", "support": ["A mentor", "Training"], "mentor": "U0GRACE"},
    )
    rating = lambda text, value: {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}  # noqa: E731
    assert values == {
        "went_well": {"value": {"type": "plain_text_input", "value": "Shipped the importer"}},
        "goals": {"value": {"type": "plain_text_input", "value": "Ship it"}},  # untouched: the initial value goes back
        obstacles["block_id"]: {
            obstacles["element"]["action_id"]: {"type": "plain_text_input", "value": None}
        },  # untouched, optional
        "rating.python": {"value": {"type": "static_select", "selected_option": rating("Doing", "2")}},
        "rating.sql": {"value": {"type": "radio_buttons", "selected_option": rating("Doing", "2")}},
        "support": {
            "value": {"type": "checkboxes", "selected_options": [rating("A mentor", "mentor"), rating("Training", "training")]}
        },
        "next": {"value": {"type": "datepicker", "selected_date": "2025-07-01"}},
        "mentor": {"value": {"type": "users_select", "selected_user": "U0GRACE"}},
    }
    assert (
        fill(view, {"Python": "Learning", "what went": "x", "next check-in": "2025-08-01"})["next"]["value"]["selected_date"]
        == "2025-08-01"
    )


@pytest.mark.parametrize(
    "answers, complaint",
    [
        ({"What went well": "x", "Python": "Expert"}, "not one of the options"),
        ({"What went well": "x", "Python": "Doing", "Shoe size": "9"}, "no input labelled"),
        ({"What went well": "x", "Python": "Doing", "s": "x"}, "matches several inputs"),
        ({"What went well": "x"}, "required"),  # Python has no initial rating
        ({"What went well": "x", "Python": "Doing", "Next check-in": "1 July"}, "YYYY-MM-DD"),
        ({"What went well": "x", "Python": "Doing", "Mentor": "Grace"}, "by id"),
        ({"What went well": "x", "Python": "Doing", "Goals": ""}, "required"),  # cleared by the person
    ],
)
def test_the_filler_refuses_what_a_person_could_not_do(slack, answers, complaint):
    fake, client = slack
    view = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=checkin_modal())["view"]
    with pytest.raises(AssertionError, match=complaint):
        fill(view, answers)


def test_a_hostile_client_may_submit_required_inputs_empty(slack):
    fake, client = slack
    view = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=checkin_modal())["view"]
    values = fill(view, {}, allow_empty_required=True)
    assert values["went_well"]["value"] == {"type": "plain_text_input", "value": None}
    assert values["rating.python"]["value"] == {"type": "static_select", "selected_option": None}
    assert values["support"]["value"] == {"type": "checkboxes", "selected_options": []}


def test_the_filler_needs_the_view_as_slack_holds_it():
    with pytest.raises(AssertionError, match="as Slack holds it"):
        fill(checkin_modal().to_dict(), {"What went well": "x", "Python": "Doing"})  # the Obstacles input has no ids yet


def test_the_filler_keeps_to_number_and_length_limits():
    view = {
        "type": "modal",
        "blocks": [
            {"type": "input", "block_id": "n", "label": {"type": "plain_text", "text": "Years"},
             "element": {"type": "number_input", "action_id": "v", "is_decimal_allowed": False, "min_value": "0", "max_value": "60"}},
            {"type": "input", "block_id": "t", "label": {"type": "plain_text", "text": "Note"},
             "element": {"type": "plain_text_input", "action_id": "v", "max_length": 5}, "optional": True},
        ],
    }  # fmt: skip
    assert fill(view, {"Years": "12"})["n"]["v"] == {"type": "number_input", "value": "12"}
    for answers in ({"Years": "1.5"}, {"Years": "61"}, {"Years": "twelve"}, {"Years": "3", "Note": "too long"}):
        with pytest.raises(AssertionError):
            fill(view, answers)


# -- what the sender sends ------------------------------------------------------------------------


@contextlib.contextmanager
def captured() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A server that records what it is sent: (its url, [(headers, body), ...])."""
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
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()


def payload_of(body: bytes) -> dict:
    return json.loads(dict(urllib.parse.parse_qsl(body.decode()))["payload"])


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text())


def test_interactions_are_signed_and_shaped_as_slack_sends_them(slack):
    fake, client = slack
    fake.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    view = fake.view(client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=checkin_modal())["view"]["id"])
    posted = client.chat_postMessage(
        channel="U0ADA", text="Time for a check-in",
        blocks=[{"type": "actions", "block_id": "checkin", "elements": [
            {"type": "button", "action_id": "open_checkin", "text": {"type": "plain_text", "text": "Start"}, "value": "7"},
            {"type": "static_select", "action_id": "snooze", "placeholder": {"type": "plain_text", "text": "Later"}, "options": options(2)},
        ]}],
    )  # fmt: skip
    [message] = fake.messages("U0ADA")
    values = fill(view, {"What went well": "x", "Python": "Doing"})
    with captured() as (url, received):
        sender = SlackSender(url, "secret", trigger_ids=fake.issue_trigger_id, response_url=fake.response_url)
        sender.block_actions("U0ADA", "open_checkin", message=message, channel_id=posted["channel"])
        sender.block_actions("U0ADA", "snooze", selected_option="o1", message=message, channel_id=posted["channel"])
        sender.view_submission("U0ADA", view, values)
        sender.view_closed("U0ADA", view)
        sender.app_home_opened("U0ADA", view=client.views_publish(user_id="U0ADA", view=home())["view"])
        sender.user_change(fake.user_object("U0ADA"))
    assert all(SignatureVerifier("secret").is_valid_request(body, headers) for headers, body in received)
    press, pick, submission, closed = (payload_of(body) for _, body in received[:4])

    assert press["type"] == "block_actions" and press["user"]["id"] == "U0ADA"
    assert press["container"] == {"type": "message", "message_ts": posted["ts"], "channel_id": "DU0ADA", "is_ephemeral": False}
    assert press["actions"][0] | {"action_ts": "t"} == {
        "type": "button", "action_id": "open_checkin", "block_id": "checkin", "value": "7", "action_ts": "t",
        "text": {"type": "plain_text", "text": "Start"},
    }  # fmt: skip
    assert press["response_url"].startswith(fake.response_url) and press["message"]["ts"] == posted["ts"]
    assert client.views_open(trigger_id=press["trigger_id"], view=modal())["ok"]  # a trigger the fake issued, for this user
    assert pick["actions"][0]["selected_option"] == options(2)[1] and pick["actions"][0]["type"] == "static_select"

    assert submission["type"] == "view_submission" and submission["view"]["id"] == view["id"]
    assert submission["view"]["state"] == {"values": values} and submission["view"]["hash"] == view["hash"]
    assert closed["type"] == "view_closed" and closed["view"]["state"] == {"values": {}} and closed["is_cleared"] is False

    opened, changed = (json.loads(body)["event"] for _, body in received[4:])
    assert (opened["type"], opened["user"], opened["tab"], opened["channel"]) == ("app_home_opened", "U0ADA", "home", "DU0ADA")
    assert opened["view"]["type"] == "home"
    assert changed["type"] == "user_change" and changed["user"]["id"] == "U0ADA" and changed["user"]["tz"] == "Europe/London"

    assert set(press) <= set(sample("BlockActionPayload.json")) and set(press["actions"][0]) <= set(
        sample("BlockActionPayload.json")["actions"][0]
    )
    assert set(submission) - {"response_urls"} <= set(sample("ViewSubmissionPayload.json"))
    assert set(submission["view"]) - {"blocks"} <= set(sample("ViewSubmissionPayload.json")["view"])
    assert set(closed) <= set(sample("ViewClosedPayload.json"))
    assert set(opened) <= set(sample("AppHomeOpenedPayload.json")["event"])
    assert set(changed) - {"event_ts"} <= set(sample("UserChangePayload.json")["event"])


def test_a_press_in_a_modal_carries_the_view_and_its_state(slack):
    fake, client = slack
    view = client.views_open(trigger_id=fake.issue_trigger_id("U0ADA"), view=checkin_modal())["view"]
    view["state"] = {"values": fill(view, {"What went well": "x", "Python": "Doing"})}
    with captured() as (url, received):
        SlackSender(url, "secret").block_actions(
            "U0ADA", "value", block_id="rating.python", selected_option="Teaching others", view=view
        )
        with pytest.raises(AssertionError, match="no element"):
            SlackSender(url, "secret").block_actions("U0ADA", "nope", view=view)
    press = payload_of(received[0][1])
    assert (
        press["container"] == {"type": "view", "view_id": view["id"]} and "channel" not in press and "response_url" not in press
    )
    assert press["view"]["state"] == view["state"] and press["view"]["hash"] == view["hash"]
    assert press["actions"][0]["selected_option"]["value"] == "3" and press["actions"][0]["block_id"] == "rating.python"


def test_while_the_fake_runs_senders_use_its_trigger_ids_and_response_urls(fake_slack):
    with captured() as (url, received):
        SlackSender(url, "secret").slash_command("checkin", user_id="U0ADA")
        SlackSender(url, "secret").interaction({"type": "shortcut", "user": {"id": "U0ADA"}, "callback_id": "checkin"})
    form = dict(urllib.parse.parse_qsl(received[0][1].decode()))
    shortcut = payload_of(received[1][1])
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url)
    assert client.views_open(trigger_id=form["trigger_id"], view=modal())["ok"]
    assert client.views_open(trigger_id=shortcut["trigger_id"], view=modal())["ok"]
    assert [v["id"] for v in fake_slack.open_views("U0ADA")] and len(fake_slack.open_views("U0ADA")) == 2
    assert form["response_url"].startswith(fake_slack.response_url)


# -- permissions: the token's scopes, as Slack's method reference gives them ----------------------------


LADDER_METHODS = """auth.test chat.postMessage chat.postEphemeral chat.update chat.delete chat.getPermalink conversations.history
conversations.open conversations.members conversations.info views.open views.update views.push views.publish users.info
users.lookupByEmail users.list dnd.info files.getUploadURLExternal files.completeUploadExternal files.delete
apps.connections.open""".split()


def test_the_table_covers_every_method_ladder_calls_and_the_bot_token_has_the_manifests_scopes(fake_slack):
    assert sorted(set(LADDER_METHODS) - set(METHOD_SCOPES)) == []
    assert needed_scope("conversations.history", PRIVATE) == "groups:history" and needed_scope("views.open") is None
    assert scopes_needed("conversations.info", {PUBLIC, IM}) == {"channels:read", "im:read"}
    assert fake_slack.scopes_of("xoxb-test-token") == manifest_bot_scopes() and "chat:write" in manifest_bot_scopes()
    assert fake_slack.scopes_of("xapp-test-token") == {"connections:write"}


def test_a_call_the_scopes_do_not_allow_answers_missing_scope_and_is_not_carried_out(fake_slack):
    fake_slack.grant("xoxb-narrow", {"chat:write", "im:history"})
    client = WebClient(token="xoxb-narrow", base_url=fake_slack.url, retry_handlers=[])
    answer = refusal(client.files_upload_v2, channel="C1", content="packet", filename="packet.md")
    assert answer.data == {"ok": False, "error": "missing_scope", "needed": "files:write", "provided": "chat:write,im:history"}
    assert fake_slack.files == {} and fake_slack.calls_carried_out("files.getUploadURLExternal") == 0
    # a test that did not expect it fails
    assert [c.answer["error"] for c in fake_slack.unexpected_refusals()] == ["missing_scope"]
    assert client.chat_postMessage(channel="C1", text="still allowed")["ok"]
    fake_slack.expect_refusals("missing_scope")  # a test that asks for it on purpose says so
    assert fake_slack.unexpected_refusals() == []


@pytest.mark.parametrize(
    "kind, needed",
    [("public", "channels:history"), ("private", "groups:history"), ("im", "im:history"), ("mpim", "mpim:history")],
)
def test_a_conversations_method_needs_the_scope_of_the_conversations_type(fake_slack, kind, needed):
    fake_slack.add_channel("C0PUB", "general")
    fake_slack.add_channel("C0PRIV", "panel", private=True)
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    fake_slack.grant("xoxb-test-token", {"mpim:write"})
    group = client.conversations_open(users="U0ADA,U0BEN")["channel"]["id"]
    channel = {"public": "C0PUB", "private": "C0PRIV", "im": "DU0ADA", "mpim": group}[kind]
    fake_slack.grant("xoxb-test-token", {needed})
    assert client.conversations_history(channel=channel)["ok"]
    others = {"channels:history", "groups:history", "im:history", "mpim:history"} - {needed}
    fake_slack.grant("xoxb-test-token", others)
    answer = refusal(client.conversations_history, channel=channel)
    assert (answer["error"], answer["needed"]) == ("missing_scope", needed)


def test_each_token_calls_only_what_its_kind_may(fake_slack):
    client = WebClient(base_url=fake_slack.url, retry_handlers=[])
    fake_slack.socket_mode_url = "ws://127.0.0.1:1/"
    assert client.apps_connections_open(app_token="xapp-test-token")["url"] == "ws://127.0.0.1:1/"
    assert refusal(client.apps_connections_open, app_token="xoxb-test-token")["error"] == "not_allowed_token_type"
    assert refusal(client.chat_postMessage, token="xapp-test-token", channel="C1", text="hi")["error"] == "not_allowed_token_type"


# -- conversations: public and private channels, the bot in them or not -----------------------------


def test_a_private_channel_the_bot_is_not_in_does_not_exist_for_it_and_a_public_one_is_read_only(fake_slack):
    fake_slack.add_channel("C0SECRET", "hr", private=True, members=["U0ADA"], bot_member=False)
    fake_slack.add_channel("C0TOWN", "town-square", members=["U0ADA"], bot_member=False)
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    for call, args in [
        (client.chat_postMessage, {"text": "hi"}), (client.conversations_history, {}), (client.conversations_info, {}),
        (client.conversations_members, {}), (client.chat_getPermalink, {"message_ts": "1.2"}),
    ]:  # fmt: skip
        assert refusal(call, channel="C0SECRET", **args)["error"] == "channel_not_found"
    assert refusal(client.chat_postMessage, channel="C0TOWN", text="hi")["error"] == "not_in_channel"
    assert refusal(client.files_upload_v2, channel="C0TOWN", content="x", filename="x.md")["error"] == "not_in_channel"
    assert fake_slack.messages("C0SECRET") == fake_slack.messages("C0TOWN") == []
    assert fake_slack.unexpected_refusals() == []  # the test kept the bot out: the refusals are the world's answer

    fake_slack.grant("xoxb-test-token", manifest_bot_scopes() | {"chat:write.public", "channels:history", "channels:read"})
    assert refusal(client.conversations_history, channel="C0TOWN")["error"] == "not_in_channel"
    assert client.conversations_members(channel="C0TOWN")["members"] == ["U0ADA"]
    assert client.chat_postMessage(channel="C0TOWN", text="hi")["ok"]  # what chat:write.public is for
    assert refusal(client.chat_postMessage, channel="C0SECRET", text="hi")["error"] == "channel_not_found"


def test_a_channel_no_test_registered_is_a_public_channel_the_bot_is_in(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    assert client.chat_postMessage(channel="C0PANEL", text="hi")["ok"]
    answer = refusal(client.conversations_history, channel="C0PANEL")  # reading a public channel needs channels:history
    assert (answer["error"], answer["needed"]) == ("missing_scope", "channels:history")
    fake_slack.grant("xoxb-test-token", manifest_bot_scopes() | {"channels:read"})
    info = client.conversations_info(channel="C0PANEL")["channel"]
    assert (info["id"], info["is_channel"], info["is_private"], info["is_member"], info["is_im"]) == (
        "C0PANEL", True, False, True, False,
    )  # fmt: skip
    assert client.conversations_members(channel="C0PANEL")["members"] == ["U0BOT"]


def test_conversations_info_tells_the_conversations_type(fake_slack):
    fake_slack.add_channel("C0PANEL", "staff-panel", private=True, members=["U0ADA"])
    fake_slack.add_channel("C0OLD", "archive", archived=True)
    fake_slack.add_channel("G0LEGACY", "old-private", private=True)
    fake_slack.grant("xoxb-test-token", manifest_bot_scopes() | {"channels:read", "groups:read", "im:read"})
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    keys = ("name", "is_channel", "is_group", "is_private", "is_im", "is_member", "is_archived")
    shown = {c: client.conversations_info(channel=c)["channel"] for c in ("C0PANEL", "C0OLD", "G0LEGACY", "DU0ADA")}
    assert [shown["C0PANEL"][k] for k in keys] == ["staff-panel", True, False, True, False, True, False]
    assert [shown["C0OLD"][k] for k in keys] == ["archive", True, False, False, False, True, True]
    assert [shown["G0LEGACY"][k] for k in keys] == ["old-private", False, True, True, False, True, False]
    assert (shown["DU0ADA"]["is_im"], shown["DU0ADA"]["user"], shown["DU0ADA"]["is_private"]) == (True, "U0ADA", True)
    assert refusal(client.chat_postMessage, channel="C0OLD", text="hi")["error"] == "is_archived"
    assert refusal(client.conversations_info, channel="U0ADA")["error"] == "channel_not_found"  # a user is not a conversation


def test_conversations_members_pages_with_cursor_and_limit_as_slack_does(fake_slack):
    people = [f"U0{n:03d}" for n in range(7)]
    fake_slack.add_channel("C0PANEL", "panel", private=True, members=people)
    fake_slack.grant("xoxb-test-token", manifest_bot_scopes() | {"groups:read"})
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    seen, cursor, pages = [], "", 0
    while True:
        page = client.conversations_members(channel="C0PANEL", limit=3, cursor=cursor or None)
        seen += page["members"]
        pages += 1
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == people + ["U0BOT"] and pages == 3  # the bot's own user is a member
    assert len(client.conversations_members(channel="C0PANEL")["members"]) == 8  # default limit 100
    assert refusal(client.conversations_members, channel="C0PANEL", cursor="not-a-cursor")["error"] == "invalid_cursor"
    assert refusal(client.conversations_members, channel="C0PANEL", limit=-1)["error"] == "invalid_limit"
    fake_slack.add_channel("C0GONE", "gone", private=True, members=people, bot_member=False)
    assert refusal(client.conversations_members, channel="C0GONE")["error"] == "channel_not_found"


def test_an_ephemeral_goes_only_to_a_member_of_the_channel(fake_slack):
    fake_slack.add_channel("C0PANEL", "panel", private=True, members=["U0ADA"])
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    assert client.chat_postEphemeral(channel="C0PANEL", user="U0ADA", text="only you")["ok"]
    assert refusal(client.chat_postEphemeral, channel="C0PANEL", user="U0BEN", text="x")["error"] == "user_not_in_channel"


# -- files and deletions -----------------------------------------------------------------------------


def test_files_upload_v2_shares_a_file_and_files_delete_takes_it_away(fake_slack):
    fake_slack.add_channel("C0PANEL", "panel", private=True)
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    uploaded = client.files_upload_v2(channel="C0PANEL", content="# Packet", filename="packet.md", title="Packet")
    [shared] = uploaded["files"]
    assert shared["id"].startswith("F") and shared["title"] == "Packet"
    assert [f["name"] for f in fake_slack.files_in("C0PANEL")] == ["packet.md"] and fake_slack.files[shared["id"]]["content"]
    assert [m["files"][0]["id"] for m in fake_slack.messages("C0PANEL")] == [shared["id"]]

    assert client.files_delete(file=shared["id"])["ok"]
    assert fake_slack.files == {} and fake_slack.files_in("C0PANEL") == [] and fake_slack.messages("C0PANEL") == []
    assert refusal(client.files_delete, file=shared["id"])["error"] == "file_not_found"
    assert refusal(client.files_delete, file="FNOTOURS")["error"] == "file_not_found"


def test_a_deleted_files_message_keeps_its_comment(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    uploaded = client.files_upload_v2(channel="C1", content="x", filename="x.md", initial_comment="Packets for the panel")
    client.files_delete(file=uploaded["files"][0]["id"])
    assert [(m["text"], m["files"]) for m in fake_slack.messages("C1")] == [("Packets for the panel", [])]


def test_chat_delete_removes_the_bots_message(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    posted = client.chat_postMessage(channel="C1", text="digest")
    assert client.chat_delete(channel="C1", ts=posted["ts"])["ok"] and fake_slack.messages("C1") == []
    assert refusal(client.chat_delete, channel="C1", ts=posted["ts"])["error"] == "message_not_found"


# -- users: an unknown id is an answer about the world -------------------------------------------------


def test_an_unknown_user_id_is_an_answer_not_a_refusal(fake_slack):
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    assert refusal(client.users_info, user="U0NOBODY")["error"] == "user_not_found"
    assert fake_slack.unexpected_refusals() == []


def test_users_list_pages_through_everyone(fake_slack):
    for n in range(5):
        fake_slack.add_user(f"U0{n}", f"p{n}@example.com", f"Person {n}")
    fake_slack.disable_user("U03")
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url, retry_handlers=[])
    assert [u["id"] for u in client.users_list()["members"]] == ["U00", "U01", "U02", "U03", "U04"]
    first = client.users_list(limit=2)
    rest = client.users_list(limit=10, cursor=first["response_metadata"]["next_cursor"])
    assert [u["id"] for u in first["members"]] == ["U00", "U01"] and [u["id"] for u in rest["members"]] == ["U02", "U03", "U04"]
    assert rest["response_metadata"]["next_cursor"] == "" and rest["members"][1]["deleted"] is True


def test_a_call_whose_caller_died_before_its_body_arrived_is_neither_carried_out_nor_refused(fake_slack, client):
    """A process killed between sending a call's headers and its body (tests/test_clock.py kills the clock mid fan-out)
    leaves Slack a truncated request: nothing happens, and it is not a refusal of what the bot sent."""
    import socket

    body = json.dumps({"channel": "U0ADA", "text": "a check-in prompt"}).encode()
    host, port = urllib.parse.urlsplit(fake_slack.url).netloc.split(":")
    for sent in (b"", body[: len(body) // 2]):
        with socket.create_connection((host, int(port))) as conn:
            conn.sendall(
                b"POST /api/chat.postMessage HTTP/1.1\r\nHost: slack\r\nAuthorization: Bearer xoxb-test-token\r\n"
                b"Content-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(body), sent)
            )
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(1024) == b""  # no answer: the connection is closed
    assert fake_slack.calls("chat.postMessage") == [] and fake_slack.unexpected_refusals() == []
    assert client.chat_postMessage(channel="U0ADA", text="whole")["ok"]  # a whole call still is one


# -- latency and Slack's own limits (the benchmarks' Slack) ---------------------------------------


def test_latency_is_served_concurrently_not_one_call_after_another(fake_slack):
    fake_slack.set_latency(0.3)
    client = WebClient(token="xoxb-test-token", base_url=fake_slack.url)
    threads = [threading.Thread(target=client.auth_test) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_slack.calls_carried_out("auth.test") == 6
    assert fake_slack.most_at_once >= 2  # each call sleeps its latency in its own thread while the others are served


def test_slacks_limits_pace_chat_post_message_per_channel_and_per_workspace(slack, clock):
    fake, _ = slack
    fake.limit_like_slack()
    headers = {"Authorization": "Bearer xoxb-test-token"}

    def post(channel: str) -> tuple[int, str | None]:
        status, answer_headers, _ = fake.handle("chat.postMessage", {"channel": channel, "text": "x"}, headers)
        return status, answer_headers.get("Retry-After")

    assert [post("C1")[0] for _ in range(4)] == [200, 200, 200, 429]  # a short burst, then 1 a second in a channel
    assert post("C1") == (429, "1")
    assert post("C2")[0] == 200  # another channel is not held back
    clock.advance(1)
    assert post("C1")[0] == 200
    statuses = [post(f"C{n:03d}")[0] for n in range(100, 200)]  # one each in a hundred channels at once
    assert statuses == [200] * 29 + [429] * 71  # the workspace's burst of 30 (refilled at 5 a second), less the one to C1
    clock.advance(60)
    assert sum(post(f"C{n:03d}")[0] == 200 for n in range(200, 600)) == 30  # a minute refills the burst, not more


def test_slacks_limits_follow_each_methods_tier_per_workspace(slack, clock):
    fake, _ = slack
    fake.limit_like_slack(team_of=lambda method, args: str(args.get("team", "T1")))
    headers = {"Authorization": "Bearer xoxb-test-token"}
    fake.add_user("U1", "u1@example.com", "U One")

    def calls(method: str, n: int, **args: str) -> list[int]:
        return [fake.handle(method, {"user": "U1", **args}, headers)[0] for _ in range(n)]

    assert calls("users.list", 21).count(200) == 20  # Tier 2: 20 a minute
    assert calls("users.list", 1, team="T2") == [200]  # counted per workspace
    assert calls("users.info", 101).count(200) == 100  # Tier 4: 100 a minute, its own bucket
    clock.advance(3)
    assert calls("users.list", 2) == [200, 429]  # refilled at 20 a minute: one call in three seconds
    assert calls("auth.test", 300).count(200) == 300  # not in a tier
    fake.limit_like_slack(on=False)
    assert calls("users.list", 30).count(200) == 30
