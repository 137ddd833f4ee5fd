"""The audit's statistics: Fisher's exact test against hand-worked tables, against an exact rational computation and
against SciPy's ``fisher_exact`` over random tables; selection rates, the impact ratio and the four-fifths rule."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact as scipy_fisher_exact

from bot.fairness.stats import (
    Selection,
    below_four_fifths,
    fisher_against_rest,
    fisher_exact,
    highest_rate,
    impact_ratio,
    selection_rate,
)


def exact_two_sided(a: int, b: int, c: int, d: int) -> Fraction:
    """Fisher's two-sided p-value in rational arithmetic: the sum of the hypergeometric probabilities of the tables with
    the same margins no more probable than the observed one (compared exactly, so no tolerance is needed)."""
    row1, row2, col1 = a + b, c + d, a + c
    total = comb(row1 + row2, col1)
    weights = {x: comb(row1, x) * comb(row2, col1 - x) for x in range(max(0, col1 - row2), min(row1, col1) + 1)}
    return Fraction(sum(w for w in weights.values() if w <= weights[a]), total)


def scipy_p(a: int, b: int, c: int, d: int) -> float:
    return float(scipy_fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue)


# Worked by hand. [[3, 1], [1, 3]]: margins 4, 4 and 4 of 8; the tables x = 0..4 have C(4,x)·C(4,4-x) = 1, 16, 36, 16, 1
# of C(8,4) = 70 ways; the observed x = 3 has 16, and x = 0, 1, 3, 4 are no more probable: (1+16+16+1)/70 = 34/70.
# [[4, 0], [0, 4]] (the lady tasting tea): only x = 0 and x = 4 are as improbable: 2/70.
# [[0, 5], [5, 0]]: margins 5, 5 and 5 of 10; x = 0 and x = 5 have 1 way each of C(10,5) = 252: 2/252.
# [[2, 0], [0, 0]]: one table only has these margins: p = 1.
# [[1, 9], [11, 3]]: R's fisher.test gives 0.002759 (the textbook example of Fisher's test).
HAND_WORKED = [
    ((3, 1, 1, 3), 34 / 70),
    ((4, 0, 0, 4), 2 / 70),
    ((0, 5, 5, 0), 2 / 252),
    ((2, 0, 0, 0), 1.0),
    ((0, 0, 0, 0), 1.0),
    ((1, 9, 11, 3), 0.0027594561852200836),
]


@pytest.mark.parametrize(("table", "expected"), HAND_WORKED)
def test_fisher_exact_on_hand_worked_tables(table, expected):
    assert fisher_exact(*table) == pytest.approx(expected, rel=1e-12)
    assert scipy_p(*table) == pytest.approx(expected, rel=1e-12)


def test_a_group_against_everyone_else():
    # 3 of 10 women promoted; 6 of the other 15 people: the table [[3, 7], [6, 9]].
    assert fisher_against_rest(Selection(3, 10), Selection(9, 25)) == pytest.approx(scipy_p(3, 7, 6, 9), rel=1e-12)
    with pytest.raises(ValueError):
        fisher_against_rest(Selection(3, 10), Selection(2, 25))  # more promoted in the group than in everyone


def test_counts_are_counts():
    with pytest.raises(ValueError):
        fisher_exact(-1, 2, 3, 4)
    with pytest.raises(ValueError):
        Selection(3, 2)


def test_a_large_table_keeps_its_precision():
    # 10,000 people: 1,000 in the group with 100 promoted, 300 of the other 9,000; the p-value is tiny but exact.
    table = (100, 900, 300, 8700)
    assert fisher_exact(*table) == pytest.approx(float(exact_two_sided(*table)), rel=1e-9)
    assert fisher_exact(*table) == pytest.approx(scipy_p(*table), rel=1e-9)


small = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(small, small, small, small)
def test_fisher_exact_matches_the_exact_rational_computation(a, b, c, d):
    assert fisher_exact(a, b, c, d) == pytest.approx(float(exact_two_sided(a, b, c, d)), rel=1e-9, abs=1e-300)


@settings(max_examples=300, deadline=None)
@given(small, small, small, small)
def test_fisher_exact_matches_scipy(a, b, c, d):
    assert fisher_exact(a, b, c, d) == pytest.approx(scipy_p(a, b, c, d), rel=1e-9, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=8000),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=8000),
)
def test_fisher_exact_matches_scipy_on_organisation_sized_tables(a, b, c, d):
    assert fisher_exact(a, b, c, d) == pytest.approx(scipy_p(a, b, c, d), rel=1e-7, abs=1e-250)


def test_selection_rates():
    assert selection_rate(3, 10) == 0.3
    assert selection_rate(0, 0) is None
    assert selection_rate(0, 4) == 0.0


def test_the_impact_ratio_is_against_the_highest_rate():
    groups = {"a": Selection(30, 100), "b": Selection(20, 100), "c": Selection(0, 7)}
    assert highest_rate(groups) == "a"
    assert impact_ratio(groups["b"], groups["a"]) == Fraction(2, 3)
    assert impact_ratio(groups["a"], groups["a"]) == 1
    assert impact_ratio(groups["c"], groups["a"]) == 0


def test_a_tie_for_the_highest_rate_goes_to_the_larger_group():
    assert highest_rate({"small": Selection(1, 5), "large": Selection(4, 20)}) == "large"


def test_no_reference_when_nobody_was_selected():
    assert highest_rate({"a": Selection(0, 10), "b": Selection(0, 12)}) is None
    assert highest_rate({}) is None
    assert impact_ratio(Selection(1, 10), Selection(0, 10)) is None


def test_the_four_fifths_rule_is_strict_and_exact():
    # 20% against 25% is exactly 4/5: not below. 19.5% against 25% is 0.78: below.
    assert not below_four_fifths(impact_ratio(Selection(40, 200), Selection(25, 100)))
    assert below_four_fifths(impact_ratio(Selection(39, 200), Selection(25, 100)))
    assert not below_four_fifths(None)
