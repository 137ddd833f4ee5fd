"""Questions about a group of competencies ("what does Craft cover?"): the group alone, at a level, between two levels,
and a group named like a competency (the competency wins)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.questions.answers import MAX_GROUP_ROWS, Answerer
from bot.questions.groups import groups_of
from bot.questions.parser import Intent
from messages.render import Renderer

LADDER = """
name: Groups Studio
competencies:
  - id: sketching
    name: Sketching
    group: Making
    description: Puts ideas on paper quickly.
  - id: prototyping
    name: Prototyping
    group: Making
    description: Builds something people can click.
  - id: listening
    name: Listening
    group: Working Together
    description: Hears what people mean.
  - id: mentoring
    name: Mentoring
    group: working together
  - id: planning
    name: Planning
    group: Planning
    description: Orders work so it lands.
  - id: roadmapping
    name: Roadmapping
    group: Planning
tracks:
  - id: studio
    name: Studio
    levels:
      - id: d1
        title: Junior Maker
        expectations:
          sketching: Sketches flows with help.
          prototyping: Clicks together screens from a kit.
          listening: Takes notes in interviews.
          planning: Plans their own week.
      - id: d2
        title: Maker
        expectations:
          sketching: Sketches whole journeys.
          prototyping: Prototypes a feature end to end.
          listening: Runs interviews on their own.
          mentoring: Helps a junior with their first project.
          planning: Plans a feature.
          roadmapping: Drafts a quarter's roadmap.
      - id: d3
        title: Lead Maker
        expectations:
          sketching: Sets how the studio sketches.
          prototyping: Decides what is worth prototyping.
          listening: Teaches others to interview.
          mentoring: Mentors several makers.
"""


@pytest.fixture(scope="module")
def framework():
    result = check_framework_text(LADDER)
    assert result.framework is not None, [str(p) for p in result.problems]
    return result.framework


@pytest.fixture(scope="module")
def answerer(framework):
    return Answerer(framework)


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def _text(renderer, answer) -> str:
    renderer.message(answer.template, **answer.context)  # Slack accepts it
    return renderer.terminal(answer.template, **answer.context)


def test_groups_join_names_in_one_normal_form(framework):
    groups = {g.name: [c.id for c in g.competencies] for g in groups_of(framework)}
    assert groups == {
        "Making": ["sketching", "prototyping"],
        "Working Together": ["listening", "mentoring"],
        "Planning": ["planning", "roadmapping"],
    }


@pytest.mark.parametrize("text", ["what does Making cover?", "what are the making competencies", "tell me about making"])
def test_a_group_alone_lists_its_competencies_with_descriptions(answerer, renderer, text):
    question = answerer.parser.parse(text)
    assert question.group is not None and question.group.name == "Making"
    answer = answerer.answer(question)
    assert answer.template == "group"
    shown = _text(renderer, answer)
    for expected in ("Sketching", "Puts ideas on paper quickly.", "Prototyping", "Builds something people can click."):
        assert expected in shown
    assert "Listening" not in shown


def test_a_group_at_a_level_gives_its_expectations_there(answerer, renderer):
    question = answerer.parser.parse("what is expected in working together at Maker?")
    assert question.intent is Intent.COMPETENCY_AT_LEVEL and question.group is not None
    shown = _text(renderer, answerer.answer(question))
    assert "Runs interviews on their own." in shown
    assert "Helps a junior with their first project." in shown
    assert "Sketches whole journeys." not in shown  # another group's


def test_a_group_between_two_levels_compares_only_its_competencies(answerer, renderer):
    question = answerer.parser.parse("how does Making change from Junior Maker to Lead Maker?")
    assert question.intent is Intent.COMPETENCY_CHANGE
    answer = answerer.answer(question)
    shown = _text(renderer, answer)
    assert "Making: Junior Maker → Lead Maker" in shown
    for expected in ("Sketches flows with help.", "Sets how the studio sketches.", "Decides what is worth prototyping."):
        assert expected in shown
    assert "Teaches others to interview." not in shown


def test_a_competency_named_like_its_group_wins(answerer):
    question = answerer.parser.parse("what does planning cover?")
    assert question.group is None
    assert [c.id for c in question.competencies] == ["planning"]
    assert answerer.answer(question).template == "competency"


def test_a_group_name_with_a_typo_is_still_found(answerer):
    question = answerer.parser.parse("what does makng cover?")
    assert question.group is not None and question.group.name == "Making"


def test_a_large_group_stays_within_slack_limits(renderer):
    count = MAX_GROUP_ROWS + 7
    competencies = "\n".join(
        f"  - id: c{i}\n    name: Quality {i}\n    group: Huge\n    description: {'Long text. ' * 40}" for i in range(count)
    )
    expectations = "\n".join(f"          c{i}: {'Expected thing. ' * 30}" for i in range(count))
    text = (
        f"name: Wide\ncompetencies:\n{competencies}\ntracks:\n  - id: t\n    name: T\n    levels:\n"
        f"      - id: one\n        title: One\n        expectations:\n{expectations}\n"
        f"      - id: two\n        title: Two\n        expectations:\n{expectations}\n"
    )
    result = check_framework_text(text)
    assert result.framework is not None, [str(p) for p in result.problems]
    answerer = Answerer(result.framework)
    for asked in ("what does huge cover?", "huge at One", "how does huge change from One to Two"):
        answer = answerer.answer(answerer.parser.parse(asked))
        shown = _text(renderer, answer)
        assert "Huge" in shown


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_question_about_a_framework_with_groups_gets_an_answer_slack_accepts(answerer, renderer, text):
    answer = answerer.answer(answerer.parser.parse(text))
    renderer.message(answer.template, **answer.context)


def test_group_names_are_escaped(renderer):
    text = LADDER.replace("group: Making", "group: <Making & *co*>")
    result = check_framework_text(text)
    assert result.framework is not None
    answerer = Answerer(result.framework)
    question = answerer.parser.parse("what does making co cover?")
    assert question.group is not None
    answer = answerer.answer(question)
    message = str(renderer.message(answer.template, **answer.context))
    assert "Making" in message and "<Making" not in message


@pytest.mark.parametrize(
    "text", ["how long do people keep making things as a Junior Maker", "what comes after Junior Maker when making things"]
)
def test_a_group_named_like_an_everyday_word_does_not_take_a_question_about_something_else(answerer, text):
    question = answerer.parser.parse(text)
    assert question.group is None and question.intent in (Intent.TIME, Intent.MY_TIME, Intent.NEXT_LEVEL), question
