"""Reading spreadsheets (.xlsx/.xlsm, .ods, .csv/.tsv) into grids of text, with bounded work.

Every file is refused in one line, before a parser builds anything from it, when it is larger than a competency
matrix could be: the bytes read, the parts of a zip container and what they decompress to, the XML elements, the
cells (formatted empty ones and merged or repeated ranges count), and the rows and columns one sheet spans. What is
read is a :class:`Sheet` per sheet: the text of each cell with content, and where merged cells cover others.
Placing a grid into a framework is :mod:`bot.framework.reading.grids`' work.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from bot.framework.reading.errors import UnreadableFile
from bot.user_files import SAVE_AS_CSV_UTF8, FileTooLarge, NotText, RecordTooLong, csv_records, csv_text, read_at_most, size_text

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A competency matrix is a few hundred kilobytes at most; a larger file is not one."""
MAX_ROWS = 2_000
"""Rows with content in one sheet (a 200-level ladder as rows has about 200)."""
MAX_COLUMNS = 500
"""Columns with content in one sheet (a 200-level ladder as columns has about 200)."""
MAX_CELLS = 100_000
"""Cells in a workbook: with a value (a 200-level, 20-competency matrix has about 5,000), plus every cell a merged
range or a hyperlink's range covers; in an .ods, every cell with content a repeat count stands for. Formatted empty
cells, which templates are padded with by the thousand, cost nothing to read and are bounded as XML elements."""
MAX_LINES = 100_000
"""Lines (records) read from a CSV matrix, blank ones included."""
MAX_RECORD = 65_536
"""Characters in one CSV record: Excel itself stops a cell at 32,767."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""What an .xlsx's or .ods's parts may decompress to, together (a zip bomb decompresses to gigabytes)."""
MAX_RATIO = 100
"""How many times its compressed size a part over 1 MiB may decompress to; a spreadsheet's XML compresses 5-20 times."""
MAX_PARTS = 2_000
"""Files inside an .xlsx (a workbook of 200 sheets has about 420)."""
MAX_XML_ELEMENTS = 1_000_000
"""XML elements in an .xlsx's or .ods's parts, together: the parsers build objects for most of them."""

KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".csv": "csv", ".tsv": "tsv"}
"""The spreadsheet files read here, by suffix (the content decides where it disagrees)."""


@dataclass
class Sheet:
    """One sheet's text: ``cells`` holds each cell with content at (row, column), both from 1; a merged range's text
    is in its top-left cell only, and ``spans`` maps every other cell the range covers to that corner."""

    name: str
    cells: dict[tuple[int, int], str]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def get(self, row: int | None, column: int) -> str:
        """The text shown at (row, column): a merged range's text in every cell it covers; "" for an empty cell."""
        if row is None:
            return ""
        return self.cells.get((row, column)) or self.cells.get(self.spans.get((row, column), (0, 0)), "")

    def origin(self, row: int, column: int) -> tuple[int, int]:
        """The cell whose text shows at (row, column): itself, or the corner of the merged range covering it."""
        return self.spans.get((row, column), (row, column))


def spreadsheet_kind(path: Path, head: bytes) -> str | None:
    """ "xlsx", "ods", "csv" or "tsv" when the file is a spreadsheet this module reads (by its content where that says,
    else by its suffix), None otherwise."""
    if head[:4] == b"PK\x03\x04":
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:128]:
            return "ods"
        return KINDS.get(path.suffix.lower()) if path.suffix.lower() in (".xlsx", ".xlsm", ".ods") else "xlsx"
    return KINDS.get(path.suffix.lower())


def read_sheets(path: str | Path, sheet: str | None = None) -> list[Sheet]:
    """The sheets of an .xlsx, .ods, .csv or .tsv file that have content, each bounded (see the MAX_ constants): a file
    past a bound is refused in one line, with bounded work, whatever it holds. ``sheet`` keeps that sheet only."""
    path = Path(path)
    try:
        data = read_at_most(path, MAX_FILE_BYTES, "a competency matrix")
    except FileTooLarge:
        raise UnreadableFile(f"{path} is larger than {size_text(MAX_FILE_BYTES)}; a competency matrix is far smaller") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None
    if not data:
        raise UnreadableFile(f"{path} is empty")
    suffix = path.suffix.lower()
    if (
        data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):  # an OLE container: a password-protected (encrypted) or legacy .xls workbook
        raise UnreadableFile(
            f"{path} is password-protected or an old .xls file; save it unprotected as .xlsx (or export CSV) and try again"
        )
    kind = spreadsheet_kind(path, data[:128])
    if kind in ("csv", "tsv") and data[:4] != b"PK\x03\x04":
        sheets = [_csv_sheet(data, path, "\t" if kind == "tsv" else None)]
    elif kind == "ods" and data[:4] == b"PK\x03\x04":
        sheets = _ods_sheets(data, path)
    elif data[:4] == b"PK\x03\x04":
        sheets = _xlsx_sheets(data, path)
    elif suffix in (".xlsx", ".xlsm", ".ods"):
        raise UnreadableFile(
            f"{path} is named {suffix} but is not a workbook inside; export it from your spreadsheet app as .xlsx or .csv"
        )
    else:
        raise UnreadableFile(f"{path} is not a spreadsheet Ladder can read: use .xlsx, .ods or .csv")
    if sheet is not None:
        chosen = [s for s in sheets if s.name == sheet]
        if not chosen:
            raise UnreadableFile(f"{path} has no sheet '{sheet}'; its sheets are: {', '.join(s.name for s in sheets)}")
        sheets = chosen
    sheets = [s for s in sheets if s.cells]
    if not sheets:
        raise UnreadableFile(f"{path} has no cells with content")
    for each in sheets:
        _check_extent(path, each)
    return sheets


def _check_extent(path: Path, sheet: Sheet) -> None:
    """Placing walks a sheet's rows and columns with content: both are bounded."""
    rows, columns = len({r for r, _ in sheet.cells}), len({c for _, c in sheet.cells})
    for count, limit, noun in ((rows, MAX_ROWS, "rows"), (columns, MAX_COLUMNS, "columns")):
        if count > limit:
            raise UnreadableFile(
                f"{path}: sheet '{sheet.name}' has content in {count:,} {noun}; Ladder reads at most {limit:,} {noun} "
                "per sheet (a competency matrix has a few hundred at most)"
            )


# -- CSV and TSV ------------------------------------------------------------------------------


def _csv_sheet(data: bytes, path: Path, delimiter: str | None) -> Sheet:
    try:
        text = csv_text(data, path, SAVE_AS_CSV_UTF8 + ", or as .xlsx")
    except NotText as exc:
        raise UnreadableFile(str(exc)) from None
    if not delimiter:
        try:  # the delimiter only: the sniffer's other guesses (quoting, escapes) fail on multi-line quoted cells
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","

    class dialect(csv.excel):  # noqa: N801 - a csv dialect is a class
        pass

    dialect.delimiter = delimiter
    cells = {}
    try:
        for r, row in enumerate(csv_records(text, dialect, MAX_RECORD), start=1):
            if r > MAX_LINES:
                raise UnreadableFile(f"{path} has more than {MAX_LINES:,} lines; a competency matrix has a few hundred at most")
            for c, value in enumerate(row, start=1):
                value = _clean(value)
                if value:
                    cells[(r, c)] = value
            if len(cells) > MAX_CELLS:
                raise UnreadableFile(
                    f"{path} has more than {MAX_CELLS:,} cells with content; a competency matrix has a few thousand"
                )
    except RecordTooLong as exc:
        raise UnreadableFile(f"{path}, {exc}; a competency matrix's cells are far shorter") from None
    except csv.Error as exc:
        raise UnreadableFile(f"{path} is not a readable CSV file ({exc})") from None
    return Sheet(path.stem, cells)


# -- .xlsx ------------------------------------------------------------------------------------


def _xlsx_sheets(data: bytes, path: Path) -> list[Sheet]:
    """An .xlsx workbook, read by python-calamine (which skips formatted empty cells, the hundreds of rows a template
    is padded with) after a bounded pass over its XML that refuses what would be too much work to build."""
    archive = _open_zip(data, path, ".xlsx workbook")
    merged = _xlsx_layout(archive, path)
    return _calamine_sheets(data, path, ".xlsx workbook", merged)


def _calamine_sheets(
    data: bytes, path: Path, what: str, merged: dict[str, list[tuple[int, int, int, int]]] | None = None
) -> list[Sheet]:
    """The worksheets python-calamine reads from ``data``; ``merged`` gives merged ranges by sheet name as (first row,
    first column, rows, columns) where calamine does not (an .ods)."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency of the package; said plainly if an install lacks it
        raise UnreadableFile(f"{path}: reading a {what} needs python-calamine (pip install python-calamine)") from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for metadata in workbook.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # a chart sheet holds no cells
            sheet = workbook.get_sheet_by_name(metadata.name)
            cells: dict[tuple[int, int], str] = {}
            first_row, first_column = sheet.start or (0, 0)
            for r, values in enumerate(sheet.iter_rows(), start=first_row + 1):
                for c, value in enumerate(values, start=first_column + 1):
                    text = _text(value)
                    if text:
                        cells[(r, c)] = text
            ranges = list((merged or {}).get(metadata.name, []))
            for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
                ranges.append((top + 1, left + 1, bottom - top + 1, right - left + 1))
            spans: dict[tuple[int, int], tuple[int, int]] = {}
            for row, column, height, width in ranges:
                if (row, column) in cells:
                    for r in range(row, row + height):
                        for c in range(column, column + width):
                            if (r, c) != (row, column):
                                spans[(r, c)] = (row, column)
            sheets.append(Sheet(metadata.name, cells, spans))
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - calamine raises its own kinds on damaged files; all mean the same to a person
        raise UnreadableFile(f"{path} is not a readable {what} (damaged, or another kind of file)") from None
    return sheets


def _open_zip(data: bytes, path: Path, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_parts(archive, path)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
        raise UnreadableFile(f"{path} is not a readable {what} (damaged, or another kind of file)") from None
    return archive


def _check_parts(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before anything is decompressed. Python's zipfile stops
    every part at its declared size (and fails its checksum beyond), so what is read later cannot exceed them."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise UnreadableFile(f"{path} holds {len(parts):,} files; a workbook holds far fewer (at most {MAX_PARTS:,})")
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise UnreadableFile(
                f"{path} is not a workbook Ladder will open: its part {part.filename} would decompress to {ratio:,.0f} times "
                f"its size (a zip bomb?); a spreadsheet compresses {MAX_RATIO} times at most"
            )
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"{path} would decompress to {size_text(total)}; Ladder opens workbooks of at most {size_text(MAX_UNPACKED_BYTES)} "
            "decompressed (a competency matrix is a few megabytes)"
        )


_SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)


_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_layout(archive: zipfile.ZipFile, path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Stream every part once, whatever its name (a reader finds parts through the relationships, not by extension),
    counting elements, cells with a value and the areas of merged ranges and hyperlinks, and following each cell's
    position, stopping at the first bound; then refuse a sheet whose values reach past a matrix's rows or columns
    (two values at A1 and XFD1048576 would make a reader allocate the 17 billion positions between them). A document
    type declaration, which a workbook never has (it is how XML entity bombs are made), is refused, and so is a part
    that starts as XML and is not well-formed. Merged ranges come from calamine itself: none are returned here."""
    counts = {"elements": 0, "cells": 0}
    extents: dict[str, tuple[int, int]] = {}  # part -> the farthest row and column holding a value
    names: dict[str, str] = {}  # relationship id -> sheet name, from xl/workbook.xml
    targets: dict[str, str] = {}  # relationship id -> part, from the workbook's relationships
    position = {"row": 0, "column": 0, "value": 0}
    part_name = [""]

    def start(name: str, attributes: dict[str, str]) -> None:
        _count_element(counts, path)
        namespace, _, local = name.rpartition(" ")
        if namespace in _SPREADSHEET_NAMESPACES:
            if local == "row":
                position["row"] = _number(attributes.get("r"), position["row"] + 1)
                position["column"] = 0
            elif local == "c":
                row, column = _reference(attributes.get("r", ""))
                position["row"] = row or position["row"]
                position["column"] = column or position["column"] + 1
                position["value"] = 0
            elif local in ("v", "is"):
                position["value"] = 1
            elif local in ("mergeCell", "hyperlink"):
                _add_cells(counts, _area(attributes.get("ref", "")), path)
            elif local == "sheet" and f"{_OFFICE_RELATIONSHIPS} id" in attributes:
                names[attributes[f"{_OFFICE_RELATIONSHIPS} id"]] = attributes.get("name", "")
        elif namespace == _RELATIONSHIPS and local == "Relationship" and part_name[0].startswith("xl/_rels/workbook"):
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    def end(name: str) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace in _SPREADSHEET_NAMESPACES and local == "c" and position["value"]:
            _add_cells(counts, 1, path)
            far_row, far_column = extents.get(part_name[0], (0, 0))
            extents[part_name[0]] = (max(far_row, position["row"]), max(far_column, position["column"]))

    for part in archive.infolist():
        part_name[0] = part.filename
        position.update(row=0, column=0, value=0)
        _parse_part(archive, part, path, ".xlsx workbook", start, end)
    sheet_names = {_part_of(target): names[key] for key, target in targets.items() if key in names}
    for sheet_part, (row, column) in extents.items():
        if row > MAX_ROWS or column > MAX_COLUMNS:
            from openpyxl.utils import get_column_letter

            sheet = sheet_names.get(sheet_part, sheet_part)
            raise UnreadableFile(
                f"{path}: sheet {sheet!r} reaches cell {get_column_letter(min(column, 18_278))}{row}; a competency matrix "
                f"spans at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns (delete what lies beyond it and save again)"
            )
    return {}


def _add_cells(counts: dict[str, int], cells: int, path: Path) -> None:
    counts["cells"] += cells
    if counts["cells"] > MAX_CELLS:
        raise UnreadableFile(
            f"{path} has more than {MAX_CELLS:,} cells (cells with a value, merged ranges and links count); a competency "
            "matrix has a few thousand: delete what is not the matrix, or export the sheet as CSV"
        )


def _part_of(target: str) -> str:
    """A relationship's target in xl/_rels/workbook.xml.rels as the part's name in the zip."""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _reference(ref: str) -> tuple[int, int]:
    """ "B12" -> (12, 2); (0, 0) where it does not read as a cell reference."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    if not letters or not digits or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        return 0, 0
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(digits[:8]), column


def _count_element(counts: dict[str, int], path: Path) -> None:
    counts["elements"] += 1
    if counts["elements"] > MAX_XML_ELEMENTS:
        raise UnreadableFile(f"{path} holds more than {MAX_XML_ELEMENTS:,} XML elements; a competency matrix holds far fewer")


def _parse_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, path: Path, what: str, start: Any, end: Any = None) -> None:
    """Stream one part through expat with ``start`` (and ``end``) as element handlers; a document type declaration is
    refused, and so is damaged XML in a part that starts as XML (a binary part, an image, is skipped)."""
    from xml.parsers import expat

    def doctype(*_args: object) -> None:
        raise UnreadableFile(f"{path} is not a workbook Ladder will open: it declares an XML document type")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(part) as stream:
            head = stream.read(_CHUNK)
            try:
                chunk = head
                while chunk:
                    parser.Parse(chunk, False)
                    chunk = stream.read(_CHUNK)
                parser.Parse(b"", True)
            except expat.ExpatError:
                if _looks_like_xml(head):  # calamine's parser fails on it too
                    raise UnreadableFile(
                        f"{path} is not a readable {what}: its part {part.filename} is damaged XML; "
                        "open it in your spreadsheet app and save it again"
                    ) from None
                # not XML at all (an image, printer settings): no XML parser reads it
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
        raise UnreadableFile(f"{path} is not a readable {what} (damaged, or another kind of file)") from None


_CHUNK = 64 * 1024


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part starts as XML does (after a byte order mark and blanks, in UTF-8 or UTF-16/32), so that an XML
    parser would read it; an image or a binary part does not."""
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    return head[:256].replace(b"\x00", b"").lstrip().startswith(b"<")


def _area(ref: str) -> int:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0  # not a range: nothing is merged
    rows = (max_row or 1_048_576) - (min_row or 1) + 1  # "A:A" covers every row Excel has
    columns = (max_col or 16_384) - (min_col or 1) + 1
    return max(rows, 0) * max(columns, 0)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean(str(value))


def _clean(text: str) -> str:
    """A cell's text with its line ends as "\n" and no blanks at the end of a line or around the whole."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip() if "\n" in text else text.strip()


# -- .ods -------------------------------------------------------------------------------------

_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


class _OdsPosition(TypedDict):
    """Where a streaming pass over an .ods content.xml is: the sheet, row and column, and the current row's and cell's
    repeat counts and whether the cell holds content."""

    sheet: str
    row: int
    column: int
    row_repeat: int
    cell_repeat: int
    content: bool


@dataclass
class _OdsLayout:
    """What a bounded pass over an .ods's content finds before python-calamine reads it: each sheet's merged ranges."""

    spans: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    """Sheet name -> merged ranges as (first row, first column, rows, columns), from 1."""


def _ods_sheets(data: bytes, path: Path) -> list[Sheet]:
    """An OpenDocument spreadsheet, read by python-calamine after a bounded pass over its XML (the same bounds as an
    .xlsx: parts, sizes, elements, and the cells its repeat counts stand for)."""
    archive = _open_zip(data, path, ".ods spreadsheet")
    return _calamine_sheets(data, path, ".ods spreadsheet", _ods_layout(archive, path).spans)


def _ods_layout(archive: zipfile.ZipFile, path: Path) -> _OdsLayout:
    """One streaming pass over every part: elements counted, and in content.xml the position of every cell followed
    through its repeat counts, so that a sheet whose content reaches past a matrix's bounds, or repeats a cell with
    content more times than a matrix has cells, is refused before calamine builds it."""
    layout = _OdsLayout()
    counts = {"elements": 0, "cells": 0}
    state: _OdsPosition = {"sheet": "", "row": 0, "column": 0, "row_repeat": 1, "cell_repeat": 1, "content": False}
    cell_attributes: dict[str, str] = {}
    row_cells: list[tuple[int, int]] = []  # (column, repeat) of cells with content in the current row

    def start(name: str, attributes: dict[str, str]) -> None:
        _count_element(counts, path)
        namespace, _, local = name.rpartition(" ")
        if namespace == _ODS_TABLE and local == "table":
            state.update({"sheet": attributes.get(f"{_ODS_TABLE} name", ""), "row": 0})
            layout.spans.setdefault(state["sheet"], [])
        elif namespace == _ODS_TABLE and local == "table-row":
            state.update({"column": 0, "row_repeat": _repeat(attributes.get(f"{_ODS_TABLE} number-rows-repeated"))})
            row_cells.clear()
        elif namespace == _ODS_TABLE and local in ("table-cell", "covered-table-cell"):
            cell_attributes.clear()
            cell_attributes.update(attributes)
            state.update(
                {
                    "cell_repeat": _repeat(attributes.get(f"{_ODS_TABLE} number-columns-repeated")),
                    "content": f"{_ODS_OFFICE} value-type" in attributes,
                }
            )
            spanned = (
                attributes.get(f"{_ODS_TABLE} number-rows-spanned"),
                attributes.get(f"{_ODS_TABLE} number-columns-spanned"),
            )
            if local == "table-cell" and any(spanned):
                height, width = _repeat(spanned[0]), _repeat(spanned[1])
                if height * width > MAX_CELLS:
                    raise UnreadableFile(
                        f"{path} has a merged range of {height * width:,} cells; a competency matrix has a few thousand"
                    )
                layout.spans[state["sheet"]].append((state["row"] + 1, state["column"] + 1, height, width))
        elif namespace == _ODS_TEXT and local == "p":
            state["content"] = True

    def end(name: str) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace == _ODS_TABLE and local in ("table-cell", "covered-table-cell"):
            if state["content"]:
                row_cells.append((state["column"] + 1, state["cell_repeat"]))
            state["column"] = state["column"] + state["cell_repeat"]
        elif namespace == _ODS_TABLE and local == "table-row":
            repeat = state["row_repeat"]
            if row_cells:
                counts["cells"] += repeat * sum(n for _, n in row_cells)
                last_row = state["row"] + repeat
                last_column = max(column + n - 1 for column, n in row_cells)
                if counts["cells"] > MAX_CELLS:
                    raise UnreadableFile(
                        f"{path} has more than {MAX_CELLS:,} cells with content (repeated cells count); a competency matrix "
                        "has a few thousand"
                    )
                if last_row > MAX_ROWS or last_column > MAX_COLUMNS:
                    raise UnreadableFile(
                        f"{path}: sheet {state['sheet']!r} has content down to row {last_row:,} or across to column "
                        f"{last_column:,}; a competency matrix spans at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns"
                    )
            state["row"] = state["row"] + repeat

    names = archive.namelist()
    if "content.xml" not in names:
        raise UnreadableFile(f"{path} is not a readable .ods spreadsheet (it has no content.xml)")
    for part in archive.infolist():
        if part.filename == "content.xml":
            _parse_part(archive, part, path, ".ods spreadsheet", start, end)
        else:
            _parse_part(archive, part, path, ".ods spreadsheet", lambda *_: _count_element(counts, path))
    return layout


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1
