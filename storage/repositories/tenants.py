"""The tenants Ladder serves (installed workspaces and org-wide enterprises) and the workspaces each spans, inside the
caller's unit of work. A tenant's id is what every other table's ``team_id`` holds."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Sequence

from sqlalchemy import desc, or_, update
from sqlmodel import Session, col, select

from storage.models import Tenant, TenantWorkspace
from storage.repositories.once import insert_once

ACTIVE, INACTIVE = "active", "inactive"
InstallationKeys = tuple[str | None, str | None, bool]
"""What slack_sdk's installation store finds a bot by: (enterprise id, workspace id, installed org-wide)."""
TenantState = tuple[str, datetime]
"""A tenant's status and when it was installed last: a change in either means its cached token may be dead."""
UNINSTALLED_REASONS = ("app_uninstalled", "tokens_revoked")
"""Why a tenant is inactive when Slack made its token dead (not an operator's erase)."""


def token_digest(token: str) -> str:
    """What a tenant row keeps of a revoked bot token: its sha256, in hex (never the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Tenants:
    def __init__(self, session: Session) -> None:
        self._session = session

    def installed(
        self,
        tenant_id: str,
        *,
        at: datetime,
        enterprise_id: str | None = None,
        org_wide: bool = False,
        name: str = "",
        installed_by: str | None = None,
    ) -> bool:
        """Record an installation (again): active from now, whoever installed it last named. True when the tenant is new."""
        added = insert_once(
            self._session,
            Tenant(
                id=tenant_id, enterprise_id=enterprise_id, org_wide=org_wide, name=name, installed_by=installed_by,
                installed_at=at,
            ),
            ["id"],
        )  # fmt: skip
        if not added:
            self._session.execute(
                update(Tenant)
                .where(col(Tenant.id) == tenant_id)
                .values(
                    status=ACTIVE,
                    inactive_since=None,
                    inactive_reason=None,
                    installed_at=at,
                    enterprise_id=enterprise_id,
                    org_wide=org_wide,
                    **({"name": name} if name else {}),
                    **({"installed_by": installed_by} if installed_by else {}),
                )  # fmt: skip
            )
        if not org_wide:
            self.spans(tenant_id, tenant_id, name)
        return added

    def deactivated(self, tenant_id: str, *, reason: str, at: datetime, revoked_token: str | None = None) -> bool:
        """From now on nothing is sent for it (an uninstall, revoked tokens); True when it was active until now. A tenant
        with no row yet (single-workspace mode, where no install wrote one) gets one, inactive; done again, nothing
        changes (its ``inactive_since`` stays the first time). ``revoked_token``: single-workspace mode's configured
        token, dead from now on; its digest is kept, so no process configured with it calls Slack with it again."""
        digest = token_digest(revoked_token) if revoked_token else None
        added = insert_once(
            self._session,
            Tenant(
                id=tenant_id, status=INACTIVE, installed_at=at, inactive_since=at, inactive_reason=reason[:40],
                revoked_token_digest=digest,
            ),
            ["id"],
        )  # fmt: skip
        if added:
            return True
        changed = self._session.exec(
            update(Tenant)
            .where(col(Tenant.id) == tenant_id, col(Tenant.status) == ACTIVE)
            .values(status=INACTIVE, inactive_since=at, inactive_reason=reason[:40])
        )
        if digest is not None:
            self._session.exec(update(Tenant).where(col(Tenant.id) == tenant_id).values(revoked_token_digest=digest))
        return bool(changed.rowcount)

    def revoked_by(self, token: str) -> Tenant | None:
        """The tenant an uninstall (or revocation) in single-workspace mode took this bot token from, if any."""
        return self._session.exec(
            select(Tenant).where(col(Tenant.revoked_token_digest) == token_digest(token)).order_by(col(Tenant.id))
        ).first()

    def reactivated(self, tenant_id: str, *, token: str, at: datetime) -> bool:
        """Single-workspace mode, started with a bot token Slack says works for ``tenant_id``: active again if it was
        inactive because Slack took its token (an uninstall, a revocation), and not of this very token (an uninstall
        that arrived meanwhile). True when it was made active (its held messages go then)."""
        changed = self._session.exec(
            update(Tenant)
            .where(
                col(Tenant.id) == tenant_id,
                col(Tenant.status) == INACTIVE,
                col(Tenant.inactive_reason).in_(UNINSTALLED_REASONS),
                or_(col(Tenant.revoked_token_digest).is_(None), col(Tenant.revoked_token_digest) != token_digest(token)),
            )
            .values(status=ACTIVE, inactive_since=None, inactive_reason=None, installed_at=at)
        )
        return bool(changed.rowcount)

    def spans(self, team_id: str, tenant_id: str, name: str = "") -> bool:
        """Record that the workspace ``team_id`` belongs to ``tenant_id``; True when it was not known to. A workspace
        known to belong to a tenant that is no longer active (it was its own tenant, then uninstalled; its enterprise
        has installed Ladder org-wide since) belongs to ``tenant_id`` from now on; one whose tenant is active keeps it
        (a workspace-level install inside an enterprise stays its own tenant)."""
        if insert_once(self._session, TenantWorkspace(team_id=team_id, tenant_id=tenant_id, name=name), ["team_id"]):
            return True
        current = self.tenant_of_workspace(team_id)
        if current is None or current == tenant_id or self._is_active(current):
            return False
        self._session.execute(
            update(TenantWorkspace)
            .where(col(TenantWorkspace.team_id) == team_id, col(TenantWorkspace.tenant_id) == current)
            .values(tenant_id=tenant_id, **({"name": name} if name else {}))
        )
        return True

    def active_tenant_named(self, given: str) -> str | None:
        """The active tenant ``given`` names: itself, else the tenant its workspace belongs to, else the enterprise
        installed org-wide that its (inactive) workspace-level install was inside; None when none of them is active."""
        own = self.get(given)
        if own is not None and own.status == ACTIVE:
            return given
        mapped = self.tenant_of_workspace(given)
        if mapped is not None and mapped != given and self._is_active(mapped):
            return mapped
        enterprise = self.get(own.enterprise_id) if own is not None and own.enterprise_id else None
        if enterprise is not None and enterprise.org_wide and enterprise.status == ACTIVE:
            return enterprise.id
        return None

    def _is_active(self, tenant_id: str) -> bool:
        row = self.get(tenant_id)
        return row is not None and row.status == ACTIVE

    def get(self, tenant_id: str) -> Tenant | None:
        return self._session.get(Tenant, tenant_id)

    def tenant_of_workspace(self, team_id: str) -> str | None:
        """The tenant a workspace belongs to, if it is known."""
        return self._session.exec(select(TenantWorkspace.tenant_id).where(col(TenantWorkspace.team_id) == team_id)).first()

    def workspaces(self, tenant_id: str) -> list[str]:
        return list(
            self._session.exec(
                select(TenantWorkspace.team_id)
                .where(col(TenantWorkspace.tenant_id) == tenant_id)
                .order_by(col(TenantWorkspace.team_id))
            )
        )

    def all(self) -> Sequence[Tenant]:
        return self._session.exec(select(Tenant).order_by(col(Tenant.id))).all()

    def inactive_ids(self) -> list[str]:
        return list(self._session.exec(select(Tenant.id).where(col(Tenant.status) == INACTIVE)))

    def states(self) -> dict[str, TenantState]:
        """Every tenant's status and last install time: what each process polls to notice an uninstall or a reinstall
        made elsewhere."""
        rows = self._session.exec(select(Tenant.id, Tenant.status, Tenant.installed_at))
        return {tenant: (status, installed_at) for tenant, status, installed_at in rows}

    def installation_keys(self, tenant_id: str, client_id: str | None = None) -> InstallationKeys | None:
        """The keys Slack's installation store finds ``tenant_id``'s bot by: from its tenant row, else from the store's
        bots (a workspace's install, perhaps inside an enterprise, or an enterprise's org-wide one) of app ``client_id``
        (any app when None); None when neither knows the tenant."""
        row = self.get(tenant_id)
        if row is not None:
            return row.enterprise_id, None if row.org_wide else tenant_id, bool(row.org_wide)
        bots = Tenant.metadata.tables["slack_bots"]  # slack_sdk's table (storage/slack_tables.py), by name: no Slack import
        of_app = [] if client_id is None else [bots.c.client_id == client_id]
        found = self._session.execute(
            select(bots.c.enterprise_id, bots.c.team_id, bots.c.is_enterprise_install)
            .where(*of_app, or_(bots.c.team_id == tenant_id, (bots.c.enterprise_id == tenant_id) & bots.c.is_enterprise_install))
            .order_by(desc(bots.c.installed_at))
            .limit(1)
        ).first()
        if found is None:
            return None
        enterprise, team, org_wide = found
        return (enterprise, None, True) if org_wide and team != tenant_id else (enterprise, tenant_id, False)

    def inactive_since_before(self, cutoff: datetime) -> list[str]:
        """Tenants inactive since before ``cutoff``: their retention period is over, their data is erased."""
        return list(
            self._session.exec(
                select(Tenant.id)
                .where(col(Tenant.status) == INACTIVE, col(Tenant.inactive_since) < cutoff)
                .order_by(col(Tenant.inactive_since), col(Tenant.id))
            )
        )
