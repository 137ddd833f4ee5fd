"""The one way Ladder turns a template into something it sends: escaped, fitted, validated.

A template in ``messages/templates`` is JSON lines. The first line is the envelope
(``{"text": ...}`` for a message, ``{"view": {...}}`` for a view) and every other line is one
Block Kit block. One value per line keeps templates free of comma bookkeeping, and every
``{{ value }}`` is escaped for Slack and for JSON automatically, so a template cannot forget
to escape what a person or a framework file wrote.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # the C escaper json uses
from typing import Any, Callable

from jinja2 import Environment, PackageLoader, StrictUndefined

from messages import filters
from messages.escape import Raw, slack_escape, truncate
from messages.ids import QuestionIds
from messages.limits import (
    MAX_FALLBACK_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_BLOCKS,
    MessageInvalid,
    fit_blocks,
    validate_message,
    validate_view,
)
from messages.plain import blocks_to_text

MEMO_SIZE = 512


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _json_body(text: str) -> str:
    return encode_basestring(text)[1:-1]


def _finalize_for(escape: Callable[[str], str]) -> Callable[[Any], str]:
    def finalize(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Raw):
            return _json_body(value)
        return _json_body(escape(str(value)))

    return finalize


def _environment(escape: Callable[[str], str]) -> Environment:
    env = Environment(
        loader=PackageLoader("messages", "templates"),
        finalize=_finalize_for(escape),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(filters.FILTERS)
    env.globals["QuestionIds"] = QuestionIds
    return env


class Renderer:
    """Renders templates for Slack (escaped, fitted, validated) or for a terminal (plain)."""

    def __init__(
        self, loader: Any = None, public_url: str | None = None, page_site: Callable[[str], str] | None = None
    ) -> None:
        """``public_url``: where the ladder's web pages are (LADDER_PUBLIC_URL); answers about a level or a
        comparison then link to the matching page. ``page_site``: the folder below /ladder/ an organisation's pages
        are in (with OAuth, :func:`messages.pages.organisation_site`); an answer's ``tenant`` links there."""
        self._slack = _environment(slack_escape)
        self._terminal = _environment(lambda s: s)
        if loader is not None:
            self._slack.loader = self._terminal.loader = loader
        base = public_url.rstrip("/") if public_url else None

        def address(path: str, tenant: str | None) -> str:
            if page_site is not None and tenant and path.startswith("/ladder/"):
                path = f"/ladder/{page_site(tenant)}/{path.removeprefix('/ladder/')}"
            return f"{base}{path}"

        self._slack.globals["page_link"] = lambda path, tenant=None: (
            Raw(f"<{slack_escape(address(path, tenant))}|Open this on the ladder's web page>") if base else ""
        )
        self._terminal.globals["page_link"] = lambda path, tenant=None: f"On the web: {address(path, tenant)}" if base else ""
        self._prose = Environment(
            loader=PackageLoader("messages", "templates/prose"),
            finalize=lambda value: "" if value is None else value if isinstance(value, Raw) else slack_escape(str(value)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        self._prose.filters.update(filters.FILTERS)
        self._memo: dict[tuple[Any, ...], Message] = {}
        self._memo_lock = threading.Lock()

    def message(self, template: str, **context: Any) -> Message:
        envelope, blocks = self._lines(self._slack, template, context)
        if "text" not in envelope:
            raise MessageInvalid(f'{template}: first line must be {{"text": ...}}')
        text = truncate(envelope["text"], MAX_FALLBACK_TEXT)
        blocks = fit_blocks(blocks, MAX_MESSAGE_BLOCKS)
        validate_message(text, blocks)
        return Message(text, blocks)

    def message_for(self, key: tuple[Any, ...] | None, template: str, **context: Any) -> Message:
        """:meth:`message`, remembered under ``key`` when given: for content that is the same for
        everyone (a level's description), so a popular question is rendered once, not every time."""
        if key is None:
            return self.message(template, **context)
        cached = self._memo.get(key)
        if cached is None:
            cached = self.message(template, **context)
            with self._memo_lock:
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.pop(next(iter(self._memo)))
                self._memo[key] = cached
        return cached

    def view(self, template: str, **context: Any) -> dict[str, Any]:
        envelope, blocks = self._lines(self._slack, template, context)
        if "view" not in envelope:
            raise MessageInvalid(f'{template}: first line must be {{"view": ...}}')
        view = {**envelope["view"], "blocks": fit_blocks(blocks, MAX_VIEW_BLOCKS)}
        validate_view(view)
        return view

    def prose(self, template: str, **context: Any) -> str:
        """mrkdwn text from ``templates/prose/<template>.j2``, every value escaped: the words inside Block Kit built in code."""
        return self._prose.get_template(f"{template}.j2").render(**context).strip()

    def terminal(self, template: str, **context: Any) -> str:
        """The same content as :meth:`message`, unescaped and laid out as plain text."""
        envelope, blocks = self._lines(self._terminal, template, context)
        return blocks_to_text(blocks) or envelope.get("text", "")

    @staticmethod
    def _lines(env: Environment, template: str, context: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rendered = env.get_template(f"{template}.j2").render(**context)
        values = []
        for number, line in enumerate(rendered.split("\n"), 1):  # not splitlines(): U+2028 is not a line break here
            if not line.strip():
                continue
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise MessageInvalid(f"{template}: rendered line {number} is not JSON: {exc}: {line[:200]}") from exc
        if not values:
            raise MessageInvalid(f"{template}: rendered nothing")
        blocks = values[1:]
        if context.get("also_meant") and template != _ALSO_MEANT:  # an answer for several levels says so under its header
            at = next((i + 1 for i, block in enumerate(blocks[:2]) if block.get("type") == "header"), 0)
            blocks[at:at] = Renderer._lines(env, _ALSO_MEANT, context)[1]
        return values[0], blocks


_ALSO_MEANT = "_also_meant"
"""Blocks added to any answer given once for a phrase that names several levels (``also_meant`` in its context)."""
