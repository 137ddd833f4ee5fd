"""Promotion nominations, peer reviews and the evidence log, through Slack as people would use them.

The real Bolt app over HTTP and the fake Slack: commands and shortcuts open modals, which are read,
filled and submitted as a person would; buttons are pressed in the messages the outbox delivered;
time moves only when the test moves it. SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.cli import main
from storage.models import AuditEvent, Nomination, PromotionCycle, ReviewRequest
from tests.checkin_world import PEOPLE, World, organisation, text_of
from tests.modal_filler import fill

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
SECRET = "SECRET-panel-only-words"
RATED = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    fake_slack.add_user("UBOT", "bot@example.com", "Some Integration", is_bot=True)
    fake_slack.add_user("UNEW", "new@example.com", "New Starter")  # in Slack, but no level recorded in Ladder
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        world.tick()  # the clock learns everyone's timezone
        yield world


def rows(world: World, model: type) -> list:
    with Session(world.services.engine) as session:
        return list(session.exec(select(model)))


def open_nominate(world: World, user: str, text: str = "") -> dict:
    status, body, _ = world.ladder.slack.slash_command(f"nominate {text}".strip(), user_id=user)
    assert status == 200 and body == "", body
    return world.open_modal(user)


def first_page(world: World, user: str, nominee: str | None, **answers: str) -> tuple[int, dict]:
    modal = open_nominate(world, user, f"<@{nominee}|{nominee.lower()}>" if nominee else "")
    filled = {"Who are you nominating?": nominee, **answers} if nominee and "Who are you nominating?" not in answers else answers
    return world.submit(user, modal, filled)


def nominate(world: World, user: str, nominee: str, reviewers: list[str], **case: str) -> dict:
    modal = open_nominate(world, user, f"<@{nominee}|{nominee.lower()}>")
    status, answer = world.submit(user, modal, {})
    assert status == 200 and answer["response_action"] == "update", answer
    page = world.shown(modal["id"])
    filled = {"Peer reviewers": reviewers, **(case or {"Technical depth": "Led the storage migration."})}
    status, answer = world.submit(user, page, filled)
    assert status == 200 and answer["response_action"] == "update", answer
    return page


def review_button(world: World, reviewer: str) -> tuple[dict, dict]:
    message = next(m for m in reversed(world.dms_to(reviewer)) if "Write review" in text_of(m["blocks"]))
    button = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"].startswith("review_write")
    )
    return message, button


def write_review(world: World, reviewer: str, comment: str = SECRET, rating: str = "Meets", **extra: str) -> tuple[int, dict]:
    message, button = review_button(world, reviewer)
    status, body, _ = world.ladder.slack.block_actions(reviewer, button["action_id"], message=message, channel_id=f"D{reviewer}")
    assert status == 200, body
    modal = world.open_modal(reviewer)
    answers = {
        **{label: rating for label in RATED},
        "Overall recommendation": "Support",
        "Comment for the panel": comment,
        **extra,
    }
    return world.submit(reviewer, modal, answers)


def test_a_manager_nominates_peers_review_and_only_the_right_people_see_what(world):
    page = nominate(
        world, "UMAX", "UANA", ["UCHI", "UPAT", "UBEN"],
        **{"Technical depth": "Designed the new storage layer.", "Shipped contributions": "Storage v2 https://example.com/storage-v2"},
    )  # fmt: skip
    hint = next(b for b in page["blocks"] if b.get("label", {}).get("text") == "Technical depth")["hint"]["text"]
    assert hint  # each competency shows the target level's expectation
    # Slack retries the submission (it thought it timed out): still one nomination, one request per reviewer
    status, body, _ = world.ladder.slack.view_submission("UMAX", page, {})
    assert status == 200 and "response_action" in body
    world.drain()
    [nomination] = rows(world, Nomination)
    assert (nomination.stage, nomination.target_level, nomination.track_switch) == ("collecting", "staff", False)
    assert nomination.portfolio[0]["link"] == "https://example.com/storage-v2"
    assert sorted(r.reviewer for r in rows(world, ReviewRequest)) == ["UBEN", "UCHI", "UPAT"]
    world.drain()
    for reviewer in ("UCHI", "UPAT", "UBEN"):
        assert len([m for m in world.dms_to(reviewer) if "Write review" in text_of(m["blocks"])]) == 1
    assert "nominated you" in text_of(world.last_dm("UANA")["blocks"])

    status, answer = write_review(world, "UCHI", conflicts="I work closely with this person")
    assert status == 200 and answer["response_action"] == "update", answer

    # Pat declines; Max is told, names Ada instead
    message, _ = review_button(world, "UPAT")
    world.ladder.slack.block_actions("UPAT", "review_decline", message=message, channel_id="DUPAT")
    decline = world.open_modal("UPAT")
    status, answer = world.submit("UPAT", decline, {"Why": "I have not worked with Ana this year."})
    assert status == 200 and answer["response_action"] == "update", answer
    world.drain()
    told = world.last_dm("UMAX")
    assert "declined" in text_of(told["blocks"]) and "not worked with Ana" in text_of(told["blocks"])
    world.ladder.slack.block_actions("UMAX", "review_replace", message=told, channel_id="DUMAX")
    replace = world.open_modal("UMAX")
    status, answer = world.submit("UMAX", replace, {"Reviewer": "UADMIN"})
    assert status == 200 and answer["response_action"] == "update", answer
    world.drain()

    assert write_review(world, "UBEN")[0] == 200
    assert write_review(world, "UADMIN")[0] == 200
    world.drain()
    assert "All reviews are in" in text_of(world.last_dm("UMAX")["blocks"])
    [nomination] = rows(world, Nomination)
    assert nomination.stage == "ready"

    # who sees what: the review text reaches nobody but the panel (later) and its author's own modal
    homes = {user: text_of(world.home(user)["blocks"]) for user in PEOPLE}
    assert "ready for the panel" in homes["UANA"] and "Staff" in homes["UANA"]
    assert "UCHI" not in homes["UANA"] and "UBEN" not in homes["UANA"]  # the nominee never learns who reviewed
    assert "3 reviews in" in homes["UMAX"]
    assert [user for user, text in homes.items() if SECRET in text] == []
    sent = [
        c for c in world.slack.calls() if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
    ]
    assert [c.args.get("channel") for c in sent if SECRET in str(c.args)] == []
    status, body, _ = world.ladder.slack.slash_command("nominations", user_id="UANA")
    assert "ready for the panel" in body and SECRET not in body and "UCHI" not in body
    history = [(e.action, e.actor) for e in rows(world, AuditEvent) if e.object_kind == "nomination"]
    assert ("submitted", "UMAX") in history and ("review_declined", "UPAT") in history and ("ready", "ladder") in history
    assert all(SECRET not in str(e.detail) for e in rows(world, AuditEvent))


def test_an_engineer_nominates_themselves_for_a_track_switch(world):
    status, answer = first_page(world, "UCHI", "UCHI", **{"For which level": "Engineering Manager"})
    assert status == 200 and answer["response_action"] == "update", answer
    assert "a track switch" in text_of(answer["view"]["blocks"])


@pytest.mark.parametrize(
    ("nominator", "nominee", "answers", "field", "says"),
    [
        ("UMAX", "UBOT", {}, "nominee", "an app"),
        ("UBEN", "UANA", {}, "nominee", "Max Manager"),  # a colleague: told who can
        ("UADMIN", "UNEW", {}, "nominee", "not recorded"),
        ("UMAX", "UANA", {"For which level": "Senior Software Engineer"}, "target", "not above"),
    ],
)
def test_the_first_page_refuses_with_a_reason_on_the_field(world, nominator, nominee, answers, field, says):
    if nominee == "UBOT":
        world.slack.add_user("UBOT", "bot@example.com", "Some Integration", is_bot=True)
    status, answer = first_page(world, nominator, nominee, **answers)
    assert status == 200 and answer["response_action"] == "errors", answer
    assert says in answer["errors"][field]
    assert rows(world, Nomination) == []


def test_the_case_page_refuses_with_a_reason_on_the_field(world):
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    page = world.shown(modal["id"])
    cases = [
        ({"Peer reviewers": ["UCHI", "UPAT"]}, "case:technical_depth", "at least one competency"),
        ({"Technical depth": "x", "Peer reviewers": ["UCHI"]}, "reviewers", "at least 2"),
        ({"Technical depth": "x", "Peer reviewers": ["UCHI", "UANA"]}, "reviewers", "cannot review their own"),
        ({"Technical depth": "x", "Peer reviewers": ["UCHI", "UMAX"]}, "reviewers", "cannot also review"),
    ]
    for answers, field, says in cases:
        status, answer = world.submit("UMAX", page, answers)
        assert answer["response_action"] == "errors" and says in answer["errors"].get(field, ""), (answers, answer)
    assert [n.stage for n in rows(world, Nomination)] == ["draft"]
    # a second nomination of Ana in the cycle is refused, saying who started the first and when
    status, answer = world.submit("UMAX", page, {"Technical depth": "x", "Peer reviewers": ["UCHI", "UPAT"]})
    assert answer["response_action"] == "update"
    status, answer = first_page(world, "UANA", "UANA")
    assert "already has an open nomination" in answer["errors"]["nominee"] and "Max Manager" in answer["errors"]["nominee"]


def test_a_reviewer_asked_too_often_is_refused(world):
    with Session(world.services.engine) as session:  # closed before the app is asked: a writing session holds SQLite's lock
        found = session.exec(select(PromotionCycle)).first()
    if found is None:
        world.ladder.slack.slash_command("nominate", user_id="UMAX")
    with Session(world.services.engine) as session:
        cycle = session.exec(select(PromotionCycle)).one()
        cycle.review_cap = 1
        session.add(cycle)
        session.commit()
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])
    modal = open_nominate(world, "UMAX", "<@UBEN|ben>")
    world.submit("UMAX", modal, {})
    status, answer = world.submit(
        "UMAX", world.shown(modal["id"]), {"Technical depth": "x", "Peer reviewers": ["UCHI", "UADMIN"]}
    )
    assert "Chi Sydney already has 1 reviews" in answer["errors"]["reviewers"]


def test_a_closed_case_page_is_a_draft_and_comes_back(world):
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    page = world.shown(modal["id"])
    world.ladder.slack.view_closed("UMAX", page, fill(page, {"Technical depth": "Half-written case", "Peer reviewers": ["UCHI"]}))
    again = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", again, {})
    shown = text_of(world.shown(again["id"])["blocks"])
    assert "We kept your draft" in shown
    restored = next(b for b in world.shown(again["id"])["blocks"] if b.get("label", {}).get("text") == "Technical depth")
    assert restored["element"]["initial_value"] == "Half-written case"
    status, body, _ = world.ladder.slack.slash_command("nominations", user_id="UMAX")
    assert "draft" in body and "Continue" in body


def test_a_draft_saved_again_ages_from_its_last_save(world):
    """Retention removes unsent drafts counted from their last change (docs/retention.md), not from the first page."""
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    page = world.shown(modal["id"])
    world.clock.advance(timedelta(days=80))
    world.ladder.slack.view_closed("UMAX", page, fill(page, {"Technical depth": "Still writing", "Peer reviewers": ["UCHI"]}))
    with Session(world.services.engine) as session:
        draft = session.exec(select(Nomination).where(Nomination.nominator == "UMAX", Nomination.stage == "draft")).one()
    assert draft.stage_changed_at == world.clock()


def test_the_home_is_published_again_when_the_person_acted_from_it(world):
    def publishes() -> int:
        world.drain()
        return sum(1 for c in world.slack.calls("views.publish") if c.args.get("user_id") == "UMAX")

    before = publishes()
    nominate(world, "UMAX", "UBEN", ["UCHI", "UPAT"])  # from /ladder: the Home is not on their screen
    assert publishes() == before, "published a Home nobody is looking at (it is rebuilt when they open it)"

    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    world.ladder.slack.view_closed("UMAX", world.shown(modal["id"]), {})  # a draft
    home = world.home("UMAX")
    assert "draft" in text_of(home["blocks"])
    button = next(
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("nomination_continue")
    )
    status, body, _ = world.ladder.slack.block_actions("UMAX", button["action_id"], view=home)
    assert status == 200, body
    page = world.open_modal("UMAX")
    status, answer = world.submit(
        "UMAX", page, {"Technical depth": "Shipped the search rewrite.", "Peer reviewers": ["UCHI", "UPAT"]}
    )
    assert status == 200 and answer["response_action"] == "update", answer
    published = publishes()
    assert published == before + 2, "the Home behind the modal shows the submission"
    shown = text_of(world.slack.home_of("UMAX")["blocks"])
    assert "collecting reviews" in shown and "draft" not in shown


def test_review_requests_are_written_in_the_submissions_own_transaction(world, monkeypatch):
    from bot.nominations.service import Nominations

    def dies(*_args, **_kwargs):
        raise RuntimeError("the process died while writing the requests")

    page = open_nominate(world, "UMAX", "<@UANA|uana>")
    status, answer = world.submit("UMAX", page, {})
    page = world.shown(page["id"])
    monkeypatch.setattr(Nominations, "request_reviews", dies)
    status, _ = world.submit("UMAX", page, {"Peer reviewers": ["UCHI", "UPAT"], "Technical depth": "Led the migration."})
    assert status == 500  # nothing of the submission was saved: the nominator can submit it again
    assert [n.stage for n in rows(world, Nomination)] == ["draft"] and rows(world, ReviewRequest) == []
    monkeypatch.undo()
    status, answer = world.submit("UMAX", page, {"Peer reviewers": ["UCHI", "UPAT"], "Technical depth": "Led the migration."})
    assert status == 200 and answer["response_action"] == "update", answer
    assert sorted(r.reviewer for r in rows(world, ReviewRequest)) == ["UCHI", "UPAT"]  # with the submission, not after it
    world.drain()
    assert len([m for m in world.dms_to("UCHI") if "Write review" in text_of(m["blocks"])]) == 1
    world.tick()
    assert len([m for m in world.dms_to("UCHI") if "Write review" in text_of(m["blocks"])]) == 1


def test_reminders_the_due_date_and_no_edits_after_it(world):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])
    world.drain()
    [nomination] = rows(world, Nomination)
    assert write_review(world, "UCHI")[0] == 200
    reminders = sorted(r.next_reminder_at for r in rows(world, ReviewRequest) if r.status == "requested")
    [pat_first] = reminders
    assert pat_first.astimezone(UTC).hour == 9  # 10:00 in Berlin (CET)
    world.clock.set(pat_first + timedelta(minutes=1))
    world.tick()
    assert "reminder" in text_of(world.last_dm("UPAT")["blocks"]).lower()
    assert not any("reminder" in text_of(m["blocks"]).lower() for m in world.dms_to("UCHI"))  # Chi has written theirs
    world.clock.set(nomination.closes_at + timedelta(minutes=1))
    world.tick()
    [nomination] = rows(world, Nomination)
    assert nomination.stage == "ready"
    assert "closed: 1 of 2 came in" in text_of(world.last_dm("UMAX")["blocks"])
    message, button = review_button(world, "UCHI")
    world.slack.expect_refusals()
    world.ladder.slack.block_actions("UCHI", button["action_id"], message=message, channel_id="DUCHI")
    world.drain()
    assert "closed" in str(world.slack.calls("chat.postMessage")[-1].args.get("text"))


def test_withdrawing_tells_reviewers_and_the_nominee(world):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])
    world.drain()
    status, body, _ = world.ladder.slack.slash_command("nominations", user_id="UMAX")
    message = json.loads(body)
    withdraw = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("nomination_withdraw")
    )
    world.ladder.slack.block_actions("UMAX", withdraw["action_id"], message={**message, "ts": "1.1"}, channel_id="C0GENERAL")
    world.drain()
    assert "no review is needed" in text_of(world.last_dm("UCHI")["blocks"])
    assert "withdrawn" in text_of(world.last_dm("UANA")["blocks"])
    assert [n.stage for n in rows(world, Nomination)] == ["withdrawn"]
    assert {r.status for r in rows(world, ReviewRequest)} == {"cancelled"}
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])  # withdrawn is closed: a new one may be made


def test_the_global_shortcut_opens_the_same_flow(world):
    status, body, _ = world.ladder.slack.shortcut("UMAX", "nominate_shortcut")
    assert status == 200, body
    assert world.open_modal("UMAX")["callback_id"] == "nominate"


def test_a_name_that_is_not_a_mention_gets_a_helpful_answer(world):
    status, body, _ = world.ladder.slack.slash_command("nominate ana", user_id="UMAX")
    assert status == 200 and "pick the person from the list" in body
    assert world.slack.open_views("UMAX") == []


def test_the_evidence_log(world):
    posted = {"type": "message", "user": "UANA", "text": "Shipped the migration <!channel>", "ts": "1700000000.000100"}
    status, body, _ = world.ladder.slack.message_action("UANA", "save_evidence", posted, "C0GENERAL")
    assert status == 200, body
    modal = world.open_modal("UANA")
    assert "archives/C0GENERAL/p1700000000000100" in text_of(modal["blocks"])
    status, answer = world.submit(
        "UANA", modal, {"What it shows": "Led the migration end to end", "Competencies": ["Technical depth"]}
    )
    assert answer["response_action"] == "update", answer
    # a manager logs evidence about a report; a colleague cannot log it about someone else
    world.ladder.slack.message_action("UMAX", "save_evidence", posted, "C0GENERAL")
    modal = world.open_modal("UMAX")
    world.submit(
        "UMAX",
        modal,
        {"About whom": "UANA", "What it shows": "Mentored two new starters", "Competencies": ["Mentoring without supervising"]},
    )
    world.ladder.slack.message_action("UBEN", "save_evidence", posted, "C0GENERAL")
    modal = world.open_modal("UBEN")
    status, answer = world.submit(
        "UBEN", modal, {"About whom": "UANA", "What it shows": "x", "Competencies": ["Technical depth"]}
    )
    assert "about yourself, or about someone who reports to you" in answer["errors"]["subject"]

    status, body, _ = world.ladder.slack.slash_command("evidence", user_id="UANA")
    assert body.index("Mentored two new starters") < body.index("Led the migration")  # newest first
    status, body, _ = world.ladder.slack.slash_command("evidence tech depth", user_id="UANA")
    assert "Led the migration" in body and "Mentored" not in body
    assert "Led the migration" not in world.ladder.slack.slash_command("evidence", user_id="UBEN")[1]

    # offered as portfolio entries when Ana is nominated
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    page = world.shown(modal["id"])
    assert "Led the migration end to end" in text_of(page["blocks"])
    world.submit(
        "UMAX",
        page,
        {"From their evidence log": ["Led the migration end to end"], "Technical depth": "x", "Peer reviewers": ["UCHI", "UPAT"]},
    )
    [nomination] = rows(world, Nomination)
    assert any(p["kind"] == "evidence" and "Led the migration" in p["text"] for p in nomination.portfolio)

    # only its author deletes an item
    listing = json.loads(world.ladder.slack.slash_command("evidence", user_id="UANA")[1])
    deletes = [
        b["accessory"]["action_id"]
        for b in listing["blocks"]
        if b.get("accessory", {}).get("action_id", "").startswith("evidence_delete")
    ]
    assert len(deletes) == 1  # Ana wrote one of the two items about her
    world.ladder.slack.block_actions("UANA", deletes[0], message={**listing, "ts": "1.2"}, channel_id="C0GENERAL")
    assert "Led the migration" not in world.ladder.slack.slash_command("evidence", user_id="UANA")[1]


def test_admins_and_the_command_line(world, monkeypatch):
    status, body, _ = world.ladder.slack.slash_command("admins add <@UBEN|ben>", user_id="UCHI")
    assert "Only a Ladder admin" in body
    status, body, _ = world.ladder.slack.slash_command("admins add <@UBEN|ben>", user_id="UADMIN")
    assert "is now a Ladder admin" in body
    status, body, _ = world.ladder.slack.slash_command("admins", user_id="UCHI")
    assert "<@UBEN>" in body and "<@UADMIN>" in body

    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"], **{"Technical depth": SECRET})
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["admins", "add", "UPAT", "--team", "T0TEST"]) == 0
        assert main(["nominations", "list", "--team", "T0TEST"]) == 0
        assert main(["nominations", "export", "--cycle", "2026 H1", "--format", "csv", "--team", "T0TEST"]) == 0
    printed = out.getvalue()
    assert "UANA" in printed and "collecting" in printed and SECRET not in printed
    exported = list(csv.DictReader(io.StringIO(printed[printed.index("nomination_id") :])))
    assert exported[0]["nominee"] == "UANA" and exported[0]["reviews_requested"] == "2"
    status, body, _ = world.ladder.slack.slash_command("admins", user_id="UCHI")
    assert "<@UPAT>" in body
