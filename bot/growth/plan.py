"""A growth plan: the biggest gaps between a person's latest self-ratings and their next level's
expectations, each with the expectation, the person's own words, and who or what could help.

Mentor suggestions follow four rules: the mentor opted in and offers the competency; stands at or
above the level the person is aiming for (on either track, through parallel levels); is strong in
it by their own latest rating (not below "meets", when they rated it); is neither the person nor
their manager, and has room for another mentee. Among those, the least loaded come first, then
the nearest in level, then a rotation that differs per mentee — so suggestions spread across
mentors instead of always naming the same senior people.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping, Sequence

from bot.framework.model import Competency, Framework, Level, Rating

TOP_GAPS = 3
MENTORS_PER_GAP = 3
OPPORTUNITIES_PER_GAP = 3


@dataclass(frozen=True)
class MentorCandidate:
    user_id: str
    level_id: str
    offers: frozenset[str]
    """Competency ids; empty means any."""
    capacity: int
    load: int
    """Mentees now (accepted or requested)."""
    ever: int
    """Mentorships ever accepted: among equals, people who mentored less come first."""
    ratings: Mapping[str, str] = field(default_factory=dict)
    """Their own latest self-ratings, competency id → rating id."""


@dataclass(frozen=True)
class Opportunity:
    id: int
    title: str
    competencies: frozenset[str]
    levels: frozenset[str]
    poster: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Gap:
    competency: Competency
    expectation: str
    rating: Rating | None
    """The person's own latest rating; None when they have not rated it yet."""
    own_words: str
    size: int
    mentors: tuple[str, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()


@dataclass(frozen=True)
class GrowthPlan:
    current: Level | None
    target: Level | None
    gaps: tuple[Gap, ...]
    rated: bool
    """Whether the plan rests on a check-in (False: no ratings yet, gaps are the expectations alone)."""
    panel_next: tuple[tuple[Competency, str], ...] = ()
    """What's next per competency from a review panel's latest published 'not yet' about the person."""
    panel_decided_on: date | None = None


def growth_plan(
    framework: Framework,
    *,
    user_id: str,
    manager: str | None,
    current: Level | None,
    target: Level | None,
    competencies: Sequence[Competency],
    ratings: Mapping[str, str],
    notes: Mapping[str, str],
    mentors: Sequence[MentorCandidate] = (),
    opportunities: Sequence[Opportunity] = (),
) -> GrowthPlan:
    if target is None:
        return GrowthPlan(current, target, (), bool(ratings))
    meets = framework.meets
    gaps: list[Gap] = []
    for competency in competencies:
        rating = framework.rating(ratings.get(competency.id, ""))
        if rating is not None and rating.rank >= meets.rank:
            continue
        size = meets.rank - rating.rank if rating is not None else 0
        gaps.append(
            Gap(
                competency,
                target.expectations.get(competency.id, competency.description),
                rating,
                notes.get(competency.id, ""),
                size,
            )
        )
    gaps.sort(key=lambda g: (-g.size, competencies.index(g.competency)))
    chosen = [
        Gap(
            g.competency, g.expectation, g.rating, g.own_words, g.size,
            mentors=suggest_mentors(framework, g.competency.id, target, user_id, manager, mentors),
            opportunities=matching_opportunities(g.competency.id, (target.id, current.id if current else target.id), user_id, opportunities),
        )
        for g in gaps[:TOP_GAPS]
    ]  # fmt: skip
    return GrowthPlan(current, target, tuple(chosen), bool(ratings))


def suggest_mentors(
    framework: Framework,
    competency_id: str,
    target: Level,
    mentee: str,
    manager: str | None,
    candidates: Sequence[MentorCandidate],
) -> tuple[str, ...]:
    meets = framework.meets
    eligible: list[tuple[tuple[int, int, int, str], str]] = []
    for c in candidates:
        if c.user_id in (mentee, manager) or c.load >= c.capacity:
            continue
        if c.offers and competency_id not in c.offers:
            continue
        distance = levels_above(framework, c.level_id, target)
        if distance is None:
            continue
        own = framework.rating(c.ratings.get(competency_id, ""))
        if own is not None and own.rank < meets.rank:
            continue
        rotation = hashlib.sha256(f"{mentee}:{c.user_id}".encode()).hexdigest()
        eligible.append(((c.load, c.ever, distance, rotation), c.user_id))
    return tuple(user for _key, user in sorted(eligible)[:MENTORS_PER_GAP])


def levels_above(framework: Framework, level_id: str, target: Level) -> int | None:
    """How many levels ``level_id`` stands above ``target`` (0: the same standing), or None if below or unknown."""
    apart = framework.levels_apart(level_id, target)
    return apart if apart is not None and apart >= 0 else None


def matching_opportunities(
    competency_id: str, levels: Sequence[str], user_id: str, opportunities: Sequence[Opportunity]
) -> tuple[Opportunity, ...]:
    fits = [
        o
        for o in opportunities
        if competency_id in o.competencies and o.poster != user_id and (not o.levels or o.levels.intersection(levels))
    ]
    return tuple(sorted(fits, key=lambda o: (o.starts_on, o.id))[:OPPORTUNITIES_PER_GAP])
