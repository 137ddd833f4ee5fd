"""A CSV file as a table of named columns, read with bounded work, and what each cell asks of the stored value."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Mapping, Sequence

from bot.framework.names import normalize
from bot.user_files import FileTooLarge, NotText, RecordTooLong, csv_records, csv_text, read_at_most

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest CSV an import reads (200,000 people with a handful of columns is about 16 MiB)."""
MAX_ROWS = 200_000
"""Rows an import reads, blank ones included."""
MAX_RECORD = 65_536
"""Characters in one row."""
CLEAR = "-"
"""A cell that clears an optional value. It cannot be a real one: no email, Slack id, level, name or date is "-"."""


class Cell(Enum):
    """What a cell asks for when it holds no value: leave the stored value alone, or clear it."""

    KEEP = "keep"
    CLEAR = "clear"


class TableError(ValueError):
    """The file cannot be imported at all; the message is one line a person can act on."""


@dataclass(frozen=True)
class Row:
    number: int
    """The row's line number in the file (the header is line 1), as people see it in a spreadsheet."""
    cells: Mapping[str, str]
    """The row's cells by column, stripped; a column the file does not have is absent."""
    width: int = 0
    """How many cells the row has up to its last non-empty one, when that is more than the header has (an unquoted
    comma in a value: every cell after it is one column off); 0 otherwise."""

    def get(self, column: str) -> str | Cell:
        """The cell's text; Cell.KEEP when the column is missing or the cell empty, Cell.CLEAR for the marker."""
        text = self.cells.get(column, "")
        return Cell.KEEP if not text else Cell.CLEAR if text == CLEAR else text


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    """The known columns the header names, in the import's order."""
    rows: list[Row]
    other: tuple[str, ...] = field(default=())
    """Header cells that name no known column, as written (an import ignores them, or takes them as attributes)."""


def read_table_file(path: str | Path, known: Mapping[str, Sequence[str]]) -> Table:
    """:func:`read_table` of a file (:func:`import_text`)."""
    return read_table(import_text(path), known)


def import_text(path: str | Path) -> str:
    """An import file's text, read up to :data:`MAX_FILE_BYTES`: UTF-8 (with or without a byte order mark) or UTF-16
    with its byte order mark, never guessed (see :func:`~bot.user_files.csv_text`)."""
    try:
        return csv_text(read_at_most(path, MAX_FILE_BYTES, "an import"), path)
    except (FileTooLarge, NotText) as exc:
        raise TableError(str(exc)) from None
    except OSError as exc:
        raise TableError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_table(text: str, known: Mapping[str, Sequence[str]]) -> Table:
    """The rows of CSV ``text`` under its header. ``known`` maps each column to the header names accepted for it
    (case, spaces and punctuation ignored; the first header cell matching a name counts). Blank rows are dropped.
    Bounded: :data:`MAX_ROWS` rows of at most :data:`MAX_RECORD` characters."""
    records = csv_records(text, max_record=MAX_RECORD)
    try:
        header = next(records, None)
        if not header or not any(cell.strip() for cell in header):
            raise TableError("the file is empty; the first line must name the columns")
        found = _found(_positions(header), known)
        _refuse_other_separators(header, len(found), known)
        other = tuple(cell.strip() for index, cell in enumerate(header) if cell.strip() and index not in found.values())
        rows: list[Row] = []
        for number, cells in enumerate(records, start=2):
            if number > MAX_ROWS + 1:
                raise TableError(f"more than {MAX_ROWS:,} rows; split the file")
            values = {column: cells[index].strip() for column, index in found.items() if index < len(cells)}
            if any(values.values()) or any(cell.strip() for cell in cells):
                width = max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)
                rows.append(Row(number, values, width if width > len(header) else 0))
    except RecordTooLong as exc:
        raise TableError(f"{exc}; no row of an import is that long") from None
    except csv.Error as exc:
        raise TableError(f"not a readable CSV file ({exc})") from None
    return Table(tuple(found), rows, other)


def _positions(header: Sequence[str]) -> dict[str, int]:
    """Each header cell's normal form, with the position of the first cell that has it."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        positions.setdefault(normalize(cell).replace(" ", "_"), index)
    return positions


def _found(positions: Mapping[str, int], known: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each known column the header names, with its position."""
    columns = {column: next((positions[n] for n in names if n in positions), None) for column, names in known.items()}
    return {column: index for column, index in columns.items() if index is not None}


_OTHER_SEPARATORS = {";": "';'", "\t": "tabs", "|": "'|'"}


def _refuse_other_separators(header: list[str], found: int, known: Mapping[str, Sequence[str]]) -> None:
    """A header whose columns another separator would find (Excel writes ';' where the decimal separator is a comma) is
    refused with what to do, rather than read as one column that names nothing."""
    line = ",".join(header)
    for separator, name in _OTHER_SEPARATORS.items():
        if separator in line and len(_found(_positions(line.split(separator)), known)) > found:
            raise TableError(
                f"the columns are separated by {name}, not by commas: export the file again with commas between columns "
                "(Excel uses the list separator of Windows' region settings; Google Sheets and LibreOffice write commas)"
            )
