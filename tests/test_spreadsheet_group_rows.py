"""Levels as rows under two header rows: a row of competency groups (merged, written once or repeated over their
columns) above the competency names, whose title column is headed Level or Title. The lower row names the
competencies, the upper one their groups; no level is made of the header. A level still titled like a heading is an
ERROR line in the import's TO DECIDE."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.files import import_files

ROWS = [
    ["Associate Widget Maker", "Sorts the parts by size with help.", "Reads the manual.", "Asks a peer.", "Joins stand-ups."],
    ["Widget Maker", "Builds a widget from a known plan.", "Tests a widget alone.", "Pairs with a peer.", "Runs stand-ups."],
    [
        "Senior Widget Maker",
        "Designs a new widget for a customer.",
        "Plans the test rounds.",
        "Coaches two peers.",
        "Runs planning.",
    ],
]
NAMES = ["Assembly", "Testing", "Coaching", "Meetings"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def read(path: Path) -> tuple[dict, list[str]]:
    draft = import_files([path])
    text = draft.yaml()
    assert not check_framework_text(text, "imported.yaml").errors
    places = Counter(e.piece.where.place for e in draft.ledger.entries)
    assert set(places.values()) == {1}, places  # every cell once
    return yaml.safe_load(text), draft.decisions


def groups_of(document: dict) -> dict[str, str | None]:
    return {c["name"]: c.get("group") for c in document["competencies"]}


def assert_grouped(document: dict, decisions: list[str]) -> None:
    assert groups_of(document) == {"Assembly": "Build", "Testing": "Build", "Coaching": "People", "Meetings": "People"}
    levels = [lv["title"] for t in document["tracks"] for lv in t["levels"]]
    assert levels == [row[0] for row in ROWS]
    ids = {c["name"]: c["id"] for c in document["competencies"]}
    senior = document["tracks"][0]["levels"][2]["expectations"]
    assert senior[ids["Testing"]] == "Plans the test rounds."
    assert not any(d.startswith("ERROR") for d in decisions)


def test_group_row_repeated_over_its_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ladder.csv", [["", "Build", "Build", "People", "People"], ["Level", *NAMES], *ROWS])
    assert_grouped(*read(path))


def test_group_row_written_once_with_blanks_after(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ladder.csv", [["", "Build", "", "People", ""], ["Title", *NAMES], *ROWS])
    assert_grouped(*read(path))


def test_group_row_merged_in_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [[None, "Build", None, "People", None], ["Level", *NAMES], *ROWS]:
        sheet.append(row)
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:E1")
    book.save(tmp_path / "ladder.xlsx")
    assert_grouped(*read(tmp_path / "ladder.xlsx"))


def test_a_header_with_a_name_over_every_column_is_no_group_row(tmp_path: Path) -> None:
    """Codes above names (a name over every column, the title cell blank) stay competency aliases, not groups."""
    path = write_csv(tmp_path / "ladder.csv", [["", "A1", "A2", "B1", "B2"], ["", *NAMES], *ROWS])
    document, _ = read(path)
    assert all(group is None for group in groups_of(document).values())
    assert [lv["title"] for lv in document["tracks"][0]["levels"]] == [row[0] for row in ROWS]


def test_a_level_titled_like_a_heading_is_an_error_to_decide(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ladder.csv", [["Level", *NAMES], ["Level", "a", "b", "c", "d"], *ROWS])
    _, decisions = read(path)
    assert decisions[0].startswith("ERROR") and "'Level'" in decisions[0]


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_word, min_size=2, max_size=6, unique=True),
    data=st.data(),
)
def test_any_group_row_gives_each_competency_its_group(tmp_path: Path, names: list[str], data: st.DataObject) -> None:
    competencies = [f"{n.capitalize()} skill" for n in names]
    cuts = sorted(data.draw(st.sets(st.integers(1, len(names) - 1), max_size=len(names) - 2)))
    spans = list(zip([0, *cuts], [*cuts, len(names)], strict=True))  # each group over one or more columns, one over two
    repeat = data.draw(st.booleans())
    upper, expected = [""], {}
    for g, (a, b) in enumerate(spans):
        group = f"Group {chr(65 + g)}"
        upper += [group if repeat or i == a else "" for i in range(a, b)]
        expected.update({competencies[i]: group for i in range(a, b)})
    rows = [[f"Level {i}", *(f"Does thing {j} at level {i} for the team." for j in range(len(names)))] for i in (1, 2, 3)]
    path = write_csv(tmp_path / "ladder.csv", [upper, ["Level", *competencies], *rows])
    document, decisions = read(path)
    assert groups_of(document) == expected
    assert [lv["title"] for lv in document["tracks"][0]["levels"]] == ["Level 1", "Level 2", "Level 3"]
    assert not any(d.startswith("ERROR") for d in decisions)
