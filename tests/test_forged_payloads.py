"""What Ladder wrote into a button's value or a modal's private_metadata comes back in a request anyone able to sign
one can craft. Each such value is forged here, as another person, through the running app: the request is refused (or
the forged part ignored) and nothing changes. Rows are read again and the acting person checked; what is not a row (a
permalink) is asked of Slack again. SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from storage.models import (
    AuditEvent,
    Checkin,
    EvidenceItem,
    Mentorship,
    Nomination,
    ReviewRequest,
    StretchAssignment,
    StretchInterest,
)
from tests.checkin_world import World, organisation
from tests.modal_filler import fill
from tests.test_growth_and_home import check_in, offer_mentoring
from tests.test_nominations import RATED, nominate, open_nominate, review_button

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
CHECKIN = {"What went well": "A lot", "Your goals": "More", **{label: "Meets" for label in RATED}}


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        world.tick()
        yield world


def rows(world: World, model: type) -> list:
    with Session(world.services.engine) as session:
        return list(session.exec(select(model)))


def forged(view: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    """The modal as Slack holds it, with its private_metadata replaced by the forger's."""
    copied = copy.deepcopy(view)
    copied["private_metadata"] = json.dumps(metadata)
    return copied


def refused(world: World, user: str, words: str) -> bool:
    return any(words in (m.get("text") or "") for m in world.dms_to(user))


def audits(world: World) -> list[tuple[str, str]]:
    return [(a.action, a.actor) for a in rows(world, AuditEvent)]


# -- a check-in prompt's key ------------------------------------------------------------------------------------------


def test_someone_elses_check_in_prompt_key_is_ignored(world):
    world.ladder.slack.slash_command("checkin weekly", user_id="UANA")
    world.clock.set(datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    world.tick()
    prompt = world.last_dm("UANA")
    [start] = [e for b in prompt["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "checkin_start"]

    # Ben presses a start button carrying Ana's prompt: his own check-in opens, without her prompt's key
    world.ladder.slack.block_actions("UBEN", "checkin_start", value=start["value"], channel_id="DUBEN")
    modal = world.open_modal("UBEN")
    assert json.loads(modal["private_metadata"] or "{}").get("key") in (None, "")
    # and a modal submitted with her key in its private_metadata saves his check-in, and leaves her prompt alone
    key = json.loads(start["value"])["key"]
    status, answer = world.ladder.slack.view_submission("UBEN", forged(modal, key=key), fill(modal, CHECKIN))[:2]
    assert status == 200 and json.loads(answer)["response_action"] == "update"
    world.drain()
    assert [c.user_id for c in rows(world, Checkin)] == ["UBEN"]
    assert not [c for c in world.slack.calls("chat.update") if c.args.get("ts") == prompt["ts"]]


# -- an evidence item's permalink -----------------------------------------------------------------------------------


def test_an_evidence_permalink_is_asked_of_slack_never_read_from_the_modal(world):
    posted = {"type": "message", "user": "UANA", "text": "Shipped the migration", "ts": "1773655200.000100"}
    world.ladder.slack.message_action("UANA", "save_evidence", posted, "C0GENERAL")
    modal = world.open_modal("UANA")
    phishing = "https://evil.example/login|Slack>"
    view = forged(modal, channel="C0GENERAL", ts="1773655200.000100", permalink=phishing)

    status, answer = world.ladder.slack.view_submission(
        "UANA", view, fill(modal, {"What it shows": "Led the migration", "Competencies": ["Technical depth"]})
    )[:2]

    assert status == 200 and json.loads(answer)["response_action"] == "update"
    [item] = rows(world, EvidenceItem)
    assert item.permalink and "evil" not in item.permalink and "archives/C0GENERAL/p1773655200000100" in item.permalink
    assert "evil" not in world.ladder.slack.slash_command("evidence", user_id="UANA")[1]


def test_another_persons_evidence_cannot_be_deleted_with_a_forged_button(world):
    posted = {"type": "message", "user": "UANA", "text": "Shipped", "ts": "1773655200.000200"}
    world.ladder.slack.message_action("UANA", "save_evidence", posted, "C0GENERAL")
    world.submit("UANA", world.open_modal("UANA"), {"What it shows": "Led it", "Competencies": ["Technical depth"]})
    [item] = rows(world, EvidenceItem)

    world.ladder.slack.block_actions("UBEN", f"evidence_delete:{item.id}", value=json.dumps({"evidence": item.id}))

    assert [i.id for i in rows(world, EvidenceItem)] == [item.id]
    assert refused(world, "UBEN", "Only the person who saved an evidence item can delete it")
    assert ("evidence_deleted", "UBEN") not in audits(world)


# -- mentoring and stretch work ---------------------------------------------------------------------------------------


def test_forged_mentoring_buttons_are_refused(world):
    check_in(world, "UPAT", {"Strategic influence": "Exceeds"})
    offer_mentoring(world, "UPAT", ["Strategic influence"])
    for competency in ("x" * 500, "technical_depth"):  # unknown; one Pat does not offer
        value = json.dumps({"mentor": "UPAT", "competency": competency})
        world.ladder.slack.block_actions("UANA", "mentor_request:UPAT", value=value)
    world.ladder.slack.block_actions("UANA", "mentor_request:UANA", value=json.dumps({"mentor": "UANA"}))
    assert rows(world, Mentorship) == []
    assert refused(world, "UANA", "does not offer mentoring in that competency")

    value = json.dumps({"mentor": "UPAT", "competency": "strategic_influence"})
    world.ladder.slack.block_actions("UANA", "mentor_request:UPAT", value=value)
    [pair] = rows(world, Mentorship)
    world.ladder.slack.block_actions("UBEN", "mentor_accept", value=json.dumps({"mentorship": pair.id}))  # not Ben's to accept
    assert [p.status for p in rows(world, Mentorship)] == ["requested"]
    assert refused(world, "UBEN", "no longer there")


def test_forged_stretch_buttons_are_refused(world):
    world.ladder.slack.slash_command("stretch", user_id="UPAT")
    opportunity = {"What is it?": "Run it", "Competencies": ["Strategic influence"], "Ends": "2026-06-30"}
    world.submit("UPAT", world.open_modal("UPAT"), opportunity)
    [assignment] = rows(world, StretchAssignment)
    world.ladder.slack.block_actions("UPAT", "stretch_interested", value=json.dumps({"assignment": assignment.id}))  # own
    assert rows(world, StretchInterest) == [] and refused(world, "UPAT", "your own opportunity")
    world.ladder.slack.block_actions("UANA", "stretch_interested", value=json.dumps({"assignment": assignment.id}))
    [interest] = rows(world, StretchInterest)

    world.ladder.slack.block_actions("UBEN", "stretch_give", value=json.dumps({"interest": interest.id}))  # not Ben's

    assert [i.status for i in rows(world, StretchInterest)] == ["interested"]
    assert [a.status for a in rows(world, StretchAssignment)] == ["open"]
    assert refused(world, "UBEN", "Only the person who posted the opportunity")


# -- nominations and reviews ------------------------------------------------------------------------------------------


def test_another_nominators_draft_cannot_be_submitted_resumed_kept_or_withdrawn(world):
    modal = open_nominate(world, "UMAX", "<@UANA|ana>")
    world.submit("UMAX", modal, {})
    [draft] = rows(world, Nomination)
    own = open_nominate(world, "UBEN", "<@UBEN|ben>")  # Ben nominates himself: his own case page, then Max's draft id
    world.submit("UBEN", own, {})
    page = world.shown(own["id"])
    filled = fill(page, {"Peer reviewers": ["UCHI"], "Technical depth": "Forged case."})

    opened = len(world.slack.open_views("UBEN"))
    status, answer = world.ladder.slack.view_submission("UBEN", forged(page, nomination=draft.id), filled)[:2]
    assert status == 200 and json.loads(answer)["response_action"] == "errors"
    world.ladder.slack.view_closed("UBEN", forged(page, nomination=draft.id), filled)
    world.ladder.slack.block_actions("UBEN", f"nomination_continue:{draft.id}", value=json.dumps({"nomination": draft.id}))
    world.ladder.slack.block_actions("UBEN", f"nomination_withdraw:{draft.id}", value=json.dumps({"nomination": draft.id}))

    after = next(n for n in rows(world, Nomination) if n.id == draft.id)
    assert (after.stage, after.case, after.reviewers) == ("draft", draft.case, draft.reviewers)
    assert refused(world, "UBEN", "draft is gone") and refused(world, "UBEN", "can withdraw it")
    assert len(world.slack.open_views("UBEN")) == opened  # no case page opened on Max's draft
    assert not any(actor == "UBEN" for _, actor in audits(world))


def test_reviews_cannot_be_written_declined_or_replaced_by_anyone_else(world):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])
    world.drain()
    [nomination] = rows(world, Nomination)
    message, button = review_button(world, "UCHI")
    world.ladder.slack.block_actions("UCHI", button["action_id"], message=message, channel_id="DUCHI")
    review = world.open_modal("UCHI")
    answers = fill(review, {**{label: "Meets" for label in RATED}, "Overall recommendation": "Support"})
    world.ladder.slack.block_actions("UPAT", "review_decline", message=review_button(world, "UPAT")[0], channel_id="DUPAT")
    decline = world.open_modal("UPAT")

    before = audits(world)
    world.ladder.slack.block_actions("UBEN", button["action_id"], value=button["value"])  # Ben was not asked
    assert refused(world, "UBEN", "That review request is gone")
    for forger in ("UBEN", "UMAX"):  # a stranger, and the nominator
        world.ladder.slack.view_submission(forger, forged(review, nomination=nomination.id), answers)
        world.ladder.slack.view_submission(forger, forged(decline, nomination=nomination.id), fill(decline, {"Why": "No"}))
    world.ladder.slack.view_submission("UPAT", decline, fill(decline, {"Why": "Not my area."}))
    replace = {"nomination": nomination.id, "declined": "UPAT"}
    world.ladder.slack.block_actions("UBEN", "review_replace", value=json.dumps(replace))
    replace_modal = world.open_modal("UBEN")
    world.ladder.slack.view_submission("UBEN", replace_modal, fill(replace_modal, {"Reviewer": "UADMIN"}))

    assert sorted((r.reviewer, r.status) for r in rows(world, ReviewRequest)) == [("UCHI", "requested"), ("UPAT", "declined")]
    assert audits(world) == [*before, ("review_declined", "UPAT")]  # Pat's own decline, and nothing the forgers sent
