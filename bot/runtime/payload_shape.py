"""The envelope shapes Bolt relies on, checked before a signed payload is dispatched.

Bolt reads payloads by their documented shape (``body["event"]["type"]``, ``body["actions"][0]``)
and builds every listener argument from them eagerly, even for its error handler, so a signed
payload of another shape would fail inside Bolt with a 500. Slack never sends such payloads; a
request that does is refused with 400 here. Values may be null where Slack sends null.
"""

from __future__ import annotations

from typing import Any

_OBJECTS = frozenset(
    {
        "event",
        "view",
        "container",
        "message",
        "previous_message",
        "item",
        "workflow_step",
        "function_data",
        "assistant_thread",
        "state",
    }
)
_OBJECT_OR_ID = frozenset({"team", "user", "channel", "enterprise"})
"""Objects in interaction payloads, ids (strings) in events."""
_LISTS_OF_OBJECTS = frozenset({"actions", "authorizations"})
_NON_EMPTY_LISTS = frozenset({"actions"})
_STRINGS = frozenset(
    {
        "type", "subtype", "callback_id", "command", "trigger_id", "response_url", "team_id", "enterprise_id", "user_id",
        "channel_id", "api_app_id", "event_id", "action_id", "id", "thread_ts", "ts", "channel_type", "bot_id",
        "function_execution_id", "tab", "token", "view_id", "external_id", "hash", "block_id",
    }
)  # fmt: skip


def envelope_problem(body: Any) -> str | None:
    """Why this parsed payload is not shaped as Slack sends payloads, or None when it is."""
    if not isinstance(body, dict):
        return "the payload is not an object"
    return _object_problem(body, "", depth=0)


def _object_problem(obj: dict[str, Any], where: str, depth: int) -> str | None:
    for key, value in obj.items():
        path = f"{where}{key}"
        if value is None or not isinstance(key, str):
            continue
        if key in _STRINGS and not isinstance(value, str):
            return f"{path} must be a string"
        if key == "text" and not isinstance(value, (str, dict)):  # a string in commands and events, a text object on a button
            return f"{path} must be a string or a text object"
        if key in _OBJECTS or key in _OBJECT_OR_ID:
            if isinstance(value, str) and key in _OBJECT_OR_ID:
                continue
            if not isinstance(value, dict):
                return f"{path} must be an object"
            if depth < 3 and (problem := _object_problem(value, f"{path}.", depth + 1)):
                return problem
        if key in _LISTS_OF_OBJECTS:
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                return f"{path} must be a list of objects"
            if key in _NON_EMPTY_LISTS and not value:
                return f"{path} must not be empty"
            for index, item in enumerate(value):
                if depth < 3 and (problem := _object_problem(item, f"{path}[{index}].", depth + 1)):
                    return problem
    return None
