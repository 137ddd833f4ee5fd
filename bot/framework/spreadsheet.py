"""From a competency-matrix spreadsheet to a framework file.

Organisations keep ladders as spreadsheets in a few common shapes, all handled here:
- levels as columns, competencies as rows (the first row holds level titles, the first column
  competency names; rows such as "Summary" or "Scope" describe the levels);
- the transposed shape, levels as rows (a "Level" or "Title" column, competencies across the top);
- one sheet per track, or the track given by a row, a column or a row of merged cells above the
  level titles;
- blank spacer rows and columns, a title line above the table, merged cells, cells with line
  breaks and bullets (kept exactly as written).
What the import cannot place is listed by sheet, row and column, and what a person must still
decide (equivalents, track membership, level order) is written into the file as comments.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.framework.names import normalize
from bot.framework.spec import MAX_ALIAS
from bot.user_files import SAVE_AS_CSV_UTF8, FileTooLarge, NotText, RecordTooLong, csv_records, csv_text, read_at_most, size_text

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A competency matrix is a few hundred kilobytes at most; a larger file is not one."""
MAX_ROWS = 2_000
"""Rows with content in one sheet (a 200-level ladder as rows has about 200)."""
MAX_COLUMNS = 500
"""Columns with content in one sheet (a 200-level ladder as columns has about 200)."""
MAX_CELLS = 100_000
"""Cells in a workbook: with content (a 200-level, 20-competency matrix has about 5,000), or in an .xlsx, any cell it
stores (formatted empty ones too: each costs openpyxl an object), and any cell covered by merged ranges or by a hyperlink's
range (openpyxl makes an object for each)."""
MAX_LINES = 100_000
"""Lines (records) read from a CSV matrix, blank ones included."""
MAX_RECORD = 65_536
"""Characters in one CSV record: Excel itself stops a cell at 32,767."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""What an .xlsx's parts may decompress to, together (a zip bomb decompresses to gigabytes)."""
MAX_RATIO = 100
"""How many times its compressed size a part over 1 MiB may decompress to; a spreadsheet's XML compresses 5-20 times."""
MAX_PARTS = 2_000
"""Files inside an .xlsx (a workbook of 200 sheets has about 420)."""
MAX_XML_ELEMENTS = 1_000_000
"""XML elements in an .xlsx's parts, together: openpyxl builds objects for most of them."""

ATTRIBUTES = {
    "summary": {"summary", "description", "overview", "about", "what it means", "definition", "purpose", "role summary"},
    "scope": {"scope", "scope of impact", "impact", "sphere of influence"},
    "decision_rights": {"decision rights", "decisions", "decision making", "authority", "decides"},
    "typical_time_in_level": {
        "typical time in level",
        "time in level",
        "typical tenure",
        "tenure",
        "years in level",
        "typical time",
    },
    "aliases": {"aliases", "also called", "other names", "level code", "code", "grade", "abbreviation"},
    "track": {"track", "ladder", "path", "career track"},
    "equivalent": {"equivalent", "parallel level", "equivalent level"},
}
TITLE_HEADERS = {"title", "titles", "job title", "level title", "role", "roles", "position", "name", "level name"}
LEVEL_HEADERS = TITLE_HEADERS | {"level", "levels", "level code", "code", "grade"}
COMPETENCY_HEADERS = {"competency", "competencies", "skill", "skills", "area", "areas", "dimension", "dimensions", "criteria", ""}
_GENERIC_SHEET = re.compile(r"^(sheet|tabelle|feuil|hoja|foglio)\s*\d*$", re.IGNORECASE)


class SpreadsheetError(ValueError):
    """The file cannot be imported at all; the message is one line a person can act on."""


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    column: int
    text: str

    @property
    def where(self) -> str:
        return f"sheet '{self.sheet}', row {self.row}, column {_column_letter(self.column)}"


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], str]

    def get(self, row: int | None, column: int) -> str:
        """The text at (row, column), or "" for an empty cell (or no row)."""
        return self.cells.get((row, column), "") if row is not None else ""


@dataclass
class _Level:
    title: str
    track: str
    where: Cell
    attributes: dict[str, str] = field(default_factory=dict)
    expectations: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    document: dict[str, Any]
    shapes: list[str]
    unplaced: list[Cell]
    decisions: list[str]

    def yaml(self) -> str:
        return _to_yaml(self)


# -- reading ----------------------------------------------------------------------------------


def read_spreadsheet(path: str | Path, sheet: str | None = None) -> list[Sheet]:
    """The sheets of an .xlsx or .csv file, each bounded (see the MAX_ constants): a file past a bound is refused in
    one line, with bounded work, whatever it holds."""
    path = Path(path)
    try:
        data = read_at_most(path, MAX_FILE_BYTES, "a competency matrix")
    except FileTooLarge:
        raise SpreadsheetError(f"{path} is larger than {size_text(MAX_FILE_BYTES)}; a competency matrix is far smaller") from None
    except OSError as exc:
        raise SpreadsheetError(f"cannot read {path}: {exc.strerror}") from None
    if not data:
        raise SpreadsheetError(f"{path} is empty")
    if path.suffix.lower() == ".csv":
        sheets = [_csv_sheet(data, path)]
    elif (
        data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):  # an OLE container: a password-protected (encrypted) or legacy .xls workbook
        raise SpreadsheetError(
            f"{path} is password-protected or an old .xls file; save it unprotected as .xlsx (or export CSV) and try again"
        )
    elif data[:4] == b"PK\x03\x04":
        sheets = _xlsx_sheets(data, path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise SpreadsheetError(
            f"{path} is named .xlsx but is not an Excel workbook inside; export it from your spreadsheet app as .xlsx or .csv"
        )
    else:
        raise SpreadsheetError(f"{path} is not a spreadsheet Ladder can read: use .xlsx or .csv")
    if sheet is not None:
        chosen = [s for s in sheets if s.name == sheet]
        if not chosen:
            raise SpreadsheetError(f"{path} has no sheet '{sheet}'; its sheets are: {', '.join(s.name for s in sheets)}")
        sheets = chosen
    sheets = [s for s in sheets if s.cells]
    if not sheets:
        raise SpreadsheetError(f"{path} has no cells with content")
    for each in sheets:
        _check_extent(path, each)
    return sheets


def _check_extent(path: Path, sheet: Sheet) -> None:
    """Placing walks a sheet's rows × columns with content: both are bounded."""
    rows, columns = len({r for r, _ in sheet.cells}), len({c for _, c in sheet.cells})
    for count, limit, noun in ((rows, MAX_ROWS, "rows"), (columns, MAX_COLUMNS, "columns")):
        if count > limit:
            raise SpreadsheetError(
                f"{path}: sheet '{sheet.name}' has content in {count:,} {noun}; Ladder reads at most {limit:,} {noun} "
                "per sheet (a competency matrix has a few hundred at most)"
            )


def _csv_sheet(data: bytes, path: Path) -> Sheet:
    try:
        text = csv_text(data, path, SAVE_AS_CSV_UTF8 + ", or as .xlsx")
    except NotText as exc:
        raise SpreadsheetError(str(exc)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    cells = {}
    try:
        for r, row in enumerate(csv_records(text, dialect, MAX_RECORD), start=1):
            if r > MAX_LINES:
                raise SpreadsheetError(f"{path} has more than {MAX_LINES:,} lines; a competency matrix has a few hundred at most")
            for c, value in enumerate(row, start=1):
                if value.strip():
                    cells[(r, c)] = value.strip()
            if len(cells) > MAX_CELLS:
                raise SpreadsheetError(
                    f"{path} has more than {MAX_CELLS:,} cells with content; a competency matrix has a few thousand"
                )
    except RecordTooLong as exc:
        raise SpreadsheetError(f"{path}, {exc}; a competency matrix's cells are far shorter") from None
    except csv.Error as exc:
        raise SpreadsheetError(f"{path} is not a readable CSV file ({exc})") from None
    return Sheet(path.stem, cells)


def _xlsx_sheets(data: bytes, path: Path) -> list[Sheet]:
    import zipfile

    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_parts(archive, path)
        _count_elements(archive, path)
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
        raise SpreadsheetError(f"{path} is not a readable .xlsx workbook (damaged, or another kind of file)") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files; all mean the same to a person
        raise SpreadsheetError(f"{path} is not a readable .xlsx workbook (damaged, or another kind of file)") from None
    sheets = []
    for worksheet in workbook.worksheets:
        # iter_rows() walks the whole rectangle up to the farthest cell the sheet stores, which two cells (A1 and
        # XFD1048576) stretch over 17 billion positions: a sheet reaching past a matrix's bounds is refused first.
        if worksheet.max_row > MAX_ROWS or worksheet.max_column > MAX_COLUMNS:
            corner = f"{get_column_letter(worksheet.max_column)}{worksheet.max_row}"
            raise SpreadsheetError(
                f"{path}: sheet {worksheet.title!r} reaches cell {corner}; a competency matrix spans at most {MAX_ROWS:,} rows "
                f"and {MAX_COLUMNS} columns (delete what lies beyond it, formatting too, and save again)"
            )
        cells: dict[tuple[int, int], str] = {}
        for row, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            for column, value in enumerate(values, start=1):
                text = _text(value)
                if text:
                    cells[(row, column)] = text
        for merged in worksheet.merged_cells.ranges:  # a merged cell holds its value in its top-left corner only
            value = cells.get((merged.min_row, merged.min_col))
            if value:
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        cells[(r, c)] = value
        sheets.append(Sheet(worksheet.title, cells))
    return sheets


def _check_parts(archive: Any, path: Path) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before anything is decompressed. Python's zipfile stops
    every part at its declared size (and fails its checksum beyond), so what is read later cannot exceed them."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise SpreadsheetError(f"{path} holds {len(parts):,} files; a workbook holds far fewer (at most {MAX_PARTS:,})")
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise SpreadsheetError(
                f"{path} is not a workbook Ladder will open: its part {part.filename} would decompress to {ratio:,.0f} times "
                f"its size (a zip bomb?); a spreadsheet compresses {MAX_RATIO} times at most"
            )
    if total > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f"{path} would decompress to {size_text(total)}; Ladder opens workbooks of at most {size_text(MAX_UNPACKED_BYTES)} "
            "decompressed (a competency matrix is a few megabytes)"
        )


_SPREADSHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)


def _count_elements(archive: Any, path: Path) -> None:
    """Stream every part once, whatever its name, counting what openpyxl would build from it (elements, cells, the areas
    of merged ranges and hyperlinks) and stopping at the first bound. A document type declaration, which a workbook never
    has (it is how XML entity bombs are made), is refused, and so is a part that starts as XML and is not well-formed."""
    from xml.parsers import expat

    counts = {"elements": 0, "cells": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        counts["elements"] += 1
        if counts["elements"] > MAX_XML_ELEMENTS:
            raise SpreadsheetError(
                f"{path} holds more than {MAX_XML_ELEMENTS:,} XML elements; a competency matrix holds far fewer"
            )
        namespace, _, local = name.rpartition(" ")
        if namespace in _SPREADSHEET_NAMESPACES and local in ("c", "mergeCell", "hyperlink"):
            # openpyxl makes a cell for every position a merged range or a hyperlink's range covers
            counts["cells"] += 1 if local == "c" else _area(attributes.get("ref", ""))
            if counts["cells"] > MAX_CELLS:
                raise SpreadsheetError(
                    f"{path} has more than {MAX_CELLS:,} cells (formatted empty cells and merged ranges count); a competency "
                    "matrix has a few thousand: clear the formatting of unused rows and columns, or export the sheet as CSV"
                )

    def doctype(*_args: object) -> None:
        raise SpreadsheetError(f"{path} is not a workbook Ladder will open: it declares an XML document type")

    for part in archive.infolist():  # whatever its name: openpyxl finds parts through the relationships, not by extension
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = doctype
        with archive.open(part) as stream:
            head = stream.read(_CHUNK)
            try:
                chunk = head
                while chunk:
                    parser.Parse(chunk, False)
                    chunk = stream.read(_CHUNK)
                parser.Parse(b"", True)
            except expat.ExpatError:
                if _looks_like_xml(head):  # openpyxl's parser is expat too: what fails here fails there
                    raise SpreadsheetError(
                        f"{path} is not a readable .xlsx workbook: its part {part.filename} is damaged XML; "
                        "open it in your spreadsheet app and save it again"
                    ) from None
                # not XML at all (an image, printer settings): no XML parser reads it


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
        return 0  # openpyxl refuses it when it reads the sheet
    rows = (max_row or 1_048_576) - (min_row or 1) + 1  # "A:A" covers every row Excel has
    columns = (max_col or 16_384) - (min_col or 1) + 1
    return max(rows, 0) * max(columns, 0)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# -- placing ----------------------------------------------------------------------------------


def import_matrix(sheets: list[Sheet], name: str | None, fallback_name: str = "Imported ladder") -> ImportResult:
    """``name`` as given, else the title line above the first table, else ``fallback_name``."""
    levels: list[_Level] = []
    competencies: dict[str, str] = {}  # normalised name -> name as written
    unplaced: list[Cell] = []
    shapes: list[str] = []
    decisions: list[str] = []
    several = len(sheets) > 1
    captions: list[str] = []
    sheets = [sheet for sheet in sheets if sheet.cells]
    for sheet in sheets:
        shape, found, caption = _read_table(sheet, several, competencies, unplaced)
        shapes.append(f"sheet '{sheet.name}': {shape}")
        levels += found
        captions += [caption] if caption else []
    name = name or (captions[0] if captions else fallback_name)
    if not levels:
        raise SpreadsheetError(
            "found no level titles: put them in the first row (levels as columns) or under a 'Title' heading (levels as rows)"
        )
    if not any(level.attributes or level.expectations for level in levels):
        titles = ", ".join(f"'{level.title}'" for level in levels[:4]) + (", …" if len(levels) > 4 else "")
        raise SpreadsheetError(
            f"found level titles ({titles}) but nothing placed under them ({len(unplaced)} cells left over): "
            "competency names or 'Summary'/'Scope' labels belong in the first column, level titles in the first row, or the other way round"
        )
    tracks = list(dict.fromkeys(level.track for level in levels))
    if len(tracks) == 1:
        decisions.append(
            f"All levels were put on one track, '{tracks[0]}'. If your ladder has several (e.g. individual contributor and management), move levels into a track each."
        )
    decisions.append("Levels are listed in the spreadsheet's order; each track must list its levels lowest first.")
    document = _document(name, levels, competencies, decisions)
    return ImportResult(document, shapes, unplaced, decisions)


def _read_table(
    sheet: Sheet, several: bool, competencies: dict[str, str], unplaced: list[Cell]
) -> tuple[str, list[_Level], str | None]:
    rows = sorted({r for r, _ in sheet.cells})
    get = sheet.get
    first_row = [c for (r, c) in sheet.cells if r == rows[0]]
    # A title line above the table ("Engineering career ladder") is a caption, not content to place.
    top = 1 if len(rows) > 1 and len(first_row) == 1 and len({c for (r, c) in sheet.cells if r != rows[0]}) > 1 else 0
    caption = get(rows[0], first_row[0]) if top else None
    columns = sorted({c for (r, c) in sheet.cells if r in rows[top:]})  # the table's own columns, not the caption's
    group_row = None
    if len(rows) > top + 1:
        first = [get(rows[top], c) for c in columns[1:]]
        second = [get(rows[top + 1], c) for c in columns[1:]]
        if (
            first
            and len(set(filter(None, first))) < len([v for v in first if v])
            and len(set(filter(None, second))) == len([v for v in second if v]) > 1
        ):
            group_row = rows[top]  # merged cells naming tracks above the level titles
            top += 1
    header_row = rows[top]
    body_rows = rows[top + 1 :]
    header = {c: get(header_row, c) for c in columns}
    first_column = {r: get(r, columns[0]) for r in body_rows}
    score_rows = sum(1 for c in columns if _attribute(header[c])) + 2 * sum(
        1 for c in columns if normalize(header[c]) in LEVEL_HEADERS
    )
    score_columns = sum(1 for r in body_rows if _attribute(first_column[r])) + (
        normalize(header[columns[0]]) in COMPETENCY_HEADERS
    )
    default_track = sheet.name if several or not _GENERIC_SHEET.match(sheet.name) else "Main"
    if score_rows > score_columns:
        return (
            "levels as rows, competencies as columns",
            _levels_as_rows(sheet, header_row, body_rows, columns, default_track, competencies, unplaced),
            caption,
        )
    found = _levels_as_columns(sheet, header_row, group_row, body_rows, columns, default_track, competencies, unplaced)
    return (
        "levels as columns, competencies as rows" + (", tracks from merged cells above the titles" if group_row else ""),
        found,
        caption,
    )


def _levels_as_columns(sheet, header_row, group_row, body_rows, columns, default_track, competencies, unplaced) -> list[_Level]:
    get = sheet.get
    levels: dict[int, _Level] = {}
    for c in columns[1:]:
        title = get(header_row, c)
        if title:
            track = get(group_row, c) or default_track
            levels[c] = _Level(title, track, Cell(sheet.name, header_row, c, title))
    for r in body_rows:
        label = get(r, columns[0])
        attribute = _attribute(label)
        for c in columns[1:]:
            text = get(r, c)
            if not text:
                continue
            if c not in levels or not label:
                unplaced.append(Cell(sheet.name, r, c, text))
            elif attribute == "track":
                levels[c].track = text
            elif attribute:
                levels[c].attributes[attribute] = text
            else:
                competencies.setdefault(normalize(label), label)
                levels[c].expectations[label] = text
    return list(levels.values())


def _levels_as_rows(sheet, header_row, body_rows, columns, default_track, competencies, unplaced) -> list[_Level]:
    get = sheet.get
    headings = {c: normalize(get(header_row, c)) for c in columns}
    title_column = next((c for c in columns if headings[c] in TITLE_HEADERS), None)
    title_column = title_column or next((c for c in columns if headings[c] in LEVEL_HEADERS), columns[0])
    levels = []
    for r in body_rows:
        title = get(r, title_column)
        if not title:
            unplaced += [Cell(sheet.name, r, c, get(r, c)) for c in columns if get(r, c)]
            continue
        level = _Level(title, default_track, Cell(sheet.name, r, title_column, title))
        for c in columns:
            text, label = get(r, c), get(header_row, c)
            if c == title_column or not text:
                continue
            attribute = "aliases" if headings[c] in LEVEL_HEADERS else _attribute(label)
            if not label:
                unplaced.append(Cell(sheet.name, r, c, text))
            elif attribute == "track":
                level.track = text
            elif attribute == "aliases":
                level.attributes["aliases"] = ", ".join(filter(None, [level.attributes.get("aliases"), text]))
            elif attribute:
                level.attributes[attribute] = text
            else:
                competencies.setdefault(normalize(label), label)
                level.expectations[label] = text
        levels.append(level)
    return levels


def _attribute(label: str) -> str | None:
    key = normalize(label)
    return next((name for name, words in ATTRIBUTES.items() if key in words), None)


# -- the framework file -----------------------------------------------------------------------


def _document(name: str, levels: list[_Level], competencies: dict[str, str], decisions: list[str]) -> dict[str, Any]:
    taken: set[str] = set()
    competency_ids = {key: _unique_id(label, taken) for key, label in competencies.items()}
    level_ids = [_unique_id(level.title, taken) for level in levels]
    by_title = {normalize(level.title): level_id for level, level_id in zip(levels, level_ids, strict=True)}
    track_ids: dict[str, str] = {}
    tracks: dict[str, dict[str, Any]] = {}
    for level, level_id in zip(levels, level_ids, strict=True):
        if level.track not in tracks:
            track_ids[level.track] = _unique_id(level.track, taken)
            tracks[level.track] = {"id": track_ids[level.track], "name": level.track, "levels": []}
        entry: dict[str, Any] = {"id": level_id, "title": level.title}
        aliases = level.attributes.pop("aliases", "")
        names = [a.strip() for a in re.split(r"[,;\n]", aliases) if a.strip()]
        if names:
            entry["aliases"] = [a for a in names if len(a) <= MAX_ALIAS]
            decisions += [
                f"'{level.title}' has an alias longer than {MAX_ALIAS} characters, left out: '{_one_line(a, 60)}'"
                for a in names
                if len(a) > MAX_ALIAS
            ]
        for key in ("summary", "scope", "decision_rights", "typical_time_in_level"):
            if level.attributes.get(key):
                entry[key] = level.attributes[key]
        if level.expectations:
            entry["expectations"] = {competency_ids[normalize(k)]: v for k, v in level.expectations.items()}
        equivalent = level.attributes.get("equivalent")
        if equivalent:
            target = by_title.get(normalize(equivalent))
            if target and target != level_id:
                entry["equivalent"] = target
            else:
                decisions.append(
                    f"'{level.title}' names '{equivalent}' as its equivalent, which is not a level title in the file."
                )
        tracks[level.track]["levels"].append(entry)
    if len(tracks) > 1 and not any("equivalent" in lv for t in tracks.values() for lv in t["levels"]):
        decisions.append("Equivalents between tracks: add `equivalent: LEVEL_ID` to levels that are parallel across tracks.")
    used: dict[str, set[str]] = {}
    for level in levels:
        for label in level.expectations:
            used.setdefault(normalize(label), set()).add(track_ids[level.track])
    return {
        "name": name,
        "competencies": [
            {"id": competency_ids[key], "name": label, "tracks": sorted(used.get(key, ())) if len(tracks) > 1 else []}
            for key, label in competencies.items()
        ],
        "tracks": list(tracks.values()),
    }


def _unique_id(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", normalize(text)).strip("_")[:56] or "item"
    base = base if base[0].isalpha() else f"x_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when PyYAML has it (several times faster), with multi-line text as literal blocks."""


def _text_block(dumper: Any, value: str) -> yaml.Node:
    lines = value.split("\n")
    if len(lines) > 1 and not any(line != line.rstrip() or "\t" in line for line in lines):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")  # line breaks and bullets, exactly
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text_block)


def _to_yaml(result: ImportResult) -> str:
    document = {k: v for k, v in result.document.items() if k != "competencies" or v}
    for competency in document.get("competencies", []):
        if not competency["tracks"]:
            del competency["tracks"]
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    header = [
        "# Imported by `ladder framework import`. The wording is the spreadsheet's own.",
        "# Detected: " + "; ".join(result.shapes) + ".",
    ]
    header += ["#", "# TO DECIDE before you use it:"] + [f"# - {line}" for line in result.decisions]
    if result.unplaced:
        header += ["#", "# Cells that could not be placed (add them by hand where they belong):"]
        header += [f"# - {cell.where}: {_one_line(cell.text)}" for cell in result.unplaced]
    header += ["#", "# Then: ladder framework check THIS_FILE", ""]
    return "\n".join(header) + body


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
