"""What each page is, before anything is placed: its title, its number, and its kind (a heading per level, one level's
page, a page per competency, or prose)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.framework.names import normalize
from bot.framework.reading.draft import DraftLevel, DraftTrack, Piece
from bot.framework.reading.outline import Block, Code, Document, ItemList, Paragraph, Quote, Section, Table, sections, where
from bot.framework.reading.page_shapes import (
    competency_major,
    find_groups,
    has_text,
    level_like_group,
    pseudo_heading,
    section_has_text,
)
from bot.framework.reading.titles import from_file_name, level_marker, section_kind, track_name
from bot.framework.reading.toggle_lists import toggle_headings

INDEX_STEMS = {"index", "_index", "readme", "home"}


NUMBER_KEYS = ("level", "grade", "rank", "order", "position", "step", "weight", "nav_order", "sidebar_position")


LEVEL_NUMBER_KEYS = {"level", "grade", "rank"}
"""Front matter keys that make a page a level's page by themselves (a weight only orders pages)."""


TRACK_KEYS = ("track", "family", "ladder", "discipline", "department", "function", "career_track")


LIST_KEYS = ("levels", "grades", "titles")


@dataclass
class Page:
    document: Document
    root: Section
    title: str
    title_piece: Piece | None
    """Where the title came from (a heading, or front matter); None when made from the file's name."""
    title_section: Section | None
    """The one top section the title heads, when the page has one."""
    number: float | None = None
    kind: str = "prose"
    """"levels" (a heading per level), "level" (one level's page), "competency" (a page per competency), "prose"."""
    groups: list[tuple[Section, list[Section]]] = field(default_factory=list)
    track: DraftTrack | None = None
    level: DraftLevel | None = None
    used_front: set[str] = field(default_factory=set)
    between: list[tuple[str, str]] = field(default_factory=list)
    """The two levels a page about moving from one to the next names ("expectations-2-to-3", "From Mid to Senior"),
    as written: by the file's name, then by the title."""

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def is_index(self) -> bool:
        return self.path.stem.lower() in INDEX_STEMS

    @property
    def body(self) -> tuple[list[Block], list[Section]]:
        """The page's content under its title: the title section's blocks and sub-sections (or the root's)."""
        if self.title_section is not None:
            return self.root.blocks + self.title_section.blocks, self.title_section.children
        return self.root.blocks, self.root.children


def read_page(document: Document) -> Page:
    """What a page is: its title (front matter, its one top heading, else its file name), its number, and its kind."""
    blocks = [pseudo_heading(b) for b in toggle_headings(document.blocks)]
    root = sections(blocks)
    title, piece, title_section = "", None, None
    tops = root.children
    front_title = document.front.get("title")
    preamble = [b for b in root.blocks if isinstance(b, (Paragraph, ItemList, Table, Quote, Code))]
    if len(tops) == 1 and len(preamble) <= 1 and not any(isinstance(b, (ItemList, Table)) for b in preamble):
        title_section = tops[0]  # a page under one heading (a line of credits above it is its content)
    if front_title and isinstance(front_title.value, (str, int, float)) and str(front_title.value).strip():
        title = str(front_title.value).strip()
        piece = Piece(title, where(document.file, front_title.first, front_title.last))
        if title_section is not None and normalize(title_section.title) != normalize(title):
            # a page's own top heading (#) is its title as shown; a lower one is a section of it
            keep = title_section.depth == 1 and not (title_section.children and level_like_group(title_section.children))
            title_section = title_section if keep else None
    elif title_section is not None:
        title = title_section.title
        piece = title_section.heading.text.piece(document.file) if title_section.heading else None
    else:
        title = from_file_name(document.path.stem)
    doc = Page(document, root, title, piece, title_section)
    for key in NUMBER_KEYS:
        value = document.front.get(key)
        if value is not None and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            doc.number = float(value.value)
            break
    doc.between = between(title, document.path.stem)
    doc.groups = find_groups(root)
    if doc.groups:
        doc.kind = "levels"
        if all(competency_major(levels) for _, levels in doc.groups) and not doc.is_index:
            doc.kind = "competency"
    elif (
        not doc.is_index
        and not doc.between
        and section_kind(title) not in {"promotion", "switching", "all_levels"}
        and has_content(doc)
    ):
        by_front = any(k in document.front for k in LEVEL_NUMBER_KEYS)
        names_a_ladder = normalize(track_name(title)) != normalize(title)  # "Manager Track", "Product Manager Levels"
        if by_front or (level_marker(title) and not names_a_ladder):
            doc.kind = "level"
    return doc


_STEM_PAIR = re.compile(
    r"(?:^|[\W_])(?:[^\W\d_]{1,3}[\W_]?)?(?P<a>\d{1,3})[\W_]+(?:to|into)[\W_]+(?:[^\W\d_]{1,6}[\W_]?)?(?P<b>\d{1,3})(?=$|[\W_])",
    re.I,
)
_FROM_TO = re.compile(r"\bfrom\s+(?P<a>.+?)\s+(?:to|into)\s+(?P<b>.+)$", re.I)
_ARROW = re.compile(r"\s*(?:→|⟶|⇒|➜|➔|->|=>)\s*")
_LEAD = re.compile(r"^(?:progress(?:ing|ion)?|moving|move|transition(?:ing)?|promotion|growing|going|stepping)\b\s*", re.I)


def between(title: str, stem: str) -> list[tuple[str, str]]:
    """The two levels a page about moving between them names, each way it names them: a pair of numbers in its file's
    name ("expectations-2-to-3", "l3-to-l4"), and its title ("From Mid to Senior", "Progressing from A → B")."""
    found: list[tuple[str, str]] = []
    numbers = _STEM_PAIR.search(stem)
    if numbers:
        found.append((numbers.group("a"), numbers.group("b")))
    text = " ".join(title.split())
    parts = _ARROW.split(text)
    if len(parts) == 2 and all(p.strip() for p in parts):
        found.append((_LEAD.sub("", re.sub(r"^.*?\bfrom\s+", "", parts[0], flags=re.I)).strip(), parts[1].strip()))
    else:
        match = _FROM_TO.search(text)
        if match and len(match.group("a").split()) <= 6 and len(match.group("b").split()) <= 6:
            found.append((match.group("a").strip(), match.group("b").strip(" .:")))
    return found


def has_content(doc: Page) -> bool:
    blocks, children = doc.body
    return has_text(blocks) or any(section_has_text(c) for c in children)


def front_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {front_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(front_text(v) for v in value)
    return str(value)
