"""Documents, round 2: level fields named exactly, tracks that fork from a trunk, pages that join levels read from
other files, and what changes between two levels."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.framework.loader import check_framework_text
from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack
from bot.framework.reading.markdown import read_markdown


def read(tmp_path: Path, files: dict[str, str]) -> Draft:
    """Write ``files`` (path -> Markdown) under tmp_path, read them all into one draft, finished."""
    draft = Draft()
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for name in files:
        read_markdown(tmp_path / name, draft)
    draft.finish()
    return draft


def track(draft: Draft, name: str) -> DraftTrack:
    found = [t for t in draft.tracks if normalize(t.name) == normalize(name)]
    assert found, f"no track {name!r} in {[t.name for t in draft.tracks]}"
    return found[0]


def level(draft: Draft, track_name: str, title: str) -> DraftLevel:
    found = [lv for lv in track(draft, track_name).levels if lv.title == title]
    assert found, f"no level {title!r} in {[lv.title for lv in track(draft, track_name).levels]}"
    return found[0]


def texts(pieces: list) -> list[str]:
    return [p.text for p in pieces]


# -- level fields: only their exact names, each taken once per level -------------------------------------------


LABELLED = """
    # Engineering

    ## Junior Engineer

    - **Summary**: Learns the codebase.
    - **Description**: Works on one team's backlog.
    - **Scope**: A feature at a time.
    - **Impact**: Their own tasks.
    - **Decision making**: Asks before deciding.
    - **Decision rights**: Chooses how to test their work.
    - **Tenure**: 1-2 years

    ## Senior Engineer

    - **Scope**: A product area.
    - **Scope**: And its on-call rotation.
    - **Impact**: The team's roadmap.
    - **Time in level**: as long as it takes
    """


def test_a_label_is_a_level_field_only_by_its_exact_name_and_once_per_level(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.md": LABELLED})
    junior = level(draft, "Engineering", "Junior Engineer")
    assert texts(junior.fields["summary"]) == ["Learns the codebase."]
    assert texts(junior.fields["scope"]) == ["A feature at a time."]
    assert texts(junior.fields["decision_rights"]) == ["Chooses how to test their work."]
    assert texts(junior.fields["typical_time_in_level"]) == ["1-2 years"]  # a tenure said as a duration
    # another label for a field already taken, or a label that only resembles a field's name, is a dimension of its own
    assert texts(junior.expectations["description"]) == ["Works on one team's backlog."]
    assert texts(junior.expectations["impact"]) == ["Their own tasks."]
    assert texts(junior.expectations["decision making"]) == ["Asks before deciding."]
    senior = level(draft, "Engineering", "Senior Engineer")
    assert texts(senior.fields["scope"]) == ["A product area.", "And its on-call rotation."]  # one label, said twice
    assert texts(senior.expectations["impact"]) == ["The team's roadmap."]
    assert "typical_time_in_level" not in senior.fields  # not a duration: kept as a dimension, not a time
    assert texts(senior.expectations["time in level"]) == ["as long as it takes"]
    assert {"Description", "Impact", "Decision making"} <= {c.name for c in draft.competencies.values()}


def test_table_rows_and_columns_take_a_field_once_and_by_its_exact_name(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Ladder

                | | Engineer I | Engineer II |
                |---|---|---|
                | Scope | A task | A feature |
                | Impact | The team | Several teams |
                | Summary | Learns | Leads |
                | Description | Junior role | Mid role |

                | Title | Scope | Decision making |
                |---|---|---|
                | Manager I | A team | Hires |
                | Manager II | Two teams | Reorganises |
                """
        },
    )
    engineer = level(draft, "Ladder", "Engineer II")
    assert texts(engineer.fields["scope"]) == ["A feature"]
    assert texts(engineer.fields["summary"]) == ["Leads"]
    assert texts(engineer.expectations["impact"]) == ["Several teams"]
    assert texts(engineer.expectations["description"]) == ["Mid role"]
    manager = next(lv for t in draft.tracks for lv in t.levels if lv.title == "Manager II")
    assert texts(manager.fields["scope"]) == ["Two teams"]
    assert "decision_rights" not in manager.fields  # a short column is kept as "Header: value", never as the field
    assert "Decision making: Reorganises" in texts(manager.fields["summary"])
    assert check_framework_text(draft.yaml()).errors == []
