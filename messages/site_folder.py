"""Writing a static site into a folder that may hold an earlier render.

A render writes a manifest (:data:`MANIFEST`) naming each file it wrote with its SHA-256. The next render into the same
folder removes the files the manifest names that it does not write again (a level since removed, a comparison no longer
drawn) — only those still exactly as written, so a page someone has edited since is left alone — and names every other
file it did not write, so a stale page (say one showing a band since unpublished) never stays without a word.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

from bot.user_files import FileTooLarge, read_at_most

MANIFEST = ".ladder-site"
_HEADER = "# ladder framework render: the files it wrote and their SHA-256; the next render removes those it no longer writes"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
"""A manifest is about 90 bytes per file; a larger one was not written by Ladder and is not read."""
MAX_SCANNED = 10_000
"""Entries of the folder looked at to name the files a render did not write (``--out ~`` must not walk a home folder)."""


@dataclass
class SiteWritten:
    written: list[str] = field(default_factory=list)
    """Each file written, relative to the folder, with '/' between folders."""
    removed: list[str] = field(default_factory=list)
    """Files an earlier render wrote and this one does not, removed (unchanged since)."""
    changed: list[str] = field(default_factory=list)
    """Files an earlier render wrote and this one does not, left alone: they were changed since."""
    others: list[str] = field(default_factory=list)
    """Other files in the folder, which no render wrote as far as the manifest says, left alone."""
    others_complete: bool = True
    """False when the folder was larger than :data:`MAX_SCANNED` entries: ``others`` names only some."""


def write_site_folder(out: Path, files: Iterable[tuple[str, str]]) -> SiteWritten:
    """Write ``files`` ((path relative to ``out``, text)) into ``out``, then tidy what an earlier render left."""
    out.mkdir(parents=True, exist_ok=True)
    earlier = _manifest(out)
    result = SiteWritten()
    digests: dict[str, str] = {}
    for relative, text in files:
        data = text.encode("utf-8")
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests[relative] = hashlib.sha256(data).hexdigest()
        result.written.append(relative)
    for relative, digest in earlier.items():
        if relative not in digests:
            _remove_if_unchanged(out, relative, digest, result)
    _write_manifest(out, digests)
    _name_others(out, set(digests) | {MANIFEST}, result)
    return result


def _manifest(out: Path) -> dict[str, str]:
    """The earlier render's files and digests; nothing when there is no manifest, or one Ladder did not write."""
    try:
        text = read_at_most(out / MANIFEST, MAX_MANIFEST_BYTES, "a site's manifest").decode("utf-8")
    except (OSError, FileTooLarge, UnicodeDecodeError):
        return {}
    lines = text.splitlines()
    if not lines or lines[0] != _HEADER:
        return {}
    entries: dict[str, str] = {}
    for line in lines[1:]:
        digest, _, relative = line.partition("  ")
        if len(digest) == 64 and _inside(relative):
            entries[relative] = digest
    return entries


def _inside(relative: str) -> bool:
    """A path a render writes: relative, downward only, nothing but names between '/'."""
    parts = PurePosixPath(relative).parts
    return bool(parts) and not relative.startswith("/") and "\\" not in relative and all(p not in ("", ".", "..") for p in parts)


def _remove_if_unchanged(out: Path, relative: str, digest: str, result: SiteWritten) -> None:
    path = out / relative
    if path.is_symlink() or not path.is_file():
        return  # gone already, or something Ladder never writes
    try:
        same = hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        same = False
    if not same:
        result.changed.append(relative)
        return
    path.unlink()
    result.removed.append(relative)
    for folder in path.parents:  # compare/old_level/ once its last page is gone
        if folder == out or out not in folder.parents:
            break
        try:
            folder.rmdir()
        except OSError:
            break  # not empty


def _write_manifest(out: Path, digests: dict[str, str]) -> None:
    temporary = out / f"{MANIFEST}.new"
    temporary.write_text("\n".join([_HEADER, *(f"{digest}  {path}" for path, digest in digests.items())]) + "\n", "utf-8")
    os.replace(temporary, out / MANIFEST)


def _name_others(out: Path, ours: set[str], result: SiteWritten) -> None:
    kept = set(result.changed)
    scanned = 0
    for folder, folders, names in os.walk(out):  # symbolic links to folders are not followed
        folders.sort()
        for name in sorted(names):
            scanned += 1
            if scanned > MAX_SCANNED:
                result.others_complete = False
                return
            relative = Path(folder, name).relative_to(out).as_posix()
            if relative not in ours and relative not in kept:
                result.others.append(relative)
