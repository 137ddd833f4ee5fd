"""The audit of one promotion cycle: for every attribute and group, who was eligible, nominated and promoted, the
selection rates, the impact ratio against the highest-rate group, the four-fifths flag and a Fisher exact test — with
every group smaller than ``k`` (``fairness.min_group_size``) suppressed, in every output.

Computed from :class:`bot.fairness.facts.CycleFacts` alone (no SQL); rendered as Markdown or CSV by
:mod:`messages.fairness_report`. :mod:`bot.fairness.parity` and :mod:`bot.fairness.calibration` fill the ``parity`` and
``calibration`` fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

UNKNOWN = "(unknown)"
"""The row of people with no group under an attribute (counted in no group, compared with none)."""


@dataclass(frozen=True, slots=True)
class Counts:
    """What happened to one set of people during the cycle."""

    eligible: int = 0
    nominated: int = 0
    promoted: int = 0
    not_yet: int = 0
    deferred: int = 0
    appeals: int = 0
    overturned: int = 0
    """Appeals that ended in a promotion."""
    stretch: int = 0
    """Stretch assignments given (taken) during the cycle."""
    mentorships: int = 0
    """Mentoring pairs started (accepted) during the cycle, as mentee."""

    @property
    def nomination_rate(self) -> float | None:
        """Nominated ÷ eligible."""
        return self.nominated / self.eligible if self.eligible else None

    @property
    def promotion_rate(self) -> float | None:
        """Promoted ÷ eligible: the selection rate the impact ratio and the test are about."""
        return self.promoted / self.eligible if self.eligible else None

    @property
    def success_rate(self) -> float | None:
        """Promoted ÷ nominated."""
        return self.promoted / self.nominated if self.nominated else None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group of one attribute. When ``suppressed`` every figure is withheld: ``counts`` is None, and so are the
    ratio and the p-value."""

    attribute: str
    group: str
    counts: Counts | None
    impact_ratio: float | None = None
    """Promotion rate ÷ the highest promotion rate among the attribute's shown groups."""
    four_fifths: bool = False
    """The impact ratio is below 0.8."""
    p_value: float | None = None
    """Two-sided Fisher exact test of promoted/not promoted, this group against the rest of the attribute's known people."""
    suppressed: bool = False
    suppressed_because: str | None = None
    """"fewer than k people", or "would reveal a suppressed group by subtraction"."""
    too_small_to_test: bool = False
    """Shown, but too small for the test to mean much (see :func:`too_small_to_test`)."""
    is_unknown: bool = False
    """The row of people without a group under this attribute (no ratio or test)."""


@dataclass(frozen=True, slots=True)
class AttributeSection:
    """One attribute (track, gender, …) and its groups, largest first, the unknown row last."""

    attribute: str
    label: str
    built_in: bool
    rows: tuple[GroupRow, ...]
    reference_group: str | None = None
    """The shown group with the highest promotion rate: what the impact ratios are against."""


@dataclass(frozen=True, slots=True)
class SuppressedRow:
    attribute: str
    group: str
    reason: str


@dataclass(frozen=True)
class FairnessReport:
    team_id: str
    cycle_id: int
    cycle_name: str
    opens_on: date
    closed_at: datetime | None
    window_end: datetime
    """The cycle window's end: closed_at, or when the report was made while the cycle is open."""
    min_group_size: int
    totals: Counts
    """Everyone eligible, whatever their groups."""
    attributes: tuple[AttributeSection, ...]
    suppressed: tuple[SuppressedRow, ...] = ()
    parity: Any | None = None
    """IC–management parity (:mod:`bot.fairness.parity`, filled by it)."""
    calibration: Any | None = None
    """Calibration of judges (:mod:`bot.fairness.calibration`, filled by it; admins and the chair only)."""
    notes: tuple[str, ...] = field(default=())


def build_report(facts: Any, framework: Any, *, now: datetime) -> FairnessReport:
    """The report of ``facts`` (a :class:`~bot.fairness.facts.CycleFacts`) under ``framework``'s attributes and k."""
    raise NotImplementedError  # being written (#18, H2): the dataclasses above are what the other parts code against
