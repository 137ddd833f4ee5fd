"""Self-identification from the App Home, through Slack as people use it: the "Help audit fairness" button, its modal of
the framework's questions (each optional, with "Prefer not to say"), answers saved idempotently, shown again, changed
and cleared; nobody else's form shows them; no button when the framework turns self-identification off."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.framework.loader import default_framework_path
from storage.models import PersonGroup
from tests.checkin_world import World, organisation, text_of

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
GENDER, CARING = "Which best describes your gender?", "Do you have caring responsibilities?"
PATTERN, DISABILITY = "What is your working pattern?", "Do you consider yourself to have a disability?"


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        yield world


def own_rows(world: World) -> list[tuple[str, str, str, str]]:
    with Session(world.services.engine) as session:
        found = session.exec(select(PersonGroup)).all()
        return sorted((g.user_id, g.attribute, g.source, g.value) for g in found)


def buttons(home: dict[str, Any]) -> dict[str, str]:
    return {e["text"]["text"]: e["action_id"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]}


def open_form(world: World, user: str) -> dict[str, Any]:
    home = world.home(user)
    status, body, _ = world.ladder.slack.block_actions(user, buttons(home)["Help audit fairness"], view=home)
    assert status == 200, body
    return world.open_modal(user)


def chosen(view: dict[str, Any]) -> dict[str, str | None]:
    """Each question's label with the option the modal shows as chosen."""
    return {
        b["label"]["text"]: (b["element"].get("initial_option") or {}).get("text", {}).get("text")
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "static_select"
    }


def test_a_person_answers_changes_and_clears_their_own_answers(world):
    form = open_form(world, "UANA")
    shown = text_of(form["blocks"])
    assert "never shows a group of fewer than 5 people" in shown and "Nobody else sees your answers" in shown
    assert chosen(form) == {GENDER: None, PATTERN: None, CARING: None, DISABILITY: None}  # every question optional
    gender = next(b for b in form["blocks"] if b.get("block_id") == "gender")
    assert [o["text"]["text"] for o in gender["element"]["options"]] == [
        "Woman", "Man", "Non-binary", "Another identity", "Prefer not to say", "No answer",
    ]  # fmt: skip
    assert all(b["optional"] for b in form["blocks"] if b["type"] == "input")

    status, answer = world.submit("UANA", form, {GENDER: "Non-binary", CARING: "Prefer not to say"})
    assert status == 200 and answer["response_action"] == "update", answer
    assert "2 answers saved" in text_of(answer["view"]["blocks"])
    expected = [("UANA", "caring", "self", "prefer_not_to_say"), ("UANA", "gender", "self", "Non-binary")]
    assert own_rows(world) == expected
    # Slack delivers the same submission again (a retry, a double click): the same state
    world.submit("UANA", form, {GENDER: "Non-binary", CARING: "Prefer not to say"})
    assert own_rows(world) == expected

    again = open_form(world, "UANA")  # re-opened: the current answers are shown
    assert chosen(again) == {GENDER: "Non-binary", PATTERN: None, CARING: "Prefer not to say", DISABILITY: None}
    assert chosen(open_form(world, "UBEN")) == {GENDER: None, PATTERN: None, CARING: None, DISABILITY: None}  # theirs only

    status, answer = world.submit("UANA", again, {GENDER: "No answer", PATTERN: "Part-time"})  # one answer taken back
    assert status == 200 and "2 answers saved" in text_of(answer["view"]["blocks"])
    assert own_rows(world) == [
        ("UANA", "caring", "self", "prefer_not_to_say"),
        ("UANA", "working_pattern", "self", "Part-time"),
    ]

    status, answer = world.submit("UANA", open_form(world, "UANA"), {"Clear": ["Clear all my answers"]})
    assert status == 200 and "Your answers are cleared" in text_of(answer["view"]["blocks"])
    assert own_rows(world) == []
    assert chosen(open_form(world, "UANA")) == {GENDER: None, PATTERN: None, CARING: None, DISABILITY: None}
    assert world.slack.unexpected_refusals() == []


def test_a_forged_answer_is_refused_beside_its_question(world):
    form = open_form(world, "UANA")
    values = {"gender": {"value": {"type": "static_select", "selected_option": {"value": "c99"}}}}
    status, body, _ = world.ladder.slack.view_submission("UANA", form, values)
    assert status == 200 and '"response_action":"errors"' in body.replace(" ", "") and '"gender"' in body, body
    assert own_rows(world) == []


def test_no_button_when_the_framework_asks_no_questions(fake_slack, tmp_path, sqlite_url):
    framework = tmp_path / "no-questions.yaml"
    framework.write_text(default_framework_path().read_text() + "\nfairness:\n  questions: []\n")
    with organisation(fake_slack, tmp_path, sqlite_url, MONDAY, LADDER_FRAMEWORK=str(framework)) as world:
        home = world.home("UANA")
        assert "Help audit fairness" not in buttons(home) and "Ask a question" in buttons(home)
        # a button kept from an older Home opens nothing
        button = {"type": "button", "action_id": "fairness_self_id_open", "text": {"type": "plain_text", "text": "Help"}}
        older = {**home, "blocks": [*home["blocks"], {"type": "actions", "block_id": "older", "elements": [button]}]}
        status, _, _ = world.ladder.slack.block_actions("UANA", "fairness_self_id_open", view=older)
        assert status == 200 and world.slack.open_views("UANA") == []
