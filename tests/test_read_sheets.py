"""Reading spreadsheets as organisations keep them: every layout read from its content, nothing overwritten, every
non-empty cell accounted for in the ledger exactly once, and `ladder framework import` over several files."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.files import import_files
from bot.framework.reading.grids import place_sheets, split_title
from bot.framework.reading.sheets import MAX_CELLS, Sheet, read_sheets

LADDER = str(Path(sys.executable).parent / "ladder")


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


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(path: Path, sheets: dict[str, list[list[object]]], content: str | None = None) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one: a cell is a string, None (empty), or (text, columns
    spanned); rows end with a run of repeated empty cells, and the sheet with a run of repeated empty rows."""

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        text, span = value if isinstance(value, tuple) else (value, 1)
        paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(text).split("\n"))
        spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        covered = "<table:covered-table-cell/>" * (span - 1)
        return f'<table:table-cell office:value-type="string"{spanned}>{paragraphs}</table:table-cell>{covered}'

    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>"
            + "".join(cell(v) for v in row)
            + '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'
            for row in rows
        )
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row></table:table>"
        for name, rows in sheets.items()
    )
    content = content or (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2"><office:body>'
        f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
            'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return path


def imported(*paths: Path, name: str | None = None) -> tuple[dict, Draft]:
    """The framework the files import to, after checking it loads with no error and every cell is in the ledger."""
    draft = import_files(list(paths), name)
    check = check_framework_text(draft.yaml(), "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(draft.yaml()), draft


def titles(document: dict) -> list[tuple[str, list[str]]]:
    return [(t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]]


def level(document: dict, title: str) -> dict:
    return next(lv for t in document["tracks"] for lv in t["levels"] if lv["title"] == title)


def places(draft: Draft) -> Counter[str]:
    return Counter(entry.piece.where.place for entry in draft.ledger.entries)


def not_placed(draft: Draft) -> dict[str, str]:
    return {e.piece.where.place: e.reason for e in draft.ledger.unplaced}


# -- levels as columns or as rows, from the content ---------------------------------------------


def test_scope_and_impact_are_both_kept_and_only_exact_field_names_are_fields(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Sheet1": [
                ["", "Engineer", "Senior Engineer", "Staff Engineer"],
                ["Summary", "Builds features.", "Leads projects.", "Sets direction."],
                ["Scope", "A feature", "A project", "Several teams"],
                ["Impact", "On the team", "On the group", "On the company"],
                ["Decision making", "Own tasks", "Own designs", "Architecture"],
                ["Description", "Writes code.", "Designs code.", "Shapes systems."],
                ["Craft", "Tested code", "Designed code", "Systems"],
            ]
        },
    )
    document, draft = imported(path)
    senior = level(document, "Senior Engineer")
    assert senior["summary"] == "Leads projects." and senior["scope"] == "A project"
    assert senior["expectations"] == {
        "impact": "On the group",
        "decision_making": "Own designs",
        "description": "Designs code.",  # "Summary" named the summary already: a second such row is a dimension
        "craft": "Designed code",
    }
    assert [c["name"] for c in document["competencies"]] == ["Impact", "Decision making", "Description", "Craft"]
    assert not draft.ledger.unplaced and set(places(draft).values()) == {1}


def test_a_level_corner_does_not_turn_a_ladder_sideways(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Ladder": [
                ["Level", "Junior", "Mid-level", "Senior"],
                ["Expectations", "Learns the codebase", "Ships features alone", "Leads projects"],
                ["Competencies", "Writes tests", "Reviews code", "Designs systems"],
                ["Track Record", "First merged change", "A feature shipped", "A project delivered"],
            ]
        },
    )
    document, draft = imported(path)
    assert titles(document) == [("Ladder", ["Junior", "Mid-level", "Senior"])]
    assert level(document, "Mid-level")["expectations"]["track_record"] == "A feature shipped"
    assert "levels as columns" in draft.shapes[0]


def test_levels_as_rows_when_the_titles_are_down_the_first_column(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Ladder": [
                ["Competency", "Coding", "Design", "Communication"],
                ["Engineer I", "Writes code", "Follows designs", "Asks questions"],
                ["Engineer II", "Writes good code", "Designs features", "Explains"],
                ["Senior Engineer", "Writes great code", "Designs systems", "Teaches"],
            ]
        },
    )
    document, draft = imported(path)
    assert titles(document) == [("Ladder", ["Engineer I", "Engineer II", "Senior Engineer"])]
    assert level(document, "Engineer II")["expectations"]["design"] == "Designs features"
    assert "levels as rows" in draft.shapes[0]


@pytest.mark.parametrize(("corner", "levels"), [("Level/Skill", ["Explorer", "Builder"]), ("Skill / Level", ["Craft", "Care"])])
def test_a_split_corner_header_says_which_axis_holds_the_levels_when_the_content_cannot(tmp_path, corner, levels):
    path = workbook(
        tmp_path / "m.xlsx",
        {"Sheet1": [[corner, "Craft", "Care"], ["Explorer", "Tries things", "Listens"], ["Builder", "Builds things", "Helps"]]},
    )
    document, _ = imported(path)
    assert titles(document) == [("Main", levels)]


def test_a_code_row_above_the_titles_gives_aliases(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Engineering": [
                [None, "L1", "L2", "L3"],
                ["Competency", "Engineer", "Senior Engineer", "Staff Engineer"],
                ["Craft", "Tested code", "Designed code", "Systems"],
            ]
        },
    )
    document, draft = imported(path)
    assert [lv.get("aliases") for lv in document["tracks"][0]["levels"]] == [["L1"], ["L2"], ["L3"]]
    assert "codes above the titles" in draft.shapes[0]


def test_category_rows_group_competencies_and_a_description_column_describes_them(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Sheet1": [
                ["Competency", "Description", "Junior", "Senior"],
                ["Technical"],
                ["Coding", "Writing code that works and lasts.", "Tested code", "Clean designs"],
                ["Debugging", "Finding why things fail.", "Own bugs", "Anyone's bugs"],
                ["Empty category"],
                ["People"],
                ["Mentoring", "Helping others grow.", "Asks for help", "Mentors two people"],
            ]
        },
    )
    document, draft = imported(path)
    competencies = {c["name"]: c for c in document["competencies"]}
    assert {name: c.get("group") for name, c in competencies.items()} == {
        "Coding": "Technical",
        "Debugging": "Technical",
        "Mentoring": "People",
    }
    assert competencies["Debugging"]["description"] == "Finding why things fail."
    assert level(document, "Senior")["expectations"]["mentoring"] == "Mentors two people"
    assert not_placed(draft) == {"Sheet1!A5": "a category row with no competency under it"}


def test_a_group_column_beside_the_competency_column(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Sheet1": [
                ["Theme", "Competency", "Junior", "Senior"],
                ["Delivery", "Planning", "Plans tasks", "Plans projects"],
                [None, "Quality", "Tests", "Sets standards"],
                ["People", "Feedback", "Receives it", "Gives it"],
            ]
        },
        {"Sheet1": ["A2:A3"]},
    )
    document, draft = imported(path)
    assert {c["name"]: c.get("group") for c in document["competencies"]} == {
        "Planning": "Delivery",
        "Quality": "Delivery",
        "Feedback": "People",
    }
    assert not draft.ledger.unplaced


# -- one sheet per level, per track, per family, per competency ---------------------------------


def _level_sheet(*rows: tuple[str, str, str, str]) -> list[list[object]]:
    return [["Theme", "Competency", "Proficiency", "Evidence"], *[list(r) for r in rows]]


def test_one_sheet_per_level_with_an_overview_sheet(tmp_path):
    path = workbook(
        tmp_path / "levels.xlsx",
        {
            "Overview": [
                ["Engineering levels"],
                ["Level", "Title", "Link"],
                ["1", "Engineer I", "https://example.com/e1"],
                ["2", "Engineer II", "https://example.com/e2"],
            ],
            "Engineer I": _level_sheet(
                ("Craft", "Coding", "Writes working code", "Merged changes"),
                ("", "Testing", "Writes unit tests", "Tests in reviews"),
                ("Team", "Communication", "Gives status", "Stand-up notes"),
            ),
            "Engineer II": _level_sheet(
                ("Craft", "Coding", "Writes clean code", "Review comments"),
                ("Team", "Communication", "Explains designs", "Design docs"),
            ),
        },
    )
    document, draft = imported(path)
    assert titles(document) == [("Main", ["Engineer I", "Engineer II"])]
    names = {c["name"] for c in document["competencies"]}
    assert names == {"Coding", "Testing", "Communication"} and not names & {"Competency", "Proficiency", "Evidence"}
    assert {c["name"]: c["group"] for c in document["competencies"]} == {
        "Coding": "Craft",
        "Testing": "Craft",
        "Communication": "Team",
    }
    assert (
        level(document, "Engineer I")["expectations"]["coding"] == "Proficiency: Writes working code\n\nEvidence: Merged changes"
    )
    (section,) = document["sections"]
    assert section["title"] == "Overview" and "Engineer II | https://example.com/e2" in section["text"]
    assert "one level (Engineer I), a row per competency" in " ".join(draft.shapes)
    assert not draft.ledger.unplaced and set(places(draft).values()) == {1}


def test_one_sheet_per_track_named_like_a_competency_does_not_collide(tmp_path):
    def sheet(*titles: str) -> list[list[object]]:
        return [
            ["Competency", *titles],
            ["Leadership", *[f"{t} leads" for t in titles]],
            ["Craft", *[f"{t} builds" for t in titles]],
        ]

    path = workbook(
        tmp_path / "tracks.xlsx",
        {"Engineering": sheet("Engineer", "Senior Engineer"), "Leadership": sheet("Manager", "Director")},
    )
    document, _ = imported(path)
    assert titles(document) == [("Engineering", ["Engineer", "Senior Engineer"]), ("Leadership", ["Manager", "Director"])]
    assert [c["name"] for c in document["competencies"]] == ["Leadership", "Craft"]
    assert level(document, "Director")["expectations"]["leadership"] == "Director leads"


def test_two_families_in_one_workbook_each_with_merged_track_headers(tmp_path):
    def family(ic: list[str], managers: list[str]) -> list[list[object]]:
        return [
            [None, "Individual contributor", *[None] * (len(ic) - 1), "Management", *[None] * (len(managers) - 1)],
            ["Competency", *ic, *managers],
            ["Summary", *[f"What {t} means." for t in ic + managers]],
            ["Craft", *[f"{t} craft" for t in ic + managers]],
        ]

    path = workbook(
        tmp_path / "families.xlsx",
        {
            "Engineering": family(["Engineer", "Senior Engineer"], ["Engineering Manager"]),
            "Product": family(["Product Manager"], ["Head of Product"]),
        },
        {"Engineering": ["B1:C1"], "Product": []},
    )
    document, _ = imported(path)
    assert [(t["family"], t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Engineering", "Individual contributor", ["Engineer", "Senior Engineer"]),
        ("Engineering", "Management", ["Engineering Manager"]),
        ("Product", "Individual contributor", ["Product Manager"]),
        ("Product", "Management", ["Head of Product"]),
    ]


def test_one_sheet_per_competency_with_a_form_beside_the_statements(tmp_path):
    def competency(name: str) -> list[list[object]]:
        return [
            [None, name],
            [None, f"What {name.lower()} covers."],
            [],
            [None, "1/ Junior", None, None, "2/ Senior"],
            [None, f"Basics of {name.lower()}, with guidance.", None, None, f"Guides others in {name.lower()}."],
            [],
            [None, "You plan your own tasks.", "Nope", None, "You plan for the team.", "Nope"],
            [None, "You ask for reviews.", "Nope", None, "You review others' work.", "Yes"],
            [],
            [None, "Level result", "Not there yet", None, "Level result", "Not there yet"],
        ]

    path = workbook(tmp_path / "assessment.xlsx", {"Delivery": competency("Delivery"), "Craft": competency("Craft")})
    document, draft = imported(path)
    assert titles(document) == [("Main", ["Junior", "Senior"])]
    assert level(document, "Junior")["aliases"] == ["1/ Junior"]
    assert level(document, "Senior")["expectations"]["craft"] == (
        "Guides others in craft.\n\nYou plan for the team.\n\nYou review others' work."
    )
    assert {c["name"]: c["description"] for c in document["competencies"]} == {
        "Delivery": "What delivery covers.",
        "Craft": "What craft covers.",
    }
    reasons = not_placed(draft)
    assert reasons["Delivery!C7"].startswith("a form's answer") and reasons["Craft!F8"].startswith("a form's answer")
    assert reasons["Delivery!B10"].startswith("the same short text under every level")
    assert set(places(draft).values()) == {1}


def test_a_long_table_with_a_level_column(tmp_path):
    path = workbook(
        tmp_path / "long.xlsx",
        {
            "Sheet1": [
                ["Level", "Competency", "Expectation"],
                ["Junior", "Coding", "Writes code"],
                ["Junior", "Design", "Follows designs"],
                ["Senior", "Coding", "Writes great code"],
            ]
        },
    )
    document, _ = imported(path)
    assert titles(document) == [("Main", ["Junior", "Senior"])]
    assert level(document, "Junior")["expectations"] == {"coding": "Writes code", "design": "Follows designs"}


def test_levels_listed_highest_first_are_read_lowest_first(tmp_path):
    path = workbook(
        tmp_path / "m.xlsx",
        {"Sheet1": [["Level", "Craft"], ["L3 Staff", "Sets direction"], ["L2 Senior", "Leads"], ["L1 Engineer", "Builds"]]},
    )
    document, draft = imported(path)
    assert titles(document) == [("Main", ["L1 Engineer", "L2 Senior", "L3 Staff"])]
    assert any("highest level first" in shape for shape in draft.shapes)


# -- CSV, TSV and ODS -------------------------------------------------------------------------


def _two_header_csv() -> str:
    """The shape of a spreadsheet exported as CSV: codes above names, a row per level with its tenure in the title
    cell, blank rows between, multi-line quoted cells, CRLF record ends, notes below the table."""
    rows = [
        "Level,Scope,Tec,Del,Team,",
        ",,Technical craft,Delivery,Teamwork,Links",
        'A1 ~ 6 mth,Learns the ropes,"Writes small changes\n\nReads the code","Ships small tasks",Asks for help,http://example.com/a1',
        ",,,,,",
        '"A2, ~ 1 yr",Works alone,"Writes features\n\nReviews code",Ships features,Helps others,',
        ",,,,,",
        ",,,,,",
        "A3,Leads work,Designs systems,Ships projects,Mentors,",
        ",,,,,",
        "How to read this,,,,,",
        "* Expectations add up from level to level.,,,,,",
        ",,A note under a column,,,",
        "Promotions,,,,,",
        "* Promotions are decided twice a year.,,,,,",
    ]
    return "\r\n".join(rows)


def test_a_csv_with_two_header_rows_multi_line_cells_crlf_and_notes_below(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_bytes(_two_header_csv().encode())
    document, draft = imported(path)
    assert titles(document) == [("Main", ["A1", "A2", "A3"])]
    a2 = level(document, "A2")
    assert a2["typical_time_in_level"] == "~ 1 yr" and a2["scope"] == "Works alone"
    assert a2["expectations"]["technical_craft"] == "Writes features\n\nReviews code"
    assert {c["name"]: c.get("aliases") for c in document["competencies"]} == {
        "Technical craft": ["Tec"],
        "Delivery": ["Del"],
        "Teamwork": ["Team"],
        "Links": None,
    }
    assert [(s["title"], s.get("kind", "other")) for s in document["sections"]] == [
        ("How to read this", "other"),
        ("Promotions", "promotion"),
    ]
    assert document["sections"][0]["text"] == "* Expectations add up from level to level.\n\nA note under a column"
    assert not draft.ledger.unplaced and set(places(draft).values()) == {1}


def test_a_tsv_file(tmp_path):
    path = tmp_path / "ladder.tsv"
    path.write_text("Competency\tJunior\tSenior\nCraft\tLearns, slowly\tLeads\n", encoding="utf-8")
    document, _ = imported(path)
    assert level(document, "Junior")["expectations"] == {"craft": "Learns, slowly"}


def test_an_ods_workbook_with_a_merged_track_header(tmp_path):
    path = ods(
        tmp_path / "ladder.ods",
        {
            "Engineering": [
                [None, ("Individual contributor", 2), "Management"],
                ["Competency", "Engineer", "Senior Engineer", "Manager"],
                ["Craft", "Builds\nand tests", "Designs", "Coaches"],
            ]
        },
    )
    document, draft = imported(path)
    assert titles(document) == [("Individual contributor", ["Engineer", "Senior Engineer"]), ("Management", ["Manager"])]
    assert level(document, "Engineer")["expectations"] == {"craft": "Builds\nand tests"}
    assert places(draft)["Engineering!B1"] == 1


def test_an_ods_whose_content_reaches_too_far_is_refused_before_it_is_read(tmp_path):
    far = (
        f'<?xml version="1.0"?><office:document-content {_ODS_NS}><office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row table:number-rows-repeated="5000"><table:table-cell office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with pytest.raises(UnreadableFile, match="has content down to row 5,000"):
        read_sheets(ods(tmp_path / "far.ods", {}, far))
    many = far.replace('number-rows-repeated="5000"', 'number-rows-repeated="1000"').replace(
        "<table:table-cell office", f'<table:table-cell table:number-columns-repeated="{MAX_CELLS // 1000 + 1}" office'
    )
    with pytest.raises(UnreadableFile, match="more than 100,000 cells with content"):
        read_sheets(ods(tmp_path / "many.ods", {}, many))
    with pytest.raises(UnreadableFile, match="not a readable .ods"):
        read_sheets(ods(tmp_path / "broken.ods", {}, "<office:document-content"))


def test_split_title():
    assert split_title("E1, ~ 1 yr") == ("E1", "~ 1 yr", 1)
    assert split_title("E3, 3 - 5 yrs") == ("E3", "3 - 5 yrs", 3)
    assert split_title("1/ Junior") == ("Junior", None, 1)
    assert split_title("Senior Engineer II") == ("Senior Engineer II", None, 2)
    assert split_title("Staff") == ("Staff", None, None)


# -- every cell accounted for -----------------------------------------------------------------

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).map(str.strip).filter(bool)
cells = st.one_of(words, st.sampled_from(["Summary", "Scope", "Impact", "Level", "L3", "Senior", "Track", "Competency", "Code"]))


@st.composite
def grids(draw: st.DrawFn) -> Sheet:
    content = draw(st.dictionaries(st.tuples(st.integers(1, 9), st.integers(1, 6)), cells, max_size=35))
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for corner in draw(st.lists(st.sampled_from(sorted(content)), max_size=3, unique=True)) if content else []:
        width = draw(st.integers(1, 3))
        for c in range(corner[1] + 1, corner[1] + width):
            if (corner[0], c) not in content and (corner[0], c) not in spans:
                spans[(corner[0], c)] = corner
    return Sheet(draw(st.sampled_from(["Sheet1", "Engineering", "Overview", "Leadership"])), content, spans)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(grids(), min_size=1, max_size=3, unique_by=lambda s: s.name))
@example(  # a column with no heading beside a long table's competency: its cell is the row's competency's, not a nameless one's
    [Sheet("Sheet1", {(1, 1): "Level", (1, 3): "Competency", (2, 1): "aa", (2, 3): "a", (2, 4): "a", (3, 1): "a", (4, 1): "a", (4, 2): "a"}, {})]
)
def test_every_non_empty_cell_is_in_the_ledger_exactly_once(sheets):
    draft = Draft()
    place_sheets(sheets, draft, "any.xlsx", in_workbook=True)
    expected = Counter(f"{s.name}!{_a1(r, c)}" for s in sheets for (r, c) in s.cells)
    assert places(draft) == expected
    if any(level.fields or level.expectations for track in draft.tracks for level in track.levels):
        check = check_framework_text(draft.yaml(), "grid.yaml")
        assert not check.errors, check.lines()


def _a1(row: int, column: int) -> str:
    return f"{chr(64 + column)}{row}"


# -- the command ------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LADDER_", "DATABASE_URL"))}
    return subprocess.run([LADDER, "framework", "import", *args], env=env, capture_output=True, text=True, timeout=60)


def test_several_files_make_one_framework_and_explain_says_where_every_cell_went(tmp_path):
    engineering = workbook(
        tmp_path / "eng.xlsx", {"Engineering": [["Competency", "Engineer", "Senior Engineer"], ["Craft", "Builds", "Designs"]]}
    )
    sales = tmp_path / "sales.csv"
    sales.write_text(
        "Competency,Account Executive,Sales Manager\nClosing,Closes deals,Coaches closing\n,stray,\nCraft,Sells,Plans\n"
    )
    target = tmp_path / "ladder.yaml"
    result = run(str(engineering), str(sales), "--name", "Acme", "--explain", "-o", str(target))
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(target.read_text())
    assert document["name"] == "Acme" and titles(document) == [
        ("Engineering", ["Engineer", "Senior Engineer"]),
        ("Sales", ["Account Executive", "Sales Manager"]),
    ]
    lines = result.stderr.splitlines()
    assert f"read {engineering}: sheet 'Engineering': levels as columns, competencies as rows" in lines
    assert "2 track(s), 4 level(s), 2 competencies, 0 section(s) of prose" in lines
    assert f"{engineering}:Engineering!C2: 'Designs' -> Engineering › Senior Engineer › Craft" in lines
    assert f"{sales}:B3: 'stray' -> NOT PLACED (no competency name in column A of its row)" in lines
    assert sum(1 for line in lines if " -> " in line) == 6 + 10
    assert run(str(target)).returncode == 1  # a framework file is checked, not imported


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("ladder.yaml", b"name: x\n", "is already a framework file: use `ladder framework check"),
        ("notes.pdf", b"%PDF-1.4", "is a PDF; Ladder does not read PDFs"),
        ("notes.txt", b"hello", "is not a file Ladder can import: use .xlsx, .xlsm, .ods, .csv, .tsv, .md or .html"),
        ("bad.ods", b"PK\x03\x04" + b"\0" * 60, "not a readable .ods"),
        ("missing.csv", None, "cannot read"),
        ("titles.csv", b"Competency,Junior,Senior\n", "found level titles ('Junior', 'Senior') but nothing placed under them"),
    ],
)
def test_what_cannot_be_imported_is_said_in_one_line(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run(str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("ladder: ") and says in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_track_row_repeated_over_its_titles_instead_of_merged(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text(
        ",Individual contributor,Individual contributor,Management\n"
        "Competency,Engineer,Senior Engineer,Engineering Manager\n"
        "Craft,Builds,Designs,Coaches\n"
    )
    document, draft = imported(path)
    assert titles(document) == [
        ("Individual contributor", ["Engineer", "Senior Engineer"]),
        ("Management", ["Engineering Manager"]),
    ]
    assert not draft.ledger.unplaced and set(places(draft).values()) == {1}


def test_a_competency_column_with_titles_of_its_own_words_is_still_a_matrix(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text("Competency,Explorer,Builder\nCraft,Tries things,Builds things\nCare,Listens,Helps\n")
    document, _ = imported(path)
    assert titles(document) == [("Main", ["Explorer", "Builder"])]


def test_sheet_chooses_one_sheet_of_a_workbook(tmp_path):
    def sheet(*titles: str) -> list[list[object]]:
        return [["Competency", *titles], ["Craft", *[f"{t} builds" for t in titles]]]

    path = workbook(
        tmp_path / "two.xlsx", {"IC": sheet("Engineer", "Senior Engineer"), "Management": sheet("Manager", "Director")}
    )
    draft = import_files([path], sheet="Management")
    assert [t.name for t in draft.tracks] == ["Management"]
    with pytest.raises(UnreadableFile, match="has no sheet 'Nope'; its sheets are: IC, Management"):
        import_files([path], sheet="Nope")
