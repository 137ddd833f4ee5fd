"""Question kinds beyond one level or two: a target without a recorded level, one competency between two levels,
time between levels, and a framework's own question words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.questions.answers import Answerer
from bot.questions.durations import Duration, read_duration, total
from bot.questions.parser import MAX_QUESTION_CHARS, Intent, QuestionParser
from messages.render import Renderer
from tests.frameworks import framework_of

LADDER = """
name: Kinds Engineering
sections:
  - title: Growth
    text: Most people move up a level every two or three years, and there is no fixed timetable.
question_words:
  time: [wie lange, どのくらい]
  difference: [unterschied, 違い]
  personal: [ich]
competencies:
  - id: communication
    name: Communication
    scale:
      - label: Aware
      - label: Fluent
      - label: Expert
  - id: delivery
    name: Delivery
tracks:
  - id: trunk
    name: Engineering
    levels:
      - id: level_1
        title: Level 1
        typical_time_in_level: 1-2 years
        expectations:
          communication: Writes clear pull request descriptions.
          delivery: Ships small changes with guidance.
      - id: level_2
        title: Level 2
        expectations:
          communication: Writes design documents for the team.
          delivery: Ships features on their own.
      - id: level_3
        title: Level 3
        typical_time_in_level: 2-3 years
        scope: A team.
        expectations:
          communication: Presents the team's work to the organisation.
          delivery: Leads the team's projects.
      - id: level_4
        title: Level 4
        typical_time_in_level: 18 months
        expectations:
          communication: Writes the documents the whole company reads.
          delivery: Leads projects across teams.
  - id: managers
    name: Management
    starts_after: level_3
    levels:
      - id: manager
        title: Team Manager
        typical_time_in_level: 3+ years
        expectations:
          delivery: Makes the team deliver.
      - id: senior_manager
        title: Head of Engineering
        expectations:
          delivery: Makes several teams deliver.
"""

UNTIMED = """
name: Untimed
sections:
  - title: Progression
    text: Promotions usually come after about two years at a level, but it varies.
tracks:
  - id: t
    name: T
    levels:
      - id: a
        title: Apprentice
      - id: b
        title: Journeyman
      - id: c
        title: Master
"""


@pytest.fixture(scope="module")
def framework():
    return framework_of(LADDER)


@pytest.fixture(scope="module")
def answerer(framework):
    return Answerer(framework)


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def _text(renderer, answer) -> str:
    renderer.message(answer.template, **answer.context)  # Slack accepts it
    return renderer.terminal(answer.template, **answer.context)


# -- a target named in the first person, without a recorded level --------------------------------


@pytest.mark.parametrize(
    "question", ["how do I get promoted to Level 3", "what do I need to become Level 3", "what do I need to get to level 3?"]
)
def test_a_target_without_a_recorded_level_assumes_the_level_below(answerer, renderer, question):
    answer = answerer.ask(question)
    assert answer.template == "assumed_gap"
    assert (answer.context["before"].id, answer.context["after"].id) == ("level_2", "level_3")
    text = _text(renderer, answer)
    assert "assumes you are Level 2" in text
    assert "Writes design documents for the team." in text and "Presents the team's work to the organisation." in text
    assert "records your level" in text


def test_with_a_recorded_level_the_gap_is_from_it(framework, answerer):
    answer = answerer.ask("how do I get promoted to Level 3", person_level=framework.level("level_1"))
    assert answer.template == "compare"
    assert (answer.context["before"].id, answer.context["after"].id, answer.context["you"]) == ("level_1", "level_3", True)


def test_the_first_level_of_a_track_that_starts_after_a_level(answerer, renderer):
    answer = answerer.ask("what do I need to become a Team Manager")
    assert answer.template == "assumed_gap"
    assert (answer.context["before"].id, answer.context["after"].id) == ("level_3", "manager")
    assert "assumes you are Level 3" in _text(renderer, answer)


def test_a_first_level_target_describes_it(answerer):
    assert answerer.ask("what do I need to become Level 1").template == "level"


# -- one competency between two levels ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how does Communication change from Level 2 to Level 3",
        "communication: level 3 vs level 2",
        "what's the difference in communication between Level 2 and Level 3",
    ],
)
def test_two_levels_and_a_competency_compare_that_competency_only(answerer, renderer, question):
    answer = answerer.ask(question)
    assert answer.template == "competency_change"
    assert (answer.context["before"].id, answer.context["after"].id) == ("level_2", "level_3")
    assert [row.competency.id for row in answer.context["rows"]] == ["communication"]
    text = _text(renderer, answer)
    assert "Writes design documents for the team." in text and "Presents the team's work to the organisation." in text
    assert "Ships features" not in text and "Leads the team's projects" not in text and "A team." not in text
    assert "Aware → Fluent → Expert" in text  # the competency's own scale


def test_a_competency_a_level_does_not_state_is_said_so(answerer, renderer):
    answer = answerer.ask("how does communication change from Level 3 to Team Manager")
    text = _text(renderer, answer)
    assert "The framework writes no expectation of Communication at Team Manager." in text


# -- time between levels ----------------------------------------------------------------------------


def test_time_between_two_levels_adds_the_stated_times(answerer, renderer):
    answer = answerer.ask("how long from Level 3 to Level 4")
    assert answer.template == "time" and str(answer.context["total"]) == "2–3 years"
    answer = answerer.ask("how long from Level 1 to Level 3")
    assert [lv.id for lv in answer.context["unstated"]] == ["level_2"]
    text = _text(renderer, answer)
    assert "only some of the levels on the way: those add up to 1–2 years, without Level 2" in text
    assert "• Level 1: 1-2 years" in text and "• Level 2: no time stated" in text


def test_the_time_stated_for_the_level_reached_is_shown_not_counted(answerer, renderer):
    answer = answerer.ask("how long from Level 1 to Level 4")
    assert [r.level.id for r in answer.context["rows"]] == ["level_1", "level_2", "level_3"]
    assert str(answer.context["total"]) == "3–5 years"
    assert "• Level 4 itself: 18 months (the time in the level reached, not counted)" in _text(renderer, answer)


@pytest.mark.parametrize("question", ["how long do people stay at Level 4", "how much time do people typically spend in Level 4"])
def test_time_at_a_level(answerer, renderer, question):
    answer = answerer.ask(question)
    assert answer.template == "time" and [r.level.id for r in answer.context["rows"]] == ["level_4"]
    assert "People typically spend 18 months at Level 4, as the framework states it." in _text(renderer, answer)


def test_time_across_a_fork(answerer):
    answer = answerer.ask("how long from Level 3 to Head of Engineering")
    assert [r.level.id for r in answer.context["rows"]] == ["level_3", "manager"]
    assert str(answer.context["total"]) == "at least 5 years"


def test_time_between_levels_on_no_one_path(answerer, renderer):
    answer = answerer.ask("how long from Level 4 to Team Manager")
    assert answer.context["on_one_path"] is False
    assert "not one above the other" in _text(renderer, answer)


def test_time_to_a_level_from_my_level_or_from_the_start(framework, answerer, renderer):
    mine = answerer.ask("how long does it take to get to Level 4", person_level=framework.level("level_3"))
    assert mine.template == "time" and mine.context["start"] == "you" and str(mine.context["total"]) == "2–3 years"
    assert mine.about_the_asker
    anyone = answerer.ask("how long does it take to get to Level 4")
    assert anyone.context["start"] == "first" and anyone.context["low"].id == "level_1"
    assert "I don't know your level, so this counts from Level 1" in _text(renderer, anyone)


def test_time_in_every_level(answerer, renderer):
    answer = answerer.ask("how long do people typically stay in a level")
    assert answer.template == "time_in_levels"
    text = _text(renderer, answer)
    assert "Level 4: 18 months" in text and "Team Manager: 3+ years" in text and "Level 2" not in text


def test_when_no_time_is_stated_the_passages_about_those_levels_that_state_one_are_quoted(renderer):
    framework = framework_of(
        UNTIMED.replace(
            "        title: Journeyman\n",
            "        title: Journeyman\n        summary: Most journeymen grow to Master within ~18m, some sooner.\n",
        )
    )
    answer = Answerer(framework).ask("how long until a Journeyman becomes Master")
    assert [h.passage.place for h in answer.context["mentions"]] == ["Journeyman"]
    assert "grow to Master within ~18m" in _text(renderer, answer)


def test_when_no_time_is_stated_the_text_about_time_is_quoted(renderer):
    answerer = Answerer(framework_of(UNTIMED))
    answer = answerer.ask("how long from Apprentice to Master")
    text = _text(renderer, answer)
    assert "The framework does not say how long: it states no typical time in level for Apprentice, Journeyman." in text
    assert "Progression" in text and "Promotions usually come after about two years at a level" in text
    every = answerer.ask("how long does each level take")
    assert "Promotions usually come after about two years" in _text(renderer, every)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("2-4 years", 24, 48),
        ("2–4 years", 24, 48),
        ("2 to 4 yrs", 24, 48),
        ("18 months", 18, 18),
        ("1.5 years", 18, 18),
        ("6 months to 1 year", 6, 12),
        ("3+ years", 36, None),
        ("at least 2 years", 24, None),
        ("Experience: minimum of 10 years", 120, None),
        ("a maximum of 18 months", 0, 18),
        ("~2-3 year", 24, 36),
        ("within 1 to 2 years", 12, 24),
        ("~18m", 18, 18),
        ("2y", 24, 24),
        ("up to 18 months", 0, 18),
        ("1〜2年", 12, 24),
        ("6ヶ月", 6, 6),
        ("2–3 Jahre", 24, 36),
        ("1 a 2 años", 12, 24),
    ],
)
def test_durations_are_read(text, low, high):
    assert read_duration(text) == Duration(low, high)


@pytest.mark.parametrize(
    "text", ["", "varies", "until ready", "2 years or 3 years", "4 - 2 years", "years", "x" * 500, "$5m", "3 managers", "18 m"]
)
def test_what_is_not_one_duration_is_left_as_written(text):
    assert read_duration(text) is None


def test_durations_add_up():
    assert str(total([read_duration("1-2 years"), read_duration("2-3 years")])) == "3–5 years"
    assert str(total([read_duration("18 months"), read_duration("6 months")])) == "about 2 years"
    assert str(total([read_duration("2 years"), read_duration("3+ years")])) == "at least 5 years"
    assert total([]) is None


@given(st.text(max_size=300))
def test_any_duration_text_reads_or_not(text):
    duration = read_duration(text)
    assert duration is None or (duration.low >= 0 and (duration.high is None or duration.high >= duration.low))


# -- a framework's own question words ---------------------------------------------------------------


@pytest.fixture(scope="module")
def parser(framework):
    return QuestionParser(framework)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("wie lange von Level 1 bis Level 3", Intent.TIME),
        ("Unterschied zwischen Level 1 und Level 2", Intent.COMPARE),
        ("Level 1 と Level 2 の 違い は", Intent.COMPARE),
        ("Level 3 までどのくらいかかりますか", Intent.MY_TIME),
        ("wie lange bis Level 4 für ich", Intent.MY_TIME),
        ("how long from Level 1 to Level 3", Intent.TIME),
        ("how many years to Level 4", Intent.MY_TIME),
        ("how long does it take to get to Level 4", Intent.MY_TIME),
        ("how does Communication change from Level 2 to Level 3", Intent.COMPETENCY_CHANGE),
        ("how do I get promoted to Level 3", Intent.MY_GAP),
        ("what's the difference between Level 1 and Level 2", Intent.COMPARE),
        ("what does Level 2 mean", Intent.LEVEL),
    ],
)
def test_question_kinds(parser, question, intent):
    assert parser.parse(question).intent is intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("how long should I try before asking for help?", Intent.UNKNOWN),
        ("how long is the grace period for new hires", Intent.UNKNOWN),
        ("how long until my next promotion", Intent.MY_TIME),
        ("how long do people stay in each level", Intent.TIME),
        ("help", Intent.HELP),
        ("hi, what can you do", Intent.HELP),
    ],
)
def test_time_and_help_words_about_something_else(parser, question, intent):
    assert parser.parse(question).intent is intent


def test_help_about_something_is_not_a_request_for_help(parser):
    assert parser.parse("where do I get help with the on-call rotation").intent is not Intent.HELP


def test_own_words_of_one_framework_are_not_another_s():
    other = QuestionParser(framework_of(UNTIMED))
    assert other.parse("Unterschied zwischen Apprentice und Journeyman").intent is Intent.COMPARE  # two levels: compared
    # Swedish is not among the built-in languages (bot/questions/question_words.py): only a file's own words add it
    assert other.parse("hur länge från Apprentice till Master").intent is not Intent.TIME


# -- any question renders ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            "how long from to Level 1 3 4 Team Manager communication delivery I my need become promoted years "
            "wie lange どのくらい 違い what change between tech lead ? vs Head of Engineering time take".split()
        ),
        max_size=12,
    ),
    st.sampled_from([None, "level_1", "level_4", "manager"]),
)
def test_every_mix_of_these_words_renders(framework, answerer, renderer, words, level_id):
    answer = answerer.ask(" ".join(words), person_level=framework.level(level_id) if level_id else None)
    renderer.message(answer.template, **answer.context)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=MAX_QUESTION_CHARS))
def test_any_text_renders(answerer, renderer, text):
    answer = answerer.ask(text)
    renderer.message(answer.template, **answer.context)


JAPANESE = """
name: 日本語エンジニアリング
question_words:
  time: [どのくらい, 何年]
  difference: [違い]
competencies:
  - id: コミュニケーション
    name: コミュニケーション
tracks:
  - id: eng
    name: エンジニア
    levels:
      - id: ジュニア
        title: ジュニアエンジニア
        typical_time_in_level: 1〜2年
        expectations: {コミュニケーション: 質問を明確にする。}
      - id: シニア
        title: シニアエンジニア
        typical_time_in_level: 2〜3年
        expectations: {コミュニケーション: 設計文書を書く。}
      - id: スタッフ
        title: スタッフエンジニア
        summary: 複数のチームの技術的な方向性を決めます。テックリードを育てます。
"""


@pytest.mark.parametrize(
    ("question", "template", "says"),
    [
        ("スタッフエンジニアまでどのくらいかかりますか", "time", "Typically 3–5 years in total"),
        ("ジュニアエンジニアからスタッフエンジニアまで何年", "time", "• シニアエンジニア: 2〜3年"),
        ("ジュニアエンジニアとシニアエンジニアの違いは", "compare", "設計文書を書く。"),
        ("ジュニアエンジニアからシニアエンジニアでコミュニケーションはどう変わる", "competency_change", "質問を明確にする。"),
        ("テックリードになるには", "passages", "テックリードを育てます。"),
        ("天気はどうですか", "not_said", "does not say"),
    ],
)
def test_a_framework_asked_in_japanese(renderer, question, template, says):
    answer = Answerer(framework_of(JAPANESE)).ask(question)
    assert answer.template == template
    assert says in _text(renderer, answer)


def test_what_the_levels_say_of_time_elsewhere_is_quoted(renderer):
    framework = framework_of(
        UNTIMED.replace(
            "        title: Apprentice\n",
            "        title: Apprentice\n        summary: Learns. Typically requires a minimum of 2 years of experience.\n",
        ).replace(
            "        title: Master\n",
            "        title: Master\n        summary: Teaches. Typically requires a minimum of 6 years of experience.\n",
        )
    )
    answer = Answerer(framework).ask("how long from Apprentice to Master")
    assert [h.passage.place for h in answer.context["mentions"]] == ["Apprentice", "Master"]
    text = _text(renderer, answer)
    assert "minimum of 2 years" in text and "minimum of 6 years" in text


def test_a_target_s_summary_is_part_of_becoming_it(answerer, renderer):
    framework = framework_of(
        LADDER.replace(
            "        title: Level 3\n", "        title: Level 3\n        summary: Owns the team's technical direction.\n"
        )
    )
    assert "Owns the team's technical direction." in _text(renderer, Answerer(framework).ask("what do I need to become Level 3"))
