"""Reading the files people hand to Ladder (framework files, spreadsheets, CSV exports) with bounded work.

Every reader stops at a stated size, however large the file or however it is built (a device or a pipe that never
ends included), and says so in one line a person can act on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from bot.errors import LadderError


class FileTooLarge(LadderError, ValueError):
    """The file is larger than its reader accepts; the message says the limit (the command line prints it as is)."""


def size_text(size: int) -> str:
    """4194304 -> "4 MiB", 1536 -> "1.5 KiB"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def read_at_most(path: str | Path, limit: int, what: str) -> bytes:
    """The file's bytes; :class:`FileTooLarge` when it holds more than ``limit`` (only ``limit + 1`` bytes are read).

    ``what`` names the kind of file in the refusal ("a framework file"). OSError is left to the caller.
    """
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"{path} is larger than {size_text(limit)}, the most Ladder reads for {what}")
    return data


class NotText(LadderError, ValueError):
    """The file is not text in an encoding Ladder reads; the message says how to save it so that it is."""


SAVE_AS_CSV_UTF8 = "save it as CSV UTF-8 (in Excel: Save As, then 'CSV UTF-8 (Comma delimited)')"
"""How to get a CSV file Ladder reads out of the spreadsheet apps people use (Google Sheets and Numbers write UTF-8)."""


def csv_text(data: bytes, path: str | Path, advice: str = SAVE_AS_CSV_UTF8) -> str:
    """The text of a CSV file: UTF-8 (a byte order mark allowed), or UTF-16 marked by its byte order mark (Excel's
    "Unicode Text"). Anything else raises :class:`NotText` saying ``advice``: a file in another encoding (a legacy code
    page, Shift-JIS, UTF-16 without its mark) cannot be told apart from text in yet another one, so it is not guessed.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotText(f"{path} starts like UTF-16 text but is not; {advice}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotText(f"{path} is not UTF-8 text (byte {exc.start + 1}); {advice}") from None
    head = text[:256]
    if head.count("\x00") * 4 > len(head):  # every other character NUL: UTF-16 without its byte order mark
        raise NotText(f"{path} looks like UTF-16 text without a byte order mark; {advice}")
    return text


class RecordTooLong(ValueError):
    """A CSV record longer than the reader accepts."""


def csv_records(text: str, dialect: type[csv.Dialect] | csv.Dialect = csv.excel, max_record: int = 65_536) -> Iterator[list[str]]:
    """The records of CSV ``text``, each at most ``max_record`` characters long (a quoted field may span lines).

    A longer record raises :class:`RecordTooLong` (its line number in the message) before it is split into fields,
    so one enormous line costs no more than ``max_record`` characters of work; malformed CSV raises ``csv.Error``.
    """
    lines = _BoundedLines(io.StringIO(text, newline=""), max_record)
    for record in csv.reader(lines, dialect):
        lines.pending = 0
        yield record


class _BoundedLines:
    """Feeds ``csv.reader`` line by line, counting the characters of the record being read."""

    def __init__(self, source: io.StringIO, limit: int) -> None:
        self._source = source
        self._limit = limit
        self._line = 0
        self.pending = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._source.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self._line += 1
        self.pending += len(line)
        if self.pending > self._limit:
            raise RecordTooLong(f"line {self._line}: a record longer than {self._limit:,} characters")
        return line
