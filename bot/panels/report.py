"""What a cycle shows afterwards: the cycle report (outcomes, pace, reviews, recusals, unclear criteria) and
its audit trail as CSV. Neither carries any confidential text: counts, dates, who did what.

Outcomes are shown by track and by target level only for groups of at least the framework's
``fairness.min_group_size`` decided nominations; smaller groups are suppressed, and so is any group whose
outcomes could be worked out by subtracting the groups shown from their track's total."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Sequence

from bot.framework.model import Framework
from bot.nominations.stages import DECLINED, DRAFT, EXPIRED, SUBMITTED, WITHDRAWN
from bot.panels.docket import Docket
from storage.models import AuditEvent, PromotionCycle

STAGE_STEPS = (
    ("submitted → ready for the panel", ("submitted",), ("ready", "reviews_closed")),
    ("ready → decided", ("ready", "reviews_closed"), ("decided",)),
    ("decided → published", ("decided",), ("published",)),
)


@dataclass(frozen=True)
class CycleReport:
    cycle: PromotionCycle
    nominations: int
    withdrawn: int
    outcomes_by_track: dict[str, Counter[str]]
    outcomes_by_level: dict[str, Counter[str]]
    suppressed: tuple[str, ...]
    """Groups (tracks, target levels) whose outcomes are not shown because they are too small to show safely."""
    min_group_size: int
    undecided: int
    median_days: dict[str, float | None]
    reviews_asked: int
    reviews_written: int
    reviews_declined: int
    reviews_late: int
    recusals: int
    appeals: int
    flags: dict[tuple[str, str], list[str]]
    """(target level title, competency name) → the panelists' notes on that criterion."""


class Reports:
    def __init__(self, docket: Docket) -> None:
        self.docket = docket

    def report(self, team_id: str, cycle: PromotionCycle) -> CycleReport:
        assert cycle.id is not None
        framework = self.docket.framework
        nominations = [n for n in self.docket.nominations.listing(team_id, cycle.id) if n.stage != DRAFT]
        cases = self.docket.cases(team_id, nominations)
        events = self.events(team_id, cycle)
        by_level: dict[str, Counter[str]] = defaultdict(Counter)
        flags: dict[tuple[str, str], list[str]] = defaultdict(list)
        undecided = 0
        for case in cases:
            target = framework.level(case.nomination.target_level)
            if case.nomination.stage == WITHDRAWN:
                continue
            if case.decision is None:
                undecided += 1
            else:
                overturned = case.appeal_decision is not None and case.appeal_decision.outcome == "promote"
                outcome = "promote on appeal" if overturned else case.decision.outcome
                by_level[case.nomination.target_level][outcome] += 1
            for score in case.scores:
                for flag in score.flags:
                    competency = framework.competency(flag.get("competency", ""))
                    key = (target.title if target else case.nomination.target_level, competency.name if competency else "?")
                    flags[key].append(flag.get("note", ""))
        requests = [r for c in cases for r in c.requests]
        k = framework.fairness.min_group_size
        by_track, shown_levels, suppressed = _small_groups_suppressed(framework, by_level, k)
        return CycleReport(
            cycle=cycle, nominations=len(nominations), withdrawn=sum(n.stage == WITHDRAWN for n in nominations),
            outcomes_by_track=by_track, outcomes_by_level=shown_levels, suppressed=suppressed, min_group_size=k,
            undecided=undecided,
            median_days=_median_days(events), reviews_asked=len(requests),
            reviews_written=sum(r.status == SUBMITTED for r in requests), reviews_declined=sum(r.status == DECLINED for r in requests),
            reviews_late=sum(r.status == EXPIRED for r in requests), recusals=len({(e.object_id, e.actor) for e in events if e.action == "recused"}),
            appeals=sum(c.appeal is not None for c in cases), flags=dict(flags),
        )  # fmt: skip

    def events(self, team_id: str, cycle: PromotionCycle) -> Sequence[AuditEvent]:
        """The cycle's audit trail: the cycle itself and every nomination made in it, oldest first."""
        assert cycle.id is not None
        ids = [n.id for n in self.docket.nominations.listing(team_id, cycle.id) if n.id is not None]
        return self.docket.audit_trail.trail(team_id, [("cycle", [cycle.id]), ("nomination", ids)])

    def audit_csv(self, team_id: str, cycle: PromotionCycle) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["at", "actor", "object", "object_id", "action", "detail"])
        for e in self.events(team_id, cycle):
            writer.writerow(
                [
                    e.at.isoformat(),
                    e.actor,
                    e.object_kind,
                    e.object_id,
                    e.action,
                    json.dumps(_shareable(e.detail), sort_keys=True),
                ]
            )
        return out.getvalue()


def _shareable(detail: dict[str, object]) -> dict[str, object]:
    """What a reviewer declared about themselves is theirs and the panel's: the trail says how many, never which (rows
    written before it kept only the count hold the list)."""
    return {k: len(v) if k == "conflicts" and isinstance(v, list) else v for k, v in detail.items()}


def _small_groups_suppressed(
    framework: Framework, by_level: dict[str, Counter[str]], k: int
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]], tuple[str, ...]]:
    """Outcomes by track and by target level, keeping only groups of at least ``k`` decided nominations — and, within a
    track that is shown, suppressing further levels until what is hidden is nothing or at least ``k`` (else the track's
    total minus the levels shown would give the small group away)."""
    tracks: dict[str, dict[str, Counter[str]]] = defaultdict(dict)
    for level_id, counts in by_level.items():
        level = framework.level(level_id)
        tracks[level.track_id if level else "?"][level_id] = counts
    shown_tracks: dict[str, Counter[str]] = {}
    shown_levels: dict[str, Counter[str]] = {}
    suppressed: list[str] = []

    def title(level_id: str) -> str:
        level = framework.level(level_id)
        return level.title if level else level_id

    for track_id, levels in tracks.items():
        track = framework.track(track_id)
        name = track.name if track else track_id
        total = sum((c for c in levels.values()), Counter())
        if sum(total.values()) < k:
            suppressed += [name, *(title(lv) for lv in levels)]
            continue
        shown_tracks[name] = total
        hidden = [lv for lv, c in levels.items() if sum(c.values()) < k]
        kept = sorted((lv for lv in levels if lv not in hidden), key=lambda lv: sum(levels[lv].values()))
        while kept and 0 < sum(sum(levels[lv].values()) for lv in hidden) < k:
            hidden.append(kept.pop(0))
        shown_levels.update({title(lv): levels[lv] for lv in kept})
        suppressed += [title(lv) for lv in hidden]
    return shown_tracks, shown_levels, tuple(suppressed)


def _median_days(events: Sequence[AuditEvent]) -> dict[str, float | None]:
    firsts: dict[tuple[int, str], datetime] = {}
    for e in events:
        if e.object_kind == "nomination":
            firsts.setdefault((e.object_id, e.action), e.at)
    out: dict[str, float | None] = {}
    for label, starts, ends in STAGE_STEPS:
        days = []
        for nomination_id in {k[0] for k in firsts}:
            began = min((firsts[(nomination_id, a)] for a in starts if (nomination_id, a) in firsts), default=None)
            ended = min((firsts[(nomination_id, a)] for a in ends if (nomination_id, a) in firsts), default=None)
            if began is not None and ended is not None:
                days.append((ended - began).total_seconds() / 86400)
        out[label] = round(median(days), 1) if days else None
    return out
