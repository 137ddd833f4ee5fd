"""Reading what a person entered in a modal: ``view.state.values`` as block id → value.

Each input element's value is read by its type, so builders can change an element without
touching the listener: text → str, one choice → the option's value, several → a list of values,
a date → ``date``, a user → their id.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def values_of(view: dict[str, Any]) -> dict[str, Any]:
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    out: dict[str, Any] = {}
    for block_id, actions in (values or {}).items():
        if isinstance(actions, dict):
            for element in actions.values():
                if isinstance(element, dict):
                    out[str(block_id)] = _value(element)
    return out


def _value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons", "external_select"):
        chosen = element.get("selected_option")
        return chosen.get("value") if isinstance(chosen, dict) else None
    if kind in ("checkboxes", "multi_static_select", "multi_external_select"):
        return [o.get("value") for o in element.get("selected_options") or [] if isinstance(o, dict)]
    if kind == "datepicker":
        try:
            return date.fromisoformat(element.get("selected_date") or "")
        except (TypeError, ValueError):
            return None
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "conversations_select":
        return element.get("selected_conversation")
    if kind == "channels_select":
        return element.get("selected_channel")
    if kind == "multi_users_select":
        return list(element.get("selected_users") or [])
    value = element.get("value")
    return value if isinstance(value, str) else None
