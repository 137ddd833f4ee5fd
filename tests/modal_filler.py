"""Fill in a modal the bot opened as a person would, and get back what Slack would send as `view.state.values`.

A person sees labels and option texts, not block_ids, action_ids or option values, so answers are keyed by
the input's visible label and give the visible option text. What they leave untouched goes back as Slack
sends it: the initial value if the input had one, else an empty value. Slack's client does not let a person
submit an empty required input, pick something that is not offered, or type past the limits, so neither does
this (unless `allow_empty_required=True`, for tests that play a hostile client).

Written from Slack's documentation of view_submission payloads and of each input element
(https://api.slack.com/reference/interaction-payloads/views, https://api.slack.com/reference/block-kit/block-elements),
independently of the bot's code.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["fill", "labels"]

TEXT_INPUTS = {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
SINGLE_CHOICE = {"static_select", "radio_buttons", "external_select"}
MULTIPLE_CHOICE = {"multi_static_select", "checkboxes", "multi_external_select"}
PICKED = {
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
PICKED_MANY = {
    "multi_users_select": ("selected_users", "initial_users"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
CONVERSATION_ID = re.compile(r"[CDG][A-Z0-9]{2,}")


def labels(view: dict[str, Any]) -> list[str]:
    """The visible labels of the modal's input blocks, in order."""
    return [_label(block) for block in _inputs(view)]


def fill(view: dict[str, Any], answers: dict[str, Any], *, allow_empty_required: bool = False) -> dict[str, Any]:
    """`state.values` for `view` with `answers` typed in, keyed by (a case-insensitive prefix or part of) each label.

    Answers: a str for text, email, URL and number inputs; the visible option text for a select or radio
    buttons, a list of them for checkboxes or a multi-select; a user id (or list) for a users select;
    "YYYY-MM-DD" (or a date) for a date picker; "HH:MM" for a time picker.
    """
    blocks = _inputs(view)
    chosen: dict[int, Any] = {}
    for key, answer in answers.items():
        index = _match(blocks, key)
        if index in chosen:
            raise AssertionError(f"two answers for the input labelled {_label(blocks[index])!r} (the second is {key!r})")
        chosen[index] = answer
    values: dict[str, Any] = {}
    for index, block in enumerate(blocks):
        element = block.get("element") or {}
        block_id, action_id = block.get("block_id"), element.get("action_id")
        if not block_id or not action_id:
            raise AssertionError(
                f"the input labelled {_label(block)!r} has no block_id/action_id: fill the view as Slack holds it "
                "(FakeSlack.view(view_id) or the view in views.open's answer), where Slack has generated the missing ones"
            )
        where = f"the input labelled {_label(block)!r}"
        state = _state(element, chosen[index], where) if index in chosen else _untouched(element)
        if not block.get("optional", False) and _empty(state) and not allow_empty_required:
            raise AssertionError(f"{where} is required: Slack's client would not let a person submit it empty")
        values.setdefault(block_id, {})[action_id] = state
    return values


def _inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view.get("blocks") or [] if isinstance(b, dict) and b.get("type") == "input"]


def _label(block: dict[str, Any]) -> str:
    return str((block.get("label") or {}).get("text", ""))


def _match(blocks: list[dict[str, Any]], key: str) -> int:
    """The input a person would find under `key`: its exact label, else the one label it starts or is part of."""
    texts = [_label(b) for b in blocks]
    wanted = " ".join(key.split()).casefold()
    for test in (
        lambda t: t == key,
        lambda t: " ".join(t.split()).casefold() == wanted,
        lambda t: " ".join(t.split()).casefold().startswith(wanted),
        lambda t: wanted in " ".join(t.split()).casefold(),
    ):
        found = [i for i, text in enumerate(texts) if test(text)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise AssertionError(f"{key!r} matches several inputs: {[texts[i] for i in found]}; say which (labels: {texts})")
    raise AssertionError(f"no input labelled {key!r}; the modal's labels: {texts}")


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    grouped = [o for group in element.get("option_groups") or [] for o in group.get("options") or []]
    return list(element.get("options") or []) + grouped


def _option_text(option: dict[str, Any]) -> str:
    return str((option.get("text") or {}).get("text", ""))


def _pick(element: dict[str, Any], text: Any, where: str) -> dict[str, Any]:
    """The option a person picks by its visible text (exact, else ignoring case); Slack sends it back whole."""
    options = _options(element)
    if element.get("type") in ("external_select", "multi_external_select"):
        if isinstance(text, dict):
            return copy.deepcopy(text)
        return {"text": {"type": "plain_text", "text": str(text), "emoji": True}, "value": str(text)}
    if not isinstance(text, str):
        raise AssertionError(f"{where}: pick an option by its visible text, not {text!r}")
    for same in (lambda t: t == text, lambda t: t.casefold() == text.casefold()):
        found = [o for o in options if same(_option_text(o))]
        if found:
            return copy.deepcopy(found[0])
    raise AssertionError(f"{where}: {text!r} is not one of the options {[_option_text(o) for o in options]}")


def _state(element: dict[str, Any], answer: Any, where: str) -> dict[str, Any]:
    """What Slack sends for an element the person filled in with `answer`."""
    kind = element.get("type")
    if kind in TEXT_INPUTS:
        if not isinstance(answer, (str, int, float, Decimal)) or isinstance(answer, bool):
            raise AssertionError(f"{where}: type a string, not {answer!r}")
        return {"type": kind, "value": _typed(element, str(answer), where) if str(answer) else None}
    if kind == "rich_text_input":
        if not isinstance(answer, str):
            raise AssertionError(f"{where}: type a string, not {answer!r}")
        return {"type": kind, "rich_text_value": _rich_text(answer) if answer else None}
    if kind in SINGLE_CHOICE:
        return {"type": kind, "selected_option": _pick(element, answer, where) if answer not in (None, "") else None}
    if kind in MULTIPLE_CHOICE:
        picked = [answer] if isinstance(answer, str) else list(answer or [])
        most = element.get("max_selected_items")
        if most is not None and len(picked) > most:
            raise AssertionError(f"{where}: at most {most} may be picked, not {len(picked)}")
        return {"type": kind, "selected_options": [_pick(element, text, where) for text in picked]}
    if kind in PICKED:
        field = PICKED[kind][0]
        return {"type": kind, field: _picked(kind, answer, where) if answer not in (None, "") else None}
    if kind in PICKED_MANY:
        field = PICKED_MANY[kind][0]
        picked = [answer] if isinstance(answer, str) else list(answer or [])
        most = element.get("max_selected_items")
        if most is not None and len(picked) > most:
            raise AssertionError(f"{where}: at most {most} may be picked, not {len(picked)}")
        return {"type": kind, field: [_picked(kind.removeprefix("multi_"), a, where) for a in picked]}
    raise AssertionError(f"{where}: filling a {kind} is not supported")


def _typed(element: dict[str, Any], text: str, where: str) -> str:
    """A typed value as the client lets it through: within the length limits, a number where a number is asked."""
    kind = element.get("type")
    if kind == "plain_text_input":
        longest, shortest = element.get("max_length", 3000), element.get("min_length", 0)
        if not shortest <= len(text) <= longest:
            raise AssertionError(f"{where}: the client takes {shortest}-{longest} characters, not {len(text)}")
    if kind == "number_input":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise AssertionError(f"{where}: {text!r} is not a number") from None
        if not number.is_finite() or not element.get("is_decimal_allowed") and number != number.to_integral_value():
            raise AssertionError(f"{where}: {text!r} is not a whole number, and this input takes only whole numbers")
        for bound, ok in (("min_value", lambda b: number >= Decimal(b)), ("max_value", lambda b: number <= Decimal(b))):
            if element.get(bound) is not None and not ok(str(element[bound])):
                raise AssertionError(f"{where}: {text} is outside {element.get('min_value')}..{element.get('max_value')}")
    if kind == "email_text_input" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise AssertionError(f"{where}: {text!r} is not an email address")
    if kind == "url_text_input" and not re.match(r"https?://\S+$", text):
        raise AssertionError(f"{where}: {text!r} is not a URL")
    return text


def _picked(kind: str, answer: Any, where: str) -> Any:
    if kind == "datepicker":
        text = answer.isoformat() if isinstance(answer, date) else answer
        try:
            if not isinstance(text, str) or date.fromisoformat(text).isoformat() != text:
                raise ValueError
        except ValueError:
            raise AssertionError(f"{where}: a date is picked as YYYY-MM-DD, not {answer!r}") from None
        return text
    if kind == "timepicker":
        if not isinstance(answer, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", answer):
            raise AssertionError(f"{where}: a time is picked as HH:MM, not {answer!r}")
        return answer
    if kind == "datetimepicker":
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise AssertionError(f"{where}: a date and time is picked as epoch seconds, not {answer!r}")
        return answer
    pattern = USER_ID if kind == "users_select" else CONVERSATION_ID
    if not isinstance(answer, str) or not pattern.fullmatch(answer):
        raise AssertionError(f"{where}: pick a {'user' if kind == 'users_select' else 'conversation'} by id, not {answer!r}")
    return answer


def _untouched(element: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends for an element the person did not touch: its initial value, else an empty one."""
    kind = element.get("type")
    if kind in TEXT_INPUTS:
        return {"type": kind, "value": element.get("initial_value") or None}
    if kind == "rich_text_input":
        return {"type": kind, "rich_text_value": copy.deepcopy(element.get("initial_value"))}
    if kind in SINGLE_CHOICE:
        return {"type": kind, "selected_option": copy.deepcopy(element.get("initial_option"))}
    if kind in MULTIPLE_CHOICE:
        return {"type": kind, "selected_options": copy.deepcopy(element.get("initial_options") or [])}
    if kind in PICKED:
        field, initial = PICKED[kind]
        return {"type": kind, field: element.get(initial)}
    if kind in PICKED_MANY:
        field, initial = PICKED_MANY[kind]
        return {"type": kind, field: list(element.get(initial) or [])}
    return {"type": kind}


def _empty(state: dict[str, Any]) -> bool:
    return all(value in (None, "", []) for key, value in state.items() if key != "type")


def _rich_text(text: str) -> dict[str, Any]:
    return {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}
