"""Reading made-up documents into a draft in tests, and finding what the draft made of them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack
from bot.framework.reading.html import read_html
from bot.framework.reading.markdown import read_markdown


def read(tmp_path: Path, files: dict[str, str]) -> Draft:
    """Write ``files`` (path -> Markdown or HTML, by suffix) under tmp_path, read them all into one draft, finished."""
    draft = Draft()
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for name in files:
        (read_html if name.endswith(".html") else read_markdown)(tmp_path / name, draft)
    draft.finish()
    return draft


def track(draft: Draft, name: str) -> DraftTrack:
    found = [t for t in draft.tracks if normalize(t.name) == normalize(name)]
    assert found, f"no track {name!r} in {[t.name for t in draft.tracks]}"
    return found[0]


def level(draft: Draft, track_name: str, title: str) -> DraftLevel:
    found = [lv for lv in track(draft, track_name).levels if lv.title == title]
    assert found, f"no level {title!r} in {[lv.title for lv in track(draft, track_name).levels]}"
    return found[0]


def titles(draft: Draft, track_name: str) -> list[str]:
    return [lv.title for lv in track(draft, track_name).levels]


def texts(pieces: list) -> list[str]:
    return [p.text for p in pieces]
