"""One table of levels that holds several tracks: a trunk that forks, told by the table itself.

A table with a row per level lists every position in one column, whatever track it is on. Two things in it say
where tracks part:

- a column naming the level each one comes after (Parent, Previous): a level two others come after is where the
  ladder forks; the first to come after it continues the track, each other starts a track of its own;
- a column naming each level's equivalent (Pair, Equivalent) among the table's own levels: levels named as
  equivalent cannot be on one track, so the levels before the first pair are the trunk, and the first of each
  pair (in the table's order) continues one branch, the second another. A level with no pair after the trunk goes
  on the first branch, and the header says so, to check.

Nothing is reworded: levels keep their titles and their text; only the track they are on changes.
"""

from __future__ import annotations

from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack

_NUMERALS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def split_branches(draft: Draft, track: DraftTrack, parents: list[tuple[DraftLevel, str]]) -> list[DraftTrack]:
    """Split ``track`` into a trunk and its branches when its levels say where it forks (``parents``: each level with
    the name of the level it comes after) or name one another as equivalent; the new tracks follow it in
    ``draft.tracks``. Returns the tracks made (none when the table names no fork)."""
    index = _names(track)
    links: dict[int, DraftLevel] = {}
    for level, name in parents:
        parent = index.get(normalize(name))
        if parent is not None and parent is not level:
            links[id(level)] = parent
    unpaired: list[DraftLevel] = []
    if links:
        chains = _chains_from_parents(track.levels, links)
    else:
        chains = _chains_from_pairs(track, index, unpaired)
    if len(chains) <= 1:
        if chains and len(chains[0][0]) == len(track.levels):
            track.levels = chains[0][0]  # one line: the order the Parent column gives
        return []
    track.levels = chains[0][0]
    made = []
    at = draft.tracks.index(track) + 1 if track in draft.tracks else len(draft.tracks)
    for levels, after in chains[1:]:
        branch = DraftTrack(_branch_name(levels, {normalize(t.name) for t in draft.tracks}), track.family)
        branch.levels = levels
        branch.starts_after = after
        draft.tracks.insert(at, branch)
        at += 1
        made.append(branch)
    first = next((t for t in [track, *made] if any(lv is unpaired[0] for lv in t.levels)), track) if unpaired else track
    for level in unpaired:
        before = first.levels[[id(lv) for lv in first.levels].index(id(level)) - 1] if first.levels[0] is not level else None
        draft.decisions.append(
            f"{level.title} is paired with no level: it is put on track {first.name}"
            + (f" after {before.title}" if before else "")
            + "; move it if it belongs on another track"
        )
    return made


def fork_shape(track: DraftTrack, made: list[DraftTrack]) -> str:
    """What :func:`split_branches` did, for the draft's shapes."""
    forks = ", ".join(
        b.name + (f" (after {b.starts_after.title})" if isinstance(b.starts_after, DraftLevel) else "") for b in made
    )
    return f"track {track.name} parts into tracks by the levels the table pairs or chains: {forks}"


def _names(track: DraftTrack) -> dict[str, DraftLevel]:
    """Each title and other name of the track's levels that names one level only."""
    found: dict[str, list[DraftLevel]] = {}
    for level in track.levels:
        for name in (level.title, *level.aliases):
            key = normalize(name)
            if key and level not in found.setdefault(key, []):
                found[key].append(level)
    return {key: levels[0] for key, levels in found.items() if len(levels) == 1}


Chain = tuple[list[DraftLevel], DraftLevel | None]
"""A track's levels, lowest first, and the level it continues from (None for a track of its own)."""


def _chains_from_parents(levels: list[DraftLevel], links: dict[int, DraftLevel]) -> list[Chain]:
    children: dict[int, list[DraftLevel]] = {}
    for level in levels:
        if id(level) in links:
            children.setdefault(id(links[id(level)]), []).append(level)
    starts: list[tuple[DraftLevel, DraftLevel | None]] = [(lv, None) for lv in levels if id(lv) not in links]
    seen: set[int] = set()
    chains: list[Chain] = []
    while starts:
        level, after = starts.pop(0)
        chain: list[DraftLevel] = []
        current: DraftLevel | None = level
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            chain.append(current)
            below = [c for c in children.get(id(current), []) if id(c) not in seen]
            starts += [(c, current) for c in below[1:]]
            current = below[0] if below else None
        if chain:
            chains.append((chain, after))
    rest = [lv for lv in levels if id(lv) not in seen]  # a loop of parents: kept in the table's order
    if rest:
        if chains:
            chains[0][0].extend(rest)
        else:
            chains.append((rest, None))
    return chains


def _chains_from_pairs(track: DraftTrack, index: dict[str, DraftLevel], unpaired: list[DraftLevel]) -> list[Chain]:
    group_of: dict[int, int] = {}  # id(level) -> its group's number
    groups: list[list[DraftLevel]] = []
    for level in track.levels:
        for name in level.equivalents:
            other = index.get(normalize(name)) if isinstance(name, str) else (name if name in track.levels else None)
            if other is None or other is level:
                continue
            mine, theirs = group_of.get(id(level)), group_of.get(id(other))
            if mine is None and theirs is None:
                group_of[id(level)] = group_of[id(other)] = len(groups)
                groups.append([level, other])
            elif mine is None or theirs is None:
                number = mine if mine is not None else theirs
                assert number is not None
                joining = other if mine is not None else level
                group_of[id(joining)] = number
                groups[number].append(joining)
            elif mine != theirs:
                groups[mine] += groups[theirs]
                for member in groups[theirs]:
                    group_of[id(member)] = mine
                groups[theirs] = []
    if not any(groups):
        return []
    order = {id(level): i for i, level in enumerate(track.levels)}
    first = min(order[id(level)] for group in groups for level in group)
    trunk = track.levels[:first]
    width = max(len(group) for group in groups)
    branches: list[list[DraftLevel]] = [[] for _ in range(width)]
    for level in track.levels[first:]:
        if id(level) in group_of:
            members = sorted(groups[group_of[id(level)]], key=lambda lv: order[id(lv)])
            branches[members.index(level)].append(level)
        else:
            branches[0].append(level)
            unpaired.append(level)
    after = trunk[-1] if trunk else None
    chains: list[Chain] = [(trunk, None)] if trunk else []
    chains += [(levels, after) for levels in branches if levels]
    return chains


def _branch_name(levels: list[DraftLevel], taken: set[str]) -> str:
    """A branch named by what its titles share ("Specialist I", "Specialist II" -> "Specialist"), else its first title."""
    words = [level.title.split() for level in levels]
    shared: list[str] = []
    for column in zip(*words, strict=False):
        if len({normalize(w) for w in column}) != 1 or normalize(column[0]) in _NUMERALS or column[0].isdigit():
            break
        shared.append(column[0])
    name = " ".join(shared) if shared else levels[0].title
    base, n = name, 2
    while normalize(name) in taken:
        name, n = f"{base} {n}", n + 1
    return name
