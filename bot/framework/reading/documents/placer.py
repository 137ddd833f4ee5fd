"""The steps of placing the pages read into one draft, in order."""

from __future__ import annotations

from bot.framework.reading.documents.forks import Forks
from bot.framework.reading.documents.heading_levels import HeadingLevels
from bot.framework.reading.documents.level_text import LevelText
from bot.framework.reading.documents.page_levels import PageLevels
from bot.framework.reading.documents.page_walk import PageWalk
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.prose import Prose
from bot.framework.reading.documents.said_equivalents import SaidEquivalents
from bot.framework.reading.documents.table_levels import TableLevels
from bot.framework.reading.documents.table_text import TableText
from bot.framework.reading.documents.track_order import TrackOrder
from bot.framework.reading.draft import DraftLevel, DraftTrack
from bot.framework.reading.outline import Heading, iter_markup, iter_texts
from bot.framework.reading.page_shapes import table_paths


class Placer(HeadingLevels, PageLevels, TableLevels, TableText, LevelText, PageWalk, Prose, TrackOrder, Forks, SaidEquivalents):
    """Places every page of one draft: levels first (headings, pages, tables), then the text, then order and forks."""

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
        self._order_by_own_tables()
        self._levels_from_keys()
        self._read_diagrams()
        self._find_constant_columns()
        for doc in sorted(self.docs, key=lambda d: d.kind == "prose"):  # prose after levels: it names their competencies
            self._place_doc(doc)
        for doc, section, blocks, children, track, kind in self.deferred_prose:
            self._place_prose(doc, section, blocks, children, track, kind)
        self._order_tracks()
        self._starts_after()
        self._name_from_title()
        for doc in self.docs:
            self._place_front(doc)  # after the steps that read front matter (a first page's ``after:``)
        self._unique_codes()
        self._band_equivalents()
        self._said_equivalents()
        self._leftovers()
        for doc in self.docs:
            self.draft.shapes.append(f"{doc.file}: {self._shape_of(doc)}")

    def _shape_of(self, doc: Page) -> str:
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
            if id(doc) in self._shape_notes:
                shape += f": {self._shape_notes[id(doc)]}"  # a page about moving between two levels
        return "; ".join([shape] + found)

    def _name_from_title(self) -> None:
        """A framework no page named yet is named by a page's title rather than by a file's name: its index page's
        (README, index: its title, else its first top heading), else the first prose page's, else the one page
        with a heading per level (several such pages are tracks, each named by its own title). An export's
        additions are gone from the title already (" - Confluence", Notion's id)."""
        if self.draft.name:
            return
        ladders = [d for d in self.docs if d.kind == "levels"]
        candidates = sorted(
            (d for d in self.docs if d.kind == "prose" or (d.kind == "levels" and len(ladders) == 1)),
            key=lambda d: (not d.is_index, d.kind != "prose", self.read_order[id(d)]),
        )
        for doc in candidates:
            if doc.title_piece is not None and doc.title.strip():
                self.draft.name = doc.title
                if "title" in doc.document.front and "title" not in doc.used_front:
                    doc.used_front.add("title")
                    self.draft.ledger.placed(doc.title_piece, "framework › name")
                return
            top = next((b for b in doc.document.blocks if isinstance(b, Heading) and b.depth == 1), None)
            if doc.is_index and top is not None:
                self.draft.name = top.text.text  # the heading itself is placed where its page's text went
                return

    def _band_equivalents(self) -> None:
        """Levels whose pages give the same band (or grade) on different tracks, one per track, are equivalent — unless
        the pages name equivalents of their own."""
        by_band: dict[float, list[tuple[DraftTrack, DraftLevel]]] = {}
        for track, level, band in self.bands.values():
            by_band.setdefault(band, []).append((track, level))
        for found in by_band.values():
            tracks = [id(track) for track, _level in found]
            if len(set(tracks)) < 2 or len(set(tracks)) != len(tracks) or any(lv.equivalents for _t, lv in found):
                continue
            first = found[0][1]
            for _track, level in found[1:]:
                level.equivalents.append(first)

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
