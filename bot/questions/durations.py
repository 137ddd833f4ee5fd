"""Read a level's ``typical_time_in_level`` ("2-4 years", "18 months", "3+ years", "1〜2年") as a span of months,
so the times along a path can be added up. Text that does not read as one duration is left as written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_DURATION_CHARS = 200
"""Longer text is not read as a duration (it is prose, and quoted as written)."""
MAX_SCANNED_CHARS = 20_000
"""Prose searched for a length of time it states: the first this many characters of a passage."""

_YEAR_UNITS = "years?|yrs?|jahren|jahre|jahr|ans?|años?|anos?|anni|anno|jaar|jaren|lata|lat|年"
_MONTH_UNITS = "months?|mos?|monate?n?|mois|mes|meses|mesi|maanden|maand|miesi[aą]ce|ヶ月|か月|カ月|ケ月|个月|個月|月"
_SHORT_UNITS = "(?<=\\d)[ym]"
"""A bare "y" or "m" is a unit only written right after its number ("18m", "2y")."""
_UNITS = f"{_YEAR_UNITS}|{_MONTH_UNITS}|{_SHORT_UNITS}"
_SEPARATOR = r"\s*(?:-|–|—|~|〜|to|a|à|bis|até|tot|do)\s*"
_DURATION = re.compile(
    rf"(?P<prefix>at least|(?:a )?min(?:imum)?\.?(?: of)?|over|more than|up to|at most|no more than|(?:a )?max(?:imum)?\.?(?: of)?|under|less than)?\s*"
    rf"(?<![$€£¥\d.,])(?P<low>\d+(?:[.,]\d+)?)(?:\s*(?P<unit1>{_UNITS}))?"
    rf"(?:{_SEPARATOR}(?P<high>\d+(?:[.,]\d+)?))?\s*(?P<plus>\+)?\s*"
    rf"(?P<unit>{_UNITS})(?P<plus2>\+)?(?![a-zà-ÿ])",
)
_OPEN_ENDED = frozenset({"at least", "min", "min.", "minimum", "over", "more than"})
_AT_MOST = frozenset({"up to", "at most", "no more than", "max", "max.", "maximum", "under", "less than"})


@dataclass(frozen=True, slots=True)
class Duration:
    """From ``low`` to ``high`` months; ``high`` is None when there is no upper end ("3+ years")."""

    low: float
    high: float | None

    def __add__(self, other: Duration) -> Duration:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Duration(self.low + other.low, high)

    def __str__(self) -> str:
        if self.high is None:
            return f"at least {_months(self.low)}"
        if self.high == self.low:
            return f"about {_months(self.low)}"
        if self.low == 0:
            return f"up to {_months(self.high)}"
        low, high = _months(self.low), _months(self.high)
        unit = high.split()[-1]
        if low.endswith(unit.rstrip("s")) or low.endswith(unit):  # "2–4 years", not "2 years–4 years"
            low = low.rsplit(" ", 1)[0]
        return f"{low}–{high}"


def read_duration(text: str | None) -> Duration | None:
    """``text`` as one duration, or None when it is empty, too long, names no unit of time, or names several."""
    if not text or len(text) > MAX_DURATION_CHARS:
        return None
    plain = unicodedata.normalize("NFKC", text).casefold().strip()
    found = list(_DURATION.finditer(plain))
    if len(found) != 1:
        return None
    match = found[0]
    first_unit, per = match.group("unit1"), _per(match.group("unit"))
    low = _number(match.group("low")) * (_per(first_unit) if first_unit else per)
    high = _number(match.group("high")) * per if match.group("high") else low
    if high < low:
        return None
    prefix = re.sub(r"^a | of$", "", (match.group("prefix") or "").strip())
    if match.group("plus") or match.group("plus2") or prefix in _OPEN_ENDED:
        return Duration(low, None)
    if prefix in _AT_MOST:
        return Duration(0, high)
    return Duration(low, high)


def find_duration(text: str) -> tuple[int, int] | None:
    """Where ``text`` first states a length of time ("at least 3 years", "18 months"), or None. Only the first
    :data:`MAX_SCANNED_CHARS` characters are read; positions are in ``text`` as written unless Unicode
    normalisation changed its length before them."""
    plain = unicodedata.normalize("NFKC", text[:MAX_SCANNED_CHARS]).casefold()
    match = _DURATION.search(plain)
    return (match.start(), match.end()) if match else None


_UNIT_IN_A_NAME = re.compile(rf"(?<![a-zà-ÿ])(?P<unit>{_YEAR_UNITS}|{_MONTH_UNITS})(?![a-zà-ÿ])")
MAX_FIGURE_CHARS = 40
"""A value longer than this is prose, not a figure in the unit its name gives."""


def duration_in_named_unit(name: str, value: str) -> Duration | None:
    """A figure whose unit of time is in the name of what it measures: "0–2" or "12+" under "Years of experience",
    "6-12" under "Months in role". None when the name names no unit of time or the value is not a bare figure."""
    if not value or len(value) > MAX_FIGURE_CHARS or read_duration(value) is not None:
        return None
    unit = _UNIT_IN_A_NAME.search(unicodedata.normalize("NFKC", name).casefold())
    if unit is None or not re.search(r"\d", value):
        return None
    return read_duration(f"{value.strip()} {unit.group('unit')}")


def total(durations: list[Duration]) -> Duration | None:
    if not durations:
        return None
    whole = durations[0]
    for one in durations[1:]:
        whole = whole + one
    return whole


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _per(unit: str) -> int:
    return 12 if unit == "y" or re.fullmatch(_YEAR_UNITS, unit) else 1


def _months(months: float) -> str:
    if months >= 12 and (months % 6 == 0):
        years = months / 12
        shown = f"{years:g}"
        return f"{shown} year" if years == 1 else f"{shown} years"
    shown = f"{months:g}"
    return f"{shown} month" if months == 1 else f"{shown} months"
