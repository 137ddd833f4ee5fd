"""Prose: a page without levels describes the framework or a track, or becomes sections (their kind guessed from their
headings); competency definitions go to their competencies; a table that is not levels is kept as text."""

from __future__ import annotations

from typing import Any

from bot.framework.names import normalize
from bot.framework.reading.documents.keyed_tables import KeyedTables
from bot.framework.reading.documents.pages import Page, between
from bot.framework.reading.documents.placing import NAVIGATION
from bot.framework.reading.draft import DraftLevel, DraftTrack, Piece, SectionKind
from bot.framework.reading.outline import Block, Cell, Markup, Paragraph, Section, Table, cell_text, iter_markup, iter_texts
from bot.framework.reading.page_shapes import has_text, header_rows, texts_with_nesting
from bot.framework.reading.titles import section_kind, track_name


class Prose(KeyedTables):
    """Step 4c: text that is not a level's, as the framework's or a track's description, or sections."""

    def _place_page_prose(self, doc: Page, root: Section, track: DraftTrack | None) -> None:
        """A page without levels: an index page describes the framework (or its folder's track), a track's page its
        track, any other page becomes sections of prose."""
        if self._transition_page(doc):
            return
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
                    if self._competency_section(doc, child, child.blocks, child.children, kind):
                        continue
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

    def _track_of_page(self, doc: Page) -> DraftTrack | None:
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
        doc: Page,
        section: Section,
        blocks: list[Block],
        children: list[Section],
        track: DraftTrack | None,
        kind: SectionKind,
    ) -> None:
        """A section of prose: its heading is its title; competency definitions go to their competencies."""
        if self._competency_section(doc, section, blocks, children, kind):
            return
        title = section.title or doc.title
        about: list[str | DraftLevel] = list(self.section_about.get(id(section), []))
        if not about and section.heading is not None and between(section.title, ""):
            about = list(self._levels_between(between(section.title, "")))  # a heading "From Mid to Senior"
            kind = "promotion" if about and kind == "other" else kind
        between_levels = any(isinstance(a, DraftLevel) for a in about)
        about = about or ([track.name] if track else [])
        clash = [s for s in self.draft.sections if normalize(s.title) == normalize(title) and s.about != about]
        if clash and track is not None:
            title = f"{title} ({track.name})"
        heading = section.heading.text if section.heading else None

        added = [0]

        def add(piece: Piece) -> None:
            added[0] += 1
            self.draft.add_section(title, kind, piece, about)

        if heading is None and doc.title_piece is not None and "title" in doc.document.front:
            doc.used_front.add("title")
            self.draft.ledger.placed(doc.title_piece, f"section {title} (title)")
        for block in blocks:
            self._prose_block(doc, block, add, kind, not between_levels)
        for child in children:
            if self._competency_section(doc, child, child.blocks, child.children, "competencies"):
                continue  # a sub-heading per competency over a table keyed by the levels
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
                    self._prose_block(doc, block, add, kind, not between_levels)
        if heading is not None and id(heading) not in self.done:
            if added[0]:
                self._placed(heading, doc, f"section {title} (title)")
            elif children:
                self._placed(heading, doc, "a heading over competency definitions")
            elif any(isinstance(b, Markup) and b.diagram is not None and id(b) in self.done for b in blocks):
                self._placed(heading, doc, "the heading of a diagram of the ladder's shape")
            elif blocks and all(id(t) in self.navigation for t in iter_texts(blocks)) and any(True for _ in iter_texts(blocks)):
                self._not_placed(heading, doc, NAVIGATION)  # the heading of a table of contents
            else:
                self._put(heading, doc, add)  # a heading with nothing under it is a section of its own words

    def _definition(self, doc: Page, block: Block, competency: str) -> None:
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

    def _prose_block(self, doc: Page, block: Block, add: Any, kind: SectionKind, to_levels: bool = True) -> None:
        """A block of a section; an item naming a level goes to that level (``to_levels``), except in a section about
        moving between levels, where naming them is the point of the section."""
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if self._meta_line(block, doc):
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
                self._nested_navigation(doc, nested, add)
                continue
            competency = self._competency_called(text.label) if text.label and text.rest else None
            if competency is not None:
                self._put(text, doc, lambda p, c=competency: self.draft.add_competency_text(c, p), text.rest)
                for inner in nested:
                    self._put(inner, doc, lambda p, c=competency: self.draft.add_competency_text(c, p))
                continue
            if to_levels and self._to_named_level(doc, text, nested):
                continue
            self._put(text, doc, add)
            for inner in nested:
                self._put(inner, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _prose_table(self, doc: Page, table: Table, add: Any) -> None:
        """A table that is not levels: a table of competency names by group sets their groups; a table of links to
        level pages orders them; any other is kept as text, a row per line."""
        for markup in table.markup:
            self._markup(markup, doc)
        header = header_rows(table)
        width = len(table.rows[0]) if table.rows else 0
        groups = [cell_text(table.rows[0], k) if header else None for k in range(width)]
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
