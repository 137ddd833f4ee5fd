"""Questions in the file's own words, round 2: built-in question words of other languages, words of equivalence, a
track named by a role word, every branch of a fork, two levels described in prose, questions that ask how many,
promotion where no principles are stated, and a track's own description."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.questions.answers import Answerer
from bot.questions.parser import Intent, QuestionParser
from bot.questions.question_words import BUILT_IN, LANGUAGES
from bot.questions.search import FrameworkSearch, counted_words
from messages.render import Renderer
from tests.frameworks import framework_of

LADDER = """
name: Round Two
description: Engineers grow along one ladder.
sections:
  - title: Team Organization
    text: >-
      Our department is organised into squads. A squad is a unit that can design and deliver on its own.
      A squad comprises 3 - 4 engineers (including a lead) and 1 - 2 testers.
  - title: Progressing from Engineer → Senior Engineer
    kind: other
    text: This step is less about learning more skills and more about owning outcomes.
  - title: Becoming staff
    kind: other
    about: [senior, staff]
    text: Staff engineers shape the environment their squads work in.
  - title: Pro tips
    text: >-
      Delivery and craft are the primary drivers of promotions at lower levels. At higher levels the importance
      shifts to influence.
tracks:
  - id: ic
    name: Individual Contributor
    description: Engineers who grow by doing the work themselves, deeper and wider.
    levels:
      - id: engineer
        title: Engineer
        summary: Ships well-scoped changes with help from their squad.
      - id: senior
        title: Senior Engineer
        summary: Owns features end to end and guides the people around them in the squad.
        equivalent: manager_1
      - id: staff
        title: Staff Engineer
        summary: Sets the technical direction for up to two squads.
        equivalent: manager_2
  - id: mgmt
    name: Manager
    levels:
      - id: manager_1
        title: Engineering Manager
        summary: Leads a squad and its people.
      - id: manager_2
        title: Senior Engineering Manager
        summary: Leads the managers of several squads and their people.
"""

FORK = """
name: Fork
tracks:
  - id: dev
    name: Development
    levels:
      - id: developer
        title: Developer
        summary: Writes code that ships.
      - id: senior_developer
        title: Senior Developer
        summary: Ships whole products.
      - id: senior_consultant
        title: Senior Consultant
        summary: Leads a small team for clients.
  - id: eng
    name: Engineering Branch
    starts_after: senior_developer
    levels:
      - id: senior_engineer
        title: Senior Engineer
        summary: Solves the hardest engineering problems.
"""

PROSE_LEVELS = """
name: Prose Levels
competencies:
  - id: experience
    name: Experience
tracks:
  - id: ospo
    name: OSPO Engineer
    levels:
      - id: ospo_1
        title: OSPO Engineer I
        summary: >-
          Vocal champion for a technical community's interests within the company. Submits bug reports for issues in
          the technology. Communicates internally and externally in a respectful manner.
        expectations:
          experience: Typically does not require professional experience.
      - id: ospo_2
        title: OSPO Engineer II
        summary: >-
          Works on engineering initiatives that improve the technology. Writes technical posts that showcase the
          technology and its use cases in various scenarios.
        expectations:
          experience: Typically requires 2 years of professional experience.
"""

NOT_SAID = ("does not say", "doesn't say", "says nothing", "does not mention", "doesn't mention", "no passage")
NAMES_NONE = ("names no equivalent", "names none", "no equivalent", "does not name", "doesn't name")


@pytest.fixture(scope="module")
def answerer():
    return Answerer(framework_of(LADDER))


def _text(answer) -> str:
    return Renderer().terminal(answer.template, **answer.context)


# -- question words in other languages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("qual o nível depois do Senior Engineer?", Intent.NEXT_LEVEL),
        ("qué nivel viene después de Senior Engineer", Intent.NEXT_LEVEL),
        ("какой грейд после Senior Engineer?", Intent.NEXT_LEVEL),
        ("was kommt nach Senior Engineer", Intent.NEXT_LEVEL),
        ("qual a diferença entre Engineer e Senior Engineer", Intent.COMPARE),
        ("чем Senior Engineer отличается от Engineer?", Intent.COMPARE),
        ("quelle est la différence entre Engineer et Staff Engineer", Intent.COMPARE),
        ("o que é Staff Engineer?", Intent.LEVEL),
        ("что нужно чтобы стать Staff Engineer?", Intent.COMPARE),
        ("что мне нужно чтобы стать Staff Engineer?", Intent.MY_GAP),
        ("o que eu preciso para chegar a Staff Engineer", Intent.MY_GAP),
        ("qual o equivalente de Staff Engineer?", Intent.EQUIVALENT),
        ("какой уровень соответствует Staff Engineer?", Intent.EQUIVALENT),
        ("как перейти в Manager?", Intent.SWITCH),
        ("como funciona a promoção?", Intent.PROMOTION),
        ("quanto tempo de Engineer a Staff Engineer?", Intent.TIME),
        ("wie lange von Engineer bis Staff Engineer", Intent.TIME),
        ("mostre todos os níveis", Intent.LADDER),
        ("quais são as competências?", Intent.COMPETENCIES),
        ("wat komt er na Senior Engineer?", Intent.NEXT_LEVEL),
        ("wat is het verschil tussen Engineer en Senior Engineer?", Intent.COMPARE),
        ("wat is Staff Engineer?", Intent.LEVEL),
        ("hoe lang duurt het van Engineer naar Staff Engineer?", Intent.TIME),
        ("welk niveau is gelijkwaardig aan Staff Engineer?", Intent.EQUIVALENT),
    ],
)
def test_common_languages_are_understood_without_the_file_adding_words(answerer, question, intent):
    assert answerer.parser.parse(question).intent is intent


def test_the_built_in_table_covers_every_kind_in_every_language():
    kinds = {"difference", "next", "equivalent", "switch", "promotion", "ladder", "competencies", "help", "personal", "time"}
    assert kinds <= set(BUILT_IN)
    assert len(LANGUAGES) >= 5


def test_a_built_in_word_the_framework_uses_as_a_name_stays_a_name():
    framework = framework_of(
        """
name: Named Like A Question Word
tracks:
  - id: t
    name: Scala
    levels:
      - {id: a, title: Junior}
      - {id: b, title: Senior}
"""
    )
    parser = QuestionParser(framework)
    assert "scala" not in parser.words_for("ladder")  # Italian for "ladder", here a track's name
    assert "niveis" in parser.words_for("ladder")
    assert parser.parse("show me Scala").intent is Intent.LADDER
    assert parser.parse("show me Scala").tracks[0].name == "Scala"


def test_the_file_s_own_words_still_add_to_the_built_in_ones():
    framework = framework_of(
        """
name: Own Words
question_words:
  next: [seuraava]
tracks:
  - id: t
    name: T
    levels:
      - {id: a, title: Junior}
      - {id: b, title: Senior}
"""
    )
    parser = QuestionParser(framework)
    assert parser.parse("mikä on seuraava Junior").intent is Intent.NEXT_LEVEL
    assert parser.parse("o que vem depois de Junior").intent is Intent.NEXT_LEVEL


# -- equivalence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "which management level matches Staff Engineer?",
        "which manager level corresponds to Staff Engineer",
        "what is Staff Engineer on par with in management?",
        "which management level is the same as a Staff Engineer",
        "which management role equals Staff Engineer",
        "what management level aligns with Staff Engineer",
    ],
)
def test_words_of_equivalence_and_a_track_named_by_a_role_word(answerer, question):
    answer = answerer.ask(question)
    assert answer.template == "equivalent", question
    assert answer.context["asked_tracks"][0].name == "Manager"
    assert "Senior Engineering Manager" in _text(answer)


def test_a_role_word_does_not_name_the_level_s_own_track(answerer):
    answer = answerer.ask("which engineering level matches Engineering Manager?")
    assert answer.template == "equivalent"
    assert answer.context["equivalent"].title == "Senior Engineer"


def test_a_level_without_an_equivalent_on_the_role_s_track_says_none_is_named(answerer):
    text = _text(answerer.ask("which management level matches Engineer?"))
    assert any(phrase in text for phrase in NAMES_NONE)


# -- a fork ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["what comes after a Senior Developer in Development?", "what comes after Senior Developer on the Development track"],
)
def test_naming_the_level_s_own_track_still_shows_every_branch(question):
    answer = Answerer(framework_of(FORK)).ask(question)
    assert answer.template == "next_levels"
    text = _text(answer)
    assert "Senior Consultant" in text and "Senior Engineer" in text


def test_naming_the_branch_shows_that_branch():
    answer = Answerer(framework_of(FORK)).ask("what comes after Senior Developer on the Engineering Branch track")
    assert answer.template == "compare"
    assert answer.context["after"].title == "Senior Engineer"


# -- two levels in prose -------------------------------------------------------------------------------------


def test_levels_described_in_prose_are_compared_with_their_prose():
    answer = Answerer(framework_of(PROSE_LEVELS)).ask("how is an OSPO Engineer I different from an OSPO Engineer II")
    assert answer.template == "compare" and answer.context["summaries"]
    text = _text(answer)
    assert "Submits bug reports for issues in the technology" in text
    assert "Writes technical posts that showcase the technology" in text
    assert "Typically requires 2 years of professional experience" in text  # the rows are still there


def test_levels_with_expectations_that_say_more_are_compared_with_their_summaries_cut_beside_the_rows(answerer):
    framework = framework_of(
        PROSE_LEVELS.replace(
            "Typically does not require professional experience.",
            "Typically does not require professional experience. " * 20,
        )
    )
    answer = Answerer(framework).ask("how is an OSPO Engineer I different from an OSPO Engineer II")
    assert answer.context["summaries"] == "short"  # each summary beside the rows, cut so the rows fit
    text = _text(answer)
    assert "Submits bug reports" in text and "Typically does not require professional experience" in text


def test_one_competency_asked_about_shows_that_competency_only():
    answer = Answerer(framework_of(PROSE_LEVELS)).ask("how does Experience change from OSPO Engineer I to OSPO Engineer II")
    assert "Submits bug reports" not in _text(answer)


# -- how many ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("how many people are in a squad", ("people",)),
        ("how big a team does a Senior lead?", ("team",)),
        ("quantas pessoas tem um squad?", ("pessoas",)),
        ("how many direct reports does a manager have", ("direct", "reports")),
        ("сколько человек в команде", ("человек",)),
        ("what does a squad do", None),
        ("how much autonomy does a Senior have", None),
    ],
)
def test_questions_asking_how_many(question, counted):
    assert counted_words(question) == counted


def test_how_many_is_answered_by_a_passage_stating_a_number(answerer):
    answer = answerer.ask("how many people are in a squad")
    assert answer.template == "passages"
    places = [hit.passage.place for hit in answer.context["hits"]]
    assert "Team Organization" in places
    assert all(any(c.isdigit() for c in hit.quote) or "two" in hit.quote for hit in answer.context["hits"])
    assert "3 - 4 engineers" in _text(answer)


def test_how_many_with_no_number_in_the_file_is_not_said(answerer):
    text = _text(answerer.ask("how many people review a promotion?"))
    assert any(phrase in text for phrase in NOT_SAID)


def test_a_passage_without_a_number_never_answers_how_many():
    search = FrameworkSearch(framework_of(LADDER))
    for hit in search.search("how many managers lead a squad"):
        assert any(c.isdigit() for c in hit.quote) or "two" in hit.quote


# -- promotion without principles ---------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["o que conta mais para promoção?", "what matters most for promotion?"])
def test_promotion_without_principles_quotes_what_mentions_promotion(answerer, question):
    answer = answerer.ask(question)
    assert answer.template == "passages"
    text = _text(answer)
    assert "primary drivers of promotions" in text
    assert "states no principles of promotion" in text


def test_promotion_with_nothing_about_it_says_the_framework_does_not_say():
    answer = Answerer(framework_of(FORK)).ask("how does promotion work?")
    assert answer.template == "promotion"
    assert "does not say how promotion works" in _text(answer)


# -- a track's own description ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["how do I progress as an individual contributor?", "show me the Individual Contributor track"]
)
def test_a_track_asked_about_shows_its_description(answerer, question):
    answer = answerer.ask(question)
    assert answer.template == "ladder"
    assert "Engineers who grow by doing the work themselves" in _text(answer)


def test_the_whole_ladder_does_not_repeat_every_description(answerer):
    assert "Engineers who grow by doing the work themselves" not in _text(answerer.ask("show me the ladder"))


# -- any question, any language ------------------------------------------------------------------------------


_WORDS = st.sampled_from(
    [w for phrases in BUILT_IN.values() for w in phrases] + ["Senior Engineer", "Manager", "squad", "?", "5", "Staff"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, max_size=8))
def test_any_mix_of_question_words_parses_and_renders(answerer, words):
    answer = answerer.ask(" ".join(words))
    assert _text(answer)


# -- the framework's prose about a step ------------------------------------------------------------------------


def test_a_comparison_shows_the_prose_about_that_step(answerer):
    text = _text(answerer.ask("what's the difference between Engineer and Senior Engineer?"))
    assert "less about learning more skills and more about owning outcomes" in text
    assert "shape the environment their squads work in" not in text


def test_a_section_s_about_names_the_step(answerer):
    answer = answerer.ask("how do I become a Staff Engineer?")
    assert answer.template == "assumed_gap"
    assert "shape the environment their squads work in" in _text(answer)


def test_a_step_the_prose_is_not_about_shows_none(answerer):
    text = _text(answerer.ask("what's the difference between Engineer and Staff Engineer?"))
    assert "owning outcomes" not in text and "shape the environment" not in text


def test_one_competency_between_two_levels_shows_no_step_prose(answerer):
    assert answerer.compare(*_levels(answerer, "engineer", "senior"), only=()).context["guidance"]
    framework = answerer.framework
    assert not answerer.guidance_between(framework.level("engineer"), framework.level("staff"))


def _levels(answerer, *ids):
    return [answerer.framework.level(i) for i in ids]


# -- prose where the structure says nothing ------------------------------------------------------------------

PROSE_ONLY = """
name: Prose Only
sections:
  - title: Moving into management
    text: >-
      A Team Manager is at the same level as a Staff Analyst. If you want to manage, you will usually lead a small
      project team first, for at least one quarter.
  - title: How promotions work
    text: We run promotion rounds twice a year, in April and October.
competencies:
  - id: years
    name: Years of experience
tracks:
  - id: analysts
    name: Analysts
    levels:
      - id: analyst_1
        title: Analyst 1
        scope: A programme of 2–4 projects
        expectations: {years: "0–2"}
      - id: analyst_2
        title: Analyst 2
        scope: Several programmes or a business unit
        expectations: {years: "2–4"}
      - id: staff_analyst
        title: Staff Analyst
        scope: The whole company
        expectations: {years: "4–7"}
  - id: managers
    name: Managers
    levels:
      - id: team_manager
        title: Team Manager
"""


@pytest.fixture(scope="module")
def prose_only():
    return Answerer(framework_of(PROSE_ONLY))


def test_switching_with_no_switching_points_quotes_what_the_text_says(prose_only):
    answer = prose_only.ask("how do I move into management")
    assert answer.template == "switch"
    text = _text(answer)
    assert "lead a small project team first" in text
    assert "names no switching points" not in text


def test_an_equivalent_the_structure_does_not_name_quotes_the_text(prose_only):
    answer = prose_only.ask("is a Staff Analyst the same as a Team Manager?")
    assert answer.template == "equivalent"
    text = _text(answer)
    assert "names no equivalent" in text  # what the ladder's structure says, and
    assert "A Team Manager is at the same level as a Staff Analyst" in text  # what its text says


def test_answers_quoting_the_question_s_words_are_not_shared_between_wordings(prose_only):
    one = prose_only.ask("is a Staff Analyst the same as a Team Manager?")
    other = prose_only.ask("what's the equivalent of Staff Analyst?")
    assert one.key != other.key


def test_a_short_form_of_promotion_is_promotion(prose_only):
    answer = prose_only.ask("how often are promo rounds")
    assert answer.template == "passages"
    assert "twice a year, in April and October" in _text(answer)


def test_a_time_word_inside_a_competency_s_name_asks_for_that_competency(prose_only):
    answer = prose_only.ask("how many years of experience for a Staff Analyst")
    assert answer.template == "competency_at_level"
    assert "4–7" in _text(answer)


def test_another_level_s_text_never_answers_a_question_naming_a_level(prose_only):
    text = _text(prose_only.ask("what's the scope of Analyst 2"))
    assert "Several programmes or a business unit" in text
    assert "A programme of 2–4 projects" not in text


@pytest.mark.parametrize(
    ("question", "staying"),
    [
        ("how long do people stay at Analyst 2", True),
        ("how long is one usually an Analyst 2", True),
        ("how long does it take to become Analyst 2", False),
        ("how long until Analyst 2", False),
    ],
)
def test_how_long_at_a_level_and_how_long_to_reach_it(prose_only, question, staying):
    answer = prose_only.ask(question)
    assert answer.template == "time"
    assert (answer.context["low"].id == answer.context["high"].id) is staying


def test_career_words_of_other_languages_are_no_subject(prose_only):
    assert prose_only.ask("Was wird auf Analyst 2 erwartet?").template == "level"
    assert prose_only.ask("o que é esperado de um Analyst 2?").template == "level"


def test_a_figure_asked_of_one_level_is_shown_without_its_neighbours(prose_only):
    text = _text(prose_only.ask("how many years of experience does a Staff Analyst need?"))
    assert "4–7" in text and "2–4" not in text
    text = _text(prose_only.ask("what does Years of experience look like at Analyst 2?"))
    assert "2–4" in text and "4–7" in text  # asked what it looks like: the level above is shown beside


def test_one_phrase_of_several_levels_may_quote_each_of_their_texts():
    framework = framework_of(
        """
name: Two Tracks Alike
tracks:
  - id: dev
    name: Development
    levels:
      - {id: dev_1, title: Consultant, summary: "You lead a small team (of up to 3) for a client."}
  - id: design
    name: Design
    levels:
      - {id: design_1, title: Consultant, summary: "You lead a small design team (of up to 3) for a client."}
"""
    )
    answer = Answerer(framework).ask("how big a team does a Consultant lead?")
    assert answer.template != "did_you_mean"
    assert "lead a small team (of up to 3)" in _text(answer)
