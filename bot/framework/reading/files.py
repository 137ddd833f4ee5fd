"""The files people hand to `ladder framework import`, each to its reader, all into one Draft.

Which reader a file goes to is decided by its content where that says (a zip container is a workbook, an OLE container
a protected or legacy Excel file) and by its name otherwise: .xlsx/.xlsm, .ods, .csv/.tsv, .md/.markdown, .html/.htm.
A framework file (.yaml) is refused: it is imported already, and `ladder framework check` is what it needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile

DOCUMENTS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
FRAMEWORK_FILES = (".yaml", ".yml")
READABLE = ".xlsx, .xlsm, .ods, .csv, .tsv, .md or .html"


def import_files(paths: list[str | Path], name: str | None = None, sheet: str | None = None) -> Draft:
    """One Draft from every file in ``paths``, in order (several files make one framework). ``name`` names the
    framework (else a title the files give, else the first file's name); ``sheet`` reads only that sheet of workbooks.
    Raises :class:`UnreadableFile` (one line) for a file no reader can read, or when nothing in them reads as levels."""
    draft = Draft()
    for path in map(Path, paths):
        default_track = _title(path) if len(paths) > 1 else "Main"  # files that name no track stay apart
        _reader(path, sheet, default_track)(path, draft)
    _finish(draft, name, Path(paths[0]) if paths else None)
    return draft


def _reader(path: Path, sheet: str | None, default_track: str) -> Callable[[Path, Draft], None]:
    suffix = path.suffix.lower()
    if suffix in FRAMEWORK_FILES:
        raise UnreadableFile(f"{path} is already a framework file: use `ladder framework check {path}`")
    if suffix in DOCUMENTS:
        return _document_reader(path, DOCUMENTS[suffix])
    if path.is_dir():
        raise UnreadableFile(f"{path} is a folder: name the files in it to import ({READABLE})")
    head = _head(path)
    from bot.framework.reading.sheets import spreadsheet_kind

    if spreadsheet_kind(path, head) or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix in (".xlsx", ".xlsm", ".ods"):
        return lambda p, d: _read_spreadsheet(p, d, sheet, default_track)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or (text.startswith(b"<") and b"<table" in head.lower()):
        return _document_reader(path, "html")
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


def _title(path: Path) -> str:
    """A name from a file's name: "eng-ladder_2024.xlsx" -> "Eng Ladder 2024"."""
    return path.stem.replace("_", " ").replace("-", " ").strip().title() or path.name


def _finish(draft: Draft, name: str | None, first: Path | None) -> None:
    """The framework's name, the checks every import needs, and what a person must still decide."""
    draft.finish()  # documents are placed together once every file is read
    from bot.framework.reading.joining import join_same_levels

    join_same_levels(draft)  # files that describe the same levels (a table of grades, a page per grade) make one track
    fallback = _title(first) if first else ""
    draft.name = name or draft.name or fallback or "Imported ladder"
    levels = [level for track in draft.tracks for level in track.levels]
    if not levels:
        raise UnreadableFile(
            "found no level titles: put them in the first row (levels as columns) or under a 'Title' heading (levels as rows)"
        )
    if not any(level.fields or level.expectations for level in levels):
        titles = ", ".join(f"'{level.title}'" for level in levels[:4]) + (", …" if len(levels) > 4 else "")
        raise UnreadableFile(
            f"found level titles ({titles}) but nothing placed under them ({len(draft.ledger.unplaced)} cells left over): "
            "competency names or 'Summary'/'Scope' labels belong in the first column, level titles in the first row, or the other way round"
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
