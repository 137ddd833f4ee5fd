"""Toggle lists (a level per top bullet, labelled bullets nested under it) and forks said in prose."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.names import normalize
from bot.framework.reading.documents.said_forks import said_fork
from bot.framework.reading.draft import Draft
from bot.framework.reading.markdown import parse_markdown, read_markdown
from bot.framework.reading.outline import Heading, ItemList
from bot.framework.reading.toggle_lists import toggle_headings


def read(tmp_path: Path, text: str, name: str = "ladder.md") -> Draft:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    draft = Draft()
    read_markdown(path, draft)
    draft.finish()
    return draft


TOGGLES = """
# Support Ladder

- **Tier 1 — Support Agent**
    - **Tickets:** Answers common tickets from the macros.
    - **Product:** Knows the main screens.
- **Tier 2 — Support Specialist**
    - **Tickets:** Solves tickets that need a look at the logs.
    - **Product:** Explains every setting.
"""


def test_a_toggle_list_of_levels_is_a_level_per_top_bullet(tmp_path: Path) -> None:
    draft = read(tmp_path, TOGGLES)
    levels = [lv for t in draft.tracks for lv in t.levels]
    assert [lv.title for lv in levels] == ["Support Agent", "Support Specialist"]
    assert [p.text for p in levels[1].expectations[normalize("Tickets")]] == ["Solves tickets that need a look at the logs."]
    assert not draft.ledger.unplaced


def test_plain_top_bullets_with_a_rank_are_levels_too(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        TOGGLES.replace("- **Tier 1 — Support Agent**", "- Tier 1: Support Agent").replace(
            "- **Tier 2 — Support Specialist**", "- Tier 2: Support Specialist"
        ),
    )
    assert [lv.title for t in draft.tracks for lv in t.levels] == ["Support Agent", "Support Specialist"]


def test_a_list_of_ordinary_bullets_stays_a_list(tmp_path: Path) -> None:
    text = """
    # Notes

    - **Onboarding**
        - **Week one:** Shadow a teammate.
    - **Tools**
        - **Access:** Ask IT.
    """
    doc = parse_markdown(textwrap.dedent(text), tmp_path / "notes.md")
    assert toggle_headings(doc.blocks) == doc.blocks


def test_bullets_without_labelled_children_are_not_toggles(tmp_path: Path) -> None:
    text = """
    - Level 1: Associate
        - Joins a team.
    - Level 2: Senior Associate
        - Leads a stream.
    """
    doc = parse_markdown(textwrap.dedent(text), tmp_path / "x.md")
    assert any(isinstance(b, ItemList) for b in toggle_headings(doc.blocks))
    assert not any(isinstance(b, Heading) for b in toggle_headings(doc.blocks))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["- **Level 3 — X**", "    - **A:** b", "- c", "    - d", "text", ""]), max_size=12))
def test_toggle_headings_keeps_every_line(tmp_path_factory, lines: list[str]) -> None:
    doc = parse_markdown("\n".join(lines) + "\n", Path("x.md"))
    out = toggle_headings(doc.blocks)
    assert len(out) >= len(doc.blocks)


FORK_TABLE = """
# Niveaux

| Level | Scope |
|---|---|
| Analyst | One report. |
| Senior Analyst | One domain. |
| Expert Analyst | Several domains. |
| Team Coordinator | A team of analysts. |

{sentence}
"""


def test_two_levels_said_to_be_alternatives_after_a_third_are_not_chained(tmp_path: Path) -> None:
    sentence = "After Senior Analyst, you either grow as Expert Analyst or become Team Coordinator."
    draft = read(tmp_path, FORK_TABLE.format(sentence=sentence))
    on = {lv.title: t for t in draft.tracks for lv in t.levels}
    assert on["Expert Analyst"] is not on["Team Coordinator"]
    for title in ("Expert Analyst", "Team Coordinator"):
        assert on[title].levels[0].title == title
        assert on[title].starts_after is not None and on[title].starts_after.title == "Senior Analyst"
    assert [lv.title for lv in on["Analyst"].levels] == ["Analyst", "Senior Analyst"]


def test_a_sentence_naming_no_fork_point_changes_nothing(tmp_path: Path) -> None:
    sentence = "Many people move between Expert Analyst or Team Coordinator roles."
    draft = read(tmp_path, FORK_TABLE.format(sentence=sentence))
    assert [[lv.title for lv in t.levels] for t in draft.tracks] == [
        ["Analyst", "Senior Analyst", "Expert Analyst", "Team Coordinator"]
    ]


def test_said_fork_reads_other_languages_and_needs_the_or() -> None:
    titles = ["pleno", "sênior", "especialista", "coordenador"]
    assert said_fork("Depois de Sênior, pode seguir como Especialista ou como Coordenador.", titles) == (
        "sênior",
        "especialista",
        "coordenador",
    )
    assert said_fork("Sênior leads to Especialista or Coordenador.", titles) == ("sênior", "especialista", "coordenador")
    assert said_fork("Depois de Sênior vem Especialista e Coordenador.", titles) is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_said_fork_never_fails_on_any_text(text: str) -> None:
    result = said_fork(text, ["senior", "lead", "manager"])
    assert result is None or len(set(result)) == 3


TWO_TRACKS_AND_A_MAPPING = """
# Design Levels

## Pairs

| Maker | Leader |
|---|---|
| {top_maker} | Design Lead |
| Staff Designer | Design Manager |

## Makers

| Code | Title | Scope |
|---|---|---|
| D1 | Designer | One flow. |
| D2 | Senior Designer | One product area. |
| D3 | Principal Designer | Several areas. |
| D4 | Staff Designer | The whole product. |

## Leaders

| Title | Scope |
|---|---|
| Design Lead | One team. |
| Design Manager | Several teams. |
"""


def test_a_mapping_table_read_first_does_not_order_a_track(tmp_path: Path) -> None:
    draft = read(tmp_path, TWO_TRACKS_AND_A_MAPPING.format(top_maker="Principal Designer"))
    tracks = {normalize(t.name): [lv.title for lv in t.levels] for t in draft.tracks}
    assert tracks[normalize("Maker")] == ["Designer", "Senior Designer", "Principal Designer", "Staff Designer"]
    assert tracks[normalize("Leader")] == ["Design Lead", "Design Manager"]


NOTION_FORK = """
# Design Ladder

## T1 · Associate Designer

- Craft

    Uses the design system's patterns.

- Research

    Takes notes in interviews.

## T2 · Senior Designer

- Craft

    Sets patterns for an area.

- Research

    Chooses the research method.

## T3 · Staff Designer (craft path)

- Craft

    Defines design principles.

## T4 · Principal Designer (craft path)

- Craft

    Sets the long-term vision.

## M3 · Design Manager (management path)

- People leadership

    Hires and runs one-to-ones.
"""


def test_notion_toggles_of_names_over_text_are_competencies_and_titles_naming_paths_fork(tmp_path: Path) -> None:
    """A Notion export: "T1 · Associate Designer" is also called T1; a toggle per competency ("- Craft"
    over an indented paragraph) is that competency's expectation; headings opening with a code are levels even when
    their words name a track ("(management path)"); and titles ending in the path they are on part the ladder after
    the last level that names none."""
    draft = read(tmp_path, NOTION_FORK)
    tracks = {t.name: [lv.title for lv in t.levels] for t in draft.tracks}
    assert tracks == {
        "Design": ["T1 · Associate Designer", "T2 · Senior Designer"],
        "Craft": ["T3 · Staff Designer (craft path)", "T4 · Principal Designer (craft path)"],
        "Management": ["M3 · Design Manager (management path)"],
    }
    [craft, management] = draft.tracks[1:]
    assert craft.starts_after is draft.tracks[0].levels[-1] and management.starts_after is draft.tracks[0].levels[-1]
    [associate, _senior] = draft.tracks[0].levels
    assert associate.aliases == ["T1"]
    assert [p.text for p in associate.expectations["research"]] == ["Takes notes in interviews."]
    assert "Staff Designer" in craft.levels[0].aliases
    assert [p.text for p in management.levels[0].expectations["people leadership"]] == ["Hires and runs one-to-ones."]
    assert not associate.fields.get("summary")
    assert draft.ledger.unplaced == []


def test_a_notion_callout_inside_a_level_is_a_section_of_its_own_not_the_levels_text(tmp_path: Path) -> None:
    """Notion exports a callout as ``<aside>`` with an emoji: one at the end of the last level's section speaks for the
    page ("Promotions are reviewed…"), so it becomes a section (its kind read from its first words), never a line of
    that level's summary; the level's own text stays its own."""
    draft = read(
        tmp_path,
        """
        # Design Ladder

        ## Associate Designer

        Learns the design system.

        ## Senior Designer

        Leads an area.

        ---

        <aside>
        🚀 Promotions are reviewed each half by the design leadership group.

        </aside>
        """,
    )
    senior = draft.tracks[0].levels[-1]
    assert [p.text for p in senior.fields["summary"]] == ["Leads an area."]
    [section] = draft.sections
    assert (section.title, section.kind) == ("Promotions", "promotion")
    assert [p.text for p in section.pieces] == ["🚀 Promotions are reviewed each half by the design leadership group."]
    assert draft.ledger.unplaced == []


def test_bullets_over_sub_bullets_in_a_level_stay_the_levels_points(tmp_path: Path) -> None:
    """Only a name over an indented paragraph is a toggle per competency: a bullet over sub-bullets is a point of the
    level with its details."""
    draft = read(
        tmp_path,
        """
        # Ladder

        ## Engineer I

        **Delivery:** Ships small features.

        - Ships features
            - with tests
        - Reviews code
            - every day

        ## Engineer II

        **Delivery:** Ships projects.

        - Leads projects
            - sets milestones
        - Mentors juniors
            - pairs weekly
        """,
    )
    assert list(draft.competencies) == ["delivery"]
    senior = draft.tracks[0].levels[-1]
    assert [p.text for p in senior.fields["summary"]] == ["Leads projects", "sets milestones", "Mentors juniors", "pairs weekly"]


CODED_HEADINGS = """
# Planning ladder

## B1 – Junior Planner

**Scope:** One warehouse's weekly plan.

## B2 – Planner

**Scope:** One region's plan.

From B2 the path branches: you can go deeper as an expert (B3) or lead people (C1).

## B3 – Expert Planner

**Scope:** The national plan.

## C1 – Planning Manager

**Scope:** A team of planners.
"""


def test_a_fork_said_with_level_codes_in_a_levels_own_section_cuts_the_track(tmp_path: Path) -> None:
    draft = read(tmp_path, CODED_HEADINGS)
    on = {lv.title: t for t in draft.tracks for lv in t.levels}
    assert [lv.title for lv in on["Planner"].levels] == ["Junior Planner", "Planner"]
    for title in ("Expert Planner", "Planning Manager"):
        assert on[title] is not on["Planner"]
        assert on[title].starts_after is not None and on[title].starts_after.title == "Planner"
    assert on["Expert Planner"] is not on["Planning Manager"]


def test_said_fork_reads_a_ladder_that_forks_after_a_level() -> None:
    titles = ["c1", "c2", "c3", "k1"]
    said = "From C2 the track splits: you can grow as an expert (C3) or lead a team of your own (K1)."
    assert said_fork(said, titles) == ("c2", "c3", "k1")
    assert said_fork("From C2 you grow as C3 or K1.", titles) is None
