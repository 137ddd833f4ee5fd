"""docs/framework.md documents every field the framework file may have, in the table of the part it belongs to."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from bot.framework.spec import FrameworkSpec

DOC = (Path(__file__).resolve().parent.parent / "docs" / "framework.md").read_text(encoding="utf-8")
SECTIONS = {
    "FrameworkSpec": "Top level",
    "CompetencySpec": "Competency",
    "ScaleStepSpec": "Scale step",
    "SectionSpec": "Section",
    "TrackSpec": "Track",
    "LevelSpec": "Level",
    "BandSpec": "Band",
    "SwitchPointSpec": "Switching point",
    "RatingSpec": "Rating",
    "PanelPolicySpec": "Panels",
    "FairnessSpec": "Fairness",
    "SelfIdQuestionSpec": "Fairness question",
    "RetentionSpec": "Retention",
}
"""The heading of the table that documents each part of the file."""


def _models(model: type[BaseModel], found: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """Every model the file's shape is made of, found by walking the spec's field types (lists and optionals included)."""
    found[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _types(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner.__name__ not in found:
                _models(inner, found)
    return found


def _types(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [inner for arg in args for inner in _types(arg)]


def _table(heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^##)", DOC + "\n##", re.MULTILINE | re.DOTALL)
    assert match, f"docs/framework.md has no '### {heading}' section"
    return match.group(1)


def test_every_part_of_the_file_has_its_table():
    models = _models(FrameworkSpec, {})
    assert {"FrameworkSpec", "LevelSpec", "TrackSpec", "RatingSpec", "PanelPolicySpec"} <= set(models)
    missing = sorted(set(models) - set(SECTIONS))
    assert not missing, f"add a section to docs/framework.md for {missing} and name it in SECTIONS"


def test_every_field_is_a_row_of_its_part_s_table():
    undocumented = [
        f"{SECTIONS[name]}: {field}"
        for name, model in _models(FrameworkSpec, {}).items()
        for field in model.model_fields
        if f"| `{field}` |" not in _table(SECTIONS[name])
    ]
    assert undocumented == [], f"docs/framework.md does not document: {undocumented}"


def test_the_docs_name_no_field_the_spec_does_not_have():
    for name, model in _models(FrameworkSpec, {}).items():
        rows = re.findall(r"^\| `([a-z_]+)` \|", _table(SECTIONS[name]), re.MULTILINE)
        assert set(rows) <= set(model.model_fields), f"{SECTIONS[name]}: {sorted(set(rows) - set(model.model_fields))}"


def test_the_length_limits_are_the_ones_the_checker_applies():
    from bot.framework import spec

    def longest(annotation: object) -> int:
        return next(m.max_length for m in typing.get_args(annotation)[1:] if getattr(m, "max_length", None))

    limits = _limits_bullet()
    assert f"an id is at most {longest(spec.Id):,} characters" in limits
    assert f"at most {longest(spec.Name):,}; an alias at most {spec.MAX_ALIAS:,};" in limits
    assert f"a text (a description, summary, expectation, scope, note…) at most {longest(spec.Prose):,}." in limits


def _limits_bullet() -> str:
    match = re.search(r"^- \*\*Lengths\*\*: (.*?)(?=^- |^##)", DOC, re.MULTILINE | re.DOTALL)
    assert match, "docs/framework.md has no '**Lengths**' bullet"
    return " ".join(match.group(1).split())
