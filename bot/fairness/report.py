"""The audit of one promotion cycle: for every attribute and group, who was eligible, nominated and promoted, the
selection rates, the impact ratio against the highest-rate group, the four-fifths flag and a Fisher exact test — with
every group smaller than ``k`` (``fairness.min_group_size``) suppressed, in every output.

Computed from :class:`bot.fairness.facts.CycleFacts` alone (no SQL); rendered as Markdown or CSV by
:mod:`messages.fairness_report`. :mod:`bot.fairness.parity` and :mod:`bot.fairness.calibration` fill the ``parity`` and
``calibration`` fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from bot.fairness.attributes import Attribute, attributes_for
from bot.fairness.by_subtraction import rows_to_withhold
from bot.fairness.calibration import calibration_of
from bot.fairness.collector import collector_paused
from bot.fairness.facts import CycleFacts, NominationFacts, PersonFacts
from bot.fairness.parity import BY_LEVEL, parity_of
from bot.fairness.stats import Selection, below_four_fifths, fisher_against_rest, highest_rate, impact_ratio
from bot.framework.model import Framework

TEST_MIN_PEOPLE = 20
TEST_MIN_EXPECTED = 2.0
"""A group is marked too small to test when it, or everyone else eligible it is compared with, has fewer
than :data:`TEST_MIN_PEOPLE` eligible people or fewer than :data:`TEST_MIN_EXPECTED` promotions (or non-promotions)
expected at the overall promotion rate: the test could not then tell even a large gap from chance."""
FEWER_THAN_K = "fewer than {k} people"
BY_SUBTRACTION = "would reveal a suppressed group by subtraction"
PROMOTE, NOT_YET, DEFER, WITHDRAWN = "promote", "not_yet", "defer", "withdrawn"

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


_COUNTED = tuple(f.name for f in fields(Counts))[1:]
"""The :class:`Counts` fields after ``eligible``, in order: what is summed over a group's people."""


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
    """Two-sided Fisher exact test of promoted/not promoted, this group against everyone else eligible."""
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


def build_report(facts: CycleFacts, framework: Framework, *, now: datetime) -> FairnessReport:
    """The report of one cycle's ``facts``: every built-in and held attribute, its groups among the eligible people,
    suppressed below ``framework.fairness.min_group_size``."""
    with collector_paused():
        return _build_report(facts, framework, now=now)


def _build_report(facts: CycleFacts, framework: Framework, *, now: datetime) -> FairnessReport:
    k = framework.fairness.min_group_size
    eligible = [person for person in facts.people if person.eligible]
    outcomes = person_outcomes(facts, {person.user_id for person in eligible})
    attributes = attributes_for(eligible, framework, facts.opens_on)
    labels = {attribute.id: [attribute.group_of(person) or UNKNOWN for person in eligible] for attribute in attributes}
    tallies = {attribute.id: _tally(attribute, labels[attribute.id], eligible, outcomes) for attribute in attributes}
    hidden = suppression(attributes, labels, k)
    sections = [_section(attribute, tallies[attribute.id], hidden[attribute.id]) for attribute in attributes]
    totals = Counts(len(eligible), *(sum(getattr(c, name) for c in outcomes.values()) for name in _COUNTED))
    suppressed = tuple(
        SuppressedRow(section.attribute, row.group, row.suppressed_because or "")
        for section in sections
        for row in section.rows
        if row.suppressed
    )
    return FairnessReport(
        team_id=facts.team_id,
        cycle_id=facts.cycle_id,
        cycle_name=facts.cycle_name,
        opens_on=facts.opens_on,
        closed_at=facts.closed_at,
        window_end=facts.closed_at or now,
        min_group_size=k,
        totals=totals,
        attributes=tuple(sections),
        suppressed=suppressed,
        parity=parity_of(facts, framework, shown=sections),
        calibration=calibration_of(facts, framework),
    )


def person_outcomes(facts: CycleFacts, population: set[str]) -> dict[str, Counts]:
    """What happened in the cycle to each person of ``population`` something happened to (the others: eligible
    alone). A person's outcome is their last submitted nomination's (withdrawn ones count for nothing); an appeal that
    ended in a promotion makes it a promotion."""
    last: dict[str, NominationFacts] = {}
    appeals: Counter[str] = Counter()
    overturned: Counter[str] = Counter()
    for nomination in facts.nominations:
        if nomination.nominee not in population or nomination.stage == WITHDRAWN:
            continue
        if nomination.nominee not in last or nomination.nomination_id > last[nomination.nominee].nomination_id:
            last[nomination.nominee] = nomination
        appeals[nomination.nominee] += nomination.appealed
        overturned[nomination.nominee] += nomination.overturned
    outcomes: dict[str, Counts] = {}
    for user in population & (last.keys() | facts.stretch_taken.keys() | facts.mentorships_started.keys()):
        latest = last.get(user)
        outcome = None if latest is None else (PROMOTE if latest.overturned else latest.outcome)
        outcomes[user] = Counts(
            eligible=1,
            nominated=int(latest is not None),
            promoted=int(outcome == PROMOTE),
            not_yet=int(outcome == NOT_YET),
            deferred=int(outcome == DEFER),
            appeals=appeals[user],
            overturned=overturned[user],
            stretch=facts.stretch_taken.get(user, 0),
            mentorships=facts.mentorships_started.get(user, 0),
        )
    return outcomes


def _tally(
    attribute: Attribute, labels: Sequence[str], people: Sequence[PersonFacts], outcomes: dict[str, Counts]
) -> dict[str, Counts]:
    """Group → what happened to its people (``labels``: each person's group), in the order the report shows the groups
    (the unknown last)."""
    sizes: Counter[str] = Counter(labels)
    sums: dict[str, list[int]] = {}
    for person, group in zip(people, labels, strict=True):  # only the people something happened to add more than their number
        happened = outcomes.get(person.user_id)
        if happened is not None:
            total = sums.setdefault(group, [0] * len(_COUNTED))
            for i, name in enumerate(_COUNTED):
                total[i] += getattr(happened, name)
    counts = {group: Counts(size, *sums.get(group, [0] * len(_COUNTED))) for group, size in sizes.items()}
    place = {group: i for i, group in enumerate(attribute.order)}
    order = sorted((g for g in counts if g != UNKNOWN), key=lambda g: (place.get(g, len(place)), -counts[g].eligible, g))
    if UNKNOWN in counts:
        order.append(UNKNOWN)
    return {group: counts[group] for group in order}


def _section(attribute: Attribute, counts: dict[str, Counts], hidden: dict[str, str]) -> AttributeSection:
    order = list(counts)
    shown = {g: Selection(counts[g].promoted, counts[g].eligible) for g in order if g != UNKNOWN and g not in hidden}
    reference = highest_rate(shown) if len(shown) > 1 else None  # one group alone has nothing to be compared with
    # Each group is tested against everyone else eligible (other groups and the unknown alike): the comparison then
    # rests on the group's own figures and the totals the report shows, and can reveal no suppressed group.
    everyone = Selection(sum(c.promoted for c in counts.values()), sum(c.eligible for c in counts.values()))
    rows = []
    for group in order:
        if group in hidden:
            rows.append(GroupRow(attribute.id, group, None, suppressed=True, suppressed_because=hidden[group],
                                 is_unknown=group == UNKNOWN))  # fmt: skip
            continue
        if group == UNKNOWN:
            rows.append(GroupRow(attribute.id, group, counts[group], is_unknown=True))
            continue
        ratio = impact_ratio(shown[group], shown[reference]) if reference is not None else None
        compared = shown[group].total < everyone.total
        rows.append(
            GroupRow(
                attribute.id,
                group,
                counts[group],
                impact_ratio=None if ratio is None else float(ratio),
                four_fifths=below_four_fifths(ratio),
                p_value=fisher_against_rest(shown[group], everyone) if compared else None,
                too_small_to_test=compared and too_small_to_test(shown[group], everyone),
            )
        )
    return AttributeSection(attribute.id, attribute.label, attribute.built_in, tuple(rows), reference)


def suppression(attributes: Sequence[Attribute], labels: Mapping[str, Sequence[str]], k: int) -> dict[str, dict[str, str]]:
    """Attribute → group → why it is suppressed, given each person's group under each attribute (``labels``, aligned
    person by person, :data:`UNKNOWN` for none).

    Attributes that are sums of the same *cells* are suppressed together: track, family and level band (each group a
    set of levels: :data:`~bot.fairness.parity.BY_LEVEL`), and an attribute with the one its groups are unions of
    (remote or office and location: :attr:`Attribute.within`); every other attribute on its own, its groups its cells.
    Everyone's total is shown, and no sum and difference of it and the rows shown may give the figures of a set of
    cells of 1 to k − 1 people (:func:`bot.fairness.by_subtraction.rows_to_withhold`). So every group of fewer than k
    is suppressed, and then the fewest other rows (of the fewest people) needed: a suppressed group cannot be had by
    subtraction from the total, from a union shown elsewhere (a family of its tracks, office of its locations), nor
    from the rows of several attributes together (tracks minus level bands), and neither can several small groups
    together."""
    hidden: dict[str, dict[str, str]] = {a: {} for a in labels}
    for sharing in _sharing_cells(attributes, labels):
        cells = Counter(zip(*(labels[a] for a in sharing), strict=True))
        rows: dict[tuple[str, str], set[tuple[str, ...]]] = {}
        for cell in sorted(cells):
            for a, group in zip(sharing, cell, strict=True):
                rows.setdefault((a, group), set()).add(cell)
        keys = sorted(rows, key=lambda key: (sharing.index(key[0]), key[1]))
        fewer, protecting = rows_to_withhold({c: cells[c] for c in sorted(cells)}, [rows[key] for key in keys], k)
        for i in fewer:
            hidden[keys[i][0]][keys[i][1]] = FEWER_THAN_K.format(k=k)
        for i in protecting:
            hidden[keys[i][0]][keys[i][1]] = BY_SUBTRACTION
    return hidden


def _sharing_cells(attributes: Sequence[Attribute], labels: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """The attributes of ``labels`` in families whose groups are sums of the same cells (see :func:`suppression`)."""
    parent = {a: a for a in labels}

    def root(a: str) -> str:
        while parent[a] != a:
            a = parent[a]
        return a

    links = [(a.id, a.within[0]) for a in attributes if a.within is not None]
    links += [(BY_LEVEL[0], other) for other in BY_LEVEL[1:]]
    for a, b in links:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    families: dict[str, list[str]] = {}
    for a in labels:
        families.setdefault(root(a), []).append(a)
    return [tuple(members) for members in families.values()]


def too_small_to_test(group: Selection, everyone: Selection) -> bool:
    """See :data:`TEST_MIN_PEOPLE`."""
    if everyone.total == 0:
        return True
    rate = everyone.selected / everyone.total
    for size in (group.total, everyone.total - group.total):
        if size < TEST_MIN_PEOPLE or size * rate < TEST_MIN_EXPECTED or size * (1 - rate) < TEST_MIN_EXPECTED:
            return True
    return False
