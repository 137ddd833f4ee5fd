"""Levels read from tables: what each table is (levels as columns, as rows, or a mapping of levels across tracks), the
track its levels are on, and the levels it names (found among those read already, or made)."""

from __future__ import annotations

import re

from bot.framework.names import name_key, normalize
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftLevel, DraftTrack
from bot.framework.reading.outline import Cell, Section, Table, cell_text, where
from bot.framework.reading.page_shapes import TableRole, table_level_names, table_paths, table_role
from bot.framework.reading.titles import common_name, is_level_code, split_title, track_name


class TableLevels(Placing):
    """Step 3: what each table is, and the levels it names."""

    def _classify_tables(self) -> None:
        found: list[tuple[Page, Table, list[Section]]] = []
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

    def _mapping_levels(self, doc: Page, table: Table, trail: list[Section]) -> None:
        """Columns of titles, a track each (the track their linked pages are on, else the one holding their titles,
        else a new one named by the column's header); the titles in one row are named as equivalent."""
        role = self.table_roles[id(table)]
        body = table.rows[role.header :]
        columns: list[tuple[int, int | None, DraftTrack]] = []
        linked: dict[int, tuple[DraftTrack, DraftLevel]] = {}  # cell -> the level its link leads to
        for column in role.title_columns:
            code = next((c for c, t in role.code_columns.items() if t == column), None)
            cells = [cell for row in body for cell in (row[column],) if cell is not None]
            for title_cell in cells:
                hits = [self._linked_level(doc, label, target) for label, target in title_cell.text.links]
                if hits and hits[0] is not None and self._page_at(doc, title_cell.text.links[0][1]) is not None:
                    linked[id(title_cell)] = hits[0]
            tracks = [linked[id(c)][0] for c in cells if id(c) in linked]
            if tracks and len(tracks) * 2 >= len(cells):
                track = max(tracks, key=lambda t: sum(1 for o in tracks if o is t))
            else:
                titles = [c.text.text for c in cells]
                track = self._track_holding(titles) or self.draft.track(self._column_name(table, role, column, code, titles))
            columns.append((column, code, track))
        homes = {column: self._column_tracks(table, role, column) for column, _code, _track in columns}
        self.table_levels[id(table)] = []
        for row in body:
            in_row: list[tuple[DraftTrack, DraftLevel, str | DraftLevel]] = []
            for column, code, track in columns:
                cell = row[column]
                if cell is None:
                    continue
                code_cell = row[code] if code is not None else None
                others = [t for c, ts in homes.items() if c != column for t in ts if not any(t is h for h in homes[column])]
                code_text = code_cell.text.text if code_cell is not None else None
                found = self._mapped_level(cell.text.text, homes[column], others, code_text)
                cell_track = track
                if id(cell) in linked and linked[id(cell)][0] is track:
                    level = linked[id(cell)][1]
                elif found is not None:
                    cell_track, level = found  # a level read already, on whichever track holds it: never a copy
                elif self._levels_named(cell.text.text):
                    continue  # a title on several tracks, none of them this column's: no copy, no equivalence guessed
                else:
                    level = self._find_or_make(track, cell.text.text, code_cell.text.text if code_cell else None, doc, cell)
                name: str | DraftLevel = code_cell.text.text if code_cell and is_level_code(code_cell.text.text) else level
                in_row.append((cell_track, level, name))
            for track, level, _name in in_row:
                for other_track, other, name in in_row:
                    if other_track is not track and other is not level and name not in level.equivalents:
                        level.equivalents.append(name)
                        break

    def _column_tracks(self, table: Table, role: TableRole, column: int) -> list[DraftTrack]:
        """The tracks a mapping's column is about: those its header names ("Engineering (Management)" names the
        Management track), then those holding the titles of the column that name one level only."""
        tracks: list[DraftTrack] = []
        header = table.rows[0][column] if role.header and table.rows[0][column] is not None else None
        if header is not None:
            spoken = {name_key(header.text.text), name_key(track_name(header.text.text))}
            spoken |= {name_key(a) for a in split_title(header.text.text).aliases}
            spoken |= {name_key(part) for part in re.findall(r"\(([^()]+)\)", header.text.text)}
            tracks += [t for t in self.draft.tracks if name_key(t.name) in spoken]
        for row in table.rows[role.header :]:
            cell = row[column]
            found = self._levels_named(cell.text.text) if cell is not None else []
            if len(found) == 1 and not any(found[0][0] is t for t in tracks):
                tracks.append(found[0][0])
        return tracks

    def _mapped_level(
        self, name: str, homes: list[DraftTrack], others: list[DraftTrack], code: str | None = None
    ) -> tuple[DraftTrack, DraftLevel] | None:
        """The level read already that a mapping's cell names: the only one of that name, else the only one also
        carrying the row's code, else the one on the first of the column's tracks holding one, else the only one on no
        track another column is about; None when no level has that name or several could be meant."""
        found = self._levels_named(name)
        if len(found) == 1:
            return found[0]
        coded = [hit for hit in found if code and name_key(code) in {name_key(a) for a in hit[1].aliases}]
        if len(coded) == 1:
            return coded[0]
        for track in homes:
            mine = [hit for hit in found if hit[0] is track]
            if len(mine) == 1:
                return mine[0]
        left = [hit for hit in found if not any(hit[0] is t for t in others)]
        return left[0] if len(left) == 1 else None

    def _column_name(self, table: Table, role: TableRole, column: int, code: int | None, titles: list[str]) -> str:
        if role.header:
            for index in (column, code):
                cell = table.rows[0][index] if index is not None else None
                if cell is not None and cell.text.text.strip():
                    return track_name(cell.text.text)
        return common_name(titles) or f"Track {column + 1}"

    def _table_levels(self, doc: Page, table: Table, trail: list[Section], role: TableRole) -> None:
        if role.kind == "rows" and role.track_column is not None and self._levels_by_track(doc, table, role):
            return
        if role.kind == "columns" and role.groups:
            self._grouped_levels(doc, table, role)
            return
        if role.kind == "columns":
            names = [c.text.text if c else "" for c in table.rows[0][1:]]
            codes: list[str | None] = [None] * len(names)
        else:
            column = role.title_columns[0]
            code = next((c for c, t in role.code_columns.items() if t == column), None)
            body = table.rows[role.header :]
            names = [cell_text(row, column) or "" for row in body]
            codes = [cell_text(row, code) if code is not None else None for row in body]
        track = self._track_holding([n for n in names if n] + [c for c in codes if c])
        short = self._without_role([n for n in names if n])
        if track is None and short:
            track = self._track_holding(list(short.values()))  # "Junior Mobile Developer" is the ladder's "Junior"
        longer: dict[str, DraftLevel] = {}
        if track is None:
            track, longer = self._track_by_role([n for n in names if n])
        if track is None:
            track = self.draft.track(self._table_track_name(doc, table, trail))
        levels: list[tuple[DraftTrack, DraftLevel] | None] = []
        for name, level_code in zip(names, codes, strict=False):
            if not name.strip():
                levels.append(None)
                continue
            if name in longer:  # "Junior" where the track's titles are "Junior Mobile Developer"
                longer[name].aliases += [split_title(name).title] if split_title(name).title not in longer[name].aliases else []
                levels.append((track, longer[name]))
                continue
            found = self._levels_named(short[name], track) if name in short and not self._levels_named(name, track) else []
            if found:
                level = found[0][1]
                level.aliases += [name] if name not in level.aliases else []
                levels.append((track, level))
                continue
            levels.append((track, self._find_or_make(track, name, level_code, doc, None)))
        self.table_levels[id(table)] = levels

    def _grouped_levels(self, doc: Page, table: Table, role: TableRole) -> None:
        """Levels as columns under a row naming their tracks: each group of columns a track (the one holding its
        titles already, else one named by the group), its titles that track's levels in order."""
        titles = table.rows[role.header - 1]
        by_group: dict[str, list[int]] = {}
        for k in range(1, len(titles)):
            by_group.setdefault(role.groups[k], []).append(k)
        levels: list[tuple[DraftTrack, DraftLevel] | None] = [None] * (len(titles) - 1)
        for group, columns in by_group.items():
            names = [cell.text.text for k in columns for cell in (titles[k],) if cell is not None]
            track = self._track_holding(names) or self.draft.track(
                track_name(group) if group else self._table_track_name(doc, table, [])
            )
            for k in columns:
                cell = titles[k]
                if cell is not None and cell.text.text.strip():
                    levels[k - 1] = (track, self._find_or_make(track, cell.text.text, None, doc, cell))
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
        Mobile Developer" -> "Junior"): name -> the shorter name."""
        shared = common_name(names)
        if not shared:
            return {}
        role = {normalize(w) for w in shared.split()}
        short = {n: " ".join(w for w in split_title(n).title.split() if normalize(w) not in role) for n in names}
        if all(short.values()) and all(self._levels_named(v) for v in short.values()):
            return short
        return {}

    def _table_track_name(self, doc: Page, table: Table, trail: list[Section]) -> str:
        """The role the level titles share ("Junior Mobile Developer" …), else the nearest heading that is not one of
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
            siblings = [
                c
                for c in parent.children
                if c is not section
                for b in c.blocks
                if isinstance(b, Table)
                and id(b) in self.table_roles
                and len(mine & {normalize(n) for n in table_level_names(b, self.table_roles[id(b)])}) * 2 >= max(1, len(mine))
            ]
            if siblings and depth:
                continue  # sibling headings over tables of the same levels: competency groups, the track is above
            if section.heading is not None and not overview_heading(section.title):
                return track_name(section.title)
        return track_name(doc.title)

    def _find_or_make(self, track: DraftTrack, name: str, code: str | None, doc: Page, cell: Cell | None) -> DraftLevel:
        title = split_title(name)
        found = self._levels_named(code, track) if code and is_level_code(code) else []
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
        if code and is_level_code(code) and code not in level.aliases:
            level.aliases.append(code)
        return level

    def _levels_by_track(self, doc: Page, table: Table, role: TableRole) -> bool:
        """Levels as rows with a column naming each one's track: each level on the track its row names. Where the
        first rows' track comes before all the others and each other track starts one step above its last level (by
        the levels' numbers: E1-E3, then E4… and M4…; or, without numbers, where it is named as shared), it is a trunk
        that forks: the other tracks continue from its last level. False (nothing made) when the titles are levels
        read already."""
        column, track_column = role.title_columns[0], role.track_column
        code = next((c for c, t in role.code_columns.items() if t == column), None)
        body = table.rows[role.header :]
        names = [cell_text(row, column) or "" for row in body]
        if self._track_holding([n for n in names if n]):
            return False
        levels: list[tuple[DraftTrack, DraftLevel] | None] = []
        groups: dict[int, list[tuple[int, DraftLevel]]] = {}
        tracks: list[DraftTrack] = []
        for index, row in enumerate(body):
            cell, track_cell = row[column], row[track_column] if track_column is not None else None
            if cell is None or not cell.text.text.strip() or track_cell is None:
                levels.append(None)
                continue
            track = self.draft.track(" ".join(track_cell.text.text.split()))
            code_text = cell_text(row, code) if code is not None else None
            level = self._find_or_make(track, cell.text.text, code_text, doc, cell)
            levels.append((track, level))
            if not any(track is t for t in tracks):
                tracks.append(track)
            groups.setdefault(id(track), []).append((index, level))
        self.table_levels[id(table)] = levels
        self._trunk_of_table(tracks, groups)
        return True

    def _trunk_of_table(self, tracks: list[DraftTrack], groups: dict[int, list[tuple[int, DraftLevel]]]) -> None:
        if len(tracks) < 2:
            return
        trunk, others = tracks[0], tracks[1:]
        rows = groups[id(trunk)]
        if max(i for i, _ in rows) > min(i for t in others for i, _ in groups[id(t)]):
            return  # the first track's rows are not all above the others'
        levels = {id(lv): lv for t in tracks for _i, lv in groups[id(t)]}
        ranks = {key: rank for key, lv in levels.items() for rank in (_rank(lv),) if rank is not None}
        if len(ranks) == len(levels):  # every level numbered
            top = max(ranks[id(lv)] for _i, lv in rows)
            forks = len(others) >= 2 and all(min(ranks[id(lv)] for _i, lv in groups[id(t)]) == top + 1 for t in others)
        else:
            forks = normalize(trunk.name) in SHARED_WORDS
        if not forks:
            return
        last = max(rows, key=lambda r: r[0])[1]
        for track in others:
            if track.starts_after is None:
                track.starts_after = last


SHARED_WORDS = {
    "shared", "common", "all", "both", "everyone", "core", "foundation", "foundations", "general", "trunk", "shared levels",
    "gemeinsam", "alle", "compartilhado", "comum", "todos", "compartido", "común", "commun", "partagé", "comune", "общий",
}  # fmt: skip
"""Names a table gives the levels every track shares before it forks."""


def _rank(level: DraftLevel) -> float | None:
    """The number a level's codes or title give it ("E3" -> 3, "Level 2" -> 2), when one does."""
    for name in (*level.aliases, level.title):
        number = split_title(name).number
        if number is not None:
            return number
    return None


_OVERVIEW = re.compile(
    r"^(?:(?:the|our|all)\s+)?(?:(?:career|job)\s+)?(?:levels?|grades?|bands?|roles?)?\s*(?:overview|summary|at a glance|in brief)?$"
    r"|^(?:overview|summary|introduction|übersicht|überblick|visão geral|resumen|aperçu|panoramica|обзор)(?:\s+of\s+.*)?$",
    re.I,
)


_LEVEL_WORDS = {"level", "levels", "grade", "grades", "band", "bands"}
_GENERIC_WORDS = _LEVEL_WORDS | {
    "what",
    "each",
    "every",
    "a",
    "the",
    "our",
    "all",
    "at",
    "by",
    "per",
    "for",
    "and",
    "of",
    "in",
    "looks",
    "look",
    "like",
    "means",
    "mean",
    "expected",
    "expectations",
    "expectation",
    "description",
    "descriptions",
    "detail",
    "details",
    "detailed",
    "is",
    "are",
    "how",
    "career",
    "job",
    "your",
    "matrix",
    "competencies",
    "competency",
}
"""Words of a heading that only says the table under it describes the levels ("What every grade means",
"Expectations by level"): none names a track."""


def overview_heading(title: str) -> bool:
    """A heading that says the table under it is an overview ("Overview", "Grades at a glance", "Levels") or describes
    the levels in general words ("What every grade means"), not the name of a track."""
    words = normalize(title).split()
    if _OVERVIEW.match(" ".join(words)):
        return True
    return bool(words) and not _LEVEL_WORDS.isdisjoint(words) and set(words) <= _GENERIC_WORDS
