"""/ladder routes by its first word; everything else stays a question."""

from __future__ import annotations

from html import unescape
from typing import Any, Callable

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from handlers import admins, checkins, evidence, growth, nominations, panels, questions
from handlers.context import services_of, tenant_of

Subcommand = Callable[..., None]

SUBCOMMANDS: dict[str, Subcommand] = {
    "checkin": checkins.command,
    "check-in": checkins.command,
    "mentor": growth.mentor_command,
    "stretch": growth.stretch_command,
    "nominate": nominations.command,
    "nominations": nominations.list_command,
    "evidence": evidence.command,
    "admins": admins.command,
    "digest": panels.digest_command,
    "cycle": panels.cycle_command,
    "panel": panels.panel_command,
}
USAGE = (
    ("/ladder checkin", "check in now: how it went, where you stand against your next level, your goals"),
    (
        "/ladder checkin settings",
        "how often you are asked (or /ladder checkin weekly, biweekly, monthly, quarterly, off), on which day, and time away",
    ),
    ("/ladder mentor", "offer to mentor others, with the competencies you can help with"),
    ("/ladder stretch", "post a time-bound stretch opportunity"),
    ("/ladder nominate @person", "start a promotion nomination (yourself, a report, or anyone as an admin)"),
    ("/ladder nominations", "nominations you started, reviews asked of you, and your own nominations' stages"),
    ("/ladder evidence [competency]", "your evidence log (save a message with its ⋮ menu → Save as evidence)"),
    ("/ladder cycle [name]", "admins: set up a promotion cycle's dates, or edit the one named"),
    ("/ladder panel", "admins: set up a review panel (chair, members, channel, scope)"),
    ("/ladder digest [panel]", "post the review digest of the panels you sit on (an admin: any panel) now"),
    ("/ladder admins", "who administers Ladder; admins add others with /ladder admins add @person"),
    ("/ladder help", "this list"),
)


READING = frozenset({"mentor", "stretch", "nominations", "evidence"})
"""Sub-commands that only list, or only open a modal."""


def reads_only(text: str) -> bool:
    """Whether ``/ladder TEXT`` only reads (:func:`handlers.reads_only`): a question, a listing, or a modal opened."""
    words = text.split()
    first = words[0].lower() if words else ""
    if first in ("checkin", "check-in"):
        return len(words) == 1 or words[1].lower() in checkins.START_WORDS
    return first in READING or first not in SUBCOMMANDS


def slash_command(ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    # The command escapes its text (so people picked from the @ list arrive as <@U…|name>, and what was typed has its
    # &, < and > escaped): every route reads it unescaped, once, here.
    typed = command.get("text")
    text = unescape(typed) if isinstance(typed, str) else ""
    words = text.split()
    first = words[0].lower() if words else ""
    if first == "help" and len(words) == 1:
        ack(response_type="ephemeral", **_help(context, command).as_kwargs())
        return
    route = SUBCOMMANDS.get(first)
    if route is None:
        questions.slash_command(ack, {**command, "text": text}, context)
        return
    route(ack=ack, body={**body, "text": text}, context=context, client=client, words=[w.lower() for w in words[1:]])


def _help(context: BoltContext, command: dict[str, Any]) -> Any:
    services = services_of(context)
    reply = services.careers.ask("help", team_id=tenant_of(context, command), user_id=command.get("user_id"))
    return services.renderer.message(reply.template, **reply.context, commands=USAGE)
