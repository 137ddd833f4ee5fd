"""What changed between two versions of a framework, in words a person can announce."""

from __future__ import annotations

from dataclasses import dataclass

from bot.framework.model import Framework, Level

_TEXT_FIELDS = (
    ("summary", "summary"),
    ("scope", "scope"),
    ("decision_rights", "decision rights"),
    ("typical_time_in_level", "typical time in level"),
)


@dataclass(frozen=True)
class Change:
    kind: str
    """added, removed, renamed, moved or changed."""
    subject: str
    detail: str = ""

    def line(self) -> str:
        mark = {"added": "+", "removed": "-"}.get(self.kind, "~")
        return f"{mark} {self.subject}" + (f": {self.detail}" if self.detail else "")


def framework_changes(old: Framework, new: Framework) -> list[Change]:
    changes: list[Change] = []
    if (old.name, old.citation) != (new.name, new.citation):
        changes.append(Change("changed", "framework", f"{old.name}, {old.citation} → {new.name}, {new.citation}"))
    old_tracks, new_tracks = {t.id: t for t in old.tracks}, {t.id: t for t in new.tracks}
    for track_id in new_tracks.keys() - old_tracks.keys():
        changes.append(Change("added", f"track {new_tracks[track_id].name} ({track_id})"))
    for track_id in old_tracks.keys() - new_tracks.keys():
        changes.append(Change("removed", f"track {old_tracks[track_id].name} ({track_id})"))
    for track_id in old_tracks.keys() & new_tracks.keys():
        if old_tracks[track_id].name != new_tracks[track_id].name:
            changes.append(
                Change("renamed", f"track {track_id}", f"'{old_tracks[track_id].name}' → '{new_tracks[track_id].name}'")
            )
    changes += _level_changes(old, new)
    return changes


def _level_changes(old: Framework, new: Framework) -> list[Change]:
    before, after = {lv.id: lv for lv in old.levels}, {lv.id: lv for lv in new.levels}
    added, removed = after.keys() - before.keys(), before.keys() - after.keys()
    changes: list[Change] = []
    new_id_for = {}
    for old_id in sorted(removed):  # a level whose id changed but whose title did not
        match = next((i for i in sorted(added) if after[i].title == before[old_id].title and i not in new_id_for.values()), None)
        if match:
            new_id_for[old_id] = match
            changes.append(Change("renamed", f"level {before[old_id].title}", f"id '{old_id}' → '{match}'"))
    for level_id in sorted(added - set(new_id_for.values())):
        level = after[level_id]
        changes.append(
            Change("added", f"level {level.title} ({level_id})", f"{new.track_of(level).name} track, level {level.rank + 1}")
        )
    for level_id in sorted(removed - new_id_for.keys()):
        changes.append(Change("removed", f"level {before[level_id].title} ({level_id})"))
    pairs = [(before[i], after[i]) for i in sorted(before.keys() & after.keys())] + [
        (before[o], after[n]) for o, n in new_id_for.items()
    ]
    for was, now in pairs:
        changes += _one_level(old, new, was, now)
    return changes


def _one_level(old: Framework, new: Framework, was: Level, now: Level) -> list[Change]:
    subject = f"level {now.title} ({now.id})"
    changes: list[Change] = []
    if was.title != now.title:
        changes.append(Change("renamed", f"level {now.id}", f"'{was.title}' → '{now.title}'"))
    if (was.track_id, was.rank) != (now.track_id, now.rank):
        changes.append(
            Change(
                "moved", subject, f"{old.track_of(was).name} level {was.rank + 1} → {new.track_of(now).name} level {now.rank + 1}"
            )
        )
    for field, label in _TEXT_FIELDS:
        if (getattr(was, field) or "") != (getattr(now, field) or ""):
            changes.append(Change("changed", subject, f"{label} {_how(getattr(was, field), getattr(now, field))}"))
    names = {c.id: c.name for c in (*old.competencies, *new.competencies)}
    for competency_id in sorted(set(was.expectations) | set(now.expectations), key=lambda c: names.get(c, c)):
        before, after = was.expectations.get(competency_id, ""), now.expectations.get(competency_id, "")
        if before != after:
            changes.append(
                Change("changed", subject, f"expectation for {names.get(competency_id, competency_id)} {_how(before, after)}")
            )
    if was.equivalent != now.equivalent:
        changes.append(Change("changed", subject, f"equivalent {was.equivalent or 'none'} → {now.equivalent or 'none'}"))
    if {sp.to for sp in was.switch_points} != {sp.to for sp in now.switch_points}:
        changes.append(Change("changed", subject, "switching points"))
    return changes


def _how(before: str | None, after: str | None) -> str:
    return "added" if not before else "removed" if not after else "changed"
