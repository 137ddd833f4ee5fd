"""A question naming a section of the framework's prose by its title (in any language) is answered from that section
before the list of levels; two levels on different tracks compared show both levels' text; a generic role noun beside
a level's name ("a senior engineer") is not a subject the framework leaves unanswered."""

from __future__ import annotations

from bot.questions.answers import Answerer
from messages.render import Renderer
from tests.frameworks import asked, framework_of

CARREIRA = """
name: Carreira Inventada
tracks:
  - id: trilha
    name: Trilha de Produto
    levels:
      - id: jr
        title: Júnior
        expectations:
          entrega: Entrega tarefas pequenas com apoio.
      - id: sr
        title: Sênior
        expectations:
          entrega: Desenha a solução de um módulo inteiro.
competencies:
  - id: entrega
    name: Entrega
sections:
  - title: Mudança de trilha
    kind: switching
    text: A mudança é combinada com a liderança e tem um período de teste de três meses.
  - title: Férias coletivas
    text: A empresa para entre o Natal e o Ano Novo.
"""

DUAL = """
name: Made-up Dual Ladder
tracks:
  - id: ic
    name: Makers
    levels:
      - id: m1
        title: Maker
        expectations:
          craft: Builds small parts from a spec.
      - id: m2
        title: Lead Maker
        expectations:
          craft: Sets the building plan of one workshop.
        equivalent: boss1
  - id: mgmt
    name: Bosses
    levels:
      - id: boss1
        title: Workshop Boss
        expectations:
          people: Runs the rota and reviews of five makers.
competencies:
  - id: craft
    name: Craft
    tracks: [ic]
  - id: people
    name: People
    tracks: [mgmt]
"""


def test_a_question_naming_a_switching_section_by_its_title_quotes_it_not_the_levels() -> None:
    template, said = asked(CARREIRA, "como funciona a mudança de trilha?")
    assert template == "switch"
    assert "período de teste de três meses" in said


def test_a_question_naming_another_section_by_its_title_quotes_that_section() -> None:
    template, said = asked(CARREIRA, "e as férias coletivas?")
    assert template == "passages"
    assert "entre o Natal e o Ano Novo" in said


def test_the_levels_are_still_listed_when_no_section_title_is_named() -> None:
    template, said = asked(CARREIRA, "quais são os níveis?")
    assert template == "ladder"
    assert "Júnior" in said and "Natal" not in said


def test_a_generic_role_noun_beside_a_level_is_not_an_unanswered_subject() -> None:
    template, said = asked(CARREIRA, "what does a senior engineer do here")
    assert template == "level"
    assert "Desenha a solução de um módulo inteiro" in said


def test_a_subject_the_framework_never_speaks_of_is_still_told_so() -> None:
    template, said = asked(CARREIRA, "what is the car allowance of a senior engineer")
    assert template == "not_said_of"
    assert "car" in said or "allowance" in said


def test_equivalent_levels_on_two_tracks_compared_show_both_levels_expectations() -> None:
    template, said = asked(DUAL, "what's the difference between Lead Maker and Workshop Boss?")
    assert template == "compare"
    assert "equivalent" in said
    assert "Sets the building plan of one workshop" in said
    assert "Runs the rota and reviews of five makers" in said


def test_levels_on_one_track_compared_are_unchanged() -> None:
    _, said = asked(DUAL, "what's the difference between Maker and Lead Maker?")
    assert "Builds small parts from a spec" in said and "Sets the building plan of one workshop" in said
    assert "Runs the rota" not in said


def test_a_track_named_with_a_subject_the_framework_never_speaks_of_is_told_so() -> None:
    template, said = asked(DUAL, "is there a Makers budget for conferences?")
    assert template == "not_said"
    assert "does not say" in said


def test_a_track_asked_for_alone_still_shows_its_levels() -> None:
    template, said = asked(DUAL, "show me the Makers track")
    assert template == "ladder"
    assert "Lead Maker" in said


def _wide_dual(competencies: int) -> str:
    names = [f"Skill {chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(competencies)]
    ids = [f"skill_{n}" for n in range(competencies)]

    def expectations(what: str) -> str:
        return "".join(f"\n          {i}: {what} {name.lower()}." for i, name in zip(ids, names, strict=True))

    declared = "".join(f"\n  - id: {i}\n    name: {name}" for i, name in zip(ids, names, strict=True))
    return f"""
name: Wide Made-up Ladder
competencies:{declared}
tracks:
  - id: ic
    name: Makers
    levels:
      - id: m3
        title: Maker Three
        equivalent: l1
        expectations:{expectations("Builds with")}
  - id: lead
    name: Leads
    levels:
      - id: l1
        title: Lead One
        expectations:{expectations("Guides others in")}
"""


def test_a_cross_track_comparison_too_wide_for_one_message_names_what_it_leaves_out() -> None:
    answer = Answerer(framework_of(_wide_dual(26))).ask("difference between Maker Three and Lead One")
    assert answer.template == "compare" and len(answer.context["rows"]) == 20
    assert [c.name for c in answer.context["left_out"]] == [
        "Skill AU",
        "Skill AV",
        "Skill AW",
        "Skill AX",
        "Skill AY",
        "Skill AZ",
    ]
    message = Renderer().message_for(answer.key, answer.template, **answer.context)  # within Slack's limits, or it raises
    text = str(message.blocks)
    assert "6 more competencies are not shown here" in text and "Skill AZ" in text


SCOPED = """
name: Made-up Scoped Ladder
tracks:
  - id: main
    name: Main
    levels:
      - id: one
        title: Analyst
        scope: One team's questions.
        expectations:
          rigour: Checks their numbers twice.
      - id: two
        title: Senior Analyst
        scope: A whole business area.
        expectations:
          rigour: Reviews others' numbers.
competencies:
  - id: rigour
    name: Rigour
  - id: scope
    name: Scope
    description: The breadth of work a person owns.
"""


def test_a_competency_named_like_a_level_field_is_answered_from_that_field() -> None:
    template, said = asked(SCOPED, "what is the scope of a Senior Analyst?")
    assert template == "competency_at_level"
    assert "A whole business area." in said
    assert "no expectation written" not in said
