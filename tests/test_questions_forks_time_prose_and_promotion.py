"""Three answers that quote the framework's prose rather than a list of levels: switching between two forks at one
grade quotes the switching sections with the target's summary; a time question in words the parser does not place
quotes the prose that speaks of time; "what do I need to get promoted?" from someone whose level is unknown quotes
the promotion guidance beside the invitation to record a level."""

from __future__ import annotations

from tests.frameworks import asked

FORKS = """
name: Made-up Garden Ladder
tracks:
  - id: garden
    name: Gardening
    levels:
      - id: g1
        title: GR1 · Gardener
        expectations:
          plants: Waters the beds on the rota.
      - id: g2a
        title: GR2 · Rose Specialist
        summary: Roses path.
        expectations:
          plants: Breeds roses for the summer show.
      - id: g2b
        title: GR2 · Crew Chief
        summary: Crew path, leading the planting crew.
        expectations:
          plants: Plans the crew's planting weeks.
competencies:
  - id: plants
    name: Plants
sections:
  - title: Changing paths
    kind: switching
    text: Changing between the roses and crew paths keeps your grade; agree a two-month trial with your head gardener.
"""

TIEMPO = """
name: Escalera Inventada
tracks:
  - id: huerto
    name: Huerto
    levels:
      - id: h1
        title: Aprendiz
        expectations:
          riego: Riega con ayuda.
      - id: h2
        title: Jardinero
        expectations:
          riego: Diseña el riego de una parcela.
competencies:
  - id: riego
    name: Riego
sections:
  - title: Cómo se sube
    text: No hay un tiempo mínimo en el nivel; cuenta mostrar las expectativas del siguiente.
  - title: Herramientas
    text: Cada persona cuida sus propias tijeras.
"""

NO_SECTIONS = """
name: Made-up Kitchen Ladder
tracks:
  - id: kitchen
    name: Kitchen
    description: "Notes: promotion needs two seasons of evidence at the next station."
    levels:
      - id: k1
        title: Commis
        expectations:
          cooking: Preps vegetables to the chef's cut.
      - id: k2
        title: Chef de Partie
        expectations:
          cooking: Runs one station through service.
competencies:
  - id: cooking
    name: Cooking
"""


def test_switching_to_the_fork_beside_your_grade_quotes_the_switching_section_and_the_target() -> None:
    template, shown = asked(FORKS, "I'm a Rose Specialist, can I switch to crew chief?")
    assert template == "switch"
    assert "two-month trial" in shown
    assert "Crew path, leading the planting crew." in shown
    assert "Breeds roses" not in shown  # not a comparison competency by competency


def test_moving_up_a_grade_is_still_a_comparison() -> None:
    template, _ = asked(FORKS, "I'm a Gardener, how do I become a Crew Chief?")
    assert template != "switch"


def test_a_time_question_the_parser_does_not_place_quotes_the_prose_on_time() -> None:
    template, shown = asked(TIEMPO, "¿cuánto tiempo mínimo hay que estar en un nivel?")
    assert template == "passages"
    assert "No hay un tiempo mínimo" in shown
    assert "tijeras" not in shown


def test_promotion_with_an_unknown_level_quotes_the_promotion_guidance() -> None:
    template, shown = asked(NO_SECTIONS, "what do I need to get promoted?")
    assert template == "unknown_person"
    assert "I don't know your level yet" in shown
    assert "two seasons of evidence" in shown


def test_promotion_sections_are_quoted_for_an_unknown_level() -> None:
    with_section = NO_SECTIONS + (
        "sections:\n  - title: Moving up\n    kind: promotion\n    text: Promotions are agreed at the autumn tasting.\n"
    )
    template, shown = asked(with_section, "what do I need to get promoted?")
    assert template == "unknown_person"
    assert "autumn tasting" in shown
