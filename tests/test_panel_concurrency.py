"""A review panel's clicks and submissions arriving at the same instant, through the running app, on SQLite and
PostgreSQL: a score racing the chair's decision lands before it or is refused, never after; each decision, conflict,
appeal, hearing, publication and level change is made once and audited once however often it arrives.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from bot.runtime.clock import tick
from storage.models import Appeal, LevelChange, Nomination, PanelDecision, PanelScore
from tests.checkin_world import World
from tests.concurrency import at_once, audit_actions, counts
from tests.modal_filler import fill
from tests.test_review_panels import (  # noqa: F401 - world and cli are fixtures
    DECISIONS,
    RATED,
    cli,
    feedback,
    press,
    rows,
    thread_reply,
    up_to_the_decisions,
    world,
)


def ben(world: World) -> Nomination:
    return next(n for n in rows(world, Nomination) if n.nominee == "UBEN")


def score_modal(world: World, user: str) -> dict[str, Any]:
    status, _ = press(world, user, thread_reply(world, "UBEN"), "panel_score", "C0PANEL")
    assert status == 200
    return world.open_modal(user)


def scored(rating: str, recommendation: str) -> dict[str, Any]:
    return {**{label: rating for label in RATED}, "Your recommendation": recommendation, "Why": "Consistent evidence."}


def send(world: World, user: str, view: dict[str, Any], answers: dict[str, Any]) -> Any:
    values = fill(view, answers)
    return lambda: world.ladder.slack.view_submission(user, view, values)[:2]


def decided_when_scored(world: World, cli: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Ben before the panel: Dee and Pat (the chair) scored, Eve not yet; Eve's score form, Dee's (to change hers) and
    the chair's decision form open."""
    up_to_the_decisions(world, cli)
    for user, rating in (("UDEE", "Meets"), ("UPAT", "Exceeds"), ("UCHI", "Meets")):
        assert world.submit(user, score_modal(world, user), scored(rating, "Not yet"))[0] == 200
    eve, dee = score_modal(world, "UEVE"), score_modal(world, "UDEE")
    status, _ = press(world, "UPAT", thread_reply(world, "UBEN"), "panel_decide", "C0PANEL")
    assert status == 200
    return eve, dee, world.open_modal("UPAT")


def test_a_score_racing_the_chairs_decision_lands_before_it_or_is_refused(world, cli):
    eve, dee, decide = decided_when_scored(world, cli)

    answers = at_once(
        send(world, "UEVE", eve, scored("Partly", "Not yet")),
        send(world, "UDEE", dee, scored("Partly", "Not yet")),
        send(world, "UPAT", decide, feedback("Not yet")),
    )

    assert all(status == 200 for status, _ in answers), answers
    [decision] = rows(world, PanelDecision)
    scores = {s.panelist: s for s in rows(world, PanelScore) if s.nomination_id == ben(world).id}
    # the decision rests on exactly the scores that exist: none was added after it
    assert set(decision.deciders) == set(scores) | {"UPAT"}
    trail = audit_actions(world.services.engine, kind="nomination", object_id=ben(world).id)
    assert "decided" in trail
    after = trail[trail.index("decided") + 1 :]
    assert "scored" not in after and "score_edited" not in after  # no score changed after the decision
    dee_edited = "score_edited" in trail
    assert (scores["UDEE"].ratings[next(iter(scores["UDEE"].ratings))] == "partly") is dee_edited
    refused = [body for status, body in answers[:2] if '"errors"' in body]
    assert len(refused) == (0 if "UEVE" in scores else 1) + (0 if dee_edited else 1)


def test_a_decision_submitted_twice_at_once_is_one_decision_audited_once(world, cli):
    _, _, decide = decided_when_scored(world, cli)
    values = fill(decide, feedback("Not yet"))
    again = lambda: world.ladder.slack.view_submission("UPAT", decide, values)[:2]  # noqa: E731

    answers = [*at_once(again, again), again()]

    assert [status for status, _ in answers] == [200, 200, 200]
    assert len(rows(world, PanelDecision)) == 1
    assert counts(audit_actions(world.services.engine, kind="nomination", object_id=ben(world).id))["decided"] == 1


def test_a_first_score_submitted_twice_at_once_is_scored_once(world, cli):
    up_to_the_decisions(world, cli)
    modal = score_modal(world, "UEVE")

    at_once(send(world, "UEVE", modal, scored("Meets", "Promote")), send(world, "UEVE", modal, scored("Meets", "Promote")))

    assert [s.panelist for s in rows(world, PanelScore) if s.nomination_id == ben(world).id] == ["UEVE"]
    trail = counts(audit_actions(world.services.engine, kind="nomination", object_id=ben(world).id))
    assert trail["scored"] == 1 and "score_edited" not in trail


def test_a_conflict_declared_twice_at_once_recuses_once(world, cli):
    up_to_the_decisions(world, cli)
    reply = thread_reply(world, "UBEN")

    at_once(*[lambda: press(world, "UEVE", reply, "panel_conflict", "C0PANEL")] * 3)

    declared = [a for a in audit_actions(world.services.engine, kind="nomination", object_id=ben(world).id) if a == "recused"]
    assert declared == ["recused"]


def test_an_appeal_and_its_hearing_submitted_twice_at_once_are_each_made_once(world, cli):
    _, _, decide = decided_when_scored(world, cli)
    assert world.submit("UPAT", decide, feedback("Not yet"))[0] == 200
    world.clock.set(DECISIONS)
    world.tick()
    decision = world.last_dm("UBEN")
    press(world, "UBEN", decision, "panel_appeal", "DUBEN")
    appeal = world.open_modal("UBEN")
    values = fill(appeal, {"Why are you appealing?": "My migration work was not weighed."})
    again = lambda: world.ladder.slack.view_submission("UBEN", appeal, values)[:2]  # noqa: E731

    assert [status for status, _ in [*at_once(again, again), again()]] == [200, 200, 200]
    assert len(rows(world, Appeal)) == 1
    world.drain()
    hearing = world.last_dm("UFAY")
    press(world, "UFAY", hearing, "panel_hear", "DUFAY")
    hear = world.open_modal("UFAY")
    values = fill(hear, {"Outcome": "Uphold the decision", "Reasons": "The evidence supports the panel."})
    again = lambda: world.ladder.slack.view_submission("UFAY", hear, values)[:2]  # noqa: E731

    assert [status for status, _ in [*at_once(again, again), again()]] == [200, 200, 200]

    assert len([d for d in rows(world, PanelDecision) if d.round == "appeal"]) == 1
    trail = counts(audit_actions(world.services.engine, kind="nomination", object_id=ben(world).id))
    assert trail["appealed"] == 1 and trail["appeal_decided"] == 1


def test_publication_and_level_changes_by_the_clock_and_the_command_line_at_once_happen_once(world, cli):
    up_to_the_decisions(world, cli)
    gus = next(n for n in rows(world, Nomination) if n.nominee == "UGUS")
    for user in ("UPAT", "UDEE", "UCHI"):
        status, _ = press(world, user, thread_reply(world, "UGUS"), "panel_score", "C0PANEL")
        assert world.submit(user, world.open_modal(user), scored("Exceeds", "Promote"))[0] == 200
    press(world, "UPAT", thread_reply(world, "UGUS"), "panel_decide", "C0PANEL")
    promote = {**feedback("Promote", next_steps=False), "Effective date": "2026-04-10"}
    assert world.submit("UPAT", world.open_modal("UPAT"), promote)[0] == 200
    world.clock.set(datetime(2026, 4, 10, 9, tzinfo=UTC))

    at_once(lambda: tick(world.services), lambda: cli("cycle", "publish", "2026 H1"), lambda: tick(world.services))

    [decision] = [d for d in rows(world, PanelDecision) if d.nomination_id == gus.id]
    assert decision.published_at is not None
    [change] = rows(world, LevelChange)
    assert change.applied_at is not None
    trail = counts(audit_actions(world.services.engine, kind="nomination", object_id=gus.id))
    assert (trail["published"], trail["level_change_recorded"], trail["level_changed"]) == (1, 1, 1), trail
    assert counts(audit_actions(world.services.engine, kind="cycle")).get("published") == 1
    with Session(world.services.engine) as session:
        assert session.exec(select(Nomination).where(Nomination.id == gus.id)).one().stage == "published"


def test_setting_up_in_slack_twice_at_once_sets_up_once_and_audits_once(world):
    assert world.ladder.slack.slash_command("cycle", user_id="UADMIN")[0] == 200
    dates = {
        "Name": "2026 H1", "Nominations open": "2026-03-16", "Peer reviews due": "2026-03-27",
        "Panel review starts": "2026-03-30", "Decisions published": "2026-04-10",
    }  # fmt: skip
    create = send(world, "UADMIN", world.open_modal("UADMIN"), dates)
    at_once(create, create)
    assert world.ladder.slack.slash_command("cycle 2026 H1", user_id="UADMIN")[0] == 200
    edit = send(world, "UADMIN", world.open_modal("UADMIN"), {"Decisions published": "2026-04-17"})
    assert [status for status, _ in [*at_once(edit, edit), edit()]] == [200, 200, 200]

    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UDEE", "UEVE"])
    assert world.ladder.slack.slash_command("panel", user_id="UADMIN")[0] == 200
    setup = {"Name": "IC panel", "Chair": "UPAT", "Members": ["UDEE", "UEVE"], "Private channel": "C0PANEL"}
    panel = send(world, "UADMIN", world.open_modal("UADMIN"), setup)
    at_once(panel, panel)
    add = lambda: world.ladder.slack.slash_command("admins add <@UPAT|pat>", user_id="UADMIN")[:2]  # noqa: E731
    at_once(add, add)

    cycle_trail = counts(audit_actions(world.services.engine, kind="cycle"))
    assert (cycle_trail["created"], cycle_trail["edited"]) == (1, 1), cycle_trail
    assert counts(audit_actions(world.services.engine, kind="panel")) == {"created": 1}
    assert counts(audit_actions(world.services.engine, kind="role")) == {"admin_added": 1}


def test_a_digest_asked_for_twice_at_once_is_posted_and_audited_once(world, cli):
    up_to_the_decisions(world, cli)
    before = counts(audit_actions(world.services.engine, kind="panel")).get("digest", 0)
    ask = lambda: world.ladder.slack.slash_command("digest IC panel", user_id="UPAT")[:2]  # noqa: E731

    answers = at_once(ask, ask)

    assert all(status == 200 for status, _ in answers), answers
    assert counts(audit_actions(world.services.engine, kind="panel"))["digest"] == before + 1
    world.drain()
    parents = [m for m in world.slack.messages("C0PANEL") if not m.get("thread_ts")]
    assert len(parents) == 2  # the scheduled digest, and the one asked for (once)


def test_a_panel_edited_twice_from_the_command_line_is_audited_once(world, cli):
    up_to_the_decisions(world, cli)
    edit = lambda: cli("panel", "edit", "IC panel", "--members", "UCHI,UDEE,UEVE,UMAX,UANA")  # noqa: E731
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE", "UEVE", "UMAX", "UANA"])

    assert [status for status, _, _ in [edit(), edit()]] == [0, 0]

    assert counts(audit_actions(world.services.engine, kind="panel")).get("edited") == 1
