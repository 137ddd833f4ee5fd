"""Which rows of a section to withhold so that no small group can be worked out from what the whole report shows.

A section (IC–manager parity) shows figures for some *cells* (levels); the rest of the report shows totals over sets of
cells (each track, family and level band, everyone). A cell of fewer than ``k`` people must not be shown — nor be
derivable: by subtracting the cells shown from a total that holds it (the *rest* of that total must be none or at least
``k`` people), nor by any sum and difference of totals and shown cells (a cell whose indicator lies in the span of the
published sets, over the rationals). Cells the totals alone already give away are the totals' business, not the
section's: hiding the section's rows would not protect them.

Sets are small (a few dozen levels, a handful of totals), so exact Gaussian elimination on fractions is cheap.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from fractions import Fraction

Vector = dict[str, Fraction]


def cells_to_hide(
    sizes: Mapping[str, int], totals: Iterable[Collection[str]], candidates: Iterable[str], k: int, *, exact: bool = False
) -> set[str]:
    """The candidates (cells the section would show) to withhold. ``sizes``: people per cell; ``totals``: the sets of
    cells whose sums the rest of the report shows.

    ``exact``: ``totals`` are exactly what the report shows; a small cell they give away by themselves is then theirs to
    protect (withholding rows here cannot). Otherwise ``totals`` are what it may show: each of at least k people is
    taken as shown, and since the report must be withholding one of those that give a small cell away, rows here are
    withheld until the cell is not determined even so."""
    sets = [frozenset(c for c in total if sizes.get(c, 0)) for total in totals]
    sets = [s for s in dict.fromkeys(sets) if exact or sum(sizes[c] for c in s) >= k]  # no total of fewer than k is shown
    candidates = list(dict.fromkeys(candidates))
    hidden = {c for c in candidates if 0 < sizes.get(c, 0) < k}
    small = [c for c, n in sizes.items() if 0 < n < k]
    everything = _basis(sets, set())
    given_away = {c for c in small if exact and _determined(c, everything, set())}

    def shown() -> set[str]:
        return {c for c in candidates if c not in hidden and sizes.get(c, 0)}

    while True:
        visible = shown()
        if not visible:
            return hidden
        leak = _rest_below_k(sets, sizes, visible, k)
        if leak is not None:
            hidden.add(min((c for c in visible if c in leak), key=lambda c: (sizes[c], c)))
            continue
        basis = _basis(sets, visible)
        exposed = next((c for c in small if c not in given_away and _determined(c, basis, visible)), None)
        if exposed is None:
            return hidden
        by_size = sorted(visible, key=lambda c: (sizes[c], c))
        hidden.add(next((c for c in by_size if not _determined(exposed, _basis(sets, visible - {c}), visible - {c})), by_size[0]))


def _rest_below_k(sets: list[frozenset[str]], sizes: Mapping[str, int], visible: set[str], k: int) -> frozenset[str] | None:
    """A total whose cells not shown hold between 1 and k - 1 people, while some of its cells are shown."""
    for total in sets:
        rest = sum(sizes[c] for c in total if c not in visible)
        if 0 < rest < k and total & visible:
            return total
    return None


def _basis(sets: list[frozenset[str]], shown: set[str]) -> list[tuple[str, Vector]]:
    """A basis of what the sets' sums say about the cells not shown (the shown cells' counts being known)."""
    basis: list[tuple[str, Vector]] = []
    for total in sets:
        _add(basis, {c: Fraction(1) for c in total if c not in shown})
    return basis


def _determined(cell: str, basis: list[tuple[str, Vector]], shown: set[str]) -> bool:
    """Whether the cell's count follows from the sums (``basis``, from :func:`_basis`) and the shown cells' counts."""
    return cell in shown or not _reduce(basis, {cell: Fraction(1)})


def _add(basis: list[tuple[str, Vector]], vector: Vector) -> None:
    reduced = _reduce(basis, vector)
    if reduced:
        pivot = min(reduced)
        scale = reduced[pivot]
        basis.append((pivot, {c: v / scale for c, v in reduced.items()}))


def _reduce(basis: list[tuple[str, Vector]], vector: Vector) -> Vector:
    """``vector`` minus its components along the basis (each basis vector is 1 at its pivot; pivots are distinct and
    reducing in insertion order leaves the vector zero at every pivot)."""
    out = dict(vector)
    for pivot, row in basis:
        factor = out.get(pivot)
        if factor:
            for c, v in row.items():
                value = out.get(c, Fraction(0)) - factor * v
                if value:
                    out[c] = value
                else:
                    out.pop(c, None)
    return out
