"""The normal form names are compared in (bot.framework.names), and the names a vocabulary derives from titles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.names import name_key, name_words, normalize, question_words
from bot.questions.parser import QuestionParser


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("IC1", "IC 1"),
        ("IC1", "ic-1"),
        ("IC 3a", "ic3A"),
        ("IC7 Sr. Principal Software Engineer", "ic 7 senior principal software engineer"),
        ("Snr Eng", "Senior Engineer"),
        ("Engineering Mgr", "engineering manager"),
        ("Dir. of Engineering", "Director of Engineering"),
        ("Assoc. Dev", "Associate Developer"),
        ("Engineer II", "Engineer 2"),
        ("Software Engineer XII", "software engineer 12"),
        ("Sênior", "senior"),
        ("Júnior Pleno", "junior pleno"),
        ("Staff's", "staff"),
        ("Ⅲ Engineer Ⅲ", "iii engineer 3"),
        ("シニア・エンジニア", "シニア エンジニア"),
        ("ＩＣ１", "IC1"),
    ],
)
def test_names_written_differently_are_one_name(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Engineer", "Engineering"),
        ("IC1", "IC11"),
        ("Lead", "Lead 1"),
        ("Ведущий", "Ведущии"),  # й is a letter of its own, not и with a mark to drop
        ("シニア", "ジニア"),
    ],
)
def test_different_names_stay_different(one, other):
    assert name_key(one) != name_key(other)


def test_a_name_that_is_one_abbreviation_stays_as_written():
    assert name_words("Dev") == ("dev",)
    assert name_words("Sr Dev") == ("senior", "developer")
    assert name_words("SWE II") == ("software", "engineer", "2")


def test_scripts_with_combining_marks_keep_their_words_whole():
    assert name_words("วิศวกรอาวุโส") == ("วิศวกรอาวุโส",)
    assert name_words("सीनियर इंजीनियर") == ("सीनियर", "इंजीनियर")
    assert normalize("वरिष्ठ अभियंता") == "वरिष्ठ अभियंता"


def test_scripts_written_without_spaces_are_apart_from_latin_letters_and_digits():
    assert name_words("SREエンジニア2") == ("sre", "エンジニア", "2")
    assert name_words("Staff Engineerになるには") == ("staff", "engineer", "になるには")


def test_i_in_a_question_is_a_number_only_after_a_word_that_names_number():
    numbered = {"senior", "engineer"}
    assert question_words("can I switch", numbered) == ["can", "i", "switch"]
    assert question_words("I want Senior I", numbered) == ["i", "want", "senior", "1"]
    assert question_words("what does engineer IV do", numbered) == ["what", "does", "engineer", "4", "do"]
    assert question_words("what's a sr. dev", numbered) == ["what", "a", "senior", "developer"]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_the_normal_form_is_idempotent_and_never_fails(text):
    words = name_words(text)
    assert name_words(" ".join(words)) == words
    assert all(w and " " not in w for w in words)
    question_words(text, {"senior"})
    normalize(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["IC", "L", "M", "sr", "Senior", "engineer", "3", "12", "II", "a", "Pleno", "シニア"]), max_size=6)
)
def test_spacing_case_and_punctuation_never_change_a_name(parts):
    joined = " ".join(parts)
    for variant in ("-".join(parts), "_".join(parts), joined.upper(), joined.lower(), f" {joined}. "):
        assert name_key(variant) == name_key(joined)


# -- names derived from titles, in the styles organisations write them -----------------------------------------


CODED_TITLES = """
name: Coded titles
tracks:
  - id: prog
    name: Programming
    levels:
      - {id: p1, title: Junior Programmer (L1)}
      - {id: p2, title: Programmer (L2)}
      - {id: p3, title: Senior Programmer (L3)}
  - id: ic
    name: Individual Contributor
    levels:
      - {id: ic1, title: IC1 Software Engineer}
      - {id: ic2, title: IC2 Software Engineer}
      - {id: ic6, title: IC6 Principal Software Engineer}
      - {id: ic7, title: IC7 Sr. Principal Software Engineer}
  - id: dev
    name: Development
    levels:
      - {id: d1, title: D1 - Developer 1}
      - {id: d2, title: D2 - Developer 2}
      - {id: d3, title: D3 - Staff Engineer / Tech Lead}
      - {id: d4, title: "4. Associate Architect"}
  - id: sfia
    name: Grades
    levels:
      - {id: g3, title: "SFIA 3: Practitioner"}
      - {id: g4, title: "SFIA 4: Senior Practitioner"}
"""


def _parser(text: str) -> QuestionParser:
    result = check_framework_text(text, "fixture.yaml")
    assert result.framework is not None, result.problems
    return QuestionParser(result.framework)


@pytest.fixture(scope="module")
def coded() -> QuestionParser:
    return _parser(CODED_TITLES)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what is L3", "p3"),
        ("what does a senior programmer do", "p3"),
        ("what does IC7 Sr. Principal Software Engineer mean", "ic7"),
        ("sr principal software engineer", "ic7"),
        ("senior principal", "ic7"),
        ("IC7", "ic7"),
        ("ic 7", "ic7"),
        ("ic-1", "ic1"),
        ("what is principal", "ic6"),
        ("tell me about D2", "d2"),
        ("developer 2", "d2"),
        ("what does a tech lead do", "d3"),
        ("staff engineer", "d3"),
        ("associate architect", "d4"),
        ("what is SFIA 4", "g4"),
        ("sfia4", "g4"),
        ("senior practitioner", "g4"),
        ("what's a programmer", "p2"),
    ],
)
def test_codes_and_short_names_inside_titles_name_their_level(coded, text, level):
    assert [lv.id for lv in coded.parse(text).levels] == [level]


@pytest.mark.parametrize("text", ["what is D7", "what is a software engineer", "levels for programmers", "principal programmer"])
def test_what_names_no_level_names_none(coded, text):
    question = coded.parse(text)
    assert question.levels == () and question.ambiguities == ()


ONE_WORD_TITLES = """
name: One word
tracks:
  - id: eng
    name: Delivery
    levels:
      - {id: eng, title: Engineer}
      - {id: senior, title: Senior Engineer}
  - id: prog
    name: Code
    levels:
      - {id: prog, title: Programmer}
      - {id: lead_prog, title: Lead Programmer}
"""


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("what does an Engineer do", ["eng"]),
        ("engineer vs senior engineer", ["eng", "senior"]),
        ("what's a principal engineer", []),
        ("what is Engineer III", []),
        ("what is engineering like here", []),
        ("tell me about enginer", []),
        ("what are the levels for programmers", []),
        ("what does a programmer do", ["prog"]),
        ("what is a staff programmer", []),
    ],
)
def test_a_one_word_title_never_captures_a_longer_title_or_another_word(text, levels):
    parser = _parser(ONE_WORD_TITLES)
    assert [lv.id for lv in parser.parse(text).levels] == levels


def test_a_derived_name_shared_by_a_whole_track_names_no_level(coded):
    # "Software Engineer" is in every IC title: it is the role, not a level
    assert coded.parse("what is a software engineer").levels == ()
    assert coded.vocabulary.knows("l") is False


def test_the_loader_compares_names_as_questions_read_them():
    same_on_one_track = """
name: Same
tracks:
  - id: ic
    name: IC
    levels:
      - {id: a, title: Engineer II}
      - {id: b, title: Engineer 2}
"""
    result = check_framework_text(same_on_one_track, "same.yaml")
    assert result.framework is None
    assert any("already the title" in p.message for p in result.problems)
    shared_alias = """
name: Shared alias
tracks:
  - id: ic
    name: IC
    levels:
      - {id: a, title: Senior Engineer}
      - {id: b, title: Staff Engineer, aliases: [Sr. Engineer]}
"""
    result = check_framework_text(shared_alias, "alias.yaml")
    assert result.framework is not None
    assert any(p.path == "tracks[0].levels[1].aliases[0]" and p.severity == "warning" for p in result.problems)


TYPED_LIKE_THIS = """
name: Typed like this
tracks:
  - id: se
    name: Software
    levels:
      - {id: se1, title: Software Engineer I}
      - {id: se2, title: Software Engineer II}
      - {id: se4, title: Software Engineer IV / Salesforce Platform Manager}
      - {id: principal, title: Principal}
      - {id: principal_plus, title: Principal+ (Business Growth Leader)}
  - id: leads
    name: Leads
    levels:
      - {id: team, title: TeamLead}
      - {id: domain, title: Domain Lead}
"""


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what is SE2", "se2"),
        ("se 1", "se1"),
        ("what does an SPM do", "se4"),
        ("salesforce platform manager", "se4"),
        ("what is a Team Lead", "team"),
        ("teamlead", "team"),
        ("what is a DomainLead", "domain"),
        ("principal+", "principal_plus"),
        ("principal plus", "principal_plus"),
        ("principal", "principal"),
        ("business growth leader", "principal_plus"),
    ],
)
def test_initials_camel_case_and_plus_are_read_as_people_write_them(text, level):
    assert [lv.id for lv in _parser(TYPED_LIKE_THIS).parse(text).levels] == [level]


def test_names_in_other_word_orders_and_initials_without_a_number():
    parser = _parser(
        """
name: Word orders
tracks:
  - id: mgmt
    name: Management
    levels:
      - {id: em, title: Engineering Manager}
      - {id: dir, title: Director of Engineering}
      - {id: sdir, title: Sr. Director of Engineering}
      - {id: dops, title: Director of Operations}
      - {id: spe, title: Sr. Principal Engineer}
"""
    )
    for text, level in [
        ("what is an EM", "em"),
        ("engineering director", "dir"),
        ("what is a Sr. Engineering Director", "sdir"),
        ("SrPrincipal", "spe"),
    ]:
        assert [lv.id for lv in parser.parse(text).levels] == [level], text
    assert parser.parse("what do I need").levels == ()  # "do" is a word, never the initials of Director of Operations
