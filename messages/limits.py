"""Slack's limits on what it accepts, and the fitting that keeps long content inside them.

slack_sdk's Block Kit models check most limits; :func:`extra_problems` checks the ones they let
through (51 blocks, input ``max_length``, option counts). Everything is checked before sending,
so Slack never refuses a message Ladder built.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from messages.escape import truncate

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_FALLBACK_TEXT = 3000
MAX_MODAL_TITLE = 24
MAX_INPUT_LENGTH = 3000
MAX_CHOICE_OPTIONS = 10
MAX_SELECT_OPTIONS = 100


class MessageInvalid(ValueError):
    """A rendered message or view that Slack would refuse: a bug in a template, never user input."""


def fit_blocks(blocks: list[dict[str, Any]], max_blocks: int) -> list[dict[str, Any]]:
    """Split long sections and cut long headers so the content fits, then cap the block count."""
    fitted: list[dict[str, Any]] = []
    for block in blocks:
        fitted.extend(_fit_block(block))
    if len(fitted) > max_blocks:
        hidden = len(fitted) - (max_blocks - 1)
        fitted = fitted[: max_blocks - 1] + [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"… {hidden} more not shown"}]}
        ]
    return fitted


def _fit_block(block: dict[str, Any]) -> list[dict[str, Any]]:
    kind = block.get("type")
    if kind == "header":
        block["text"]["text"] = truncate(block["text"]["text"], MAX_HEADER_TEXT)
    elif kind == "context":
        for element in block.get("elements", []):
            if "text" in element:
                element["text"] = truncate(element["text"], MAX_CONTEXT_TEXT)
    elif kind == "section":
        for field in block.get("fields", []):
            field["text"] = truncate(field["text"], MAX_FIELD_TEXT)
        text = block.get("text")
        if text and len(text["text"]) > MAX_SECTION_TEXT:
            return _split_section(block)
    return [block]


def _split_section(block: dict[str, Any]) -> list[dict[str, Any]]:
    parts = split_text(block["text"]["text"], MAX_SECTION_TEXT)
    first = {**block, "text": {**block["text"], "text": parts[0]}}
    rest = [{"type": "section", "text": {"type": block["text"]["type"], "text": part}} for part in parts[1:]]
    return [first, *rest]


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries; cut hard only inside one huge word."""
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                break
        if cut <= 0:
            cut = len(truncate(window, limit, ellipsis=""))
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return [p for p in parts if p] or [""]


def validate_message(text: str, blocks: list[dict[str, Any]]) -> None:
    if not text.strip():
        raise MessageInvalid("a message needs a plain-text fallback")
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise MessageInvalid(f"{len(blocks)} blocks; a message may have {MAX_MESSAGE_BLOCKS}")
    _validate_blocks(blocks)


def validate_view(view: dict[str, Any]) -> None:
    blocks = view.get("blocks", [])
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise MessageInvalid(f"{len(blocks)} blocks; a view may have {MAX_VIEW_BLOCKS}")
    title = view.get("title", {}).get("text", "")
    if view.get("type") == "modal" and not 0 < len(title) <= MAX_MODAL_TITLE:
        raise MessageInvalid(f"modal title {title!r} must be 1-{MAX_MODAL_TITLE} characters")
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError) as exc:
        raise MessageInvalid(f"view: {exc}") from exc
    _validate_blocks(blocks)


_VALIDATED_SHAPES: set[str] = set()
_MAX_REMEMBERED_SHAPES = 4096


def _shape(block: Any) -> Any:
    """The block with its text reduced to empty/non-empty: what slack_sdk's checks depend on once lengths are fitted."""
    if isinstance(block, dict):
        return {k: (v if k == "type" else _shape(v)) for k, v in block.items()}
    if isinstance(block, list):
        return [_shape(v) for v in block]
    if isinstance(block, str):
        return "s" if block else ""
    return block


def _validate_blocks(blocks: list[dict[str, Any]]) -> None:
    """slack_sdk's model checks are slow (most of a render), so each block shape is checked by them once;
    lengths, which the shape leaves out, are checked on every block by :func:`extra_problems`."""
    for index, block in enumerate(blocks):
        for problem in extra_problems(block):
            raise MessageInvalid(f"blocks[{index}] ({block.get('type')}): {problem}")
        shape = json.dumps(_shape(block), sort_keys=True)
        if shape in _VALIDATED_SHAPES:
            continue
        model = Block.parse(block)
        if model is None:
            raise MessageInvalid(f"blocks[{index}]: unknown block type {block.get('type')!r}")
        try:
            model.validate_json()
        except SlackObjectFormationError as exc:
            raise MessageInvalid(f"blocks[{index}] ({block.get('type')}): {exc}") from exc
        if len(_VALIDATED_SHAPES) < _MAX_REMEMBERED_SHAPES:
            _VALIDATED_SHAPES.add(shape)


def extra_problems(block: dict[str, Any]) -> list[str]:
    """Text lengths, and the limits Slack enforces that slack_sdk's models do not check."""
    problems = _length_problems(block)
    elements = [block["element"]] if "element" in block else []
    elements += block.get("elements", []) if block.get("type") == "actions" else []
    if "accessory" in block:
        elements.append(block["accessory"])
    for element in elements:
        kind = element.get("type")
        if kind == "plain_text_input" and element.get("max_length", 0) > MAX_INPUT_LENGTH:
            problems.append(f"plain_text_input max_length {element['max_length']} is over {MAX_INPUT_LENGTH}")
        if kind in ("checkboxes", "radio_buttons") and len(element.get("options", [])) > MAX_CHOICE_OPTIONS:
            problems.append(f"{kind} has {len(element['options'])} options; at most {MAX_CHOICE_OPTIONS}")
        if kind in ("static_select", "multi_static_select"):
            count = len(element.get("options", [])) + sum(len(g.get("options", [])) for g in element.get("option_groups", []))
            if count > MAX_SELECT_OPTIONS:
                problems.append(f"{kind} has {count} options; at most {MAX_SELECT_OPTIONS}")
    if block.get("type") == "section" and len(block.get("fields", [])) > 10:
        problems.append(f"section has {len(block['fields'])} fields; at most 10")
    return problems


def _length_problems(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    texts: list[tuple[str, int]] = []
    if kind == "section":
        texts = [(block["text"].get("text", ""), MAX_SECTION_TEXT)] if block.get("text") else []
        texts += [(f.get("text", ""), MAX_FIELD_TEXT) for f in block.get("fields", [])]
    elif kind == "header":
        texts = [(block.get("text", {}).get("text", ""), MAX_HEADER_TEXT)]
    elif kind == "context":
        texts = [(e.get("text", ""), MAX_CONTEXT_TEXT) for e in block.get("elements", []) if "text" in e]
    return [f"text of {len(text)} characters is over {limit}" for text, limit in texts if len(text) > limit]
