"""The checks a JSON Schema cannot express: references between levels, tracks and competencies.

Runs on a document that already has the right shape, and returns ``(path, message, severity)``
triples so the loader can report them beside the schema's own.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterator

from bot.framework.names import normalize

Finding = tuple[str, str, str]


def semantic_problems(doc: dict[str, Any]) -> list[Finding]:
    levels = _index_levels(doc)
    findings: list[Finding] = []
    for check in (_unique_ids, _competency_tracks, _expectations, _names, _equivalents, _switch_points, _bands):
        findings.extend(check(doc, levels))
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


def _names(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    """Every name a person might type must point at one thing, or answers would guess."""
    owners: dict[str, str] = {}
    named = [(f"level '{lv['id']}'", lv, path, "title") for _t, lv, path in _walk_levels(doc)]
    named += [(f"competency '{c['id']}'", c, f"competencies[{i}]", "name") for i, c in enumerate(doc["competencies"])]
    named += [(f"track '{t['id']}'", t, f"tracks[{i}]", "name") for i, t in enumerate(doc["tracks"])]
    for owner, item, path, title_field in named:
        names = [("id", item["id"]), (title_field, item[title_field])]
        names += [(f"aliases[{k}]", alias) for k, alias in enumerate(item.get("aliases", ()))]
        for field, name in names:
            key = normalize(str(name))
            previous = owners.setdefault(key, owner) if key else owner
            if previous != owner:
                yield f"{path}.{field}", f"'{name}' already names {previous}", "error"


def _on_another_track(levels: dict, target_id: str, track_id: str, where: str, what: str) -> Finding | None:
    """A reference to a level that must exist on a track other than ``track_id``."""
    target = levels.get(target_id)
    if target is None:
        guess = difflib.get_close_matches(target_id, [i for i, (track, _lv, _p) in levels.items() if track != track_id], n=1)
        return where, f"no level '{target_id}'" + (f"; did you mean '{guess[0]}'?" if guess else ""), "error"
    if target[0] == track_id:
        return where, f"'{target_id}' is on the same track; {what} must be on another track", "error"
    return None


def _equivalents(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for track, level, path in _walk_levels(doc):
        target_id = level.get("equivalent")
        if target_id is None:
            continue
        problem = _on_another_track(levels, target_id, track["id"], f"{path}.equivalent", "an equivalent")
        if problem:
            yield problem
            continue
        _, target, target_path = levels[target_id]
        if target.get("equivalent") != level["id"]:
            back = target.get("equivalent")
            said = f"names '{back}'" if back else "names no equivalent"
            message = f"'{target_id}' does not point back ({target_path}.equivalent {said}); equivalence must be symmetric"
            yield f"{path}.equivalent", message, "error"


def _switch_points(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for track, level, path in _walk_levels(doc):
        for k, point in enumerate(level.get("switch_points", ())):
            problem = _on_another_track(levels, point["to"], track["id"], f"{path}.switch_points[{k}].to", "a switching point")
            if problem:
                yield problem


def _bands(doc: dict[str, Any], levels: dict) -> Iterator[Finding]:
    for _track, level, path in _walk_levels(doc):
        band = level.get("band")
        if not band:
            continue
        if band["min"] > band["max"]:
            yield f"{path}.band", f"min {band['min']} is above max {band['max']}", "error"
        target = levels.get(level.get("equivalent") or "")
        other = target[1].get("band") if target else None
        if other and other["currency"] == band["currency"] and band["min"] < other["min"]:
            yield (
                f"{path}.band",
                f"min {band['min']} {band['currency']} is below its equivalent '{target[1]['id']}' ({other['min']} {other['currency']}); parallel levels should have equal standing and pay",
                "warning",
            )
