"""Front matter: the YAML (between ``---`` lines) or TOML (between ``+++``) a page opens with for its site generator.

It gives a page's title, its level number, its weight and lists such as ``levels:``. Bounded: at most
:data:`MAX_FRONT_MATTER` characters, no YAML aliases; front matter that cannot be read is listed, not guessed.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from bot.framework.reading.outline import MAX_FRONT_MATTER, Block, FrontValue, Markup, tidy


def front_matter(text: str) -> tuple[dict[str, FrontValue], list[Block], int]:
    """The front matter's values (with their lines), markup for what could not be read, and the body's first line index."""
    lines = text.split("\n", 2000)
    if not lines or lines[0].strip() not in {"---", "+++"}:
        return {}, [], 0
    fence = lines[0].strip()
    ends = {"---", "..."} if fence == "---" else {"+++"}
    end = next((i for i in range(1, min(len(lines), 2000)) if lines[i].strip() in ends), None)
    if end is None:
        return {}, [], 0
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER:
        return (
            {},
            [Markup(f"{len(source):,} characters of front matter", 1, end + 1, "front matter markup too long to read")],
            end + 1,
        )
    try:
        values = _yaml_front(source) if fence == "---" else _toml_front(source)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        reason = f"front matter markup Ladder cannot read ({type(exc).__name__})"
        return {}, [Markup(tidy(source), 2, end, reason)] if tidy(source) else [], end + 1
    return values, [], end + 1


def _yaml_front(source: str) -> dict[str, FrontValue]:
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise ValueError("front matter is not a mapping")
        _no_aliases(node)
        values: dict[str, FrontValue] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            value = loader.construct_object(value_node, deep=True)
            values[key] = FrontValue(
                value,
                key_node.start_mark.line + 2,
                max(key_node.start_mark.line, value_node.end_mark.line - (value_node.end_mark.column == 0)) + 2,
            )
        return values
    finally:
        loader.dispose()


def _no_aliases(node: yaml.Node) -> None:
    """Refuse front matter that repeats a value by alias (its size would not bound its work)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise ValueError("front matter repeats values by alias")
        seen.add(id(current))
        if len(seen) > 10_000:
            raise ValueError("front matter holds too many values")
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack += [key, value]
        elif isinstance(current, yaml.SequenceNode):
            stack += list(current.value)


def _toml_front(source: str) -> dict[str, FrontValue]:
    data: dict[str, Any] = tomllib.loads(source)
    lines = source.split("\n")
    values: dict[str, FrontValue] = {}
    for key, value in data.items():
        line = next((i for i, text in enumerate(lines) if re.match(rf"\s*{re.escape(key)}\s*=|\s*\[{re.escape(key)}\]", text)), 0)
        values[key] = FrontValue(value, line + 2, line + 2)
    return values
