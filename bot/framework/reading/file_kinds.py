"""Files people hand to `ladder framework import` that Ladder does not read, named for what they are.

Word and OpenDocument text, Rich Text, PDF, PowerPoint, Apple Pages, Numbers and Keynote: each is recognised by its
content where that says (a PDF renamed .md is still a PDF), else by its name, and refused in one line that says what
the file is and how to export it into what Ladder reads (Markdown or HTML for documents, .xlsx or .csv for tables).
A workbook under another name is no foreign file: the spreadsheet reader reads it for what it is.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_SNIFFED_BYTES = 20 * 1024 * 1024
"""The most of a file looked into: a legacy Office (OLE) file searched for the name of its main stream, a zip
container's directory read; larger ones go by their name (and the readers refuse them past their own bounds)."""
MAX_ZIP_PARTS = 5_000
"""Parts of a zip container looked at to tell a Word file from a workbook (an Office file has a few dozen)."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_WORD = "a Word document; Ladder does not read Word files: save it as a web page (File › Save As › Web Page, .htm) or, from Google Docs, download it as Markdown (.md) or a web page (.html), and import that"
_ODT = "an OpenDocument text; Ladder does not read .odt files: save it as HTML (File › Export, or Save As › HTML Document) and import that"
_RTF = "a Rich Text document; Ladder does not read .rtf files: open it in a word processor, save it as a web page (.htm or .html) and import that"
_PAGES = "an Apple Pages document; Ladder does not read Pages files: export it to Word (File › Export To › Word), open that in Word or Google Docs, save it as a web page (.html) or Markdown (.md) and import that"
_PDF = "a PDF; Ladder does not read PDFs (a PDF keeps no tables or headings, only positioned text): export the ladder from the app that made it as Markdown (.md), HTML, .xlsx or .csv and import that"
_SLIDES = "{what}; Ladder does not read slides: copy the ladder's tables into a spreadsheet saved as .xlsx or .csv (or its text into a Markdown file, a heading per level) and import that"
_NUMBERS = "an Apple Numbers spreadsheet; Ladder does not read .numbers files: export it (File › Export To › Excel, or CSV) and import the .xlsx or .csv"

_BY_SUFFIX = {
    ".doc": _WORD,
    ".docx": _WORD,
    ".docm": _WORD,
    ".dot": _WORD,
    ".dotx": _WORD,
    ".odt": _ODT,
    ".rtf": _RTF,
    ".pages": _PAGES,
    ".pdf": _PDF,
    ".ppt": _SLIDES.format(what="a PowerPoint presentation"),
    ".pptx": _SLIDES.format(what="a PowerPoint presentation"),
    ".odp": _SLIDES.format(what="an OpenDocument presentation"),
    ".key": _SLIDES.format(what="an Apple Keynote presentation"),
    ".numbers": _NUMBERS,
}
_IWORK = {".pages": _PAGES, ".key": _BY_SUFFIX[".key"], ".numbers": _NUMBERS}


def foreign_file(path: Path, head: bytes) -> str | None:
    """One line saying what ``path`` is and how to export it, when it is a file Ladder does not read (by its content
    first: ``head`` is its first bytes); None for anything else, which the readers take (or refuse) themselves."""
    found = _by_content(path, head)
    suffix = path.suffix.lower()
    if found is None:
        if path.is_dir():
            return f"{path} is {_IWORK[suffix]}" if suffix in _IWORK else None  # a macOS package is a folder
        if head[:4] == b"PK\x03\x04" and suffix not in _IWORK:
            return None  # a zip container that is no document or presentation: a workbook, whatever its name
        found = _BY_SUFFIX.get(suffix)
        return f"{path} is {found}" if found else None
    renamed = f" (named {suffix or 'without a suffix'})" if _BY_SUFFIX.get(suffix) != found else ""
    return f"{path} is {found.replace(';', renamed + ';', 1)}"


def _by_content(path: Path, head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        return _RTF
    if head[:4] == b"PK\x03\x04":
        return _zip_kind(path, head)
    if head[:8] == _OLE:
        return _ole_kind(path)
    return None


def _zip_kind(path: Path, head: bytes) -> str | None:
    """A Word, PowerPoint, OpenDocument text or presentation, or iWork file, from the parts of its zip container."""
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:128]:
        return _ODT
    if b"mimetypeapplication/vnd.oasis.opendocument.presentation" in head[:128]:
        return _BY_SUFFIX[".odp"]
    try:
        if path.stat().st_size > MAX_SNIFFED_BYTES:
            return None  # past any reader's bound: the reader its name chooses refuses it in one line
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for _, info in zip(range(MAX_ZIP_PARTS), archive.infolist(), strict=False)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None  # damaged: the reader its name chooses says so
    if any(name.startswith("word/") for name in names):
        return _WORD
    if any(name.startswith("ppt/") for name in names):
        return _BY_SUFFIX[".pptx"]
    if any(name.startswith("Index/") or name == "Index.zip" for name in names):
        return _IWORK.get(path.suffix.lower(), _PAGES.replace("an Apple Pages document", "an Apple iWork file"))
    return None


def _ole_kind(path: Path) -> str | None:
    """A Word 97-2003 or PowerPoint 97-2003 file, by the name of its main stream (stored as UTF-16 in the container's
    directory); a legacy or password-protected workbook is the spreadsheet reader's to refuse."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SNIFFED_BYTES)
    except OSError:
        return None
    if "WordDocument".encode("utf-16-le") in data:
        return _WORD
    if "PowerPoint Document".encode("utf-16-le") in data:
        return _BY_SUFFIX[".ppt"]
    return None
