"""An index page's table lining levels up across tracks names equivalents among levels other pages define: it never
makes copies of them; and a path saying which level it starts after continues from it, whichever equivalents it has."""

from __future__ import annotations

from pathlib import Path

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft, DraftLevel
from bot.framework.reading.markdown import read_markdown

INDEX = """# Career paths

| Level | Development (IC) | Development (Management) | Design |
|---|---|---|---|
| 1 | Developer I | | Designer I |
| 2 | Developer II | | Senior 1 |
| 3 | Senior 1 | Development Manager | Senior 2 |
| 4 | Senior 2 | Senior Development Manager | |
"""

BUILD = """# Development

## Shared path

### Level 1: Developer I

- **Delivery**: Learns the tools.
- **Communication**: Talks about it.

### Level 2: Developer II

- **Delivery**: Ships features alone.
- **Communication**: Talks about it.

## Individual contributor path

This path starts after Developer II.

### Level 3: Senior 1

- **Delivery**: Leads a project.
- **Communication**: Talks about it.

### Level 4: Senior 2

- **Delivery**: Leads several projects.
- **Communication**: Talks about it.

## Management path

This path starts after Developer II. Managers first lead a team for a quarter.

### Level 3: Development Manager

- **Delivery**: Runs a team.
- **Communication**: Talks about it.

### Level 4: Senior Development Manager

- **Delivery**: Runs teams.
- **Communication**: Talks about it.
"""

DESIGN = """# Design

### Level 1: Designer I

- **Delivery**: Draws screens.
- **Communication**: Talks about it.

### Level 2: Senior 1

- **Delivery**: Owns a flow.
- **Communication**: Talks about it.

### Level 3: Senior 2

- **Delivery**: Owns a product's design.
- **Communication**: Talks about it.
"""


def read(tmp_path: Path) -> Draft:
    draft = Draft()
    for name, text in {"index.md": INDEX, "build.md": BUILD, "design.md": DESIGN}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in ("build.md", "design.md", "index.md"):
        read_markdown(tmp_path / name, draft)
    draft.finish()
    return draft


def level(draft: Draft, track: str, title: str) -> DraftLevel:
    return next(lv for t in draft.tracks if t.name.startswith(track) for lv in t.levels if lv.title == title)


def test_a_mapping_table_makes_no_copies_and_resolves_titles_by_its_columns(tmp_path: Path) -> None:
    draft = read(tmp_path)
    assert sum(len(t.levels) for t in draft.tracks) == 9
    assert [lv.title for lv in draft.tracks[0].levels] == ["Developer I", "Developer II"]
    ic_senior_a, design_senior_a = level(draft, "Individual", "Senior 1"), level(draft, "Design", "Senior 1")
    team_manager, design_senior_b = level(draft, "Management", "Development Manager"), level(draft, "Design", "Senior 2")
    linked = {id(e) for e in ic_senior_a.equivalents} | {id(e) for e in team_manager.equivalents}
    assert id(team_manager) in linked or id(ic_senior_a) in linked
    assert ic_senior_a in design_senior_b.equivalents or design_senior_b in ic_senior_a.equivalents  # row 3, not row 2
    assert design_senior_a not in ic_senior_a.equivalents and ic_senior_a not in design_senior_a.equivalents
    assert check_framework_text(draft.yaml(), "paths.yaml").errors == []


def test_every_path_that_says_where_it_starts_continues_from_there(tmp_path: Path) -> None:
    draft = read(tmp_path)
    builder_2 = level(draft, "Shared", "Developer II")
    starts = {t.name: t.starts_after for t in draft.tracks}
    assert starts["Individual contributor"] is builder_2 and starts["Management"] is builder_2
    assert starts["Design"] is None


def test_a_column_of_durations_is_no_column_of_titles(tmp_path: Path) -> None:
    path = tmp_path / "ladder.md"
    path.write_text(
        "# Ladder\n\n| Level | Title | Typical time |\n|---|---|---|\n| T1 | Engineer | 1 year |\n"
        "| T2 | Senior Engineer | 2 years |\n| T3 | Staff Engineer | 3 years |\n",
        encoding="utf-8",
    )
    draft = Draft()
    read_markdown(path, draft)
    draft.finish()
    assert [(t.name, [lv.title for lv in t.levels]) for t in draft.tracks] == [
        ("Ladder", ["Engineer", "Senior Engineer", "Staff Engineer"])
    ]
    assert any("2 years" in p.text for pieces in draft.tracks[0].levels[1].fields.values() for p in pieces)
