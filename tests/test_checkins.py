"""Check-ins end to end: prompts at 10:00 local from the clock, the prompt's buttons, the modal, drafts, sharing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from storage.models import Checkin, CheckinSchedule, OutboxMessage
from tests.checkin_world import World, organisation, text_of

MONDAY_16_MARCH = datetime(2026, 3, 16, 0, 30, tzinfo=UTC)
"""A Monday two weeks before Europe's DST change (29 March) and one after the US's (8 March)."""


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY_16_MARCH) as world:
        yield world


@pytest.fixture
def sqlite_world(fake_slack, tmp_path, sqlite_url):
    with organisation(fake_slack, tmp_path, sqlite_url, MONDAY_16_MARCH) as world:
        yield world


def _schedule(world: World, user_id: str) -> CheckinSchedule:
    with Session(world.services.engine) as session:
        found = session.exec(select(CheckinSchedule).where(CheckinSchedule.user_id == user_id)).one()
        session.expunge(found)
        return found


def _set_cadence(world: World, user_id: str, cadence: str) -> None:
    status, body, _ = world.ladder.slack.slash_command(f"checkin {cadence}", user_id=user_id)
    assert status == 200, body


def _prompts_to(world: World, user_id: str) -> list[dict]:
    """The check-in prompts a person was sent, answered ones too (a snooze or skip replaces a prompt's text in place)."""
    return [m for m in world.dms_to(user_id) if _outbox_key(m).startswith("checkin:")]


def _outbox_key(message: dict) -> str:
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("key") or "")


def test_prompts_arrive_at_ten_local_in_each_timezone_across_a_dst_change(world):
    world.tick()  # the clock learns each person's timezone from Slack and plans their first prompt
    for user in ("UANA", "UBEN", "UCHI"):
        _set_cadence(world, user, "weekly")
    expected = {
        # Monday prompts, 10:00 local: London GMT then BST (29 March), New York EDT, Sydney AEDT then AEST (5 April)
        "UANA": [
            datetime(2026, 3, 16, 10, tzinfo=UTC),
            datetime(2026, 3, 23, 10, tzinfo=UTC),
            datetime(2026, 3, 30, 9, tzinfo=UTC),
        ],
        "UBEN": [
            datetime(2026, 3, 16, 14, tzinfo=UTC),
            datetime(2026, 3, 23, 14, tzinfo=UTC),
            datetime(2026, 3, 30, 14, tzinfo=UTC),
        ],
        "UCHI": [
            datetime(2026, 3, 22, 23, tzinfo=UTC),
            datetime(2026, 3, 29, 23, tzinfo=UTC),
            datetime(2026, 4, 6, 0, tzinfo=UTC),
        ],
    }
    seen: dict[str, list[datetime]] = {user: [] for user in expected}
    end = datetime(2026, 4, 6, 1, tzinfo=UTC)
    while world.clock() < end:
        world.clock.advance(timedelta(minutes=30))
        world.tick()
        for user in expected:
            if len(_prompts_to(world, user)) > len(seen[user]):
                seen[user].append(world.clock())
    for user, moments in expected.items():
        # each prompt went out within the clock's half-hour step after its 10:00 local, never before
        assert len(seen[user]) == len(moments), (user, seen[user])
        for sent, due in zip(seen[user], moments, strict=True):
            assert due <= sent < due + timedelta(minutes=30), (user, sent, due)


def test_the_cli_prints_the_plan_in_local_and_utc_time(world, monkeypatch):
    world.tick()
    _set_cadence(world, "UCHI", "weekly")
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", world.ladder.settings.database_url)
    monkeypatch.setenv("SLACK_API_URL", world.slack.url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["checkins", "schedule", "--from", "2026-03-30", "--days", "14", "--user", "UCHI"]) == 0
    assert out.getvalue().splitlines() == [
        "UCHI 2026-03-30T10:00:00+11:00 2026-03-29T23:00:00Z",  # a local Monday that is still Sunday in UTC
        "UCHI 2026-04-06T10:00:00+10:00 2026-04-06T00:00:00Z",  # AEST after Sydney's DST ended on 5 April
    ]
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["checkins", "schedule", "--from", "2026-03-23", "--days", "1"]) == 0
    # everyone else is monthly (the default) and was first asked on the 16th
    assert out.getvalue().splitlines() == ["UCHI 2026-03-23T10:00:00+11:00 2026-03-22T23:00:00Z"]


def test_snooze_skip_and_turn_off(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")
    world.clock.set(datetime(2026, 3, 20, 10, 0, tzinfo=UTC))  # Friday
    world.tick()  # the Monday prompt, sent late (the clock was "down"): once
    assert len(_prompts_to(world, "UANA")) == 1
    prompt = world.last_dm("UANA")
    status, body, _ = world.ladder.slack.block_actions("UANA", "checkin_snooze", message=prompt, channel_id="DUANA")
    assert status == 200, body
    world.drain()  # the prompt is replaced through the outbox (chat.update)
    answered = world.slack.calls("chat.update")[-1].args
    assert answered["ts"] == prompt["ts"] and "Monday 23 March, 10:00" in text_of(
        answered["blocks"]
    )  # Friday's snooze skips the weekend
    world.clock.set(datetime(2026, 3, 23, 9, 59, tzinfo=UTC))
    world.tick()
    assert len(_prompts_to(world, "UANA")) == 1
    world.clock.set(datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    world.tick()  # the snoozed prompt and the weekly one fall on the same day: one message
    again = _prompts_to(world, "UANA")
    assert len(again) == 2
    world.ladder.slack.block_actions("UANA", "checkin_skip", message=again[-1], channel_id="DUANA")
    world.drain()
    assert "Skipped this one" in text_of(world.slack.calls("chat.update")[-1].args["blocks"])
    world.ladder.slack.block_actions("UANA", "checkin_turn_off", message=again[-1], channel_id="DUANA")
    assert _schedule(world, "UANA").next_prompt_at is None
    sent = len(_prompts_to(world, "UANA"))
    world.clock.set(datetime(2026, 5, 1, tzinfo=UTC))
    world.tick()
    assert len(_prompts_to(world, "UANA")) == sent  # off means off


def test_weekends_holidays_and_away_periods_are_skipped(sqlite_world, monkeypatch):
    world = sqlite_world
    world.tick()
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", world.ladder.settings.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert main(["checkins", "holidays", "--country", "GB", "--subdivision", "ENG", "--add", "2026-03-30"]) == 0
    _set_cadence(world, "UANA", "weekly")
    # Easter Monday (6 April) is a bank holiday in England; 30 March the organisation's own day off
    status, _, _ = world.ladder.slack.slash_command("checkin settings", user_id="UANA")
    assert status == 200
    settings = world.open_modal("UANA")
    status, body = world.submit(
        "UANA",
        settings,
        {"How often": "Every week", "On which day": "Monday", "Away from": "2026-04-13", "Last day away": "2026-04-17"},
    )
    assert status == 200, body
    moments = []
    while world.clock() < datetime(2026, 4, 28, tzinfo=UTC):
        world.clock.advance(timedelta(hours=1))
        before = len(_prompts_to(world, "UANA"))
        world.tick()
        if len(_prompts_to(world, "UANA")) > before:
            moments.append(world.clock())
    days = [m.date().isoformat() for m in moments]
    # 16, 23 March; 31 March (Tuesday, after the organisation's day off); 7 April (after Easter Monday);
    # nothing in the away week; back on the 20th and the 27th
    assert days == ["2026-03-16", "2026-03-23", "2026-03-31", "2026-04-07", "2026-04-20", "2026-04-27"]
    assert all(m.weekday() < 5 for m in moments)


def test_a_person_in_do_not_disturb_gets_the_prompt_when_it_ends(sqlite_world):
    world = sqlite_world
    world.tick()
    ends = datetime(2026, 3, 16, 13, 0, tzinfo=UTC)
    world.slack.set_dnd("UANA", ends.timestamp())
    world.clock.set(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    world.tick()
    world.clock.set(datetime(2026, 3, 16, 12, 59, tzinfo=UTC))
    world.tick()
    assert _prompts_to(world, "UANA") == []
    assert len(_prompts_to(world, "UMAX")) == 1  # same timezone, not in DND
    world.clock.set(ends)
    world.tick()
    assert len(_prompts_to(world, "UANA")) == 1


def test_the_modal_checks_each_field_keeps_a_draft_and_shares_only_when_asked(world):
    world.tick()
    status, body, _ = world.ladder.slack.slash_command("checkin", user_id="UANA")
    assert status == 200, body
    modal = world.open_modal("UANA")
    shown = text_of(modal["blocks"])
    assert "Only you can see this unless you share it" in shown and "Staff Engineer" in shown  # rated against the next level
    # a hostile client sends it without goals or ratings: each error comes back on its own field
    status, answer = world.submit("UANA", modal, {"What went well": "Shipped the cache"}, allow_empty_required=True)
    assert answer["response_action"] == "errors"
    assert answer["errors"]["goals"] == "Write at least one goal for the next period."
    assert answer["errors"]["rating.technical_depth"] == "Rate yourself on Technical depth."
    # closed halfway: what was typed is offered again
    world.ladder.slack.view_closed("UANA", modal, _filled(modal, {"What went well": "Shipped the cache <!channel>"}))
    world.ladder.slack.slash_command("checkin", user_id="UANA")
    reopened = world.open_modal("UANA")
    assert "Shipped the cache <!channel>" in str(reopened["blocks"])
    answers = {
        "Technical depth": "Meets", "Project execution": "Partly", "Strategic influence": "Not yet",
        "Mentoring without supervising": "Exceeds", "Strategic influence: in your own words": "I rarely write RFCs",
        "Your goals": "Lead the storage RFC", "Sharing": [],
    }  # fmt: skip
    status, answer = world.submit("UANA", reopened, answers)
    assert status == 200 and answer["response_action"] == "update"
    world.services.sender.drain()
    assert world.dms_to("UMAX") == []  # not shared: the manager hears nothing
    with Session(world.services.engine) as session:
        (saved,) = session.exec(select(Checkin)).all()
    assert saved.went_well == "Shipped the cache <!channel>" and saved.shared_with is None
    assert saved.ratings["strategic_influence"] == "not_yet" and saved.level == "staff"
    # a second check-in, shared: the manager gets it as a direct message, escaped
    world.ladder.slack.slash_command("checkin", user_id="UANA")
    third = world.open_modal("UANA")
    status, answer = world.submit(
        "UANA",
        third,
        {**answers, "What went well": "Ran the <!channel> incident review", "Sharing": ["Share this check-in with my manager"]},
    )
    assert status == 200, answer
    world.services.sender.drain()
    shared = world.last_dm("UMAX")
    assert "<@UANA> shared a career check-in" in text_of(shared["blocks"])
    assert "&lt;!channel&gt;" in text_of(shared["blocks"]) and "<!channel>" not in text_of(shared["blocks"])


def _filled(view, answers):
    from tests.modal_filler import fill

    return fill(view, answers, allow_empty_required=True)


def test_a_double_submitted_modal_is_stored_once(sqlite_world):
    world = sqlite_world
    world.tick()
    world.ladder.slack.slash_command("checkin", user_id="UBEN")
    modal = world.open_modal("UBEN")
    answers = {
        "What went well": "Paired a lot", "Your goals": "Own a service",
        **{label: "Meets" for label in ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")},
    }  # fmt: skip
    assert world.submit("UBEN", modal, answers)[0] == 200
    assert world.submit("UBEN", modal, answers)[0] == 200
    with Session(world.services.engine) as session:
        assert len(session.exec(select(Checkin)).all()) == 1


def test_outbox_rows_are_unique_per_person_purpose_and_day(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")
    world.clock.set(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    from bot.runtime.clock import tick

    tick(world.services)
    tick(world.services)  # a second clock racing the first: same keys, nothing more to send
    with Session(world.services.engine) as session:
        keys = [m.key for m in session.exec(select(OutboxMessage)).all()]
    assert keys.count("checkin:UANA:2026-03-16") == 1


def test_a_timezone_change_in_slack_moves_the_prompts(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")
    before = _schedule(world, "UANA").next_prompt_at
    world.slack.change_user("UANA", tz="Asia/Tokyo")
    status, _, _ = world.ladder.slack.user_change(world.slack.user_object("UANA"))
    assert status == 200
    after = _schedule(world, "UANA")
    assert after.timezone == "Asia/Tokyo" and after.next_prompt_at != before
    assert after.next_prompt_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo")).hour == 10


def test_modal_state_of_any_shape_is_read_without_crashing():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from messages.checkins import answers_from
    from messages.state import values_of

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=10,
    )

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.text(max_size=10), json_values, max_size=4))
    def read(state):
        answers_from(values_of({"state": {"values": state}}))

    read()


def test_a_clock_that_was_down_catches_up_once_and_never_at_night(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")  # next: Monday 16 March, 10:00 London
    world.clock.set(datetime(2026, 3, 21, 2, 0, tzinfo=UTC))  # back on Saturday at 02:00, after a week down
    world.tick()
    assert _prompts_to(world, "UANA") == []  # not at night, not on a weekend
    world.clock.set(datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    world.tick()
    world.clock.set(datetime(2026, 3, 27, 10, 0, tzinfo=UTC))
    world.tick()
    assert len(_prompts_to(world, "UANA")) == 1  # the missed prompt, once, on Monday at 10:00
    assert _schedule(world, "UANA").next_prompt_at == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # then weekly again (BST)


def test_turning_check_ins_off_cancels_a_prompt_already_queued(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")
    world.clock.set(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    world.tick()
    world.ladder.slack.block_actions("UANA", "checkin_snooze", message=world.last_dm("UANA"), channel_id="DUANA")
    _set_cadence(world, "UANA", "off")
    world.clock.set(datetime(2026, 3, 17, 10, 0, tzinfo=UTC))
    world.tick()
    assert len(_prompts_to(world, "UANA")) == 1  # the snoozed prompt was not sent after "off"
    with Session(world.services.engine) as session:
        snoozed = session.exec(select(OutboxMessage).where(OutboxMessage.key == "checkin:UANA:2026-03-17")).one()
    assert snoozed.status == "skipped"


def test_opening_the_home_tab_signs_nobody_up(sqlite_world):
    world = sqlite_world
    world.slack.add_user("UGUEST", "guest@example.com", "Guest", tz="Europe/Paris")
    world.home("UGUEST")
    world.tick()
    with Session(world.services.engine) as session:
        assert session.exec(select(CheckinSchedule).where(CheckinSchedule.user_id == "UGUEST")).first() is None


def test_admins_set_cadences_from_the_command_line(sqlite_world, monkeypatch, capsys):
    from bot.cli import main

    world = sqlite_world
    world.tick()
    monkeypatch.setenv("DATABASE_URL", world.ladder.settings.database_url)
    monkeypatch.setenv("SLACK_API_URL", world.slack.url)
    assert main(["checkins", "cadence", "UANA", "UBEN", "quarterly"]) == 0
    assert {_schedule(world, u).cadence for u in ("UANA", "UBEN")} == {"quarterly"}
    assert main(["checkins", "cadence", "--default", "biweekly"]) == 0
    assert _schedule(world, "UMAX").cadence is None  # follows the default, now every two weeks
    capsys.readouterr()
    assert main(["checkins", "cadence", "UANA", "daily"]) == 1
    assert "unknown cadence 'daily'" in capsys.readouterr().err
    assert main(["checkins", "cadence", "ana@example.com", "weekly"]) == 2
    assert "not a Slack user id" in capsys.readouterr().err


def test_checking_in_settles_the_periods_prompt_and_its_buttons(sqlite_world):
    world = sqlite_world
    world.tick()
    _set_cadence(world, "UANA", "weekly")
    world.clock.set(datetime(2026, 3, 16, 9, 0, tzinfo=UTC))  # Monday 09:00 in London: checked in before the 10:00 prompt
    world.ladder.slack.slash_command("checkin now", user_id="UANA")
    answers = {
        "What went well": "A lot",
        "Your goals": "More",
        **{c: "Meets" for c in ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")},
    }
    assert world.submit("UANA", world.open_modal("UANA"), answers)[0] == 200
    world.clock.set(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    world.tick()
    assert _prompts_to(world, "UANA") == []  # this week's prompt is settled
    world.clock.set(datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    world.tick()
    prompt = world.last_dm("UANA")
    world.ladder.slack.block_actions("UANA", "checkin_start", message=prompt, channel_id="DUANA")
    assert world.submit("UANA", world.open_modal("UANA"), answers)[0] == 200
    world.drain()  # the prompt's replacement is an outbox message (chat.update), written with the check-in
    updated = world.slack.calls("chat.update")
    assert updated and updated[-1].args["ts"] == prompt["ts"] and "Checked in" in text_of(updated[-1].args["blocks"])


def test_an_older_user_change_redelivered_late_does_not_undo_a_newer_one(world):
    """Slack redelivers an event whose handling failed (after 1 and 5 minutes), and does not promise order: each change
    is taken as Slack has the person now, so a stale one moves nothing back."""
    from sqlmodel import Session, select

    from storage.models import CheckinSchedule

    def zone() -> str | None:
        with Session(world.services.engine) as session:
            return session.exec(select(CheckinSchedule).where(CheckinSchedule.user_id == "UANA")).one().timezone

    older = world.slack.user_object("UANA") | {"tz": "America/New_York"}
    world.slack.change_user("UANA", tz="Asia/Tokyo")
    assert world.ladder.slack.user_change(world.slack.user_object("UANA"), event_id="EvNEWER")[0] == 200
    assert zone() == "Asia/Tokyo"
    assert world.ladder.slack.user_change(older, event_id="EvOLDER", retry_num=2, retry_reason="http_timeout")[0] == 200
    assert zone() == "Asia/Tokyo"
