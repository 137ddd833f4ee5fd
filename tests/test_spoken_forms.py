"""Forms of a title people type that the title does not write: without a gender-inclusive ending or with it joined
("Softwareentwickler:in"), a role noun at the end of a compound ("Softwareentwickler"), the first word kept and the rest
as initials ("senior AE", "Lead BA 2"), a typo in the word beside a shorter name ("senoir data scientist")."""

from __future__ import annotations

import pytest

from bot.framework.loader import check_framework_text
from bot.framework.spoken_names import is_role_noun, ungendered
from bot.questions.answers import Answerer

GERMAN = """
name: Karrierepfad
tracks:
  - id: dev
    name: Softwareentwicklung
    levels:
      - {id: junior, title: "Junior Softwareentwickler:in"}
      - {id: mid, title: "Softwareentwickler:in"}
      - {id: senior, title: "Senior Softwareentwickler:in"}
      - {id: lead, title: TeamleiterIn}
"""

SALES = """
name: Sales
tracks:
  - id: sales
    name: Sales
    levels:
      - {id: sdr, title: Sales Development Representative}
      - {id: ae, title: Account Executive}
      - {id: sae, title: Senior Account Executive}
      - {id: eae, title: Enterprise Account Executive}
  - id: analysis
    name: Business Analysis
    levels:
      - {id: ba, title: Business Analyst}
      - {id: lba1, title: Lead Business Analyst I}
      - {id: lba2, title: Lead Business Analyst II}
  - id: data
    name: Data Science
    levels:
      - {id: ds, title: Data Scientist}
      - {id: sds, title: Senior Data Scientist}
"""


def parse(fixture: str, text: str) -> list[str]:
    result = check_framework_text(fixture, "fixture.yaml")
    assert result.framework is not None, result.problems
    question = Answerer(result.framework).parser.parse(text)
    assert question.ambiguities == ()
    return [lv.id for lv in question.levels]


@pytest.mark.parametrize(
    ("title", "without"),
    [
        ("Senior Softwareentwickler:in", "Senior Softwareentwickler"),
        ("Teamleiter*innen", "Teamleiter"),
        ("TeamleiterIn", "Teamleiter"),
        ("Designer/in", "Designer"),
        ("Admin", "Admin"),
        ("Engineer Intern", "Engineer Intern"),
        ("Product Manager in Training", "Product Manager in Training"),
    ],
)
def test_a_gender_inclusive_ending_is_taken_off_and_nothing_else(title, without):
    assert ungendered(title) == without


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("was macht eine Senior Softwareentwicklerin", ["senior"]),
        ("was macht ein Senior Softwareentwickler", ["senior"]),
        ("Wie lange ist man normalerweise Junior?", ["junior"]),
        ("wie werde ich Teamleiterin", ["lead"]),
        ("wie werde ich Teamleiter", ["lead"]),
    ],
)
def test_gendered_titles_are_found_as_people_type_them(text, levels):
    assert parse(GERMAN, text) == levels


def test_a_role_noun_at_the_end_of_a_compound_is_a_role_noun():
    assert is_role_noun("softwareentwickler") and is_role_noun("projektmanager") and is_role_noun("engineer")
    assert not is_role_noun("managers") and not is_role_noun("junior") and not is_role_noun("xmanager")


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("is a senior AE the same as a team lead?", ["sae"]),
        ("what's the typical quota for an enterprise AE", ["eae"]),
        ("what is a Lead BA 2", ["lba2"]),
        ("what is an AE", ["ae"]),
        ("expectations for a senoir data scientist", ["sds"]),
        ("expectations for a data scientist", ["ds"]),
    ],
)
def test_initials_after_a_first_word_and_a_typo_beside_a_name(text, levels):
    assert parse(SALES, text) == levels


MAINTENANCE = """
name: Onderhoud
tracks:
  - id: maintenance
    name: Onderhoud
    levels:
      - {id: fitter, title: Onderhoudsmonteur}
      - {id: senior, title: Senior Onderhoudsmonteur}
      - {id: lead, title: Ploegleider Onderhoud}
      - {id: head, title: Manager Onderhoud}
"""


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("wat doet een Ploegleider?", ["lead"]),
        ("wat is het verschil tussen Ploegleider en Manager Onderhoud?", ["lead", "head"]),
        ("wat betekent onderhoud hier", []),
    ],
)
def test_a_title_holding_its_tracks_name_is_found_without_it(text, levels):
    assert parse(MAINTENANCE, text) == levels
