"""Each track's levels, lowest first: by the numbers the pages give, by the order an index page links them in, by
seniority words, else as read."""

from __future__ import annotations

from collections.abc import Mapping

from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftLevel
from bot.framework.reading.page_shapes import navigation_runs
from bot.framework.reading.titles import number_of, seniority, split_title, words


class TrackOrder(Placing):
    """Step 5a: the levels of each track, lowest first."""

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

    def _order_by_own_tables(self) -> None:
        """A track whose levels all come from tables, lowest first by the numbers their codes or titles give (E1 < E2),
        else in the order of the one table of levels (not a mapping across tracks) that lists them all — never in the
        row order of a mapping table read before it."""
        from_text = {id(level) for _track, level in self.level_of_section.values()}
        from_text |= {id(d.level) for d in self.docs if d.level is not None}
        for track in self.draft.tracks:
            levels = track.levels
            if len(levels) < 2 or any(id(lv) in from_text for lv in levels):
                continue
            numbers = [_table_rank(lv) for lv in levels]
            if all(n is not None for n in numbers) and len(set(numbers)) == len(levels):
                self._reorder(levels, {id(lv): n for lv, n in zip(levels, numbers, strict=True) if n is not None})
                continue
            mine = {id(lv) for lv in levels}
            for table_id, placed in self.table_levels.items():
                role = self.table_roles.get(table_id)
                if role is None or role.kind == "mapping":
                    continue
                seen = [hit[1] for hit in placed if hit is not None and hit[0] is track]
                order = {id(lv): k for k, lv in reversed(list(enumerate(seen)))}
                if set(order) == mine:
                    self._reorder(levels, order)
                    break

    @staticmethod
    def _reorder(levels: list[DraftLevel], rank: Mapping[int, float]) -> None:
        """Sort ``levels`` by ``rank`` (a level's id -> its place) and number them in that order."""
        levels.sort(key=lambda lv: rank[id(lv)])
        for index, level in enumerate(levels):
            level.order = float(index)


def _table_rank(level: DraftLevel) -> float | None:
    """The number a level's codes or title give it ("E3" -> 3, "Level 2" -> 2), when one does."""
    for name in (*level.aliases, level.title):
        number = split_title(name).number
        if number is not None:
            return number
    return None


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
