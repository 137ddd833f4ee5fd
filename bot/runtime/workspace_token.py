"""Single-workspace mode's bot token (SLACK_BOT_TOKEN) against what the database knows of uninstalls.

Once Ladder is uninstalled (or its bot token revoked) in single-workspace mode, the workspace's tenant row keeps the
sha256 of the token that died (:meth:`storage.repositories.tenants.Tenants.deactivated`). A process configured with that
token calls Slack with it no more — not even ``auth.test`` (:class:`bot.runtime.identity.SlackIdentity` asks
:meth:`WorkspaceToken.revoked` first) — and says so: one log line when ``ladder serve`` starts, and the health report.
A process configured with a new token (the operator reinstalled Ladder and set it) learns its workspace from
``auth.test`` as ever; if that workspace was left inactive by an uninstall, it is made active again, so its held
messages go, each once (:meth:`WorkspaceToken.learned`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from sqlalchemy import Engine

from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.identity")

REVOKED = "SLACK_BOT_TOKEN was revoked by an uninstall: reinstall Ladder and set SLACK_BOT_TOKEN to the new bot token"
"""What the health report says of such a token."""


class WorkspaceToken:
    """The identity's guard in single-workspace mode (:class:`bot.runtime.identity.TokenGuard`)."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        self.reactivated: Callable[[str], None] = lambda team_id: None
        """Told the workspace made active again (the tenancy forgets what it knew of it, so its messages go now)."""

    def revoked(self, token: str) -> bool | None:
        with unit_of_work(self._engine, reads_only=True) as work:
            return Tenants(work.session).revoked_by(token) is not None

    def learned(self, team_id: str, token: str) -> None:
        with unit_of_work(self._engine) as work:
            again = Tenants(work.session).reactivated(team_id, token=token, at=self._now())
        if again:
            log.warning("workspace active again with a new bot token: its held messages are sent now", extra={"team": team_id})
            self.reactivated(team_id)


def revoked_notice(engine: Engine, token: str | None) -> str | None:
    """One line for the operator when ``token`` is one an uninstall revoked, else None."""
    if not token:
        return None
    with unit_of_work(engine, reads_only=True) as work:
        tenant = Tenants(work.session).revoked_by(token)
    if tenant is None:
        return None
    why = tenant.inactive_reason or "uninstalled"
    since = f" on {tenant.inactive_since:%Y-%m-%d %H:%M} UTC" if tenant.inactive_since else ""
    return (
        f"SLACK_BOT_TOKEN was revoked when Ladder was uninstalled from workspace {tenant.id} ({why}{since}): no Slack call "
        "is made with it and nothing is sent; reinstall Ladder in that workspace and set SLACK_BOT_TOKEN to the new bot token"
    )
