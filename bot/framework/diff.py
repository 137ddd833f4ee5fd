"""What changed between two versions of a framework, in words a person can announce.

Every part of the model that answers, pages, check-ins or panels use is compared, and every comparison reports what was
added and what was removed as well as what changed: text fields through :func:`_text`, collections (aliases,
expectations, switching points, competencies' tracks and scales, equivalents, sections, question words, rubric ratings)
item by item. ``tests/test_framework_diff.py``
mutates every field of the model both ways to keep it so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from bot.framework.model import Band, Competency, Framework, Level, Rating, Section, SelfIdQuestion, Track

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_LEVEL_TEXT = (
    ("summary", "summary"),
    ("scope", "scope"),
    ("decision_rights", "decision rights"),
    ("typical_time_in_level", "typical time in level"),
)
_FRAMEWORK_TEXT = (
    ("description", "description"),
    ("promotion_principles", "promotion principles"),
    ("switching", "switching guidance"),
)
_SECTIONS = {"panel_policy": "panels"}
"""A policy's section in the file, where its name differs from the model's."""
_FILE_WORDS: dict[str, tuple[str, dict[object, str]]] = {
    "members_at_or_above_target": ("member_level", {True: "at_or_above_target", False: "any"}),
}
"""A policy setting's name and values in the file, where they differ from the model's."""


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
    for field, label in _FRAMEWORK_TEXT:
        changes += _text("framework", label, getattr(old, field), getattr(new, field))
    if old.publish_bands != new.publish_bands:
        changes.append(Change("changed", "framework", f"bands {'published' if new.publish_bands else 'no longer published'}"))
    changes += _rubric_changes(old.rubric, new.rubric)
    changes += _section_changes(old.sections, new.sections)
    for kind in dict.fromkeys([*old.question_words, *new.question_words]):
        words_before, words_after = old.question_words.get(kind, ()), new.question_words.get(kind, ())
        changes += _items("framework", f"word for {kind} questions", words_before, words_after)
    for name in old.__dataclass_fields__:  # the policies (panels, and any added beside it) are dataclasses of settings
        if is_dataclass(getattr(old, name)):
            changes += _policy_changes(_SECTIONS.get(name, name), getattr(old, name), getattr(new, name))
    changes += _competency_changes(old, new)
    changes += _track_changes(old, new)
    changes += _level_changes(old, new)
    return changes


def _text(subject: str, label: str, before: str | None, after: str | None) -> list[Change]:
    if (before or "") == (after or ""):
        return []
    return [Change("changed", subject, f"{label} {_how(before, after)}")]


def _how(before: object, after: object) -> str:
    return "added" if not before else "removed" if not after else "changed"


def _items(subject: str, label: str, before: Iterable[str], after: Iterable[str]) -> list[Change]:
    """One change per item added to or removed from a collection, in the new order (removed ones in the old)."""
    was, now = list(dict.fromkeys(before)), list(dict.fromkeys(after))
    return [Change("changed", subject, f"{label} '{item}' added") for item in now if item not in was] + [
        Change("changed", subject, f"{label} '{item}' removed") for item in was if item not in now
    ]


def _keyed(
    subject: str, label: str, before: Mapping[str, str], after: Mapping[str, str], names: Mapping[str, str] | None = None
) -> list[Change]:
    """Entries of a mapping added, removed or changed, by key ("expectation for Technical depth changed")."""
    names = names or {}
    keys = sorted(set(before) | set(after), key=lambda key: names.get(key, key))
    return [
        Change("changed", subject, f"{label} {names.get(key, key)} {_how(before.get(key), after.get(key))}")
        for key in keys
        if before.get(key, "") != after.get(key, "")
    ]


def _policy_changes(section: str, old: DataclassInstance, new: DataclassInstance) -> list[Change]:
    """ "panels min_members 3 → 4", in the file's own words."""
    changes = []
    for field in fields(old):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before != after and isinstance(before, tuple):  # fairness questions: one line per question, by id
            changes += _question_changes(section, before, after)
        elif before != after:
            name, words = _FILE_WORDS.get(field.name, (field.name, {}))
            detail = f"{section} {name} {words.get(before, before)} → {words.get(after, after)}"
            changes.append(Change("changed", "framework", detail))
    return changes


def _question_changes(section: str, before: tuple[SelfIdQuestion, ...], after: tuple[SelfIdQuestion, ...]) -> list[Change]:
    was, now = {q.id: q for q in before}, {q.id: q for q in after}
    changes = [Change("removed", f"{section} question {qid}") for qid in was if qid not in now]
    changes += [Change("added", f"{section} question {qid}") for qid in now if qid not in was]
    for qid in (qid for qid in was if qid in now and was[qid] != now[qid]):
        if was[qid].question != now[qid].question:
            changes.append(Change("changed", f"{section} question {qid}", f"{was[qid].question!r} → {now[qid].question!r}"))
        changes += _items(f"{section} question {qid}", "choice", was[qid].choices, now[qid].choices)
    return changes


def _rubric_changes(old: tuple[Rating, ...], new: tuple[Rating, ...]) -> list[Change]:
    before, after = {r.id: r for r in old}, {r.id: r for r in new}
    changes = [
        Change("added", f"rating {r.label} ({r.id})", f"step {r.rank + 1} of the rubric") for r in new if r.id not in before
    ]
    changes += [Change("removed", f"rating {r.label} ({r.id})") for r in old if r.id not in after]
    for rating_id in before.keys() & after.keys():
        was, now = before[rating_id], after[rating_id]
        subject = f"rating {now.label} ({rating_id})"
        if was.label != now.label:
            changes.append(Change("renamed", f"rating {rating_id}", f"'{was.label}' → '{now.label}'"))
        changes += _text(subject, "anchor", was.anchor, now.anchor)
        if was.rank != now.rank:
            changes.append(Change("moved", subject, f"step {was.rank + 1} → step {now.rank + 1} of the rubric"))
    return changes


def _section_changes(old: tuple[Section, ...], new: tuple[Section, ...]) -> list[Change]:
    """Sections by title: added, removed, or their text, kind or what they are about changed."""
    before, after = {s.title: s for s in old}, {s.title: s for s in new}
    changes = [Change("added", f"section {s.title}", s.kind) for s in new if s.title not in before]
    changes += [Change("removed", f"section {s.title}") for s in old if s.title not in after]
    for section in new:
        was = before.get(section.title)
        if was is None:
            continue
        subject = f"section {section.title}"
        changes += _text(subject, "text", was.text, section.text)
        if was.kind != section.kind:
            changes.append(Change("changed", subject, f"kind {was.kind} → {section.kind}"))
        changes += _items(subject, "about", was.about, section.about)
    return changes


def _competency_changes(old: Framework, new: Framework) -> list[Change]:
    before, after = {c.id: c for c in old.competencies}, {c.id: c for c in new.competencies}
    changes = [Change("added", f"competency {c.name} ({c.id})") for c in new.competencies if c.id not in before]
    changes += [Change("removed", f"competency {c.name} ({c.id})") for c in old.competencies if c.id not in after]
    for competency in new.competencies:
        if competency.id in before:
            changes += _one_competency(before[competency.id], competency)
    return changes


def _one_competency(was: Competency, now: Competency) -> list[Change]:
    subject = f"competency {now.name} ({now.id})"
    changes = [Change("renamed", f"competency {now.id}", f"'{was.name}' → '{now.name}'")] if was.name != now.name else []
    changes += _text(subject, "description", was.description, now.description)
    changes += _items(subject, "track", was.tracks, now.tracks)
    changes += _items(subject, "alias", was.aliases, now.aliases)
    changes += _text(subject, "group", was.group, now.group)
    changes += _items(subject, "scale step", [step.label for step in was.scale], [step.label for step in now.scale])
    steps_before = {step.label: step for step in was.scale}
    for step in now.scale:
        if step.label in steps_before:
            changes += _text(
                subject, f"description of scale step '{step.label}'", steps_before[step.label].description, step.description
            )
            if steps_before[step.label].rank != step.rank:
                changes.append(
                    Change("moved", subject, f"scale step '{step.label}' {steps_before[step.label].rank + 1} → {step.rank + 1}")
                )
    return changes


def _track_changes(old: Framework, new: Framework) -> list[Change]:
    old_tracks, new_tracks = {t.id: t for t in old.tracks}, {t.id: t for t in new.tracks}
    changes = [Change("added", f"track {t.name} ({t.id})") for t in new.tracks if t.id not in old_tracks]
    changes += [Change("removed", f"track {t.name} ({t.id})") for t in old.tracks if t.id not in new_tracks]
    for track in new.tracks:
        if track.id in old_tracks:
            changes += _one_track(old_tracks[track.id], track)
    return changes


def _one_track(was: Track, now: Track) -> list[Change]:
    changes = [Change("renamed", f"track {now.id}", f"'{was.name}' → '{now.name}'")] if was.name != now.name else []
    subject = f"track {now.name} ({now.id})"
    changes += _text(subject, "family", was.family, now.family)
    changes += _text(subject, "description", was.description, now.description)
    changes += _items(subject, "alias", was.aliases, now.aliases)
    if was.starts_after != now.starts_after:
        changes.append(Change("changed", subject, f"starts after {was.starts_after or 'none'} → {now.starts_after or 'none'}"))
    return changes


def _level_changes(old: Framework, new: Framework) -> list[Change]:
    before, after = {lv.id: lv for lv in old.levels}, {lv.id: lv for lv in new.levels}
    added, removed = after.keys() - before.keys(), before.keys() - after.keys()
    changes: list[Change] = []
    new_id_for: dict[str, str] = {}
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
        was_track, now_track = old.track(was.track_id), new.track(now.track_id)
        changes.append(
            Change(
                "moved",
                subject,
                f"{was_track.name if was_track else was.track_id} level {was.rank + 1} → "
                f"{now_track.name if now_track else now.track_id} level {now.rank + 1}",
            )
        )
    for field, label in _LEVEL_TEXT:
        changes += _text(subject, label, getattr(was, field), getattr(now, field))
    changes += _items(subject, "alias", was.aliases, now.aliases)
    names = {c.id: c.name for c in (*old.competencies, *new.competencies)}
    changes += _keyed(subject, "expectation for", was.expectations, now.expectations, names)
    changes += _items(subject, "equivalent", was.equivalents, now.equivalents)
    if was.band != now.band:
        published = old.publish_bands and new.publish_bands  # the diff is for announcing: unpublished bands stay unsaid
        detail = f"band {_band(was.band)} → {_band(now.band)}" if published else f"band {_how(was.band, now.band)}"
        changes.append(Change("changed", subject, detail))
    changes += _items(subject, "switching point to", [sp.to for sp in was.switch_points], [sp.to for sp in now.switch_points])
    notes_before = {sp.to: sp.note for sp in was.switch_points}
    for point in now.switch_points:
        if point.to in notes_before:
            changes += _text(subject, f"note on switching to {point.to}", notes_before[point.to], point.note)
    return changes


def _band(band: Band | None) -> str:
    return f"{band.min:,}-{band.max:,} {band.currency}" if band else "none"
