"""A person's own data, as one JSON document: everything Ladder holds about them that the confidentiality policy lets
them read, and for what it holds but may not show them, the kind, how many and why.

Each confidential record goes through :mod:`bot.confidentiality` exactly as the Slack surfaces do (a nomination
through its panel's :class:`~bot.panels.docket.Docket`, evidence and check-ins through :func:`relations`), so the
export can never show more than Slack would. Group data (their own answers and HR's) is theirs to read here, as on
their own form.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable, Iterable

from sqlmodel import Session, SQLModel

from bot.admins import NOBODY, ConfiguredAdmins
from bot.checkins.service import Checkins
from bot.confidentiality import Action, can, relations
from bot.framework.model import Framework
from bot.growth.plan import GrowthPlan
from bot.growth.service import Growth
from bot.nominations.stages import DRAFT, SUBMITTED
from bot.panels.docket import Case, Docket
from storage.models import AuditEvent, OutboxMessage, PanelScore, ReviewRequest
from storage.repositories.groups import GroupRepository
from storage.repositories.outbox import Outbox
from storage.repositories.person_data import PersonData

FORMAT = "ladder-person-data"
VERSION = 1
MY_DATA = "my_data"
"""The outbox message that uploads a person's export into their own conversation with Ladder."""


def export_person(
    framework: Framework,
    session: Session,
    team_id: str,
    user_id: str,
    *,
    now: Callable[[], datetime],
    admins: ConfiguredAdmins = NOBODY,
) -> dict[str, Any]:
    """What Ladder holds about ``user_id`` in ``team_id``, as the person may read it (reads only)."""
    data = PersonData(session)
    docket = Docket(framework, session, now, admins)
    team_admins = docket.admins.of(team_id)
    withheld: dict[str, dict[str, Any]] = {}

    def withhold(kind: str, count: int, reason: str) -> None:
        """Counted by kind, across every record it applies to."""
        if count:
            withheld.setdefault(kind, {"kind": kind, "count": 0, "reason": reason})["count"] += count

    checkins = [
        c for c in data.checkins(team_id, user_id)
        if can(relations(user_id, c.user_id, shared_with=c.shared_with, admins=team_admins), Action.READ_CHECKIN)
    ]  # fmt: skip
    evidence = [
        e for e in data.evidence(team_id, user_id)
        if can(relations(user_id, e.subject, author=e.author), Action.READ_EVIDENCE)
    ]  # fmt: skip
    nominations = data.nominations(team_id, user_id)
    cases = docket.cases(team_id, nominations)
    cycles = data.cycle_names(team_id, [n.cycle_id for n in nominations])
    drafts_about = [c for c in cases if c.nomination.stage == DRAFT and c.nomination.nominator != user_id]
    withhold(
        "nomination drafts others are writing about you",
        len(drafts_about),
        "a nomination reaches its nominee when it is submitted; until then it is its nominator's draft",
    )
    exported_nominations = [_nomination(docket, team_id, user_id, c, cycles, withhold) for c in cases if c not in drafts_about]
    reviews = [
        r
        for r in data.reviews_written(team_id, user_id)
        if can(relations(user_id, None, reviewers=frozenset({r.reviewer})), Action.READ_REVIEW)
    ]
    groups = GroupRepository(session)
    schedule = data.schedule(team_id, user_id)
    draft = data.checkin_draft(team_id, user_id)
    person = data.person(team_id, user_id)
    growth = Growth(framework, session, now)
    target = Checkins(framework, session, now).target(team_id, user_id)
    plan = growth.plan(team_id, user_id, target=target, latest=checkins[-1] if checkins else None)
    own = relations(user_id, user_id, admins=team_admins)
    withhold(
        "audit trail entries of what you did",
        data.count(AuditEvent, AuditEvent.team_id == team_id, AuditEvent.actor == user_id),
        "the audit trail (who did what, when) is read by Ladder's admins (ladder audit); what you did is in your own records above",
    )
    withhold(
        "messages Ladder sent or will send you",
        data.count(OutboxMessage, OutboxMessage.team_id == team_id, OutboxMessage.recipient == user_id),
        "they are in your conversation with Ladder in Slack; Ladder keeps what to send and whether it was delivered",
    )
    return {
        "about": {
            "format": FORMAT, "version": VERSION, "team_id": team_id, "user_id": user_id,
            "exported_at": now().isoformat(), "framework": f"{framework.name}, {framework.citation}",
        },
        "person": _row(person, "id", "team_id") if person else None,
        "roles": [_row(r, "id", "team_id", "user_id") for r in data.roles(team_id, user_id)],
        "level_history": [_row(c, "id", "team_id", "user_id") for c in data.level_history(team_id, user_id)],
        "checkins": [_row(c, "team_id", "user_id", "submission_key") for c in checkins],
        "checkin_draft": _row(draft, "team_id", "user_id") if draft else None,
        "checkin_preferences": _row(schedule, "id", "team_id", "user_id") if schedule and can(own, Action.READ_SCHEDULE) else None,
        "growth_plan": _plan(plan) if can(own, Action.READ_GROWTH_PLAN) else None,
        "evidence": {
            "about_you": [_row(e, "team_id", "submission_key") for e in evidence if e.subject == user_id],
            "logged_by_you_about_others": [_row(e, "team_id", "submission_key") for e in evidence if e.subject != user_id],
        },
        "nominations": exported_nominations,
        "reviews_you_wrote": [_row(r, "team_id", "timezone", "next_reminder_at") for r in reviews],
        "panel_scores_you_gave": [_row(s, "team_id") for s in data.scores_given(team_id, user_id)],
        "conflicts_you_declared": [_row(d, "team_id") for d in data.conflicts_declared(team_id, user_id)],
        "decisions_you_took": [
            {"nomination_id": d.nomination_id, "round": d.round, "outcome": d.outcome, "decided_at": d.decided_at.isoformat()}
            for d in data.decisions_taken(team_id, user_id)
        ],
        "panels": [{"name": p.name, "kind": p.kind, "chair": chair} for p, chair in data.panels_sat_on(team_id, user_id)],
        "mentoring": {
            "offer": _row(offer, "id", "team_id", "user_id") if (offer := data.mentor_offer(team_id, user_id)) else None,
            "pairs": [_row(m, "team_id") for m in data.mentorships(team_id, user_id)],
        },
        "stretch": {
            "interests": [
                {**_row(i, "team_id", "user_id"), "title": a.title} for i, a in data.stretch_interests(team_id, user_id)
            ],
            "posted": [_row(a, "team_id", "submission_key") for a in data.stretch_posted(team_id, user_id)],
        },
        "groups": {
            "your_answers": groups.own_answers(team_id, user_id),
            "from_hr": groups.hr_groups(team_id, [user_id]).get(user_id, {}),
        }
        if can(own, Action.READ_OWN_GROUPS)
        else None,
        "withheld": list(withheld.values()),
    }  # fmt: skip


def request_export(session: Session, team_id: str, user_id: str, *, now: Callable[[], datetime]) -> bool:
    """Write the person's export to the outbox, for their own conversation with Ladder (composed when it is sent, so it
    holds what is true then). A second press while one waits, or within the same minute, adds nothing; True when this
    call wrote it."""
    if PersonData(session).export_pending(team_id, user_id, MY_DATA):
        return False
    at = now()
    filename = export_filename(user_id, at)
    return Outbox(session).enqueue(
        team_id, f"my-data:{user_id}:{at:%Y%m%dT%H%M}", MY_DATA, user_id, {"filename": filename}, due_at=at
    )


def export_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def export_filename(user_id: str, at: datetime) -> str:
    """Unique per person and minute: a resend can tell it was uploaded already."""
    return f"ladder-my-data-{user_id}-{at:%Y%m%dT%H%M}.json"


def _nomination(
    docket: Docket, team_id: str, viewer: str, case: Case, cycles: dict[int, str], withhold: Callable[[str, int, str], None]
) -> dict[str, Any]:
    """One nomination of or by the viewer, with each part only as the policy lets them read it."""
    n = case.nomination
    may = lambda action: docket.may(viewer, team_id, case, action)  # noqa: E731 - one nomination, many questions
    about_you = n.nominee == viewer
    out: dict[str, Any] = {
        "id": n.id, "you_are": "nominee" if about_you else "nominator", "cycle": cycles.get(n.cycle_id),
        "nominee": n.nominee, "nominator": n.nominator, "from_level": n.from_level, "target_level": n.target_level,
        "track_switch": n.track_switch,
    }  # fmt: skip
    if may(Action.READ_NOMINATION_STAGE):
        out |= {
            "stage": n.stage, "created_at": _iso(n.created_at), "submitted_at": _iso(n.submitted_at),
            "reviews_due_on": _iso(n.reviews_due_on),
        }  # fmt: skip
    if may(Action.READ_NOMINATION_CASE):
        out |= {"case": dict(n.case), "portfolio": list(n.portfolio)}
    elif about_you:
        withhold(
            "the case your nominator wrote for you",
            1,
            "a nomination's case is read by its nominator and the review panel alone (confidentiality policy: read_nomination_case)",
        )
    if may(Action.READ_REVIEW_PROGRESS):
        out["reviewers_asked"] = [{"reviewer": r.reviewer, "status": r.status} for r in case.requests]
    submitted = [r for r in case.requests if r.status == SUBMITTED and r.reviewer != viewer]
    if about_you:
        withhold(
            "peer reviews of you",
            _unreadable(docket, viewer, team_id, case, submitted, Action.READ_REVIEW),
            "peer reviews are read by their author and the review panel alone (confidentiality policy: read_review)",
        )
        withhold(
            "review panel scores of you",
            _unreadable(
                docket, viewer, team_id, case, [s for s in case.scores if s.panelist != viewer], Action.READ_PANEL_SCORES
            ),
            "panelists' scores and rationale are read by the panel alone (confidentiality policy: read_panel_scores)",
        )
    decisions = [d for d in (case.decision, case.appeal_decision) if d is not None]
    for decision in decisions:
        if decision.published_at is None:
            if about_you:
                withhold("decisions not yet published", 1, "a decision is read once it is published, nominee first")
            continue
        key = "decision" if decision.round == "review" else "appeal_decision"
        if may(Action.READ_DECISION):
            out[key] = _row(decision, "id", "team_id", "nomination_id", "panel_id", "decided_by", "deciders")
        elif may(Action.READ_OUTCOME):
            out[key] = {"outcome": decision.outcome, "published_at": _iso(decision.published_at)}
    if case.appeal is not None and case.appeal.appellant == viewer:
        out["appeal"] = {"reason": case.appeal.reason, "status": case.appeal.status, "filed_at": _iso(case.appeal.filed_at)}
    return out


def _unreadable(
    docket: Docket, viewer: str, team_id: str, case: Case, records: Iterable[ReviewRequest | PanelScore], action: Action
) -> int:
    """How many of ``records`` the viewer may not read (a peer review: only its author; a score: the panel)."""
    if action is Action.READ_REVIEW:
        reviews = [r for r in records if isinstance(r, ReviewRequest)]
        return sum(not can(relations(viewer, None, reviewers=frozenset({r.reviewer})), action) for r in reviews)
    return 0 if docket.may(viewer, team_id, case, action) else len(list(records))


def _plan(plan: GrowthPlan) -> dict[str, Any]:
    return {
        "current_level": plan.current.id if plan.current else None,
        "target_level": plan.target.id if plan.target else None,
        "rests_on_a_checkin": plan.rated,
        "gaps": [
            {
                "competency": g.competency.id,
                "expectation": g.expectation,
                "your_rating": g.rating.id if g.rating else None,
                "your_words": g.own_words,
                "mentors_suggested": list(g.mentors),
                "opportunities": [{"id": o.id, "title": o.title} for o in g.opportunities],
            }  # fmt: skip
            for g in plan.gaps
        ],
        "from_the_review_panel": {c.id: text for c, text in plan.panel_next},
    }


def _row(row: SQLModel, *leave_out: str) -> dict[str, Any]:
    """A record's fields in the order its table declares them (dates as ISO text)."""
    return {k: _iso(getattr(row, k)) for k in type(row).model_fields if k not in leave_out}


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
