"""The evidence log in Slack: the "Save as evidence" message shortcut, /ladder evidence and deleting an item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import LadderError
from bot.nominations.evidence import COMPETENCIES, NOTE, SUBJECT, Evidence, SavedMessage
from bot.questions.vocabulary import competency_named
from handlers.context import team_and_user
from handlers.deliveries import replace_pressed
from handlers.nominations import nominations_of
from messages import nominations as views
from messages.blocks import metadata_id, notice_view, read_metadata
from messages.state import values_of


def _evidence(context: BoltContext) -> Evidence:
    return Evidence(nominations_of(context))


def shortcut(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """On any message: ask for the permalink (best effort: a channel Ladder cannot see has none) and open the modal."""
    ack()
    _, user_id = team_and_user(context, body)
    channel = str((body.get("channel") or {}).get("id") or "") or None
    ts = str((body.get("message") or {}).get("ts") or body.get("message_ts") or "") or None
    permalink = _permalink(client, channel, ts)
    framework = nominations_of(context).framework
    client.views_open(
        trigger_id=body["trigger_id"],
        view=views.evidence_modal(framework, author=user_id, permalink=permalink, channel=channel, ts=ts),
    )


def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The message is named by the modal's ``private_metadata``; its permalink is asked of Slack again, never read from
    there (a crafted payload could put any link in it)."""
    team_id, user_id = team_and_user(context, body)
    values, where = values_of(view), read_metadata(view.get("private_metadata"))
    channel, ts = _str(where.get("channel")), _str(where.get("ts"))
    message = SavedMessage(channel=channel, ts=ts, permalink=_permalink(client, channel, ts))
    item = _evidence(context).save(
        team_id, user_id, str(view.get("id") or ""), message, subject=values.get(SUBJECT), note=str(values.get(NOTE) or ""),
        competencies=list(values.get(COMPETENCIES) or []),
    )  # fmt: skip
    about = "your" if item.subject == user_id else f"<@{item.subject}>'s"
    ack(response_action="update", view=notice_view("Save as evidence", views.answered(f"Saved in {about} evidence log.")))


def command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder evidence [competency]"""
    team_id, user_id = team_and_user(context, body)
    evidence = _evidence(context)
    framework = nominations_of(context).framework
    competency = competency_named(framework, " ".join(words)) if words else None
    if words and competency is None:
        known = ", ".join(c.name for c in framework.competencies)
        raise LadderError(f"“{' '.join(words)}” is not a competency in your framework. Try one of: {known}.")
    items = evidence.visible_to(team_id, user_id, competency.id if competency else None)
    ack(response_type="ephemeral", **views.evidence_list(framework, items, viewer=user_id, competency=competency).as_kwargs())


def delete(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    evidence = _evidence(context)
    evidence.delete(team_id, user_id, metadata_id(action.get("value"), "evidence"))
    framework = nominations_of(context).framework
    if body.get("container", {}).get("type") == "message":
        evidence.repo.flush()
        replace_pressed(
            context,
            body,
            respond,
            views.evidence_list(framework, evidence.visible_to(team_id, user_id), viewer=user_id, competency=None),
        )


def _permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    """Slack's link to the message (best effort: a channel Ladder cannot see has none)."""
    if not (channel and ts):
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError:
        return None


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None
