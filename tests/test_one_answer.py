"""Names of several levels that need no "did you mean": the same answer for each, a run of one title on one track, a
general level the others add to; the words that say which track without naming it; parts of a competency's name;
pay questions. Every one answer names each level the phrase could mean: never a silent pick."""

from __future__ import annotations

import json

import pytest

from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from bot.questions.answers import Answerer
from messages.ids import QuestionIds
from messages.render import Renderer
from tests.checkin_world import text_of

CONSULTANTS = """
name: Consultancy
competencies:
  - {id: communication, name: Communication, tracks: [development, data, design]}
tracks:
  - id: development
    name: Development
    levels:
      - {id: dev_senior, title: Senior Consultant, summary: Ships software with a small team.}
      - {id: dev_lead, title: Lead Consultant, summary: Leads engagements that ship software.,
         expectations: {communication: Tailors the message to every audience.}}
  - id: data
    name: Data and Analytics
    levels:
      - {id: data_senior, title: Senior Consultant, summary: Ships data products with a small team.}
      - {id: data_lead, title: Lead Consultant, summary: Leads engagements that ship data products.,
         expectations: {communication: Tailors the message to every audience.}}
  - id: design
    name: Design
    levels:
      - {id: design_senior, title: Senior Consultant, summary: Designs with a small team.}
      - {id: design_lead, title: Lead Consultant, summary: Leads engagements that design products.,
         expectations: {communication: Tailors the message to every audience.}}
  - id: management
    name: Management
    levels:
      - {id: manager, title: Delivery Manager, summary: Runs delivery.}
"""

WRITERS = """
name: Writers
tracks:
  - id: writing
    name: Technical Writer
    levels:
      - {id: w1, title: "Level 1: Technical Writer I", summary: Writes guides with help.}
      - {id: w2, title: "Level 2: Technical Writer I", summary: Writes guides with less help.}
      - {id: w3, title: "Level 3: Technical Writer II", summary: Writes guides with review.}
      - {id: w4, title: "Level 4: Technical Writer II", summary: Writes guides alone.}
      - {id: w5, title: "Level 5: Senior Technical Writer", summary: Owns a product area's documentation.}
      - {id: w6, title: "Level 6: Senior Technical Writer", summary: Owns the documentation of several areas.}
      - {id: w7, title: Staff Technical Writer, summary: Sets the documentation strategy.}
      - {id: w8, title: Principal Technical Writer, summary: Sets the strategy of several products.}
"""

STACKS = """
name: Stacks
tracks:
  - id: base
    name: Base
    levels:
      - {id: junior, title: Junior, summary: Solves tasks from the backlog with help.}
      - {id: middle, title: Middle, summary: Solves the tasks of their area on their own.}
      - {id: senior, title: Senior, summary: Brings practices to the whole team.}
  - id: android
    name: Android
    levels:
      - {id: a_junior, title: Junior, summary: Knows the Android SDK., equivalent: junior}
      - {id: a_middle, title: Middle, summary: Configures the Android build., equivalent: middle}
      - {id: a_senior, title: Senior, summary: Profiles Android apps., equivalent: senior}
  - id: ios
    name: iOS
    levels:
      - {id: i_junior, title: Junior, summary: Knows UIKit., equivalent: junior}
      - {id: i_middle, title: Middle, summary: Knows SwiftUI., equivalent: middle}
      - {id: i_senior, title: Senior, summary: Profiles iOS apps., equivalent: senior}
  - id: web
    name: Web
    levels:
      - {id: w_junior, title: Junior, summary: Knows the DOM., equivalent: junior}
      - {id: w_middle, title: Middle, summary: Knows a framework., equivalent: middle}
      - {id: w_senior, title: Senior, summary: Profiles web apps., equivalent: senior}
  - id: management
    name: Management
    levels:
      - {id: team_lead, title: Team Lead, summary: Leads a team.}
"""

CHAINED = """
name: Chained
tracks:
  - id: a
    name: Alpha
    levels:
      - {id: a_mid, title: Middle, summary: Alpha middle.}
  - id: b
    name: Beta
    levels:
      - {id: b_mid, title: Middle, summary: Beta middle., equivalent: a_mid}
  - id: c
    name: Gamma
    levels:
      - {id: c_mid, title: Middle, summary: Gamma middle., equivalent: b_mid}
"""

FAMILIES = """
name: Families
competencies:
  - {id: debugging, name: Debugging & Technical Problem Solving, tracks: [engineering]}
  - {id: security, name: Security and data handling, tracks: [engineering]}
  - {id: storage, name: Data storage and retrieval, tracks: [engineering]}
tracks:
  - id: engineering
    name: Engineering
    levels:
      - {id: jse, title: Junior Software Engineer, aliases: [Level 1], summary: Works as a team member.,
         expectations: {debugging: Fixes simple bugs with help.}}
      - {id: se, title: Software Engineer, aliases: [Level 2], summary: Tackles most problems without support.,
         expectations: {debugging: Uses tools to investigate common issues.}}
      - {id: pse, title: Principal Software Engineer, aliases: [Level 3], summary: Leads the design of systems.,
         expectations: {debugging: Debugs almost any issue.}}
  - id: product
    name: Product Manager
    levels:
      - {id: jpm, title: Junior Product Manager, aliases: [Level 1], summary: Supports a product squad.}
      - {id: pm, title: Product Manager, aliases: [Level 2], summary: Owns a specific area of product.}
      - {id: ppm, title: Principal Product Manager, aliases: [Level 3], summary: Leads product strategy.}
"""

PAY = """
name: Pay
publish_bands: {publish}
tracks:
  - id: eng
    name: Engineering
    levels:
      - id: medior
        title: Medior
        summary: |-
          Works on their own.

          Salary in CZK: 90 000 - 120 000
        band: {{min: 90000, max: 120000, currency: CZK}}
      - id: senior
        title: Senior
        summary: |-
          Guides others.

          Salary in CZK: 120 000 - 145 000
        band: {{min: 120000, max: 145000, currency: CZK}}
"""


def load(text: str) -> Framework:
    result = check_framework_text(text, "fixture.yaml")
    assert result.framework is not None, result.problems
    return result.framework


_ANSWERERS: dict[str, Answerer] = {}


def answerer(text: str) -> Answerer:
    if text not in _ANSWERERS:
        _ANSWERERS[text] = Answerer(load(text))
    return _ANSWERERS[text]


def shown(answer) -> str:
    return Renderer().terminal(answer.template, **answer.context)


# -- the same answer for each ----------------------------------------------------------------------------------------


def test_the_same_expectation_on_every_track_is_answered_once_naming_each_track():
    answer = answerer(CONSULTANTS).ask("what does communication look like for a Lead Consultant?")
    assert answer.template == "competency_at_level"
    also = answer.context["also_meant"]
    assert also.how == "same" and [lv.id for lv, _ in also.levels] == ["dev_lead", "data_lead", "design_lead"]
    text = shown(answer)
    assert "Tailors the message to every audience." in text
    assert (
        "Lead Consultant (Development track), Lead Consultant (Data and Analytics track), Lead Consultant (Design track)" in text
    )
    assert "The answer is the same for each" in text


def test_no_equivalent_named_for_any_of_them_is_said_once():
    answer = answerer(CONSULTANTS).ask("what's the management equivalent of a Lead Consultant?")
    assert answer.template == "equivalent" and answer.context["also_meant"].how == "same"
    assert "names no equivalent" in shown(answer)


def test_no_time_stated_on_any_track_is_said_once():
    answer = answerer(CONSULTANTS).ask("how long does it take to go from Senior Consultant to Lead Consultant?")
    assert answer.template == "time" and answer.context["also_meant"].how == "same"
    assert "does not say how long" in shown(answer)


def test_different_texts_are_still_asked_back():
    answer = answerer(CONSULTANTS).ask("what is a Lead Consultant?")
    assert answer.template == "did_you_mean"
    assert [c.thing.id for c in answer.context["choices"]] == ["dev_lead", "data_lead", "design_lead"]


def test_levels_without_any_text_are_asked_back_not_called_the_same():
    empty = Answerer(
        load(
            """
name: Bare
tracks:
  - {id: a, name: A, levels: [{id: a1, title: Level 1}]}
  - {id: b, name: B, levels: [{id: b1, title: Level 1}]}
"""
        )
    )
    assert empty.ask("what is level 1").template == "did_you_mean"


# -- a run of one title ----------------------------------------------------------------------------------------------


def test_what_comes_after_a_title_two_levels_share_is_after_the_last_of_them():
    answer = answerer(WRITERS).ask("what comes after Senior Technical Writer")
    assert answer.template == "compare"
    assert (answer.context["before"].id, answer.context["after"].id) == ("w6", "w7")
    also = answer.context["also_meant"]
    assert also.how == "run" and [c.thing.id for c in also.choices] == ["w5"]
    assert "the last of them" in shown(answer)


def test_becoming_a_title_two_levels_share_is_reaching_the_first_of_them():
    answer = answerer(WRITERS).ask("what's the difference to get to Senior Technical Writer")
    assert answer.template == "compare"
    assert (answer.context["before"].id, answer.context["after"].id) == ("w4", "w5")


def test_what_a_title_two_levels_share_means_is_asked_back():
    assert answerer(WRITERS).ask("what is a Senior Technical Writer").template == "did_you_mean"


# -- a general level and the tracks that add to it --------------------------------------------------------------------


def test_the_level_the_others_are_named_equivalent_to_answers_and_the_others_are_named_with_buttons():
    answer = answerer(STACKS).ask("what is Middle?")
    assert answer.template == "level" and answer.context["level"].id == "middle"
    also = answer.context["also_meant"]
    assert also.how == "general" and [c.thing.id for c in also.choices] == ["a_middle", "i_middle", "w_middle"]
    text = shown(answer)
    assert "Middle (Android track), Middle (iOS track), Middle (Web track)" in text
    assert "This answer is about Middle on the Base track" in text
    message = Renderer().message_for(answer.key, answer.template, **answer.context)
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    assert [b["text"]["text"] for b in actions["elements"]] == [
        "Middle (Android track)",
        "Middle (iOS track)",
        "Middle (Web track)",
    ]
    assert all(b["action_id"].startswith(QuestionIds.AGAIN + ":") for b in actions["elements"])
    value = json.loads(actions["elements"][1]["value"])
    assert value == {"q": "what is Middle?", "c": ["level:i_middle"]}
    again = answerer(STACKS).answer(answerer(STACKS).parser.parse(value["q"], tuple(value["c"])))
    assert again.template == "level" and again.context["level"].id == "i_middle" and "also_meant" not in again.context


def test_the_general_level_settles_a_second_name_by_its_track():
    answer = answerer(STACKS).ask("how is Senior different from Middle?")
    assert answer.template == "compare"
    assert (answer.context["before"].id, answer.context["after"].id) == ("middle", "senior")
    assert "Brings practices to the whole team." in shown(answer)


def test_an_equivalent_answer_says_which_tracks_name_none():
    answer = answerer(STACKS).ask("what is the equivalent of Senior?")
    assert answer.template == "equivalent" and answer.context["level"].id == "senior"
    text = shown(answer)
    # a title four tracks share is named with its track wherever the answer names it
    assert "Senior (Android track)" in text
    assert "The framework names no equivalent of Senior (Base) on the Management track." in text


def test_the_asker_s_own_track_still_settles_it_first():
    framework = answerer(STACKS).framework
    answer = answerer(STACKS).ask("what is Middle?", person_level=framework.level("a_junior"))
    assert answer.context["level"].id == "a_middle"
    assert answer.context["also_meant"].how == "yours"  # and says so, naming the others: never a silent pick


def test_a_group_where_no_level_is_the_one_the_others_name_is_asked_back():
    assert Answerer(load(CHAINED)).ask("what is Middle?").template == "did_you_mean"


def test_two_levels_naming_each_other_say_nothing_of_which_is_general():
    two = Answerer(load(STACKS.split("  - id: ios")[0]))  # base and android only
    assert two.ask("what is Middle?").template == "did_you_mean"


# -- words that say which track -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("what's the difference between Level 1 and Level 2 for Product Managers", ["jpm", "pm"]),
        ("what does a level 2 engineer do?", ["se"]),
        ("what do engineers at level 2 do", ["se"]),
        ("level 3 for software engineers", ["pse"]),
        ("what is level 2 in product management", ["pm"]),
    ],
)
def test_plurals_and_roles_of_a_track_tell_its_levels_apart(text, levels):
    question = answerer(FAMILIES).parser.parse(text)
    assert [lv.id for lv in question.levels] == levels and question.ambiguities == ()


def test_a_role_word_is_context_not_a_subject():
    answer = answerer(FAMILIES).ask("what does a level 2 engineer do?")
    assert answer.template == "level" and answer.context["level"].id == "se"
    assert answerer(FAMILIES).ask("what is level 2").template == "did_you_mean"


def test_a_part_of_a_competency_s_name_names_it_and_a_shared_part_does_not():
    parser = answerer(FAMILIES).parser
    question = parser.parse("what does a level 2 engineer need to know about debugging?")
    assert [c.id for c in question.competencies] == ["debugging"] and [lv.id for lv in question.levels] == ["se"]
    assert [c.id for c in parser.parse("what is data handling").competencies] == ["security"]
    assert parser.parse("what is data").competencies == ()  # "data" is part of two names


def test_a_short_name_followed_by_the_role_of_its_title_is_the_level_not_a_search():
    answer = answerer(FAMILIES).ask("what is Principal Engineer")
    assert answer.template == "level" and answer.context["level"].id == "pse"


# -- pay -------------------------------------------------------------------------------------------------------------


def test_pay_is_the_level_s_band_when_bands_are_published():
    answer = Answerer(load(PAY.format(publish="true"))).ask("what salary does a Senior get")
    assert answer.template == "level" and answer.context["level"].id == "senior"
    assert "CZK 120,000–145,000" in shown(answer)


def test_pay_is_what_the_level_s_own_text_says_when_bands_are_not_published():
    answer = Answerer(load(PAY.format(publish="false"))).ask("what salary does a Senior get")
    assert answer.template == "passages"
    text = shown(answer)
    assert "Salary in CZK: 120 000 - 145 000" in text and "90 000" not in text and "CZK 120,000" not in text


@pytest.mark.parametrize(
    ("text", "about_pay"),
    [
        ("how much does a Medior earn", True),
        ("what does a Senior earn?", True),
        ("what is the pay of a Senior", True),
        ("how do I earn a promotion to Senior", False),
        ("what does a Senior need to pay attention to", False),
    ],
)
def test_earn_and_pay_ask_about_pay_only_when_they_mean_it(text, about_pay):
    answer = Answerer(load(PAY.format(publish="false"))).ask(text)
    assert (answer.template == "passages" and "Salary in CZK" in shown(answer)) is about_pay


def test_a_question_without_pay_words_is_not_about_pay():
    answer = Answerer(load(PAY.format(publish="false"))).ask("what does a Senior need")
    assert answer.template != "passages" or "Salary" not in shown(answer)


def test_one_answer_renders_for_slack_with_its_note_under_the_header():
    answer = answerer(WRITERS).ask("what comes after Senior Technical Writer")
    message = Renderer().message_for(answer.key, answer.template, **answer.context)
    assert message.blocks[0]["type"] == "header"
    assert "names 2 levels in a row" in text_of(message.blocks[1:2])
