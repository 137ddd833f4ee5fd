"""What every step of placing pages shares: the pages, what is placed already, and how a text is placed or listed
as not placed, a level found by its name, a page found by a link to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bot.framework.names import name_key, normalize
from bot.framework.reading.documents.pages import Page, front_text, read_page
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack, Piece, SectionKind
from bot.framework.reading.labels import FieldClaims
from bot.framework.reading.meta_lines import meta_pairs, number_in
from bot.framework.reading.outline import Block, Document, Markup, Paragraph, Section, Table, Text, iter_markup, iter_texts, where
from bot.framework.reading.page_chrome import CHROME, is_ui_line
from bot.framework.reading.page_shapes import TableRole
from bot.framework.reading.titles import is_code, split_title

NAVIGATION = "navigation markup (links to other pages, or to places in the page)"
METADATA = "front matter markup (page metadata)"


class Placing:
    """The state of placing the pages of one draft, and the ways every step places a text."""

    def __init__(self, draft: Draft, documents: list[Document]) -> None:
        self.draft = draft
        self.docs = [read_page(d) for d in documents]
        self.done: set[int] = set()
        self.level_of_section: dict[int, tuple[DraftTrack, DraftLevel]] = {}
        self.group_track: dict[int, DraftTrack] = {}
        self.table_roles: dict[int, TableRole] = {}
        self.table_levels: dict[int, list[tuple[DraftTrack, DraftLevel] | None]] = {}
        self.constant_columns: dict[int, set[str]] = {}
        self.read_order: dict[int, int] = {}
        self.named: set[int] = set()
        self._shape_notes: dict[int, str] = {}
        self._pages_at: dict[tuple[int, str, int], Page | None] = {}
        self._resolved: dict[Path, Page] = {}
        self.codes: dict[str, dict[int, tuple[DraftTrack, DraftLevel]]] = {}
        self.field_claims = FieldClaims()
        self.section_about: dict[int, list[DraftLevel]] = {}
        self.navigation: set[int] = set()
        """Texts listed as navigation (links only), so that a heading over nothing else is navigation too."""
        self.deferred_prose: list[tuple[Page, Section, list[Block], list[Section], DraftTrack | None, SectionKind]] = []
        self.bands: dict[int, tuple[DraftTrack, DraftLevel, float]] = {}
        """Level -> the band (or grade) its page's metadata line gives it, shared across tracks."""

    def _placed(self, text: Text, doc: Page, at: str) -> None:
        if id(text) not in self.done:
            self.done.add(id(text))
            self.draft.ledger.placed(text.piece(doc.file), at)

    def _not_placed(self, text: Text, doc: Page, reason: str) -> None:
        if id(text) not in self.done:
            self.done.add(id(text))
            self.draft.not_placed(text.piece(doc.file), reason)

    def _put(self, text: Text, doc: Page, add: Any, piece_text: str | None = None) -> None:
        """Place ``text`` by calling ``add(piece)`` (a Draft method), once."""
        if id(text) in self.done:
            return
        self.done.add(id(text))
        add(text.piece(doc.file, piece_text))

    def _markup(self, markup: Markup, doc: Page) -> None:
        if id(markup) in self.done:
            return
        self.done.add(id(markup))
        self.draft.not_placed(Piece(markup.text, where(doc.file, markup.first, markup.last)), markup.reason)

    def _meta_line(self, block: Block, doc: Page, track: DraftTrack | None = None, level: DraftLevel | None = None) -> bool:
        """A paragraph of page metadata ("**Track:** Leadership · **Grade:** 7"), placed: on a level's page its track
        (the one the page is on), its band or grade (shared across tracks) and its number or code; anything else is
        the page's own metadata, listed as not placed. False when ``block`` is no such line."""
        if not isinstance(block, Paragraph):
            return False
        text = block.text
        if level is None and is_ui_line(text.text):  # "Created by …, last modified on …" in a page's prose
            self._not_placed(text, doc, CHROME)
            return True
        pairs = meta_pairs(text.text)
        if pairs is None:
            return False
        if id(text) in self.done:
            return True
        self.done.add(id(text))
        place = where(doc.file, text.first, text.last)
        for pair in pairs:
            piece = Piece(pair.text, place)
            number = number_in(pair.value)
            if track is not None and level is not None:
                if pair.role == "track" and normalize(pair.value) == normalize(track.name):
                    self.draft.ledger.placed(piece, f"track {track.name} (the track {level.title}'s page names)")
                    continue
                if pair.role == "band" and number is not None:
                    self.bands[id(level)] = (track, level, number)
                    self.draft.ledger.placed(piece, f"{track.name} › {level.title} (band {pair.value})")
                    continue
                if pair.role == "rank" and is_code(pair.value):
                    level.aliases += [pair.value] if pair.value not in level.aliases else []
                    self.draft.ledger.placed(piece, f"{track.name} › {level.title} (another name)")
                    continue
                if pair.role == "rank" and number is not None:
                    level.order = number if level.order is None else level.order
                    self.draft.ledger.placed(piece, f"{track.name} › {level.title} (order)")
                    continue
            self.draft.not_placed(piece, METADATA)
        return True

    def _page_meta_track(self, doc: Page) -> str | None:
        """The track a page's metadata line names, in the page's opening text."""
        for block in doc.body[0]:
            if isinstance(block, Paragraph):
                for pair in meta_pairs(block.text.text) or []:
                    if pair.role == "track":
                        return pair.value
        return None

    def _texts_to(self, block: Block, doc: Page, add: Any) -> None:
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        for text in iter_texts([block]):
            self._put(text, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _place_front(self, doc: Page) -> None:
        """Front matter the page's placing did not use: page metadata, listed as not placed."""
        heading = doc.title_section.heading.text if doc.title_section and doc.title_section.heading else None
        for key, value in doc.document.front.items():
            if key in doc.used_front:
                continue
            piece = Piece(front_text(value.value), where(doc.file, value.first, value.last))
            if (
                key == "title"
                and heading is not None
                and id(heading) in self.done
                and normalize(heading.text) == normalize(piece.text)
            ):
                self.draft.ledger.placed(piece, "the page's title (placed as its heading)")
            elif piece.text.strip():
                self.draft.not_placed(piece, METADATA)

    def _front_description(self, doc: Page, add: Any) -> None:
        """A page's description in its front matter opens what the page describes."""
        for key in ("description", "summary", "subtitle", "lead", "intro"):
            value = doc.document.front.get(key)
            if value is not None and isinstance(value.value, str) and value.value.strip() and key not in doc.used_front:
                doc.used_front.add(key)
                add(Piece(value.value.strip(), where(doc.file, value.first, value.last)))

    def _describer(self, track: DraftTrack | None) -> Any:
        """Where a track's description (or, without a track, the framework's) takes a piece."""
        if track is None:
            return self.draft.add_description

        def add(piece: Piece) -> None:
            track.description.append(piece)
            self.draft.ledger.placed(piece, f"track {track.name} › description")

        return add

    def _name_or_description(self, piece: Piece) -> None:
        if not self.draft.name or normalize(piece.text) == normalize(self.draft.name):
            self.draft.name = self.draft.name or piece.text
            self.draft.ledger.placed(piece, "framework › name")
        else:
            self.draft.add_description(piece)

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

    def _track_holding(self, names: list[str]) -> DraftTrack | None:
        counts: dict[int, int] = {}
        for name in names:
            for track, _level in self._levels_named(name):
                counts[id(track)] = counts.get(id(track), 0) + 1
        if not counts:
            return None
        best = max(counts, key=lambda k: counts[k])
        return next(t for t in self.draft.tracks if id(t) == best)

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

    def _is_level_table(self, table: Table) -> bool:
        role = self.table_roles.get(id(table))
        return role is not None and role.kind in {"mapping", "rows", "columns"}

    def _linked_level(self, doc: Page, label: str, target: str) -> tuple[DraftTrack, DraftLevel] | None:
        page = self._page_at(doc, target)
        if page is not None and page.level is not None and page.track is not None:
            return page.track, page.level
        found = self._levels_named(label)
        return found[0] if len(found) == 1 else None

    def _page_at(self, doc: Page, target: str, pages: list[Page] | None = None) -> Page | None:
        key = (id(doc), target, id(pages) if pages is not None else 0)
        if key not in self._pages_at:
            found = self._find_page(doc, target, pages)
            self._pages_at[key] = found if pages is None or any(found is p for p in pages) else None
        return self._pages_at[key]

    def _find_page(self, doc: Page, target: str, pages: list[Page] | None) -> Page | None:
        if not target or re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return None
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
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

    # -- steps one mixin calls in another: defined by the step that owns them, all present in Placer -----------------

    def _level_body(
        self,
        doc: Page,
        track: DraftTrack,
        level: DraftLevel,
        blocks: list[Block],
        children: list[Section],
        group: str | None = None,
        competency: str | None = None,
    ) -> None:
        raise NotImplementedError  # LevelText

    def _rank_body(self, doc: Page, track: DraftTrack, level: DraftLevel, section: Section) -> None:
        raise NotImplementedError  # LevelText

    def _note_section(self, doc: Page, block: Block, track: DraftTrack | None) -> None:
        raise NotImplementedError  # LevelText

    def _competency_name(self, doc: Page, section: Section | None) -> str:
        raise NotImplementedError  # LevelText

    def _place_level_table(self, doc: Page, table: Table) -> None:
        raise NotImplementedError  # TableText

    def _describe(self, doc: Page, block: Block, track: DraftTrack | None) -> None:
        raise NotImplementedError  # PageWalk

    def _to_named_level(self, doc: Page, text: Text, nested: list[Text]) -> bool:
        raise NotImplementedError  # PageWalk

    def _nested_navigation(self, doc: Page, nested: list[Text], add: Any) -> None:
        raise NotImplementedError  # PageWalk

    def _navigation(self, doc: Page, text: Text) -> bool:
        raise NotImplementedError  # PageWalk

    def _place_page_prose(self, doc: Page, root: Section, track: DraftTrack | None) -> None:
        raise NotImplementedError  # Prose

    def _prose_table(self, doc: Page, table: Table, add: Any) -> None:
        raise NotImplementedError  # Prose
