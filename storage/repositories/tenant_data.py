"""Every row one tenant owns, in every table: what ``ladder workspace erase`` and the retention of uninstalled workspaces
delete, in bounded batches, and what a dry run counts.

The tables are those of :data:`SQLModel.metadata` (so a table added later is covered without a change here): each one
with a ``team_id`` column (a tenant's id there), ``tenant`` (its row), ``tenant_workspace`` (the workspaces it spans) and
Slack's installation rows (``slack_installations``, ``slack_bots``: the workspace's own, or the enterprise's org-wide
ones). Rows that hang from others go first (PostgreSQL checks foreign keys), the ``tenant`` row last: an erase stopped
half-way leaves the tenant there, inactive, to be finished by the next run.
"""

from __future__ import annotations

from typing import Iterator

from sqlalchemy import ColumnElement, Table, and_, delete, func, or_, select, true, tuple_
from sqlmodel import Session, SQLModel

TENANT, TENANT_WORKSPACE = "tenant", "tenant_workspace"


def owned_by(table: Table, tenant: str) -> ColumnElement[bool] | None:
    """The condition for ``tenant``'s rows of ``table``; None for a table no tenant owns rows of (the clock's lease, the
    senders' heartbeats, OAuth states)."""
    if table.name == TENANT:
        return table.c.id == tenant
    if table.name == TENANT_WORKSPACE:
        return table.c.tenant_id == tenant
    if "is_enterprise_install" in table.c:  # Slack's installation rows: a workspace's, or an org-wide one (no team_id)
        return or_(table.c.team_id == tenant, and_(table.c.enterprise_id == tenant, table.c.is_enterprise_install == true()))
    if "team_id" in table.c:
        return table.c.team_id == tenant
    return None


def tables() -> list[Table]:
    """Every table a tenant owns rows of, in the order they are deleted: dependants first, the ``tenant`` row last."""
    found = [t for t in reversed(SQLModel.metadata.sorted_tables) if owned_by(t, "") is not None]
    return [t for t in found if t.name != TENANT] + [t for t in found if t.name == TENANT]


class TenantData:
    """One tenant's rows, in the caller's unit of work."""

    def __init__(self, session: Session, tenant: str) -> None:
        self._session = session
        self._tenant = tenant

    def count(self) -> dict[str, int]:
        """Rows per table (tables with none left out), in the order they would be deleted."""
        counts = {}
        for table, where in self._owned():
            n = int(self._session.execute(select(func.count()).select_from(table).where(where)).scalar_one())
            if n:
                counts[table.name] = n
        return counts

    def remove_batch(self, limit: int) -> tuple[str, int] | None:
        """Delete up to ``limit`` rows of the first table, in deletion order, that still holds some of the tenant's: that
        table and how many went; None when nothing of the tenant is left."""
        for table, where in self._owned():
            key = list(table.primary_key.columns)
            picked = select(*key).where(where).limit(limit)
            target = key[0].in_(picked) if len(key) == 1 else tuple_(*key).in_(picked)
            removed = self._session.exec(delete(table).where(target)).rowcount or 0
            if removed:
                return table.name, removed
        return None

    def _owned(self) -> Iterator[tuple[Table, ColumnElement[bool]]]:
        for table in tables():
            where = owned_by(table, self._tenant)
            assert where is not None
            yield table, where
