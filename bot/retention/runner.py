"""Apply the retention policy: each kind of record removed in bounded batches, one transaction per batch.

The clock runs :func:`apply` daily with a bound per run (what is left goes the next day); ``ladder retention run``
runs it until nothing due is left, and ``--dry-run`` runs :func:`preview`, which only counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.framework.model import RetentionPolicy
from bot.panels.digest import DIGEST_PRIVATE, PACKET
from bot.retention.policy import Due, due
from storage.repositories.retention import DECIDED_NOMINATIONS, EVERY_TEAM, NOMINATION_DRAFTS, RetentionRepository, TeamScope
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.retention")

BATCH_ROWS = 500
"""Rows one statement removes at most (a batch, one transaction)."""
NOMINATIONS_PER_BATCH = 50
"""Nominations one batch removes at most, each with its reviews, scores, decisions, appeal and audit trail."""
BATCHES_PER_RUN = 100
"""Batches of each kind one run of the clock's daily job takes at most; what is left goes the next day."""
HELD_WHILE_OPEN = (PACKET, DIGEST_PRIVATE)
"""Sent messages a take-back must still find while the nominations they are about are open (who was given a packet
or a private digest, to take it back from someone recused or off the panel since)."""


@dataclass
class Outcome:
    """What went (or would go) of one kind: rows by table, and whether some are still due after a bounded run."""

    due: Due
    rows: dict[str, int] = field(default_factory=dict)
    more: bool = False

    @property
    def count(self) -> int:
        """The kind's own rows (for nominations, the nominations; their dependent rows are in :attr:`rows`)."""
        return next(iter(self.rows.values()), 0)


def _repository(session: Session, scope: TeamScope) -> RetentionRepository:
    return RetentionRepository(session, held_while_open=HELD_WHILE_OPEN, scope=scope)


def preview(engine: Engine, policy: RetentionPolicy, now: datetime, *, scope: TeamScope = EVERY_TEAM) -> list[Outcome]:
    """What a run at ``now`` would remove of the tenants in ``scope``, counted in one read-only snapshot; nothing is
    written."""
    outcomes = [Outcome(d) for d in due(policy, now)]
    with unit_of_work(engine, reads_only=True) as work:
        repository = _repository(work.session, scope)
        for outcome in outcomes:
            if outcome.due.cutoff is not None:
                outcome.rows = repository.count(outcome.due.kind, outcome.due.cutoff)
    return outcomes


def apply(
    engine: Engine,
    policy: RetentionPolicy,
    now: datetime,
    *,
    batch_rows: int = BATCH_ROWS,
    nominations_per_batch: int = NOMINATIONS_PER_BATCH,
    max_batches: int | None = BATCHES_PER_RUN,
    scope: TeamScope = EVERY_TEAM,
) -> list[Outcome]:
    """Remove what is due at ``now`` of the tenants in ``scope``, kind by kind, each batch its own transaction
    (``max_batches`` per kind; None: until nothing due is left). Safe to interrupt between or within batches, and to run
    in two processes at once."""
    outcomes = []
    for item in due(policy, now):
        outcome = Outcome(item)
        outcomes.append(outcome)
        if item.cutoff is None:
            continue
        limit = nominations_per_batch if item.kind in (NOMINATION_DRAFTS, DECIDED_NOMINATIONS) else batch_rows
        after, batches = 0, 0
        while True:
            with unit_of_work(engine) as work:
                batch = _repository(work.session, scope).remove(item.kind, item.cutoff, limit, after=after)
            for table, n in batch.rows.items():
                outcome.rows[table] = outcome.rows.get(table, 0) + n
            after, batches = batch.after, batches + 1
            if batch.done:
                break
            if max_batches is not None and batches >= max_batches:
                outcome.more = True
                break
        if outcome.count or outcome.more:
            log.info(
                "records past their retention removed", extra={"kind": item.kind, "rows": outcome.rows, "more": outcome.more}
            )
    return outcomes
