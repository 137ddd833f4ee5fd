"""The fake Slack is test infrastructure: check it refuses what Slack refuses, so the other tests mean something."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from tests.slack_requests import sign


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
