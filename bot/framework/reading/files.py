"""The files people hand to `ladder framework import`, each to its reader, all into one Draft.

Which reader a file goes to is decided by its content where that says (a zip container is a workbook, an OLE container
a protected or legacy Excel file) and by its name otherwise: .xlsx/.xlsm, .ods, .csv/.tsv, .md/.markdown, .html/.htm.
A framework file (.yaml) is refused: it is imported already, and `ladder framework check` is what it needs.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Callable

from bot.framework.names import normalize
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.file_kinds import foreign_file
from bot.framework.shape_checks import HEADING_WORDS

DOCUMENTS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
FRAMEWORK_FILES = (".yaml", ".yml")
READABLE = ".xlsx, .xlsm, .ods, .csv, .tsv, .md or .html"


def import_files(paths: list[str | Path], name: str | None = None, sheet: str | None = None) -> Draft:
    """One Draft from every file in ``paths``, in order (several files make one framework). ``name`` names the
    framework (else a title the files give, else the first file's name); ``sheet`` reads only that sheet of workbooks.
    Raises :class:`UnreadableFile` (one line) for a file no reader can read, or when nothing in them reads as levels."""
    draft = Draft()
    documents: list[Path] = []
    for path in map(Path, paths):
        default_track = (_title(path) or "Main") if len(paths) > 1 else "Main"  # files that name no track stay apart
        kind, reader = _reader(path, sheet, default_track)
        reader(path, draft)
        if kind == "document":
            documents.append(path)
    _finish(draft, name, Path(paths[0]) if paths else None, documents)
    return draft


Reader = Callable[[Path, Draft], None]


def _reader(path: Path, sheet: str | None, default_track: str) -> tuple[str, Reader]:
    """The reader for ``path`` and what it reads ("document" or "spreadsheet"); :class:`UnreadableFile` for a file no
    reader takes: a framework file, a folder, an empty file, a document or slides in a format Ladder does not read."""
    suffix = path.suffix.lower()
    if suffix in FRAMEWORK_FILES:
        raise UnreadableFile(f"{path} is already a framework file: use `ladder framework check {path}`")
    if path.is_dir():
        raise UnreadableFile(foreign_file(path, b"") or f"{path} is a folder: name the files in it to import ({READABLE})")
    head = _head(path)
    foreign = foreign_file(path, head)
    if foreign:
        raise UnreadableFile(foreign)
    if len(head) < 4096 and not head.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise UnreadableFile(f"{path} is empty")
    from bot.framework.reading.sheets import spreadsheet_kind

    spreadsheet = ("spreadsheet", lambda p, d: _read_spreadsheet(p, d, sheet, default_track))
    if suffix in DOCUMENTS:
        return spreadsheet if head[:4] == b"PK\x03\x04" else ("document", _document_reader(path, DOCUMENTS[suffix]))
    if spreadsheet_kind(path, head) or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix in (".xlsx", ".xlsm", ".ods"):
        return spreadsheet
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or (text.startswith(b"<") and b"<table" in head.lower()):
        return "document", _document_reader(path, "html")
    raise UnreadableFile(f"{path} is not a file Ladder can import: use {READABLE}")


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(4096)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None


def _read_spreadsheet(path: Path, draft: Draft, sheet: str | None, default_track: str) -> None:
    from bot.framework.reading.grids import place_sheets
    from bot.framework.reading.sheets import read_sheets, spreadsheet_kind

    in_workbook = spreadsheet_kind(path, _head(path)) in ("xlsx", "ods")
    sheets = read_sheets(path, sheet if in_workbook else None)  # --sheet chooses among a workbook's sheets
    place_sheets(sheets, draft, str(path), in_workbook, default_track)


def _document_reader(path: Path, kind: str) -> Callable[[Path, Draft], None]:
    """Markdown and HTML readers, imported when a file needs them."""
    try:
        if kind == "markdown":
            from bot.framework.reading.markdown import read_markdown as reader
        else:
            from bot.framework.reading.html import read_html as reader
    except ImportError:
        raise UnreadableFile(f"{path}: {kind.capitalize()} files are not yet readable by this version of Ladder") from None
    return reader


_UUID = re.compile(r"[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}", re.IGNORECASE)
_GENERATED = re.compile(r"^(?:[0-9a-f]{16,}|(?=[a-z]*\d)(?=\d*[a-z])[0-9a-z]{20,}|\d{9,})$", re.IGNORECASE)
"""A word an app generated, not a person: a hex id (Notion's 32 digits), a long token of letters and digits, a long
run of digits."""


def _title(path: Path) -> str:
    """A name from a file's name, without what an app generated: "eng-ladder_2024.xlsx" -> "Eng Ladder 2024",
    "Engineering Levels 4f2a…6a7b.html" (a Notion export) -> "Engineering Levels"; "" when nothing else is left."""
    stem = unicodedata.normalize("NFC", path.stem)  # macOS writes "è" as "e" and a combining accent
    words = _UUID.sub(" ", stem).replace("_", " ").replace("-", " ").split()
    return " ".join(_capitalised(w) for w in words if not _GENERATED.match(w))


def _capitalised(word: str) -> str:
    """A word of a file name with a capital first letter, the rest as written: "carrière" -> "Carrière", "API" and
    "iOS" kept, "l'équipe" -> "L'équipe" (never str.title's "CarrièRe" or "L'Équipe")."""
    if not word[:1].islower() or any(c.isupper() for c in word[1:]):
        return word
    return word[0].upper() + word[1:]


def _no_levels(draft: Draft, documents: list[Path]) -> str:
    """Why nothing read as levels, in the terms of the files read: what a document held and the headings or tables
    Ladder looks for; what a sheet held and where level titles go."""
    read: dict[str, list[str]] = {}
    for entry in draft.ledger.entries:
        read.setdefault(entry.piece.where.file, []).append(entry.piece.text)
    document_names = {str(p) for p in documents}
    if document_names and all(file in document_names for file in read or document_names):
        texts = [t for p in documents for t in read.get(str(p), [])]
        held = f"the text read: {_quoted(texts)}" if texts else "no text read"
        names = ", ".join(str(p) for p in documents[:3]) + (", …" if len(documents) > 3 else "")
        return (
            f"found no levels in {names} ({held}): Ladder looks for a heading per level (## Junior Engineer, "
            "## Senior Engineer) with the level's text under it, a page per level, or a table with a row or a column per level"
        )
    one_row = _single_row(draft)
    if one_row:
        file, headings = one_row
        return (
            f"{file} has one row ({_quoted(headings)}) and nothing under it: add a row per level under those headings, "
            "or put level titles across the first row and competencies down the first column"
        )
    return "found no level titles: put them in the first row (levels as columns) or under a 'Title' heading (levels as rows)"


_CELL_ROW = re.compile(r"(?:^|!)([A-Z]{1,3})(\d+)$")


def _single_row(draft: Draft) -> tuple[str, list[str]] | None:
    """The file and its cells, when everything read is one row of one sheet (a header row and nothing else)."""
    entries = draft.ledger.entries
    places = [
        (e.piece.where.file, e.piece.where.place.rpartition("!")[0], _CELL_ROW.search(e.piece.where.place)) for e in entries
    ]
    if not entries or any(match is None for _f, _s, match in places):
        return None
    if len({(f, s, m.group(2)) for f, s, m in places if m}) != 1:
        return None
    columns = [(len(m.group(1)), m.group(1)) for _f, _s, m in places if m]
    return entries[0].piece.where.file, [e.piece.text for _c, e in sorted(zip(columns, entries, strict=True), key=lambda x: x[0])]


def _reads_as_heading(title: str) -> bool:
    """A level title that is a word heading a column or row of a ladder ("Level", "Titles"), as check warns of."""
    words = normalize(title)
    return words in HEADING_WORDS or (words.endswith("s") and words[:-1] in HEADING_WORDS)


def _quoted(texts: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"'{' '.join(t.split())[:60]}'" for t in texts[:limit])
    return shown + (", …" if len(texts) > limit else "")


def _finish(draft: Draft, name: str | None, first: Path | None, documents: list[Path] | None = None) -> None:
    """The framework's name, the checks every import needs, and what a person must still decide. ``documents`` are
    the files read as documents (Markdown, HTML), which a missing ladder is explained for in their own terms."""
    draft.finish()  # documents are placed together once every file is read
    from bot.framework.reading.joining import join_same_levels

    join_same_levels(draft)  # files that describe the same levels (a table of grades, a page per grade) make one track
    if not any(level.equivalents for track in draft.tracks for level in track.levels):
        from bot.framework.reading.documents.said_equivalents import said_equivalents

        said_equivalents(draft)  # a workbook's notes ("E4 is equivalent to M1") as a document's prose are read
    fallback = _title(first) if first else ""  # never an id an app generated: "" when the name is only that
    draft.name = name or draft.name or fallback or "Imported ladder"
    levels = [level for track in draft.tracks for level in track.levels]
    if not levels:
        raise UnreadableFile(_no_levels(draft, documents or []))
    if not any(level.fields or level.expectations for level in levels):
        titles = ", ".join(f"'{level.title}'" for level in levels[:4]) + (", …" if len(levels) > 4 else "")
        raise UnreadableFile(
            f"found level titles ({titles}) but nothing placed under them ({len(draft.ledger.unplaced)} cells left over): "
            "competency names or 'Summary'/'Scope' labels belong in the first column, level titles in the first row, or the other way round"
        )
    headings = [level.title for level in levels if _reads_as_heading(level.title)]
    if headings:  # first of the decisions: the rest of the file was read around it
        draft.decisions.insert(
            0,
            f"ERROR: level title(s) {_quoted(headings)} read as a column heading, not a level: a header row (or a "
            "second one, under a row of groups) was read as a level. Delete that level and check the competencies' names.",
        )
    if len(draft.tracks) == 1:
        draft.decisions.append(
            f"All levels were put on one track, '{draft.tracks[0].name}'. If your ladder has several (e.g. individual "
            "contributor and management), move levels into a track each."
        )
    elif not any(level.equivalents for level in levels):
        draft.decisions.append(
            "Equivalents between tracks: the files name none. Add `equivalent: LEVEL_ID` to levels that are parallel "
            "across tracks, or leave it out (answers then say the framework names none)."
        )
    draft.decisions.append("Levels are listed in the files' order; check that each track lists its levels lowest first.")
