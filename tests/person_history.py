"""A person with years of history in an organisation, written straight into the tables: what the erasure and export
tests check and what bench/bench_erase.py times.

The subject has a row in every table that can hold something about a person: check-ins every month, a draft,
preferences, evidence about them and by them, nominations of them (decided with reviews, scores, a decision and an
appeal; one still collecting reviews in the open cycle), a nomination they made and a draft, reviews they wrote, scores
they gave, decisions they took, appeals they heard, panels they sit on and chair, mentoring both ways, stretch work,
group data, a role, outbox messages and audit entries. Text they wrote that erasure removes carries
:data:`PRIVATE`; text they wrote in records others' outcomes rest on carries :data:`KEPT`; other people mention
their name and Slack id in their own check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from storage.models import (
    Appeal,
    AuditEvent,
    Checkin,
    CheckinDraft,
    CheckinSchedule,
    ConflictDeclaration,
    EvidenceItem,
    LevelChange,
    MentorOffer,
    Mentorship,
    Nomination,
    OutboxMessage,
    Panel,
    PanelDecision,
    PanelMember,
    PanelScore,
    Person,
    PersonGroup,
    PromotionCycle,
    ReviewRequest,
    Role,
    StretchAssignment,
    StretchInterest,
)

TEAM = "T0TEST"
SUBJECT = "U0ERASE"
NAME = "Zoë Erasmus-Quill"
EMAIL = "zoe.quill@example.com"
PRIVATE = "ZQPRIVATE"
"""In text the subject wrote that erasure removes."""
KEPT = "ZQKEPT"
"""In text the subject wrote in records others' outcomes rest on (kept, pseudonymised)."""
START = datetime(2021, 1, 4, 9, tzinfo=UTC)


@dataclass(frozen=True)
class History:
    people: list[str]
    manager: str
    reports: list[str]
    checkins: int
    nominations_of_subject: list[int]


def person_id(i: int) -> str:
    return f"U0P{i:04d}"


def seed_history(engine: Engine, *, people: int = 12, years: int = 1, team: str = TEAM) -> History:
    """The organisation (``people`` besides the subject, each checking in monthly for ``years``) and the subject's
    history. Returns who is who."""
    months = 12 * years
    others = [person_id(i) for i in range(1, people + 1)]
    manager, reports = others[0], others[1:4]
    rows: list[SQLModel] = []
    with Session(engine) as session:
        session.add(Person(team_id=team, user_id=SUBJECT, name=NAME, email=EMAIL, track="ic", level="senior", manager_user_id=manager, level_since=date(2022, 7, 1)))  # fmt: skip
        for i, user in enumerate(others, start=1):
            session.add(
                Person(
                    team_id=team, user_id=user, name=f"Person {i}", track="ic", level="staff" if i < 4 else "se2",
                    manager_user_id=SUBJECT if user in reports else (manager if user != manager else None),
                )
            )  # fmt: skip
        for month in range(months):
            at = START + timedelta(days=30 * month)
            rows.append(
                Checkin(
                    team_id=team, user_id=SUBJECT, submission_key=f"V{SUBJECT}{month}", track="ic", level="staff",
                    went_well=f"{PRIVATE} went well {month}", ratings={"technical_depth": "partly"},
                    notes={"technical_depth": f"{PRIVATE} note {month}"}, goals=f"{PRIVATE} goal", obstacles="",
                    support=["mentoring"], shared_with=manager if month % 2 else None, submitted_at=at,
                )
            )  # fmt: skip
            for user in others:
                rows.append(
                    Checkin(
                        team_id=team, user_id=user, submission_key=f"V{user}{month}", track="ic", level="staff",
                        went_well=f"Paired with {NAME} on the migration" if user == reports[0] and month == 0 else "Shipped",
                        notes={"technical_depth": f"asked <@{SUBJECT}> for a review"} if user == reports[1] and month == 0 else {},
                        shared_with=SUBJECT if user in reports and month % 3 == 0 else None, submitted_at=at,
                    )
                )  # fmt: skip
            rows += [
                AuditEvent(team_id=team, object_kind="checkin", object_id=0, action="checked_in", actor=user, at=at)
                for user in others
            ]
            rows.append(
                OutboxMessage(
                    team_id=team, key=f"checkin:{SUBJECT}:{month}", purpose="checkin_prompt", recipient=SUBJECT,
                    payload={"message": "checkin_prompt", "context": {"key": f"{month}"}}, status="sent", due_at=at,
                )
            )  # fmt: skip
            for user in others:
                rows.append(
                    OutboxMessage(
                        team_id=team, key=f"checkin:{user}:{month}", purpose="checkin_prompt", recipient=user,
                        payload={"message": "checkin_prompt", "context": {"key": f"{month}"}}, status="sent", due_at=at,
                    )
                )  # fmt: skip
        session.add_all(rows)
        rows = []
        session.add(CheckinDraft(team_id=team, user_id=SUBJECT, answers={"went_well": f"{PRIVATE} half typed"}))
        session.add(CheckinSchedule(team_id=team, user_id=SUBJECT, cadence="monthly", timezone="Europe/London"))
        session.add(Role(team_id=team, user_id=SUBJECT, role="admin", granted_by="cli"))
        session.add(Role(team_id=team, user_id=reports[0], role="admin", granted_by=SUBJECT))
        session.add(PersonGroup(team_id=team, user_id=SUBJECT, attribute="gender", value="woman", source="self"))
        session.add(PersonGroup(team_id=team, user_id=SUBJECT, attribute="location", value="remote", source="hr"))
        session.add(MentorOffer(team_id=team, user_id=SUBJECT, competencies=["technical_depth"]))
        session.add(Mentorship(team_id=team, mentee=SUBJECT, mentor=others[4], status="accepted"))
        session.add(Mentorship(team_id=team, mentee=others[5], mentor=SUBJECT, status="accepted"))
        day = START.date()
        taken = StretchAssignment(team_id=team, submission_key="S1", poster=SUBJECT, title="Lead the incident review", description=f"{KEPT} stretch by {NAME}", starts_on=day, ends_on=day + timedelta(days=60), contact=SUBJECT)  # fmt: skip
        lonely = StretchAssignment(team_id=team, submission_key="S2", poster=SUBJECT, title=f"{PRIVATE} lonely", starts_on=day, ends_on=day + timedelta(days=60), contact=SUBJECT)  # fmt: skip
        theirs = StretchAssignment(team_id=team, submission_key="S3", poster=others[6], title="Run the guild", starts_on=day, ends_on=day + timedelta(days=60), contact=others[6])  # fmt: skip
        session.add_all([taken, lonely, theirs])
        session.flush()
        session.add(StretchInterest(team_id=team, assignment_id=taken.id, user_id=others[7], status="taken"))
        session.add(StretchInterest(team_id=team, assignment_id=theirs.id, user_id=SUBJECT, status="interested"))
        session.add(
            EvidenceItem(team_id=team, subject=SUBJECT, author=manager, submission_key="E1", note=f"Great work by {NAME}")
        )
        session.add(
            EvidenceItem(team_id=team, subject=SUBJECT, author=SUBJECT, submission_key="E2", note=f"{PRIVATE} my own win")
        )
        session.add(
            EvidenceItem(
                team_id=team, subject=reports[0], author=SUBJECT, submission_key="E3", note=f"{KEPT} evidence for a report"
            )
        )
        session.add(LevelChange(team_id=team, user_id=SUBJECT, from_track="ic", from_level="se2", to_track="ic", to_level="senior", effective_on=date(2022, 7, 1)))  # fmt: skip

        review_panel = Panel(team_id=team, name="IC panel", chair=manager, created_by=SUBJECT, scope={})
        appeal_panel = Panel(team_id=team, name="Appeals", kind="appeal", chair=SUBJECT, created_by="cli", scope={})
        session.add_all([review_panel, appeal_panel])
        session.flush()
        for panel, members in ((review_panel, [manager, SUBJECT, others[8], others[9]]), (appeal_panel, [SUBJECT, others[10]])):
            session.add_all([PanelMember(team_id=team, panel_id=panel.id, user_id=m) for m in members])
        nominations_of_subject: list[int] = []
        for year in range(years):
            for half in (0, 1):
                opens = date(2021 + year, 1 + 6 * half, 1)
                last = year == years - 1 and half == 1
                cycle = PromotionCycle(
                    team_id=team, name=f"{opens.year} H{half + 1}", opens_on=opens, status="open" if last else "closed",
                    created_by=SUBJECT if half else "cli", closed_at=None if last else START,
                )  # fmt: skip
                session.add(cycle)
                session.flush()
                _cycle(
                    session, team, cycle, review_panel, appeal_panel, others, reports, manager, nominations_of_subject, half, last
                )
        session.add(
            OutboxMessage(
                team_id=team, key=f"declined:{others[2]}", purpose="review_declined", recipient=others[2],
                payload={"message": "review_declined", "context": {"nomination_id": 1, "reviewer": SUBJECT}}, due_at=START,
            )
        )  # fmt: skip
        session.commit()
    return History([SUBJECT, *others], manager, reports, months, nominations_of_subject)


def _cycle(
    session: Session, team: str, cycle: PromotionCycle, review_panel: Panel, appeal_panel: Panel, others: list[str],
    reports: list[str], manager: str, nominations_of_subject: list[int], half: int, last: bool,
) -> None:  # fmt: skip
    """One cycle: a nomination of the subject (every other cycle), and the subject judging and reviewing others."""
    at = datetime.combine(cycle.opens_on, datetime.min.time(), tzinfo=UTC)
    submitted = {"requests_sent_at": at, "reviews_due_on": cycle.opens_on + timedelta(days=28)}
    if half == 0 or last:
        mine = Nomination(
            team_id=team, cycle_id=cycle.id, nominee=SUBJECT, nominator=manager, from_level="senior", target_level="staff",
            stage="collecting" if last else "published", case={"technical_depth": f"Case for {NAME}"},
            open_key=f"{cycle.id}:{SUBJECT}" if last else None, submitted_at=at, **submitted,
        )  # fmt: skip
        session.add(mine)
        session.flush()
        assert mine.id is not None
        nominations_of_subject.append(mine.id)
        session.add(ReviewRequest(team_id=team, nomination_id=mine.id, reviewer=others[2], cycle_id=cycle.id, status="submitted", comment=f"Review of {NAME}: strong"))  # fmt: skip
        session.add(AuditEvent(team_id=team, object_kind="nomination", object_id=mine.id, action="submitted", actor=manager, at=at, detail={"target": "staff"}))  # fmt: skip
        if not last:
            session.add(PanelScore(team_id=team, nomination_id=mine.id, panel_id=review_panel.id, panelist=others[8], ratings={}, recommendation="not_yet", rationale=f"{NAME} needs scope"))  # fmt: skip
            session.add(PanelDecision(team_id=team, nomination_id=mine.id, panel_id=review_panel.id, outcome="not_yet", decided_by=manager, deciders=[manager, others[8]], feedback={"technical_depth": "More scope"}, next_steps={"technical_depth": "Lead a cross-team design"}, summary="Not yet", published_at=at))  # fmt: skip
            session.add(Appeal(team_id=team, nomination_id=mine.id, appellant=SUBJECT, reason=f"{PRIVATE} my appeal", panel_id=appeal_panel.id, hearers=[others[10]], status="filed"))  # fmt: skip
    nominee = reports[half % len(reports)]
    theirs = Nomination(
        team_id=team, cycle_id=cycle.id, nominee=nominee, nominator=SUBJECT, from_level="se2", target_level="senior",
        stage="published" if not last else "collecting", case={"technical_depth": f"{KEPT} case by {NAME}"},
        reviewers=[SUBJECT, others[3]], submitted_at=at, **submitted,
    )  # fmt: skip
    other = Nomination(
        team_id=team, cycle_id=cycle.id, nominee=others[11 % len(others)], nominator=manager, from_level="se2",
        target_level="senior", stage="published" if not last else "collecting", case={"technical_depth": "Solid"}, submitted_at=at, **submitted,
    )  # fmt: skip
    session.add_all([theirs, other])
    session.flush()
    if last:
        draft = Nomination(
            team_id=team, cycle_id=cycle.id, nominee=reports[2], nominator=SUBJECT, from_level="se2", target_level="senior",
            case={"technical_depth": f"{PRIVATE} draft"}, draft_key=f"{cycle.id}:{SUBJECT}:{reports[2]}",
        )  # fmt: skip
        session.add(draft)
    session.add(ReviewRequest(team_id=team, nomination_id=other.id, reviewer=SUBJECT, cycle_id=cycle.id, status="submitted", comment=f"{KEPT} review comment", examples={"technical_depth": f"{KEPT} example"}, recommendation="promote"))  # fmt: skip
    session.add(ReviewRequest(team_id=team, nomination_id=theirs.id, reviewer=others[3], cycle_id=cycle.id, status="requested", next_reminder_at=at))  # fmt: skip
    session.add(ConflictDeclaration(team_id=team, nomination_id=theirs.id, user_id=SUBJECT))
    session.add(PanelScore(team_id=team, nomination_id=other.id, panel_id=review_panel.id, panelist=SUBJECT, ratings={"technical_depth": "meets"}, recommendation="promote", rationale=f"{KEPT} rationale", flags=[{"competency": "technical_depth", "note": f"{KEPT} flag"}]))  # fmt: skip
    if not last:
        session.add(PanelDecision(team_id=team, nomination_id=other.id, panel_id=review_panel.id, outcome="promote", decided_by=SUBJECT, deciders=[SUBJECT, manager], summary=f"{KEPT} summary", published_at=at))  # fmt: skip
        session.add(Appeal(team_id=team, nomination_id=theirs.id, appellant=nominee, reason="Please look again", panel_id=appeal_panel.id, hearers=[SUBJECT, others[10]], status="filed"))  # fmt: skip
    session.add(AuditEvent(team_id=team, object_kind="nomination", object_id=other.id, action="review_submitted", actor=SUBJECT, at=at, detail={"reviewer": SUBJECT}))  # fmt: skip
    session.add(AuditEvent(team_id=team, object_kind="nomination", object_id=theirs.id, action="review_requested", actor=SUBJECT, at=at, detail={"reviewer": others[3]}))  # fmt: skip
    session.add(
        OutboxMessage(
            team_id=team, key=f"packet:{other.id}:{SUBJECT}", purpose="panel_packet", recipient=SUBJECT,
            payload={"message": "panel_packet", "context": {"nomination_id": other.id}}, status="sent", due_at=at,
        )
    )  # fmt: skip
