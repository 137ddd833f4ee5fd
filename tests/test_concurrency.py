"""Concurrent clicks and submissions through the running app, on SQLite and PostgreSQL: requests released at the same
instant (tests/concurrency.py) change what one of them alone would, and are audited once.

Two people given one stretch opportunity at once: exactly one gets it. Mentees asking one mentor at once, and the
mentor accepting several at once: the offer's capacity is never exceeded. Every modal submitted twice at once (a double
click) or again later (Slack's retry): one row, one audit entry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from storage.models import (
    Checkin,
    EvidenceItem,
    MentorOffer,
    Mentorship,
    Nomination,
    OutboxMessage,
    PromotionCycle,
    ReviewRequest,
    StretchAssignment,
    StretchInterest,
)
from tests.checkin_world import World, organisation, text_of
from tests.concurrency import at_once, audit_actions, counts
from tests.modal_filler import fill
from tests.test_growth_and_home import check_in, offer_mentoring
from tests.test_nominations import RATED, nominate, open_nominate, review_button

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        world.tick()
        yield world


def rows(world: World, model: type) -> list:
    with Session(world.services.engine) as session:
        return list(session.exec(select(model)))


def buttons(view: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"].startswith(prefix)]


def press(world: World, user: str, message: dict[str, Any], prefix: str) -> tuple[int, str]:
    [button] = buttons(message, prefix)
    status, body, _ = world.ladder.slack.block_actions(user, button["action_id"], message=message, channel_id=f"D{user}")
    return status, body


def submit_twice_at_once(world: World, user: str, view: dict[str, Any], answers: dict[str, Any]) -> list[tuple[int, str]]:
    """The same modal submitted twice at the same instant (a double click), then once more (Slack's retry); Slack
    then shows what the app answered."""
    values = fill(view, answers)
    send = lambda: world.ladder.slack.view_submission(user, view, values)[:2]  # noqa: E731
    answers_ = [*at_once(send, send), send()]
    for status, body in answers_:
        if status == 200 and body.strip().startswith("{") and view.get("id"):
            world.slack.answer_submission(view["id"], json.loads(body))
    return answers_


def post_opportunity(world: World, title: str) -> None:
    world.ladder.slack.slash_command("stretch", user_id="UPAT")
    status, answer = world.submit(
        "UPAT", world.open_modal("UPAT"), {"What is it?": title, "Competencies": ["Strategic influence"], "Ends": "2026-06-30"}
    )
    assert status == 200 and answer["response_action"] == "update", answer


def raise_hand(world: World, user: str, title: str) -> None:
    home = world.home(user)
    [button] = [
        e
        for e in buttons(home, "stretch_interested")
        if title in text_of([b for b in home["blocks"] if e in b.get("elements", [])])
    ]
    status, body, _ = world.ladder.slack.block_actions(user, button["action_id"], view=home)
    assert status == 200, body


# -- stretch work ---------------------------------------------------------------------------------------------------


def test_two_people_given_one_opportunity_at_once_exactly_one_gets_it(world):
    post_opportunity(world, "Run the incident review")
    for user in ("UANA", "UBEN"):
        check_in(world, user, {"Strategic influence": "Partly"})
        raise_hand(world, user, "Run the incident review")
    world.drain()
    notes = [m for m in world.dms_to("UPAT") if "is interested" in text_of(m["blocks"])]
    assert len(notes) == 2

    answers = at_once(*(lambda note=note: press(world, "UPAT", note, "stretch_give") for note in notes))

    assert [status for status, _ in answers] == [200, 200]
    taken = [i.user_id for i in rows(world, StretchInterest) if i.status == "taken"]
    assert len(taken) == 1
    assert [a.status for a in rows(world, StretchAssignment)] == ["closed"]
    assert [m.recipient for m in rows(world, OutboxMessage) if m.purpose == "stretch_given"] == taken
    world.drain()
    assert any("already given" in (m.get("text") or "") for m in world.dms_to("UPAT"))  # the other click is told why


def test_a_double_click_on_give_gives_once(world):
    post_opportunity(world, "Write the on-call guide")
    check_in(world, "UANA", {"Strategic influence": "Partly"})
    raise_hand(world, "UANA", "Write the on-call guide")
    world.drain()
    [note] = [m for m in world.dms_to("UPAT") if "is interested" in text_of(m["blocks"])]

    at_once(*[lambda: press(world, "UPAT", note, "stretch_give")] * 3)

    assert [(i.user_id, i.status) for i in rows(world, StretchInterest)] == [("UANA", "taken")]
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "stretch_given"]) == 1
    world.drain()
    assert not any("already given" in (m.get("text") or "") for m in world.dms_to("UPAT"))  # a repeat is no refusal


# -- mentoring ------------------------------------------------------------------------------------------------------


def ask_for_pat(world: World, mentee: str) -> dict[str, Any]:
    """The mentee's Home, whose growth plan suggests Pat as a mentor; returns Pat's request button's Home."""
    check_in(world, mentee, {"Strategic influence": "Not yet"})
    return world.home(mentee)


def pat_button(home: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in buttons(home, "mentor_request") if "UPAT" in e["value"])


def test_mentees_asking_one_mentor_at_once_never_exceed_the_offer(world):
    check_in(world, "UPAT", {"Strategic influence": "Exceeds"})
    offer_mentoring(world, "UPAT", ["Strategic influence"], capacity="2")
    mentees = ("UANA", "UBEN", "UCHI")
    homes = {mentee: ask_for_pat(world, mentee) for mentee in mentees}

    def ask(mentee: str) -> Any:
        return lambda: world.ladder.slack.block_actions(mentee, pat_button(homes[mentee])["action_id"], view=homes[mentee])

    statuses = at_once(*(ask(m) for m in mentees), ask("UANA"))  # and Ana clicks twice

    assert {status for status, _, _ in statuses} == {200}
    asked = [p.mentee for p in rows(world, Mentorship) if p.mentor == "UPAT"]
    assert len(asked) == 2 and len(set(asked)) == 2
    world.drain()
    requests = [m for m in world.dms_to("UPAT") if "would like you as a mentor" in text_of(m["blocks"])]
    assert len(requests) == 2
    [left_out] = set(mentees) - set(asked)
    assert any("no room" in (m.get("text") or "") for m in world.dms_to(left_out))


def test_a_mentor_accepting_at_once_never_exceeds_the_offer(world):
    check_in(world, "UPAT", {"Strategic influence": "Exceeds"})
    offer_mentoring(world, "UPAT", ["Strategic influence"], capacity="3")
    for mentee in ("UANA", "UBEN", "UCHI"):
        home = ask_for_pat(world, mentee)
        status, body, _ = world.ladder.slack.block_actions(mentee, pat_button(home)["action_id"], view=home)
        assert status == 200, body
    offer_mentoring(world, "UPAT", ["Strategic influence"], capacity="2")  # room for two now
    world.drain()
    requests = [m for m in world.dms_to("UPAT") if "would like you as a mentor" in text_of(m["blocks"])]
    assert len(requests) == 3

    at_once(*(lambda m=m: press(world, "UPAT", m, "mentor_accept") for m in [*requests, requests[0]]))

    accepted = [p.mentee for p in rows(world, Mentorship) if p.status == "accepted"]
    assert len(accepted) == 2 and len(set(accepted)) == 2
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "mentor_answer"]) == 2
    world.drain()
    assert any("as many as your offer takes" in (m.get("text") or "") for m in world.dms_to("UPAT"))


def test_a_first_mentor_offer_submitted_twice_at_once_is_one_offer(world):
    world.ladder.slack.slash_command("mentor", user_id="UPAT")
    modal = world.open_modal("UPAT")
    answers = {"Competencies": ["Strategic influence"], "How many": "2", "Availability": ["I am open to new mentees"]}

    results = submit_twice_at_once(world, "UPAT", modal, answers)

    assert [status for status, _ in results] == [200, 200, 200]
    [offer] = rows(world, MentorOffer)
    assert (offer.user_id, offer.capacity, offer.active, offer.competencies) == ("UPAT", 2, True, ["strategic_influence"])


# -- modals of the check-in and growth workflows, each submitted twice at once ----------------------------------------


def test_a_check_in_submitted_twice_at_once_is_one_check_in(world):
    world.ladder.slack.slash_command("checkin", user_id="UBEN")
    modal = world.open_modal("UBEN")
    answers = {"What went well": "Paired a lot", "Your goals": "Own a service", **{label: "Meets" for label in RATED}}
    answers["Sharing"] = ["Share this check-in with my manager"]

    results = submit_twice_at_once(world, "UBEN", modal, answers)

    assert [status for status, _ in results] == [200, 200, 200]
    assert len(rows(world, Checkin)) == 1
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "checkin_shared"]) == 1


def test_an_opportunity_posted_twice_at_once_is_one_opportunity(world):
    world.ladder.slack.slash_command("stretch", user_id="UPAT")
    modal = world.open_modal("UPAT")

    answers = {"What is it?": "Lead the review", "Competencies": ["Strategic influence"], "Ends": "2026-06-30"}
    submit_twice_at_once(world, "UPAT", modal, answers)

    assert [a.title for a in rows(world, StretchAssignment)] == ["Lead the review"]


# -- nominations, reviews and evidence: one row and one audit entry per change ------------------------------------------


def test_a_case_page_submitted_twice_at_once_is_one_nomination_audited_once(world):
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    first_page = submit_twice_at_once(world, "UMAX", modal, {})
    assert all(status == 200 for status, _ in first_page)
    page = world.shown(modal["id"])

    submit_twice_at_once(world, "UMAX", page, {"Peer reviewers": ["UCHI", "UPAT"], "Technical depth": "Led the migration."})
    world.drain()

    [nomination] = rows(world, Nomination)
    assert nomination.stage == "collecting"
    assert sorted(r.reviewer for r in rows(world, ReviewRequest)) == ["UCHI", "UPAT"]
    assert counts(audit_actions(world.services.engine, kind="nomination")) == {"submitted": 1, "review_requested": 2}
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "review_request"]) == 2


def test_reviews_and_declines_submitted_twice_at_once_are_audited_once(world):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT", "UBEN"])
    world.drain()
    [nomination] = rows(world, Nomination)
    answers = {**{label: "Meets" for label in RATED}, "Overall recommendation": "Support", "Comment for the panel": "Solid."}
    reviews = {}
    for reviewer in ("UCHI", "UBEN"):
        message, button = review_button(world, reviewer)
        world.ladder.slack.block_actions(reviewer, button["action_id"], message=message, channel_id=f"D{reviewer}")
        reviews[reviewer] = world.open_modal(reviewer)
    message, _ = review_button(world, "UPAT")
    world.ladder.slack.block_actions("UPAT", "review_decline", message=message, channel_id="DUPAT")
    decline = world.open_modal("UPAT")

    at_once(
        lambda: submit_twice_at_once(world, "UCHI", reviews["UCHI"], answers),
        lambda: submit_twice_at_once(world, "UBEN", reviews["UBEN"], answers),
        lambda: submit_twice_at_once(world, "UPAT", decline, {"Why": "Not my area."}),
    )

    actions = counts(audit_actions(world.services.engine, kind="nomination", object_id=nomination.id))
    assert actions == {"submitted": 1, "review_requested": 3, "reviewed": 2, "review_declined": 1, "ready": 1}, actions
    [after] = rows(world, Nomination)
    assert after.stage == "ready"  # the last review in readied it, however the three interleaved
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "reviews_complete"]) == 1


def test_evidence_saved_twice_at_once_is_one_item_audited_once(world):
    message = {"type": "message", "user": "UANA", "text": "Shipped the storage migration", "ts": "1773655200.000100"}
    world.ladder.slack.message_action("UANA", "save_evidence", message, "C0GENERAL")
    modal = world.open_modal("UANA")

    submit_twice_at_once(world, "UANA", modal, {"What it shows": "Led the migration.", "Competencies": ["Technical depth"]})

    [item] = rows(world, EvidenceItem)
    assert counts(audit_actions(world.services.engine, kind="evidence", object_id=item.id)) == {"evidence_saved": 1}


def test_withdrawal_evidence_deletion_and_a_replacement_clicked_twice_at_once_happen_once(world):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])
    world.drain()
    [nomination] = rows(world, Nomination)
    message, _ = review_button(world, "UPAT")
    world.ladder.slack.block_actions("UPAT", "review_decline", message=message, channel_id="DUPAT")
    assert world.submit("UPAT", world.open_modal("UPAT"), {"Why": "Not my area."})[0] == 200
    world.drain()
    told = world.last_dm("UMAX")
    world.ladder.slack.block_actions("UMAX", "review_replace", message=told, channel_id="DUMAX")
    replace = world.open_modal("UMAX")

    submit_twice_at_once(world, "UMAX", replace, {"Reviewer": "UBEN"})

    assert sorted((r.reviewer, r.status) for r in rows(world, ReviewRequest)) == [
        ("UBEN", "requested"), ("UCHI", "requested"), ("UPAT", "declined"),
    ]  # fmt: skip
    assert audit_actions(world.services.engine, kind="nomination").count("review_requested") == 3

    listed = world.ladder.slack.slash_command("nominations", user_id="UMAX")[1]
    [withdraw] = [e for e in buttons(json.loads(listed), "nomination_withdraw")]
    action, value = withdraw["action_id"], withdraw["value"]
    press_withdraw = lambda: world.ladder.slack.block_actions("UMAX", action, value=value)  # noqa: E731
    at_once(press_withdraw, press_withdraw)
    assert [n.stage for n in rows(world, Nomination)] == ["withdrawn"]
    assert audit_actions(world.services.engine, kind="nomination", object_id=nomination.id).count("withdrawn") == 1
    assert len([m for m in rows(world, OutboxMessage) if m.purpose == "review_cancelled"]) == 2

    message = {"type": "message", "user": "UANA", "text": "Shipped", "ts": "1773655200.000300"}
    world.ladder.slack.message_action("UANA", "save_evidence", message, "C0GENERAL")
    world.submit("UANA", world.open_modal("UANA"), {"What it shows": "Led it.", "Competencies": ["Technical depth"]})
    [item] = rows(world, EvidenceItem)
    value = json.dumps({"evidence": item.id})
    delete = lambda: world.ladder.slack.block_actions("UANA", f"evidence_delete:{item.id}", value=value)  # noqa: E731
    assert [status for status, _, _ in at_once(delete, delete)] == [200, 200]
    assert rows(world, EvidenceItem) == []
    assert counts(audit_actions(world.services.engine, kind="evidence")) == {"evidence_saved": 1, "evidence_deleted": 1}


def test_two_nominations_naming_one_reviewer_at_once_never_exceed_the_reviewers_cap(world):
    pages = []
    for nominee in ("UANA", "UBEN"):
        modal = open_nominate(world, "UMAX", f"<@{nominee}|{nominee.lower()}>")
        assert world.submit("UMAX", modal, {})[0] == 200
        pages.append(world.shown(modal["id"]))
    with Session(world.services.engine) as session:
        [cycle] = session.exec(select(PromotionCycle)).all()
        cycle.review_cap = 1
        session.add(cycle)
        session.commit()
    case = {"Peer reviewers": ["UCHI", "UPAT"], "Technical depth": "Led the migration."}
    sends = [lambda page=page: world.ladder.slack.view_submission("UMAX", page, fill(page, case))[:2] for page in pages]

    answers = at_once(*sends)

    outcomes = sorted(json.loads(body)["response_action"] for _, body in answers)
    assert outcomes == ["errors", "update"], answers
    world.drain()
    assert sorted(r.reviewer for r in rows(world, ReviewRequest)) == ["UCHI", "UPAT"]


def test_a_home_tab_event_is_published_once_however_often_slack_sends_it_and_a_failed_publish_is_retried(world):
    """Opening the Home writes its publication to the outbox with the event's claim: Slack's redeliveries, arriving at
    once, publish nothing more, and a publish Slack fails is retried by the outbox rather than lost."""
    world.slack.expect_refusals("internal_error")
    world.slack.fail_next("views.publish")
    assert world.ladder.slack.app_home_opened("UANA", event_id="Ev0HOME1")[0] == 200
    retry = lambda n: lambda: world.ladder.slack.app_home_opened("UANA", event_id="Ev0HOME1", retry_num=n)  # noqa: E731
    assert [status for status, _, _ in at_once(retry(1), retry(2))] == [200, 200]
    world.drain()
    assert world.slack.home_of("UANA") is None  # Slack failed it: back in the outbox, after a backoff

    world.clock.advance(timedelta(minutes=1))
    world.drain()
    assert world.slack.home_of("UANA") is not None
    assert len([c for c in world.slack.calls("views.publish") if c.args.get("user_id") == "UANA"]) == 2  # failed, then once


def test_a_hand_raised_while_the_opportunity_is_being_given_waits_and_is_refused(world, database_url):
    """A give holds the opportunity from its first read (as give_stretch does) and closes it: a hand raised meanwhile
    waits for it, then finds it closed — never a hand kept on a closed opportunity, its poster told of it."""
    import threading

    from sqlalchemy import create_engine, text

    from storage.engine import normalize_url
    from tests.test_growth_and_home import check_in as checked_in

    post_opportunity(world, "Run the incident review")
    checked_in(world, "UBEN", {"Strategic influence": "Partly"})
    home = world.home("UBEN")
    [button] = buttons(home, "stretch_interested")
    [assignment] = rows(world, StretchAssignment)
    giver = create_engine(normalize_url(database_url), isolation_level="AUTOCOMMIT").connect()
    postgres = database_url.startswith("postgresql")
    giver.execute(text("BEGIN") if postgres else text("BEGIN IMMEDIATE"))
    if postgres:
        giver.execute(text("SELECT id FROM stretch_assignment WHERE id = :id FOR UPDATE"), {"id": assignment.id})
    answered = threading.Event()
    threading.Thread(
        target=lambda: (world.ladder.slack.block_actions("UBEN", button["action_id"], view=home), answered.set()), daemon=True
    ).start()
    assert not answered.wait(1), "the hand waits for the give in progress"
    giver.execute(text("UPDATE stretch_assignment SET status = 'closed' WHERE id = :id"), {"id": assignment.id})
    giver.execute(text("COMMIT"))
    giver.close()
    assert answered.wait(10)
    assert rows(world, StretchInterest) == []
    assert [m for m in rows(world, OutboxMessage) if m.purpose == "stretch_interest"] == []
