"""Ladder over Slack's wire: signed requests into /slack/events, Web API calls out to a fake Slack."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parent / "data" / "slack" / "samples"


def test_slash_command_answers_only_the_asker(ladder, fake_slack):
    status, body, _ = ladder.slack.slash_command("what does Staff mean")
    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    assert "Staff Engineer" in reply["text"]
    assert any(b["type"] == "header" and b["text"]["text"] == "Staff Engineer" for b in reply["blocks"])
    assert fake_slack.calls("chat.postMessage") == []


def test_mention_in_a_channel_is_answered_in_its_thread(ladder, fake_slack):
    status, _, _ = ladder.slack.app_mention("<@U0BOT> what's the difference between Senior and Staff?", ts="1700000000.000100")
    assert status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.args["channel"] == "C0GENERAL"
    assert call.args["thread_ts"] == "1700000000.000100"
    assert "Senior Software Engineer" in call.args["text"] and "Staff Engineer" in call.args["text"]


def test_mention_inside_a_thread_stays_in_that_thread(ladder, fake_slack):
    ladder.slack.app_mention("<@U0BOT> staff?", ts="1700000000.000300", thread_ts="1700000000.000200")
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.args["thread_ts"] == "1700000000.000200"


def test_direct_message_is_answered_in_the_conversation(ladder, fake_slack):
    status, _, _ = ladder.slack.direct_message("what comes after senior?")
    assert status == 200
    [call] = fake_slack.wait_for("chat.postMessage")
    assert call.args["channel"] == "D0ASKER"
    assert "Staff Engineer" in call.args["text"]


def test_personal_question_uses_the_askers_recorded_level(ladder, fake_slack):
    ladder.services.people.upsert("T0TEST", "U0ASKER", name="Ada", email=None, track="ic", level="senior", manager_user_id=None)
    _, body, _ = ladder.slack.slash_command("what's my next level?")
    reply = json.loads(body)
    assert "You are Senior Software Engineer" in reply["text"]
    _, other_team, _ = ladder.slack.slash_command("what's my next level?", team_id="T0OTHER")
    assert json.loads(other_team)["text"] == "Ladder here serves another Slack workspace, so it cannot answer in this one."


def test_a_retried_event_is_answered_once(ladder, fake_slack):
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": "<@U0BOT> staff",
        "ts": "1700000000.000500",
        "channel": "C0GENERAL",
        "event_ts": "1700000000.000500",
    }
    first = ladder.slack.event(event, event_id="Ev0RETRY")
    retry = ladder.slack.event(event, event_id="Ev0RETRY", retry_num=1, retry_reason="http_timeout")
    assert first[0] == retry[0] == 200
    fake_slack.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_the_bot_ignores_its_own_and_other_bots_messages(ladder, fake_slack):
    bot_message = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ASKER",
        "bot_id": "B0BOT",
        "user": "U0BOT",
        "text": "Staff Engineer",
        "ts": "1700000000.000600",
    }
    assert ladder.slack.event(bot_message)[0] == 200
    other_bot = {**bot_message, "bot_id": "B0OTHER", "user": "U0OTHER", "subtype": "bot_message", "ts": "1700000000.000700"}
    assert ladder.slack.event(other_bot)[0] == 200
    edited = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ASKER",
        "subtype": "message_changed",
        "ts": "1700000000.000800",
        "message": {"type": "message", "user": "U0ASKER", "text": "staff?", "ts": "1700000000.000100"},
    }
    assert ladder.slack.event(edited)[0] == 200
    time.sleep(0.5)
    assert fake_slack.calls("chat.postMessage") == []


def test_a_channel_message_without_a_mention_is_not_answered(ladder, fake_slack):
    message = {
        "type": "message",
        "channel_type": "channel",
        "channel": "C0GENERAL",
        "user": "U0ASKER",
        "text": "staff?",
        "ts": "1700000000.000900",
    }
    assert ladder.slack.event(message)[0] == 200
    time.sleep(0.3)
    assert fake_slack.calls("chat.postMessage") == []


def test_forged_and_stale_signatures_are_refused(ladder, fake_slack):
    assert ladder.slack.slash_command("staff", bad_signature=True)[0] == 401
    assert ladder.slack.slash_command("staff", timestamp_offset=-6 * 60)[0] == 401
    assert ladder.slack.raw(b"command=%2Fladder&text=staff", {"Content-Type": "application/x-www-form-urlencoded"})[0] == 401


def test_url_verification_echoes_the_challenge(ladder):
    status, body, _ = ladder.slack.url_verification("challenge-abc")
    assert status == 200 and "challenge-abc" in body


def test_slack_rate_limits_are_retried(ladder, fake_slack):
    fake_slack.rate_limit_next("chat.postMessage", times=1, retry_after=1)
    ladder.slack.direct_message("what does staff mean")
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=10)
    assert [c.rate_limited for c in calls] == [True, False]


@pytest.mark.parametrize(
    "question", ["", "   ", "x" * 5000, "🎉🎉🎉", "<!channel> <!here> what does <@U123> mean", "staff <script>&amp;"]
)
def test_hostile_and_odd_questions_get_a_clean_answer(ladder, fake_slack, question):
    status, body, _ = ladder.slack.slash_command(question)
    assert status == 200
    reply = json.loads(body)
    assert reply["text"] and reply["blocks"]
    assert "<!channel>" not in body and "<!here>" not in body


def test_framework_text_is_escaped_so_it_pings_nobody():
    """A framework field containing <!channel> reaches Slack as text, never as a ping."""
    from bot.framework.loader import check_framework_text, default_framework_path

    source = (
        default_framework_path()
        .read_text(encoding="utf-8")
        .replace("title: Staff Engineer", "title: Staff Engineer <!channel> & <@U999>", 1)
    )
    result = check_framework_text(source, "hostile.yaml")
    assert result.framework is not None, result.lines()
    from bot.careers import CareerQuestions
    from messages.render import Renderer

    answer = CareerQuestions(result.framework).ask("what does L6 mean")
    message = Renderer().message(answer.template, **answer.context)
    dumped = json.dumps(message.blocks) + message.text
    assert "<!channel>" not in dumped and "<@U999>" not in dumped
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in dumped


def test_healthz_reports_the_database(ladder):
    with urllib.request.urlopen(f"{ladder.url}/healthz") as response:
        assert response.status == 200
        assert json.load(response)["database"] == "ok"


@pytest.mark.parametrize(
    "sample",
    [
        "AppMentionPayload.json",
        "MessagePayload.json",
        "MessageBotPayload.json",
        "MessageChangedPayload.json",
        "MessageDeletedPayload.json",
        "AppHomeOpenedPayload.json",
        "UserChangePayload.json",
    ],
)
def test_every_field_slack_may_send_is_survived(ladder, fake_slack, sample):
    payload = json.loads((SAMPLES / sample).read_text())
    event = payload["event"] if "event" in payload else payload
    status, _, _ = ladder.slack.event(event)
    assert status == 200


@pytest.mark.parametrize(
    "sample", ["BlockActionPayload.json", "ViewSubmissionPayload.json", "ViewClosedPayload.json", "MessageShortcutPayload.json"]
)
def test_every_interaction_field_slack_may_send_is_survived(ladder, fake_slack, sample):
    """Blank ids and unknown callbacks: answered (404 when no listener matches), never a 500."""
    fake_slack.expect_refusals()  # a blank trigger_id is refused by Slack too
    status, body, _ = ladder.slack.interaction(json.loads((SAMPLES / sample).read_text()))
    assert status in (200, 400, 404), body


def test_blank_slash_command_sample_is_survived(ladder):
    payload = json.loads((SAMPLES / "SlashCommandPayload.json").read_text())
    status, body, _ = ladder.slack.slash_command(payload["text"], user_id=payload["user_id"] or "U0ASKER")
    assert status == 200 and json.loads(body)["text"]


def test_a_failure_while_answering_gets_an_apology_not_silence(ladder, fake_slack, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(ladder.services.careers, "ask", broken)
    status, body, _ = ladder.slack.slash_command("what does staff mean")
    assert status == 200 and "something went wrong" in json.loads(body)["text"]
    ladder.slack.direct_message("staff?")
    [call] = fake_slack.wait_for("chat.postMessage")
    assert "something went wrong" in call.args["text"] and "database on fire" not in call.args["text"]


def test_a_general_question_reads_no_database(ladder, monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("the people table was read for a question about a level")

    monkeypatch.setattr(ladder.services.people, "get", no_database)
    status, body, _ = ladder.slack.slash_command("what does Staff mean")
    assert status == 200 and "Staff Engineer" in json.loads(body)["text"]


def test_the_same_question_gets_the_same_answer_however_often_it_is_asked(ladder):
    answers = {ladder.slack.slash_command(text)[1] for text in ("what does Staff mean", "what does staff mean?", "L6")}
    assert len(answers) == 1


EVENT_FIELDS = {
    "type": st.sampled_from(["app_mention", "message"]),
    "channel_type": st.sampled_from(["im", "channel", "group", "mpim", ""]),
    "subtype": st.sampled_from(["bot_message", "message_changed", "message_deleted", "thread_broadcast", "file_share"]),
    "user": st.sampled_from(["U0ASKER", "", "W0ENTERPRISE"]),
    "bot_id": st.sampled_from(["B0BOT", ""]),
    "text": st.text(max_size=300),
    "ts": st.sampled_from(["1700000000.000100", "", "not-a-ts"]),
    "thread_ts": st.sampled_from(["1700000000.000050", ""]),
    "channel": st.sampled_from(["C0GENERAL", "D0ASKER", ""]),
    "blocks": st.just([]),
    "message": st.fixed_dictionaries({"text": st.text(max_size=20)}),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({"type": EVENT_FIELDS["type"]}, optional={k: v for k, v in EVENT_FIELDS.items() if k != "type"}))
def test_any_shape_of_subscribed_event_is_acknowledged(ladder, event):
    """Whatever fields Slack sends or leaves out, the event is acknowledged (never a 500 that Slack would retry)."""
    status, _, _ = ladder.slack.event(event)
    assert status == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=4000))
@example("STRETCH")  # a subcommand, however written, that opens a modal: acknowledged with no body
@example("checkin")
@example("Nominate")
@example("mentor")
@example("cycle")
@example("panel")
@example("digest")
@example("evidence")
@example("admins")
@example("nominations")
def test_any_slash_command_text_gets_an_answer_slack_accepts(ladder, fake_slack, text):
    from tests.fake_slack import message_refusal

    opened = len(fake_slack.calls("views.open"))
    status, body, _ = ladder.slack.slash_command(text)
    assert status == 200
    if body:
        assert message_refusal(json.loads(body)) is None
    else:  # an empty acknowledgement is Slack's for a command that opened a modal instead of answering
        assert [c.carried_out for c in fake_slack.calls("views.open")[opened:]] == [True]


def test_a_personal_answer_in_a_channel_is_shown_to_the_asker_alone(ladder, fake_slack):
    ladder.services.people.upsert("T0TEST", "U0ASKER", name="Ada", email=None, track="ic", level="senior", manager_user_id=None)
    ladder.slack.app_mention("<@U0BOT> what's my next level?", ts="1700000000.000100")
    [call] = fake_slack.wait_for("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"], call.args["thread_ts"]) == ("C0GENERAL", "U0ASKER", "1700000000.000100")
    assert "Senior Software Engineer" in call.args["text"]
    assert fake_slack.calls("chat.postMessage") == []


def test_an_event_is_answered_once_on_every_database(fake_slack, tmp_path, database_url):
    """The event claim rides in the request's unit of work: a first delivery is answered, a redelivery is not."""
    from tests.app_server import running_ladder

    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": "<@U0BOT> staff",
        "ts": "1.5",
        "channel": "C0GENERAL",
        "event_ts": "1.5",
    }
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url) as ladder:
        assert ladder.slack.event(event, event_id="Ev0ONCE")[0] == 200
        assert ladder.slack.event(event, event_id="Ev0ONCE", retry_num=1, retry_reason="http_timeout")[0] == 200
        fake_slack.wait_for("chat.postMessage")
        ladder.services.sender.drain()
    assert len(fake_slack.calls("chat.postMessage")) == 1
