"""IC–manager parity, the dual ladder's own promise: do people at equivalent levels advance alike whatever their track,
and are equivalent levels paid alike?

For every group of levels the framework names as equivalent (one level per track, any number of tracks), each level's
row gives the people eligible at it when the cycle opened, how many of them were nominated and promoted, the rates
(promoted ÷ eligible, promoted ÷ nominated) and the median days they had been at their level when the promotion took
effect; and the group says whether its levels' pay bands match.

Small numbers are handled as everywhere in the audit: a row of fewer than ``k`` eligible people
(``fairness.min_group_size``) shows no figure, and neither does a row that would let a small level be worked out by
adding and subtracting the totals the report shows by level (tracks, families, level bands, everyone:
:mod:`bot.fairness.by_subtraction`); a median needs at least ``k`` promotions with a known time in level. A framework
that names no equivalents gets no invented pairing: the section says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING, Iterable, Literal, Mapping, Sequence

from bot.fairness.attributes import attributes_for
from bot.fairness.by_subtraction import cells_to_hide
from bot.fairness.facts import CycleFacts, PersonFacts
from bot.framework.model import Band, Framework, Level

if TYPE_CHECKING:
    from bot.fairness.report import AttributeSection, GroupRow

UNKNOWN = "(unknown)"
"""The report's row of people with no group under an attribute (:data:`bot.fairness.report.UNKNOWN`)."""

BandStatus = Literal["match", "differ", "not published"]
BY_LEVEL = ("track", "family", "level_band")
"""The report's built-in attributes whose groups are sets of levels: their totals and parity's rows add and subtract."""


@dataclass(frozen=True, slots=True)
class LevelParity:
    """One level of a group of equivalents: its people and how they advanced in the cycle."""

    level_id: str
    level_title: str
    track_id: str
    track_name: str
    top_of_track: bool
    """Nothing is above it (no promotion from it is possible), so no one at it is eligible."""
    eligible: int | None
    """None when suppressed, as every figure below."""
    nominated: int | None
    promoted: int | None
    promotion_rate: float | None
    """promoted ÷ eligible."""
    success_rate: float | None
    """promoted ÷ nominated (None also when no one was nominated)."""
    median_days_in_level: float | None
    """Median days at the level when the promotion took effect; None when suppressed or fewer than k are known."""
    suppressed: bool
    median_measured: bool
    """Whether at least k promoted people's time in level is known (else no median is shown)."""


@dataclass(frozen=True, slots=True)
class BandParity:
    status: BandStatus
    detail: str
    """Which levels lack a band, or how the bands differ ('' when they match)."""


@dataclass(frozen=True, slots=True)
class EquivalentLevels:
    """A group of levels the framework names as equivalent, one per track, in track order."""

    levels: tuple[LevelParity, ...]
    bands: BandParity

    @property
    def title(self) -> str:
        return " = ".join(f"{lv.level_title} ({lv.track_name})" for lv in self.levels)


@dataclass(frozen=True, slots=True)
class Parity:
    min_group_size: int
    groups: tuple[EquivalentLevels, ...]
    """Empty when the framework names no equivalents (:attr:`equivalents_named` is then False)."""
    equivalents_named: bool
    suppressed: tuple[str, ...]
    """The rows shown without figures, as 'Level title (Track name)'."""


def parity_of(facts: CycleFacts, framework: Framework, *, shown: Sequence[AttributeSection] | None = None) -> Parity:
    """Parity between the tracks at every group of equivalent levels, computed on the cycle's loaded facts.

    ``shown``: the report's attribute sections, so that parity knows which totals by level it shows (without them every
    total of at least k people is taken as shown, and parity withholds rows until no small level could be worked out
    whichever of them the report withholds)."""
    k = framework.fairness.min_group_size
    groups = _equivalence_groups(framework)
    if not groups:
        return Parity(k, (), False, ())
    at_level: dict[str, list[PersonFacts]] = {}
    for person in facts.people:
        if person.eligible:
            at_level.setdefault(person.level, []).append(person)
    nominated, promoted = _advanced(facts, {p.user_id for people in at_level.values() for p in people})
    counts = {
        level.id: _Counts.of(at_level.get(level.id, ()), nominated, promoted, facts.days_in_level_at_promotion)
        for group in groups
        for level in group
    }
    hidden = _suppressed_rows(facts, framework, counts, k, shown)
    equivalents = tuple(
        EquivalentLevels(
            tuple(_row(framework, level, counts[level.id], level.id in hidden, k) for level in group), _bands(framework, group)
        )
        for group in groups
    )
    suppressed = tuple(f"{lv.level_title} ({lv.track_name})" for g in equivalents for lv in g.levels if lv.suppressed)
    return Parity(k, equivalents, True, suppressed)


# -- counting ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Counts:
    eligible: int
    nominated: int
    promoted: int
    days: tuple[int, ...]

    @classmethod
    def of(cls, people: Iterable[PersonFacts], nominated: set[str], promoted: set[str], days: Mapping[str, int]) -> _Counts:
        ids = [p.user_id for p in people]
        known = tuple(days[u] for u in ids if u in promoted and u in days)
        return cls(len(ids), sum(u in nominated for u in ids), sum(u in promoted for u in ids), known)


def _advanced(facts: CycleFacts, population: set[str]) -> tuple[set[str], set[str]]:
    """Who was nominated in the cycle, and who was promoted (by the panel or on appeal), as the rest of the audit counts
    them (:func:`bot.fairness.report.person_outcomes`: a person's last nomination that was not withdrawn)."""
    from bot.fairness.report import person_outcomes  # here: the report module imports this one

    outcomes = person_outcomes(facts, population)
    return {u for u, c in outcomes.items() if c.nominated}, {u for u, c in outcomes.items() if c.promoted}


def _suppressed_rows(
    facts: CycleFacts, framework: Framework, candidates: Iterable[str], k: int, shown: Sequence[AttributeSection] | None
) -> set[str]:
    """Rows of fewer than k eligible people, and rows that would let a small level be worked out from the totals the
    rest of the report shows by level (everyone, and the shown groups of track, family and level band): see
    :mod:`bot.fairness.by_subtraction`. A row of no one is shown as 0: it gives nothing away."""
    eligible = [person for person in facts.people if person.eligible]
    sizes = Counter(person.level for person in eligible)
    totals: list[set[str]] = [set(sizes)]
    rows = {(s.attribute, r.group): r for s in shown or () for r in s.rows}
    for attribute in attributes_for(eligible, framework, facts.opens_on):
        if attribute.id in BY_LEVEL:
            groups: dict[str, set[str]] = {}
            for person in eligible:
                groups.setdefault(attribute.group_of(person) or UNKNOWN, set()).add(person.level)
            totals += (
                levels for group, levels in groups.items() if shown is None or not _suppressed(rows.get((attribute.id, group)))
            )
    return cells_to_hide(sizes, totals, candidates, k, exact=shown is not None)


def _suppressed(row: GroupRow | None) -> bool:
    return row is None or row.suppressed


def _row(framework: Framework, level: Level, counts: _Counts, suppressed: bool, k: int) -> LevelParity:
    track = framework.track_of(level)
    top = not framework.next_levels(level)
    measured = len(counts.days) >= k
    if suppressed:
        return LevelParity(level.id, level.title, track.id, track.name, top, None, None, None, None, None, None, True, measured)
    return LevelParity(
        level.id, level.title, track.id, track.name, top,
        counts.eligible, counts.nominated, counts.promoted,
        _rate(counts.promoted, counts.eligible), _rate(counts.promoted, counts.nominated),
        float(median(counts.days)) if measured else None, False, measured,
    )  # fmt: skip


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _equivalence_groups(framework: Framework) -> tuple[tuple[Level, ...], ...]:
    """Each group of equivalent levels once, in the order of its first level in the file."""
    seen: set[str] = set()
    groups = []
    for level in (lv for track in framework.tracks for lv in track.levels):
        group = framework.equivalence_group(level)
        if len(group) > 1 and level.id not in seen:
            seen.update(lv.id for lv in group)
            groups.append(group)
    return tuple(groups)


# -- pay bands -----------------------------------------------------------------------------------------------------------


def _bands(framework: Framework, levels: tuple[Level, ...]) -> BandParity:
    """Whether the levels' pay bands match; amounts are written out only when the framework publishes its bands."""
    missing = [lv.title for lv in levels if lv.band is None]
    if missing:
        if len(missing) == len(levels):
            return BandParity("not published", "no band in the framework for any of these levels")
        return BandParity("not published", f"no band in the framework for {_listed(missing)}")
    bands: list[Band] = [lv.band for lv in levels if lv.band is not None]
    if all(b == bands[0] for b in bands):
        return BandParity("match", "")
    if framework.publish_bands:
        return BandParity("differ", "; ".join(f"{lv.title} {_band(lv.band)}" for lv in levels if lv.band))
    fields = [name for name in ("min", "max", "currency") if len({getattr(b, name) for b in bands}) > 1]
    return BandParity("differ", f"in {_listed(fields)} (amounts not shown: the framework does not publish its bands)")


def _band(band: Band) -> str:
    return f"{band.min:,}–{band.max:,} {band.currency}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
