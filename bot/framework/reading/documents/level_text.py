"""A level's content placed: its summary, a sub-heading or bold label per competency, level fields named exactly,
tables inside a level, a rank's section of a competency's page, and notes."""

from __future__ import annotations

from bot.framework.names import normalize
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftLevel, DraftTrack, Piece
from bot.framework.reading.outline import Block, Markup, Section, Table, cell_text, iter_markup, iter_texts, where
from bot.framework.reading.page_shapes import (
    all_labelled,
    callout_title,
    container_heading,
    has_text,
    header_rows,
    mostly_labelled,
    names_over_text,
    note,
    texts_with_nesting,
)
from bot.framework.reading.titles import reads_like_a_name, section_kind, split_title


class LevelText(Placing):
    """Step 4b: the content of one level (a heading's section, or a level's page)."""

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
        for block in blocks:
            if not self._meta_line(block, doc, track, level):
                self._level_block(doc, track, level, block, group, competency)
        wrapper = len(children) == 1 and bool(children[0].children) and not has_text(children[0].blocks)
        for child in children:
            heading = child.heading.text if child.heading else None
            title = split_title(child.title)
            if heading is None:
                continue
            if self._field_heading(doc, track, level, child, title.title):
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
            elif mostly_labelled(child.blocks) or (container_heading(title.title) and all_labelled(child.blocks)):
                # a heading over labelled items groups them; one that only says they are expectations is no group
                inner_group = None if container_heading(title.title) else title.title
                self._placed(heading, doc, f"{track.name} › {level.title} › {title.title} (heading)")
                self._codes(doc, track, level, child, title.title)
                for block in child.blocks:
                    self._level_block(doc, track, level, block, inner_group, inner_group, labelled=True)
            else:
                self.draft.competency(title.title, group)
                self._placed(heading, doc, f"{track.name} › {level.title} › {title.title} (heading)")
                self._codes(doc, track, level, child, title.title)
                for block in child.blocks:
                    self._level_block(doc, track, level, block, group, title.title)

    def _field_heading(self, doc: Page, track: DraftTrack, level: DraftLevel, section: Section, title: str) -> bool:
        """A sub-heading that names a level field ("Scope", "Typical time in level") holds that field's text, when no
        other label took the field on this level."""
        if section.children or not has_text(section.blocks) or section.heading is None:
            return False
        value = " ".join(t.text for t in iter_texts(section.blocks))
        field_name = self.field_claims.claim([level], title, value=value)
        if not field_name:
            return False
        self._placed(section.heading.text, doc, f"{track.name} › {level.title} › {field_name} (heading)")
        for block in section.blocks:
            self._texts_to(block, doc, lambda p, f=field_name: self.draft.add_field(track, level, f, p))
        return True

    def _codes(self, doc: Page, track: DraftTrack, level: DraftLevel, section: Section, competency: str) -> None:
        """A code in a competency's heading ("Craftsmanship (C3)") is the level's grade in it: kept as its text."""
        heading = section.heading.text if section.heading else None
        for code in split_title(section.title).aliases:
            self.codes.setdefault(code, {})[id(level)] = (track, level)
            if heading is not None:
                self.draft.add_expectation(track, level, competency, Piece(code, where(doc.file, heading.first, heading.last)))

    def _note_section(self, doc: Page, block: Block, track: DraftTrack | None) -> None:
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
        self,
        doc: Page,
        track: DraftTrack,
        level: DraftLevel,
        block: Block,
        group: str | None,
        competency: str | None,
        labelled: bool = False,
    ) -> None:
        """A block of a level's text; ``labelled``: under a heading over labelled items, where every label names a
        competency (even one named like the track: "**Architecture:**" on an Architecture level's page)."""
        if note(block):
            self._note_section(doc, block, track)
            return
        title = callout_title(block)
        if title is not None:  # a callout inside a level's text is an aside to the page: a section of its own
            kind = section_kind(title)
            for text in iter_texts([block]):
                self._put(text, doc, lambda p: self.draft.add_section(title, kind, p, [track.name]))
            return
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if isinstance(block, Table):
            self._level_table(doc, track, level, block, group, competency)
            return
        named = competency is None and names_over_text(block)
        for text, nested in texts_with_nesting(block):
            if named:  # "- Testing" over its text: a competency of its own, the text its expectation
                self.draft.competency(text.text, group)
                self._placed(text, doc, f"{track.name} › {level.title} › {text.text} (name)")
                for inner in nested:
                    self._put(inner, doc, lambda p, c=text.text: self.draft.add_expectation(track, level, c, p))
                continue
            label = text.label if text.label and reads_like_a_name(text.label) else None
            own_names = {normalize(level.title)} | ({normalize(track.name)} if not labelled else set())
            if label and (not text.rest or normalize(label) in own_names):
                label = None  # "**TeamLead** - the head of a team" on TeamLead's page: the level's own summary
            target = competency
            field_name = self.field_claims.claim([level], label, value=text.rest) if label else None
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
        self, doc: Page, track: DraftTrack, level: DraftLevel, table: Table, group: str | None, competency: str | None
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
                time_row = len(cells) == 2 and bool(
                    self.field_claims.claim([level], cells[0].text.text, "typical_time_in_level", cells[1].text.text)
                )
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

    def _rank_body(self, doc: Page, track: DraftTrack, level: DraftLevel, section: Section) -> None:
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
                        text = normalize(cell_text(row, k) or "")
                        known = seen.setdefault(header, {}).setdefault(normalize(row[0].text.text), text)
                        if known != text:
                            varying.add(header)
            self.constant_columns[id(doc)] = {h for h, n in counts.items() if n >= 2 and h not in varying}

    def _competency_name(self, doc: Page, section: Section | None) -> str:
        name = doc.title
        if doc.title_piece is not None and id(doc) not in self.named:
            self.named.add(id(doc))
            self.draft.ledger.placed(doc.title_piece, f"competency {name} (name)")
            if doc.title_section is not None and doc.title_section.heading is not None:
                self.done.add(id(doc.title_section.heading.text))
            doc.used_front.add("title")
        self.draft.competency(name)
        return name
