"""Read a framework file, check it completely, and build the model.

Every problem is reported once, at ``FILE:LINE:COLUMN: path: reason`` (the line of the YAML
node it is about), sorted by line, so the people who own the file can fix it in one pass. The
shape is checked by :mod:`bot.framework.spec` (the one source the published JSON Schema is
generated from), references by :mod:`bot.framework.rules`. Partial files are normal: a missing
field that answers use is one grouped warning ("9 of 12 levels have no decision_rights"), not an
error. A file with errors is never half-loaded: the bot refuses to start rather than answer from
part of a ladder.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from bot.framework.model import (
    DEFAULT_RUBRIC,
    Band,
    Competency,
    FairnessPolicy,
    Framework,
    Level,
    PanelPolicy,
    Rating,
    RetentionPolicy,
    ScaleStep,
    Section,
    SelfIdQuestion,
    SwitchPoint,
    Track,
)
from bot.framework.names import make_id, normalize
from bot.framework.rules import Finding, equivalent_ids, semantic_problems
from bot.user_files import FileTooLarge, read_at_most, size_text

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]
PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: Severity = "error"
    line: int | None = None
    column: int | None = None

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}:{self.column}" if self.line is not None else source
        suffix = " (warning)" if self.severity == "warning" else ""
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}{suffix}"

    def as_json(self, source: str) -> dict[str, Any]:
        return {
            "file": source,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class CheckResult:
    source: str
    framework: Framework | None
    problems: list[Problem] = field(default_factory=list)
    checked: bytes | None = field(default=None, repr=False)
    """The bytes checked, when the check read them from a file: what a copy of the checked file must hold."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def lines(self) -> list[str]:
        return [p.format(self.source) for p in self.problems]


class FrameworkError(Exception):
    """The framework file cannot be served; ``result.errors`` says every reason."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        super().__init__("\n".join(p.format(result.source) for p in result.errors))


def default_framework_path() -> Path:
    return Path(str(resources.files("bot.framework").joinpath("default.yaml")))


def schema_path() -> Path:
    """The generated JSON Schema shipped beside the code (tests keep it equal to :func:`bot.framework.spec.json_schema`)."""
    return Path(str(resources.files("bot.framework").joinpath("schema.json")))


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and check a framework file (the shipped default when ``path`` is None).

    Errors raise :class:`FrameworkError` carrying all of them; warnings (a partial file is normal) are
    counted in one log line, and ``ladder framework check`` lists them.
    """
    result = check_framework_file(path or default_framework_path())
    if result.errors or result.framework is None:
        raise FrameworkError(result)
    if result.warnings:
        log.info("framework %s loaded with %d warning(s); ladder framework check lists them", result.source, len(result.warnings))
    return result.framework


def check_framework_file(path: str | Path) -> CheckResult:
    source = str(path)
    try:
        data = read_at_most(path, MAX_FILE_BYTES, "a framework file")
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as a text-mode read would
    except FileTooLarge:
        return CheckResult(source, None, [_too_large()])
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        return CheckResult(source, None, [Problem("", f"cannot read the file: {reason}")])
    result = check_framework_text(text, source)
    result.checked = data
    return result


def check_framework_text(text: str, source: str = "<framework>") -> CheckResult:
    if len(text) > MAX_FILE_BYTES:
        return CheckResult(source, None, [_too_large()])
    try:
        document, positions = _parse(text)
    except yaml.YAMLError as exc:
        return CheckResult(source, None, [_yaml_problem(exc, text)])
    except _Unreadable as exc:
        return CheckResult(source, None, [exc.problem])
    if not isinstance(document, dict):
        return CheckResult(
            source, None, [Problem("", "the file must be a YAML mapping with at least a name and tracks", line=1, column=1)]
        )
    located = _Locator(positions)
    from pydantic import ValidationError  # imported here: the CLI's other commands do not pay for it

    from bot.framework.spec import FrameworkSpec

    try:
        spec = FrameworkSpec.model_validate(document)
    except ValidationError as exc:
        errors = _one_per_union(exc.errors(), document)
        return CheckResult(source, None, _sorted(located.problem(*_describe(error, document)) for error in errors))
    doc, inferred, inferred_at = _normalised(spec.model_dump())
    findings = [*inferred, *_at_their_origin(semantic_problems(doc), inferred_at), *_completeness(doc)]
    problems = _sorted(located.problem(_parse_path(path), message, severity) for path, message, severity in findings)
    framework = None if any(p.severity == "error" for p in problems) else _build(doc, source, text)
    return CheckResult(source, framework, problems)


def fingerprint(text: str) -> str:
    """A short, stable name for a file's content, cited when the file has no version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def shown(value: Any, limit: int = 60) -> str:
    """A value quoted in a problem, cut to ``limit`` characters: a problem is one line, whatever the file holds."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sorted(problems: Any) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line if p.line is not None else 0, p.column or 0, p.path))


# -- YAML, with where each node is, in bounded work ----------------------------------------------

MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest framework file Ladder reads; a 200-level ladder with two sentences for every expectation is 0.7 MB."""
MAX_NODES = 200_000
"""The most YAML nodes (keys, values, list items) a file may hold once its aliases are expanded; that 200-level ladder
holds about 12,000. It bounds the work of loading any file, an alias bomb included, which is refused unexpanded."""
MAX_CHARACTERS = MAX_FILE_BYTES
"""The most characters the keys and values of a file may add up to once its aliases are expanded: no more than the
largest file holds written out. Each expanded value is a string of its own by the time the file is checked (pydantic
copies each), so a few aliases of a long text cost what the text written out that many times would."""


class _Unreadable(Exception):
    """The file cannot be loaded, or would cost more to load than any framework does; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def _too_large() -> Problem:
    return Problem("", f"the file is larger than {size_text(MAX_FILE_BYTES)}, the most Ladder reads for a framework file")


_LIBYAML = hasattr(yaml, "CSafeLoader")


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's loader where built: a base chosen at run time
    """A safe loader (libyaml's, when PyYAML has it) that refuses duplicate keys, which YAML would otherwise silently
    overwrite, and reports a value Python cannot hold (a 5,000-digit number, the 45th of a month) at its node."""


def _readable(kind: str, construct: Any) -> Any:
    def constructor(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, LookupError, TypeError, AttributeError) as exc:  # '!!int' on nothing, '!!bool maybe'
            reason = f" ({str(exc).split(':')[0]})" if isinstance(exc, (ValueError, OverflowError)) else ""
            message = f"cannot read this value as {kind}{reason}"
            raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from None

    return constructor


for _kind in ("null", "bool", "int", "float", "binary", "timestamp"):
    _tag = f"tag:yaml.org,2002:{_kind}"
    _StrictLoader.add_constructor(_tag, _readable(_kind, _StrictLoader.yaml_constructors[_tag]))


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Any:
    """A generator, as PyYAML's own mapping constructor is: nested mappings are built one after another, not by recursion.
    One pass: a merge key ('<<') has no constructor here, so it is refused like any unknown tag."""
    if not isinstance(node, yaml.MappingNode):  # '!!map' on a scalar or a list
        raise yaml.constructor.ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
    data: dict[Any, Any] = {}
    yield data
    construct = loader.construct_object
    for key_node, value_node in node.value:
        key = construct(key_node)
        try:
            duplicate = key in data
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or a mapping", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{shown(key)}'", key_node.start_mark)
        data[key] = construct(value_node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(text: str) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """The document, and the (line, column) of every node in it by path (1-based).

    Bounded before anything grows: the events are counted first (libyaml's C loop, nothing kept), and aliases are
    expanded only after the expanded size is known to be within :data:`MAX_NODES`.
    """
    _count_events(text)
    loader = _StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:  # the pure-Python composer recurses; libyaml stops at 1,000 levels itself
            raise _Unreadable(Problem("", "nested too deeply for a framework file")) from None
        if node is not None and "&" in text:  # without an anchor there is no alias: the counts above and the file's size bound it
            _check_expansion(node)
        try:
            document = loader.construct_document(node) if node is not None else None
        except (ValueError, TypeError, LookupError, AttributeError, OverflowError) as exc:  # a tag PyYAML mishandles
            raise _Unreadable(Problem("", f"not valid YAML: cannot read a value ({type(exc).__name__}: {exc})")) from None
    finally:
        loader.dispose()
    positions: dict[PathKey, tuple[int, int]] = {}
    if node is not None:
        _index(node, positions)
    return document, positions


def _count_events(text: str) -> None:
    if _LIBYAML:
        events = yaml.CBaseLoader(text).raw_parse()  # libyaml's parser alone (CBaseLoader is its bare CParser)
    else:
        events = 0
        for _event in yaml.parse(text, Loader=yaml.SafeLoader):
            events += 1
            if events > MAX_NODES + 4:
                break
    if events > MAX_NODES + 4:  # the stream and document start and end are events too
        raise _Unreadable(
            Problem("", f"the file holds more than {MAX_NODES:,} YAML values, far more than a framework file needs")
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand past :data:`MAX_NODES` values or :data:`MAX_CHARACTERS` characters, or that
    contains itself, without expanding it: each distinct node is sized once (aliases share the node they name), children
    first, without recursion."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, characters) once expanded
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            children = [sizes[id(child)] for child in _children(node)]
            values = 1 + sum(size[0] for size in children)
            characters = (len(node.value) if isinstance(node, yaml.ScalarNode) else 0) + sum(size[1] for size in children)
            sizes[key] = (values, characters)
            if values > MAX_NODES:
                raise _Unreadable(_at(node, f"{_EXPANDED} {MAX_NODES:,} YAML values, {_ALIASED}"))
            if characters > MAX_CHARACTERS:
                raise _Unreadable(_at(node, f"{_EXPANDED} {MAX_CHARACTERS:,} characters of text, {_ALIASED}"))
        elif key in open_nodes:
            raise _Unreadable(_at(node, "an alias refers to the value that contains it, which would never end"))
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


_EXPANDED = "the aliases in this value expand it to more than"
_ALIASED = "far more than a framework file needs; write the values out instead of aliasing them"


def _at(node: yaml.Node, message: str) -> Problem:
    return Problem("", message, line=node.start_mark.line + 1, column=node.start_mark.column + 1)


def _index(root: yaml.Node, positions: dict[PathKey, tuple[int, int]]) -> None:
    """Without recursion (libyaml allows 1,000 levels of nesting); scalars, most of a file, are placed without a visit."""
    mark = root.start_mark
    positions[()] = (mark.line + 1, mark.column + 1)
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                mark = key_node.start_mark
                positions[(*path, key, "<key>")] = (mark.line + 1, mark.column + 1)
                children.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            children = [((*path, index), item) for index, item in enumerate(node.value)]
        else:
            continue
        for child_path, child in children:
            mark = child.start_mark
            positions[child_path] = (mark.line + 1, mark.column + 1)
            if not isinstance(child, yaml.ScalarNode):
                stack.append((child, child_path))


_YAML_HINTS = (
    ("expected <block end>", "check the indentation of this line against the lines above it"),
    ("did not find expected '-' indicator", "check the indentation of this line against the list above it"),
    ("did not find expected key", "check the indentation of this line, and that each entry has a 'key: value'"),
    ("mapping values are not allowed here", "a ': ' inside a value: put the value in quotes"),
    ("tag:yaml.org,2002:merge", "merge keys ('<<') are not supported: write the fields out"),
)


def _yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, found before any parsing
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return Problem("", f"not valid YAML: {exc.reason} (character #x{exc.character:04x})", line=line, column=column)
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "not valid YAML"
    context = getattr(exc, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context and "duplicate" not in problem else "")
    hint = next((advice for clue, advice in _YAML_HINTS if clue in problem), None)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        hint = "a tab character: YAML indents with spaces only"
    message += f"; {hint}" if hint else ""
    if mark is None:
        return Problem("", message)
    return Problem("", message, line=mark.line + 1, column=mark.column + 1)


class _Locator:
    """Turns (path, message, severity) into a :class:`Problem` at the line of the nearest node on that path."""

    def __init__(self, positions: dict[PathKey, tuple[int, int]]) -> None:
        self._positions = positions

    def problem(self, path: PathKey, message: str, severity: Severity = "error", at_key: bool = False) -> Problem:
        line, column = self._where(path, at_key)
        return Problem(format_path(path), message, severity, line, column)

    def _where(self, path: PathKey, at_key: bool) -> tuple[int | None, int | None]:
        if at_key and (*path, "<key>") in self._positions:
            return self._positions[(*path, "<key>")]
        for end in range(len(path), -1, -1):
            if path[:end] in self._positions:
                return self._positions[path[:end]]
        return None, None


def format_path(parts: Any) -> str:
    """('tracks', 1, 'levels', 2, 'id') -> 'tracks[1].levels[2].id' (a key longer than any name may be is cut)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{shown(part, 80)}" if out else shown(part, 80))
    return out


_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def _parse_path(path: str) -> PathKey:
    return tuple(int(index) if index else name for index, name in _PATH_PART.findall(path))


# -- shape errors in plain language ----------------------------------------------------------------

_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_FIELDS_BY_CONTAINER = {
    "": "FrameworkSpec",
    "tracks": "TrackSpec",
    "levels": "LevelSpec",
    "competencies": "CompetencySpec",
    "band": "BandSpec",
    "switch_points": "SwitchPointSpec",
    "scale": "ScaleStepSpec",
    "sections": "SectionSpec",
    "rubric": "RatingSpec",
    "panels": "PanelPolicySpec",
    "fairness": "FairnessSpec",
    "questions": "SelfIdQuestionSpec",
    "retention": "RetentionSpec",
}


def _describe(error: dict[str, Any], document: Any) -> tuple[PathKey, str, Severity, bool]:
    """(path, plain-language reason, severity, whether the position is the key's) for one pydantic error."""
    kind, loc = error["type"], _document_path(error["loc"], document, error["type"])
    value = error.get("input")
    if kind == "missing":
        return loc, f"missing required field '{error['loc'][-1]}'", "error", False
    if kind == "extra_forbidden":
        allowed = sorted(_fields_of(loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f" (allowed here: {', '.join(allowed)})"
        return loc, f"unknown field '{shown(loc[-1])}'{hint}", "error", True
    if kind in _EXPECTED and loc == ("version",) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return (
            loc,
            f'quote the version, e.g. version: "2026.10"; unquoted, YAML reads it as the number {value}, which may not be what you wrote',
            "error",
            False,
        )
    if kind in _EXPECTED:
        expected = " or ".join(dict.fromkeys(_EXPECTED[k] for k in error.get("union_of", (kind,))))
        return loc, f"expected {expected}, got {_yaml_type(value)}", "error", False
    if kind == "string_pattern_mismatch" and loc[-1:] == ("currency",):
        reason = "is not a currency code: use three capital letters (ISO 4217), e.g. USD, EUR, GBP"
        return loc, f"'{shown(value)}' {reason}", "error", False
    if kind == "string_pattern_mismatch":
        reason = "is not a valid id (lower-case letters of any script, digits and '_', starting with a letter)"
        return loc, f"'{shown(value)}' {reason}", "error", False
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        if error["loc"][-1:] == ("[key]",):
            return loc, f"unknown {_KEY_KINDS.get(loc[0], 'key')} '{shown(loc[-1])}' (allowed: {allowed})", "error", True
        return loc, f"'{shown(value)}' is not one of {allowed}", "error", False
    if kind in ("string_too_short", "too_short"):
        return loc, "must not be empty", "error", False
    if kind == "string_too_long":
        return loc, f"is too long (at most {error.get('ctx', {}).get('max_length')} characters)", "error", False
    if kind == "greater_than_equal":
        return loc, f"must be at least {error.get('ctx', {}).get('ge')}, got {value}", "error", False
    return loc, error.get("msg", "is not valid"), "error", False


_KEY_KINDS: dict[str | int, str] = {"question_words": "question kind"}
"""What the keys of a mapping with a fixed set of keys are called, by the mapping's field."""


def _one_per_union(errors: list[Any], document: Any) -> list[dict[str, Any]]:
    """A value that may be written several ways (``equivalent``: one id or a list of ids) fails each way; pydantic says
    so once per way. Keep the errors of the ways that fit what was written (a list whose second item is not an id); when
    no way fits (a number), one error that names every way ("expected a string or a list")."""
    kept: list[dict[str, Any]] = []
    unions: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for error in errors:
        point = _union_point(error, document)
        if point is None:
            kept.append(dict(error))
        else:
            unions.setdefault(point, []).append(dict(error))
    for point, alternatives in unions.items():
        fitting = [e for e in alternatives if not (e["type"] in _EXPECTED and len(e["loc"]) == len(point) + 1)]
        for error in fitting or alternatives[:1]:
            error["loc"] = (*point, *error["loc"][len(point) + 1 :])  # without the name of the way
        if fitting:
            kept += fitting
        else:
            kept.append({**alternatives[0], "union_of": tuple(e["type"] for e in alternatives)})
    return kept


def _union_point(error: dict[str, Any], document: Any) -> tuple[Any, ...] | None:
    """Where in the error's location pydantic added the name of one way of a union ('constrained-str', 'list[...]'),
    or None: the first part of the location the document does not have (a missing field is not one)."""
    if error["type"] == "missing":
        return None
    node, loc = document, error["loc"]
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return tuple(loc[:i]) if isinstance(part, str) and part != "[key]" else None
    return None


def _document_path(loc: tuple[Any, ...], document: Any, kind: str) -> PathKey:
    """pydantic's location, without the tags it adds for unions and dictionary keys."""
    path: list[str | int] = []
    node = document
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        else:
            if kind == "missing" and part == loc[-1]:
                break  # the missing field is reported at the mapping that lacks it
            if isinstance(node, dict) and kind == "extra_forbidden":
                path.append(part)
            break
    return tuple(path)


def _fields_of(container: PathKey) -> set[str]:
    from bot.framework import spec

    name = next((str(part) for part in reversed(container) if isinstance(part, str)), "")
    model = getattr(spec, _FIELDS_BY_CONTAINER.get(name, "FrameworkSpec"))
    return set(model.model_fields)


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


# -- partial files ------------------------------------------------------------------------------------


def _normalised(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Finding], dict[int, str]]:
    """Fill in what a partial file leaves implicit: a competency with no tracks applies to every track, and an
    expectation keyed by a competency's name or alias finds it (among those of the level's track, when several
    competencies share a name); one keyed by a competency the file never declares becomes a competency of its own (a
    warning), applying to the tracks whose levels use it."""
    findings: list[Finding] = []
    track_ids = [t["id"] for t in doc["tracks"]]
    for competency in doc["competencies"]:
        competency["tracks"] = competency["tracks"] or list(track_ids)
    by_id = {c["id"]: c for c in doc["competencies"]}
    known: dict[str, list[dict[str, Any]]] = {}
    for competency in doc["competencies"]:
        for name in dict.fromkeys(normalize(str(n)) for n in (competency["id"], competency["name"], *competency["aliases"])):
            known.setdefault(name, []).append(competency)
    inferred: dict[str, str] = {}  # id -> where it was first used
    taken = {c["id"] for c in doc["competencies"]}
    for ti, track in enumerate(doc["tracks"]):
        for li, level in enumerate(track["levels"]):
            resolved: dict[str, str] = {}
            for key, text in level["expectations"].items():
                where = f"tracks[{ti}].levels[{li}].expectations.{key}"
                competency = by_id.get(key) or _named(known.get(normalize(key), []), track["id"], key, where, findings)
                if competency is None:
                    competency = {
                        "id": make_id(key, taken),
                        "name": _title(key),
                        "description": "",
                        "tracks": [],
                        "aliases": [],
                        "group": None,
                        "scale": [],
                    }
                    inferred[competency["id"]] = where
                    doc["competencies"].append(competency)
                    known[normalize(key)] = [competency]
                    findings.append(
                        (where, f"'{key}' is not declared under competencies; treated as a competency of its own", "warning")
                    )
                if competency["id"] in inferred and track["id"] not in competency["tracks"]:
                    competency["tracks"].append(track["id"])
                resolved[competency["id"]] = text
            level["expectations"] = resolved
    inferred_at = {i: inferred[c["id"]] for i, c in enumerate(doc["competencies"]) if c["id"] in inferred}
    return doc, findings, inferred_at


def _named(
    candidates: list[dict[str, Any]], track_id: str, key: str, where: str, findings: list[Finding]
) -> dict[str, Any] | None:
    """The competency an expectation key names: the one of the level's track; when none is, the first (the rules then
    say it does not apply to this track); when several are, the first, and an error asks for the id."""
    on_track = [c for c in candidates if track_id in c["tracks"]]
    if len(on_track) > 1:
        ids = " and ".join(f"'{c['id']}'" for c in on_track[:2])
        findings.append((where, f"'{key}' names competencies {ids} of track '{track_id}'; key the expectation by id", "error"))
    chosen = on_track or candidates
    return chosen[0] if chosen else None


def _at_their_origin(findings: list[Finding], inferred_at: dict[int, str]) -> list[Finding]:
    """A problem with a competency the file never declared is reported where the file first used it."""
    moved = []
    for path, message, severity in findings:
        index = re.match(r"competencies\[(\d+)\]", path)
        if index and int(index.group(1)) in inferred_at:
            path = inferred_at[int(index.group(1))]
        moved.append((path, message, severity))
    return moved


def _of(part: int, whole: int, noun: str, where: str = "") -> str:
    """ "1 of 1 level has", "9 of 12 levels have" """
    return f"{part} of {whole} {noun}{'s' if whole != 1 else ''}{where} {'has' if part == 1 else 'have'}"


def _title(key: str) -> str:
    return key.replace("_", " ").strip().capitalize() if re.fullmatch(r"[a-z0-9_]+", key) else key.strip()


def _completeness(doc: dict[str, Any]) -> list[Finding]:
    """One warning per part answers use that some levels lack, with a count."""
    levels = [(f"tracks[{ti}].levels[{li}]", level) for ti, t in enumerate(doc["tracks"]) for li, level in enumerate(t["levels"])]
    findings: list[Finding] = []
    for name in ("summary", "scope", "decision_rights"):
        missing = [path for path, level in levels if not level[name]]
        if missing:
            findings.append((missing[0], f"{_of(len(missing), len(levels), 'level')} no {name}", "warning"))
    for competency in doc["competencies"]:
        for ti, track in enumerate(doc["tracks"]):
            if track["id"] not in competency["tracks"]:
                continue
            missing = [
                f"tracks[{ti}].levels[{li}]"
                for li, level in enumerate(track["levels"])
                if competency["id"] not in level["expectations"]
            ]
            if missing:
                count = _of(len(missing), len(track["levels"]), "level", f" of track '{track['id']}'")
                findings.append((missing[0], f"{count} no expectation for competency '{competency['name']}'", "warning"))
    return findings


# -- model ---------------------------------------------------------------------------------------------


def _panel_policy(panels: dict[str, Any]) -> PanelPolicy:
    return PanelPolicy(
        min_members=int(panels.get("min_members", PanelPolicy().min_members)),
        members_at_or_above_target=panels.get("member_level", "at_or_above_target") == "at_or_above_target",
    )


def _fairness(fairness: dict[str, Any]) -> FairnessPolicy:
    questions = tuple(SelfIdQuestion(q["id"], q["question"], tuple(q["choices"])) for q in fairness["questions"])
    return FairnessPolicy(min_group_size=int(fairness["min_group_size"]), questions=questions)


def _build(doc: dict[str, Any], source: str, text: str) -> Framework:
    return Framework(
        name=doc["name"],
        version=doc["version"] or "",
        fingerprint=fingerprint(text),
        description=doc["description"],
        promotion_principles=doc["promotion_principles"],
        switching=doc["switching"],
        publish_bands=doc["publish_bands"],
        competencies=tuple(_competency(c) for c in doc["competencies"]),
        tracks=tuple(_track(t) for t in doc["tracks"]),
        sections=tuple(Section(s["title"], s["text"], s["kind"], tuple(s["about"])) for s in doc["sections"]),
        question_words=MappingProxyType({kind: tuple(words) for kind, words in doc["question_words"].items()}),
        source=source,
        panel_policy=_panel_policy(doc.get("panels") or {}),
        fairness=_fairness(doc["fairness"]),
        retention=RetentionPolicy(**doc["retention"]),
        rubric=tuple(Rating(r["id"], r["label"], r["anchor"], rank) for rank, r in enumerate(doc["rubric"]))
        if doc.get("rubric")
        else DEFAULT_RUBRIC,
    )


def _competency(doc: dict[str, Any]) -> Competency:
    return Competency(
        id=doc["id"],
        name=doc["name"],
        description=doc["description"],
        tracks=tuple(doc["tracks"]),
        aliases=tuple(str(a) for a in doc["aliases"]),
        group=doc["group"],
        scale=tuple(ScaleStep(step["label"], step["description"], rank) for rank, step in enumerate(doc["scale"])),
    )


def _track(doc: dict[str, Any]) -> Track:
    return Track(
        id=doc["id"],
        name=doc["name"],
        family=doc["family"],
        description=doc["description"],
        aliases=tuple(str(a) for a in doc["aliases"]),
        starts_after=doc["starts_after"],
        levels=tuple(_level(lv, doc["id"], rank) for rank, lv in enumerate(doc["levels"])),
    )


def _level(doc: dict[str, Any], track_id: str, rank: int) -> Level:
    band = doc["band"]
    return Level(
        id=doc["id"],
        title=doc["title"],
        track_id=track_id,
        rank=rank,
        summary=doc["summary"],
        aliases=tuple(str(a) for a in doc["aliases"]),
        expectations=MappingProxyType(dict(doc["expectations"])),
        scope=doc["scope"],
        decision_rights=doc["decision_rights"],
        equivalents=tuple(dict.fromkeys(target for _field, target in equivalent_ids(doc))),
        typical_time_in_level=doc["typical_time_in_level"],
        band=Band(band["min"], band["max"], band["currency"]) if band else None,
        switch_points=tuple(SwitchPoint(sp["to"], sp["note"]) for sp in doc["switch_points"]),
    )
