"""Question parsing and answering against the shipped default framework, as plain Python."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.careers import CareerQuestions
from bot.questions.answers import Answerer, side_by_side
from bot.questions.parser import MAX_QUESTION_CHARS, Intent, QuestionParser
from messages.render import Renderer
from tests.frameworks import default_framework as load_framework


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def parser(framework):
    return QuestionParser(framework)


@pytest.fixture(scope="module")
def answerer(framework):
    return Answerer(framework)


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


@pytest.mark.parametrize(
    ("text", "intent", "levels"),
    [
        ("what does Staff mean?", Intent.LEVEL, ["staff"]),
        ("What does STAFF mean", Intent.LEVEL, ["staff"]),
        ("what does staf mean", Intent.LEVEL, ["staff"]),
        ("tell me about a principle engineer", Intent.LEVEL, ["principal"]),
        ("what is L6?", Intent.LEVEL, ["staff"]),
        ("what are Staff's expectations", Intent.LEVEL, ["staff"]),
        ("Staff", Intent.LEVEL, ["staff"]),
        ("hey so um, I was wondering, what does a Senior Engineering Manager actually do here??", Intent.LEVEL, ["sr_em"]),
        ("what is software engineer 2", Intent.LEVEL, ["se2"]),
        ("what's the difference between Senior and Staff?", Intent.COMPARE, ["senior", "staff"]),
        ("staff vs senior", Intent.COMPARE, ["staff", "senior"]),
        ("compare L5 and L6", Intent.COMPARE, ["senior", "staff"]),
        ("what changes at staff", Intent.COMPARE, ["staff"]),
        ("what's the manager equivalent of Staff?", Intent.EQUIVALENT, ["staff"]),
        ("what is staff on the management track", Intent.EQUIVALENT, ["staff"]),
        ("what's the IC equivalent of a director", Intent.EQUIVALENT, ["director"]),
        ("what does strategic influence look like at Principal?", Intent.COMPETENCY_AT_LEVEL, ["principal"]),
        ("mentoring at senior", Intent.COMPETENCY_AT_LEVEL, ["senior"]),
        ("what comes after senior?", Intent.NEXT_LEVEL, ["senior"]),
        ("what's the next level from L6", Intent.NEXT_LEVEL, ["staff"]),
        ("how do I move to the management track?", Intent.SWITCH, []),
        ("how do I become a manager", Intent.SWITCH, []),
        ("can I switch from staff to director?", Intent.SWITCH, ["staff", "director"]),
        ("show me the ladder", Intent.LADDER, []),
        ("what are the levels?", Intent.LADDER, []),
        ("both tracks side by side please", Intent.LADDER, []),
        ("what's my next level?", Intent.MY_NEXT, []),
        ("what do I need for it?", Intent.MY_GAP, []),
        ("what do I need to get to Staff", Intent.MY_GAP, ["staff"]),
        ("how does promotion work here", Intent.PROMOTION, []),
        ("what does technical depth mean", Intent.COMPETENCY, []),
        ("help", Intent.HELP, []),
        ("", Intent.HELP, []),
        ("what's the weather in Lisbon", Intent.UNKNOWN, []),
        ("what are the promotion principles", Intent.PROMOTION, []),
        ("what's below staff?", Intent.COMPARE, ["staff"]),
        ("what does a sr engineer do", Intent.LEVEL, ["senior"]),
        ("whats the diff between L4 and L5", Intent.COMPARE, ["se2", "senior"]),
        ("How do I get back to IC from management?", Intent.SWITCH, []),
        ("What are the competencies?", Intent.COMPETENCIES, []),
        ("Which IC level maps to Engineering Manager?", Intent.EQUIVALENT, ["em"]),
        ("What would a Staff be on the manager track?", Intent.EQUIVALENT, ["staff"]),
        ("how should a staff engineer mentor others", Intent.COMPETENCY_AT_LEVEL, ["staff"]),
    ],
)
def test_parses_the_ways_people_ask(parser, text, intent, levels):
    question = parser.parse(text)
    assert question.intent is intent, question
    assert [lv.id for lv in question.levels] == levels


def test_slack_markup_in_a_question_is_not_a_name(parser):
    assert parser.parse("<@U123ABC> what does <#C1|staff> mean <!channel>").levels == ()
    assert [lv.id for lv in parser.parse("<@U123ABC> what does staff mean").levels] == ["staff"]


def test_ordinary_words_are_not_typo_matched(parser):
    assert parser.parse("what stuff do you know").levels == ()
    assert parser.parse("which direction should my career take").levels == ()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=MAX_QUESTION_CHARS * 2))
def test_any_text_gets_an_answer_slack_accepts(text):
    framework = load_framework()
    answer = CareerQuestions(framework).ask(text)
    message = _renderer().message(answer.template, **answer.context)
    assert message.text and message.blocks


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "what",
                "does",
                "staf",
                "L6",
                "vs",
                "senior",
                "manager",
                "equivalent",
                "my",
                "next",
                "switch",
                "track",
                "mentoring",
                "at",
                "principle",
                "ladder",
                "to",
                "from",
                "I",
                "need",
                "promotion",
                "<!channel>",
                "🎉",
                "cto",
                "after",
                "'s",
                "?",
            ]
        ),
        max_size=12,
    )
)
def test_every_mix_of_career_words_renders(words):
    framework = load_framework()
    level = framework.level("senior")
    answer = Answerer(framework).ask(" ".join(words), person_level=level)
    _renderer().message(answer.template, **answer.context)


_RENDERER: list[Renderer] = []


def _renderer() -> Renderer:
    if not _RENDERER:
        _RENDERER.append(Renderer())
    return _RENDERER[0]


def test_every_level_answers_every_kind_of_question(framework, answerer, renderer):
    phrasings = [
        "what does {t} mean",
        "what comes after {t}",
        "what's the equivalent of {t}",
        "what changes at {t}",
        "how do I switch tracks from {t}",
        "what does mentoring look like at {t}",
        "what does team leadership look like at {t}",
    ]
    for level in framework.levels:
        for phrasing in phrasings:
            answer = answerer.ask(phrasing.format(t=level.title), person_level=level)
            renderer.message(answer.template, **answer.context)
            assert renderer.terminal(answer.template, **answer.context).strip()


def test_level_answer_comes_from_the_framework(framework, answerer, renderer):
    staff = framework.level("staff")
    text = renderer.terminal(**_unpack(answerer.ask("what does Staff mean")))
    assert staff.title in text
    assert staff.summary in text
    for expectation in staff.expectations.values():
        assert expectation in text
    assert framework.level("sr_em").title in text
    assert framework.version in text


def test_compare_walks_every_competency_of_the_track(framework, answerer):
    answer = answerer.ask("difference between staff and senior")
    assert answer.context["before"].id == "senior" and answer.context["after"].id == "staff"
    assert [row.competency.id for row in answer.context["rows"]] == [c.id for c in framework.competencies_for("ic")]


def test_equivalence_is_answered_both_ways(answerer):
    assert answerer.ask("manager equivalent of staff").context["equivalent"].id == "sr_em"
    assert answerer.ask("IC equivalent of senior engineering manager").context["equivalent"].id == "staff"
    assert answerer.ask("equivalent of CTO").context["equivalent"] is None


def test_personal_questions_use_the_recorded_level(framework, answerer):
    senior = framework.level("senior")
    answer = answerer.ask("what's my next level?", person_level=senior)
    assert (answer.context["before"].id, answer.context["after"].id, answer.context["you"]) == ("senior", "staff", True)
    assert answerer.ask("what do I need for it", person_level=senior).context["after"].id == "staff"
    assert answerer.ask("what's my next level?").template == "unknown_person"
    top = framework.level("distinguished")
    assert answerer.ask("what's my next level", person_level=top).template == "top_level"


def test_becoming_a_level_on_another_track_is_a_switch(framework, answerer):
    assert answerer.ask("I want to become an engineering manager", person_level=framework.level("senior")).template == "switch"
    assert answerer.ask("I want to become an engineering manager").template == "switch"
    assert answerer.ask("how do I get to staff", person_level=framework.level("senior")).template == "compare"


def test_switching_from_my_level_lists_my_switching_points(framework, answerer):
    answer = answerer.ask("how do I move to the management track", person_level=framework.level("staff"))
    assert [(r.source.id, r.target.id) for r in answer.context["from_source"]] == [("staff", "sr_em")]
    anonymous = answerer.ask("how do I move to the management track")
    assert {r.target.track_id for r in anonymous.context["routes"]} == {"management"}


def test_side_by_side_aligns_equivalent_levels(framework):
    table = side_by_side(framework, [framework.track("ic"), framework.track("management")])
    assert table.aligned and table.shared_rows
    for ic, manager in table.rows:
        if ic and manager:
            assert framework.equivalent_of(ic, "management") == manager
        else:
            assert framework.equivalent_of(ic or manager) is None
    assert [r[0].id for r in table.rows if r[0]] == [lv.id for lv in framework.track("ic").levels]
    assert [r[1].id for r in table.rows if r[1]] == [lv.id for lv in framework.track("management").levels]


def test_unknown_question_lists_the_levels(framework, answerer, renderer):
    text = renderer.terminal(**_unpack(answerer.ask("asdf qwerty")))
    assert "couldn't place" in text
    for level in framework.levels:
        assert level.title in text


def _unpack(answer):
    return {"template": answer.template, **answer.context}


@pytest.mark.parametrize("text", ["staff vs staff", "Staff Engineer versus L6", "what's the difference between staff and staff?"])
def test_the_same_level_twice_is_said_to_be_the_same(answerer, renderer, text):
    answer = answerer.ask(text)
    assert answer.template == "same_level" and answer.context["level"].id == "staff"
    assert "named Staff Engineer twice" in renderer.terminal(answer.template, **answer.context)


def test_a_third_level_is_not_dropped_silently(answerer, renderer):
    answer = answerer.ask("what's the difference between senior, staff and principal")
    assert (answer.context["before"].id, answer.context["after"].id) == ("senior", "staff")
    text = renderer.terminal(answer.template, **answer.context)
    assert "You named 3 levels" in text and "Ask about Principal Engineer separately" in text


@pytest.mark.parametrize(
    "text", ["what comes before Software Engineer I", "what's below SE1", "previous level to engineering manager"]
)
def test_nothing_before_the_first_level_is_said_plainly(answerer, renderer, text):
    answer = answerer.ask(text)
    assert answer.template == "bottom_level"
    assert renderer.terminal(answer.template, **answer.context).splitlines()[3].startswith("Nothing comes before")
