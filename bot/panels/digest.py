"""Review digests: what a panel needs to judge each nomination ready for it, and how it reaches the panel.

What the panel channel shows is never confidential (a member recused from a nomination — its nominee, even —
may read the channel, and Ladder posts there only while everyone in it is on the panel): who is nominated,
from which level to which, time in level, the panel's chair, and where it stands (late, decided) — never how
its reviews went, who is recused, how many, or why. Ratings, recommendations, evidence, comments and the reasons for each recusal reach
each member who judges the nomination privately: their own digest message, the packet (uploaded to their
own conversation with Ladder, never to a channel), and the packet view in Slack. What someone was sent
to judge a nomination is taken back (the packet deleted, the digest message revised) once they may no
longer read it — a conflict declared, a panel changed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from bot.confidentiality import Action
from bot.framework.model import Competency, Framework, Level
from bot.nominations.stages import CANCELLED, COLLECTING, DECIDED, DECLINED, EXPIRED, PUBLISHED, READY, SUBMITTED
from bot.panels.cycles import Cycles, Phase
from bot.panels.docket import Case, Docket
from bot.panels.recusal import Reason
from storage.models import Panel, PromotionCycle
from storage.repositories.outbox import TAKE_BACK, Outbox

DIGEST = "panel_digest"
DIGEST_ENTRY = "panel_digest_entry"
DIGEST_PRIVATE = "panel_digest_private"
PACKET = "panel_packet"
STRANDED = "panel_stranded"
"""To each admin: a nomination no covering panel has enough members free to judge."""
BEFORE_THE_PANEL = (COLLECTING, READY, DECIDED, PUBLISHED)
"""Nominations a digest lists: ready ones, those still collecting (flagged late), and those already decided."""
DIGEST_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Evidence:
    competency: Competency
    expectation: str
    case: str


@dataclass(frozen=True)
class Entry:
    """One nomination in a digest."""

    case: Case
    current: Level | None
    target: Level | None
    months_in_level: int | None
    typical: str | None
    against_typical: str
    """'below the typical range', 'within the typical range', 'beyond the typical range', or '' when unknown."""
    evidence: tuple[Evidence, ...]
    ratings: dict[str, Counter[str]]
    """Competency id → how many peer reviews gave each rubric rating (confidential: members who judge it only)."""
    recommendations: Counter[str]
    reviews_in: int
    reviews_asked: int
    conflicts: tuple[tuple[str, tuple[str, ...]], ...]
    flags: tuple[str, ...]
    """Everything worth the judges' attention: reviews late, missing or declined, recusals, too few judges."""
    stage_flags: tuple[str, ...] = ()
    """The flags the panel channel shows: where the nomination stands (late, decided), which its nominee knows anyway."""

    @property
    def recused(self) -> dict[str, Reason]:
        """Who may not judge it and why: for the eyes of those who judge it alone."""
        return dict(self.case.sitting.recused) if self.case.sitting else {}


@dataclass(frozen=True)
class Digest:
    panel: Panel
    cycle: PromotionCycle
    phase: Phase
    entries: tuple[Entry, ...]
    framework_citation: str


class Digests:
    def __init__(self, docket: Docket, cycles: Cycles, outbox: Outbox) -> None:
        self.docket = docket
        self.cycles = cycles
        self.framework: Framework = docket.framework
        self.now = docket.now
        self.outbox = outbox

    def build(self, team_id: str, panel: Panel, cycle: PromotionCycle) -> Digest:
        """The panel's digest for the cycle, in a fixed number of queries however many nominations."""
        assert cycle.id is not None
        panels = self.docket.repo.panels(team_id)
        nominations = self.docket.repo.nominations_in(team_id, cycle.id, BEFORE_THE_PANEL)
        ours = {
            level for level in {n.target_level for n in nominations}
            if any(p.id == panel.id for p in self.docket.panels.covering(team_id, level, panels))
        }  # fmt: skip
        covered = [n for n in nominations if n.target_level in ours]
        cases = [c for c in self.docket.cases(team_id, covered, panels) if c.panel is not None and c.panel.id == panel.id]
        today = self.now().date()
        entries = tuple(self.entry(case, today) for case in cases)
        return Digest(panel, cycle, self.cycles.view(cycle, today).phase, entries, self.framework.citation)

    def entry(self, case: Case, today: date) -> Entry:
        n = case.nomination
        current, target = self.docket.levels(n)
        competencies = self.docket.competencies(n)
        submitted = [r for r in case.requests if r.status == SUBMITTED]
        ratings = {c.id: Counter(r.ratings[c.id] for r in submitted if r.ratings.get(c.id)) for c in competencies}
        since = case.nominee.level_since if case.nominee else None
        months = _months_between(since, today) if since else None
        typical = current.typical_time_in_level if current else None
        stage = []
        if n.stage == COLLECTING:
            stage.append("late: peer reviews are still being written")
        if case.decision is not None:
            stage.append("decided" + (" and published" if case.decision.published_at else ""))
        flags = list(stage)
        expired = [r for r in case.requests if r.status == EXPIRED]
        declined = [r for r in case.requests if r.status == DECLINED]
        if expired:
            flags.append(f"missing reviews: {len(expired)} not written by the due date")
        if declined:
            flags.append(f"{len(declined)} reviewer{'s' if len(declined) != 1 else ''} declined")
        if len(submitted) < 2:
            flags.append(f"only {len(submitted)} peer review{'s' if len(submitted) != 1 else ''} in")
        if case.sitting and case.sitting.recused:
            flags.append(f"{len(case.sitting.recused)} panel member{'s' if len(case.sitting.recused) != 1 else ''} recused")
        if case.passed_over:
            flags.append(
                "passed on by " + ", ".join(p.name for p in case.passed_over) + ": too few of its members are free to judge it"
            )
        if case.stranded and case.sitting:
            flags.append(
                f"too few judges: {len(case.sitting.judges)} can judge it, the policy asks for {case.sitting.min_members}; "
                "it cannot be decided until an admin adds members"
            )
        return Entry(
            case=case, current=current, target=target, months_in_level=months, typical=typical,
            against_typical=_against(months, typical), evidence=tuple(
                Evidence(c, target.expectations.get(c.id, c.description) if target else c.description, n.case.get(c.id, ""))
                for c in competencies
            ),
            ratings=ratings, recommendations=Counter(r.recommendation for r in submitted if r.recommendation),
            reviews_in=len(submitted), reviews_asked=sum(r.status != CANCELLED and not r.replaced for r in case.requests),
            conflicts=tuple((r.reviewer, tuple(r.conflicts)) for r in submitted if r.conflicts), flags=tuple(flags),
            stage_flags=tuple(stage),
        )  # fmt: skip

    # -- posting ---------------------------------------------------------------------------------------------

    def post(self, team_id: str, panel: Panel, cycle: PromotionCycle, occasion: str) -> int:
        """Write one digest to the outbox: the channel's parent message and a thread reply per nomination (nothing
        confidential; the parent to the chair when the panel has no channel), each judging member's own message, and
        each judge's packet; admins hear of a nomination no panel can decide. ``occasion`` names the digest (a date, or
        the minute it was asked for): asking twice for the same one writes nothing more. A panel with nothing before it
        gets nothing. Returns how many nominations it holds."""
        assert panel.id is not None and cycle.id is not None
        digest = self.build(team_id, panel, cycle)
        self.take_back(team_id, [e.case for e in digest.entries])
        if not digest.entries:
            return 0
        ids = [e.case.id for e in digest.entries]
        base, now = _key(panel, cycle, occasion), self.now()
        messages: list[tuple[str, str, str, dict[str, object]]] = []
        context = {"panel_id": panel.id, "cycle_id": cycle.id}
        parent = {**context, "nomination_ids": ids}
        if not self.outbox.enqueue(team_id, base, DIGEST, panel.channel or panel.chair, parent, due_at=now):
            return len(ids)  # this digest was written already (asked for twice in a minute): nothing more, no second audit
        if panel.channel:
            messages += [
                (f"{base}:{i}", DIGEST_ENTRY, panel.channel, {**context, "nomination_id": i, "thread_of": base}) for i in ids
            ]
        judging: dict[str, list[int]] = {}
        for entry in digest.entries:
            for judge in entry.case.sitting.judges if entry.case.sitting else ():
                judging.setdefault(judge, []).append(entry.case.id)
        messages += [
            (f"{base}:to:{member}", DIGEST_PRIVATE, member, {**context, "nomination_ids": judged})
            for member, judged in judging.items()
        ]
        for entry in digest.entries:
            messages += [
                (
                    f"packet:{entry.case.id}:{judge}",
                    PACKET,
                    judge,
                    {**context, "nomination_id": entry.case.id, "filename": packet_filename(entry.case.id)},
                )  # fmt: skip
                for judge in self.packet_readers(entry.case)
            ]
        self.outbox.enqueue_many(team_id, messages, due_at=now)
        self.escalate(team_id, [e.case for e in digest.entries])
        self.docket.audit_trail.audit(team_id, "panel", panel.id, "digest", "ladder", now, cycle=cycle.id, nominations=len(ids))
        return len(ids)

    def posted(self, team_id: str, panel: Panel, cycle: PromotionCycle, occasion: str) -> bool:
        return self.outbox.by_key(team_id, _key(panel, cycle, occasion)) is not None

    @staticmethod
    def packet_readers(case: Case) -> list[str]:
        """Who is sent a nomination's packet: each member who judges it, in their own conversation with Ladder. Never a
        channel: who is in one can change after the upload, and a file in it cannot be taken back from one reader."""
        if case.sitting is None or case.panel is None or case.decision is not None:
            return []
        return list(case.sitting.judges)

    def escalate(self, team_id: str, cases: Sequence[Case]) -> int:
        """Each admin hears, once per nomination and panel, of a nomination no covering panel has enough members free to
        judge (nobody can decide it until they add members). Returns how many messages it wrote."""
        admins = sorted(self.docket.admins.of(team_id))
        messages = [
            (f"stranded:{c.id}:{c.panel.id}:{admin}", STRANDED, admin, {"nomination_id": c.id, "panel_id": c.panel.id})
            for c in cases
            if c.stranded and c.panel is not None and c.before_the_panel
            for admin in admins
        ]
        return self.outbox.enqueue_many(team_id, messages, due_at=self.now())

    def take_back(self, team_id: str, cases: Sequence[Case]) -> int:
        """Packets and private digests about these nominations, held by someone who may no longer read them (recused
        since, off the panel, the nomination gone to another panel), are taken back: the packet deleted, the digest
        revised. Each once. Returns how many."""
        by_id = {c.id: c for c in cases}
        if not by_id:
            return 0
        since = min((c.nomination.submitted_at or c.nomination.created_at) for c in cases)
        taken: list[tuple[str, str, str, dict[str, object]]] = []
        for row in self.outbox.of_purposes(team_id, (PACKET, DIGEST_PRIVATE), since=since):
            context = row.payload.get("context") or {}
            about = [context.get("nomination_id")] if row.purpose == PACKET else list(context.get("nomination_ids") or ())
            unreadable = sorted(
                case.id
                for case in (by_id.get(n) if isinstance(n, int) else None for n in about)
                if case is not None and not self.docket.may(row.recipient, team_id, case, Action.READ_PANEL_PACKET)
            )
            if unreadable:  # one take-back per message and what it may no longer show (a digest about two: revised once)
                key = f"take-back:{row.key}:{'-'.join(map(str, unreadable))}"
                taken.append((key, TAKE_BACK, row.recipient, {"of": row.key}))
        return self.outbox.enqueue_many(team_id, taken, due_at=self.now())

    def due(self, cycle: PromotionCycle, today: date) -> str | None:
        """The scheduled digest due today or earlier in the panel window: its opening day, then weekly (an ISO date)."""
        if cycle.panel_from is None or cycle.decisions_on is None or not cycle.panel_from <= today < cycle.decisions_on:
            return None
        weeks = (today - cycle.panel_from) // DIGEST_EVERY
        return (cycle.panel_from + weeks * DIGEST_EVERY).isoformat()


def packet_filename(nomination_id: int) -> str:
    """A packet's file name: unique per nomination, so a resend can tell it was uploaded already."""
    return f"review-packet-{nomination_id}.md"


def _key(panel: Panel, cycle: PromotionCycle, occasion: str) -> str:
    return f"digest:{panel.id}:{cycle.id}:{occasion}"


TYPICAL = re.compile(r"(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?)|(\+))?\s*(year|yr|month|mo)", re.IGNORECASE)


def typical_months(text: str | None) -> tuple[int, int | None] | None:
    """'1-2 years' → (12, 24); '4+ years' → (48, None); '18 months' → (18, 18); None when it cannot be read."""
    found = TYPICAL.search(text or "")
    if found is None:
        return None
    unit = 12 if found.group(4).lower().startswith("y") else 1
    low = round(float(found.group(1)) * unit)
    if found.group(3):
        return low, None
    high = round(float(found.group(2)) * unit) if found.group(2) else low
    return min(low, high), max(low, high)


def _against(months: int | None, typical: str | None) -> str:
    bounds = typical_months(typical)
    if months is None or bounds is None:
        return ""
    low, high = bounds
    if months < low:
        return "below the typical range"
    if high is not None and months > high:
        return "beyond the typical range"
    return "within the typical range"


def _months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def in_level(months: int | None) -> str:
    if months is None:
        return "not recorded"
    years, rest = divmod(months, 12)
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + (
        [f"{rest} month{'s' if rest != 1 else ''}"] if rest or not years else []
    )
    return " ".join(parts)
