"""A sheet that maps levels defined elsewhere onto one another — "IC | Management | Notes" with a row per pair of
levels — defines no level: its rows (or columns) name the levels in them equivalent, and its other text (headings,
notes beside a pair) is a section about those levels, kept as a table.

Whether a sheet is such a map is read from its content: most of its cells (headings aside) name levels that other
sheets define, by title or code, and at least one row (or column) names levels of two tracks. The way it lines its
levels up (a row per group, or a column per group) is the one whose groups pair levels of different tracks and never
two of one track.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Literal, Protocol

from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack, Piece, SectionKind
from bot.framework.reading.sheets import Sheet
from bot.framework.reading.titles import section_kind, split_title

Position = tuple[int, int]
Across = Literal["row", "column"]


@lru_cache(maxsize=4096)
def name_keys(text: str) -> frozenset[str]:
    """The names a title or a cell calls a level by: as written, without its codes or a bracketed code, and each
    code it carries ("K4 Staff Illustrator" -> k4 staff illustrator, k4)."""
    one_line = " ".join(text.split())
    if not one_line or len(one_line) > 120:
        return frozenset()
    title = split_title(one_line)
    keys = {normalize(one_line), normalize(title.title), *(normalize(a) for a in title.aliases)}
    return frozenset(k for k in keys if k)


def known_keys(titles: Iterable[str]) -> set[str]:
    return {key for title in titles for key in name_keys(title)}


def _cells(sheet: Sheet) -> dict[Position, str]:
    return {p: " ".join(t.split()) for p, t in sheet.cells.items() if t.strip()}


def _heading_cells(cells: dict[Position, str], hits: set[Position], across: Across) -> set[Position]:
    """Its headings: the rows above the first level name (a map with a row per group), or the columns left of it
    (a column per group)."""
    axis = 0 if across == "row" else 1
    first = min((p[axis] for p in hits), default=0)
    return {p for p in cells if p[axis] < first}


def names_levels_elsewhere(sheet: Sheet, known: set[str]) -> bool:
    """Whether most of the sheet's cells (headings aside) name levels in ``known``, in at least two rows or columns:
    a candidate map (the tracks the levels are on decide, once they are read)."""
    if len(sheet.cells) > 8 * len(known) + 100:
        return False  # more cells than a map of these levels could hold: checked no further (bounded work)
    cells = _cells(sheet)
    longest = max(map(len, known), default=0) + 30  # a title with a code and brackets round it, at most
    hits = {p for p, t in cells.items() if len(t) <= longest and name_keys(t) & known}
    if len(hits) < 2:
        return False
    for across in ("row", "column"):
        rest = set(cells) - _heading_cells(cells, hits, across)
        if len(hits) * 2 >= len(rest) and len({p[0] for p in hits}) + len({p[1] for p in hits}) > 2:
            return True
    return False


@dataclass
class LevelMap:
    """A sheet read as a map: its groups of equivalent levels and the cells naming them, its headings and notes."""

    across: Across
    groups: list[list[tuple[Position, DraftTrack, DraftLevel]]] = field(default_factory=list)
    headings: set[Position] = field(default_factory=set)

    @property
    def named(self) -> dict[Position, tuple[DraftTrack, DraftLevel]]:
        return {p: (t, lv) for group in self.groups for p, t, lv in group}


def read_level_map(sheet: Sheet, tracks: list[DraftTrack]) -> LevelMap | None:
    """The sheet as a map of ``tracks``' levels, or None when it is not one: fewer than half of its cells (headings
    aside) name a level, or no row or column pairs levels of two tracks, or every way of reading it puts two levels
    of one track in a group."""
    index: dict[str, list[tuple[DraftTrack, DraftLevel]]] = {}
    for track in tracks:
        for level in track.levels:
            for key in known_keys([level.title, *level.aliases]):
                if not any(lv is level for _t, lv in index.get(key, [])):
                    index.setdefault(key, []).append((track, level))
    cells = _cells(sheet)
    found = {p: _levels_named(t, index) for p, t in cells.items()}
    found = {p: levels for p, levels in found.items() if levels}
    if len(found) < 2:
        return None
    best: LevelMap | None = None
    for across in ("row", "column"):
        headings = _heading_cells(cells, set(found), across)
        if len(found) * 2 < len(set(cells) - headings):
            continue
        level_map = _grouped(found, across, headings)
        if level_map is not None and (best is None or len(level_map.groups) > len(best.groups)):
            best = level_map
    return best


def _levels_named(text: str, index: dict[str, list[tuple[DraftTrack, DraftLevel]]]) -> list[tuple[DraftTrack, DraftLevel]]:
    """The levels a cell names: by its whole text first, else by a name or code in it."""
    keys = name_keys(text)
    whole = index.get(normalize(text), [])
    if whole:
        return whole
    found: list[tuple[DraftTrack, DraftLevel]] = []
    for key in keys:
        for track, level in index.get(key, []):
            if not any(lv is level for _t, lv in found):
                found.append((track, level))
    return found


def _grouped(
    found: dict[Position, list[tuple[DraftTrack, DraftLevel]]], across: Across, headings: set[Position]
) -> LevelMap | None:
    """The groups of one way of reading: a level per cell (a name on several tracks resolved by the track its line —
    the column of a row-per-group map — mostly names), None when a group holds two levels of one track or none pairs
    two tracks."""
    line_of = (lambda p: p[1]) if across == "row" else (lambda p: p[0])  # noqa: E731
    group_of = (lambda p: p[0]) if across == "row" else (lambda p: p[1])  # noqa: E731
    line_tracks: dict[int, list[int]] = {}
    for p, levels in found.items():
        if len(levels) == 1:
            line_tracks.setdefault(line_of(p), []).append(id(levels[0][0]))
    groups: dict[int, list[tuple[Position, DraftTrack, DraftLevel]]] = {}
    for p in sorted(found, key=lambda p: (group_of(p), line_of(p))):
        if p in headings:
            continue
        levels = found[p]
        if len(levels) > 1:
            usual = line_tracks.get(line_of(p), [])
            levels = [x for x in levels if usual and id(x[0]) == max(set(usual), key=usual.count)]
        if len(levels) == 1:
            groups.setdefault(group_of(p), []).append((p, *levels[0]))
    paired = 0
    for members in groups.values():
        track_of = {id(level): id(track) for _p, track, level in members}  # a title and its code name one level
        if len(set(track_of.values())) < len(track_of):
            return None  # two levels of one track side by side: not a group of equivalents
        paired += len(set(track_of.values())) > 1
    if not paired:
        return None
    return LevelMap(across, [groups[g] for g in sorted(groups)], headings)


class Cells(Protocol):
    """A sheet being read (grids.Grid): its cells, each handed out once."""

    sheet: Sheet

    def take(self, row: int, column: int) -> Piece | None: ...


def place_level_map(grid: Cells, level_map: LevelMap, draft: Draft) -> str:
    """The map into ``draft``: each group's levels named equivalent, and — when the sheet says anything besides the
    names — the whole sheet as a section (a line per row, its cells joined by " | "), about the levels it names.
    Every cell recorded once. Returns what was read, for the shapes."""
    named = level_map.named
    for group in level_map.groups:
        first = group[0][2]
        for _p, _track, other in group[1:]:
            if other is not first and not any(e is other for e in first.equivalents):
                first.equivalents.append(other)
    sheet = grid.sheet
    cells = _cells(sheet)
    pieces = {p: piece for p in sorted(cells) if (piece := grid.take(*p)) is not None}
    notes = [p for p in pieces if p not in named and p not in level_map.headings]
    title = " ".join(sheet.name.split()) or "Levels across tracks"
    headings = [cells[p] for p in sorted(level_map.headings)]
    kind: SectionKind = section_kind(title, *headings)
    if kind == "other":
        kind = "switching"  # a note beside levels of two tracks named equivalent: about moving between them
    in_section = f"; in section {title}" if notes else ""
    if notes:
        rows = sorted({r for r, _c in cells})
        columns = sorted({c for _r, c in cells})
        lines = []
        for r in rows:
            row = [cells.get((r, c), "") for c in columns]
            while row and not row[-1]:
                row.pop()
            lines.append(" | ".join(row))
        about: list[str | DraftLevel] = [lv for _t, lv in named.values()]
        draft.add_section(title, kind, Piece("\n".join(lines), next(iter(pieces.values())).where), about=about)
        draft.ledger.entries.pop()  # the section is made of the cells: each is recorded below
    group_of = {p: group for group in level_map.groups for p, _t, _lv in group}
    for p, piece in pieces.items():
        if p in named:
            track, level = named[p]
            others = list(dict.fromkeys(lv.title for _q, _t, lv in group_of[p] if lv is not level))
            said = f"named equivalent to {', '.join(others)}" if others else "named alone in its line, no equivalent"
            draft.ledger.placed(piece, f"{track.name} › {level.title} ({said}{in_section})")
        elif notes:
            draft.ledger.placed(piece, f"section {title}")
        else:
            draft.ledger.placed(piece, "(heading of a map of levels across tracks)")
    pairs = sum(len({id(lv) for _p, _t, lv in group}) > 1 for group in level_map.groups)
    by = "row" if level_map.across == "row" else "column"
    text = f", its notes as a section ({kind})" if notes else ""
    return f"a map of levels read from other sheets: {pairs} group(s) of equivalent levels, {by} by {by}{text}"
