"""Names without a leading article, shorthand read as either word it stands for, a name's last word in another gender
or form (German, Romance languages), two levels of one title told apart in answers, the framework's name worded
once, and a time figure whose unit is in its competency's name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from bot.framework.names import MAX_VARIANTS, MIN_STEM, name_key, name_variants, name_words, other_form
from bot.questions.answers import Answerer
from bot.questions.durations import duration_in_named_unit
from bot.questions.search import FrameworkSearch
from bot.questions.vocabulary import Vocabulary
from messages.filters import framework_called
from messages.render import Renderer


def load(text: str) -> Framework:
    result = check_framework_text(text, "fixture.yaml")
    assert result.framework is not None, result.problems
    return result.framework


def shown(answer) -> str:
    return Renderer().terminal(answer.template, **answer.context)


def found(framework: Framework, question: str) -> list[list[str]]:
    vocabulary = Vocabulary(framework)
    return [[thing.id for thing in m.options] for m in vocabulary.find(vocabulary.words(question))]


# -- articles ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("The Curious Contributor", "Curious Contributor"),
        ("an Enabling Lead", "Enabling Lead"),
        ("A Guiding Expert", "guiding expert"),
        ("O Engenheiro", "Engenheiro"),
        ("El Ingeniero Principal", "Ingeniero Principal"),
        ("La Directora", "Directora"),
        ("L'Ingénieur", "Ingénieur"),
        ("Le Responsable", "Responsable"),
        ("Die Teamleitung", "Teamleitung"),
        ("Der Entwickler", "Entwickler"),
        ("Eine Teamleiterin", "Teamleiterin"),
        ("the-curious-contributor", "Curious Contributor"),
    ],
)
def test_a_leading_article_does_not_count(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("A3", ("a", "3")),
        ("A 3", ("a", "3")),
        ("Level A", ("level", "a")),
        ("A", ("a",)),
        ("The", ("the",)),
        ("OS Engineer", ("os", "engineer")),  # the plural articles "os"/"as" are more often an acronym
        ("Director of the Board", ("director", "of", "the", "board")),  # only at the start
    ],
)
def test_a_letter_code_or_an_article_inside_a_name_is_kept(name, words):
    assert name_words(name) == words


ARTICLES = """
name: Guild
tracks:
  - id: guild
    name: Guild
    levels:
      - {id: g1, title: The Curious Contributor, aliases: [A1], summary: Learns the craft with support.}
      - {id: g2, title: The Independent Problem-solver, aliases: [A2], summary: Solves problems alone.}
      - {id: g3, title: An Enabling Lead, aliases: [A3], summary: Leads a client team.}
"""


def test_a_title_with_an_article_is_found_without_it_and_codes_of_the_letter_a_still_work():
    framework = load(ARTICLES)
    assert found(framework, "what does a curious contributor do") == [["g1"]]
    assert found(framework, "what does an enabling lead do") == [["g3"]]
    assert found(framework, "what is The Independent Problem-solver") == [["g2"]]
    assert found(framework, "what is A3") == [["g3"]]
    assert found(framework, "diff between A1 and a 2") == [["g1"], ["g2"]]
    answer = Answerer(framework).ask("what's expected of an Enabling Lead?")
    assert answer.template == "level" and answer.context["level"].id == "g3"


# -- shorthand for several words -----------------------------------------------------------------------------------


SHORTHAND = """
name: Builders
tracks:
  - id: ic
    name: Individual Contributor
    levels:
      - {id: se, title: Software Engineer, summary: Builds features.}
      - {id: senior, title: Senior Engineer, summary: Builds systems.}
  - id: mgmt
    name: Management
    levels:
      - {id: em, title: Engineering Manager, summary: Runs a team.}
      - {id: director, title: Director of Engineering, summary: Designs the organisation.}
  - id: ops
    name: Operations
    levels:
      - {id: head_dev, title: Head of Dev, summary: Runs business development.}
"""


def test_shorthand_in_a_question_is_read_as_the_word_a_name_has_there():
    framework = load(SHORTHAND)
    assert found(framework, "what does a director of eng do") == [["director"]]
    assert found(framework, "what's a senior eng") == [["senior"]]
    assert found(framework, "what does an eng manager do") == [["em"]]
    answer = Answerer(framework).ask("what does a director of eng do")
    assert answer.template == "level" and answer.context["level"].id == "director"


def test_shorthand_in_a_name_is_found_typed_as_either_word():
    framework = load(SHORTHAND)
    assert found(framework, "what does the head of development do") == [["head_dev"]]
    assert found(framework, "what does the head of developer do") == [["head_dev"]]


def test_name_variants_start_with_the_normal_form():
    assert name_variants("Director of Eng") == [("director", "of", "engineer"), ("director", "of", "engineering")]
    assert name_variants("Senior Engineer") == [("senior", "engineer")]
    assert name_variants("Dev") == [("dev",)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["eng", "dev", "devs", "sr", "the", "a", "lead", "3", "Director", "of"]), max_size=8))
def test_name_variants_are_bounded_and_never_fail(parts):
    text = " ".join(parts)
    variants = name_variants(text)
    assert variants[0] == name_words(text)
    assert 1 <= len(variants) <= MAX_VARIANTS + 1
    assert len(set(variants)) == len(variants)


# -- another gender or form of a name's last word ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name", "same"),
    [
        ("teamleiterin", "teamleitung", True),
        ("teamleiter", "teamleitung", True),
        ("teamleiterin", "teamleiter", True),
        ("engenheira", "engenheiro", True),
        ("directora", "director", True),
        ("ingenieure", "ingenieur", True),
        ("engineering", "engineer", False),
        ("designer", "design", False),
        ("management", "manager", False),
        ("leiterin", "leitung", False),  # a stem of four letters: too short to say
        ("teamleiter", "teamleiter", False),
    ],
)
def test_other_forms_of_a_word(typed, name, same):
    assert other_form(typed, name) is same
    assert other_form(name, typed) is same


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeinrgutoä", max_size=14), st.text(alphabet="abcdeinrgutoä", max_size=14))
def test_other_forms_share_a_long_stem_and_are_symmetric(a, b):
    assert other_form(a, b) == other_form(b, a)
    if other_form(a, b):
        assert a[:MIN_STEM] == b[:MIN_STEM] and a != b


GERMAN = """
name: Karrierepfad Softwareentwicklung
tracks:
  - id: fach
    name: Fachlaufbahn
    levels:
      - {id: junior, title: "Junior Softwareentwickler:in", summary: Lernt das Handwerk.}
      - {id: dev, title: "Softwareentwickler:in", summary: Baut Funktionen selbstständig.}
  - id: fuehrung
    name: Führungslaufbahn
    levels:
      - {id: tl, title: Teamleitung, summary: Führt ein Team.}
      - {id: bl, title: "Bereichsleiter:in", summary: Führt mehrere Teams.}
sections:
  - title: Wechsel
    kind: switching
    text: Vor dem Wechsel übernimmst du für drei Monate die Vertretung einer Abteilungsleitung.
"""


def test_a_name_s_last_word_in_another_form_finds_it():
    framework = load(GERMAN)
    assert found(framework, "Wie werde ich Teamleiterin?") == [["tl"]]
    assert found(framework, "Was macht ein Teamleiter?") == [["tl"]]
    assert found(framework, "Was macht die Bereichsleitung?") == [["bl"]]
    assert found(framework, "Was macht eine Softwareentwicklerin?") == [["dev"]]  # "eine" is no typo of "senior"


def test_the_field_s_own_word_is_not_a_level_in_another_form():
    assert found(load(GERMAN), "Was gehört zur Softwareentwicklung?") == []


def test_the_search_finds_a_word_no_passage_holds_in_another_form():
    search = FrameworkSearch(load(GERMAN))
    hits = search.search("Abteilungsleiterin")
    assert [hit.passage.place for hit in hits] == ["Wechsel"]
    assert search.search("Abteilungsleiterinnenrunde") == []


# -- two levels of one title ---------------------------------------------------------------------------------------


TWO_LEADS = """
name: Quill Engineering Career Framework
competencies:
  - {id: communication, name: Communication}
tracks:
  - id: ic
    name: Individual Contributor
    levels:
      - {id: p3, title: Senior Engineer, summary: Owns a service., expectations: {communication: Writes design docs.}}
      - {id: p4, title: Lead Engineer, summary: Leads a team's technical work., equivalent: m1,
         expectations: {communication: Represents the team in forums.}}
  - id: management
    name: Management
    levels:
      - {id: m1, title: Lead Engineer, summary: Leads a team of people., expectations: {communication: Keeps stakeholders informed.}}
      - {id: m2, title: Engineering Manager, summary: Runs teams.}
"""


def test_two_levels_of_one_title_are_named_with_their_tracks_side_by_side():
    answerer = Answerer(load(TWO_LEADS))
    compared = shown(answerer.ask("what's the difference between p4 and m1"))
    assert "From Lead Engineer (Individual Contributor) to Lead Engineer (Management)" in compared
    equivalent = shown(answerer.ask("what is the management equivalent of p4"))
    assert "Lead Engineer (Individual Contributor) ≈ Lead Engineer" in equivalent
    change = shown(answerer.ask("how does communication change from p4 to m1"))
    assert "Lead Engineer (Individual Contributor): Represents the team in forums." in change
    assert "Lead Engineer (Management): Keeps stakeholders informed." in change
    after = shown(answerer.ask("what comes after p3"))
    assert "From Senior Engineer to Lead Engineer (Individual Contributor)" in after


def test_a_title_no_other_level_has_is_shown_as_written():
    after = shown(Answerer(load(TWO_LEADS)).ask("what comes after m1"))
    assert "From Lead Engineer (Management) to Engineering Manager" in after
    assert "Engineering Manager (" not in after


# -- the framework's name ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "called"),
    [
        ("Acme Engineering", "the Acme Engineering framework"),
        ("Tallis Sales Career Framework", "the Tallis Sales Career Framework"),
        ("Data Science Career Path", "the Data Science Career Path"),
        ("Business Analyst LEVELS", "the Business Analyst LEVELS"),
        ("The Engineering Ladder", "the Engineering Ladder"),
        ("Karrierepfad Softwareentwicklung", "the Karrierepfad Softwareentwicklung"),
    ],
)
def test_the_framework_is_named_without_a_second_noun_or_article(name, called):
    assert framework_called(name) == called
    assert framework_called(name, start=True) == called[0].upper() + called[1:]


def test_answers_never_say_framework_framework():
    answerer = Answerer(load(TWO_LEADS))
    for question in ("how many holidays do we get?", "show me the ladder", "what is p3", "help"):
        text = shown(answerer.ask(question))
        assert "Framework framework" not in text and "Framework career" not in text
        assert "Quill Engineering Career Framework" in text


# -- a time figure whose unit is in its competency's name ----------------------------------------------------------


ANALYSTS = """
name: Analyst Levels
competencies:
  - {id: impact, name: Impact}
  - {id: years, name: Years of experience}
tracks:
  - id: main
    name: Main
    levels:
      - {id: associate, title: Associate Business Analyst, aliases: [Associate],
         expectations: {impact: Own tasks are delivered accurately and on time, years: 0–2}}
      - {id: analyst, title: Business Analyst, aliases: [Analyst],
         expectations: {impact: The team builds the right thing, years: 2–4}}
"""


def test_how_long_quotes_a_figure_in_years_of_experience_not_a_passage_saying_on_time():
    text = shown(Answerer(load(ANALYSTS)).ask("how long is one usually an associate"))
    assert "does not say how long" in text
    assert "Years of experience" in text and "0–2" in text
    assert "on time" not in text


@pytest.mark.parametrize(
    ("name", "value", "months"),
    [
        ("Years of experience", "0–2", (0, 24)),
        ("Years of experience", "12+", (144, None)),
        ("Months in role", "6-12", (6, 12)),
        ("Jahre Erfahrung", "3", (36, 36)),
        ("Impact", "2–4", None),
        ("Years of experience", "Own tasks are delivered on time", None),
        ("Years of experience", "2–4 years", None),  # states its own unit: read as it is, elsewhere
    ],
)
def test_a_figure_under_a_name_with_a_unit_of_time(name, value, months):
    duration = duration_in_named_unit(name, value)
    assert (None if duration is None else (duration.low, duration.high)) == months
