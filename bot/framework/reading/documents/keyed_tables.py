"""Competency-major sections: a heading per competency over a table whose rows are keyed by the levels
("| Q3 | Chairs the quarterly audit review… |"), the levels named elsewhere in the file (by title, code or alias).
Each row is that level's expectation of the competency the heading names; text around the table defines it."""

from __future__ import annotations

from bot.framework.names import normalize
from bot.framework.reading.documents.page_walk import wholly_named
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.transitions import Transitions
from bot.framework.reading.draft import DraftLevel, DraftTrack, SectionKind
from bot.framework.reading.grids import NO_VALUE
from bot.framework.reading.labels import is_no_value
from bot.framework.reading.outline import Block, Markup, Section, Table, iter_markup, where
from bot.framework.reading.page_shapes import header_rows, table_paths, texts_with_nesting
from bot.framework.reading.titles import is_code, track_name

KEYED_SHARE = 0.75
"""The share of a table's rows whose first cell must name one level for the table to be keyed by levels."""


class KeyedTables(Transitions):
    """Step 4c (before prose): a section holding one table keyed by levels is a competency."""

    def _levels_from_keys(self) -> None:
        """Where nothing else names a level, a page whose sections each hold a table keyed by the same codes
        ("T1" … "T6" in the first column of every competency's table) has those codes as its levels, in their order."""
        if any(track.levels for track in self.draft.tracks):
            return
        for doc in self.docs:
            keyed: list[list[tuple[str, Table]]] = []
            for table, _trail in table_paths(doc.root):
                role = self.table_roles.get(id(table))
                if role is None or role.kind != "prose" or not header_rows(table):
                    continue
                body = [row for row in table.rows[1:] if any(c is not None for c in row)]
                keys = [row[0].text.text.strip() if row[0] is not None else "" for row in body]
                if len(keys) >= 2 and len(table.rows[0]) >= 2 and all(is_code(k) for k in keys):
                    keyed.append([(k, table) for k in keys])
            if len(keyed) < 2 or len({frozenset(normalize(k) for k, _t in keys) for keys in keyed}) != 1:
                continue
            track = self.draft.track(track_name(doc.title) or doc.title or "Levels")
            for index, (code, table) in enumerate(keyed[0]):
                level = self.draft.level(track, code, where(doc.file, table.first, table.first))
                level.order = float(index)
            return

    def _competency_section(self, doc: Page, section: Section, blocks: list[Block], children: list[Section], kind: SectionKind) -> bool:
        if kind not in {"other", "competencies"} or children or section.heading is None:
            return False
        tables = [b for b in blocks if isinstance(b, Table)]
        if len(tables) != 1 or self._is_level_table(tables[0]):
            return False
        table = tables[0]
        rows = self._keyed_rows(table)
        if rows is None:
            return False
        competency = self.draft.competency(section.title).name
        self._placed(section.heading.text, doc, f"competency {competency} (name)")
        for block in blocks:
            if block is table:
                self._keyed_table(doc, table, rows, competency)
            else:
                self._definition_block(doc, block, competency)
        return True

    def _keyed_rows(self, table: Table) -> list[tuple[DraftTrack, DraftLevel] | None] | None:
        """For each body row, the one level its first cell names (None for a row naming none), when most rows name
        one level each, no level twice, and the table has a column of text beside them."""
        header = header_rows(table)
        body = [row for row in table.rows[header:] if any(c is not None for c in row)]
        if not header or len(body) < 2 or len(table.rows[0]) < 2:
            return None
        found: list[tuple[DraftTrack, DraftLevel] | None] = []
        for row in body:
            key = row[0].text.text if row[0] is not None else ""
            named = self._levels_named(key) if key and len(key.split()) <= 8 else []
            whole = len(named) == 1 and wholly_named(key, named[0][1])  # "T2 and T3" says more than one level's name
            found.append(named[0] if whole else None)
        levels = [id(hit[1]) for hit in found if hit is not None]
        if len(levels) < max(2, KEYED_SHARE * len(body)) or len(set(levels)) != len(levels):
            return None
        return found

    def _keyed_table(self, doc: Page, table: Table, found: list[tuple[DraftTrack, DraftLevel] | None], competency: str) -> None:
        for markup in table.markup:
            self._markup(markup, doc)
        header = header_rows(table)
        heads = [c.text.text if c is not None else "" for c in table.rows[0]]
        for cell in table.rows[0]:
            if cell is not None:
                for part in cell.parts or [cell.text]:
                    self._placed(part, doc, f"competency {competency} (a table heading: a row per level)")
        body = [row for row in table.rows[header:] if any(c is not None for c in row)]
        title = competency
        for row, hit in zip(body, found, strict=True):
            seen: set[int] = set()
            if hit is None:
                for cell in row:
                    if cell is not None and id(cell) not in seen:
                        seen.add(id(cell))
                        for part in cell.parts:
                            self._put(part, doc, lambda p: self.draft.add_section(title, "competencies", p, []))  # noqa: B023 (called at once)
                continue
            track, level = hit
            if row[0] is not None:
                seen.add(id(row[0]))
                for part in row[0].parts or [row[0].text]:
                    self._placed(part, doc, f"{track.name} › {level.title} (a row's key)")
            texts = [k for k, cell in enumerate(row) if cell is not None and id(cell) not in seen and k > 0]
            for k in texts:
                cell = row[k]
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                for part in cell.parts:
                    if is_no_value(part.text):
                        self._not_placed(part, doc, NO_VALUE)
                        continue
                    labelled = f"{heads[k]}: {part.text}" if k != texts[0] and heads[k] else None
                    self._put(part, doc, lambda p, t=track, lv=level: self.draft.add_expectation(t, lv, competency, p), labelled)

    def _definition_block(self, doc: Page, block: Block, competency: str) -> None:
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        for text, nested in texts_with_nesting(block):
            for each in [text, *nested]:
                self._put(each, doc, lambda p: self.draft.add_competency_text(competency, p))
        for markup in iter_markup([block]):
            self._markup(markup, doc)
