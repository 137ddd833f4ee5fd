"""A tenant's data erased whole (every row of every table it owns): at once by ``ladder workspace erase``, or by the
clock's daily retention run once it has been inactive (uninstalled, its bot token revoked) for longer than
``retention.uninstalled_workspace_days``.

Each batch is its own transaction of at most ``batch_rows`` rows, so an erase never holds the database for long, and
one stopped half-way is finished by the next run (the tenant's own row goes last).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.framework.model import RetentionPolicy
from storage.repositories.tenant_data import TenantData
from storage.repositories.tenants import ACTIVE, Tenants
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.retention")

BATCH_ROWS = 500
"""Rows one statement (one transaction) deletes at most."""
BATCHES_PER_RUN = 200
"""Batches one tenant's erase takes at most in a run of the clock's daily job; what is left goes the next day."""


@dataclass
class Erased:
    """What went (or would go) of one tenant: rows per table, and whether some are left after a bounded run."""

    tenant: str
    rows: dict[str, int] = field(default_factory=dict)
    more: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def preview(engine: Engine, tenant: str) -> Erased:
    """What :func:`erase` would delete now, counted in one read-only snapshot; nothing is written."""
    with unit_of_work(engine, reads_only=True) as work:
        return Erased(tenant, TenantData(work.session, tenant).count())


def erase(engine: Engine, tenant: str, *, batch_rows: int = BATCH_ROWS, max_batches: int | None = None) -> Erased:
    """Delete every row ``tenant`` owns, in batches (``max_batches``; None: until nothing is left), while it stays
    inactive: each batch first checks, in its own transaction, that it was not installed again meanwhile (then it
    stops, and ``more`` says rows are left)."""
    erased, batches = Erased(tenant), 0
    while max_batches is None or batches < max_batches:
        with unit_of_work(engine) as work:
            row = Tenants(work.session).get(tenant)
            if row is not None and row.status == ACTIVE:
                log.warning("erase stopped: the workspace was installed again", extra={"tenant": tenant})
                erased.more = True
                return erased
            batch = TenantData(work.session, tenant).remove_batch(batch_rows)
        if batch is None:
            return erased
        table, n = batch
        erased.rows[table] = erased.rows.get(table, 0) + n
        batches += 1
    erased.more = bool(preview(engine, tenant).total)
    return erased


def due_for_erasure(engine: Engine, policy: RetentionPolicy, now: datetime) -> list[str]:
    """Tenants inactive for longer than the policy keeps an uninstalled workspace's data."""
    with unit_of_work(engine, reads_only=True) as work:
        return Tenants(work.session).inactive_since_before(now - timedelta(days=policy.uninstalled_workspace_days))


def erase_uninstalled(
    engine: Engine,
    policy: RetentionPolicy,
    now: datetime,
    *,
    max_batches: int | None = BATCHES_PER_RUN,
    tenants: list[str] | None = None,
) -> list[Erased]:
    """The clock's daily part: every tenant past its period (``tenants``, when the caller asked already) erased, each
    bounded by ``max_batches``. A tenant installed again meanwhile is active, so it is not among them (one reinstalled
    while its erase runs keeps what is left)."""
    outcomes = []
    for tenant in due_for_erasure(engine, policy, now) if tenants is None else tenants:
        erased = erase(engine, tenant, max_batches=max_batches)
        outcomes.append(erased)
        log.warning(
            "uninstalled workspace's data erased after its retention period",
            extra={"tenant": tenant, "rows": erased.total, "more": erased.more},
        )
    return outcomes
