"""Load cycles' :class:`~bot.fairness.facts.CycleFacts` in a constant number of SQL statements (eleven, whatever the
number of people, nominations or cycles), on one read-only snapshot; everything after is computed in Python."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Engine

from bot.errors import LadderError
from bot.fairness.collector import collector_paused
from bot.fairness.facts import CycleFacts, DecisionFacts, NominationFacts, PersonFacts, ScoreFacts
from bot.framework.model import Framework
from bot.nominations.stages import APPEAL_ROUND, REVIEW_ROUND
from storage.engine import reading
from storage.models import name_key
from storage.repositories.fairness import FairnessRows
from storage.repositories.groups import effective_groups

PROMOTE = "promote"
WITHDRAWN = "withdrawn"


class UnknownCycle(LadderError):
    """No cycle of that name in the team."""


def load_cycle_facts(engine: Engine, framework: Framework, team_id: str, cycle_name: str, now: datetime) -> CycleFacts:
    """The facts of the cycle named ``cycle_name`` (up to case and spacing, as `ladder cycle` matches names), as of
    ``now`` (the end of the window of a cycle still open)."""
    with collector_paused(), reading(engine).connect() as connection, connection.begin():
        rows = FairnessRows(connection)
        cycles = rows.cycles(team_id)
        wanted = [c for c in cycles if c.name_key == name_key(cycle_name)]
        if not wanted:
            known = ", ".join(c.name for c in cycles) or "none yet"
            raise UnknownCycle(f"no promotion cycle is named {cycle_name.strip()!r} (cycles: {known})")
        return _load(rows, framework, team_id, wanted, now)[0]


def load_all_cycle_facts(engine: Engine, framework: Framework, team_id: str, now: datetime) -> list[CycleFacts]:
    """Every cycle's facts, the earliest to open first (for the trend)."""
    with collector_paused(), reading(engine).connect() as connection, connection.begin():
        rows = FairnessRows(connection)
        cycles = rows.cycles(team_id)
        return _load(rows, framework, team_id, cycles, now) if cycles else []


def one_spelling(groups: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """HR files spell one group several ways ("London", "london", "LONDON "): each attribute's values equal up to case
    and spacing are one group, under the spelling most of the team's people have (ties: the first in sort order). Taken
    over the whole team, so every cycle of a trend names the group alike."""
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for held in groups.values():
        for attribute, value in held.items():
            spellings[(attribute, _group_key(value))][value] += 1
    chosen = {key: min(found, key=lambda v: (-found[v], v)) for key, found in spellings.items()}
    return {user: {a: chosen[(a, _group_key(v))] for a, v in held.items()} for user, held in groups.items()}


def _group_key(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())  # "Zürich" typed on a Mac is "Zürich" too


def _load(rows: FairnessRows, framework: Framework, team_id: str, cycles: Sequence[Any], now: datetime) -> list[CycleFacts]:
    ids = [c.id for c in cycles]
    people = rows.people(team_id)
    history: dict[str, list[Any]] = defaultdict(list)
    for change in rows.level_changes(team_id):  # by effective date
        history[change.user_id].append(change)
    groups = one_spelling(effective_groups(rows.groups(team_id)))
    timezones = {user: zone for user, zone in rows.timezones(team_id)}
    nominations = rows.nominations(team_id, ids)
    decisions = rows.decisions(team_id, ids)
    appeals = {nomination_id for nomination_id, _status in rows.appeals(team_id, ids)}
    scores = rows.scores(team_id, ids)
    stretch = rows.stretch_taken(team_id)
    mentorships = rows.mentorships_started(team_id)
    panel_names = {panel_id: name for panel_id, name in rows.panels(team_id)}

    by_round: dict[tuple[int, str], Any] = {(d.nomination_id, d.round): d for d in decisions}
    levels = _levels(framework)
    loaded = []
    for cycle in cycles:
        start = datetime.combine(cycle.opens_on, time.min, tzinfo=UTC)
        end = _aware(cycle.closed_at) or now
        cycle_nominations = [n for n in nominations if n.cycle_id == cycle.id]
        in_cycle = {n.id for n in cycle_nominations}
        person_facts = tuple(
            _person(p, history.get(p.user_id, ()), cycle.opens_on, levels, groups.get(p.user_id, {}), timezones)
            for p in people
            if p.created_at <= end
        )
        loaded.append(
            CycleFacts(
                team_id=team_id,
                cycle_id=cycle.id,
                cycle_name=cycle.name,
                opens_on=cycle.opens_on,
                closed_at=_aware(cycle.closed_at),
                people=person_facts,
                nominations=tuple(_nomination(n, by_round, appeals) for n in cycle_nominations),
                scores=tuple(
                    ScoreFacts(s.nomination_id, s.panel_id, s.panelist, dict(s.ratings or {}), s.recommendation)
                    for s in scores
                    if s.nomination_id in in_cycle
                ),
                decisions=tuple(
                    DecisionFacts(
                        d.nomination_id, d.panel_id, d.decided_by, d.outcome, tuple(d.deciders or ()), _aware(d.published_at)
                    )
                    for d in decisions
                    if d.round == REVIEW_ROUND and d.nomination_id in in_cycle
                ),
                stretch_taken=_count_within(stretch, start, end),
                mentorships_started=_count_within(mentorships, start, end),
                days_in_level_at_promotion=_days_in_level(cycle_nominations, history, person_facts, by_round),
                panel_names=panel_names,
            )
        )
    return loaded


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _levels(framework: Framework) -> dict[str, tuple[str, bool]]:
    """Level id → its track id, and whether anyone at it is eligible (there is a level above it)."""
    return {level.id: (framework.track_of(level).id, bool(framework.next_levels(level))) for level in framework.levels}


def _person(
    row: Any,
    changes: Sequence[Any],
    opens_on: date,
    levels: dict[str, tuple[str, bool]],
    groups: dict[str, str],
    timezones: dict[str, str],
) -> PersonFacts:
    """Someone as they were when the cycle opened: the last level change in effect by then, else the level the first
    change after it moved them from, else the level recorded now. A level the framework no longer has is not eligible."""
    track, level, since = row.track, row.level, row.level_since
    known = row.created_at.date()
    if changes:
        before = [c for c in changes if c.effective_on <= opens_on]
        if before:
            track, level, since = before[-1].to_track, before[-1].to_level, before[-1].effective_on
        else:
            track, level, since = changes[0].from_track, changes[0].from_level, None
        known = min(known, changes[0].effective_on)
    if row.level_since is not None:
        known = min(known, row.level_since)
    track, eligible = levels.get(level, (track, False))
    return PersonFacts(
        user_id=row.user_id,
        track=track,
        level=level,
        eligible=eligible,
        level_since=since,
        known_since=known,
        timezone=timezones.get(row.user_id),
        groups=groups,
    )


def _nomination(row: Any, by_round: dict[tuple[int, str], Any], appeals: set[int]) -> NominationFacts:
    review = by_round.get((row.id, REVIEW_ROUND))
    appeal = by_round.get((row.id, APPEAL_ROUND))
    decided = review if review is not None and review.published_at is not None else None  # the outcome told
    return NominationFacts(
        nomination_id=row.id,
        nominee=row.nominee,
        from_level=row.from_level,
        target_level=row.target_level,
        track_switch=bool(row.track_switch),
        stage=row.stage,
        submitted_at=_aware(row.submitted_at),
        outcome=decided.outcome if decided is not None else None,
        decided_at=_aware(decided.decided_at) if decided is not None else None,
        appealed=row.id in appeals,
        overturned=appeal is not None and appeal.published_at is not None and appeal.outcome == PROMOTE,
    )


def _count_within(rows: Sequence[Any], start: datetime, end: datetime) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for user, moment in rows:
        aware = _aware(moment)
        if aware is not None and start <= aware <= end:
            counts[user] += 1
    return dict(counts)


def _days_in_level(
    nominations: Sequence[Any],
    history: dict[str, list[Any]],
    people: Sequence[PersonFacts],
    by_round: dict[tuple[int, str], Any],
) -> dict[str, int]:
    """Nominee → days from the start of the level they were promoted from to the promotion's effective date."""
    level_since = {p.user_id: p.level_since for p in people}
    days: dict[str, int] = {}
    for nomination in nominations:
        changes = history.get(nomination.nominee, ())
        change = next((c for c in changes if c.nomination_id == nomination.id), None)
        if change is None:
            continue
        earlier = [c.effective_on for c in changes if c.effective_on < change.effective_on]
        since = earlier[-1] if earlier else level_since.get(nomination.nominee)
        if since is not None and since <= change.effective_on:
            days[nomination.nominee] = (change.effective_on - since).days
    return days
