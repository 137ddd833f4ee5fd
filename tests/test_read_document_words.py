"""Documents with labelled paragraphs ("X: y"): every word of every paragraph is in the framework or listed."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.reading.draft import Draft
from bot.framework.reading.markdown import read_markdown
from tests.document_drafts import read

LEVELS = ["Associate Engineer (T1)", "Engineer (T2)", "Senior Engineer (T3)", "Staff Engineer (T4)"]
LABELS = [
    "T1", "T2 and T3 are rare", "Engineer", "Senior Engineer", "Senior Engineer (T9)", "Note on T4", "Scope",
    "Communication", "Typical time", "Staff Engineer and T2 differ", "**Delivery**", "**T3 is often skipped**",
    "Why T1 matters", "Promotion", "Moving to management",
]  # fmt: skip
WORDS = ["quietly", "harbour", "lantern", "meadow", "copper", "orbit", "tundra", "velvet"]


def words_of(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def labelled(label: str, body: str, bullet: bool) -> str:
    return f"{'- ' if bullet else ''}{label}: {body}"


PARAGRAPH = st.builds(
    labelled,
    st.sampled_from(LABELS),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
    st.booleans(),
)
KEYS = ["T1", "T2", "T3", "T4", "Everyone", "T2 and T3"]


def keyed_table(rows: list[tuple[str, str]]) -> str:
    """A `Level | Expectation` table (its header row is structure, not checked word for word)."""
    return "| Level | Expectation |\n|---|---|\n" + "".join(f"| {key} | {body} |\n" for key, body in rows)


TABLE = st.lists(
    st.tuples(st.sampled_from(KEYS), st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)),
    min_size=2,
    max_size=5,
).map(keyed_table)
OVERVIEW = "| Level | Title |\n|---|---|\n| T1 | Associate Engineer |\n| T2 | Engineer |\n| T3 | Senior Engineer |\n"
SECTION = st.tuples(
    st.sampled_from([*LEVELS, "Levels at a glance", "Promotions", "Competencies", "Incident response", "Delivery"]),
    st.lists(st.one_of(PARAGRAPH, TABLE), max_size=4),
)


def document(intro: list[str], sections: list[tuple[str, list[str]]]) -> str:
    parts = ["# Engineering ladder", *intro]
    for heading, paragraphs in sections:
        parts += [f"## {heading}", *paragraphs]
    return "\n\n".join(parts) + "\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PARAGRAPH, st.just(OVERVIEW)), max_size=3), st.lists(SECTION, min_size=1, max_size=6))
def test_every_word_of_a_labelled_paragraph_is_in_the_framework_or_listed(
    tmp_path: Path, intro: list[str], sections: list[tuple[str, list[str]]]
) -> None:
    path = tmp_path / "ladder.md"
    text = document(intro, sections)
    path.write_text(text, encoding="utf-8")
    draft = Draft()
    try:
        read_markdown(path, draft)
        draft.finish()
        written = draft.yaml()
    except Exception as exc:  # a page the reader refuses says why in one line
        assert "\n" not in str(exc)
        return
    kept = words_of(written) | {w for entry in draft.ledger.unplaced for w in words_of(entry.piece.text)}
    for line in text.split("\n"):
        if line.startswith(("| Level |", "#")):
            continue  # headings and a table's header row name what is below them: the ledger says where they went
        lost = words_of(line) - kept
        assert not lost, f"{sorted(lost)} of {line!r} neither placed nor listed"


def test_a_label_that_says_more_than_a_level_name_is_kept_whole(tmp_path: Path) -> None:
    text = (
        "# Ladder\n\n| Level | Title | Typical time at level |\n|---|---|---|\n| T1 | Engineer | 1 year |\n"
        "| T2 | Senior Engineer | 2 years |\n| T3 | Staff Engineer | 3 years |\n\n"
        "T1 and T2 are common: most people are one of them.\n\nT2: Leads projects.\n"
    )
    draft = read(tmp_path, {"ladder.md": text})
    written = draft.yaml()
    assert "T1 and T2 are common: most people are one of them." in written
    senior = draft.tracks[0].levels[1]
    assert [p.text for p in senior.fields["summary"]] == ["Leads projects."]  # a label that is only its name


COMPETENCY_MAJOR = """\
# Data Ladder

| Level | Title |
|---|---|
| D1 | Junior Analyst |
| D2 | Analyst |
| D3 | Senior Analyst |

## Querying

What you can get out of the warehouse.

| Level | Expectation | Example |
|---|---|---|
| D1 | Writes simple joins. | A weekly report |
| D2 | Tunes slow queries. | |
| D3 | Designs the models others query. | The orders mart |
| Everyone | Reviews each other's SQL. | |

## Promotions

Promotions are reviewed twice a year.
"""


def test_a_heading_per_competency_over_a_table_keyed_by_level_codes(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.md": COMPETENCY_MAJOR})
    analyst, senior = draft.tracks[0].levels[1:]
    assert [p.text for p in analyst.expectations["querying"]] == ["Tunes slow queries."]
    assert [p.text for p in senior.expectations["querying"]] == [
        "Designs the models others query.",
        "Example: The orders mart",
    ]
    assert [p.text for p in draft.competencies["querying"].description] == ["What you can get out of the warehouse."]
    assert {s.title for s in draft.sections} >= {"Promotions", "Querying"}  # the row keyed by no level stays text
    assert draft.ledger.unplaced == []


def test_a_table_keyed_by_words_that_name_no_level_stays_prose(tmp_path: Path) -> None:
    text = COMPETENCY_MAJOR.replace("| D1 | Writes", "| Q1 | Writes").replace("| D2 | Tunes", "| Q2 | Tunes")
    draft = read(tmp_path, {"ladder.md": text})
    assert "querying" not in draft.competencies and any(s.title == "Querying" for s in draft.sections)


def test_sections_keyed_by_the_same_codes_are_the_levels_when_nothing_else_names_them(tmp_path: Path) -> None:
    table = "| Level | Expectation |\n|---|---|\n| P1 | {a} |\n| P2 | {b} |\n| P3 | {c} |\n"
    text = (
        "# Platform Ladder\n\n## Delivery\n\n"
        + table.format(a="Ships small changes.", b="Ships features.", c="Ships projects.")
        + "\n## Communication\n\n"
        + table.format(a="Asks for help.", b="Writes updates.", c="Writes designs.")
    )
    draft = read(tmp_path, {"ladder.md": text})
    assert [lv.title for lv in draft.tracks[0].levels] == ["P1", "P2", "P3"]
    assert [p.text for p in draft.tracks[0].levels[2].expectations["communication"]] == ["Writes designs."]
    assert draft.ledger.unplaced == []


def test_tables_keyed_by_different_codes_make_no_levels(tmp_path: Path) -> None:
    text = "# Notes\n\n## A\n\n| Key | Value |\n|---|---|\n| X1 | one |\n| X2 | two |\n\n## B\n\n| Key | Value |\n|---|---|\n| Y1 | one |\n| Y2 | two |\n"
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    draft = Draft()
    try:
        read_markdown(path, draft)
        draft.finish()
    except Exception as exc:  # a page without levels is refused in its own terms
        assert "no levels" in str(exc)
        return
    assert not any(t.levels for t in draft.tracks)


def test_sibling_headings_over_tables_of_the_same_titles_name_their_competencies(tmp_path: Path) -> None:
    table = "| Level | Expectation |\n|---|---|\n| Junior Engineer | {a} |\n| Engineer | {b} |\n| Senior Engineer | {c} |\n"
    text = (
        "# Platform Ladder\n\n## Delivery\n\n"
        + table.format(a="Ships small changes.", b="Ships features.", c="Ships projects.")
        + "\n## Communication\n\n"
        + table.format(a="Asks for help.", b="Writes updates.", c="Writes designs.")
    )
    draft = read(tmp_path, {"ladder.md": text})
    assert sorted(draft.competencies) == ["communication", "delivery"]
    senior = draft.tracks[0].levels[2]
    assert [p.text for p in senior.expectations["delivery"]] == ["Ships projects."]
