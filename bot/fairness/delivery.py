"""The fairness audit delivered in Slack: what is queued, for whom, and when.

- When a cycle closes, each admin gets a direct message with the audit's summary (:data:`FAIRNESS_REPORT`), the
  chart of promotion rates by group (:data:`FAIRNESS_CHART`, a PNG uploaded with files_upload_v2) and the whole report
  as a Markdown file (:data:`FAIRNESS_DOCUMENT`, as `ladder fairness report` prints it); once there are two cycles or
  more, also the chart of each group's promotion rate across them (:data:`FAIRNESS_TREND`).
- When a review panel's decisions of a cycle are all published, its chair gets their own panel's calibration
  (:data:`PANEL_CALIBRATION`).

Everything goes through the durable outbox, keyed so that each recipient gets each message once, however often the
close or the publication runs (a retry, a double click, a crash between): the outbox writes a key once, in the same
transaction as the change that caused it. What the messages say is computed when they are sent (the composer, in
:mod:`bot.runtime.composer`), and only if the recipient may read it then (an admin; the panel's chair).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from bot.fairness.calibration import Calibration, panel_calibration
from bot.fairness.load import load_all_cycle_facts, load_cycle_facts
from bot.fairness.report import FairnessReport, build_report
from bot.fairness.trend import Trend, build_trend
from bot.framework.model import Framework
from storage.models import PromotionCycle
from storage.repositories.outbox import Outbox

FAIRNESS_REPORT = "fairness_report"
FAIRNESS_CHART = "fairness_chart"
FAIRNESS_DOCUMENT = "fairness_document"
FAIRNESS_TREND = "fairness_trend"
PANEL_CALIBRATION = "panel_calibration"


def report_key(cycle_id: int, admin: str) -> str:
    return f"fairness-report:{cycle_id}:{admin}"


def chart_key(cycle_id: int, admin: str) -> str:
    return f"fairness-chart:{cycle_id}:{admin}"


def chart_filename(cycle_id: int) -> str:
    """The chart's file name, the same each time it is rendered: a sender that lost Slack's answer finds the upload by it."""
    return f"fairness-promotion-rates-cycle-{cycle_id}.png"


def document_key(cycle_id: int, admin: str) -> str:
    return f"fairness-document:{cycle_id}:{admin}"


def document_filename(cycle_id: int) -> str:
    return f"fairness-report-cycle-{cycle_id}.md"


def trend_key(cycle_id: int, admin: str) -> str:
    return f"fairness-trend:{cycle_id}:{admin}"


def trend_filename(cycle_id: int) -> str:
    return f"fairness-trend-to-cycle-{cycle_id}.png"


def calibration_key(cycle_id: int, panel_id: int, chair: str) -> str:
    return f"panel-calibration:{cycle_id}:{panel_id}:{chair}"


def to_admins(
    outbox: Outbox, team_id: str, cycle_id: int, admins: Iterable[str], now: datetime, *, with_trend: bool = False
) -> int:
    """Queue the cycle's audit for each admin: the summary, the chart, the whole report and, ``with_trend`` (the cycle is
    not the team's first), the trend. Returns how many messages this call wrote
    (none when they were queued already)."""
    messages: list[tuple[str, str, str, dict[str, Any]]] = []
    for admin in sorted(set(admins)):
        messages.append((report_key(cycle_id, admin), FAIRNESS_REPORT, admin, {"cycle_id": cycle_id}))
        messages.append(
            (chart_key(cycle_id, admin), FAIRNESS_CHART, admin, {"cycle_id": cycle_id, "filename": chart_filename(cycle_id)})
        )
        messages.append(
            (
                document_key(cycle_id, admin),
                FAIRNESS_DOCUMENT,
                admin,
                {"cycle_id": cycle_id, "filename": document_filename(cycle_id)},
            )
        )
        if with_trend:
            messages.append(
                (trend_key(cycle_id, admin), FAIRNESS_TREND, admin, {"cycle_id": cycle_id, "filename": trend_filename(cycle_id)})
            )
    return outbox.enqueue_many(team_id, messages, due_at=now) if messages else 0


def to_chairs(outbox: Outbox, team_id: str, cycle_id: int, chairs: Iterable[tuple[int, str]], now: datetime) -> int:
    """Queue each panel's calibration for its chair (``chairs``: panel id and chair). Returns how many this call wrote."""
    messages = [
        (calibration_key(cycle_id, panel_id, chair), PANEL_CALIBRATION, chair, {"cycle_id": cycle_id, "panel_id": panel_id})
        for panel_id, chair in sorted(set(chairs))
    ]
    return outbox.enqueue_many(team_id, messages, due_at=now) if messages else 0


def cycle_audit(session: Session, framework: Framework, cycle: PromotionCycle, now: datetime) -> FairnessReport:
    """The fairness report of ``cycle`` as the admins are sent it (read on its own snapshot, like `ladder fairness
    report`). A closed cycle's report is kept for :data:`REPORT_REUSE`: the summary, chart and document each admin is
    sent at its close are then one computation, not three per admin."""
    engine = _engine_of(session)
    key = (cycle.team_id, cycle.id, cycle.name, cycle.closed_at)
    if cycle.closed_at is not None:
        kept = _recent.get(engine, framework, key, now)
        if kept is not None:
            return kept
    facts = load_cycle_facts(engine, framework, cycle.team_id, cycle.name, now)
    report = build_report(facts, framework, now=now)
    if cycle.closed_at is not None:
        _recent.put(engine, framework, key, report, now)
    return report


REPORT_REUSE = timedelta(minutes=2)
"""Long enough for the sender to send every admin their audit of one close; short enough that group data changed since
(someone's own answers) shows in a later send."""


class _Recent:
    """A few reports, each for :data:`REPORT_REUSE` (threads share it: the sender and the clock's), each kept with the
    database engine and framework it was made with: another database or framework never reads it."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._kept: list[tuple[Any, Framework, tuple[Any, ...], datetime, FairnessReport]] = []
        self._lock = threading.Lock()

    def get(self, engine: Any, framework: Framework, key: tuple[Any, ...], now: datetime) -> FairnessReport | None:
        with self._lock:
            for kept_engine, kept_framework, kept_key, at, report in self._kept:
                if kept_engine is engine and kept_framework is framework and kept_key == key:
                    return report if timedelta(0) <= now - at <= REPORT_REUSE else None
            return None

    def put(self, engine: Any, framework: Framework, key: tuple[Any, ...], report: FairnessReport, now: datetime) -> None:
        with self._lock:
            self._kept = [k for k in self._kept if not (k[0] is engine and k[1] is framework and k[2] == key)]
            self._kept.append((engine, framework, key, now, report))
            del self._kept[: -self._size]


_recent = _Recent()


def trend_to(session: Session, framework: Framework, cycle: PromotionCycle, now: datetime) -> Trend:
    """Every cycle of the team that opened no later than ``cycle``, earliest first (the trend as it stood at its close)."""
    every = load_all_cycle_facts(_engine_of(session), framework, cycle.team_id, now)
    return build_trend([f for f in every if f.opens_on <= cycle.opens_on], framework, now=now)


def chair_calibration(session: Session, framework: Framework, cycle: PromotionCycle, panel_id: int, now: datetime) -> Calibration:
    """One panel's calibration of ``cycle``, for its chair (not available while a decision awaits publication)."""
    facts = load_cycle_facts(_engine_of(session), framework, cycle.team_id, cycle.name, now)
    return panel_calibration(facts, framework, panel_id)


def chairs_to_tell(cases: Iterable[Any]) -> list[tuple[int, str]]:
    """After a publication: each review panel that decided nominations of the cycle, with its chair — once nothing of the
    cycle is left for a panel to decide or publish (a decision unpublished, a nomination scored but undecided), as
    :func:`bot.fairness.calibration.not_available_because` wants; else nobody yet (a later publication tells them)."""
    cases = list(cases)
    if any(c.decision is not None and c.decision.published_at is None for c in cases):
        return []
    if any(c.decision is None and c.scores for c in cases):
        return []
    return sorted(
        {(c.panel.id, c.panel.chair) for c in cases if c.decision is not None and c.panel is not None and c.panel.id is not None}
    )


def _engine_of(session: Session) -> Engine:
    """The engine the session reads through (the audit reads on a snapshot of its own, not in the session)."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind
