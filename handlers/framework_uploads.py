"""A framework file an admin uploads to Ladder in a direct message: checked, the result sent back with Publish and
Cancel; Publish makes it the organisation's framework (once, however often it is pressed).

The request that sees the upload only writes an outbox row (keyed by the event: Slack's retry writes nothing more) and
answers at once; the outbox sender downloads the file and checks it as it composes the result
(:mod:`messages.framework_kinds`), keeping the checked text. Publish publishes that text — never the file downloaded
again, which may have changed since — so it answers well inside Slack's three seconds.
"""

from __future__ import annotations

from typing import Any, Callable

from slack_bolt import Ack, BoltContext

from bot.admins import Admins
from bot.framework.publishing import candidate, publish
from handlers.context import services_of, session_of, team_and_user, tenant_of, work_of
from handlers.deliveries import deliver, replace_pressed
from messages import frameworks as views
from messages.blocks import read_metadata
from messages.framework_kinds import FRAMEWORK_REFUSED, FRAMEWORK_UPLOADED
from storage.repositories.framework_uploads import FrameworkUploads

NOT_ADMIN = "Only a Ladder admin can publish your organisation's framework. Ask one (/ladder admins lists them)."
FILE_FIELDS = ("id", "name", "title", "size", "url_private", "url_private_download")
"""What the outbox row keeps of Slack's description of the file: enough to download it."""


def uploaded(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """A file shared in someone's direct messages with Ladder (a ``message.im`` event, subtype ``file_share``)."""
    team_id = tenant_of(context, body)
    user = event.get("user") if isinstance(event.get("user"), str) else ""
    files = [f for f in event.get("files") or () if isinstance(f, dict)]
    if not user or not files:
        return
    key = f"framework-upload:{body.get('event_id') or event.get('ts')}"[:200]
    if user not in Admins(session_of(context), services_of(context).admins).of(team_id):
        deliver(context, team_id, key, FRAMEWORK_REFUSED, user, {"reason": NOT_ADMIN})
        return
    if len(files) > 1:
        deliver(context, team_id, key, FRAMEWORK_REFUSED, user, {"reason": "Send one framework file at a time."})
        return
    file = {field: files[0][field] for field in FILE_FIELDS if isinstance(files[0].get(field), (str, int))}
    file = {field: value[:1000] if isinstance(value, str) else value for field, value in file.items()}
    deliver(context, team_id, key, FRAMEWORK_UPLOADED, user, {"key": key, "file": file, "uploader": user})


def publish_pressed(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Callable[..., object]) -> None:  # fmt: skip
    """Publish: the text Ladder checked (kept when the check's message was composed) becomes the framework in force;
    the message says which version."""
    ack()
    team_id, user = team_and_user(context, body)
    asked = read_metadata(action.get("value") if isinstance(action.get("value"), str) else None)
    name = str(asked.get("name") or "the file")[:200]
    if user not in Admins(session_of(context), services_of(context).admins).of(team_id):
        _refuse(context, body, team_id, user, NOT_ADMIN)
        return
    kept = FrameworkUploads(session_of(context)).get(team_id, str(asked.get("key") or ""))
    if kept is None or kept.digest != asked.get("digest"):
        replace_pressed(context, body, respond, views.refused(f"Ladder no longer has {name} as it checked it: upload it again."))
        return
    services = services_of(context)
    offered = candidate(kept.text.encode("utf-8"), kept.source or name, services.framework_for(team_id))
    if not offered.publishable:  # checked against an earlier framework; a check is the same text's, so this is rare
        replace_pressed(context, body, respond, views.refused(offered.refusal()))
        return
    row, added = publish(session_of(context), team_id, offered, by=user, at=services.now())
    work_of(context).after_commit(services.frameworks.forget)
    assert offered.framework is not None
    framework = f"{offered.framework.name}, {offered.framework.citation}"
    replace_pressed(context, body, respond, views.published(name, row.version, framework, added=added))


def cancel_pressed(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Callable[..., object]) -> None:  # fmt: skip
    ack()
    asked = read_metadata(action.get("value") if isinstance(action.get("value"), str) else None)
    replace_pressed(context, body, respond, views.cancelled(str(asked.get("name") or "the file")[:200]))


def _refuse(context: BoltContext, body: dict[str, Any], team_id: str, user: str, reason: str) -> None:
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    pressed = actions[0].get("action_ts") if actions and isinstance(actions[0], dict) else None
    deliver(context, team_id, f"framework-refused:{user}:{pressed}", FRAMEWORK_REFUSED, user, {"reason": reason})
