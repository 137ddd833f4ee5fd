"""The days Ladder plans with: dates people type (cycles, holidays, schedules) fall within these, so that adding working
days or a cadence to one never runs past what a date can hold, and a mistyped year is caught where it is typed."""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def out_of_range(day: date) -> str | None:
    """What is wrong with ``day``, or None when Ladder can plan with it."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is outside the days Ladder plans with ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
