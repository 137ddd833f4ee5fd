"""Several files that describe the same levels, made one: a table of grades and a page per grade are one ladder.

Files read into one draft keep their tracks apart unless they name the same track. But two files often describe
the same levels in different ways: a table with a row per grade (number, name, code) and a page per grade named
"Grade 3"; a RACI table whose columns are "TTL" and "EM" beside a table of roles titled "Tribe Tech Lead (TTL)".
Two tracks from different files are one track when every level of the smaller one is, by a name or code, exactly
one level of the other, each a different one, and at least one of those matches is a title of one side found among
the other side's codes (its aliases, or a code in brackets in its title) — titles alone never join tracks, since
two tracks often share titles ("Senior Consultant" on Development and on Design), and neither do codes alone
("Level 1" on every track).

The levels are joined: the title that is a name (not the other's code) is kept, the other becomes an alias; their
fields and expectations are joined in the order read, never overwritten. The draft's shapes say which tracks were
joined and by what.
"""

from __future__ import annotations

import re

from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack

_BRACKETS = re.compile(r"^(?P<outer>.*?)\s*[(\[](?P<inner>[^()\[\]]{1,30})[)\]]\s*(?P<rest>.*)$")


def join_same_levels(draft: Draft) -> None:
    """Join every pair of tracks, from different files, that describe the same levels (see the module's account)."""
    joined = True
    while joined:  # a join may make another possible (three files of one ladder)
        joined = False
        files = [_files(track) for track in draft.tracks]
        if len(set().union(*files)) < 2:
            return  # one file: its tracks are apart by what it says
        for i, first in enumerate(draft.tracks):
            for j, second in enumerate(draft.tracks[i + 1 :], start=i + 1):
                if files[i] & files[j] or normalize(first.family or "") != normalize(second.family or ""):
                    continue
                larger, smaller = (second, first) if len(second.levels) > len(first.levels) else (first, second)
                matches = _matches(smaller, larger)
                if matches is None:
                    continue
                _join(draft, larger, smaller, matches)
                joined = True
                break
            if joined:
                break


def _files(track: DraftTrack) -> set[str]:
    return {level.where.file for level in track.levels}


def _titles(level: DraftLevel) -> set[str]:
    return {normalize(level.title)} - {""}


def _codes(level: DraftLevel) -> set[str]:
    """A level's other names: its aliases, and a title's bracketed code and the title without it."""
    codes = {normalize(alias) for alias in level.aliases}
    found = _BRACKETS.match(level.title)
    if found:
        codes |= {normalize(found.group("inner")), normalize(f"{found.group('outer')} {found.group('rest')}")}
    return codes - {""} - _titles(level)


def _matches(smaller: DraftTrack, larger: DraftTrack) -> list[tuple[DraftLevel, DraftLevel]] | None:
    """Each level of ``smaller`` with the one level of ``larger`` it is, when all of them are and at least one by a
    title found among the other's codes; None otherwise."""
    if not smaller.levels:
        return None
    pairs: list[tuple[DraftLevel, DraftLevel]] = []
    by_code = False
    taken: set[int] = set()
    for level in smaller.levels:
        names = _titles(level) | _codes(level)
        found = [other for other in larger.levels if names & (_titles(other) | _codes(other))]
        if len(found) != 1 or id(found[0]) in taken:
            return None
        other = found[0]
        taken.add(id(other))
        pairs.append((level, other))
        by_code = by_code or bool(_titles(level) & _codes(other) or _codes(level) & _titles(other))
    return pairs if by_code else None


def _join(draft: Draft, into: DraftTrack, track: DraftTrack, pairs: list[tuple[DraftLevel, DraftLevel]]) -> None:
    for level, other in pairs:
        _join_level(other, level)
        for each in draft.tracks:
            if each.starts_after is level:
                each.starts_after = other
            for lv in each.levels:
                lv.equivalents = [other if e is level else e for e in lv.equivalents]
    into.description += track.description
    draft.tracks.remove(track)
    shown = ", ".join(f"{level.title} = {other.title}" for level, other in pairs[:3]) + (", …" if len(pairs) > 3 else "")
    draft.shapes.append(f"tracks {into.name} and {track.name} describe the same levels ({shown}): read as one track, {into.name}")


def _join_level(level: DraftLevel, other: DraftLevel) -> None:
    """``other``'s names and text added to ``level``'s; the title that is a name, not a code of the other, is kept."""
    if _titles(level) & _codes(other) and not _titles(other) & _codes(level):
        level.aliases.append(level.title)
        level.title = other.title
    else:
        level.aliases.append(other.title)
    level.aliases += other.aliases
    for name, pieces in other.fields.items():
        level.fields.setdefault(name, []).extend(pieces)
    for key, pieces in other.expectations.items():
        level.expectations.setdefault(key, []).extend(pieces)
    level.equivalents += [e for e in other.equivalents if e is not level]
    if level.order is None:
        level.order = other.order
