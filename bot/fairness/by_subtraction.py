"""Which rows to withhold so that no small set of people can be worked out from what the whole report shows.

Figures are shown for sets of *cells* (levels; locations; an attribute's groups): the report's rows by track, family
and level band are totals over levels, everyone's total is over every cell, IC–management parity shows single levels.
The rule, everywhere: no set of cells of 1 to ``k`` − 1 people may have its total determined — be a sum and difference
(a rational combination) of the totals shown. A row of fewer than ``k`` is never shown; a row is withheld too when,
shown, its figures and the others' would give such a set (a small level, or several small levels together).

- :func:`rows_to_withhold`: the report's rows (each a set of cells), everyone's total always shown: which to withhold,
  the fewest.
- :func:`cells_to_hide`: a section's single cells (parity's levels), given the totals the rest of the report shows.

Checked exactly (:class:`_Span`: Gaussian elimination on fractions; sets are small, a few dozen cells and rows), and
without trying every set of cells: a determined set is fixed by which pivots of the span it holds, and a small one
holds only small pivots adding up to fewer than ``k``.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Generic, TypeVar

Cell = TypeVar("Cell", bound=Hashable)
"""A cell's key: a level's id, a location, an attribute's group."""


def cells_to_hide(
    sizes: Mapping[str, int], totals: Iterable[Collection[str]], candidates: Iterable[str], k: int, *, exact: bool = False
) -> set[str]:
    """The candidates (cells the section would show) to withhold. ``sizes``: people per cell; ``totals``: the sets of
    cells whose sums the rest of the report shows.

    Withheld: each candidate of fewer than k people; then, while the totals and the candidates shown determine a set
    of cells of 1 to k − 1 people, the smallest candidate shown whose withholding undoes that (else the smallest).

    ``exact``: ``totals`` are exactly what the report shows; a small set they give away by themselves is then theirs to
    protect (withholding rows here cannot). Otherwise ``totals`` are what it may show: each of at least k people is
    taken as shown, and since the report must be withholding one of those that give a small set away, rows here are
    withheld until the set is not determined even so."""
    sets = [frozenset(c for c in total if sizes.get(c, 0)) for total in totals]
    sets = [s for s in dict.fromkeys(sets) if exact or sum(sizes[c] for c in s) >= k]  # no total of fewer than k is shown
    candidates = list(dict.fromkeys(candidates))
    hidden = {c for c in candidates if 0 < sizes.get(c, 0) < k}
    cells = {c: n for c, n in sizes.items() if n}
    by_totals = _Span(cells, sets, everyone=False)

    def given_away(found: frozenset[str]) -> bool:
        return exact and by_totals.holds(found)

    while True:
        visible = {c for c in candidates if c not in hidden and sizes.get(c, 0)}
        if not visible:
            return hidden
        leak = _rest_below_k(sets, sizes, visible, k)
        if leak is not None:
            hidden.add(min((c for c in visible if c in leak), key=lambda c: (sizes[c], c)))
            continue
        span = _Span(cells, [*sets, *({c} for c in sorted(visible))], everyone=False)
        exposed = next((found for found in span.small_sets(k) if not given_away(found)), None)
        if exposed is None:
            return hidden
        by_size = sorted(visible, key=lambda c: (sizes[c], c))
        rest = [_Span(cells, [*sets, *({c} for c in sorted(visible - {v}))], everyone=False) for v in by_size]
        hidden.add(next((v for v, without in zip(by_size, rest, strict=True) if not without.holds(exposed)), by_size[0]))


def _rest_below_k(sets: list[frozenset[str]], sizes: Mapping[str, int], visible: set[str], k: int) -> frozenset[str] | None:
    """A total whose cells not shown hold between 1 and k - 1 people, while some of its cells are shown."""
    for total in sets:
        rest = sum(sizes[c] for c in total if c not in visible)
        if 0 < rest < k and total & visible:
            return total
    return None


# -- rows of totals over cells: which to withhold so that no small set of cells is determined --------------------------


def rows_to_withhold(sizes: Mapping[Hashable, int], rows: Sequence[Collection[Hashable]], k: int) -> tuple[set[int], set[int]]:
    """Which of ``rows`` (each a set of cells, whose sums a report would show) to withhold, as two sets of indices:
    the rows of fewer than ``k`` people, and the rows withheld beyond those to protect them.

    The rule: everyone's total (every cell) is always shown, and no set of cells of 1 to k − 1 people may be a rational
    combination (sums and differences) of the rows shown and that total — checked exactly (:class:`_Span`). Everyone
    itself is not counted: nothing withheld here could protect it. Beyond the rows below k, the fewest rows are
    withheld, and among as few, those of the fewest people, then those first in ``rows``. Rows of the same cells are
    withheld together (the same figures twice) and count as many rows as they are. A search of more than
    :data:`SEARCH_BUDGET` candidates gives way to a greedy one (see :func:`_greedy`): still safe, not always fewest.

    ``sizes``: people per cell; its order breaks ties between cells (pass it in a deterministic order)."""
    cells = {c: n for c, n in sizes.items() if n}
    sets = [frozenset(c for c in row if c in cells) for row in rows]
    everyone = frozenset(cells)
    people = [sum(cells[c] for c in s) for s in sets]
    fewer = {i for i, n in enumerate(people) if n < k}
    units: dict[frozenset[Hashable], list[int]] = {}
    for i, s in enumerate(sets):
        if i not in fewer and s != everyone:
            units.setdefault(s, []).append(i)
    # Units in the order they are best withheld: fewest people, then first in ``rows``.
    ordered = sorted(units, key=lambda s: (people[units[s][0]], units[s][0]))
    withheld = _fewest(cells, ordered, [len(units[s]) for s in ordered], k)
    return fewer, {i for u in withheld for i in units[ordered[u]]}


SEARCH_BUDGET = 400
"""How many sets of rows :func:`rows_to_withhold` checks for the fewest to withhold before it settles for a greedy
choice (each check is an exact elimination over a few dozen cells)."""


def _fewest(cells: Mapping[Hashable, int], units: list[frozenset[Hashable]], cost: list[int], k: int) -> tuple[int, ...]:
    """The units (indices) to withhold: the first safe choice in order of rows withheld, people withheld, position."""
    weight = [sum(cells[c] for c in s) for s in units]
    checked = 0
    for total in range(sum(cost) + 1):
        counts = range(min(total, len(units)) + 1)
        if any(comb(len(units), count) > SEARCH_BUDGET for count in counts):
            break
        choices = [u for count in counts for u in combinations(range(len(units)), count) if sum(cost[i] for i in u) == total]
        for choice in sorted(choices, key=lambda u: (sum(weight[i] for i in u), u)):
            checked += 1
            if checked > SEARCH_BUDGET:
                return _greedy(cells, units, k)
            if _Span(cells, [s for i, s in enumerate(units) if i not in choice]).small_set(k) is None:
                return choice
    return _greedy(cells, units, k)


def _greedy(cells: Mapping[Hashable, int], units: list[frozenset[Hashable]], k: int) -> tuple[int, ...]:
    """While a small set is determined, withhold the first unit (fewest people) whose withholding leaves that set
    undetermined (else the first shown); then show again, last first, any withheld unit not needed."""
    withheld: list[int] = []

    def span(without: Collection[int]) -> _Span:
        return _Span(cells, [s for i, s in enumerate(units) if i not in without])

    while (small := span(withheld).small_set(k)) is not None:
        shown = [i for i in range(len(units)) if i not in withheld]
        withheld.append(next((i for i in shown if not span([*withheld, i]).holds(small)), shown[0]))
    for i in reversed(list(withheld)):
        if span([u for u in withheld if u != i]).small_set(k) is None:
            withheld.remove(i)
    return tuple(sorted(withheld))


class _Span(Generic[Cell]):
    """What the sums over some sets of cells, and over every cell, determine: the rational span of their indicator
    vectors, kept in reduced row echelon form. Pivots are taken on the largest cells first, so that few pivots are small
    and :meth:`small_set` has few combinations to try."""

    def __init__(self, cells: Mapping[Cell, int], sets: Iterable[Collection[Cell]], *, everyone: bool = True) -> None:
        """``everyone``: the total over every cell is among the sums (as in a report, which shows it)."""
        self.cells = cells
        order = sorted(cells, key=lambda c: -cells[c])  # stable: ties keep ``cells``' order
        self.index = {c: i for i, c in enumerate(order)}
        self.order = order
        self.rows: list[tuple[int, dict[int, Fraction]]] = []
        for s in [cells, *sets] if everyone else sets:
            self._add({self.index[c]: Fraction(1) for c in s if c in self.index})

    def _reduce(self, vector: dict[int, Fraction]) -> dict[int, Fraction]:
        out = dict(vector)
        for pivot, row in self.rows:
            factor = out.get(pivot)
            if factor:
                _subtract(out, factor, row)
        return out

    def _add(self, vector: dict[int, Fraction]) -> None:
        reduced = self._reduce(vector)
        if not reduced:
            return
        pivot = min(reduced)
        scale = reduced[pivot]
        new = {c: v / scale for c, v in reduced.items()}
        for i, (p, row) in enumerate(self.rows):  # keep the form reduced: no other row has a value at the new pivot
            factor = row.get(pivot)
            if factor:
                updated = dict(row)
                _subtract(updated, factor, new)
                self.rows[i] = (p, updated)
        self.rows.append((pivot, new))

    def holds(self, cells: Collection[Cell]) -> bool:
        """Whether the total over ``cells`` is determined."""
        return not self._reduce({self.index[c]: Fraction(1) for c in cells if c in self.index})

    def small_set(self, k: int) -> frozenset[Cell] | None:
        """A set of cells of 1 to k − 1 people (not every cell) whose total is determined, or None."""
        return next(self.small_sets(k), None)

    def small_sets(self, k: int) -> Iterator[frozenset[Cell]]:
        """Every set of cells of 1 to k − 1 people (not every cell) whose total is determined.

        A vector of the span is fixed by its values at the pivots, where a set's indicator is 0 or 1; so each
        determined set is the sum of the reduced rows of the pivots it holds, and holds only pivots of fewer than k
        people adding up to fewer than k: few combinations to try."""
        size = self.cells
        small = [(p, row) for p, row in self.rows if size[self.order[p]] < k]

        def search(start: int, vector: dict[int, Fraction], people: int) -> Iterator[frozenset[Cell]]:
            for j in range(start, len(small)):
                pivot, row = small[j]
                if people + size[self.order[pivot]] >= k:
                    continue
                summed = dict(vector)
                for c, v in row.items():
                    summed[c] = summed.get(c, Fraction(0)) + v
                if all(v in (0, 1) for v in summed.values()):
                    found = frozenset(self.order[c] for c, v in summed.items() if v == 1)
                    if 0 < sum(size[c] for c in found) < k and len(found) < len(self.order):
                        yield found
                yield from search(j + 1, summed, people + size[self.order[pivot]])

        return search(0, {}, 0)


def _subtract(target: dict[int, Fraction], factor: Fraction, row: dict[int, Fraction]) -> None:
    """``target -= factor × row`` on sparse vectors, in place: a cell that becomes zero is dropped."""
    for c, v in row.items():
        value = target.get(c, Fraction(0)) - factor * v
        if value:
            target[c] = value
        else:
            target.pop(c, None)
