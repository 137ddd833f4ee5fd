"""Placing document outlines (Markdown and HTML pages) into a Draft.

The documents read into one draft are placed together, once every file is read (:meth:`Draft.finish`), because pages
name one another: an index page orders the level pages it links to, a table maps the titles another page uses.
The convention is detected from the content, never from one cell or one word:

- a heading per level (siblings whose titles read like levels: seniority words, "Level 3", codes, numbered steps),
  with paragraphs (the level's summary), bold-labelled bullets ("**Communication**: …") or sub-headings per competency;
- one page per level (its title, front matter or first heading, reads like a level, or its sub-headings are the
  competencies other level pages use); pages in one folder make one track, named by the folder (or its index page);
- competency-major: a page per competency whose headings are only ranks ("Level 1" … "Level 6");
- tables with levels as columns or as rows, and tables mapping levels across tracks (equivalents, codes as aliases);
- everything else is prose: sections with a kind guessed from their headings (switching, promotion, competencies,
  all_levels, other), a track's description, or the framework's description — never dropped.

Every text of every page is placed (the Draft records where) or listed as not placed with its ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.framework.names import name_key, normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack, LevelField, Piece
from bot.framework.reading.outline import (
    Block,
    Cell,
    Code,
    Document,
    ItemList,
    Markup,
    Paragraph,
    Quote,
    Section,
    Table,
    Text,
    iter_markup,
    iter_texts,
    sections,
    where,
)
from bot.framework.reading.page_shapes import (
    TableRole,
    competency_major,
    find_groups,
    has_text,
    header_rows,
    level_like_group,
    mostly_labelled,
    navigation_runs,
    note,
    pseudo_heading,
    section_has_text,
    short_column,
    table_level_names,
    table_paths,
    table_role,
    texts_with_nesting,
)
from bot.framework.reading.titles import (
    common_name,
    from_file_name,
    is_bare_rank,
    is_code,
    level_marker,
    number_of,
    rank_of,
    reads_like_a_name,
    section_kind,
    seniority,
    split_title,
    track_name,
    words,
)

_INDEX_STEMS = {"index", "_index", "readme", "home"}
_NUMBER_KEYS = ("level", "grade", "rank", "order", "position", "step", "weight", "nav_order", "sidebar_position")
_LEVEL_NUMBER_KEYS = {"level", "grade", "rank"}
"""Front matter keys that make a page a level's page by themselves (a weight only orders pages)."""
_TRACK_KEYS = ("track", "family", "ladder", "discipline", "department", "function", "career_track")
_LIST_KEYS = ("levels", "grades", "titles")
_FIELDS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "description", "overview", "role summary", "in short", "tl dr"),
    "scope": ("scope",),
    "decision_rights": ("decision rights", "decisions", "decision making"),
    "typical_time_in_level": ("typical time in level", "time in level", "time in role", "typical tenure", "tenure"),
}
_MANAGEMENT = {"manager", "mgr", "director", "dir", "head", "vp", "chief", "cto", "cio", "ceo", "president", "executive"}
_STARTS_AFTER = re.compile(
    r"\b(?:start|starts|begin|begins|continue|continues|branch(?:es)?)\s+(?:after|from|off)\s+(.{2,80})", re.I
)
NAVIGATION = "navigation markup (links to other pages)"
METADATA = "front matter markup (page metadata)"


def add_document(draft: Draft, document: Document) -> None:
    """Keep ``document`` to place with the other documents of ``draft`` when the draft is finished."""
    for work in draft.finishing:
        if isinstance(work, _Documents):
            work.documents.append(document)
            return
    work = _Documents(draft)
    work.documents.append(document)
    draft.finishing.append(work)


class _Documents:
    """The documents read into one draft, placed together by :meth:`Draft.finish`."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.documents: list[Document] = []

    def __call__(self) -> None:
        _Placer(self.draft, self.documents).place()


@dataclass
class _Doc:
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

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def is_index(self) -> bool:
        return self.path.stem.lower() in _INDEX_STEMS

    @property
    def body(self) -> tuple[list[Block], list[Section]]:
        """The page's content under its title: the title section's blocks and sub-sections (or the root's)."""
        if self.title_section is not None:
            return self.root.blocks + self.title_section.blocks, self.title_section.children
        return self.root.blocks, self.root.children


class _Placer:
    def __init__(self, draft: Draft, documents: list[Document]) -> None:
        self.draft = draft
        self.docs = [self._analyse(d) for d in documents]
        self.done: set[int] = set()
        self.level_of_section: dict[int, tuple[DraftTrack, DraftLevel]] = {}
        self.group_track: dict[int, DraftTrack] = {}
        self.table_roles: dict[int, TableRole] = {}
        self.table_levels: dict[int, list[tuple[DraftTrack, DraftLevel] | None]] = {}
        self.constant_columns: dict[int, set[str]] = {}
        self.read_order: dict[int, int] = {}
        self.named: set[int] = set()
        self._shape_notes: dict[int, str] = {}
        self._pages_at: dict[tuple[int, str, int], _Doc | None] = {}
        self._resolved: dict[Path, _Doc] = {}
        self.codes: dict[str, dict[int, tuple[DraftTrack, DraftLevel]]] = {}
        self.deferred_prose: list[tuple[_Doc, Section, list[Block], list[Section], DraftTrack | None, str]] = []

    # -- 1. what each page is ----------------------------------------------------------------------

    def _analyse(self, document: Document) -> _Doc:
        blocks = [pseudo_heading(b) for b in document.blocks]
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
        doc = _Doc(document, root, title, piece, title_section)
        for key in _NUMBER_KEYS:
            value = document.front.get(key)
            if value is not None and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
                doc.number = float(value.value)
                break
        doc.groups = find_groups(root)
        if doc.groups:
            doc.kind = "levels"
            if all(competency_major(levels) for _, levels in doc.groups) and not doc.is_index:
                doc.kind = "competency"
        elif not doc.is_index and section_kind(title) not in {"promotion", "switching", "all_levels"} and _has_content(doc):
            by_front = any(k in document.front for k in _LEVEL_NUMBER_KEYS)
            names_a_ladder = normalize(track_name(title)) != normalize(title)  # "Manager Track", "Product Manager Levels"
            if by_front or (level_marker(title) and not names_a_ladder):
                doc.kind = "level"
        return doc

    def place(self) -> None:
        for index, doc in enumerate(self.docs):
            self.read_order[id(doc)] = index
        self._pages_like_level_pages()
        for doc in self.docs:
            if doc.kind == "levels":
                self._make_heading_levels(doc)
            elif doc.kind == "competency":
                self._make_rank_levels(doc)
        self._make_page_levels()
        self._classify_tables()
        self._find_constant_columns()
        for doc in sorted(self.docs, key=lambda d: d.kind == "prose"):  # prose after levels: it names their competencies
            self._place_doc(doc)
        for doc, section, blocks, children, track, kind in self.deferred_prose:
            self._place_prose(doc, section, blocks, children, track, kind)
        for doc in self.docs:
            self._place_front(doc)
        self._order_tracks()
        self._starts_after()
        self._unique_codes()
        self._leftovers()
        for doc in self.docs:
            self.draft.shapes.append(f"{doc.file}: {self._shape_of(doc)}")

    def _shape_of(self, doc: _Doc) -> str:
        tables = [t for t, _trail in table_paths(doc.root) if self._is_level_table(t)]
        kinds = {
            "mapping": "a table mapping levels across tracks",
            "rows": "a table of levels as rows",
            "columns": "a table of levels as columns",
        }
        found = sorted({kinds[self.table_roles[id(t)].kind] for t in tables})
        if doc.kind == "levels":
            tracks = ", ".join(dict.fromkeys(self.group_track[id(parent)].name for parent, _ in doc.groups))
            shape = f"a heading per level ({sum(len(levels) for _, levels in doc.groups)} levels of {tracks})"
        elif doc.kind == "level" and doc.level and doc.track:
            shape = f"one level's page ({doc.level.title}, track {doc.track.name})"
            if id(doc) in self._shape_notes:
                shape += f", {self._shape_notes[id(doc)]}"
        elif doc.kind == "competency":
            shape = f"one competency's page ({doc.title}), a heading per level"
        else:
            shape = "prose" + (" (an index page)" if doc.is_index else "")
        return "; ".join([shape] + found)

    def _pages_like_level_pages(self) -> None:
        """A page whose sub-headings are the ones level pages use is a level page too ("Engineer" beside "Senior
        Engineer", both with Core Competencies and Broad Indicators)."""
        used: set[str] = set()
        for doc in self.docs:
            if doc.kind == "level":
                used |= {normalize(section.title) for section in doc.body[1]}
        for doc in self.docs:
            if doc.kind == "prose" and not doc.is_index and section_kind(doc.title) == "other":
                names = {normalize(section.title) for section in doc.body[1]}
                if len(names & used) >= 2 and len(names & used) * 2 >= len(names):
                    doc.kind = "level"

    # -- 2. tracks and levels -----------------------------------------------------------------------

    def _make_heading_levels(self, doc: _Doc) -> None:
        for parent, levels in doc.groups:
            name = self._group_track_name(doc, parent, levels)
            track = self.draft.track(name)
            self.group_track[id(parent)] = track
            if len(doc.groups) == 1 and "title" in doc.document.front and doc.title_piece is not None:
                doc.used_front.add("title")
                self.draft.ledger.placed(doc.title_piece, f"track {track.name} (its page's title)")
            titles = [split_title(s.title) for s in levels]
            counts: dict[str, int] = {}
            for title in titles:
                counts[normalize(title.title)] = counts.get(normalize(title.title), 0) + 1
            for index, (section, title) in enumerate(zip(levels, titles, strict=False)):
                clash = counts[normalize(title.title)] > 1  # "Level 5: Senior Writer", "Level 6: Senior Writer"
                shown = " ".join(section.title.split()) if clash else title.title
                level = self._level(track, shown, section.heading.text if section.heading else None, doc)
                level.aliases += [a for a in title.aliases if normalize(a) != normalize(shown)]
                level.order = float(index)
                self.level_of_section[id(section)] = (track, level)
            front = next((doc.document.front[k] for k in _LIST_KEYS if k in doc.document.front), None)
            if front and isinstance(front.value, list) and len(doc.groups) == 1 and len(front.value) == len(levels):
                for section, alias in zip(levels, front.value, strict=False):
                    if isinstance(alias, str) and alias.strip() and number_of(alias.strip().lower()) is None:
                        self.level_of_section[id(section)][1].aliases.append(alias.strip())  # "I", "II" alone name no level
                key = next(k for k in _LIST_KEYS if k in doc.document.front)
                doc.used_front.add(key)
                self.draft.ledger.placed(
                    Piece(", ".join(map(str, front.value)), where(doc.file, front.first, front.last)),
                    f"{track.name} › other names of its levels",
                )

    def _group_track_name(self, doc: _Doc, parent: Section, levels: list[Section]) -> str:
        """The page's own title names its one ladder; else the heading above the levels; else what their titles share."""
        if len(doc.groups) == 1 and "title" in doc.document.front and doc.title_piece is not None:
            return track_name(doc.title)
        if parent.heading is not None:
            return track_name(parent.title)
        if len(doc.groups) == 1 and doc.title_piece is not None:
            return track_name(doc.title)
        shared = common_name([s.title for s in levels])
        return shared or track_name(from_file_name(doc.path.stem))

    def _level(self, track: DraftTrack, title: str, heading: Text | None, doc: _Doc) -> DraftLevel:
        place = where(doc.file, heading.first, heading.last) if heading else where(doc.file, 1, 1)
        level = self.draft.level(track, title, place)
        if heading is not None:
            self._placed(heading, doc, f"{track.name} › {level.title} (title)")
        return level

    def _make_rank_levels(self, doc: _Doc) -> None:
        """A page per competency: its rank headings are levels of the one ladder every such page shares."""
        track = self._shared_track()
        for parent, levels in doc.groups:
            for section in levels:
                title = split_title(section.title)
                shown = rank_of(section.title) or " ".join(section.title.split())
                level = self._level(track, shown, section.heading.text if section.heading else None, doc)
                if normalize(title.title) != normalize(shown) and title.title not in level.aliases:
                    level.aliases.append(title.title)  # "Level 2 JUNIOR": Junior is another name of Level 2
                if level.order is None and title.number is not None:
                    level.order = title.number
                self.level_of_section[id(section)] = (track, level)
            self.group_track[id(parent)] = track

    def _shared_track(self) -> DraftTrack:
        if len(self.draft.tracks) == 1:
            return self.draft.tracks[0]
        index = next((d for d in self.docs if d.is_index and d.kind == "prose"), None)
        return self.draft.track(track_name(index.title) if index else "Levels")

    def _make_page_levels(self) -> None:
        pages = [d for d in self.docs if d.kind == "level"]
        incoming = self._incoming_links(pages)
        companions = self._companions(pages)
        pages_of_tracks = [d for d in pages if id(d) not in companions]
        by_file_name: dict[str, _Doc] = {}  # "grade-3.md" in several folders: one level, each folder an aspect of it
        for doc in pages:
            if doc.title_piece is None and is_bare_rank(doc.title):
                first = by_file_name.setdefault(normalize(doc.title), doc)
                if first is not doc:
                    companions[id(doc)] = first
        for doc in pages:
            if id(doc) in companions:
                continue
            track = self.draft.track(*self._page_track(doc, pages_of_tracks))
            title = split_title(doc.title)
            shown = title.title
            if any(normalize(lv.title) == normalize(shown) for lv in track.levels):
                others = [t for t in incoming.get(id(doc), []) if level_marker(t) and normalize(t) != normalize(shown)]
                named = split_title(others[0] if others else from_file_name(doc.path.stem)).title
                if all(normalize(lv.title) != normalize(named) for lv in track.levels):
                    self.draft.decisions.append(
                        f"{doc.file} is titled '{shown}' like another page of track {track.name}; "
                        f"read as a level of its own, titled '{named}' from "
                        + ("the links to it" if others else "its file name")
                        + ": check its title"
                    )
                    shown = named
            level = self.draft.level(track, shown, doc.title_piece.where if doc.title_piece else where(doc.file, 1, 1))
            level.aliases += list(title.aliases) + _slash_names(shown)
            doc.track, doc.level = track, level
            number = doc.number if doc.number is not None else title.number
            if number is not None and level.order is None:
                level.order = number
            if doc.title_piece is not None:
                self.draft.ledger.placed(doc.title_piece, f"{track.name} › {level.title} (title)")
                if doc.title_section is not None and doc.title_section.heading is not None:
                    self.done.add(id(doc.title_section.heading.text))
                if "title" in doc.document.front:
                    doc.used_front.add("title")
                    if doc.title_section is not None and doc.title_section.heading is not None:
                        heading = doc.title_section.heading.text
                        if normalize(heading.text) == normalize(doc.title):
                            self._placed(heading, doc, f"{track.name} › {level.title} (title)")
            for key in _NUMBER_KEYS:
                if key in doc.document.front and doc.number is not None:
                    doc.used_front.add(key)
                    value = doc.document.front[key]
                    self.draft.ledger.placed(
                        Piece(str(value.value), where(doc.file, value.first, value.last)), f"{track.name} › {level.title} (order)"
                    )
                    break
        for doc in pages:  # a companion page (a job description beside the level's page) adds to the same level
            primary = companions.get(id(doc))
            if primary is None or primary.level is None or primary.track is None:
                continue
            doc.track, doc.level = primary.track, primary.level
            self._shape_notes.setdefault(id(doc), f"more of {primary.file}'s level")
            if doc.title_piece is not None:
                self.draft.ledger.placed(doc.title_piece, f"{doc.track.name} › {doc.level.title} (title of a companion page)")
                doc.used_front.add("title")
                if doc.title_section is not None and doc.title_section.heading is not None:
                    self.done.add(id(doc.title_section.heading.text))
            self._shape_notes.setdefault(id(doc), f"a companion page of {primary.file}")

    def _incoming_links(self, pages: list[_Doc]) -> dict[int, list[str]]:
        """The words other pages link to each level page with."""
        found: dict[int, list[str]] = {}
        for doc in self.docs:
            for text in iter_texts(doc.document.blocks):
                for label, target in text.links:
                    page = self._page_at(doc, target, pages)
                    if page is not None and page is not doc:
                        found.setdefault(id(page), []).append(label)
        return found

    def _companions(self, pages: list[_Doc]) -> dict[int, _Doc]:
        """Pages of one level in two folders that link to each other by what they are ("Job Description", "Progression
        Document"), not by a level's name: the page deeper in the folders adds to the other's level."""
        titles = {id(d): _name_keys(split_title(d.title).title) for d in pages}
        found: dict[int, _Doc] = {}
        for doc in pages:
            for text in iter_texts(doc.document.blocks):
                for label, target in text.links:
                    other = self._page_at(doc, target, pages)
                    if (
                        other is None
                        or other is doc
                        or other.path.parent == doc.path.parent
                        or not titles[id(other)] & titles[id(doc)]
                    ):
                        continue
                    if level_marker(label) or self._levels_named(label):
                        continue
                    deeper, shallower = (doc, other) if len(doc.path.parts) > len(other.path.parts) else (other, doc)
                    if len(deeper.path.parts) != len(shallower.path.parts) and id(shallower) not in found:
                        found[id(deeper)] = shallower
        return found

    def _page_track(self, doc: _Doc, pages: list[_Doc]) -> tuple[str, str | None]:
        """The track of a level's page: named in its front matter, else its folder (by the folder's index page, or its
        name); a folder mixing managers' pages with others' makes a management track beside the other."""
        for key in _TRACK_KEYS:
            value = doc.document.front.get(key)
            if value is not None and isinstance(value.value, str) and value.value.strip():
                doc.used_front.add(key)
                return value.value.strip(), None
        folder = doc.path.parent
        siblings = [d for d in pages if d.path.parent == folder]
        ladders = [d for d in self.docs if d.path.parent == folder and d.kind == "levels"]
        if len(siblings) == 1 and ladders:
            return track_name(doc.title), None  # a one-level ladder beside pages that are ladders of their own
        name = self._folder_name(folder)
        managers = [d for d in siblings if _management(d.title)]
        if managers and len(managers) < len(siblings) and _management(doc.title):
            splitting = {d.path.parent for d in pages if _management(d.title)} - {
                d.path.parent for d in pages if all(_management(o.title) for o in pages if o.path.parent == d.path.parent)
            }
            return ("Management" if len(splitting) == 1 else f"{name} management"), None
        return name, None

    def _folder_name(self, folder: Path) -> str:
        for doc in self.docs:
            if doc.kind != "prose":
                continue
            beside = doc.path.parent == folder.parent and doc.path.stem == folder.name
            inside = doc.path.parent == folder and doc.path.stem.lower() == "_index"
            if (beside or inside) and doc.title:
                return track_name(doc.title)
        return track_name(from_file_name(folder.name)) if folder.name not in {"", "."} else "Levels"

    # -- 3. tables ----------------------------------------------------------------------------------

    def _classify_tables(self) -> None:
        found: list[tuple[_Doc, Table, list[Section]]] = []
        for doc in self.docs:
            for path in table_paths(doc.root):
                table, trail = path
                if any(id(s) in self.level_of_section for s in trail) or (doc.kind in {"level"} and doc.level):
                    continue
                found.append((doc, table, trail))
        for _doc, table, _trail in found:
            self.table_roles[id(table)] = table_role(table)
        for doc, table, trail in found:  # mappings first: they name the levels the other tables use
            if self.table_roles[id(table)].kind == "mapping":
                self._mapping_levels(doc, table, trail)
        for doc, table, trail in found:
            role = self.table_roles[id(table)]
            if role.kind in {"rows", "columns"}:
                self._table_levels(doc, table, trail, role)

    def _mapping_levels(self, doc: _Doc, table: Table, trail: list[Section]) -> None:
        """Columns of titles, a track each (the track their linked pages are on, else the one holding their titles,
        else a new one named by the column's header); the titles in one row are named as equivalent."""
        role = self.table_roles[id(table)]
        body = table.rows[role.header :]
        columns: list[tuple[int, int | None, DraftTrack]] = []
        linked: dict[int, tuple[DraftTrack, DraftLevel]] = {}  # cell -> the level its link leads to
        for column in role.title_columns:
            code = next((c for c, t in role.code_columns.items() if t == column), None)
            cells = [row[column] for row in body if row[column] is not None]
            for cell in cells:
                hits = [self._linked_level(doc, label, target) for label, target in cell.text.links]  # type: ignore[union-attr]
                if hits and hits[0] is not None and self._page_at(doc, cell.text.links[0][1]) is not None:  # type: ignore[union-attr]
                    linked[id(cell)] = hits[0]
            tracks = [linked[id(c)][0] for c in cells if id(c) in linked]
            if tracks and len(tracks) * 2 >= len(cells):
                track = max(tracks, key=lambda t: sum(1 for o in tracks if o is t))
            else:
                titles = [c.text.text for c in cells]  # type: ignore[union-attr]
                track = self._track_holding(titles) or self.draft.track(self._column_name(table, role, column, code, titles))
            columns.append((column, code, track))
        self.table_levels[id(table)] = []
        for row in body:
            in_row: list[tuple[DraftTrack, DraftLevel, str | DraftLevel]] = []
            for column, code, track in columns:
                cell = row[column]
                if cell is None:
                    continue
                code_cell = row[code] if code is not None else None
                if id(cell) in linked and linked[id(cell)][0] is track:
                    level = linked[id(cell)][1]
                else:
                    level = self._find_or_make(track, cell.text.text, code_cell.text.text if code_cell else None, doc, cell)
                name: str | DraftLevel = code_cell.text.text if code_cell and is_code(code_cell.text.text) else level
                in_row.append((track, level, name))
            for track, level, _name in in_row:
                for other_track, other, name in in_row:
                    if other_track is not track and other is not level and name not in level.equivalents:
                        level.equivalents.append(name)
                        break

    def _column_name(self, table: Table, role: TableRole, column: int, code: int | None, titles: list[str]) -> str:
        if role.header:
            for index in (column, code):
                cell = table.rows[0][index] if index is not None else None
                if cell is not None and cell.text.text.strip():
                    return track_name(cell.text.text)
        return common_name(titles) or f"Track {column + 1}"

    def _table_levels(self, doc: _Doc, table: Table, trail: list[Section], role: TableRole) -> None:
        if role.kind == "columns":
            names = [c.text.text if c else "" for c in table.rows[0][1:]]
            codes: list[str | None] = [None] * len(names)
        else:
            column = role.title_columns[0]
            code = next((c for c, t in role.code_columns.items() if t == column), None)
            body = table.rows[role.header :]
            names = [row[column].text.text if row[column] else "" for row in body]  # type: ignore[union-attr]
            codes = [row[code].text.text if code is not None and row[code] else None for row in body]  # type: ignore[union-attr]
        track = self._track_holding([n for n in names if n] + [c for c in codes if c])
        short = self._without_role([n for n in names if n])
        if track is None and short:
            track = self._track_holding(list(short.values()))  # "Junior Frontend Engineer" is the ladder's "Junior"
        longer: dict[str, DraftLevel] = {}
        if track is None:
            track, longer = self._track_by_role([n for n in names if n])
        if track is None:
            track = self.draft.track(self._table_track_name(doc, table, trail))
        levels: list[tuple[DraftTrack, DraftLevel] | None] = []
        for name, code in zip(names, codes, strict=False):
            if not name.strip():
                levels.append(None)
                continue
            if name in longer:  # "Junior" where the track's titles are "Junior Frontend Engineer"
                longer[name].aliases += [split_title(name).title] if split_title(name).title not in longer[name].aliases else []
                levels.append((track, longer[name]))
                continue
            found = self._levels_named(short[name], track) if name in short and not self._levels_named(name, track) else []
            if found:
                level = found[0][1]
                level.aliases += [name] if name not in level.aliases else []
                levels.append((track, level))
                continue
            levels.append((track, self._find_or_make(track, name, code, doc, None)))
        self.table_levels[id(table)] = levels

    def _track_by_role(self, names: list[str]) -> tuple[DraftTrack | None, dict[str, DraftLevel]]:
        """The track whose titles, without the role they share, are these names ("Junior" for "Junior Frontend
        Engineer"), with the level each name is."""
        for track in self.draft.tracks:
            shared = common_name([lv.title for lv in track.levels])
            if not shared or len(track.levels) < 2:
                continue
            role = {normalize(w) for w in shared.split()}
            by_short = {name_key(" ".join(w for w in lv.title.split() if normalize(w) not in role)): lv for lv in track.levels}
            found = {n: by_short.get(name_key(split_title(n).title)) for n in names}
            if names and all(found.values()):
                return track, {n: lv for n, lv in found.items() if lv is not None}
        return None, {}

    def _without_role(self, names: list[str]) -> dict[str, str]:
        """Titles without the role they all share, when that leaves each a level's title already read ("Junior
        Frontend Engineer" -> "Junior"): name -> the shorter name."""
        shared = common_name(names)
        if not shared:
            return {}
        role = {normalize(w) for w in shared.split()}
        short = {n: " ".join(w for w in split_title(n).title.split() if normalize(w) not in role) for n in names}
        if all(short.values()) and all(self._levels_named(v) for v in short.values()):
            return short
        return {}

    def _table_track_name(self, doc: _Doc, table: Table, trail: list[Section]) -> str:
        """The role the level titles share ("Junior Frontend Engineer" …), else the nearest heading that is not one of
        several sibling headings each holding a table of these levels."""
        names = table_level_names(table, self.table_roles[id(table)])
        shared = common_name(names)
        if shared and len(shared.split()) >= 2:
            return shared
        mine = {normalize(n) for n in names}
        corner = table.rows[0][0] if table.rows and table.rows[0] else None
        for depth in range(len(trail) - 1, -1, -1):
            section = trail[depth]
            parent = trail[depth - 1] if depth else doc.root
            if depth == len(trail) - 1 and corner is not None and normalize(corner.text.text) == normalize(section.title):
                continue  # the table's corner repeats its heading: a group of competencies, the track is above
            shared = [
                c
                for c in parent.children
                if c is not section
                for b in c.blocks
                if isinstance(b, Table)
                and id(b) in self.table_roles
                and len(mine & {normalize(n) for n in table_level_names(b, self.table_roles[id(b)])}) * 2 >= max(1, len(mine))
            ]
            if shared and depth:
                continue  # sibling headings over tables of the same levels: competency groups, the track is above
            if section.heading is not None:
                return track_name(section.title)
        return track_name(doc.title)

    def _track_holding(self, names: list[str]) -> DraftTrack | None:
        counts: dict[int, int] = {}
        for name in names:
            for track, _level in self._levels_named(name):
                counts[id(track)] = counts.get(id(track), 0) + 1
        if not counts:
            return None
        best = max(counts, key=lambda k: counts[k])
        return next(t for t in self.draft.tracks if id(t) == best)

    def _find_or_make(self, track: DraftTrack, name: str, code: str | None, doc: _Doc, cell: Cell | None) -> DraftLevel:
        title = split_title(name)
        found = self._levels_named(code, track) if code and is_code(code) else []
        found = found or self._levels_named(name, track)
        if found:
            level = found[0][1]
            if normalize(title.title) != normalize(level.title) and normalize(title.title) not in map(normalize, level.aliases):
                level.aliases.append(title.title)
        else:
            first = cell.text if cell else None
            level = self.draft.level(
                track, title.title, where(doc.file, first.first, first.last) if first else where(doc.file, 1, 1)
            )
            if level.order is None:
                level.order = float(len(track.levels))
        level.aliases += [a for a in title.aliases if a not in level.aliases]
        if code and is_code(code) and code not in level.aliases:
            level.aliases.append(code)
        return level

    def _levels_named(self, name: str | None, track: DraftTrack | None = None) -> list[tuple[DraftTrack, DraftLevel]]:
        if not name or not normalize(name):
            return []
        keys = {name_key(name), name_key(split_title(name).title)} | {name_key(a) for a in split_title(name).aliases}
        keys.discard("")
        found = []
        for candidate in [track] if track else self.draft.tracks:
            for level in candidate.levels:
                names = {name_key(level.title)} | {name_key(a) for a in level.aliases}
                if keys & names:
                    found.append((candidate, level))
        return found

    # -- 4. placing the text ------------------------------------------------------------------------

    def _placed(self, text: Text, doc: _Doc, at: str) -> None:
        if id(text) not in self.done:
            self.done.add(id(text))
            self.draft.ledger.placed(text.piece(doc.file), at)

    def _not_placed(self, text: Text, doc: _Doc, reason: str) -> None:
        if id(text) not in self.done:
            self.done.add(id(text))
            self.draft.not_placed(text.piece(doc.file), reason)

    def _put(self, text: Text, doc: _Doc, add: Any, piece_text: str | None = None) -> None:
        """Place ``text`` by calling ``add(piece)`` (a Draft method), once."""
        if id(text) in self.done:
            return
        self.done.add(id(text))
        add(text.piece(doc.file, piece_text))

    def _place_front(self, doc: _Doc) -> None:
        """Front matter the page's placing did not use: page metadata, listed as not placed."""
        for key, value in doc.document.front.items():
            if key in doc.used_front:
                continue
            piece = Piece(_front_text(value.value), where(doc.file, value.first, value.last))
            if piece.text.strip():
                self.draft.not_placed(piece, METADATA)

    def _front_description(self, doc: _Doc, add: Any) -> None:
        """A page's description in its front matter opens what the page describes."""
        for key in ("description", "summary", "subtitle", "lead", "intro"):
            value = doc.document.front.get(key)
            if value is not None and isinstance(value.value, str) and value.value.strip() and key not in doc.used_front:
                doc.used_front.add(key)
                add(Piece(value.value.strip(), where(doc.file, value.first, value.last)))

    def _place_doc(self, doc: _Doc) -> None:
        for block in doc.root.blocks:
            if isinstance(block, Markup):
                self._markup(block, doc)
        if doc.kind == "level" and doc.track and doc.level:
            blocks, children = doc.body
            track, level = doc.track, doc.level
            self._front_description(doc, lambda p: self.draft.add_field(track, level, "summary", p))
            if doc.title_section is not None and doc.title_section.heading is not None:
                self._placed(doc.title_section.heading.text, doc, f"{doc.track.name} › {doc.level.title} (title)")
            self._level_body(doc, doc.track, doc.level, [b for b in blocks if not isinstance(b, Markup)], children)
            return
        self._walk(doc, doc.root, None, top=True)

    def _walk(self, doc: _Doc, section: Section, track: DraftTrack | None, top: bool = False) -> None:
        """Place a section of a page with levels in it, or of a prose page."""
        if id(section) in self.level_of_section:
            level_track, level = self.level_of_section[id(section)]
            heading = section.heading.text if section.heading else None
            if heading is not None:
                self._placed(heading, doc, f"{level_track.name} › {level.title} (title)")
            if doc.kind == "competency":
                self._rank_body(doc, level_track, level, section)
            else:
                self._level_body(doc, level_track, level, section.blocks, section.children)
            return
        own_track = self.group_track.get(id(section)) or (track if not top else None)
        if not self._holds_levels(section):
            kind = section_kind(section.title, *[s.title for s in section.walk()][1:], doc.title)
            if section.heading is None and top:
                self._place_page_prose(doc, section, own_track)
            else:
                self.deferred_prose.append((doc, section, section.blocks, section.children, own_track, kind))
            return
        tracks = self._tracks_of_subtree(section)
        if id(section) not in self.group_track:
            own_track = tracks[0] if len(tracks) == 1 else None
        heads_page = top or section is doc.title_section
        if heads_page and own_track is None:
            self._front_description(doc, self.draft.add_description)
            if "title" in doc.document.front and doc.title_piece is not None and "title" not in doc.used_front:
                doc.used_front.add("title")
                self._name_or_description(doc.title_piece)
        if section.heading is not None:
            if own_track is not None:
                self._placed(section.heading.text, doc, f"track {own_track.name} (a heading over its levels)")
            elif heads_page:
                self._put(section.heading.text, doc, self._name_or_description)
            else:
                prose = [b for b in section.blocks if not (isinstance(b, Table) and self._is_level_table(b))]
                if has_text(prose):  # its own text is a section, its tables place their levels
                    kind = section_kind(section.title)
                    self.deferred_prose.append((doc, Section(section.heading, prose, []), prose, [], None, kind))
                    for block in section.blocks:
                        if not any(block is b for b in prose):
                            self._describe(doc, block, None)
                    for child in section.children:
                        self._walk(doc, child, own_track)
                    return
                self._placed(section.heading.text, doc, "a heading over levels of several tracks")
        if doc.kind == "competency" and id(section) in self.group_track:
            competency = self._competency_name(doc, section)
            for block in section.blocks:
                self._texts_to(block, doc, lambda p, c=competency: self.draft.add_competency_text(c, p))
        else:
            for block in section.blocks:
                self._describe(doc, block, own_track)
        for child in section.children:
            self._walk(doc, child, own_track)

    def _holds_levels(self, section: Section) -> bool:
        for sub in section.walk():
            if id(sub) in self.level_of_section or id(sub) in self.group_track:
                return True
            if any(isinstance(b, Table) and self._is_level_table(b) for b in sub.blocks):
                return True
        return False

    def _is_level_table(self, table: Table) -> bool:
        role = self.table_roles.get(id(table))
        return role is not None and role.kind in {"mapping", "rows", "columns"}

    def _tracks_of_subtree(self, section: Section) -> list[DraftTrack]:
        """The tracks whose levels a section holds (headings or tables), in the order met."""
        found: dict[int, DraftTrack] = {}
        for sub in section.walk():
            if id(sub) in self.group_track:
                found.setdefault(id(self.group_track[id(sub)]), self.group_track[id(sub)])
            if id(sub) in self.level_of_section:
                track = self.level_of_section[id(sub)][0]
                found.setdefault(id(track), track)
            for block in sub.blocks:
                if isinstance(block, Table) and self._is_level_table(block):
                    for hit in self.table_levels.get(id(block), []):
                        if hit:
                            found.setdefault(id(hit[0]), hit[0])
        return list(found.values())

    def _describe(self, doc: _Doc, block: Block, track: DraftTrack | None) -> None:
        """A block of a track's page: level tables placed, level-labelled items to their level, the rest describes
        the track (or the framework, when no track is known)."""
        if isinstance(block, Table) and self._is_level_table(block):
            self._place_level_table(doc, block)
            return
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if note(block):
            self._note_section(doc, block, track)
            return
        if isinstance(block, Table):
            self._prose_table(doc, block, self._describer(track))
            return
        for text, nested in texts_with_nesting(block):
            if self._to_named_level(doc, text, nested):
                continue
            if text.navigation and self._navigation(doc, text):
                continue
            add = self._describer(track)
            self._put(text, doc, add)
            for inner in nested:
                self._put(inner, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _describer(self, track: DraftTrack | None) -> Any:
        """Where a track's description (or, without a track, the framework's) takes a piece."""
        if track is None:
            return self.draft.add_description

        def add(piece: Piece) -> None:
            track.description.append(piece)
            self.draft.ledger.placed(piece, f"track {track.name} › description")

        return add

    def _to_named_level(self, doc: _Doc, text: Text, nested: list[Text]) -> bool:
        """ "Engineer 1 (IC2): Focuses on…" — an item that names a level is that level's summary."""
        if id(text) in self.done:
            return True
        label = text.label or _plain_label(text.text)
        if not label:
            return False
        found = self._levels_named(label)
        if len(found) != 1:
            return False
        track, level = found[0]
        rest = text.rest if text.label else text.text.split(":", 1)[1].strip()
        self._put(text, doc, lambda p: self.draft.add_field(track, level, "summary", p), rest or text.text)
        for inner in nested:
            self._put(inner, doc, lambda p: self.draft.add_field(track, level, "summary", p))
        return True

    def _navigation(self, doc: _Doc, text: Text) -> bool:
        """Links to level pages: their order orders the levels (and their words are the levels' titles); links to
        other pages are listed as navigation."""
        found = [self._linked_level(doc, label, target) for label, target in text.links]
        if found and all(found):
            names = ", ".join(f"{hit[0].name} › {hit[1].title}" for hit in found if hit)
            self._placed(text, doc, f"{names} (a link to its page)")
            return True
        if any(found):
            self._not_placed(text, doc, NAVIGATION)
            return True
        return False

    def _linked_level(self, doc: _Doc, label: str, target: str) -> tuple[DraftTrack, DraftLevel] | None:
        page = self._page_at(doc, target)
        if page is not None and page.level is not None and page.track is not None:
            return page.track, page.level
        found = self._levels_named(label)
        return found[0] if len(found) == 1 else None

    def _page_at(self, doc: _Doc, target: str, pages: list[_Doc] | None = None) -> _Doc | None:
        key = (id(doc), target, id(pages) if pages is not None else 0)
        if key not in self._pages_at:
            found = self._find_page(doc, target, pages)
            self._pages_at[key] = found if pages is None or any(found is p for p in pages) else None
        return self._pages_at[key]

    def _find_page(self, doc: _Doc, target: str, pages: list[_Doc] | None) -> _Doc | None:
        if not target or re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return None
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path:
            return None
        base = doc.path.parent / path.lstrip("/") if not path.startswith("/") else None
        candidates = []
        if base is not None:
            candidates = [base, base.with_suffix(".md"), base.with_suffix(".html"), base / "index.md", base / "_index.md"]
        resolved = {c.resolve() for c in candidates}
        if not self._resolved:
            self._resolved = {d.path.resolve(): d for d in self.docs}
        for candidate in resolved:
            if candidate in self._resolved:
                return self._resolved[candidate]
        stem = Path(path.rstrip("/")).stem.replace("-", "_").lower()
        same = [o for o in pages or self.docs if o.path.stem.replace("-", "_").lower() == stem and o.kind == "level"]
        return same[0] if len(same) == 1 else None

    # -- a level's content --------------------------------------------------------------------------

    def _level_body(
        self,
        doc: _Doc,
        track: DraftTrack,
        level: DraftLevel,
        blocks: list[Block],
        children: list[Section],
        group: str | None = None,
        competency: str | None = None,
    ) -> None:
        for block in blocks:
            self._level_block(doc, track, level, block, group, competency)
        wrapper = len(children) == 1 and bool(children[0].children) and not has_text(children[0].blocks)
        for child in children:
            heading = child.heading.text if child.heading else None
            title = split_title(child.title)
            if heading is None:
                continue
            if not reads_like_a_name(title.title):  # a sentence: one of the level's characteristics
                self._put(heading, doc, lambda p: self.draft.add_field(track, level, "summary", p))
                self._level_body(doc, track, level, child.blocks, child.children, group, competency)
                continue
            if child.children:
                inner_group = group if wrapper else title.title
                self._placed(heading, doc, f"{track.name} › {level.title} › {title.title} (heading)")
                self._codes(doc, track, level, child, title.title)
                self._level_body(
                    doc, track, level, child.blocks, [], inner_group, title.title if has_text(child.blocks) else competency
                )
                self._level_body(doc, track, level, [], child.children, inner_group, None)
            elif mostly_labelled(child.blocks):
                self._placed(heading, doc, f"{track.name} › {level.title} › {title.title} (heading)")
                self._codes(doc, track, level, child, title.title)
                for block in child.blocks:
                    self._level_block(doc, track, level, block, title.title, title.title)
            else:
                self.draft.competency(title.title, group)
                self._placed(heading, doc, f"{track.name} › {level.title} › {title.title} (heading)")
                self._codes(doc, track, level, child, title.title)
                for block in child.blocks:
                    self._level_block(doc, track, level, block, group, title.title)

    def _codes(self, doc: _Doc, track: DraftTrack, level: DraftLevel, section: Section, competency: str) -> None:
        """A code in a competency's heading ("Craftsmanship (C3)") is the level's grade in it: kept as its text."""
        heading = section.heading.text if section.heading else None
        for code in split_title(section.title).aliases:
            self.codes.setdefault(code, {})[id(level)] = (track, level)
            if heading is not None:
                self.draft.add_expectation(track, level, competency, Piece(code, where(doc.file, heading.first, heading.last)))

    def _note_section(self, doc: _Doc, block: Block, track: DraftTrack | None) -> None:
        """An aside (a NOTE quote) becomes a section of notes; the same note on many pages is kept once."""
        texts = list(iter_texts([block]))
        word = (texts[0].label or texts[0].text).split()[0] if texts else "Note"
        title = word.strip("[]!*_: ").capitalize() or "Note"
        about = [track.name] if track else []
        for k, text in enumerate(texts):
            if k == 0 and normalize(text.text) == normalize(word):
                self._placed(text, doc, f"section {title} (title)")
            else:
                self._put(text, doc, lambda p: self.draft.add_section(title, "other", p, about))
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _level_block(
        self, doc: _Doc, track: DraftTrack, level: DraftLevel, block: Block, group: str | None, competency: str | None
    ) -> None:
        if note(block):
            self._note_section(doc, block, track)
            return
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if isinstance(block, Table):
            self._level_table(doc, track, level, block, group, competency)
            return
        for text, nested in texts_with_nesting(block):
            label = text.label if text.label and reads_like_a_name(text.label) else None
            if label and (not text.rest or normalize(label) in {normalize(level.title), normalize(track.name)}):
                label = None  # "**TeamLead** - the head of a team" on TeamLead's page: the level's own summary
            target = competency
            field_name = _field(label) if label else None
            if field_name:
                self._put(text, doc, lambda p, f=field_name: self.draft.add_field(track, level, f, p), text.rest)
                for inner in nested:
                    self._put(inner, doc, lambda p, f=field_name: self.draft.add_field(track, level, f, p))
                continue
            if label:
                self.draft.competency(label, group)
                target = label
                self._put(text, doc, lambda p, c=label: self.draft.add_expectation(track, level, c, p), text.rest)
            elif target:
                self._put(text, doc, lambda p, c=target: self.draft.add_expectation(track, level, c, p))
            else:
                self._put(text, doc, lambda p: self.draft.add_field(track, level, "summary", p))
            for inner in nested:
                if target:
                    self._put(inner, doc, lambda p, c=target: self.draft.add_expectation(track, level, c, p))
                else:
                    self._put(inner, doc, lambda p: self.draft.add_field(track, level, "summary", p))
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _level_table(
        self, doc: _Doc, track: DraftTrack, level: DraftLevel, table: Table, group: str | None, competency: str | None
    ) -> None:
        """A table inside a level: under a competency, all of it is that competency's (a row naming the time in level
        fills that field); otherwise each row is a competency, named by its first cell."""
        for markup in table.markup:
            self._markup(markup, doc)
        seen: set[int] = set()
        header = header_rows(table)
        headers = [c.text.text if c else "" for c in table.rows[0]] if header else []
        constant = self.constant_columns.get(id(doc), set())
        for r, row in enumerate(table.rows):
            cells = [c for c in row if c is not None and id(c) not in seen]
            seen |= {id(c) for c in cells}
            if not cells:
                continue
            if r < header:
                for cell in cells:
                    for part in cell.parts:
                        self._placed(part, doc, f"{track.name} › {level.title} › table heading")
                continue
            if competency:
                time_row = _field(cells[0].text.text) == "typical_time_in_level" and len(cells) > 1
                for k, cell in enumerate(cells):
                    for part in cell.parts:
                        if time_row and k > 0:
                            self._put(part, doc, lambda p: self.draft.add_field(track, level, "typical_time_in_level", p))
                        else:
                            self._put(part, doc, lambda p, c=competency: self.draft.add_expectation(track, level, c, p))
                continue
            name = cells[0].text.text
            if len(cells) == 1 or not reads_like_a_name(name):
                for cell in cells:
                    for part in cell.parts:
                        self._put(part, doc, lambda p: self.draft.add_field(track, level, "summary", p))
                continue
            self.draft.competency(name, group)
            for part in cells[0].parts:
                self._placed(part, doc, f"{track.name} › {level.title} › {name} (name)")
            for cell in cells[1:]:
                column = next((k for k, c in enumerate(row) if c is cell), 0)
                column_name = normalize(headers[column]) if column < len(headers) else ""
                for part in cell.parts:
                    if column_name and column_name in constant:
                        self._put(part, doc, lambda p, c=name: self.draft.add_competency_text(c, p))
                    else:
                        self._put(part, doc, lambda p, c=name: self.draft.add_expectation(track, level, c, p))

    def _rank_body(self, doc: _Doc, track: DraftTrack, level: DraftLevel, section: Section) -> None:
        """A rank's section of a competency's page: what that competency expects at that level."""
        competency = self._competency_name(doc, None)
        for block in section.blocks:
            if isinstance(block, Markup):
                self._markup(block, doc)
                continue
            if isinstance(block, Table):
                self._level_table(doc, track, level, block, None, competency)
                continue
            self._texts_to(block, doc, lambda p, c=competency: self.draft.add_expectation(track, level, c, p))
        for child in section.children:
            for sub in child.walk():
                if sub.heading is not None:
                    self._put(sub.heading.text, doc, lambda p, c=competency: self.draft.add_expectation(track, level, c, p))
                for block in sub.blocks:
                    self._texts_to(block, doc, lambda p, c=competency: self.draft.add_expectation(track, level, c, p))

    def _find_constant_columns(self) -> None:
        """In pages with a table per level, a column that says the same for each competency at every level describes
        the competency (not what a level expects of it)."""
        for doc in self.docs:
            tables = [
                b
                for parent, levels in doc.groups
                for section in levels
                for sub in section.walk()
                for b in sub.blocks
                if isinstance(b, Table)
            ]
            if len(tables) < 2:
                continue
            seen: dict[str, dict[str, str]] = {}
            counts: dict[str, int] = {}
            varying: set[str] = set()
            for table in tables:
                if not header_rows(table):
                    continue
                headers = [normalize(c.text.text) if c else "" for c in table.rows[0]]
                for k, header in enumerate(headers[1:], start=1):
                    if not header:
                        continue
                    counts[header] = counts.get(header, 0) + 1
                    for row in table.rows[1:]:
                        if row[0] is None or k >= len(row):
                            continue
                        text = normalize(row[k].text.text) if row[k] is not None else ""
                        known = seen.setdefault(header, {}).setdefault(normalize(row[0].text.text), text)
                        if known != text:
                            varying.add(header)
            self.constant_columns[id(doc)] = {h for h, n in counts.items() if n >= 2 and h not in varying}

    def _competency_name(self, doc: _Doc, section: Section | None) -> str:
        name = doc.title
        if doc.title_piece is not None and id(doc) not in self.named:
            self.named.add(id(doc))
            self.draft.ledger.placed(doc.title_piece, f"competency {name} (name)")
            if doc.title_section is not None and doc.title_section.heading is not None:
                self.done.add(id(doc.title_section.heading.text))
            doc.used_front.add("title")
        self.draft.competency(name)
        return name

    def _texts_to(self, block: Block, doc: _Doc, add: Any) -> None:
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        for text in iter_texts([block]):
            self._put(text, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _markup(self, markup: Markup, doc: _Doc) -> None:
        if id(markup) in self.done:
            return
        self.done.add(id(markup))
        self.draft.not_placed(Piece(markup.text, where(doc.file, markup.first, markup.last)), markup.reason)

    # -- level tables -------------------------------------------------------------------------------

    def _place_level_table(self, doc: _Doc, table: Table) -> None:
        role = self.table_roles[id(table)]
        levels = self.table_levels.get(id(table), [])
        for markup in table.markup:
            self._markup(markup, doc)
        if role.kind == "mapping":
            self._place_mapping(doc, table, role)
        elif role.kind == "columns":
            self._place_columns(doc, table, levels)
        else:
            self._place_rows(doc, table, role, levels)

    def _place_mapping(self, doc: _Doc, table: Table, role: TableRole) -> None:
        for r, row in enumerate(table.rows):
            for cell in dict.fromkeys(c for c in row if c is not None):
                for part in cell.parts:
                    if r < role.header:
                        self._placed(part, doc, "tracks (names of the columns mapping levels across tracks)")
                    else:
                        self._placed(part, doc, "level titles, codes and equivalents")

    def _place_columns(self, doc: _Doc, table: Table, levels: list[tuple[DraftTrack, DraftLevel] | None]) -> None:
        corner = table.rows[0][0]
        group = corner.text.text if corner is not None and reads_like_a_name(corner.text.text) else None
        if corner is not None:
            for part in corner.parts:
                self._placed(part, doc, f"competency group {group}" if group else "table corner")
        for k, cell in enumerate(table.rows[0][1:]):
            if cell is not None and k < len(levels) and levels[k]:
                track, level = levels[k]  # type: ignore[misc]
                for part in cell.parts:
                    self._placed(part, doc, f"{track.name} › {level.title} (title)")
        for row in table.rows[1:]:
            name_cell = row[0]
            others = row[1:]
            if name_cell is None:
                for k, cell in enumerate(others):
                    if cell is not None and k < len(levels) and levels[k]:
                        track, level = levels[k]  # type: ignore[misc]
                        for part in cell.parts:
                            self._put(part, doc, lambda p, t=track, lv=level: self.draft.add_field(t, lv, "summary", p))
                continue
            name = name_cell.text.text
            if all(c is None or c is name_cell for c in others):
                group = name  # a category row: the rows below belong to it
                for part in name_cell.parts:
                    self._placed(part, doc, f"competency group {name}")
                continue
            field_name = _field(name)
            if not field_name:
                self.draft.competency(name, group)
            for part in name_cell.parts:
                self._placed(part, doc, f"competency {name} (name)" if not field_name else f"level field {field_name}")
            for k, cell in enumerate(others):
                if cell is None or cell is name_cell or k >= len(levels) or not levels[k]:
                    continue
                track, level = levels[k]  # type: ignore[misc]
                spans = k > 0 and others[k - 1] is cell  # a cell spanning levels says it of each
                for part in cell.parts:
                    if field_name:
                        add = lambda p, t=track, lv=level, f=field_name: self.draft.add_field(t, lv, f, p)  # noqa: E731
                    else:
                        add = lambda p, t=track, lv=level, c=name: self.draft.add_expectation(t, lv, c, p)  # noqa: E731
                    if spans:
                        add(part.piece(doc.file))
                    else:
                        self._put(part, doc, add)

    def _place_rows(self, doc: _Doc, table: Table, role: TableRole, levels: list[tuple[DraftTrack, DraftLevel] | None]) -> None:
        title_column = role.title_columns[0]
        headers = [c.text.text if c else "" for c in table.rows[0]] if role.header else [""] * len(table.rows[0])
        for cell in dict.fromkeys(c for c in (table.rows[0] if role.header else []) if c is not None):
            for part in cell.parts:
                self._placed(part, doc, "table heading (names of the levels' fields and competencies)")
        short = {k for k in range(len(headers)) if short_column(table, k, role.header)}
        for row, found in zip(table.rows[role.header :], levels, strict=False):
            if not found:
                for cell in dict.fromkeys(c for c in row if c is not None):
                    for part in cell.parts:
                        self._put(part, doc, lambda p: self.draft.add_description(p))
                continue
            track, level = found
            for k, cell in enumerate(row):
                if cell is None or (k and cell is row[k - 1]):
                    continue
                header = headers[k] if k < len(headers) else ""
                if k == title_column or k in role.code_columns:
                    for part in cell.parts:
                        self._placed(part, doc, f"{track.name} › {level.title} ({'title' if k == title_column else 'code'})")
                    continue
                field_name = _field(header) if header else None
                for part in cell.parts:
                    if field_name:
                        self._put(part, doc, lambda p, t=track, lv=level, f=field_name: self.draft.add_field(t, lv, f, p))
                    elif k in short or not header:
                        label = f"{header}: {part.text}" if header else part.text
                        self._put(part, doc, lambda p, t=track, lv=level: self.draft.add_field(t, lv, "summary", p), label)
                    else:
                        self.draft.competency(header)
                        self._put(part, doc, lambda p, t=track, lv=level, c=header: self.draft.add_expectation(t, lv, c, p))

    # -- prose --------------------------------------------------------------------------------------

    def _place_page_prose(self, doc: _Doc, root: Section, track: DraftTrack | None) -> None:
        """A page without levels: an index page describes the framework (or its folder's track), a track's page its
        track, any other page becomes sections of prose."""
        page_track = track or self._track_of_page(doc)
        blocks, children = doc.body
        if doc.title_section is not None and doc.title_section.heading is not None:
            heading = doc.title_section.heading.text
            if page_track is not None:
                self._placed(heading, doc, f"track {page_track.name} (its page's title)")
            elif doc.is_index:
                self._put(heading, doc, self._name_or_description)
        if doc.title_piece is not None and "title" in doc.document.front and (doc.is_index or page_track is not None):
            doc.used_front.add("title")
            self.draft.ledger.placed(
                doc.title_piece, f"track {page_track.name} (its page's title)" if page_track else "framework › name"
            )
            if page_track is None and not self.draft.name:
                self.draft.name = doc.title
        if page_track is not None or doc.is_index:
            for block in blocks:
                self._describe(doc, block, page_track)
            for child in children:
                kind = section_kind(child.title, *[s.title for s in child.walk()][1:])
                if page_track is not None and kind == "other":
                    for sub in child.walk():
                        if sub.heading is not None:
                            self._describe(doc, Paragraph(sub.heading.text), page_track)
                        for block in sub.blocks:
                            self._describe(doc, block, page_track)
                else:
                    self.deferred_prose.append((doc, child, child.blocks, child.children, page_track, kind))
            return
        title_text = doc.title_section.heading.text if doc.title_section is not None and doc.title_section.heading else None
        kind = section_kind(doc.title, *[s.title for s in root.walk()][1:])
        if not children:
            if title_text is not None or doc.title_piece is not None or blocks:
                section = doc.title_section or Section(None, blocks, children)
                self.deferred_prose.append((doc, section, blocks, [], None, kind))
            return
        # a page of several sections: what opens it is a section named by the page, each heading below one of its own
        opening = doc.title_section or Section(None, blocks, [])
        if has_text(blocks):
            self.deferred_prose.append((doc, opening, blocks, [], None, section_kind(doc.title)))
        elif title_text is not None:
            self._placed(title_text, doc, "the title of a page of sections")
        elif doc.title_piece is not None and "title" in doc.document.front:
            doc.used_front.add("title")
            self.draft.ledger.placed(doc.title_piece, "the title of a page of sections")
        for child in children:
            child_kind = section_kind(child.title, *[s.title for s in child.walk()][1:], doc.title)
            self.deferred_prose.append((doc, child, child.blocks, child.children, None, child_kind))

    def _name_or_description(self, piece: Piece) -> None:
        if not self.draft.name:
            self.draft.name = piece.text
            self.draft.ledger.placed(piece, "framework › name")
        else:
            self.draft.add_description(piece)

    def _track_of_page(self, doc: _Doc) -> DraftTrack | None:
        """The track a page describes: one named like it, or the one whose level pages sit in the folder beside it
        (``engineer-track.md`` beside ``engineer-track/``) or under it (``_index.md``)."""
        name = normalize(track_name(doc.title))
        for track in self.draft.tracks:
            if normalize(track.name) == name:
                return track
        for other in self.docs:
            if other.kind != "level" or other.track is None:
                continue
            beside = other.path.parent.name == doc.path.stem and other.path.parent.parent == doc.path.parent
            inside = doc.path.stem.lower() == "_index" and other.path.parent == doc.path.parent
            if beside or inside:
                return other.track
        return None

    def _place_prose(
        self,
        doc: _Doc,
        section: Section,
        blocks: list[Block],
        children: list[Section],
        track: DraftTrack | None,
        kind: str,
    ) -> None:
        """A section of prose: its heading is its title; competency definitions go to their competencies."""
        title = section.title or doc.title
        about = [track.name] if track else []
        clash = [s for s in self.draft.sections if normalize(s.title) == normalize(title) and s.about != about]
        if clash and track is not None:
            title = f"{title} ({track.name})"
        heading = section.heading.text if section.heading else None

        added = [0]

        def add(piece: Piece) -> None:
            added[0] += 1
            self.draft.add_section(title, kind, piece, about)  # type: ignore[arg-type]

        if heading is None and doc.title_piece is not None and "title" in doc.document.front:
            doc.used_front.add("title")
            self.draft.ledger.placed(doc.title_piece, f"section {title} (title)")
        for block in blocks:
            self._prose_block(doc, block, add, kind)
        for child in children:
            competency = self._competency_called(child.title)
            if competency is not None and has_text(child.blocks):
                if child.heading is not None:
                    self._placed(child.heading.text, doc, f"competency {competency} (name)")
                for sub in child.walk():
                    if sub is not child and sub.heading is not None:
                        self._put(sub.heading.text, doc, lambda p, c=competency: self.draft.add_competency_text(c, p))
                    for block in sub.blocks:
                        self._definition(doc, block, competency)
                continue
            for sub in child.walk():
                if sub.heading is not None:
                    self._put(sub.heading.text, doc, add)
                for block in sub.blocks:
                    self._prose_block(doc, block, add, kind)
        if heading is not None and id(heading) not in self.done:
            if added[0]:
                self._placed(heading, doc, f"section {title} (title)")
            elif children:
                self._placed(heading, doc, "a heading over competency definitions")
            else:
                self._put(heading, doc, add)  # a heading with nothing under it is a section of its own words

    def _definition(self, doc: _Doc, block: Block, competency: str) -> None:
        """A block under a competency's heading in prose: its definition (a labelled item naming another competency
        defines that one)."""
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        for text, nested in texts_with_nesting(block):
            named = self._competency_called(text.label) if text.label and text.rest else None
            target = named or competency
            self._put(text, doc, lambda p, c=target: self.draft.add_competency_text(c, p), text.rest if named else None)
            for inner in nested:
                self._put(inner, doc, lambda p, c=target: self.draft.add_competency_text(c, p))
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _prose_block(self, doc: _Doc, block: Block, add: Any, kind: str) -> None:
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if isinstance(block, Table) and self._is_level_table(block):
            self._place_level_table(doc, block)
            return
        if isinstance(block, Table):
            self._prose_table(doc, block, add)
            return
        for text, nested in texts_with_nesting(block):
            if id(text) in self.done:
                continue
            if text.navigation and self._navigation(doc, text):
                continue
            competency = self._competency_called(text.label) if text.label and text.rest else None
            if competency is not None:
                self._put(text, doc, lambda p, c=competency: self.draft.add_competency_text(c, p), text.rest)
                for inner in nested:
                    self._put(inner, doc, lambda p, c=competency: self.draft.add_competency_text(c, p))
                continue
            if self._to_named_level(doc, text, nested):
                continue
            self._put(text, doc, add)
            for inner in nested:
                self._put(inner, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _prose_table(self, doc: _Doc, table: Table, add: Any) -> None:
        """A table that is not levels: a table of competency names by group sets their groups; a table of links to
        level pages orders them; any other is kept as text, a row per line."""
        for markup in table.markup:
            self._markup(markup, doc)
        header = header_rows(table)
        width = len(table.rows[0]) if table.rows else 0
        groups = [table.rows[0][k].text.text if header and table.rows[0][k] else None for k in range(width)]
        seen: set[int] = set()
        grouped: set[int] = set()
        leftovers: list[Cell] = []
        for row in table.rows[header:]:
            for k, cell in enumerate(row):
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                if cell.text.navigation and self._navigation(doc, cell.text):
                    continue
                named = self._competency_called(cell.text.text)
                if named is not None and groups[k]:
                    competency = self.draft.competency(named)
                    competency.group = competency.group or groups[k]
                    self._placed(cell.text, doc, f"competency {competency.name} (in group {groups[k]})")
                    grouped.add(k)
                    continue
                leftovers.append(cell)
        for k, cell in enumerate(table.rows[0] if header else []):
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                if k in grouped:
                    self._placed(cell.text, doc, f"competency group {cell.text.text}")
                else:
                    leftovers.insert(0, cell)
        for cell in leftovers:
            for part in cell.parts:
                self._put(part, doc, add)

    def _competency_called(self, name: str | None) -> str | None:
        if not name:
            return None
        key = normalize(name)
        if key in self.draft.competencies:
            return self.draft.competencies[key].name
        singular = {key.rstrip("s"), key + "s"}
        for other, competency in self.draft.competencies.items():
            if other in singular:
                return competency.name
        return None

    # -- 5. order, forks and what is left ------------------------------------------------------------

    def _order_tracks(self) -> None:
        """Levels lowest first: by the numbers the pages give (front matter, "Level 3"), by the order an index page
        lists them in, by seniority words, else as read."""
        positions: dict[int, dict[int, int]] = {}  # track -> level -> place in the run of links naming most of them
        for doc in self.docs:
            for nav in navigation_runs(doc.root):
                run: dict[int, dict[int, int]] = {}
                for index, (label, target) in enumerate(nav):
                    hit = self._linked_level(doc, label, target)
                    if hit is not None:
                        run.setdefault(id(hit[0]), {}).setdefault(id(hit[1]), index)
                for track_id, places in run.items():
                    if len(places) >= 2 and len(places) > len(positions.get(track_id, {})):
                        positions[track_id] = places
        for track in self.draft.tracks:
            levels = track.levels
            pages = [d for d in self.docs if d.track is track]
            if len(levels) < 2 or not pages:
                continue
            order = positions.get(id(track), {})
            if all(level.order is not None for level in levels) and len({level.order for level in levels}) == len(levels):
                levels.sort(key=lambda lv: lv.order or 0)
            elif all(id(level) in order for level in levels):
                levels.sort(key=lambda lv: order[id(lv)])
            else:
                read = {id(d.level): self.read_order[id(d)] for d in pages if d.level is not None}
                levels.sort(key=lambda lv: (_rank(lv), read.get(id(lv), 0)))

    def _starts_after(self) -> None:
        """A track whose description says it starts after another track's level ("These roles start after Senior
        Developer") continues from that level."""
        for track in self.draft.tracks:
            if track.starts_after:
                continue
            for piece in track.description:
                match = _STARTS_AFTER.search(piece.text)
                if not match:
                    continue
                tail = normalize(match.group(1))
                names = sorted(
                    (
                        (level.title, normalize(level.title))
                        for other in self.draft.tracks
                        if other is not track
                        for level in other.levels
                    ),
                    key=lambda pair: -len(pair[1]),
                )
                hit = next((key for _title, key in names if key and (tail == key or tail.startswith(key + " "))), None)
                if hit:
                    candidates = [
                        (other, level)
                        for other in self.draft.tracks
                        if other is not track
                        for level in other.levels
                        if normalize(level.title) == hit
                    ]
                    linking = self._tracks_linking_to(track)
                    preferred = [c for c in candidates if id(c[0]) in linking] or candidates
                    track.starts_after = preferred[0][1] if len(preferred) == 1 else preferred[0][1].title
                    break

    def _tracks_linking_to(self, track: DraftTrack) -> set[int]:
        """The tracks whose pages link to a page of ``track``."""
        pages = [d for d in self.docs if d.track is track or any(self.group_track.get(id(p)) is track for p, _ in d.groups)]
        linking: set[int] = set()
        for doc in self.docs:
            tracks = (
                {id(doc.track)}
                if doc.track
                else {id(self.group_track[id(p)]) for p, _ in doc.groups if id(p) in self.group_track}
            )
            for text in iter_texts(doc.document.blocks):
                if any(self._page_at(doc, target) in pages for _label, target in text.links if self._page_at(doc, target)):
                    linking |= tracks
        return linking

    def _unique_codes(self) -> None:
        """A grade code in a competency's heading that only one level carries ("Behavior (B0)") names that level."""
        for code, levels in self.codes.items():
            if len(levels) == 1:
                _track, level = next(iter(levels.values()))
                if code not in level.aliases:
                    level.aliases.append(code)

    def _leftovers(self) -> None:
        """Anything no rule above placed is listed, with its place: nothing is lost silently."""
        for doc in self.docs:
            for text in iter_texts(doc.document.blocks):
                if id(text) not in self.done:
                    self._not_placed(text, doc, "not placed by the document reader")
            for markup in iter_markup(doc.document.blocks):
                self._markup(markup, doc)


# -- helpers ------------------------------------------------------------------------------------------


def _has_content(doc: _Doc) -> bool:
    blocks, children = doc.body
    return has_text(blocks) or any(section_has_text(c) for c in children)


def _field(label: str | None) -> LevelField | None:
    if not label:
        return None
    key = normalize(label)
    for name, labels in _FIELDS.items():
        if key in labels or (name == "typical_time_in_level" and ("tenure" in key.split() or "time in" in key)):
            return name  # type: ignore[return-value]
    return None


def _plain_label(text: str) -> str | None:
    """ "Engineer 1 (IC2): Focuses on…" -> "Engineer 1 (IC2)"."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and 0 < len(head.split()) <= 8 and "\n" not in head:
        return head.strip()
    return None


def _management(title: str) -> bool:
    """A manager's title ("Engineering Manager", "Director of Engineering"); one naming two roles ("Engineer IV /
    Platform Manager") only when both are."""
    return all(any(w in _MANAGEMENT for w in words(part)) for part in title.split("/") if part.strip())


def _rank(level: DraftLevel) -> float:
    if level.order is not None:
        return level.order
    found = seniority(level.title)
    if found is None:
        step = split_title(level.title).number
        parts = words(level.title)
        last = next((w for w in reversed(parts) if number_of(w) is not None), None)
        step = number_of(last) if last else step
        return 2.5 + (step or 0) / 100
    return found


def _slash_names(title: str) -> list[str]:
    """ "Software Engineer IV / Platform Manager" names two roles: each is another name of the level."""
    parts = [p.strip() for p in title.split(" / ")]
    return [p for p in parts if p and len(parts) > 1 and reads_like_a_name(p)]


def _name_keys(title: str) -> set[str]:
    """A title's name, and each of the names a title joins with "/" ("Engineer IV / Platform Manager")."""
    return {name_key(title)} | {name_key(part) for part in title.split("/") if part.strip()}


def _front_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_front_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_front_text(v) for v in value)
    return str(value)
