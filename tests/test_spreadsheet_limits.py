"""`ladder framework import`'s bounds: zip bombs, XML bombs, huge sheets and huge CSV files are refused in one line, with
bounded work, before a parser (or the placing) sees them; arbitrary bytes never raise anything but UnreadableFile."""

from __future__ import annotations

import io
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.sheets import MAX_CELLS, MAX_COLUMNS, MAX_LINES, MAX_ROWS, read_sheets

LADDER = str(Path(sys.executable).parent / "ladder")
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _base_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["", "One", "Two"])
    book.active.append(["Craft", "a", "b"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BASE = _base_workbook()


def xlsx(path: Path, replace: dict[str, bytes] | None = None, level: int = 6) -> Path:
    """The two-level workbook above, with some of its parts replaced or added."""
    replace = replace or {}
    with (
        zipfile.ZipFile(io.BytesIO(BASE)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out,
    ):
        for name in source.namelist():
            out.writestr(name, replace.pop(name, source.read(name)))
        for name, data in replace.items():
            out.writestr(name, data)
    return path


def sheet_xml(rows: str, after: str = "") -> bytes:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData>{after}</worksheet>'.encode()


def _refused(path: Path, says: str) -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_sheets(path)
    assert says in str(refused.value) and "\n" not in str(refused.value), str(refused.value)


def test_the_base_workbook_imports(tmp_path):
    sheets = read_sheets(xlsx(tmp_path / "ok.xlsx"))
    assert sheets[0].cells == {(1, 2): "One", (1, 3): "Two", (2, 1): "Craft", (2, 2): "a", (2, 3): "b"}


def test_a_zip_bomb_is_refused_by_its_ratio_before_anything_is_decompressed(tmp_path):
    bomb = xlsx(tmp_path / "bomb.xlsx", {SHEET: b" " * (64 * 1024 * 1024)}, level=9)  # 64 MiB of spaces, 64 KB zipped
    assert bomb.stat().st_size < 1024 * 1024
    _refused(bomb, f"its part {SHEET} would decompress to")


def test_a_zip_that_declares_more_than_it_may_decompress_to_is_refused(tmp_path):
    path = xlsx(tmp_path / "big.xlsx")
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry
    struct.pack_into("<II", data, entry + 20, 2 * 1024 * 1024, 150 * 1024 * 1024)  # 2 MiB zipped, 150 MiB declared
    path.write_bytes(bytes(data))
    _refused(path, "would decompress to 150 MiB; Ladder opens workbooks of at most 100 MiB decompressed")


def test_the_zip_bomb_through_the_command_in_bounded_memory(tmp_path):
    bomb = xlsx(tmp_path / "bomb.xlsx", {SHEET: b"<" * (256 * 1024 * 1024)}, level=9)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))

    result = subprocess.run(
        [LADDER, "framework", "import", str(bomb)], capture_output=True, text=True, timeout=120, preexec_fn=cap
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("ladder: ") and "(a zip bomb?)" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_xml_entity_bomb_is_refused_for_its_document_type(tmp_path):
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    shared = f'<?xml version="1.0"?>{lol}<sst xmlns="{MAIN}"><si><t>&lol2;</t></si></sst>'.encode()
    _refused(xlsx(tmp_path / "lol.xlsx", {"xl/sharedStrings.xml": shared}), "it declares an XML document type")


def test_too_many_cells_are_refused_before_the_reader_builds_them(tmp_path):
    from openpyxl.utils import get_column_letter

    columns = [get_column_letter(c) for c in range(1, MAX_COLUMNS + 1)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in columns) + "</row>"
        for r in range(1, MAX_CELLS // MAX_COLUMNS + 2)
    )
    _refused(xlsx(tmp_path / "cells.xlsx", {SHEET: sheet_xml(rows)}), f"has more than {MAX_CELLS:,} cells")


def test_a_template_padded_with_formatted_empty_cells_is_read(tmp_path):
    """Templates are padded with hundreds of formatted empty rows (a published workbook has 106,000 such cells): they
    cost nothing to read and do not count as cells; only as XML elements, which are bounded."""
    row = "".join(f'<c r="{col}1" s="1"/>' for col in ("A", "B", "C", "D"))
    padding = "".join(f'<row r="{r}">{row.replace("1", str(r))}</row>' for r in range(3, MAX_CELLS // 2))
    table = '<row r="1"><c r="B1" t="inlineStr"><is><t>One</t></is></c></row>'
    table += '<row r="2"><c r="A2" t="inlineStr"><is><t>Craft</t></is></c><c r="B2" t="inlineStr"><is><t>a</t></is></c></row>'
    (sheet,) = read_sheets(xlsx(tmp_path / "padded.xlsx", {SHEET: sheet_xml(table + padding)}))
    assert sheet.cells == {(1, 2): "One", (2, 1): "Craft", (2, 2): "a"}


def test_a_merged_range_over_the_whole_sheet_is_refused(tmp_path):
    merged = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    one_cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    path = xlsx(tmp_path / "merged.xlsx", {SHEET: sheet_xml(one_cell, merged)})
    _refused(path, "merged ranges and links count")


def test_too_many_xml_elements_are_refused(tmp_path):
    filler = {f"xl/extra{n}.xml": b"<a>" + b"<b/>" * 250_000 + b"</a>" for n in range(5)}  # under 1 MiB each
    _refused(xlsx(tmp_path / "elements.xlsx", filler), "XML elements")


def test_a_sheet_spread_over_too_many_columns_or_rows(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{n}" for n in range(MAX_COLUMNS + 1)) + "\nCraft,a\n")
    _refused(wide, f"has content in {MAX_COLUMNS + 1:,} columns; Ladder reads at most {MAX_COLUMNS:,} columns")
    tall = tmp_path / "tall.csv"
    tall.write_text(",One\n" + "".join(f"Competency {n},x\n" for n in range(MAX_ROWS + 1)))
    _refused(tall, f"has content in {MAX_ROWS + 2:,} rows")


def test_a_huge_csv_field_or_too_many_lines(tmp_path):
    field = tmp_path / "field.csv"
    field.write_text(",One\nCraft," + "x" * 200_000 + "\n")
    _refused(field, "line 2: a record longer than 65,536 characters")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(',One\nCraft,"' + "x\n" * 100_000 + '"\n')  # one quoted field over 100,000 lines
    _refused(quoted, "a record longer than 65,536 characters")
    blank = tmp_path / "blank.csv"
    blank.write_text(",One\nCraft,a\n" + "\n" * MAX_LINES)
    _refused(blank, f"has more than {MAX_LINES:,} lines")


def test_a_file_that_never_ends_is_refused(tmp_path):
    _refused(Path("/dev/zero"), "is larger than 20 MiB; a competency matrix is far smaller")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from([".xlsx", ".csv", ".txt"]))
def test_any_bytes_are_read_or_refused_with_a_spreadsheet_error(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        sheets = read_sheets(path)
    except UnreadableFile:
        return
    assert all(sheet.cells for sheet in sheets)


_PARTS = st.sampled_from(
    ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", SHEET, "xl/sharedStrings.xml"]
    + ["xl/styles.xml"]
)
_XMLISH = st.sampled_from([b"<", b">", b"/", b"a", b'="1"', b'<c r="A1"/>', b"<row>", b"</row>", b"<sheetData>", b"&amp;", b" "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_PARTS, st.lists(_XMLISH, max_size=40).map(b"".join) | st.binary(max_size=200), max_size=5))
def test_any_workbook_with_damaged_parts_is_read_or_refused_with_a_spreadsheet_error(tmp_path, parts):
    path = xlsx(tmp_path / "damaged.xlsx", dict(parts))
    try:
        read_sheets(path)
    except UnreadableFile:
        pass


def _renamed(path: Path, sheet: bytes, name: str) -> Path:
    """The workbook with its sheet stored as ``name`` (any extension): the workbook's relationships and content types
    point at it there, which is all openpyxl goes by."""
    target = name.removeprefix("xl/").encode()
    with zipfile.ZipFile(io.BytesIO(BASE)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part in source.namelist():
            data = source.read(part)
            if part == SHEET:
                out.writestr(name, sheet)
            elif part in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                out.writestr(part, data.replace(b"worksheets/sheet1.xml", target))
            else:
                out.writestr(part, data)
    return path


def _import_capped(path: Path, megabytes: int = 512) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, megabytes * 1024 * 1024))

    return subprocess.run([LADDER, "framework", "import", str(path)], capture_output=True, text=True, timeout=60, preexec_fn=cap)


ONE_CELL = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize("name", ["xl/worksheets/sheet1.dat", "xl/worksheets/sheet1", "xl/media/image1.png"])
def test_a_sheet_stored_under_any_name_is_counted(tmp_path, name):
    """openpyxl finds a sheet through the workbook's relationships, whatever the part is called: a merged range over
    the whole sheet in a 5 KB file grew past 12 GB when only parts named .xml were counted."""
    merged = sheet_xml(ONE_CELL, '<mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>')
    path = _renamed(tmp_path / "merged.xlsx", merged, name)
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["Sheet"]  # a reader does find it there
    result = _import_capped(path)
    assert result.returncode == 1 and result.stdout == "", result.stderr[-500:]
    assert "has more than 100,000 cells (cells with a value, merged ranges and links count)" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_cells_in_a_sheet_not_named_xml_are_counted(tmp_path):
    from openpyxl.utils import get_column_letter

    columns = [get_column_letter(c) for c in range(1, MAX_COLUMNS + 1)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in columns) + "</row>"
        for r in range(1, MAX_CELLS // MAX_COLUMNS + 2)
    )
    _refused(_renamed(tmp_path / "cells.xlsx", sheet_xml(rows), "xl/worksheets/sheet1.bin"), f"has more than {MAX_CELLS:,} cells")


def test_a_hyperlink_over_the_whole_sheet_is_counted_as_the_cells_openpyxl_makes_for_it(tmp_path):
    link = '<hyperlinks><hyperlink ref="A1:XFD1048576" display="x" location="Sheet!A1"/></hyperlinks>'
    result = _import_capped(xlsx(tmp_path / "link.xlsx", {SHEET: sheet_xml(ONE_CELL, link)}))
    assert result.returncode == 1 and f"has more than {MAX_CELLS:,} cells" in result.stderr, result.stderr[-500:]


def test_two_cells_far_apart_are_refused_without_walking_the_rectangle_between_them(tmp_path):
    """A1 and XFD1048576: reading the sheet cell by cell would walk 17 billion positions; it is refused in one line."""
    far = ONE_CELL + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
    path = xlsx(tmp_path / "far.xlsx", {SHEET: sheet_xml(far)})
    script = f"from bot.cli import main; raise SystemExit(main(['framework', 'import', {str(path)!r}]))"

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, preexec_fn=cap)
    assert result.returncode == 1 and "reaches cell XFD1048576" in result.stderr, result.stderr[-500:]
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_damaged_xml_part_is_refused_whatever_its_name_and_a_binary_part_is_not_read(tmp_path):
    damaged = _renamed(tmp_path / "damaged.xlsx", sheet_xml(ONE_CELL)[:-20], "xl/worksheets/sheet1.dat")
    _refused(damaged, "its part xl/worksheets/sheet1.dat is damaged XML; open it in your spreadsheet app and save it again")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert read_sheets(xlsx(tmp_path / "picture.xlsx", {"xl/media/image1.png": png}))[0].cells[(2, 1)] == "Craft"


def test_an_alias_longer_than_a_framework_allows_is_left_out_and_said(tmp_path):
    from bot.framework.loader import check_framework_text
    from bot.framework.reading.files import import_files

    long = "Senior " * 20  # 140 characters
    matrix = tmp_path / "m.csv"
    matrix.write_text(f'Title,Aliases,Craft\nEngineer,"E1, {long}",Writes code\nSenior,S1,Designs\n')
    draft = import_files([matrix], "Acme")
    document = draft.document()
    assert [lv.get("aliases") for lv in document["tracks"][0]["levels"]] == [["E1"], ["S1"]]
    assert f"Main › Engineer has another name longer than 100 characters, left out: '{long.strip()[:59]}…'" in draft.decisions
    assert check_framework_text(draft.yaml(), "acme.yaml").errors == []
