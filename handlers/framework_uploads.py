"""A framework file an admin uploads to Ladder in a direct message: checked, the result sent back with Publish and
Cancel; Publish makes it the organisation's framework (once, however often it is pressed).

The file is downloaded with the request's bot token (Slack's ``files:read``), at most a framework's size, and only from
Slack's own file host (or the Web API's host a test or proxy configures): the token never goes anywhere else. Nothing
of the file is stored until it is published; the buttons carry the file's id and the digest of what was checked, and
Publish downloads it again and publishes it only if it is still what was checked.
"""

from __future__ import annotations

import hashlib
import logging
import urllib.error
import urllib.request
from typing import Any, Callable
from urllib.parse import urlsplit

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.admins import Admins
from bot.framework.loader import MAX_FILE_BYTES
from bot.framework.publishing import Candidate, candidate, publish
from handlers.context import services_of, session_of, team_and_user, tenant_of, work_of
from handlers.deliveries import deliver, replace_pressed
from messages import frameworks as views
from messages.blocks import read_metadata
from messages.framework_kinds import FRAMEWORK_CHECKED, FRAMEWORK_REFUSED

log = logging.getLogger(__name__)

SLACK_FILE_HOST = "files.slack.com"
DOWNLOAD_SECONDS = 10
NOT_ADMIN = "Only a Ladder admin can publish your organisation's framework. Ask one (/ladder admins lists them)."


def uploaded(event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A file shared in someone's direct messages with Ladder (a ``message.im`` event, subtype ``file_share``)."""
    team_id = tenant_of(context, body)
    user = event.get("user") if isinstance(event.get("user"), str) else ""
    files = [f for f in event.get("files") or () if isinstance(f, dict)]
    if not user or not files:
        return
    key = f"framework-upload:{body.get('event_id') or event.get('ts')}"
    if user not in Admins(session_of(context), services_of(context).admins).of(team_id):
        deliver(context, team_id, key, FRAMEWORK_REFUSED, user, {"reason": NOT_ADMIN})
        return
    if len(files) > 1:
        deliver(context, team_id, key, FRAMEWORK_REFUSED, user, {"reason": "Send one framework file at a time."})
        return
    file = files[0]
    name = str(file.get("name") or file.get("title") or "the file")
    data = _download(client, file)
    if isinstance(data, str):
        deliver(context, team_id, key, FRAMEWORK_REFUSED, user, {"reason": f"{name}: {data}"})
        return
    services = services_of(context)
    in_force = services.framework_for(team_id)
    offered = candidate(data, name, in_force)
    about = views.check_context(
        name=name, file_id=str(file.get("id") or ""), url=_url_of(file), digest=_digest(offered),
        errors=[p.format(name) for p in offered.check.errors], warnings=[p.format(name) for p in offered.check.warnings],
        changes=[c.line() for c in offered.changes],
        framework=f"{offered.framework.name}, {offered.framework.citation}" if offered.framework else None,
        in_force=f"published version {in_force.published} ({in_force.citation})" if in_force.published else "the default framework",
    )  # fmt: skip
    deliver(context, team_id, key, FRAMEWORK_CHECKED, user, about)


def publish_pressed(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, respond: Callable[..., object]) -> None:  # fmt: skip
    """Publish: the file downloaded again and published if it is what was checked; the message says which version."""
    ack()
    team_id, user = team_and_user(context, body)
    asked = read_metadata(action.get("value") if isinstance(action.get("value"), str) else None)
    name = str(asked.get("name") or "the file")[:200]
    if user not in Admins(session_of(context), services_of(context).admins).of(team_id):
        _refuse(context, body, team_id, user, NOT_ADMIN)
        return
    data = _download(client, {"url_private_download": asked.get("url")})
    if isinstance(data, str):
        _refuse(context, body, team_id, user, f"{name}: {data}")
        return
    services = services_of(context)
    offered = candidate(data, name, services.framework_for(team_id))
    if not offered.publishable or _digest(offered) != asked.get("digest"):
        replace_pressed(context, body, respond, views.refused(f"{name} changed since Ladder checked it: upload it again."))
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


def _digest(offered: Candidate) -> str | None:
    return hashlib.sha256(offered.text.encode("utf-8")).hexdigest() if offered.publishable and offered.text else None


def _url_of(file: dict[str, Any]) -> str:
    url = file.get("url_private_download") or file.get("url_private")
    return url if isinstance(url, str) else ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # the token goes to Slack's file host, nowhere else
        return None


def _download(client: WebClient, file: dict[str, Any]) -> bytes | str:
    """The file's bytes (at most one byte more than a framework may hold: the check refuses it by its size), or why
    Ladder could not download it (one line)."""
    size = file.get("size")
    if isinstance(size, int) and size > MAX_FILE_BYTES:
        return f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, more than a framework file can hold"
    url = _url_of(file)
    if not _from_slack(url, client.base_url):
        return "Ladder could not find the file in Slack; upload it again"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=DOWNLOAD_SECONDS) as response:
            if response.headers.get_content_type() == "text/html":  # Slack's sign-in page: the token may not read files
                return "Ladder may not read files in this workspace (it needs the files:read permission: reinstall it)"
            return response.read(MAX_FILE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("downloading an uploaded framework failed", extra={"error": type(exc).__name__})
        return "Ladder could not download the file from Slack; try again in a moment"


def _from_slack(url: str, api_url: str) -> bool:
    """Only Slack's file host over HTTPS (or the host of the Web API URL configured, for a test's fake Slack)."""
    found, api = urlsplit(url), urlsplit(api_url)
    if found.scheme == "https" and found.hostname == SLACK_FILE_HOST:
        return True
    return bool(found.hostname) and (found.scheme, found.netloc) == (api.scheme, api.netloc) and api.hostname != "slack.com"
