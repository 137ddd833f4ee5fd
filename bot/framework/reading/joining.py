"""Several files that describe the same levels, made one: a table of grades and a page per grade are one ladder.

Files read into one draft keep their tracks apart unless they name the same track. But two files often describe
the same levels in different ways: a table with a row per grade (number, name, code) and a page per grade named
"Grade 3"; a RACI table whose columns are "TTL" and "EM" beside a table of roles titled "Tribe Tech Lead (TTL)".
Two tracks from different files are one track when every level of the smaller one is, by a name or code, exactly
one level of the other, each a different one, and at least one of those matches is a title of one side found among
the other side's codes (its aliases, or a code in brackets in its title) — titles alone never join tracks, since
two tracks often share titles ("Senior Consultant" on Development and on Design), and neither do codes alone
("Level 1" on every track).

Sheets of one workbook join the same way, more strictly, since one workbook often holds a sheet per track with the
same codes or titles: two tracks from different sheets of one file are one track when they have as many levels and
each level is exactly one of the other's by a title found among the other's codes, or by its code and its title both
(a column headed "P2 People Partner" is the row with code P2 and title People Partner of a sheet of levels). The
track whose levels carry fields (a sheet of level rows: summary, scope) gives the order and titles; the other (a
matrix of competencies) adds its expectations.

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
        sheets = [_sheets(track) for track in draft.tracks]
        for i, first in enumerate(draft.tracks):
            for j, second in enumerate(draft.tracks[i + 1 :], start=i + 1):
                if normalize(first.family or "") != normalize(second.family or ""):
                    continue
                if files[i] & files[j]:
                    if sheets[i] & sheets[j] or len(first.levels) != len(second.levels):
                        continue  # one sheet's tracks, or tracks of different lengths, are apart by what they say
                    larger, smaller = (second, first) if _with_fields(second) > _with_fields(first) else (first, second)
                    matches = _matches(smaller, larger, every_pair=True)
                else:
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


def _sheets(track: DraftTrack) -> set[tuple[str, str]]:
    """The (file, sheet) pairs a track's levels were read from; a file without sheets is one sheet, ""."""
    return {(level.where.file, level.where.place.rpartition("!")[0]) for level in track.levels}


def _with_fields(track: DraftTrack) -> int:
    return sum(1 for level in track.levels if level.fields)


def _code_and_title(level: DraftLevel, other: DraftLevel) -> bool:
    """``level``'s title is one of ``other``'s codes followed by (or after) ``other``'s title: "P2 People Partner"
    against P2, People Partner."""
    title, name = normalize(level.title), normalize(other.title)
    if not name or title == name:
        return False
    return any(title in (f"{code} {name}", f"{name} {code}") for code in _codes(other))


def _strong(level: DraftLevel, other: DraftLevel) -> bool:
    """Two levels are one by more than a shared code or a shared title."""
    return bool(
        _titles(level) & _codes(other)
        or _codes(level) & _titles(other)
        or _code_and_title(level, other)
        or _code_and_title(other, level)
    )


def _titles(level: DraftLevel) -> set[str]:
    return {normalize(level.title)} - {""}


def _codes(level: DraftLevel) -> set[str]:
    """A level's other names: its aliases, and a title's bracketed code and the title without it."""
    codes = {normalize(alias) for alias in level.aliases}
    found = _BRACKETS.match(level.title)
    if found:
        codes |= {normalize(found.group("inner")), normalize(f"{found.group('outer')} {found.group('rest')}")}
    return codes - {""} - _titles(level)


def _matches(smaller: DraftTrack, larger: DraftTrack, every_pair: bool = False) -> list[tuple[DraftLevel, DraftLevel]] | None:
    """Each level of ``smaller`` with the one level of ``larger`` it is, when all of them are and at least one (with
    ``every_pair``, every one) by a title found among the other's codes or by code and title both; None otherwise."""
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
        strong = _strong(level, other)
        if every_pair and not strong:
            return None
        by_code = by_code or strong
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
    if (_titles(level) & _codes(other) and not _titles(other) & _codes(level)) or _code_and_title(level, other):
        level.aliases.append(level.title)
        level.title = other.title
    else:
        level.aliases.append(other.title)
    level.aliases += other.aliases
    seen = _titles(level)
    unique = []
    for alias in level.aliases:  # each other name once, never the title
        if normalize(alias) and normalize(alias) not in seen:
            seen.add(normalize(alias))
            unique.append(alias)
    level.aliases = unique
    for name, pieces in other.fields.items():
        level.fields.setdefault(name, []).extend(pieces)
    for key, pieces in other.expectations.items():
        level.expectations.setdefault(key, []).extend(pieces)
    level.equivalents += [e for e in other.equivalents if e is not level]
    if level.order is None:
        level.order = other.order
