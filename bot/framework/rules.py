"""The checks a JSON Schema cannot express: references between levels, tracks and competencies.

Runs on a document that already has the right shape, and returns ``(path, message, severity)``
triples so the loader can report them beside the schema's own.
"""

from __future__ import annotations

import difflib
import itertools
from typing import Any, Iterator

from bot.framework.names import name_key, normalize
from bot.framework.shape_checks import Finding, read_the_wrong_way_round


def semantic_problems(doc: dict[str, Any]) -> list[Finding]:
    levels = _index_levels(doc)
    findings: list[Finding] = []
    checks = (
        _unique_ids,
        _competency_tracks,
        _expectations,
        _names,
        _equivalents,
        _starts_after,
        _switch_points,
        _bands,
        _sections,
        _scales,
        _question_words,
    )
    for check in checks:
        findings.extend(check(doc, levels))
    findings.extend(read_the_wrong_way_round(doc))
    return findings


def _index_levels(doc: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], str]]:
    """level id -> (track id, level document, path); the first of duplicated ids wins."""
    index: dict[str, tuple[str, dict[str, Any], str]] = {}
    for ti, track in enumerate(doc["tracks"]):
        for li, level in enumerate(track["levels"]):
            index.setdefault(level["id"], (track["id"], level, f"tracks[{ti}].levels[{li}]"))
    return index


def _walk_levels(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    for ti, track in enumerate(doc["tracks"]):
        for li, level in enumerate(track["levels"]):
            yield track, level, f"tracks[{ti}].levels[{li}]"


def _unique_ids(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for kind, items, prefix in (("competency", doc["competencies"], "competencies"), ("track", doc["tracks"], "tracks")):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item["id"] in seen:
                yield (
                    f"{prefix}[{i}].id",
                    f"duplicate {kind} id '{item['id']}' (first used at {prefix}[{seen[item['id']]}])",
                    "error",
                )
            seen.setdefault(item["id"], i)
    for _track, level, path in _walk_levels(doc):
        first = levels[level["id"]][2]
        if first != path:
            yield (
                f"{path}.id",
                f"duplicate level id '{level['id']}' (first used at {first}); level ids must be unique across all tracks",
                "error",
            )


def _competency_tracks(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    track_ids = {t["id"] for t in doc["tracks"]}
    for i, competency in enumerate(doc["competencies"]):
        for j, track_id in enumerate(competency["tracks"]):
            if track_id not in track_ids:
                yield f"competencies[{i}].tracks[{j}]", f"no track '{track_id}'", "error"


def _expectations(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    by_track: dict[str, list[str]] = {}
    for competency in doc["competencies"]:
        for track_id in competency["tracks"]:
            by_track.setdefault(track_id, []).append(competency["id"])
    all_ids = {c["id"] for c in doc["competencies"]}
    for track, level, path in _walk_levels(doc):
        expected = by_track.get(track["id"], [])
        for key in level["expectations"]:
            if key not in all_ids:
                yield f"{path}.expectations.{key}", f"no competency '{key}'", "error"
            elif key not in expected:
                yield f"{path}.expectations.{key}", f"competency '{key}' does not apply to track '{track['id']}'", "error"


def equivalent_ids(level: dict[str, Any]) -> list[tuple[str, str]]:
    """(field path, level id) for each level named in ``equivalent``, which a file writes as one id or as a list."""
    value = level.get("equivalent")
    if value is None:
        return []
    if isinstance(value, str):
        return [("equivalent", value)]
    return [(f"equivalent[{k}]", target) for k, target in enumerate(value)]


def _names(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    """A name people type should point at one thing. Names shared across kinds (a track, a level and a competency called
    alike) and one title on two tracks are allowed: questions tell them apart by context. Two levels of one track titled
    alike, or two competencies of one track named alike, could never be told apart (errors); an alias that also names
    another level, track or competency makes a question ask which is meant (a warning)."""
    yield from _titles_on_one_track(doc)
    tracks = [(f"track '{t['id']}'", t, f"tracks[{i}]", "name", {t["id"]}) for i, t in enumerate(doc["tracks"])]
    named_levels = [(f"level '{lv['id']}'", lv, path, "title", {track["id"]}) for track, lv, path in _walk_levels(doc)]
    competencies = [
        (f"competency '{c['id']}'", c, f"competencies[{i}]", "name", set(c["tracks"])) for i, c in enumerate(doc["competencies"])
    ]
    yield from _shared_aliases(named_levels)
    yield from _shared_aliases(tracks)
    yield from _shared_aliases(competencies)
    yield from _competency_names_on_one_track(competencies)


def _titles_on_one_track(doc: dict[str, Any]) -> Iterator[Finding]:
    for ti, track in enumerate(doc["tracks"]):
        seen: dict[str, str] = {}
        for li, level in enumerate(track["levels"]):
            key = name_key(level["title"])
            if key in seen:
                message = f"'{level['title']}' is already the title of level '{seen[key]}' on this track; titles on one track must differ"
                yield f"tracks[{ti}].levels[{li}].title", message, "error"
            seen.setdefault(key, level["id"])


def _competency_names_on_one_track(competencies: list[tuple[str, dict[str, Any], str, str, set[str]]]) -> Iterator[Finding]:
    seen: dict[tuple[str, str], str] = {}  # (normalised name, track id) -> the competency it names there
    for owner, item, path, _field, scope in competencies:
        key = name_key(item["name"])
        shared = next((track for track in sorted(scope) if (key, track) in seen), None)
        if shared is not None:
            message = (
                f"'{item['name']}' already names {seen[(key, shared)]}, which applies to track '{shared}' too; "
                "a question could not tell them apart"
            )
            yield f"{path}.name", message, "error"
        for track in scope:
            seen.setdefault((key, track), owner)


def _shared_aliases(named: list[tuple[str, dict[str, Any], str, str, set[str]]]) -> Iterator[Finding]:
    """One warning per alias that also names other things of the same kind (by a title, a name or an alias): at its
    first alias, naming them all ('Level 5' on each of four families is one warning, not four)."""
    owners: dict[str, dict[str, None]] = {}  # normalised name -> who it names, in file order
    first_alias: dict[str, tuple[str, str]] = {}  # normalised name -> (where, as written) of its first alias
    for owner, item, _path, title_field, _scope in named:
        owners.setdefault(name_key(str(item[title_field])), {})[owner] = None
    for owner, item, path, _title_field, _scope in named:
        for k, alias in enumerate(item.get("aliases", ())):
            key = name_key(str(alias))
            if key:
                owners.setdefault(key, {})[owner] = None
                first_alias.setdefault(key, (f"{path}.aliases[{k}]", str(alias)))
    for key, (where, alias) in first_alias.items():
        if len(owners[key]) > 1:
            kind = next(iter(owners[key])).split(" ", 1)[0]  # "level 'staff'" -> level
            named_by = [owner.split(" ", 1)[1] for owner in itertools.islice(owners[key], 3)]
            count = len(owners[key])
            listed = (
                ", ".join(named_by[:-1]) + f" and {named_by[-1]}" if count <= 3 else f"{', '.join(named_by)} and {count - 3} more"
            )
            message = f"'{alias}' names {count} {kind}s, {listed}; a question using it alone will be asked which one is meant"
            yield where, message, "warning"


def _on_another_track(levels: dict, target_id: str, track_id: str, where: str, what: str) -> Finding | None:
    """A reference to a level that must exist on a track other than ``track_id``."""
    target = levels.get(target_id)
    if target is None:
        guess = difflib.get_close_matches(target_id, [i for i, (track, _lv, _p) in levels.items() if track != track_id], n=1)
        return where, f"no level '{target_id}'" + (f"; did you mean '{guess[0]}'?" if guess else ""), "error"
    if target[0] == track_id:
        return where, f"'{target_id}' is on the same track; {what} must be on another track", "error"
    return None


def equivalence_groups(doc: dict[str, Any], levels: dict) -> tuple[dict[str, dict[str, str]], list[Finding]]:
    """Every level linked by ``equivalent`` (either way, through any number of links) is in one group, which holds one
    level per track: level id -> its group (track id -> level id, one shared dict per group), and the links refused."""
    groups: dict[str, dict[str, str]] = {}
    linked: dict[str, list[str]] = {}
    findings: list[Finding] = []
    for track, level, path in _walk_levels(doc):
        for field, target_id in equivalent_ids(level):
            where = f"{path}.{field}"
            problem = _on_another_track(levels, target_id, track["id"], where, "an equivalent")
            if problem:
                findings.append(problem)
                continue
            mine = groups.setdefault(level["id"], {track["id"]: level["id"]})
            theirs = groups.setdefault(target_id, {levels[target_id][0]: target_id})
            if mine is theirs:
                continue
            clash = [t for t in mine if t in theirs]
            if clash:
                first, second = mine[clash[0]], theirs[clash[0]]
                chain = _chain(linked, first, level["id"]) + _chain(linked, target_id, second)
                message = (
                    f"this would make '{first}' and '{second}' equivalent ({' ≈ '.join(chain)}), and both are on track "
                    f"'{clash[0]}'; a group of equivalent levels holds one level per track"
                )
                findings.append((where, message, "error"))
                continue
            mine.update(theirs)
            for member in theirs.values():
                groups[member] = mine
            linked.setdefault(level["id"], []).append(target_id)
            linked.setdefault(target_id, []).append(level["id"])
    return groups, findings


def _chain(linked: dict[str, list[str]], start: str, end: str) -> list[str]:
    """The levels from ``start`` to ``end`` along accepted links (they are in one group, so a path exists)."""
    came_from: dict[str, str | None] = {start: None}
    queue = [start]
    for current in queue:
        if current == end:
            break
        for nxt in linked.get(current, ()):
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    chain: list[str] = []
    at: str | None = end if end in came_from else start
    while at is not None:
        chain.append(at)
        at = came_from[at]
    return chain[::-1]


def _equivalents(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    groups, findings = equivalence_groups(doc, levels)
    yield from findings
    yield from _crossing(doc, groups)
    yield from _one_above_the_other(doc, levels, groups)


def _one_above_the_other(doc: dict[str, Any], levels: dict, groups: dict[str, dict[str, str]]) -> Iterator[Finding]:
    """Two levels of a group where one leads up to the other (a trunk and a track that starts after it): a level cannot
    stand level with one above it. The levels below each other form a forest (each level has at most one level below
    it); numbering it in one walk tells, for any two levels, whether one is below the other."""
    below: dict[str, str] = {}
    for track in doc["tracks"]:
        start = track.get("starts_after")
        for li, level in enumerate(track["levels"]):
            under = track["levels"][li - 1]["id"] if li else start
            if under in levels and under != level["id"]:
                below[level["id"]] = under
    above: dict[str, list[str]] = {}
    for level_id, under in below.items():
        above.setdefault(under, []).append(level_id)
    entered, left, clock = {}, {}, 0
    for root in [i for i in levels if i not in below]:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                left[node] = clock
                continue
            entered[node], clock = clock, clock + 1
            stack.append((node, True))
            stack.extend((child, False) for child in above.get(node, ()) if child not in entered)
    reported: set[int] = set()
    for group in groups.values():
        if id(group) in reported:
            continue
        reported.add(id(group))
        members = [m for m in group.values() if m in entered]  # a level in a circle of tracks is reported elsewhere
        for low in members:
            for high in members:
                if low != high and entered[low] < entered[high] < left[low]:
                    message = f"'{high}' is above '{low}' on the ladder, so the two cannot be equivalent"
                    yield levels[high][2], message, "error"


def _crossing(doc: dict[str, Any], groups: dict[str, dict[str, str]]) -> Iterator[Finding]:
    """Equivalences between two tracks that cross (A2 ≈ B3 but A3 ≈ B1): a higher level equivalent to a lower one."""
    rank = {
        lv["id"]: (li, f"tracks[{ti}].levels[{li}]") for ti, t in enumerate(doc["tracks"]) for li, lv in enumerate(t["levels"])
    }
    track_order = {t["id"]: ti for ti, t in enumerate(doc["tracks"])}
    unique = list({id(group): group for group in groups.values()}.values())
    by_pair: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}
    for group in unique:
        members = sorted(group.items(), key=lambda item: track_order[item[0]])
        for i, (track_a, level_a) in enumerate(members):
            for track_b, level_b in members[i + 1 :]:
                by_pair.setdefault((track_a, track_b), []).append((rank[level_a][0], rank[level_b][0], level_a, level_b))
    for (track_a, track_b), pairs in by_pair.items():
        pairs.sort()
        highest: tuple[int, int, str, str] | None = None
        for pair in pairs:
            if highest is not None and pair[1] < highest[1]:
                message = (
                    f"equivalences between tracks '{track_a}' and '{track_b}' cross: '{pair[2]}' ≈ '{pair[3]}' but the lower "
                    f"'{highest[2]}' ≈ the higher '{highest[3]}'"
                )
                yield rank[pair[2]][1], message, "warning"
                break
            highest = pair if highest is None or pair[1] > highest[1] else highest


def _starts_after(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    """A track that continues from a level of another track (a trunk that forks): the level exists, and following
    them never leads back to the track it started from."""
    continues_from: dict[str, str] = {}
    for ti, track in enumerate(doc["tracks"]):
        target_id = track.get("starts_after")
        if target_id is None:
            continue
        problem = _on_another_track(levels, target_id, track["id"], f"tracks[{ti}].starts_after", "the level it starts after")
        if problem:
            yield problem
        else:
            continues_from[track["id"]] = levels[target_id][0]
    reported: set[str] = set()
    for ti, track in enumerate(doc["tracks"]):
        seen, at = [track["id"]], continues_from.get(track["id"])
        while at is not None and at not in seen:
            seen.append(at)
            at = continues_from.get(at)
        if at == track["id"] and track["id"] not in reported:
            reported.update(seen)
            circle = " → ".join([*seen, track["id"]])
            message = f"tracks start after one another in a circle ({circle}); one of them must start on its own"
            yield f"tracks[{ti}].starts_after", message, "error"


def _sections(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    known = [t["id"] for t in doc["tracks"]] + list(levels) + [c["id"] for c in doc["competencies"]]
    for i, section in enumerate(doc["sections"]):
        for k, about in enumerate(section["about"]):
            if about not in known:
                guess = difflib.get_close_matches(about, known, n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                yield f"sections[{i}].about[{k}]", f"no track, level or competency '{about}'{hint}", "error"


def _scales(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for i, competency in enumerate(doc["competencies"]):
        seen: set[str] = set()
        for j, step in enumerate(competency.get("scale", ())):
            key = normalize(step["label"])
            if key in seen:
                yield f"competencies[{i}].scale[{j}].label", f"'{step['label']}' is already a step of this scale", "warning"
            seen.add(key)


def _question_words(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    kinds: dict[str, str] = {}
    for kind, words in doc["question_words"].items():
        for k, word in enumerate(words):
            key = normalize(word)
            if kinds.get(key, kind) != kind:
                message = f"'{word}' is also a word for '{kinds[key]}' questions; a question with it may be read as either"
                yield f"question_words.{kind}[{k}]", message, "warning"
            kinds.setdefault(key, kind)


def _switch_points(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for track, level, path in _walk_levels(doc):
        for k, point in enumerate(level.get("switch_points", ())):
            problem = _on_another_track(levels, point["to"], track["id"], f"{path}.switch_points[{k}].to", "a switching point")
            if problem:
                yield problem


def _bands(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    groups, _refused = equivalence_groups(doc, levels)
    for _track, level, path in _walk_levels(doc):
        band = level.get("band")
        if not band:
            continue
        if band["min"] > band["max"]:
            yield f"{path}.band", f"min {band['min']} is above max {band['max']}", "error"
        for other_id in groups.get(level["id"], {}).values():
            other = levels[other_id][1].get("band")
            if other_id != level["id"] and other and other["currency"] == band["currency"] and band["min"] < other["min"]:
                yield (
                    f"{path}.band",
                    f"min {band['min']} {band['currency']} is below its equivalent '{other_id}' ({other['min']} {other['currency']}); parallel levels should have equal standing and pay",
                    "warning",
                )
                break
