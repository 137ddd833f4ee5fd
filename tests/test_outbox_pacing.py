"""Pacing to Slack's limits without sleeping (:mod:`bot.runtime.pacing`), and DND asked once per person per day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.runtime.dnd import DndCache, DndWindow
from bot.runtime.pacing import POST_MESSAGE, Limit, Pacer


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_chat_post_message_goes_about_once_a_second_per_channel_after_a_short_burst():
    clock = Ticks()
    pacer = Pacer(clock, headroom=1.0)
    assert [pacer.ask("T1", POST_MESSAGE, "C1") for _ in range(3)] == [(0.0, True)] * 3  # the burst
    wait, kept = pacer.ask("T1", POST_MESSAGE, "C1")
    assert (wait, kept) == (1.0, True)  # its slot is a second on, kept for it
    assert pacer.ask("T1", POST_MESSAGE, "C2") == (0.0, True)  # another channel is not held up
    assert pacer.ask("T2", POST_MESSAGE, "C1") == (0.0, True)  # nor the same channel id in another team
    clock.now += 1.0
    assert pacer.ask("T1", POST_MESSAGE, "C1", kept=True) == (0.0, True)  # its kept slot: it goes without asking again
    assert pacer.ask("T1", POST_MESSAGE, "C1")[0] == 1.0


def test_a_team_posts_at_its_workspace_wide_limit_and_only_as_much_of_its_fan_out_is_claimed_as_could_go():
    clock = Ticks()
    pacer = Pacer(clock, per_team=Limit(300, 30), headroom=1.0)
    assert all(pacer.ask("T1", POST_MESSAGE, f"D{i}") == (0.0, True) for i in range(29))
    assert pacer.allowances(horizon=0.0) == {"T1": 1}  # one more now: claim at most one more of its fan-out
    assert pacer.ask("T1", POST_MESSAGE, "D29") == (0.0, True)
    assert pacer.allowances(horizon=0.0) == {"T1": 0} and pacer.soonest() == 0.2
    assert pacer.allowances(horizon=1.0) == {"T1": 5}
    assert pacer.ask("T1", POST_MESSAGE, "D30", horizon=0.0) == (0.2, False)  # a fan-out message keeps no slot ahead
    assert pacer.ask("T1", POST_MESSAGE, "D99") == (0.2, True)  # an answer keeps the next one
    assert pacer.ask("T2", POST_MESSAGE, "D1") == (0.0, True) and pacer.allowances(horizon=0.0)["T2"] == 29
    clock.now += 0.6
    assert pacer.allowances(horizon=0.0)["T1"] == 2


def test_a_429_pauses_only_what_slack_limited():
    clock = Ticks()
    pacer = Pacer(clock, headroom=1.0)
    pacer.limited("T1", POST_MESSAGE, "C1", 30)
    assert pacer.ask("T1", POST_MESSAGE, "C1", kept=True) == (30.0, True)  # the channel waits out Retry-After
    assert pacer.ask("T1", POST_MESSAGE, "C1") == (30.0, False)  # keeping no slot (nor charging the team's bucket)
    assert pacer.ask("T1", POST_MESSAGE, "C2") == (0.0, True)  # other channels flow
    assert pacer.ask("T1", "views.publish") == (0.0, True)
    pacer.limited("T1", "views.publish", None, 10)
    assert pacer.ask("T1", "views.publish")[0] == 10.0  # a tiered method: the team's method
    assert pacer.ask("T2", "views.publish") == (0.0, True)  # another team's is not limited
    assert pacer.ask("T1", "chat.update", "C3") == (0.0, True)  # nor another method
    clock.now += 30
    assert pacer.ask("T1", POST_MESSAGE, "C1") == (0.0, True)


def test_the_pacer_keeps_a_little_below_slacks_limits():
    clock = Ticks()
    pacer = Pacer(clock)  # the default headroom: 95% of each published rate
    assert all(pacer.ask("T1", POST_MESSAGE, "C1") == (0.0, True) for _ in range(3))
    assert pacer.ask("T1", POST_MESSAGE, "C1") == (round(1 / 0.95, 6), True)


def test_tiered_methods_are_paced_per_team_and_method():
    clock = Ticks()
    pacer = Pacer(clock, headroom=1.0)
    burst = [pacer.ask("T1", "dnd.teamInfo") for _ in range(4)]  # Tier 2: 20 a minute, bursts of 3
    assert burst[:3] == [(0.0, True)] * 3 and burst[3] == (3.0, True)
    assert pacer.ask("T1", "dnd.info") == (0.0, True) and pacer.ask("T2", "dnd.teamInfo") == (0.0, True)
    assert pacer.ask("T1", "auth.test") == (0.0, True)  # not paced
    unlimited = Pacer.unlimited(clock)
    assert all(unlimited.ask("T1", POST_MESSAGE, "C1") == (0.0, True) for _ in range(100))


def test_processes_sending_to_one_workspace_each_pace_it_to_their_share_of_its_limits():
    clock = Ticks()
    pacer = Pacer(clock, per_team=Limit(300, 30), headroom=1.0, reserve=0.0)
    pacer.shared_by(2)  # two live sender processes: each half of the workspace's 300 a minute, bursts of 15
    assert pacer.senders == 2
    assert all(pacer.ask("T1", POST_MESSAGE, f"D{i}") == (0.0, True) for i in range(15))
    assert pacer.ask("T1", POST_MESSAGE, "D15") == (0.4, True)  # 150 a minute: a slot every 0.4 s
    assert pacer.ask("T1", POST_MESSAGE, "D16") == (0.8, True)
    burst = [pacer.ask("T1", "dnd.teamInfo") for _ in range(2)]  # Tier 2 (20 a minute, bursts of 3): 10, bursts of 1
    assert burst == [(0.0, True), (6.0, True)]
    channel = [pacer.ask("T2", POST_MESSAGE, "C1") for _ in range(4)]  # a channel's limit is not shared
    assert channel[:3] == [(0.0, True)] * 3 and channel[3] == (1.0, True)
    pacer.shared_by(4)
    assert pacer.ask("T3", "users.info") == (0.0, True) and pacer.ask("T3", "users.info") == (
        0.0,
        True,
    )  # Tier 4: 25/min, bursts of 2
    assert pacer.ask("T3", "users.info") == (2.4, True)
    pacer.shared_by(0)  # never less than this process's whole
    assert pacer.senders == 1


def test_fan_out_leaves_a_slice_of_a_teams_post_rate_for_the_answers_someone_is_waiting_for():
    clock = Ticks()
    pacer = Pacer(clock, per_team=Limit(300, 30), per_channel=None, headroom=1.0)  # 10% kept for urgent kinds
    fan_out = 0
    answer_waits = []
    for step in range(1, 120 * 20 + 1):  # two minutes in 50 ms steps; the fan-out takes every slot it is allowed
        clock.now += 0.05
        while pacer.ask("T1", POST_MESSAGE, f"D{fan_out}", horizon=0.0, bulk=True)[0] == 0.0:
            fan_out += 1
        if step % 100 == 0:  # an answer every 5 s (0.2 a second: within the 0.5 a second kept)
            answer_waits.append(pacer.ask("T1", POST_MESSAGE, f"C{step}")[0])
    assert answer_waits and set(answer_waits) == {0.0}  # never behind the fan-out's drained bucket
    assert 27 + 0.9 * 5 * 120 - 5 <= fan_out <= 27 + 0.9 * 5 * 120 + 1  # bursts of 27, then 90% of 5 a second
    assert pacer.allowances(horizon=0.0)["T1"] <= 1  # its claims are capped by the fan-out's own bucket


def test_answers_beyond_the_kept_slice_wait_at_most_a_slot_of_the_teams_bucket():
    clock = Ticks()
    pacer = Pacer(clock, per_team=Limit(300, 30), per_channel=None, headroom=1.0)
    fan_out, waits = 0, []
    for step in range(1, 60 * 20 + 1):
        clock.now += 0.05
        while pacer.ask("T1", POST_MESSAGE, f"D{fan_out}", horizon=0.0, bulk=True)[0] == 0.0:
            fan_out += 1
        if step % 20 == 0:  # an answer a second: twice the slice kept, so it and the fan-out share what is left
            waits.append(pacer.ask("T1", POST_MESSAGE, f"C{step}")[0])
    assert max(waits) <= 0.2  # one slot of 5 a second at most: a fan-out keeps no slot ahead, an answer does
    assert fan_out >= 27 + 4 * 60 - 5  # the fan-out has the rest


def test_the_dnd_cache_holds_what_slack_said_for_the_utc_day_it_was_asked():
    cache = DndCache()
    morning = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    window = DndWindow.of(
        {"dnd_enabled": True, "next_dnd_start_ts": morning.timestamp(), "next_dnd_end_ts": morning.timestamp() + 3600}
    )
    cache.put("T1", "UANA", morning, window)
    assert cache.get("T1", "UANA", morning + timedelta(hours=14)) == window
    assert (
        window.until(morning.timestamp() + 60) == morning.timestamp() + 3600 and window.until(morning.timestamp() + 3600) is None
    )
    assert cache.unknown("T1", ["UANA", "UBEN", "UBEN"], morning) == ["UBEN"]
    assert cache.get("T1", "UANA", morning + timedelta(hours=15)) is None  # the next UTC day: asked again
    assert DndWindow.of({"dnd_enabled": False, "snooze_enabled": True, "snooze_endtime": 50}).until(10) == 50
