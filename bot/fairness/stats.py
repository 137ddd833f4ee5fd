"""The statistics of the audit: selection rates, the impact ratio, the four-fifths rule and Fisher's exact test.

Plain Python, no SciPy (the tests check these against SciPy's ``fisher_exact``)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

FOUR_FIFTHS = Fraction(4, 5)
RELATIVE_TOLERANCE = 1 + 1e-7
"""Tables whose probability is within this factor of the observed one count as "no more probable" (R's rule): two
tables equally probable in exact arithmetic must not be told apart by rounding."""
_NEGLIGIBLE = 1e-300
"""A table this many times less probable than the most probable one adds nothing a double can hold to the sums."""


@dataclass(frozen=True, slots=True)
class Selection:
    """``selected`` of ``total`` people (promoted of eligible, say)."""

    selected: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.selected <= self.total:
            raise ValueError(f"cannot select {self.selected} of {self.total}")

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.selected, self.total) if self.total else None


def selection_rate(selected: int, total: int) -> float | None:
    """``selected ÷ total``, or None when nobody was there to select."""
    rate = Selection(selected, total).rate
    return None if rate is None else float(rate)


def highest_rate(groups: Mapping[str, Selection]) -> str | None:
    """The group with the highest selection rate (ties: the larger group, then the first name), or None when no group
    has anyone, or nobody was selected in any group (there is then nothing to compare against)."""
    best: tuple[Fraction, int, str] | None = None
    for name in sorted(groups):
        rate = groups[name].rate
        if rate is None:
            continue
        key = (rate, groups[name].total, name)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None or best[0] == 0:
        return None
    return best[2]


def impact_ratio(group: Selection, reference: Selection) -> Fraction | None:
    """The group's selection rate ÷ the reference group's (exact), or None when either rate is undefined or the
    reference selected nobody."""
    mine, theirs = group.rate, reference.rate
    if mine is None or theirs is None or theirs == 0:
        return None
    return mine / theirs


def below_four_fifths(ratio: Fraction | None) -> bool:
    """The four-fifths rule of thumb: a ratio below 0.8 (compared exactly, so 4/5 itself is not flagged)."""
    return ratio is not None and ratio < FOUR_FIFTHS


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """The two-sided p-value of Fisher's exact test for the 2×2 table ``[[a, b], [c, d]]``.

    With the margins fixed, the top-left cell follows the hypergeometric distribution; the p-value is the total
    probability of the tables no more probable than the observed one (within :data:`RELATIVE_TOLERANCE`). Each table's
    probability is computed relative to the most probable table by the exact ratio of neighbouring terms, walking out
    from the mode until the terms are negligible, so no factorial of a large number is ever formed and the sums keep
    full relative precision (checked against SciPy in tests/test_fairness_stats.py)."""
    if min(a, b, c, d) < 0:
        raise ValueError("a contingency table holds counts, not negative numbers")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    low, high = max(0, col1 - row2), min(row1, col1)
    if low == high:
        return 1.0
    mode = (row1 + 1) * (col1 + 1) // (n + 2)
    mode = min(max(mode, low), high)
    weights: dict[int, float] = {mode: 1.0}
    weight, x = 1.0, mode
    while x < high and weight > _NEGLIGIBLE:  # P(x+1)/P(x) = (row1-x)(col1-x) / ((x+1)(row2-col1+x+1))
        weight *= (row1 - x) * (col1 - x) / ((x + 1) * (row2 - col1 + x + 1))
        x += 1
        weights[x] = weight
    weight, x = 1.0, mode
    while x > low and weight > _NEGLIGIBLE:  # P(x-1)/P(x) = x(row2-col1+x) / ((row1-x+1)(col1-x+1))
        weight *= x * (row2 - col1 + x) / ((row1 - x + 1) * (col1 - x + 1))
        x -= 1
        weights[x] = weight
    observed = weights.get(a, 0.0)
    if observed == 0.0:
        return 0.0  # less probable than the most probable table by more than a double can say
    bound = observed * RELATIVE_TOLERANCE
    total = sum(weights.values())
    tail = sum(w for w in weights.values() if w <= bound)
    return min(1.0, tail / total)


def fisher_against_rest(group: Selection, everyone: Selection) -> float:
    """Fisher's exact test of one group against everyone else in ``everyone`` (which includes the group)."""
    rest_selected, rest_total = everyone.selected - group.selected, everyone.total - group.total
    if rest_selected < 0 or rest_total < rest_selected:
        raise ValueError("the group is not part of everyone")
    return fisher_exact(group.selected, group.total - group.selected, rest_selected, rest_total - rest_selected)
