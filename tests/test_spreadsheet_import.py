"""`ladder framework import`: competency matrices in the shapes people keep them, to a file that passes the check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.grids import place_sheets
from bot.framework.reading.sheets import Sheet, read_sheets

LADDER = str(Path(sys.executable).parent / "ladder")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LADDER_", "DATABASE_URL"))}
    return subprocess.run([LADDER, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def workbook(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for merged in (merges or {}).get(name, []):
            sheet.merge_cells(merged)
    book.save(path)
    return path


def imported(path: Path, *args: str) -> tuple[dict, str, subprocess.CompletedProcess[str]]:
    result = run("framework", "import", str(path), *args)
    assert result.returncode == 0, result.stderr
    check = check_framework_text(result.stdout, "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(result.stdout), result.stdout, result


def test_levels_as_columns_with_merged_track_headers_spacers_and_bullets(tmp_path):
    path = workbook(
        tmp_path / "eng.xlsx",
        {
            "Sheet1": [
                ["Acme Engineering ladder"],
                [],
                [None, None, "Individual contributor", None, None, "Management", None],
                ["Competency", None, "Engineer", "Senior Engineer", "Staff Engineer", "Engineering Manager", "Director"],
                [
                    "Summary",
                    None,
                    "Builds features.",
                    "Leads projects.",
                    "Sets direction\nfor several teams.",
                    "Runs a team.",
                    "Runs teams.",
                ],
                [],
                [
                    "Technical depth",
                    None,
                    "• Writes tested code\n• Learns the codebase",
                    "Designs systems",
                    "Hardest problems",
                    None,
                    None,
                ],
                [None, None, "a stray note", None, None, None, None],
                ["People", None, None, "Mentors", "Grows leaders", "Coaches", "Builds leaders"],
                [],
                ["Reviewed every year by the engineering leads."],
            ]
        },
        {"Sheet1": ["C3:E3", "F3:G3"]},
    )
    document, text, result = imported(path)
    assert document["name"] == "Acme Engineering ladder"
    assert [t["name"] for t in document["tracks"]] == ["Individual contributor", "Management"]
    engineer = document["tracks"][0]["levels"][0]
    assert (
        engineer["title"] == "Engineer"
        and engineer["expectations"]["technical_depth"] == "• Writes tested code\n• Learns the codebase"
    )
    assert document["tracks"][0]["levels"][2]["summary"] == "Sets direction\nfor several teams."
    assert "levels as columns, competencies as rows, tracks from the row above the titles" in result.stderr
    assert f"not placed: {path}:Sheet1!C8 (no competency name in column A of its row)" in result.stderr
    assert f"# - {path}:Sheet1!C8: a stray note" in text
    assert document["sections"] == [{"title": "Notes", "text": "Reviewed every year by the engineering leads."}]
    assert "Equivalents between tracks" in text  # what a person must still decide


def test_levels_as_rows_with_a_track_column(tmp_path):
    path = workbook(
        tmp_path / "sales.xlsx",
        {
            "Matrix": [
                ["Level", "Track", "Summary", "Scope", "Prospecting", "Closing"],
                ["Account Executive", "Sales", "Sells.", "Small accounts", "Books meetings", "Closes small deals"],
                ["Senior Account Executive", "Sales", "Sells more.", "Mid-market", "Builds pipeline", "Closes big deals"],
                ["Sales Manager", "Sales management", "Leads sellers.", "A team", None, "Coaches closing"],
            ]
        },
    )
    document, _text, result = imported(path, "--name", "Acme Sales")
    assert "levels as rows, competencies as columns" in result.stderr
    assert document["name"] == "Acme Sales"
    assert [(t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Sales", ["Account Executive", "Senior Account Executive"]),
        ("Sales management", ["Sales Manager"]),
    ]
    assert document["tracks"][1]["levels"][0]["expectations"] == {"closing": "Coaches closing"}


def test_one_sheet_per_track(tmp_path):
    rows = lambda *titles: [["", *titles], ["Craft", *[f"{t} craft" for t in titles]]]  # noqa: E731
    path = workbook(tmp_path / "two.xlsx", {"IC": rows("Engineer", "Senior Engineer"), "Management": rows("Manager", "Director")})
    document, _, _ = imported(path)
    assert [t["name"] for t in document["tracks"]] == ["IC", "Management"]
    only, _, _ = imported(path, "--sheet", "Management")
    assert [t["name"] for t in only["tracks"]] == ["Management"]


def test_a_csv_matrix(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text(
        'Competency;Junior;Mid;Senior\nSummary;New;Independent;"Leads,\nteaches"\nCraft;Learns;Ships;Designs\n', encoding="utf-8"
    )
    document, _, _ = imported(path)
    (track,) = document["tracks"]
    assert [lv["title"] for lv in track["levels"]] == ["Junior", "Mid", "Senior"]
    assert track["levels"][2]["summary"] == "Leads,\nteaches"


def test_a_caption_above_a_table_whose_labels_are_not_in_column_a(tmp_path):
    path = workbook(
        tmp_path / "finance.xlsx",
        {
            "Finance": [
                ["Finance ladder"],
                [None, None, "Finance IC", None, "Finance management"],
                [None, None, None, None, None],
                [None, "Competency", "Analyst", "Senior Analyst", "Finance Manager"],
                [None, "Summary", "Builds models.", "Owns forecasts.", "Leads the team."],
                [None, "Modelling", "Clean models", "Complex models", "Reviews models"],
            ]
        },
        {"Finance": ["C2:D2"]},
    )
    document, _, result = imported(path)
    assert document["name"] == "Finance ladder" and "could not place" not in result.stderr
    assert [(t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Finance IC", ["Analyst", "Senior Analyst"]),
        ("Finance management", ["Finance Manager"]),
    ]
    assert document["tracks"][1]["levels"][0]["expectations"] == {"modelling": "Reviews models"}


def test_levels_as_rows_find_the_title_column_by_its_heading(tmp_path):
    path = workbook(
        tmp_path / "transposed.xlsx",
        {
            "Sheet1": [
                ["Track", "Level", "Title", "Summary", "Modelling"],
                ["Finance IC", "F1", "Analyst", "Builds models.", "Clean models"],
                ["Finance IC", "F2", "Senior Analyst", "Owns forecasts.", "Complex models"],
            ]
        },
    )
    document, _, _ = imported(path)
    (track,) = document["tracks"]
    assert track["name"] == "Finance IC" and [lv["title"] for lv in track["levels"]] == ["Analyst", "Senior Analyst"]
    assert track["levels"][0]["aliases"] == ["F1"] and {c["name"] for c in document.get("competencies", [])} == {"Modelling"}


def test_a_utf16_csv_as_excel_exports_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Competency\tJunior\tSenior\nCraft\tLearns\tLeads\n".encode("utf-16"))
    document, _, _ = imported(path)
    assert [lv["title"] for lv in document["tracks"][0]["levels"]] == ["Junior", "Senior"]


def test_an_import_written_to_a_file_checks_clean_and_is_never_overwritten(tmp_path):
    path = workbook(tmp_path / "m.xlsx", {"Sheet1": [["", "One", "Two"], ["Craft", "a", "b"]]})
    target = tmp_path / "ladder.yaml"
    assert run("framework", "import", str(path), "-o", str(target)).returncode == 0
    assert run("framework", "check", str(target)).returncode == 0
    again = run("framework", "import", str(path), "-o", str(target))
    assert again.returncode == 1 and "exists already" in again.stderr


def test_an_import_over_an_existing_file_says_what_it_would_change_and_replaces_it_only_with_force(tmp_path):
    target = tmp_path / "ladder.yaml"
    first = workbook(tmp_path / "m.xlsx", {"Sheet1": [["", "One", "Two"], ["Craft", "a", "b"]]})
    assert run("framework", "import", str(first), "-o", str(target)).returncode == 0
    written = target.read_text()
    second = workbook(tmp_path / "m2.xlsx", {"Sheet1": [["", "One", "Two", "Three"], ["Craft", "a", "b and more", "c"]]})
    refused = run("framework", "import", str(second), "-o", str(target))
    assert refused.returncode == 1 and target.read_text() == written
    lines = refused.stderr.splitlines()
    assert f"{target} exists; the import would change it:" in lines
    assert "+ level Three (three): Main track, level 3" in lines
    assert "~ level Two (two): expectation for Craft changed" in lines
    assert lines[-1] == f"ladder: {target} exists already; pass --force to replace it with the import, or choose another name"
    forced = run("framework", "import", str(second), "-o", str(target), "--force")
    assert forced.returncode == 0 and "+ level Three (three): Main track, level 3" in forced.stderr
    assert "Three" in target.read_text() and list(tmp_path.glob("*.ladder-import")) == []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes.xlsx", b"just some text, not a workbook", "is named .xlsx but is not a workbook"),
        ("notes.txt", b"just some text", "not a file Ladder can import"),
        ("titles.csv", b"a,b\n", "found level titles ('b') but nothing placed under them"),
        ("empty.xlsx", b"", "is empty"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        ("broken.xlsx", b"PK\x03\x04" + b"\0" * 100, "not a readable .xlsx"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("framework", "import", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr and "Traceback" not in result.stderr


def test_a_50_mb_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is written, the size is what counts
    result = run("framework", "import", str(path))
    assert result.returncode == 1 and "a competency matrix is far smaller" in result.stderr


def test_an_empty_workbook_and_an_unknown_sheet(tmp_path):
    empty = workbook(tmp_path / "blank.xlsx", {"Sheet1": []})
    with pytest.raises(UnreadableFile, match="no cells with content"):
        read_sheets(empty)
    path = workbook(tmp_path / "m.xlsx", {"Sheet1": [["", "One"], ["Craft", "a"]]})
    with pytest.raises(UnreadableFile, match="no sheet 'Nope'; its sheets are: Sheet1"):
        read_sheets(path, "Nope")


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=10).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.tuples(st.integers(1, 8), st.integers(1, 6)), words, max_size=30))
def test_any_grid_imports_to_a_checkable_file_or_says_why_not(cells):
    draft = Draft()
    place_sheets([Sheet("Sheet1", cells)], draft, "grid.csv", in_workbook=False)
    if not any(level.fields or level.expectations for track in draft.tracks for level in track.levels):
        return
    check = check_framework_text(draft.yaml(), "grid.yaml")
    clashes = [p for p in check.errors if "already names" in p.message]  # the same words used for two different things
    assert check.errors == clashes, check.lines()
