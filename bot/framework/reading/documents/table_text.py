"""The cells of a table of levels, placed: a mapping's titles and codes, levels as columns (a row per competency or
level field), levels as rows (a column per competency or level field)."""

from __future__ import annotations

import re
from typing import Any

from bot.framework.names import normalize
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.documents.table_levels import overview_heading
from bot.framework.reading.draft import DraftLevel, DraftTrack
from bot.framework.reading.grids import GROUP_HEADINGS, LABEL_HEADINGS, LEVEL_HEADINGS, NO_VALUE, TEXT_HEADINGS, TITLE_HEADINGS
from bot.framework.reading.labels import is_no_value
from bot.framework.reading.outline import Table, Text
from bot.framework.reading.page_shapes import TableRole, short_column, table_level_names, table_paths
from bot.framework.reading.titles import reads_like_a_name, track_name


class TableText(Placing):
    """Step 4a: the cells of a table of levels, each to its level."""

    def _place_level_table(self, doc: Page, table: Table) -> None:
        role = self.table_roles[id(table)]
        levels = self.table_levels.get(id(table), [])
        for markup in table.markup:
            self._markup(markup, doc)
        if role.kind == "mapping":
            self._place_mapping(doc, table, role)
        elif role.kind == "columns":
            self._place_columns(doc, table, levels, role.header)
        else:
            self._place_rows(doc, table, role, levels)

    def _place_mapping(self, doc: Page, table: Table, role: TableRole) -> None:
        for r, row in enumerate(table.rows):
            for cell in dict.fromkeys(c for c in row if c is not None):
                for part in cell.parts:
                    if r < role.header:
                        self._placed(part, doc, "tracks (names of the columns mapping levels across tracks)")
                    else:
                        self._placed(part, doc, "level titles, codes and equivalents")

    def _place_columns(
        self, doc: Page, table: Table, levels: list[tuple[DraftTrack, DraftLevel] | None], header: int = 1
    ) -> None:
        corner = table.rows[0][0]
        group = corner.text.text if corner is not None and _names_a_group(corner.text.text) else None
        if corner is not None:
            for part in corner.parts:
                self._placed(part, doc, f"competency group {group}" if group else "table corner")
        titles = table.rows[max(header, 1) - 1]
        for k, cell in enumerate(table.rows[0][1:] if header > 1 else []):
            found = _level_at(levels, k)
            if cell is not None and found:
                for part in cell.parts:
                    self._placed(part, doc, f"track {found[0].name} (a row naming the tracks of the columns below)")
        for k, cell in enumerate(titles[1:]):
            found = _level_at(levels, k)
            if cell is not None and found:
                track, level = found
                for part in cell.parts:
                    self._placed(part, doc, f"{track.name} › {level.title} (title)")
        grouping: list[Any] = []  # a category row's cells, until a competency under it takes the group
        for row in table.rows[max(header, 1) :]:
            name_cell = row[0]
            others = row[1:]
            if name_cell is None:
                for k, cell in enumerate(others):
                    found = _level_at(levels, k)
                    if cell is not None and found:
                        track, level = found
                        for part in cell.parts:
                            self._put_cell(part, doc, lambda p, t=track, lv=level: self.draft.add_field(t, lv, "summary", p))
                continue
            name = name_cell.text.text
            if all(c is None or c is name_cell for c in others):
                self._unused_group(grouping, doc)
                group = name  # a category row: the rows below belong to it, and it is written with the first of them
                grouping = list(name_cell.parts)
                continue
            field_name = self.field_claims.claim([found[1] for found in levels if found], name)
            if not field_name:
                self.draft.competency(name, group)
                for part in grouping:
                    self._placed(part, doc, f"competency group {group}")
                grouping = []
            for part in name_cell.parts:
                self._placed(part, doc, f"competency {name} (name)" if not field_name else f"level field {field_name}")
            for k, cell in enumerate(others):
                found = _level_at(levels, k)
                if cell is None or cell is name_cell or not found:
                    continue
                track, level = found
                spans = k > 0 and others[k - 1] is cell  # a cell spanning levels says it of each
                for part in cell.parts:
                    if field_name:
                        add = lambda p, t=track, lv=level, f=field_name: self.draft.add_field(t, lv, f, p)  # noqa: E731
                    else:
                        add = lambda p, t=track, lv=level, c=name: self.draft.add_expectation(t, lv, c, p)  # noqa: E731
                    if spans and not is_no_value(part.text):
                        add(part.piece(doc.file))
                    else:
                        self._put_cell(part, doc, add)
        self._unused_group(grouping, doc)

    def _unused_group(self, grouping: list[Any], doc: Page) -> None:
        """A category row no competency row follows names no group: its words are listed, not lost."""
        for part in grouping:
            self._not_placed(part, doc, "a row with only its first cell and no competency under it")
        grouping.clear()

    def _place_rows(self, doc: Page, table: Table, role: TableRole, levels: list[tuple[DraftTrack, DraftLevel] | None]) -> None:
        title_column = role.title_columns[0]
        headers = [c.text.text if c else "" for c in table.rows[0]] if role.header else [""] * len(table.rows[0])
        for head in dict.fromkeys(c for c in (table.rows[0] if role.header else []) if c is not None):
            for part in head.parts:
                self._placed(part, doc, "table heading (names of the levels' fields and competencies)")
        short = {k for k in range(len(headers)) if short_column(table, k, role.header)}
        row_levels = [found[1] for found in levels if found]
        fields = {k: self.field_claims.claim(row_levels, header) for k, header in enumerate(headers) if header}
        structure = {title_column, *role.code_columns, *role.equivalent_columns, role.track_column}
        text_columns = [k for k, h in enumerate(headers) if h and k not in structure and not fields.get(k) and k not in short]
        named = self._competency_heading(doc, table) if len(text_columns) == 1 else None
        if named is not None:  # sibling headings over tables of the same levels: each heading names the competency
            headers[text_columns[0]] = named[0]
            self._placed(named[1], doc, f"competency {named[0]} (name)")
        for row, found in zip(table.rows[role.header :], levels, strict=False):
            if not found:
                for row_cell in dict.fromkeys(c for c in row if c is not None):
                    for part in row_cell.parts:
                        self._put_cell(part, doc, lambda p: self.draft.add_description(p))
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
                if k == role.track_column and role.track_column is not None:
                    for part in cell.parts:
                        self._placed(part, doc, f"track {track.name} (the column naming {level.title}'s track)")
                    continue
                if k in role.equivalent_columns:
                    for part in cell.parts:
                        equivalents = _level_names(part.text)
                        level.equivalents += [n for n in equivalents if n not in level.equivalents]
                        self._placed(part, doc, f"{track.name} › {level.title} (equivalent: {', '.join(equivalents)})")
                    continue
                field_name = fields.get(k)
                for part in cell.parts:
                    if field_name:
                        self._put_cell(part, doc, lambda p, t=track, lv=level, f=field_name: self.draft.add_field(t, lv, f, p))
                    elif k in short or not header:
                        label = f"{header}: {part.text}" if header else part.text
                        self._put_cell(part, doc, lambda p, t=track, lv=level: self.draft.add_field(t, lv, "summary", p), label)
                    else:
                        self.draft.competency(header)
                        self._put_cell(part, doc, lambda p, t=track, lv=level, c=header: self.draft.add_expectation(t, lv, c, p))

    def _put_cell(self, text: Text, doc: Page, add: Any, piece_text: str | None = None) -> None:
        """A cell's text to a level, unless it only marks that there is none (a dash, n/a): that is listed."""
        if is_no_value(text.text):
            self._not_placed(text, doc, NO_VALUE)
        else:
            self._put(text, doc, add, piece_text)

    def _competency_heading(self, doc: Page, table: Table) -> tuple[str, Text] | None:
        """The heading a table of levels sits under, when sibling headings each hold a table of the same levels
        ("## Delivery", "## Communication", each over `Level | Expectation`) and it names no level or track, or when
        the table's one text column says only that it holds expectations ("Expectation", "Behaviours")."""
        trail = next((t for found, t in table_paths(doc.root) if found is table), None)
        if not trail or trail[-1].heading is None:
            return None
        section, parent = trail[-1], trail[-2] if len(trail) > 1 else doc.root
        if section.heading is None:
            return None
        title = section.title
        if self._levels_named(title) or any(normalize(t.name) == normalize(title) for t in self.draft.tracks):
            return None
        heads = [c.text.text for c in table.rows[0][1:] if c is not None] if len(table.rows[0]) == 2 else []
        generic = bool(heads) and normalize(heads[0]) in TEXT_HEADINGS and not overview_heading(title)
        if generic and normalize(track_name(title)) not in {normalize(t.name) for t in self.draft.tracks}:
            return title, section.heading.text  # "## Code review" over Level | Expectation: the heading names it
        mine = {normalize(n) for n in table_level_names(table, self.table_roles[id(table)])}
        for sibling in parent.children:
            for block in sibling.blocks if sibling is not section else []:
                if isinstance(block, Table) and id(block) in self.table_roles and self._is_level_table(block):
                    theirs = {normalize(n) for n in table_level_names(block, self.table_roles[id(block)])}
                    if mine and len(mine & theirs) * 2 >= len(mine):
                        return title, section.heading.text
        return None


def _level_names(text: str) -> list[str]:
    """The levels a cell names, one or several ("M4", "M4 / A1", "Engineering Manager and Architect")."""
    parts = re.split(r"\s*(?:[,;/|\n]|\band\b|&|\bor\b|\bund\b)\s*", text)
    return [" ".join(p.split()) for p in parts if p.strip() and p.strip() not in {"-", "–", "—"}]


def _names_a_group(corner: str) -> bool:
    """A table's corner names the group of the competencies below it ("Core skills"), unless it only says what its
    row and column are ("Level", "Competency", "Skill / Level")."""
    parts = [normalize(p) for p in re.split(r"\s*[/\\|×]\s*|\s+(?:x|by|vs\.?)\s+", corner) if p.strip()]
    axes = LEVEL_HEADINGS | LABEL_HEADINGS | GROUP_HEADINGS | TITLE_HEADINGS
    return reads_like_a_name(corner) and not (parts and all(p in axes for p in parts))


def _level_at(levels: list[tuple[DraftTrack, DraftLevel] | None], k: int) -> tuple[DraftTrack, DraftLevel] | None:
    """The level (and its track) of a table's ``k``-th level column; None past the levels or where none was read."""
    return levels[k] if k < len(levels) else None
