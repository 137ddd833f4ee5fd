"""`ladder framework diff`: every field of the model, changed either way, is reported, additions and removals alike.

The test walks the model's dataclasses, so a field added to the model without a comparison in bot/framework/diff.py
fails here rather than going unannounced.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any, Callable

import pytest

from bot.cli import main as ladder
from bot.framework import model
from bot.framework.diff import framework_changes
from bot.framework.loader import default_framework_path
from bot.framework.model import Band, Framework, ScaleStep, Section, SelfIdQuestion, SwitchPoint
from tests.frameworks import default_framework

NOT_COMPARED = {
    ("Framework", "source"): "where the file was read from, not what it says",
    ("Framework", "fingerprint"): "cited (and compared) through the framework's citation when it has no version",
    ("Framework", "published"): "the number Ladder gave a published version, not what the file says",
}


def _level(fw: Framework, level_id: str, **changes: Any) -> Framework:
    tracks = tuple(
        dataclasses.replace(t, levels=tuple(dataclasses.replace(lv, **changes) if lv.id == level_id else lv for lv in t.levels))
        for t in fw.tracks
    )
    return dataclasses.replace(fw, tracks=tracks)


def _track(fw: Framework, track_id: str, **changes: Any) -> Framework:
    return dataclasses.replace(fw, tracks=tuple(dataclasses.replace(t, **changes) if t.id == track_id else t for t in fw.tracks))


def _competency(fw: Framework, competency_id: str, **changes: Any) -> Framework:
    competencies = tuple(dataclasses.replace(c, **changes) if c.id == competency_id else c for c in fw.competencies)
    return dataclasses.replace(fw, competencies=competencies)


def _rating(fw: Framework, rating_id: str, **changes: Any) -> Framework:
    return dataclasses.replace(fw, rubric=tuple(dataclasses.replace(r, **changes) if r.id == rating_id else r for r in fw.rubric))


BASE = dataclasses.replace(default_framework(), publish_bands=True)
STEP = ScaleStep("Aware", "Knows of it.", 0)
SECTION = Section("Switching tracks", "Talk to your manager.", "switching")
QUESTION = SelfIdQuestion("caring", "Do you have caring responsibilities?", ("Yes", "No"))
STAFF = BASE.level("staff")
EM = BASE.level("em")
COMPETENCY = BASE.competencies[0]


def _empty_and_full(kind: str, field: str, value: Any) -> tuple[Any, Any] | None:
    """For a field that can be left out: its empty value and a filled one, so the change is an addition one way and a
    removal the other. None for a field that is always there (an id, a title, a number)."""
    if field == "expectations":
        return MappingProxyType({}), MappingProxyType({COMPETENCY.id: "Something new."})
    if field == "switch_points":
        return (), (SwitchPoint(EM.id, "A trial period."),)
    if (kind, field) in (("Framework", "competencies"), ("Framework", "tracks"), ("Framework", "rubric"), ("Track", "levels")):
        return value[:-1], value
    if field == "band":
        return None, Band(1, 2, "USD")
    if field == "about":
        return (), (STAFF.id,)
    if field == "equivalents":
        return (), (EM.id,)
    if field == "scale":
        return (), (ScaleStep("Aware", "Knows of it.", 0), ScaleStep("Expert", "Teaches it.", 1))
    if field == "sections":
        return (), (Section("Switching tracks", "Talk to your manager.", "switching"),)
    if field == "choices":
        return ("Yes",), ("Yes", "No")
    if field == "question_words":
        return MappingProxyType({}), MappingProxyType({"next": ("nächste",)})
    if field == "starts_after":
        return None, BASE.level("senior").id
    if field in ("aliases", "tracks") and kind in ("Level", "Track", "Competency"):
        return (), ("a-new-alias",) if field == "aliases" else (BASE.tracks[0].id,)
    if isinstance(value, str) and field not in ("id", "title", "name", "label", "track_id", "version", "currency", "to", "kind", "question"):
        return "", "Some new words."
    if value is None or field in ("typical_time_in_level", "family", "group"):
        return None, {"typical_time_in_level": "1-2 years", "family": "engineering"}.get(field, "x")
    return None


def _other(value: Any, field: str) -> Any:
    """A different value of the same kind, for fields that are always there."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if field == "track_id":
        return "management"
    if field == "currency":
        return "EUR"
    if field == "to":
        return BASE.level("sr_em").id
    return f"{value} changed"


def _setter(kind: str) -> Callable[[Framework, str, Any], Framework]:
    """How to put a value into the one object of ``kind`` the test changes."""
    return {
        "Level": lambda fw, field, value: _level(fw, STAFF.id, **{field: value}),
        "Track": lambda fw, field, value: _track(fw, BASE.tracks[0].id, **{field: value}),
        "Competency": lambda fw, field, value: _competency(fw, COMPETENCY.id, **{field: value}),
        "Rating": lambda fw, field, value: _rating(fw, "meets", **{field: value}),
        "Band": lambda fw, field, value: _level(fw, STAFF.id, band=dataclasses.replace(Band(100, 200, "USD"), **{field: value})),
        "SwitchPoint": lambda fw, field, value: _level(
            fw, STAFF.id, switch_points=(dataclasses.replace(SwitchPoint(EM.id, "note"), **{field: value}),)
        ),
        "ScaleStep": lambda fw, field, value: _competency(
            fw, COMPETENCY.id, scale=(dataclasses.replace(STEP, **{field: value}),)
        ),
        "Section": lambda fw, field, value: dataclasses.replace(fw, sections=(dataclasses.replace(SECTION, **{field: value}),)),
        "Framework": lambda fw, field, value: dataclasses.replace(fw, **{field: value}),
        "SelfIdQuestion": lambda fw, field, value: dataclasses.replace(
            fw, fairness=dataclasses.replace(fw.fairness, questions=(dataclasses.replace(QUESTION, **{field: value}),))
        ),
    }.get(kind) or (lambda fw, field, value: fw)


def _current(fw: Framework, kind: str, field: str) -> Any:
    holder = {
        "Level": STAFF,
        "Track": fw.tracks[0],
        "Competency": COMPETENCY,
        "Rating": fw.rating("meets"),
        "Band": Band(100, 200, "USD"),
        "SwitchPoint": SwitchPoint(EM.id, "note"),
        "ScaleStep": STEP,
        "Section": SECTION,
        "Framework": fw,
        "SelfIdQuestion": QUESTION,
    }[kind]
    return getattr(holder, field)


def _policies() -> list[tuple[str, str]]:
    return [(name, f.name) for name in Framework.__dataclass_fields__ if dataclasses.is_dataclass(getattr(BASE, name))
            for f in dataclasses.fields(getattr(BASE, name))]  # fmt: skip


def _model_fields() -> list[tuple[str, str]]:
    classes = [cls for cls in vars(model).values() if isinstance(cls, type) and dataclasses.is_dataclass(cls)]
    policy_classes = {type(getattr(BASE, name)).__name__ for name, _ in {(n, None) for n, _ in _policies()}}
    return [(cls.__name__, f.name) for cls in classes if cls.__name__ not in policy_classes for f in dataclasses.fields(cls)]


def _is_policy(kind: str, field: str) -> bool:
    return kind == "Framework" and dataclasses.is_dataclass(getattr(BASE, field))


def _lines(old: Framework, new: Framework) -> list[str]:
    return [change.line() for change in framework_changes(old, new)]


@pytest.mark.parametrize("kind, field", [f for f in _model_fields() if f not in NOT_COMPARED and not _is_policy(*f)])
def test_every_field_of_the_model_is_compared_both_ways(kind, field):
    setter = _setter(kind)
    if kind in ("Band", "SwitchPoint", "ScaleStep", "Section", "SelfIdQuestion"):
        base = setter(BASE, field, _current(BASE, kind, field))
    else:
        base = BASE
    pair = _empty_and_full(kind, field, _current(base, kind, field))
    if pair is None:
        old, new = base, setter(base, field, _other(_current(base, kind, field), field))
        assert _lines(old, new) and _lines(new, old), f"{kind}.{field}"
        return
    empty, full = setter(base, field, pair[0]), setter(base, field, pair[1])
    added, removed = _lines(empty, full), _lines(full, empty)
    assert any("added" in line or line.startswith("+") or "none →" in line for line in added), (kind, field, added)
    assert any("removed" in line or line.startswith("-") or "→ none" in line for line in removed), (kind, field, removed)


@pytest.mark.parametrize("section, field", [p for p in _policies() if p != ("fairness", "questions")])
def test_every_policy_setting_is_compared(section, field):
    policy = getattr(BASE, section)
    changed = dataclasses.replace(policy, **{field: _other(getattr(policy, field), field)})
    lines = _lines(BASE, dataclasses.replace(BASE, **{section: changed}))
    assert len(lines) == 1 and lines[0].startswith("~ framework: "), lines


def test_every_model_field_is_covered_by_these_tests():
    """A new dataclass in the model is walked here too; only the fields named in NOT_COMPARED are left out, with why."""
    assert set(NOT_COMPARED) <= set(_model_fields())
    assert {"Level", "Track", "Competency", "Rating", "Band", "SwitchPoint", "Framework"} <= {kind for kind, _ in _model_fields()}


def test_removed_and_added_aliases_read_as_a_person_would_announce_them():
    old = _level(BASE, STAFF.id, aliases=("L6", "Staff"))
    new = _level(BASE, STAFF.id, aliases=("Staff", "E6"))
    assert _lines(old, new) == [
        "~ level Staff Engineer (staff): alias 'E6' added",
        "~ level Staff Engineer (staff): alias 'L6' removed",
    ]


def test_unpublished_bands_are_not_quoted_in_the_diff():
    hidden = dataclasses.replace(BASE, publish_bands=False)
    old, new = _level(hidden, STAFF.id, band=Band(100, 200, "USD")), _level(hidden, STAFF.id, band=Band(110, 200, "USD"))
    assert _lines(old, new) == ["~ level Staff Engineer (staff): band changed"]
    shown_old, shown_new = _level(BASE, STAFF.id, band=Band(100, 200, "USD")), _level(BASE, STAFF.id, band=Band(110, 200, "USD"))
    assert _lines(shown_old, shown_new) == ["~ level Staff Engineer (staff): band 100-200 USD → 110-200 USD"]


def test_the_command_lists_a_removed_alias(tmp_path, capsys):
    text = default_framework_path().read_text()
    assert "aliases: [L6, " in text
    new = tmp_path / "new.yaml"
    new.write_text(text.replace("aliases: [L6, ", "aliases: [E6, ", 1))
    assert ladder(["framework", "diff", str(default_framework_path()), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "~ level Staff Engineer (staff): alias 'E6' added" in out
    assert "~ level Staff Engineer (staff): alias 'L6' removed" in out


def test_fairness_questions_are_compared_one_by_one():
    old = dataclasses.replace(BASE, fairness=dataclasses.replace(BASE.fairness, questions=(QUESTION,)))
    asked = SelfIdQuestion("caring", "Do you care for someone?", ("Yes", "No", "Sometimes"))
    new = dataclasses.replace(
        BASE, fairness=dataclasses.replace(BASE.fairness, questions=(asked, SelfIdQuestion("age", "Age?", ("Under 30",))))
    )
    assert _lines(old, new) == [
        "+ fairness question age",
        "~ fairness question caring: 'Do you have caring responsibilities?' → 'Do you care for someone?'",
        "~ fairness question caring: choice 'Sometimes' added",
    ]
