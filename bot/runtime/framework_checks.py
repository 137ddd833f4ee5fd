"""The check of a framework file an admin uploaded to Ladder in Slack, run by the outbox sender when it composes the
check's result (never in the request, which Slack gives three seconds): the file downloaded with the tenant's token,
checked against the framework in force, and the checked text kept for Publish (:class:`FrameworkUploads`), which
publishes exactly that."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Mapping

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.framework.loader import MAX_FILE_BYTES
from bot.framework.model import Framework
from bot.framework.publishing import candidate
from handlers.slack_lookups import download_shared_file
from messages import frameworks as views
from storage.repositories.framework_uploads import FrameworkUploads
from storage.unit_of_work import unit_of_work


def check_upload(
    engine: Engine, client: WebClient, team_id: str, in_force: Framework, upload: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """What the check's message shows (:func:`messages.frameworks.check_context`) of the file ``upload`` names (an
    outbox row's context: ``key``, ``file``, ``uploader``); a file that could not be downloaded is one refusal line."""
    file = upload.get("file") if isinstance(upload.get("file"), dict) else {}
    assert isinstance(file, dict)
    name = str(file.get("name") or "the file")[:200]
    data = download_shared_file(client, file, limit=MAX_FILE_BYTES)
    if isinstance(data, str):
        return {"name": name, "refused": f"{name}: {data}"}
    offered = candidate(data, name, in_force)
    digest = None
    if offered.publishable and offered.text:
        digest = hashlib.sha256(offered.text.encode("utf-8")).hexdigest()
        with unit_of_work(engine) as work:
            FrameworkUploads(work.session).checked(
                team_id, str(upload.get("key") or ""), source=name, text=offered.text, digest=digest,
                by=str(upload.get("uploader") or ""), at=now,
            )  # fmt: skip
    about = views.check_context(
        name=name, digest=digest,
        errors=[p.format(name) for p in offered.check.errors], warnings=[p.format(name) for p in offered.check.warnings],
        changes=[c.line() for c in offered.changes],
        framework=f"{offered.framework.name}, {offered.framework.citation}" if offered.framework else None,
        in_force=f"published version {in_force.published} ({in_force.citation})" if in_force.published else "the default framework",
    )  # fmt: skip
    return {**about, "key": upload.get("key")}
