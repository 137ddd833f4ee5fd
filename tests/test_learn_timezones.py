"""The clock learns people's timezones from Slack's member list, a page of 200 at a time, not one users.info per person
(issue #19): 450 people take 3 calls, not 450."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from bot.runtime.clock import Roster, learn_timezones
from storage.models import CheckinSchedule, Person
from storage.repositories.checkins import CheckinRepository
from storage.unit_of_work import unit_of_work
from tests.app_server import ladder  # noqa: F401 - the fixture

TEAM = "T0TEST"
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata")


def _people(ladder, user_ids: list[str]) -> None:  # noqa: F811
    now = datetime.now(UTC)
    with ladder.services.engine.begin() as connection:
        connection.execute(
            insert(Person),
            [dict(team_id=TEAM, user_id=u, name=u, track="ic", level="senior", created_at=now, updated_at=now) for u in user_ids],
        )


def _schedules(ladder) -> dict[str, CheckinSchedule]:  # noqa: F811
    with unit_of_work(ladder.services.engine, reads_only=True) as work:
        return {s.user_id: s for s in CheckinRepository(work.session).schedules(TEAM)}


def test_timezones_come_from_users_list_pages_continued_from_tick_to_tick(ladder, fake_slack):  # noqa: F811
    in_slack = [f"U{i:04d}" for i in range(450)]
    for i, user_id in enumerate(in_slack):
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", user_id, tz=ZONES[i % len(ZONES)])
    fake_slack.disable_user("U0007")
    _people(ladder, in_slack[:440] + ["UGONE1", "UGONE2"])  # 10 accounts Ladder does not know; 2 people Slack does not

    roster = Roster()
    assert learn_timezones(ladder.services, limit=1, roster=roster) == 200  # one page: everyone on it is recorded
    assert roster.reading and len(fake_slack.calls("users.list")) == 1
    assert learn_timezones(ladder.services, limit=1, roster=roster) == 200  # the next tick goes on from that page
    schedules = _schedules(ladder)
    assert len(schedules) == 400 and "UGONE1" not in schedules
    assert learn_timezones(ladder.services, limit=1, roster=roster) == 40 + 2  # the last page, then those not on any
    assert not roster.reading

    schedules = _schedules(ladder)
    assert len(schedules) == 442
    assert schedules["U0001"].timezone == "America/New_York" and schedules["U0001"].next_prompt_at is not None
    assert schedules["U0439"].timezone == ZONES[439 % 4]
    for gone in ("U0007", "UGONE1", "UGONE2"):  # deactivated, or not in the workspace: no prompts, no more asking
        assert (schedules[gone].cadence, schedules[gone].next_prompt_at) == ("off", None)
    assert [len(c.args.get("cursor", "")) > 0 for c in fake_slack.calls("users.list")] == [False, True, True]
    assert all(c.args["limit"] == "200" for c in fake_slack.calls("users.list"))
    assert fake_slack.calls("users.info") == []

    assert learn_timezones(ladder.services, roster=roster) == 0  # nobody waits: Slack is not asked
    assert len(fake_slack.calls("users.list")) == 3


def test_a_whole_list_is_read_in_one_call_when_the_limit_allows_and_stops_once_everyone_is_found(ladder, fake_slack):  # noqa: F811
    for i in range(1000):
        fake_slack.add_user(f"U{i:04d}", f"u{i}@example.com", f"U{i}", tz=ZONES[i % len(ZONES)])
    _people(ladder, [f"U{i:04d}" for i in range(0, 400, 20)])  # 20 people, all on the first two pages
    assert learn_timezones(ladder.services) == 20
    assert len(fake_slack.calls("users.list")) == 2  # not the five pages of the whole list
    assert len(_schedules(ladder)) == 20


def test_a_few_newcomers_are_asked_one_by_one(ladder, fake_slack):  # noqa: F811
    for i in range(1000):
        fake_slack.add_user(f"U{i:04d}", f"u{i}@example.com", f"U{i}", tz=ZONES[i % len(ZONES)])
    _people(ladder, ["U0999", "UNOBODY"])
    assert learn_timezones(ladder.services) == 2
    assert len(fake_slack.calls("users.info")) == 2 and fake_slack.calls("users.list") == []  # 2 calls, not 5 pages
    schedules = _schedules(ladder)
    assert schedules["U0999"].timezone == ZONES[999 % 4] and schedules["UNOBODY"].cadence == "off"
