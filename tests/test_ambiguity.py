"""A phrase that names several things: settled by the question's own words when they say which, else a "did you mean"
answer that names each candidate with its track and, in Slack, a button per candidate that asks again about it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.careers import CareerQuestions
from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from bot.questions.answers import Answerer
from messages.ids import QuestionIds
from messages.render import Renderer
from tests.app_server import running_ladder
from tests.checkin_world import organisation, text_of

TWO_TRACKS = """
name: Two tracks
tracks:
  - id: ic
    name: Individual Contributor
    levels:
      - {id: e1, title: Engineer 1}
      - {id: e2, title: Engineer 2}
      - {id: se1, title: Senior Engineer 1}
      - {id: se2, title: Senior Engineer 2, summary: Leads projects of a team.}
      - {id: staff1, title: Staff Engineer 1}
  - id: mgmt
    name: Management
    levels:
      - {id: m_se2, title: Senior Engineer 2, summary: Leads a team of engineers.}
      - {id: em1, title: Engineering Manager 1}
      - {id: em2, title: Engineering Manager 2}
  - id: design
    name: Design
    family: Design
    levels:
      - {id: d1, title: Designer}
      - {id: d2, title: Senior Designer}
      - {id: d3, title: Principal Designer}
  - id: platform
    name: Platform
    levels:
      - {id: pe, title: Lead Engineer}
      - {id: pr, title: Principal Engineer}
"""

SUPPORT = """
name: Support
competencies:
  - {id: agent_skill, name: Support Agent, tracks: [support_agent], description: Helping a customer to an answer.}
  - {id: writing, name: Writing, tracks: [support_agent]}
tracks:
  - id: support_agent
    name: Support Agent
    levels:
      - {id: agent, title: Support Agent, summary: Answers customers., expectations: {agent_skill: Solves common cases.}}
      - {id: senior_agent, title: Senior Support Agent, expectations: {agent_skill: Solves rare cases.}}
"""

JAPANESE = """
name: 日本のラダー
question_words:
  difference: [違い]
  next: [次]
competencies:
  - {id: gijutsu, name: 技術力, tracks: [eng]}
tracks:
  - id: eng
    name: エンジニアリング
    levels:
      - {id: junior, title: ジュニアエンジニア}
      - {id: senior, title: シニアエンジニア}
      - {id: staff, title: スタッフエンジニア}
"""

CHINESE = """
name: 职级
tracks:
  - id: rd
    name: 研发
    levels:
      - {id: p5, title: 初级工程师}
      - {id: p6, title: 高级工程师}
      - {id: p7, title: 资深工程师}
"""

PORTUGUESE = """
name: Escada
question_words:
  difference: [diferença, o que muda]
tracks:
  - id: dev
    name: Desenvolvimento
    levels:
      - {id: junior, title: Desenvolvedora Júnior}
      - {id: pleno, title: Desenvolvedora Pleno}
      - {id: senior, title: Desenvolvedora Sênior}
"""

RUSSIAN = """
name: Грейды
tracks:
  - id: dev
    name: Разработка
    levels:
      - {id: junior, title: Младший разработчик}
      - {id: middle, title: Разработчик}
      - {id: senior, title: Старший разработчик}
"""


def load(text: str) -> Framework:
    result = check_framework_text(text, "fixture.yaml")
    assert result.framework is not None, result.problems
    return result.framework


@pytest.fixture(scope="module")
def two() -> Answerer:
    return Answerer(load(TWO_TRACKS))


def ids(things) -> list[str]:
    return [thing.id for thing in things]


@pytest.mark.parametrize(
    ("text", "phrase", "candidates"),
    [
        ("what is senior 2", "senior 2", ["se2", "m_se2"]),
        ("what does a Senior Engineer 2 do?", "senior engineer 2", ["se2", "m_se2"]),
        ("tell me about principal", "principal", ["d3", "pr"]),
    ],
)
def test_a_name_of_several_levels_is_asked_about_never_picked(two, text, phrase, candidates):
    question = two.parser.parse(text)
    assert question.levels == ()
    [ambiguity] = question.ambiguities
    assert (ambiguity.phrase, ids(ambiguity.options)) == (phrase, candidates)


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("senior 2 on the management track", ["m_se2"]),
        ("what is senior 2 in management", ["m_se2"]),
        ("what's the difference between senior 2 and staff 1", ["se2", "staff1"]),
        ("engineering manager 1 vs senior 2", ["em1", "m_se2"]),
        ("what's the management equivalent of senior 2", ["se2"]),
        ("what does a principal do in design", ["d3"]),
        ("principal designer", ["d3"]),
    ],
)
def test_the_question_s_own_words_settle_which_is_meant(two, text, levels):
    question = two.parser.parse(text)
    assert question.ambiguities == () and ids(question.levels) == levels


def test_a_choice_made_before_settles_the_phrase(two):
    assert ids(two.parser.parse("what is senior 2", ("level:m_se2",)).levels) == ["m_se2"]
    assert ids(two.parser.parse("what is senior 2", ("level:se2",)).levels) == ["se2"]
    assert two.parser.parse("what is senior 2", ("level:nonsense",)).ambiguities  # a forged choice changes nothing


def test_did_you_mean_names_each_candidate_with_its_track(two):
    answer = two.ask("what is senior 2")
    assert answer.template == "did_you_mean"
    text = Renderer().terminal(answer.template, **answer.context)
    assert "Senior Engineer 2 (Individual Contributor track)" in text
    assert "Senior Engineer 2 (Management track)" in text


def test_did_you_mean_in_slack_has_a_button_per_candidate_that_asks_again(two):
    answer = two.ask("what is senior 2")
    message = Renderer().message_for(answer.key, answer.template, **answer.context)
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    buttons = actions["elements"]
    assert [b["text"]["text"] for b in buttons] == [
        "Senior Engineer 2 (Individual Contributor track)",
        "Senior Engineer 2 (Management track)",
    ]
    assert all(b["action_id"].startswith(QuestionIds.AGAIN + ":") for b in buttons)
    values = [json.loads(b["value"]) for b in buttons]
    assert values == [{"q": "what is senior 2", "c": ["level:se2"]}, {"q": "what is senior 2", "c": ["level:m_se2"]}]
    again = two.answer(two.parser.parse(values[1]["q"], tuple(values[1]["c"])))
    assert again.template == "level" and again.context["level"].id == "m_se2"


def test_two_open_phrases_are_asked_about_one_after_the_other(two):
    first = two.ask("compare senior 2 and principal")
    assert [c.thing.id for c in first.context["choices"]] == ["se2", "m_se2"]
    assert first.context["also_open"] == ["principal"]
    second = two.answer(two.parser.parse("compare senior 2 and principal", first.context["choices"][0].picks))
    assert second.template == "did_you_mean"
    assert [c.picks for c in second.context["choices"]] == [("level:se2", "level:d3"), ("level:se2", "level:pr")]


def test_the_askers_own_track_settles_it_and_the_answer_is_then_theirs(two):
    framework = two.framework
    answer = two.ask("what is senior 2", person_level=framework.level("em1"))
    assert answer.template == "level" and answer.context["level"].id == "m_se2"
    assert answer.about_the_asker  # another asker may be told another level: never shared or reused
    assert two.ask("what is senior 2", person_level=framework.level("d1")).template == "did_you_mean"


def test_an_answer_settled_by_the_askers_track_says_so_and_offers_the_others(two):
    answer = two.ask("what is senior 2", person_level=two.framework.level("em1"))
    message = Renderer().message(answer.template, **answer.context)
    text = json.dumps(message.blocks)
    assert "This answer is about Senior Engineer 2, on your own track (Management)" in text
    assert "Senior Engineer 2 (Individual Contributor track)" in text  # the other meaning, named
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    assert [json.loads(b["value"])["c"] for b in actions["elements"]] == [["level:se2"]]  # and a button to ask about it


def test_a_button_value_too_long_for_slack_leaves_the_candidates_named_without_buttons(two):
    long = "what is senior 2 " + '"' * 980  # a question Ladder reads in full, twice as long written as JSON
    answer = two.ask(long)
    message = Renderer().message(answer.template, **answer.context)
    assert not [b for b in message.blocks if b["type"] == "actions"]
    assert "Senior Engineer 2" in text_of(message.blocks)


# -- a track, a level and a competency of one name ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "levels", "competencies", "tracks"),
    [
        ("what does a Support Agent do", ["agent"], [], []),
        ("support agent", ["agent"], [], []),
        ("show me the Support Agent track", [], [], ["support_agent"]),
        ("what is the support agent competency", [], ["agent_skill"], []),
        ("what does support agent look like at senior support agent", ["senior_agent"], ["agent_skill"], []),
        ("difference between support agent and senior support agent", ["agent", "senior_agent"], [], []),
    ],
)
def test_a_name_shared_by_a_track_a_level_and_a_competency_is_read_by_context(text, levels, competencies, tracks):
    question = Answerer(load(SUPPORT)).parser.parse(text)
    assert (ids(question.levels), ids(question.competencies), ids(question.tracks)) == (levels, competencies, tracks)
    assert question.ambiguities == ()


# -- other languages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "text", "levels", "competencies"),
    [
        (JAPANESE, "シニアエンジニアになるには何が必要ですか", ["senior"], []),
        (JAPANESE, "シニアエンジニアとスタッフエンジニアの違いは？", ["senior", "staff"], []),
        (JAPANESE, "スタッフエンジニアでの技術力とは", ["staff"], ["gijutsu"]),
        (JAPANESE, "シニア・エンジニアとは", ["senior"], []),
        (CHINESE, "高级工程师和资深工程师有什么区别", ["p6", "p7"], []),
        (CHINESE, "怎样成为资深工程师", ["p7"], []),
        (PORTUGUESE, "o que faz uma pleno?", ["pleno"], []),
        (PORTUGUESE, "qual a diferença entre Júnior e senior", ["junior", "senior"], []),
        (PORTUGUESE, "desenvolvedora sênior", ["senior"], []),
        (RUSSIAN, "что делает старший разработчик", ["senior"], []),
        (RUSSIAN, "чем отличается младший разработчик от старшего разработчика", ["junior", "senior"], []),
    ],
)
def test_names_are_found_in_any_script(fixture, text, levels, competencies):
    question = Answerer(load(fixture)).parser.parse(text)
    assert (ids(question.levels), ids(question.competencies)) == (levels, competencies)


def test_a_framework_s_own_question_words_are_the_parser_s_words():
    parser = Answerer(load(PORTUGUESE)).parser
    assert {"diferenca", "o que muda"} <= parser.words_for("difference")
    assert "difference" in parser.words_for("difference")  # the built-in English words stay
    assert "o que muda" not in parser.words_for("next")
    japanese = Answerer(load(JAPANESE)).parser
    assert "違い" in japanese.words_for("difference")
    assert "違い" in japanese.vocabulary.words("シニアエンジニアとスタッフエンジニアの違いは")


# -- through Slack -------------------------------------------------------------------------------------------------


@pytest.fixture
def served(fake_slack, tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_text(TWO_TRACKS)
    with running_ladder(fake_slack.url, tmp_path, LADDER_FRAMEWORK=str(framework)) as ladder:
        yield ladder


def test_pressing_a_candidate_in_a_private_answer_replaces_it_with_the_answer(served, fake_slack):
    status, body, _ = served.slack.slash_command("what is senior 2")
    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    button = _button(reply["blocks"], "Management track")
    message = {"type": "message", "ts": "1700000000.000100", "text": reply["text"], "blocks": reply["blocks"]}
    container = {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C0GENERAL", "is_ephemeral": True}
    status, _, _ = served.slack.block_actions("U0ASKER", button["action_id"], message=message, container=container)
    assert status == 200
    [call] = fake_slack.wait_for("response_url")
    assert call.args["replace_original"] is True and call.args["response_type"] == "ephemeral"
    assert "Leads a team of engineers." in text_of(call.args["blocks"])


def test_pressing_a_candidate_in_a_channel_answers_whoever_pressed_it_alone(served, fake_slack):
    served.slack.app_mention("<@U0BOT> what is senior 2", ts="1700000000.000200")
    [posted] = fake_slack.wait_for("chat.postMessage")
    button = _button(posted.args["blocks"], "Individual Contributor track")
    message = {"type": "message", "ts": "1700000000.000300", "text": posted.args["text"], "blocks": posted.args["blocks"]}
    served.slack.block_actions("U0OTHER", button["action_id"], message=message, channel_id="C0GENERAL")
    [call] = fake_slack.wait_for("response_url")
    assert call.args["replace_original"] is False and call.args["response_type"] == "ephemeral"
    assert "Leads projects of a team." in text_of(call.args["blocks"])


@pytest.mark.parametrize("value", ["", "not json", '{"q": 3, "c": []}', '{"q": "x", "c": "level:se2"}', '{"q": "x"}'])
def test_a_forged_button_value_is_ignored(served, fake_slack, value):
    status, _, _ = served.slack.block_actions("U0ASKER", QuestionIds.AGAIN + ":1", value=value)
    assert status == 200
    assert fake_slack.calls("response_url") == []


def test_pressing_a_candidate_in_the_home_s_question_window_updates_it(fake_slack, tmp_path, sqlite_url):
    framework = tmp_path / "framework.yaml"
    framework.write_text(TWO_TRACKS)
    when = datetime(2026, 3, 16, 9, tzinfo=UTC)
    with organisation(fake_slack, tmp_path, sqlite_url, when, LADDER_FRAMEWORK=str(framework)) as world:
        world.ladder.slack.block_actions("UANA", "home_ask", view=world.home("UANA"))
        modal = world.open_modal("UANA")
        _, answer = world.submit("UANA", modal, {"Your question": "what is senior 2"})
        assert "Did you mean" in text_of(answer["view"]["blocks"])
        shown = world.shown(modal["id"])
        button = _button(shown["blocks"], "Management track")
        status, _, _ = world.ladder.slack.block_actions("UANA", button["action_id"], view=shown)
        assert status == 200
        assert "Leads a team of engineers." in text_of(world.shown(modal["id"])["blocks"])


def _button(blocks: list[dict], label: str) -> dict:
    return next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button" and label in e["text"]["text"]
    )


def test_the_terminal_and_careers_take_a_choice_too():
    careers = CareerQuestions(load(TWO_TRACKS))
    assert careers.ask("what is senior 2").template == "did_you_mean"
    assert careers.ask("what is senior 2", chosen=("level:se2",)).context["level"].id == "se2"


BANDS_AND_FAMILIES = """
name: Bands and families
tracks:
  - id: eng
    name: Engineer
    levels:
      - {id: junior, title: Junior Engineer}
      - {id: middle1, title: Middle I Engineer}
      - {id: senior1, title: Senior I Engineer}
      - {id: senior2, title: Senior II Engineer}
      - {id: staff1, title: Staff I Engineer}
  - id: writing
    name: Technical Writing
    family: Writing
    levels:
      - {id: w1, title: "Level 1: Technical Writer I"}
      - {id: w2, title: "Level 2: Technical Writer I"}
      - {id: w3, title: "Level 3: Staff Technical Writer"}
  - id: analysis
    name: Product Analysis
    family: Analysis
    levels:
      - {id: a1, title: "Level 1: Product Analyst I"}
      - {id: a2, title: "Level 2: Product Analyst II"}
      - {id: a3, title: "Level 3: Staff Product Analyst"}
"""


@pytest.mark.parametrize(
    ("text", "levels", "open_phrase", "candidates"),
    [
        ("what is senior II", ["senior2"], None, []),
        ("what does a middle 1 do", ["middle1"], None, []),
        ("what is senior", [], "senior", ["senior1", "senior2"]),
        ("what is level 1", [], "level 1", ["w1", "a1"]),
        ("what is a technical writer I", [], "technical writer 1", ["w1", "w2"]),
        ("what is a staff writer", ["w3"], None, []),
        ("staff analyst", ["a3"], None, []),
        ("what is staff", [], "staff", ["staff1", "w3", "a3"]),
        ("level 2 in product analysis", ["a2"], None, []),
    ],
)
def test_bands_and_families_in_the_styles_ladders_use(text, levels, open_phrase, candidates):
    question = Answerer(load(BANDS_AND_FAMILIES)).parser.parse(text)
    assert ids(question.levels) == levels
    assert [(a.phrase, ids(a.options)) for a in question.ambiguities] == ([(open_phrase, candidates)] if open_phrase else [])


FIXTURES = [TWO_TRACKS, SUPPORT, JAPANESE, CHINESE, PORTUGUESE, RUSSIAN, BANDS_AND_FAMILIES]
_ANSWERERS: dict[int, Answerer] = {}
_RENDERER = Renderer()

_FRAGMENTS = st.sampled_from(
    ["senior", "2", "II", "I", "on the", "management", "track", "principal", "vs", "equivalent", "level 1", "staff",
     "support agent", "competency", "シニアエンジニア", "違い", "高级工程师", "Sênior", "старший", "sr.", "<!channel>", "?"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(FIXTURES) - 1), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=10))
def test_any_question_against_any_style_answers_and_renders(which, parts):
    answerer = _ANSWERERS.setdefault(which, Answerer(load(FIXTURES[which])))
    answer = answerer.ask(" ".join(parts))
    message = _RENDERER.message(answer.template, **answer.context)
    assert message.text and message.blocks
    for block in message.blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
