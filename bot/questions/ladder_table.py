"""The ladder side by side: tracks as columns, and rows only where the framework names levels equivalent.

A row claims equivalence, so a row holds the levels of one group of equivalents and nothing else; a level with no
equivalent named gets a row of its own. Tracks among which the file names no equivalent at all are not put in rows:
they are listed side by side, each lowest first, and said to have none named. A track that starts after a level of
another one (a trunk that forks) is placed below that level, and says where it continues from.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Mapping

from bot.framework.model import Framework, Level, Track


@dataclass(frozen=True)
class LadderTable:
    tracks: tuple[Track, ...]
    rows: tuple[tuple[Level | None, ...], ...]
    """One column per track; the levels of a row are named equivalent (a row of one level: none named). Empty when
    :attr:`aligned` is false."""
    aligned: bool
    """Whether the framework names any level of one of these tracks equivalent to a level of another."""
    continues_from: Mapping[str, Level] = field(default_factory=dict)
    """Track id -> the level (on another track) it starts after."""

    @property
    def shared_rows(self) -> int:
        """How many rows hold more than one level."""
        return sum(1 for row in self.rows if sum(level is not None for level in row) > 1)


def families(framework: Framework) -> list[list[Track]]:
    groups: dict[str | None, list[Track]] = {}
    for track in framework.tracks:
        groups.setdefault(track.family, []).append(track)
    return list(groups.values())


def side_by_side(framework: Framework, tracks: list[Track] | tuple[Track, ...]) -> LadderTable:
    shown = tuple(tracks)
    continues_from = {t.id: lv for t in shown if t.starts_after and (lv := framework.level(t.starts_after)) is not None}
    nodes = _groups_among(framework, shown)
    if all(len(node) == 1 for node in nodes):
        return LadderTable(shown, (), False, continues_from)
    column = {t.id: i for i, t in enumerate(shown)}
    rows: list[list[Level | None]] = []
    for node in _in_order(framework, nodes, column):
        row: list[Level | None] = [None] * len(shown)
        for level in node:
            row[column[level.track_id]] = level
        rows.append(row)
    return LadderTable(shown, tuple(tuple(row) for row in rows), True, continues_from)


def _groups_among(framework: Framework, tracks: tuple[Track, ...]) -> list[list[Level]]:
    """Each level of ``tracks`` once: with the other members of its group of equivalents on these tracks."""
    on_shown = {t.id for t in tracks}
    seen: set[str] = set()
    nodes: list[list[Level]] = []
    for track in tracks:
        for level in track.levels:
            if level.id not in seen:
                node = [m for m in framework.equivalence_group(level) if m.track_id in on_shown]
                seen.update(m.id for m in node)
                nodes.append(node)
    return nodes


def _in_order(framework: Framework, nodes: list[list[Level]], column: dict[str, int]) -> list[list[Level]]:
    """The rows, lowest first: a row comes after the rows of the levels below each of its levels (on their track, or
    the level their track starts after); among rows ready together, the leftmost, so that each track's levels without
    equivalents stay together. Equivalences that cross (a higher level equivalent to a lower one) cannot share rows: their levels are
    given rows of their own."""
    done: list[list[Level]] = []
    placed: set[str] = set()
    remaining = nodes
    while remaining:
        ordered, rest = _kahn(framework, remaining, column, placed)
        done += ordered
        if all(len(node) == 1 for node in rest):  # nothing left, or tracks that start after one another in a circle
            return done + rest
        remaining = [[level] for node in rest for level in node]  # crossing equivalences: single levels have no cycle
    return done


def _kahn(
    framework: Framework, nodes: list[list[Level]], column: dict[str, int], placed: set[str]
) -> tuple[list[list[Level]], list[list[Level]]]:
    node_of = {level.id: i for i, node in enumerate(nodes) for level in node}
    waiting_on: list[set[int]] = [set() for _ in nodes]
    followers: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for level in node:
            below = framework.previous_level(level)
            if below is not None and below.id in node_of and node_of[below.id] != i and below.id not in placed:
                if node_of[below.id] not in waiting_on[i]:
                    waiting_on[i].add(node_of[below.id])
                    followers[node_of[below.id]].append(i)
    depth = [0] * len(nodes)
    ready = [(min(column[lv.track_id] for lv in node), 0, i) for i, node in enumerate(nodes) if not waiting_on[i]]
    heapq.heapify(ready)
    ordered: list[list[Level]] = []
    taken: set[int] = set()
    while ready:
        _column, _depth, i = heapq.heappop(ready)
        taken.add(i)
        ordered.append(nodes[i])
        placed.update(level.id for level in nodes[i])
        for j in followers[i]:
            waiting_on[j].discard(i)
            depth[j] = max(depth[j], depth[i] + 1)
            if not waiting_on[j]:
                heapq.heappush(ready, (min(column[lv.track_id] for lv in nodes[j]), depth[j], j))
    return ordered, [node for i, node in enumerate(nodes) if i not in taken]
