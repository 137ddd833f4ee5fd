"""Questions answered from the file's own words, round 4: a question naming a level but asking about something the
framework never speaks of is told so (pay included), times stated under a label the import did not map, "what is"
in Japanese and Chinese, each level's summary in a comparison, a typo inside a title of three words, and a role with
its seniority in either order ("analyste senior")."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions.answers import Answerer
from bot.questions.time_in_level import stated_time
from bot.questions.vocabulary import Vocabulary
from bot.questions.word_pairs import pair_names
from messages.render import Renderer
from tests.frameworks import framework_of

DESIGN = """
name: Made-up Design Ladder
tracks:
  - id: ic
    name: Design
    levels:
      - id: d1
        title: Product Designer
        aliases: [D1]
        summary: Designs small features with a mentor's review.
        expectations:
          craft: Designs complete flows with empty and error states.
      - id: d2
        title: Senior Product Designer
        aliases: [D2]
        summary: Owns a product area of one or two squads.
        expectations:
          craft: Sets interaction patterns for a product area.
      - id: d3
        title: Staff Product Designer
        aliases: [D3]
        summary: Shapes the design system across product areas.
        expectations:
          craft: Leads the design system and its contributors.
competencies:
  - id: craft
    name: Craft
"""

FRENCH = """
name: Grille Analytique
tracks:
  - id: main
    name: Analyse
    levels:
      - id: n1
        title: Analyste de données junior
        aliases: [N1]
        expectations:
          autonomie: Travaille avec un accompagnement quotidien.
          duree: 12 à 18 mois
      - id: n2
        title: Analyste de données
        aliases: [N2]
        expectations:
          autonomie: Autonome sur les demandes courantes.
          duree: 18 à 24 mois
      - id: n3
        title: Analyste de données senior
        aliases: [N3]
        expectations:
          autonomie: Pleinement autonome sur des sujets mal définis.
          duree: 3 ans et plus
competencies:
  - id: autonomie
    name: Autonomie
  - id: duree
    name: Durée typique
"""

JAPANESE = """
name: 開発ラダー
tracks:
  - id: eng
    name: エンジニア
    levels:
      - id: l1
        title: エンジニア
        aliases: [L1]
        summary: 担当機能を一人で進める。
      - id: l2
        title: シニアエンジニア
        aliases: [L2]
        summary: チームの技術的なリーダーとして、成果に責任を持つ。
sections:
  - title: 昇格について
    kind: promotion
    text: 昇格の審査は年に2回行います。L1 から L2 への昇格には推薦が必要です。
"""


def _text(answer) -> str:
    return Renderer().terminal(answer.template, **answer.context)


@pytest.fixture(scope="module")
def design():
    return Answerer(framework_of(DESIGN))


@pytest.fixture(scope="module")
def french():
    return Answerer(framework_of(FRENCH))


# -- a subject the framework never speaks of ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("how many vacation days does a D2 get", "vacation"),
        ("does a Senior Product Designer get a company car", "car"),
        ("what is the salary of a D3", "salary"),
    ],
)
def test_a_subject_no_passage_speaks_of_is_not_said_for_the_level(design, question, subject):
    answer = design.ask(question)
    assert answer.template == "not_said_of"
    text = _text(answer)
    assert "does not say" in text and subject in text
    assert "Owns a product area" not in text and "Sets interaction patterns" not in text  # never the level page


@pytest.mark.parametrize(
    "question",
    ["what is a D2", "what does a Senior Product Designer do", "what does a D2 need", "what does a D2 typically do day to day"],
)
def test_a_question_about_the_level_itself_still_shows_it(design, question):
    answer = design.ask(question)
    assert answer.template in {"level", "compare"}
    assert "Owns a product area" in _text(answer) or "Sets interaction patterns" in _text(answer)


def test_pay_in_french_is_not_said_when_no_text_speaks_of_pay(french):
    answer = french.ask("quel est le salaire d'un N3 ?")
    assert answer.template == "not_said_of" and "salaire" in _text(answer)


def test_pay_the_level_speaks_of_is_quoted():
    framework = framework_of(DESIGN.replace("Owns a product area of one or two squads.", '"Salary: 70 000 to 85 000 EUR."'))
    answer = Answerer(framework).ask("what is the salary of a D2")
    assert answer.template == "passages" and "70 000 to 85 000" in _text(answer)


def test_pay_asked_in_japanese_is_not_said():
    answer = Answerer(framework_of(JAPANESE)).ask("シニアエンジニアの年収は？")
    assert answer.template == "not_said_of" and "年収" in _text(answer)


# -- times under a label the import did not map ----------------------------------------------------------------


def test_time_stated_under_a_time_label_is_added_up(french):
    answer = french.ask("combien de temps pour passer de N1 à N3 ?")
    text = _text(answer)
    assert "12 à 18 mois" in text and "18 à 24 mois" in text
    assert "does not say how long" not in text and "no time stated" not in text
    assert str(answer.context["total"]) == "2.5–3.5 years"


def test_staying_in_french_is_the_time_at_the_level(french):
    text = _text(french.ask("combien de temps reste-t-on analyste de données ?"))
    assert "18 à 24 mois" in text and "12 à 18 mois" not in text


def test_a_label_about_experience_is_not_time_in_level():
    framework = framework_of(FRENCH.replace("name: Durée typique", "name: Years of experience"))
    assert stated_time(framework, framework.level("n1")).text == ""


def test_a_sentence_of_the_summary_that_says_how_long_people_stay():
    framework = framework_of(DESIGN.replace("Owns a product area of one or two squads.", "People usually spend 2-3 years here."))
    said = stated_time(framework, framework.level("d2"))
    assert said.duration is not None and said.duration.low == 24
    assert stated_time(framework, framework.level("d1")).text == ""


# -- "what is" in Japanese and Chinese -------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["L2とは？", "L2 とは", "L2って何ですか", "L2是什么"])
def test_what_is_a_level_in_japanese_and_chinese_shows_the_level(question):
    answer = Answerer(framework_of(JAPANESE)).ask(question)
    assert answer.template == "level" and answer.context["level"].id == "l2"
    assert "成果に責任を持つ" in _text(answer)


# -- comparisons show each level's summary ---------------------------------------------------------------------


def test_a_comparison_shows_each_summary_beside_the_rows(design):
    answer = design.ask("what's the difference between D1 and D2")
    text = _text(answer)
    assert "Designs small features" in text and "Owns a product area" in text
    assert "Sets interaction patterns" in text  # the rows are still there


def test_a_competency_asked_about_leaves_the_summaries_out(design):
    text = _text(design.ask("how does Craft change from D1 to D2"))
    assert "Owns a product area" not in text


# -- names: a typo inside a title, a role and its seniority in either order -----------------------------------


def test_a_typo_inside_a_three_word_title_finds_that_title(design):
    vocabulary = Vocabulary(design.framework)
    mentions = vocabulary.find(vocabulary.words("whats after senior product desinger"))
    assert [(m.thing.id, m.size) for m in mentions] == [("d2", 3)]


@pytest.mark.parametrize("question", ["quelle autonomie pour un analyste senior ?", "autonomie d'un senior analyste"])
def test_a_role_and_its_seniority_in_either_order_name_the_one_level(french, question):
    parsed = french.parser.parse(question)
    assert [lv.id for lv in parsed.levels] == ["n3"] and not parsed.ambiguities


def test_a_pair_two_titles_hold_names_neither():
    framework = framework_of(
        DESIGN.replace("title: Staff Product Designer", "title: Senior Staff Product Designer").replace("[D3]", "[D3]")
    )
    pairs = {words: level.id for words, level in pair_names(framework)}
    assert ("senior", "product") not in pairs and ("staff", "senior") in pairs


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60))
def test_pairs_of_any_title_name_one_level_each(title):
    quoted = yaml.safe_dump(title, default_style='"', width=10**9).strip().removesuffix("...").strip()  # any title as YAML
    framework = framework_of(DESIGN.replace("title: Staff Product Designer", f"title: {quoted}") if title.strip() else DESIGN)
    found: dict[tuple[str, ...], str] = {}
    for words, level in pair_names(framework):
        assert len(words) == 2 and found.setdefault(words, level.id) == level.id


# -- reaching a level: what the prose says of it --------------------------------------------------------------

NOTES = """
sections:
  - title: Notes
    text: Reviews happen twice a year. To become a Staff Product Designer you need two years as a senior.
  - title: Tools
    text: We design in Figma.
  - title: Passage
    text: Pour devenir Staff Product Designer, il faut deux ans au niveau senior.
"""


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("how to become a Staff Product Designer", "you need two years as a senior"),
        ("comment devenir Staff Product Designer ?", "il faut deux ans au niveau senior"),
    ],
)
def test_reaching_a_level_quotes_the_prose_that_names_it(question, said):
    answer = Answerer(framework_of(DESIGN + NOTES)).ask(question)
    assert answer.template == "assumed_gap"
    text = _text(answer)
    assert said in text and "Figma" not in text
    assert "Leads the design system" in text  # what the level expects is still there


def test_a_level_asked_about_without_reaching_it_is_its_page():
    answer = Answerer(framework_of(DESIGN + NOTES)).ask("what is a Staff Product Designer")
    assert answer.template == "level"


def test_two_levels_named_with_a_subject_of_their_own_are_answered_from_the_prose():
    text = DESIGN + "description: D2 is common, D3 is rare; we expect about one D3 for every ten designers.\n"
    answerer = Answerer(framework_of(text))
    answer = answerer.ask("how rare are D2 and D3")
    assert answer.template == "passages" and "one D3 for every ten designers" in _text(answer)
    assert answerer.ask("D2 and D3").template == "compare"
    assert answerer.ask("how rare is the difference between D2 and D3").template == "compare"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_a_summary_of_any_text_states_a_time_only_as_one_length_of_time(summary):
    framework = framework_of(DESIGN)
    level = framework.level("d2")
    said = stated_time(framework, replace(level, summary=summary))
    assert said.text == "" or (said.duration is not None and said.text in summary)


def test_reaching_the_first_level_of_a_track_quotes_the_sentences_naming_it():
    text = """
name: Support
description: Leads are chosen from the agents. You can apply for an open Support Lead role after six months as a Support Agent III. Pay is reviewed yearly.
tracks:
  - id: agents
    name: Agents
    levels:
      - {id: a1, title: Support Agent}
      - {id: a3, title: Support Agent III}
  - id: leads
    name: Leadership
    levels:
      - {id: lead, title: Support Lead, summary: Leads a shift of agents.}
"""
    answer = Answerer(framework_of(text)).ask("how do I become a support lead")
    assert answer.template == "bottom_level"
    said = _text(answer)
    assert "after six months as a Support Agent III" in said and "Pay is reviewed" not in said


BILINGUAL = """
name: Zweisprachige Stufen
tracks:
  - id: data
    name: Data
    levels:
      - id: analyst
        title: Data Analyst
        expectations:
          wirkung: Their analyses change decisions within one team.
          zusammenarbeit: Agrees the question with stakeholders first.
      - id: senior
        title: Senior Data Analyst
        expectations:
          wirkung: Their work shapes a domain's roadmap.
          zusammenarbeit: Builds trust with senior stakeholders.
competencies:
  - id: wirkung
    name: Wirkung (Impact)
  - id: zusammenarbeit
    name: Zusammenarbeit (Collaboration)
"""


@pytest.mark.parametrize(
    "question",
    [
        "how does collaboration change from Data Analyst to Senior Data Analyst?",
        "wie ändert sich Zusammenarbeit von Data Analyst zu Senior Data Analyst",
    ],
)
def test_a_competency_named_in_two_languages_is_found_by_either_name(question):
    """ "Zusammenarbeit (Collaboration)": the name in brackets is a name of the competency too, so a comparison of
    two levels asked by it compares that competency only."""
    text = _text(Answerer(framework_of(BILINGUAL)).ask(question))
    assert "Agrees the question with stakeholders first." in text and "Builds trust with senior stakeholders." in text
    assert "shapes a domain's roadmap" not in text


def test_a_step_up_to_one_level_quotes_what_the_prose_says_of_reaching_it():
    """ "who signs off a promotion to D3?": the step from the level below, with the sentences of the prose that name
    D3 (and none that do not)."""
    text = DESIGN + (
        "sections:\n  - title: Reviews\n    text: Promotion to D3 needs sign-off from the design director."
        " Reviews happen twice a year.\n"
    )
    answer = Answerer(framework_of(text)).ask("who signs off a promotion to D3?")
    assert answer.template == "compare"
    said = _text(answer)
    assert "Promotion to D3 needs sign-off from the design director." in said
    assert "twice a year" not in said
    assert "Leads the design system and its contributors." in said  # the step itself is still there


TWO_PATHS = """
name: Two Paths
description: You can move between the paths at the same level; tell your manager a quarter ahead. We design in Figma.
tracks:
  - id: craft
    name: Craft
    levels:
      - id: staff
        title: Staff Designer
        summary: Leads design across areas.
  - id: management
    name: Management
    levels:
      - id: manager
        title: Design Manager
        summary: Leads a team of designers.
"""


def test_switching_where_no_section_is_about_it_quotes_the_prose_that_speaks_of_moving():
    """No switching section and no switch points: the sentences of the prose that speak of moving between tracks
    answer, rather than "names no switching points" alone."""
    answer = Answerer(framework_of(TWO_PATHS)).ask("how do I switch from the craft path to the management path?")
    assert answer.template == "switch"
    assert "tell your manager a quarter ahead" in _text(answer)


FAMILIES = """
name: Two Families
tracks:
  - id: data_main
    name: Main
    family: Data
    levels:
      - id: senior_analyst
        title: Senior Data Analyst
        aliases: [Band C]
  - id: people_main
    name: Main
    family: People
    levels:
      - id: senior_partner
        title: Senior People Partner
        aliases: [Band C]
"""


def test_a_name_two_families_share_is_asked_back_with_each_family():
    """ "Band C" on two tracks both named Main: the choices say which family each is in, not "Main track" twice."""
    answer = Answerer(framework_of(FAMILIES)).ask("what does Band C mean?")
    assert answer.template == "did_you_mean"
    text = _text(answer)
    assert "Senior Data Analyst (Main track, Data)" in text and "Senior People Partner (Main track, People)" in text


NEWSROOM = """
name: Made-up Newsroom Ladder
tracks:
  - id: desk
    name: Desk
    levels:
      - id: w1
        title: Writer
        summary: Writes news stories to a brief.
      - id: w2
        title: Senior Writer
        summary: Commissions outside writers and agrees their fees.
"""


def test_who_does_something_quotes_the_level_that_does_it_even_when_a_word_names_another_level():
    """ "who commissions an outside writer?" asks which level commissions one: "writer" names the level Writer, but
    the answer is the passage saying it, whichever level it is under, not Writer's description."""
    answerer = Answerer(framework_of(NEWSROOM))
    answer = answerer.ask("who commissions an outside writer?")
    said = _text(answer)
    assert answer.template == "passages"
    assert "Commissions outside writers and agrees their fees." in said and "Senior Writer" in said
    assert answerer.ask("what does a writer do?").template == "level"


def test_a_title_inside_another_levels_title_is_named_with_its_code():
    """ "Writer" beside "Senior Writer": an answer names it with its code ("Writer (W1)") so the two read apart, as
    a question asked by the code ("what comes after W1?") names them; a title no other holds is named alone."""
    text = NEWSROOM.replace("title: Writer\n", "title: Writer\n        aliases: [W1]\n").replace(
        "title: Senior Writer\n", "title: Senior Writer\n        aliases: [W2]\n"
    )
    said = _text(Answerer(framework_of(text)).ask("what comes after W1?"))
    assert "From Writer (W1) to Senior Writer" in said
    assert "Senior Writer (W2)" not in said


def test_a_code_the_title_already_says_is_not_repeated_as_another_name():
    """ "W-1 Writer" with its code W-1 read from the title: the answer does not add "also called W-1" (a code
    the title does not say is still shown)."""
    text = NEWSROOM.replace("title: Writer\n", "title: W-1 Writer\n        aliases: [W-1, Scribe]\n").replace(
        "title: Senior Writer\n", "title: Senior Writer\n        aliases: [W2]\n"
    )
    answerer = Answerer(framework_of(text))
    said = _text(answerer.ask("what does W-1 mean?"))
    assert "also called Scribe" in said and "W-1, Scribe" not in said
    assert "W-1 Writer (W-1" not in _text(answerer.ask("show me the ladder"))


RESEARCHERS = """
name: Made-up Lab Ladder
tracks:
  - id: analyst
    name: Lab Analyst
    levels:
      - id: a1
        title: A-1 Junior Lab Analyst
        aliases: [A-1]
        summary: Runs assays from a protocol.
      - id: a2
        title: A-2 Lab Analyst
        aliases: [A-2]
        summary: Chooses the assay for a sample.
"""


def test_a_track_named_like_the_title_inside_one_of_its_levels_is_told_apart_by_the_question():
    """Track "Lab Analyst", level "A-2 Lab Analyst": "what does a Lab Analyst do?" asks about the level (a person
    does things), "show me the Lab Analyst track" about the track."""
    answerer = Answerer(framework_of(RESEARCHERS))
    said = _text(answerer.ask("what does a Lab Analyst do?"))
    assert "Chooses the assay for a sample." in said and "Runs assays from a protocol." not in said
    assert answerer.ask("show me the Lab Analyst track").template != "level"
