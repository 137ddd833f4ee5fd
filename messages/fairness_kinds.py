"""The fairness messages the outbox sends: the cycle's audit for admins (summary, chart, document, trend) and a
panel's calibration for its chair. Group data and judges' figures, computed at send time and only for a recipient who
may read them then (an admin no longer one, a chair replaced, gets nothing)."""

from __future__ import annotations

from functools import partial

from bot.admins import Admins
from bot.fairness.delivery import (
    FAIRNESS_CHART,
    FAIRNESS_DOCUMENT,
    FAIRNESS_REPORT,
    FAIRNESS_TREND,
    PANEL_CALIBRATION,
    chair_calibration,
    chart_filename,
    cycle_audit,
    document_filename,
    trend_filename,
    trend_to,
)
from messages import fairness_delivery as views
from messages.kinds import BULK, Gone, MessageKind, Reading
from messages.panels import FileUpload
from messages.render import Message


def _calibration(read: Reading) -> Message:
    cycle = read.row("PromotionCycle", read.context.get("cycle_id"))
    panel = read.row("Panel", read.context.get("panel_id"))
    if panel.chair != read.recipient:
        raise Gone("the recipient no longer chairs the panel")
    calibration = chair_calibration(read.session, read.framework, cycle, panel.id, read.now())
    mine = calibration.panel(panel.id)
    if not calibration.available or mine is None:
        raise Gone(f"no calibration to send: {calibration.reason or 'the panel scored nothing in the cycle'}")
    return views.calibration_message(read.renderer, mine, cycle_name=cycle.name, panel_name=panel.name)


def _audit(name: str, read: Reading) -> Message | FileUpload:
    cycle = read.row("PromotionCycle", read.context.get("cycle_id"))
    if read.recipient not in Admins(read.session, read.admins).of(read.team_id):
        raise Gone("the recipient is not an admin")
    filename = read.context.get("filename")
    if name == FAIRNESS_TREND:
        trend = trend_to(read.session, read.framework, cycle, read.now())
        if len(trend.reports) < 2:
            raise Gone("one cycle so far: no trend to draw")
        return views.trend_upload(trend, str(filename or trend_filename(cycle.id)))
    report = cycle_audit(read.session, read.framework, cycle, read.now())
    if name == FAIRNESS_CHART:
        return views.chart_upload(report, str(filename or chart_filename(cycle.id)))
    if name == FAIRNESS_DOCUMENT:
        return views.document_upload(report, str(filename or document_filename(cycle.id)))
    return views.report_message(read.renderer, report)


KINDS = (
    MessageKind(PANEL_CALIBRATION, _calibration, BULK),
    *(
        MessageKind(name, partial(_audit, name), BULK)
        for name in (FAIRNESS_REPORT, FAIRNESS_CHART, FAIRNESS_DOCUMENT, FAIRNESS_TREND)
    ),
)
