"""Trends across cycles: each cycle's report (the same rates, ratios, tests and suppression), earliest first, and the
attributes' groups as they line up across them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.fairness.facts import CycleFacts
from bot.fairness.report import FairnessReport, GroupRow, build_report
from bot.framework.model import Framework


@dataclass(frozen=True, slots=True)
class TrendLine:
    """One attribute's group in each cycle (None where the cycle had nobody in it)."""

    attribute: str
    label: str
    group: str
    rows: tuple[GroupRow | None, ...]


@dataclass(frozen=True)
class Trend:
    reports: tuple[FairnessReport, ...]
    """One per cycle, the earliest to open first."""
    lines: tuple[TrendLine, ...]

    @property
    def cycle_names(self) -> tuple[str, ...]:
        return tuple(report.cycle_name for report in self.reports)


def build_trend(cycles: Sequence[CycleFacts], framework: Framework, *, now: datetime) -> Trend:
    reports = tuple(build_report(facts, framework, now=now) for facts in cycles)
    keys: dict[tuple[str, str], str] = {}  # (attribute, group) → label, in order of first appearance
    for report in reports:
        for section in report.attributes:
            for row in section.rows:
                keys.setdefault((section.attribute, row.group), section.label)
    found = [{(section.attribute, row.group): row for section in report.attributes for row in section.rows} for report in reports]
    lines = tuple(
        TrendLine(attribute, label, group, tuple(rows.get((attribute, group)) for rows in found))
        for (attribute, group), label in keys.items()
    )
    return Trend(reports, lines)
