"""Small shared pieces for Block Kit builders: escaped text objects, and the one check before sending.

Builders use slack_sdk's model classes; every text a person or a framework wrote goes through
:func:`md` (escaped mrkdwn) or :func:`plain` (cut to a limit), and every finished message or view
through :func:`finish_message` / :func:`finish_view`, which fit and validate it against Slack's limits.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from messages.escape import Raw, slack_escape, truncate
from messages.filters import mention
from messages.limits import (
    MAX_FALLBACK_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    fit_blocks,
    split_text,
    validate_message,
    validate_view,
)
from messages.render import Message


def esc(text: str | None) -> str:
    """User or framework text made safe inside mrkdwn: `<!channel>` pings nobody, `*` stays a star."""
    return slack_escape(text or "")


def who(user_id: str | None) -> str:
    """A person in mrkdwn built in code: a mention for a Slack user id, the escaped text for anything else."""
    shown = mention(user_id)
    return shown if isinstance(shown, Raw) else esc(shown)


def md(text: str, limit: int = 3000) -> MarkdownTextObject:
    return MarkdownTextObject(text=truncate(text, limit))


def plain(text: str, limit: int = 75) -> PlainTextObject:
    return PlainTextObject(text=truncate(text or " ", limit), emoji=True)


def option(text: str, value: str, description: str | None = None) -> Option:
    return Option(text=plain(text, 75), value=value[:150], description=plain(description, 75) if description else None)


def section(text: str, **kwargs: Any) -> SectionBlock:
    return SectionBlock(text=md(text), **kwargs)


def sections(text: str) -> list[SectionBlock]:
    """Long mrkdwn as as many sections as it takes, split at paragraph, line or word boundaries: nothing cut."""
    return [SectionBlock(text=MarkdownTextObject(text=part)) for part in split_text(text, MAX_SECTION_TEXT)]


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[md(text, 2000)])


INPUT = "value"
"""The action id of every input element: the block id names the field."""
MAX_INPUT = 3000


def input_block(block_id: str, label: str, element: Any, *, hint: str | None = None, optional: bool = False) -> InputBlock:
    return InputBlock(
        block_id=block_id, label=plain(label, 2000), element=element, optional=optional, hint=plain(hint, 2000) if hint else None
    )


def text_input(initial: str = "", *, multiline: bool = True, placeholder: str | None = None) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id=INPUT, multiline=multiline, max_length=MAX_INPUT, initial_value=initial or None,
        placeholder=plain(placeholder, 150) if placeholder else None,
    )  # fmt: skip


def metadata(**values: Any) -> str:
    """Machine-read state for ``private_metadata`` or a button's ``value``: JSON, never Slack-escaped text."""
    encoded = json.dumps(values, separators=(",", ":"))
    if len(encoded) > 2000:
        raise ValueError("metadata too long")
    return encoded


def read_metadata(raw: str | None) -> dict[str, Any]:
    """What :func:`metadata` wrote, back from Slack; {} for anything else (longer than Slack keeps, not JSON, or nested
    deeper than Python's JSON decoder goes)."""
    if raw is not None and len(raw) > 3000:
        return {}
    try:
        value = json.loads(raw or "{}")
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def metadata_id(raw: str | None, key: str) -> int:
    """A row id carried in a button's JSON value; -1 (which matches no row) when it is missing or not a number."""
    value = read_metadata(raw).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def finish_message(text: str, blocks: Sequence[Block | dict[str, Any]]) -> Message:
    """``text`` is the notification (and the fallback where blocks do not show): plain words, escaped here like every other
    text (a :class:`Raw` one is Ladder's own markup), so a name in it pings nobody."""
    dicts = fit_blocks([b.to_dict() if isinstance(b, Block) else b for b in blocks], MAX_MESSAGE_BLOCKS)
    text = truncate(text if isinstance(text, Raw) else esc(text), MAX_FALLBACK_TEXT)
    validate_message(text, dicts)
    return Message(text, dicts)


def finish_view(view: View) -> dict[str, Any]:
    as_dict = view.to_dict()
    as_dict["blocks"] = fit_blocks(as_dict.get("blocks", []), MAX_VIEW_BLOCKS)
    validate_view(as_dict)
    return as_dict


def modal_view(
    title: str,
    blocks: Sequence[Block],
    *,
    callback_id: str | None = None,
    submit: str | None = None,
    close: str = "Cancel",
    **extra: Any,
) -> dict[str, Any]:
    """A modal, fitted and checked: every modal Ladder opens is built here."""
    return finish_view(
        View(
            type="modal", callback_id=callback_id, title=plain(title, 24), submit=plain(submit, 24) if submit else None,
            close=plain(close, 24), blocks=list(blocks), **extra,
        )
    )  # fmt: skip


def notice_view(title: str, message: Message) -> dict[str, Any]:
    """A modal that only says something (what a submitted modal turns into with ``response_action: update``)."""
    sections = [
        section(block["text"]["text"]) for block in message.blocks if block.get("type") == "section" and block.get("text")
    ]
    return modal_view(title, sections, close="Done")


def bullet_list(lines: Iterable[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)
