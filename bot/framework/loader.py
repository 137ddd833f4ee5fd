"""Read a framework file, check it completely, and build the model.

Every problem is reported at once, each with the path inside the file where it sits, so the
people who own the file can fix it in one pass. A file with errors is never half-loaded: the
bot refuses to start rather than answer from part of a ladder.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from bot.framework.model import Band, Competency, Framework, Level, SwitchPoint, Track
from bot.framework.rules import semantic_problems

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: Severity = "error"

    def format(self, source: str) -> str:
        where = f"{source}: {self.path}: " if self.path else f"{source}: "
        suffix = " (warning)" if self.severity == "warning" else ""
        return f"{where}{self.message}{suffix}"


@dataclass
class CheckResult:
    source: str
    framework: Framework | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def lines(self) -> list[str]:
        return [p.format(self.source) for p in self.problems]


class FrameworkError(Exception):
    """The framework file cannot be served; ``problems`` says every reason."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        super().__init__("\n".join(p.format(result.source) for p in result.errors))


def default_framework_path() -> Path:
    return Path(str(resources.files("bot.framework").joinpath("default.yaml")))


def schema_path() -> Path:
    return Path(str(resources.files("bot.framework").joinpath("schema.json")))


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and check a framework file (the shipped default when ``path`` is None).

    Warnings are logged; errors raise :class:`FrameworkError` carrying all of them.
    """
    result = check_framework_file(path or default_framework_path())
    if result.errors or result.framework is None:
        raise FrameworkError(result)
    for line in result.lines():
        log.warning("framework: %s", line)
    return result.framework


def check_framework_file(path: str | Path) -> CheckResult:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return CheckResult(source, None, [Problem("", f"cannot read file: {reason}")])
    return check_framework_text(text, source)


def check_framework_text(text: str, source: str = "<framework>") -> CheckResult:
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        return CheckResult(source, None, [Problem("", _describe_yaml_error(exc))])
    if not isinstance(document, dict):
        return CheckResult(
            source, None, [Problem("", "the file must be a YAML mapping with name, version, competencies and tracks")]
        )
    problems = _schema_problems(document)
    if problems:
        return CheckResult(source, None, problems)
    problems = [Problem(path, message, severity) for path, message, severity in semantic_problems(document)]
    framework = None if any(p.severity == "error" for p in problems) else _build(document, source)
    return CheckResult(source, framework, problems)


# -- YAML --------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which PyYAML would otherwise silently overwrite."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _describe_yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f"not valid YAML: {problem}"
    return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"


# -- structure ---------------------------------------------------------------------------------


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # imported lazily: it is the slowest import here

    return Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))


def _schema_problems(document: dict[str, Any]) -> list[Problem]:
    problems = [
        Problem(format_path(error.absolute_path), _describe_schema_error(error)) for error in _validator().iter_errors(document)
    ]
    return sorted(problems, key=lambda p: p.path)


def format_path(parts: Any) -> str:
    """['tracks', 1, 'levels', 2, 'id'] -> 'tracks[1].levels[2].id'."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe_schema_error(error: Any) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in value if name not in error.instance]
        return "missing required field " + ", ".join(f"'{name}'" for name in missing)
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(k for k in error.instance if k not in allowed and not _matches_pattern_props(error.schema, k))
        known = ", ".join(sorted(allowed))
        return f"unknown field {', '.join(repr(k) for k in unknown)} (allowed: {known})"
    if kind == "type":
        expected = value if isinstance(value, str) else " or ".join(value)
        return f"expected {_article(expected)}, got {_yaml_type(error.instance)}"
    if kind == "pattern":
        return (
            f"{error.instance!r} is not a valid id (lower-case letters, digits and '_', starting with a letter)"
            if "a-z" in value
            else f"{error.instance!r} does not match {value}"
        )
    if kind == "minItems":
        return "must not be empty"
    if kind == "minLength":
        return "must not be empty"
    if kind == "minimum":
        return f"must be at least {value}, got {error.instance}"
    return error.message


def _matches_pattern_props(schema: dict[str, Any], key: str) -> bool:
    import re

    return any(re.search(p, key) for p in schema.get("patternProperties", {}))


def _article(type_name: str) -> str:
    names = {
        "string": "a string",
        "array": "a list",
        "object": "a mapping",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
    }
    return names.get(type_name, type_name)


_YAML_TYPES = (
    (bool, "true/false"),
    (int, "a whole number"),
    (float, "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _yaml_type(value: Any) -> str:
    if value is None:
        return "nothing"
    return next((name for kind, name in _YAML_TYPES if isinstance(value, kind)), type(value).__name__)


# -- model -------------------------------------------------------------------------------------


def _build(document: dict[str, Any], source: str) -> Framework:
    return Framework(
        name=document["name"].strip(),
        version=document["version"].strip(),
        description=document.get("description", "").strip(),
        promotion_principles=document.get("promotion_principles", "").strip(),
        switching=document.get("switching", "").strip(),
        competencies=tuple(_competency(c) for c in document["competencies"]),
        tracks=tuple(_track(t) for t in document["tracks"]),
        source=source,
    )


def _competency(doc: dict[str, Any]) -> Competency:
    return Competency(
        id=doc["id"],
        name=doc["name"].strip(),
        description=doc["description"].strip(),
        tracks=tuple(doc["tracks"]),
        aliases=tuple(doc.get("aliases", ())),
    )


def _track(doc: dict[str, Any]) -> Track:
    return Track(
        id=doc["id"],
        name=doc["name"].strip(),
        family=doc.get("family"),
        description=doc.get("description", "").strip(),
        aliases=tuple(doc.get("aliases", ())),
        levels=tuple(_level(lv, doc["id"], rank) for rank, lv in enumerate(doc["levels"])),
    )


def _level(doc: dict[str, Any], track_id: str, rank: int) -> Level:
    band = doc.get("band")
    return Level(
        id=doc["id"],
        title=doc["title"].strip(),
        track_id=track_id,
        rank=rank,
        summary=doc["summary"].strip(),
        aliases=tuple(str(a) for a in doc.get("aliases", ())),
        expectations=MappingProxyType({k: v.strip() for k, v in doc["expectations"].items()}),
        scope=doc["scope"].strip(),
        decision_rights=doc["decision_rights"].strip(),
        equivalent=doc.get("equivalent"),
        typical_time_in_level=doc.get("typical_time_in_level"),
        band=Band(band["min"], band["max"], band["currency"]) if band else None,
        switch_points=tuple(SwitchPoint(sp["to"], sp.get("note", "").strip()) for sp in doc.get("switch_points", ())),
    )
