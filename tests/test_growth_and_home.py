"""Growth plans, mentors and stretch work, and the App Home: through Slack, as people would use them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from storage.models import Mentorship, StretchInterest
from tests.checkin_world import World, organisation, text_of

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
RATINGS = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        yield world


def check_in(world: World, user: str, ratings: dict[str, str], *, share: bool = False, **answers: str) -> None:
    world.ladder.slack.slash_command("checkin", user_id=user)
    modal = world.open_modal(user)
    filled = {"What went well": "Things", "Your goals": "Grow", **{label: "Meets" for label in RATINGS}, **ratings, **answers}
    if share:
        filled["Sharing"] = ["Share this check-in with my manager"]
    status, answer = world.submit(user, modal, filled)
    assert status == 200 and answer["response_action"] == "update", answer


def offer_mentoring(world: World, user: str, competencies: list[str], capacity: str = "2") -> None:
    status, body, _ = world.ladder.slack.slash_command("mentor", user_id=user)
    assert status == 200, body
    modal = world.open_modal(user)
    status, answer = world.submit(
        user, modal, {"Competencies": competencies, "How many": capacity, "Availability": ["I am open to new mentees"]}
    )
    assert status == 200 and answer in ("", {}), answer


def test_growth_plan_mentor_request_and_pair_checkins(world):
    world.tick()
    check_in(world, "UPAT", {"Strategic influence": "Exceeds"})  # Pat is strong in it by their own rating
    offer_mentoring(world, "UPAT", ["Strategic influence", "Technical depth"])
    offer_mentoring(world, "UMAX", ["Strategic influence"])  # Ana's manager: never suggested to Ana
    check_in(
        world,
        "UANA",
        {"Strategic influence": "Not yet", "Project execution": "Partly"},
        **{"Strategic influence: in your own words": "I avoid big meetings"},
    )
    home = world.home("UANA")
    shown = text_of(home["blocks"])
    assert "Your growth plan" in shown and "Strategic influence" in shown and "I avoid big meetings" in shown
    assert shown.index("*Strategic influence* (you: Not yet)") < shown.index(
        "*Project execution* (you: Partly)"
    )  # biggest gap first
    ask = [
        e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"].startswith("mentor_request")
    ]
    assert ask and all("UMAX" not in e["value"] for e in ask)
    assert any("UPAT" in e["value"] for e in ask)
    pat_button = next(e for e in ask if "UPAT" in e["value"])
    status, body, _ = world.ladder.slack.block_actions("UANA", pat_button["action_id"], view=world.slack.home_of("UANA"))
    assert status == 200, body
    world.ladder.slack.block_actions("UANA", pat_button["action_id"], view=world.slack.home_of("UANA"))  # a double click
    world.services.sender.drain()
    requests = [m for m in world.dms_to("UPAT") if "would like you as a mentor" in text_of(m["blocks"])]
    assert len(requests) == 1
    world.ladder.slack.block_actions("UPAT", "mentor_accept", message=requests[0], channel_id="DUPAT")
    world.services.sender.drain()
    assert "accepted" in text_of(world.last_dm("UANA")["blocks"])
    with Session(world.services.engine) as session:
        pair = session.exec(select(Mentorship)).one()
    assert pair.status == "accepted" and pair.next_checkin_at is not None
    world.clock.set(pair.next_checkin_at)
    world.tick()
    assert "mentoring check-in" in text_of(world.last_dm("UANA")["blocks"])
    assert "mentoring check-in" in text_of(world.last_dm("UPAT")["blocks"])
    assert "You mentor <@UANA>" in text_of(world.home("UPAT")["blocks"])


def test_stretch_work_is_suggested_for_a_gap_and_its_taker_recorded(world):
    world.tick()
    status, body, _ = world.ladder.slack.slash_command("stretch", user_id="UPAT")
    assert status == 200, body
    modal = world.open_modal("UPAT")
    status, answer = world.submit(
        "UPAT",
        modal,
        {"What is it?": "Lead the Q2 architecture review <!here>", "Competencies": ["Strategic influence"], "Ends": "2026-03-01"},
    )
    assert answer["response_action"] == "errors" and "ends_on" in answer["errors"]  # already over
    status, answer = world.submit(
        "UPAT",
        modal,
        {"What is it?": "Lead the Q2 architecture review <!here>", "Competencies": ["Strategic influence"], "Ends": "2026-06-30"},
    )
    assert answer["response_action"] == "update"
    check_in(world, "UANA", {"Strategic influence": "Partly"})
    home = world.home("UANA")
    assert "Lead the Q2 architecture review &lt;!here&gt;" in text_of(home["blocks"])
    button = next(
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("stretch_interested")
    )
    world.ladder.slack.block_actions("UANA", button["action_id"], view=home)
    world.services.sender.drain()
    note = world.last_dm("UPAT")
    assert "<@UANA> is interested" in text_of(note["blocks"])
    assert "<@UANA>" in text_of(world.home("UPAT")["blocks"])
    world.ladder.slack.block_actions("UPAT", "stretch_give", message=note, channel_id="DUPAT")
    with Session(world.services.engine) as session:
        (interest,) = session.exec(select(StretchInterest)).all()
    assert interest.status == "taken" and interest.taken_at is not None
    assert "given to <@UANA>" in text_of(world.home("UPAT")["blocks"])
    world.services.sender.drain()
    assert "<@UPAT> gave you *Lead the Q2 architecture review &lt;!here&gt;*" in text_of(world.last_dm("UANA")["blocks"])


def test_home_shows_each_person_only_their_own_check_ins_and_those_shared_with_them(world):
    world.tick()
    check_in(world, "UANA", {}, **{"Your goals": "Private goal of Ana"})
    check_in(world, "UBEN", {}, share=True, **{"Your goals": "Shared goal of Ben"})
    world.services.sender.drain()
    homes = {user: text_of(world.home(user)["blocks"]) for user in ("UANA", "UBEN", "UMAX", "UPAT", "UADMIN")}
    assert "Private goal of Ana" in homes["UANA"] and "Shared goal of Ben" not in homes["UANA"]
    assert "Shared goal of Ben" in homes["UBEN"] and "Private goal of Ana" not in homes["UBEN"]
    # the manager sees what was shared with them, not what was kept private
    assert "Shared goal of Ben" in homes["UMAX"] and "Private goal of Ana" not in homes["UMAX"]
    for outsider in ("UPAT", "UADMIN"):
        assert "Private goal of Ana" not in homes[outsider] and "Shared goal of Ben" not in homes[outsider]
    # and the manager's direct message is the only message that carried it
    carried = [
        user
        for user in ("UANA", "UPAT", "UADMIN", "UBEN")
        if any("Shared goal of Ben" in text_of(m["blocks"]) for m in world.dms_to(user))
    ]
    assert carried == []


def test_home_stays_within_slacks_limits_for_a_long_history(world):
    world.tick()
    for week in range(30):
        check_in(world, "UANA", {"Technical depth": "Partly"}, **{"Your goals": f"Goal {week} " + "x" * 2900})
    for user in ("UPAT", "UCHI", "UMAX"):
        offer_mentoring(world, user, ["Technical depth", "Strategic influence", "Project execution"])
    home = world.home("UANA")
    assert len(home["blocks"]) <= 100
    assert "30 check-ins in all" in text_of(home["blocks"])


def test_failed_deliveries_are_shown_to_admins_only(world):
    world.tick()
    world.slack.disable_user("UMAX")
    check_in(world, "UBEN", {}, share=True)
    world.services.sender.drain()
    assert "Deliveries that failed" in text_of(world.home("UADMIN")["blocks"])
    assert "user_disabled" in text_of(world.home("UADMIN")["blocks"])
    assert "Deliveries that failed" not in text_of(world.home("UBEN")["blocks"])


def test_ask_a_question_from_the_home_tab(world):
    home = world.home("UANA")
    status, body, _ = world.ladder.slack.block_actions("UANA", "home_ask", view=home)
    assert status == 200, body
    modal = world.open_modal("UANA")
    status, answer = world.submit("UANA", modal, {"Your question": "what does staff mean"})
    assert answer["response_action"] == "update" and "Staff Engineer" in text_of(answer["view"]["blocks"])


def test_slash_help_lists_the_commands(world):
    status, body, _ = world.ladder.slack.slash_command("help", user_id="UANA")
    assert status == 200 and "/ladder checkin" in body and "/ladder stretch" in body


def test_an_opportunity_is_given_once(world):
    world.tick()
    world.ladder.slack.slash_command("stretch", user_id="UPAT")
    world.submit(
        "UPAT",
        world.open_modal("UPAT"),
        {"What is it?": "Run the incident review", "Competencies": ["Strategic influence"], "Ends": "2026-06-30"},
    )
    for user in ("UANA", "UBEN"):
        check_in(world, user, {"Strategic influence": "Partly"})
        home = world.home(user)
        button = next(
            e
            for b in home["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"].startswith("stretch_interested")
        )
        world.ladder.slack.block_actions(user, button["action_id"], view=home)
    world.services.sender.drain()
    notes = [m for m in world.dms_to("UPAT") if "is interested" in text_of(m["blocks"])]
    assert len(notes) == 2
    world.ladder.slack.block_actions("UPAT", "stretch_give", message=notes[0], channel_id="DUPAT")
    world.ladder.slack.block_actions("UPAT", "stretch_give", message=notes[1], channel_id="DUPAT")  # refused: given already
    with Session(world.services.engine) as session:
        taken = [i.user_id for i in session.exec(select(StretchInterest)).all() if i.status == "taken"]
    assert len(taken) == 1
    assert "already given" in text_of(world.last_dm("UPAT").get("blocks") or []) + (world.last_dm("UPAT").get("text") or "")
