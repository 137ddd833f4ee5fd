"""A review panel's modals submitted by someone else with the nomination (or cycle) in their private_metadata: each is
refused, because the row it names is read again and the person checked against it; nothing changes and nothing is
audited. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from storage.models import Appeal, AuditEvent, PanelDecision, PanelScore, PromotionCycle
from tests.checkin_world import World
from tests.modal_filler import fill
from tests.test_forged_payloads import forged
from tests.test_panel_concurrency import ben, scored
from tests.test_review_panels import (  # noqa: F401 - world and cli are fixtures
    DECISIONS,
    cli,
    feedback,
    press,
    rows,
    thread_reply,
    up_to_the_decisions,
    world,
)


def errors_from(world: World, user: str, view: dict[str, Any], answers: dict[str, Any]) -> str:
    status, body, _ = world.ladder.slack.view_submission(user, view, fill(view, answers))
    assert status == 200
    return body


def trail(world: World) -> list[tuple[str, str]]:
    return [(a.action, a.actor) for a in rows(world, AuditEvent)]


def test_panel_modals_submitted_by_anyone_else_are_refused(world, cli):
    up_to_the_decisions(world, cli)
    nomination = ben(world)
    for user in ("UDEE", "UPAT", "UCHI"):
        press(world, user, thread_reply(world, "UBEN"), "panel_score", "C0PANEL")
        assert world.submit(user, world.open_modal(user), scored("Meets", "Not yet"))[0] == 200
    press(world, "UEVE", thread_reply(world, "UBEN"), "panel_score", "C0PANEL")
    score = world.open_modal("UEVE")
    press(world, "UPAT", thread_reply(world, "UBEN"), "panel_decide", "C0PANEL")
    decide = world.open_modal("UPAT")
    before = trail(world)

    for outsider in ("UANA", "UMAX"):  # not on the panel; on it, but recused (Ben's nominator)
        assert '"errors"' in errors_from(world, outsider, score, scored("Exceeds", "Promote"))
    for not_chair in ("UDEE", "UANA", "UBEN"):
        assert '"errors"' in errors_from(world, not_chair, decide, feedback("Promote", next_steps=False))
    assert {s.panelist for s in rows(world, PanelScore) if s.nomination_id == nomination.id} == {"UDEE", "UPAT", "UCHI"}
    assert rows(world, PanelDecision) == []
    assert trail(world) == before

    assert world.submit("UPAT", decide, feedback("Not yet"))[0] == 200
    world.clock.set(DECISIONS)
    world.tick()
    press(world, "UBEN", world.last_dm("UBEN"), "panel_appeal", "DUBEN")
    appeal = world.open_modal("UBEN")
    for not_nominee in ("UMAX", "UGUS"):
        assert '"errors"' in errors_from(world, not_nominee, appeal, {"Why are you appealing?": "Forged."})
    assert rows(world, Appeal) == []
    assert world.submit("UBEN", appeal, {"Why are you appealing?": "My migration work was not weighed."})[0] == 200
    world.drain()
    press(world, "UFAY", world.last_dm("UFAY"), "panel_hear", "DUFAY")
    hear = world.open_modal("UFAY")
    answers = {"Outcome": "Uphold the decision", "Reasons": "Forged."}
    for not_hearer in ("UPAT", "UANA", "UBEN"):  # who decided it, a stranger, the appellant
        assert '"errors"' in errors_from(world, not_hearer, hear, answers)
    assert [d.round for d in rows(world, PanelDecision)] == ["review"]


def test_a_cycle_modal_submitted_by_someone_not_an_admin_changes_nothing(world, cli):
    up_to_the_decisions(world, cli)
    assert world.ladder.slack.slash_command("cycle 2026 H1", user_id="UADMIN")[0] == 200
    edit = world.open_modal("UADMIN")
    [cycle] = rows(world, PromotionCycle)
    before = trail(world)

    body = errors_from(world, "UANA", forged(edit, cycle=cycle.id), {"Decisions published": "2026-05-01"})

    assert '"errors"' in body and "Only a Ladder admin" in body
    [after] = rows(world, PromotionCycle)
    assert after.decisions_on == cycle.decisions_on and trail(world) == before
