"""Tables. Every row carries the Slack team id it belongs to, and every unique key includes it."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any, Callable

from sqlalchemy import JSON, Column, DateTime, Dialect, Text, UniqueConstraint, event
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def name_key(name: str) -> str:
    """The form in which two names of one kind (cycles, panels) may not coincide: "2027 H1" and " 2027  h1" are one."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on every database.

    PostgreSQL keeps the zone but SQLite stores none and reads back naive datetimes; without
    this, comparing a stored time with ``utcnow()`` would work on one database and raise on the
    other. The column itself is a plain ``DateTime(timezone=True)``, so migrations need no import.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Person(SQLModel, table=True):
    """Someone whose level Ladder knows, so it can answer "what's my next level?"."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_person_team_user"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32)
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)
    track: str = Field(max_length=64)
    level: str = Field(max_length=64)
    manager_user_id: str | None = Field(default=None, max_length=32)
    level_since: date | None = Field(default=None)
    """Since when they hold their level (an import's column, or a promotion's effective date); None when unknown."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class ProcessedEvent(SQLModel, table=True):
    """A Slack event already answered; a redelivery of it is acknowledged and skipped."""

    __tablename__ = "processed_event"

    team_id: str = Field(primary_key=True, max_length=32)
    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, index=True))


def _json(factory: Callable[[], Any]) -> Any:
    return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


# -- the outbox and the clock -------------------------------------------------------------------------


class OutboxMessage(SQLModel, table=True):
    """A message Ladder must deliver, written in the same transaction as the change that causes it.

    ``key`` says what the message is for (person + purpose + due date), so writing it twice — a
    retried request, two racing clocks — leaves one row, and so one message.
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_outbox_team_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=200)
    purpose: str = Field(max_length=40)
    recipient: str = Field(max_length=32)
    """A user id (delivered as a direct message) or a channel id."""
    payload: dict[str, Any] = _json(dict)
    """chat.postMessage arguments other than channel: text and blocks."""
    status: str = Field(default="pending", max_length=12, index=True)
    respect_dnd: bool = Field(default=False)
    due_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, index=True))
    attempts: int = Field(default=0)
    claimed_at: datetime | None = _when()
    """Set while a sender holds the message; a claim older than the lease is recovered."""
    claim: str | None = Field(default=None, max_length=32)
    """The holder's token: only the sender that holds the claim may settle the message."""
    sent_at: datetime | None = _when()
    ts: str | None = Field(default=None, max_length=32)
    channel: str | None = Field(default=None, max_length=32)
    """The conversation Slack delivered it in (a DM channel id for a user), from Slack's answer."""
    error: str | None = Field(default=None, max_length=200)
    file_id: str | None = Field(default=None, max_length=32)
    """The file Slack stored for an uploaded document: what is deleted if its reader may no longer read it."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class ClockLease(SQLModel, table=True):
    """Which ``ladder clock`` process runs the scheduler, until when; the others wait for it to lapse."""

    __tablename__ = "clock_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=120)
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class SenderHeartbeat(SQLModel, table=True):
    """A process running outbox senders, and when it last said so (by the database's clock): the live ones share each
    workspace's Slack rate limits between them. A process that stops deletes its row; a dead one's row ages out."""

    __tablename__ = "sender_heartbeat"

    process: str = Field(primary_key=True, max_length=120)
    seen_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))


# -- check-ins ------------------------------------------------------------------------------------------


class TeamSettings(SQLModel, table=True):
    """An organisation's defaults: the check-in cadence and the calendar of days off."""

    __tablename__ = "team_settings"

    team_id: str = Field(primary_key=True, max_length=32)
    default_cadence: str = Field(default="monthly", max_length=12)
    holiday_country: str | None = Field(default=None, max_length=8)
    holiday_subdivision: str | None = Field(default=None, max_length=16)
    extra_holidays: list[str] = _json(list)
    """ISO dates the organisation takes off besides its country's public holidays."""
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class CheckinSchedule(SQLModel, table=True):
    """When one person's next check-in prompt is due, and the choices that decide it."""

    __tablename__ = "checkin_schedule"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_checkin_schedule_team_user"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    cadence: str | None = Field(default=None, max_length=12)
    """None follows the team's default."""
    weekday: int = Field(default=0)
    timezone: str | None = Field(default=None, max_length=64)
    """The person's Slack timezone (users.info, user_change); None until Slack has told us."""
    away_start: date | None = Field(default=None)
    away_end: date | None = Field(default=None)
    next_prompt_at: datetime | None = _when(index=True)
    last_prompt_on: date | None = Field(default=None)
    """The local date of the last prompt sent: the next one counts its cadence from here."""
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class Checkin(SQLModel, table=True):
    """A completed check-in: private to the person unless they shared it with their manager."""

    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("team_id", "submission_key", name="uq_checkin_team_submission"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32, index=True)
    submission_key: str = Field(max_length=64)
    """The modal's view id: a double-submitted modal is stored once."""
    track: str | None = Field(default=None, max_length=64)
    level: str | None = Field(default=None, max_length=64)
    """The level the person rated themselves against (their next level when they check in)."""
    went_well: str = Field(default="")
    ratings: dict[str, str] = _json(dict)
    """Competency id → rubric rating id."""
    notes: dict[str, str] = _json(dict)
    """Competency id → the person's own words about it."""
    goals: str = Field(default="")
    obstacles: str = Field(default="")
    support: list[str] = _json(list)
    shared_with: str | None = Field(default=None, max_length=32)
    """The manager's user id when the person chose to share it; None keeps it private."""
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, index=True))


class CheckinDraft(SQLModel, table=True):
    """What someone typed into a check-in they closed halfway, offered again when they reopen it."""

    __tablename__ = "checkin_draft"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    answers: dict[str, Any] = _json(dict)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


# -- growth: mentors and stretch work -----------------------------------------------------------------


class MentorOffer(SQLModel, table=True):
    """Someone who opted in as a mentor, the competencies they offer and how many mentees they take."""

    __tablename__ = "mentor_offer"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_mentor_offer_team_user"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    competencies: list[str] = _json(list)
    capacity: int = Field(default=2)
    active: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class Mentorship(SQLModel, table=True):
    """A mentee's request to a mentor, and once accepted, the pair with its own check-in cadence."""

    __tablename__ = "mentorship"
    __table_args__ = (UniqueConstraint("team_id", "mentee", "mentor", name="uq_mentorship_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    mentee: str = Field(max_length=32, index=True)
    mentor: str = Field(max_length=32, index=True)
    competency: str | None = Field(default=None, max_length=64)
    status: str = Field(default="requested", max_length=12)
    cadence: str = Field(default="biweekly", max_length=12)
    requested_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    decided_at: datetime | None = _when()
    next_checkin_at: datetime | None = _when(index=True)
    last_checkin_on: date | None = Field(default=None)


class StretchAssignment(SQLModel, table=True):
    """A time-bound opportunity to grow: what it is, what it grows, when, and who to ask."""

    __tablename__ = "stretch_assignment"
    __table_args__ = (UniqueConstraint("team_id", "submission_key", name="uq_stretch_team_submission"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    submission_key: str = Field(max_length=64)
    poster: str = Field(max_length=32)
    title: str = Field(max_length=150)
    description: str = Field(default="")
    competencies: list[str] = _json(list)
    levels: list[str] = _json(list)
    """Level ids it suits; empty for any level."""
    starts_on: date
    ends_on: date
    contact: str = Field(max_length=32)
    status: str = Field(default="open", max_length=12)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class StretchInterest(SQLModel, table=True):
    """Who raised a hand for an opportunity, and who took it: the record a fairness audit reads."""

    __tablename__ = "stretch_interest"
    __table_args__ = (UniqueConstraint("team_id", "assignment_id", "user_id", name="uq_stretch_interest"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    assignment_id: int = Field(foreign_key="stretch_assignment.id", index=True)
    user_id: str = Field(max_length=32)
    status: str = Field(default="interested", max_length=12)
    """interested, then taken (given the work) or withdrawn."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    taken_at: datetime | None = _when()


# -- roles, promotion nominations, peer reviews, the evidence log, the audit trail -------------------


class Role(SQLModel, table=True):
    """A role someone holds in Ladder beyond what the people table says (today: admin)."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "role", name="uq_role_team_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    role: str = Field(max_length=20)
    granted_by: str = Field(max_length=64)
    """A Slack user id, or ``cli`` when granted on the command line."""
    granted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class PromotionCycle(SQLModel, table=True):
    """A promotion round: nominations are made in one, and its policies (the reviewer cap) apply to them.

    Its dates drive the clock: nominations from ``opens_on``, peer reviews due on ``reviews_due_on``, panel
    review from ``panel_from``, decisions published on ``decisions_on``, then ``appeal_days`` working days
    for appeals. Only ``opens_on`` is set on the default cycle Ladder makes until an admin sets cycles up."""

    __tablename__ = "promotion_cycle"
    __table_args__ = (
        UniqueConstraint("team_id", "name", name="uq_cycle_team_name"),
        UniqueConstraint("team_id", "name_key", name="uq_cycle_team_name_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    name: str = Field(max_length=80)
    name_key: str = Field(default="", max_length=80)
    """:func:`name_key` of the name: two cycles whose names differ only in case or spacing cannot coexist."""
    opens_on: date
    reviews_due_on: date | None = Field(default=None)
    """When peer reviews are due; None gives each nomination its own window from its submission."""
    panel_from: date | None = Field(default=None)
    decisions_on: date | None = Field(default=None)
    appeal_days: int = Field(default=10)
    review_cap: int = Field(default=5)
    """How many reviews one person may be asked for in this cycle (fatigue is real)."""
    status: str = Field(default="open", max_length=12)
    """open, or closed (by an admin): a closed cycle takes no nominations."""
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    closed_at: datetime | None = _when()


class Panel(SQLModel, table=True):
    """Who judges which nominations: members and a chair, a private channel for digests, and a scope."""

    __tablename__ = "panel"
    __table_args__ = (
        UniqueConstraint("team_id", "name", name="uq_panel_team_name"),
        UniqueConstraint("team_id", "name_key", name="uq_panel_team_name_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    name: str = Field(max_length=80)
    name_key: str = Field(default="", max_length=80)
    """:func:`name_key` of the name."""
    kind: str = Field(default="review", max_length=12)
    """review, or appeal (hears appeals against other panels' decisions)."""
    chair: str = Field(max_length=32)
    channel: str | None = Field(default=None, max_length=32)
    scope: dict[str, list[str]] = _json(dict)
    """``{"families": [...], "tracks": [...], "levels": [...]}`` of the target level; an empty list is any."""
    created_by: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class PanelMember(SQLModel, table=True):
    __tablename__ = "panel_member"
    __table_args__ = (UniqueConstraint("team_id", "panel_id", "user_id", name="uq_panel_member"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    panel_id: int = Field(foreign_key="panel.id", index=True)
    user_id: str = Field(max_length=32, index=True)


class Nomination(SQLModel, table=True):
    """A case for someone's promotion: a draft until submitted, then collecting reviews, then ready for a panel.

    ``draft_key`` and ``open_key`` are set only in the stages they name and are unique, so the database
    itself keeps one draft per nominator, nominee and cycle, and one open nomination per nominee and cycle.
    """

    __tablename__ = "nomination"
    __table_args__ = (
        UniqueConstraint("team_id", "draft_key", name="uq_nomination_draft"),
        UniqueConstraint("team_id", "open_key", name="uq_nomination_open"),
        UniqueConstraint("team_id", "submission_key", name="uq_nomination_submission"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    cycle_id: int = Field(foreign_key="promotion_cycle.id", index=True)
    nominee: str = Field(max_length=32, index=True)
    nominator: str = Field(max_length=32, index=True)
    from_level: str = Field(max_length=64)
    target_level: str = Field(max_length=64)
    track_switch: bool = Field(default=False)
    stage: str = Field(default="draft", max_length=12)
    case: dict[str, str] = _json(dict)
    """Competency id → the nominator's evidence against the target level's expectation."""
    portfolio: list[dict[str, Any]] = _json(list)
    """Items ``{"kind", "text", "link", "evidence_id"}``: shipped work, patents, talks, mentoring, other."""
    reviewers: list[str] = _json(list)
    """The reviewers picked in a draft; once submitted, the review requests are the record."""
    draft_key: str | None = Field(default=None, max_length=120)
    open_key: str | None = Field(default=None, max_length=120)
    framework_version: int | None = Field(default=None)
    """The tenant's published framework version the case was submitted under; None: the deployment's default."""
    submission_key: str | None = Field(default=None, max_length=64)
    reviews_due_on: date | None = Field(default=None)
    closes_at: datetime | None = _when(index=True)
    """When reviews close: the end of the due date anywhere on Earth (UTC-12)."""
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    submitted_at: datetime | None = _when()
    requests_sent_at: datetime | None = _when()
    """When its review requests were written: after the submission is acknowledged (by the clock, if that failed)."""
    stage_changed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class ReviewRequest(SQLModel, table=True):
    """A peer asked to review a nomination, and once written, their review (read by the panel and by them alone)."""

    __tablename__ = "review_request"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", "reviewer", name="uq_review_request"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    reviewer: str = Field(max_length=32, index=True)
    cycle_id: int = Field(foreign_key="promotion_cycle.id", index=True)
    status: str = Field(default="requested", max_length=12)
    """requested, submitted, declined, expired (the due date passed) or cancelled (the nomination was withdrawn)."""
    timezone: str | None = Field(default=None, max_length=64)
    next_reminder_at: datetime | None = _when(index=True)
    ratings: dict[str, str] = _json(dict)
    examples: dict[str, str] = _json(dict)
    recommendation: str | None = Field(default=None, max_length=20)
    conflicts: list[str] = _json(list)
    comment: str = Field(default="")
    decline_reason: str = Field(default="")
    replaced: bool = Field(default=False)
    requested_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    answered_at: datetime | None = _when()
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class EvidenceItem(SQLModel, table=True):
    """A Slack message someone saved as evidence of a person's work, with a note and the competencies it shows."""

    __tablename__ = "evidence_item"
    __table_args__ = (UniqueConstraint("team_id", "submission_key", name="uq_evidence_submission"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    subject: str = Field(max_length=32, index=True)
    """Whose work it is."""
    author: str = Field(max_length=32, index=True)
    submission_key: str = Field(max_length=64)
    permalink: str | None = Field(default=None, max_length=500)
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    note: str = Field(default="")
    competencies: list[str] = _json(list)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, index=True))


class AuditEvent(SQLModel, table=True):
    """Append-only: who did what to which object, when; never the confidential text itself."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    object_kind: str = Field(max_length=20)
    object_id: int = Field(index=True)
    action: str = Field(max_length=30)
    actor: str = Field(max_length=64)
    detail: dict[str, Any] = _json(dict)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, index=True))


# -- review panels: declared conflicts, scores, decisions, appeals, level changes ------------------------


class ConflictDeclaration(SQLModel, table=True):
    """A panel member's own word that they should not judge a nomination (recused for it from then on)."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", "user_id", name="uq_conflict_declaration"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    user_id: str = Field(max_length=32)
    declared_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class PanelScore(SQLModel, table=True):
    """One panelist's independent score of a nomination: per competency, a recommendation and a rationale.

    Editable by its author until they read the others' scores or the nomination is decided, never after."""

    __tablename__ = "panel_score"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", "panelist", name="uq_panel_score"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    panel_id: int = Field(foreign_key="panel.id", index=True)
    panelist: str = Field(max_length=32)
    ratings: dict[str, str] = _json(dict)
    """Competency id → rubric rating id."""
    recommendation: str = Field(max_length=20)
    rationale: str = Field(default="")
    flags: list[dict[str, str]] = _json(list)
    """Criteria the panelist found unclear or inconsistent: ``{"competency", "note"}``, for the cycle report."""
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    sealed_at: datetime | None = _when()
    """When its author first read the other members' scores: from then on it can no longer change."""


class PanelDecision(SQLModel, table=True):
    """The outcome of a nomination: the review panel's (round ``review``), or an appeal's (round ``appeal``, final).

    One per nomination and round, so a decision cannot be recorded twice."""

    __tablename__ = "panel_decision"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", "round", name="uq_panel_decision"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    panel_id: int | None = Field(default=None, foreign_key="panel.id")
    round: str = Field(default="review", max_length=12)
    outcome: str = Field(max_length=12)
    """promote, not_yet or defer (an appeal: upheld or promote)."""
    effective_on: date | None = Field(default=None)
    feedback: dict[str, str] = _json(dict)
    """Competency id → the panel's written feedback."""
    next_steps: dict[str, str] = _json(dict)
    """Competency id → what's next (required for not yet): it feeds the person's growth plan."""
    summary: str = Field(default="")
    decided_by: str = Field(max_length=32)
    deciders: list[str] = _json(list)
    """Everyone who judged it (the chair and the panelists who scored): an appeal goes to none of them."""
    framework_version: int | None = Field(default=None)
    """The tenant's published framework version it was decided under; None: the deployment's default."""
    decided_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    published_at: datetime | None = _when(index=True)


class Appeal(SQLModel, table=True):
    """A nominee's appeal against a published decision, heard by people who did not decide it the first time."""

    __tablename__ = "appeal"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", name="uq_appeal_nomination"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    appellant: str = Field(max_length=32)
    reason: str = Field(default="")
    panel_id: int | None = Field(default=None, foreign_key="panel.id")
    hearers: list[str] = _json(list)
    """Who hears it: the appeal panel's members who did not decide the first time (the first is its chair)."""
    status: str = Field(default="filed", max_length=12)
    """filed, then decided."""
    filed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    decided_at: datetime | None = _when()


class LevelChange(SQLModel, table=True):
    """A promotion's level change: recorded when the decision is published, applied on its effective date.

    The rows are the person's level history: the old level stays here after the people table moves on."""

    __tablename__ = "level_change"
    __table_args__ = (UniqueConstraint("team_id", "nomination_id", name="uq_level_change_nomination"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32, index=True)
    nomination_id: int | None = Field(default=None, foreign_key="nomination.id")
    from_track: str = Field(max_length=64)
    from_level: str = Field(max_length=64)
    to_track: str = Field(max_length=64)
    to_level: str = Field(max_length=64)
    effective_on: date = Field(index=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    applied_at: datetime | None = _when()


class PersonGroup(SQLModel, table=True):
    """What group a person belongs to under one attribute (gender, location, …), read by the fairness audit alone.

    ``source`` is ``hr`` (``ladder people groups import``) or ``self`` (the person's own answer from the App Home);
    both may be held, and the audit reads the person's own answer first. Kept apart from :class:`Person` so that no
    other read path can reach it by accident."""

    __tablename__ = "person_group"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "attribute", "source", name="uq_person_group"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    user_id: str = Field(max_length=32, index=True)
    attribute: str = Field(max_length=64)
    value: str = Field(max_length=200)
    source: str = Field(default="hr", max_length=8)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class Erasure(SQLModel, table=True):
    """That someone was erased, under the pseudonym their remaining records now carry (never their Slack id)."""

    __tablename__ = "erasure"
    __table_args__ = (UniqueConstraint("team_id", "pseudonym", name="uq_erasure_pseudonym"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    pseudonym: str = Field(max_length=32)
    erased_by: str = Field(max_length=64)
    summary: dict[str, int] = _json(dict)
    """Table → rows removed or pseudonymised."""
    erased_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


def _keep_name_key(_mapper: Any, _connection: Any, row: PromotionCycle | Panel) -> None:
    row.name_key = name_key(row.name)


for _named in (PromotionCycle, Panel):  # however a row is written through the ORM, its key follows its name
    event.listen(_named, "before_insert", _keep_name_key)
    event.listen(_named, "before_update", _keep_name_key)


# -- tenants: installed workspaces and enterprises, and the ladders they publish --------------------------------------


class Tenant(SQLModel, table=True):
    """Whom Ladder serves, one row per installation: a workspace (its id a T…), or an enterprise installed org-wide (its
    id an E…, every workspace of it one tenant: people, nominations and cycles span them). Every other table's
    ``team_id`` holds a tenant's id. In single-workspace mode (one configured bot token) its row is written when it is uninstalled."""

    __tablename__ = "tenant"

    id: str = Field(primary_key=True, max_length=32)
    enterprise_id: str | None = Field(default=None, max_length=32)
    """The enterprise a workspace install belongs to (it stays its own tenant), or the org-wide install's own id."""
    org_wide: bool = Field(default=False)
    name: str = Field(default="", max_length=200)
    status: str = Field(default="active", max_length=12)
    """active; or inactive from an ``app_uninstalled`` or ``tokens_revoked`` on: no Web API call is made for it."""
    installed_by: str | None = Field(default=None, max_length=32)
    installed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    inactive_since: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    inactive_reason: str | None = Field(default=None, max_length=40)
    revoked_token_digest: str | None = Field(default=None, max_length=64)
    """Single-workspace mode: the sha256 (hex) of the configured bot token an uninstall or revocation made dead, never
    the token; a process configured with it makes no Slack call, one with a new token makes the tenant active again."""


class TenantWorkspace(SQLModel, table=True):
    """A Slack workspace a tenant spans (a workspace install: its own; an org-wide install: each workspace it is seen in),
    so a workspace id given on the command line, or arriving in a request, names its tenant."""

    __tablename__ = "tenant_workspace"

    team_id: str = Field(primary_key=True, max_length=32)
    tenant_id: str = Field(max_length=32, index=True)
    name: str = Field(default="", max_length=200)


class FrameworkVersion(SQLModel, table=True):
    """A career framework an organisation published: each publish is the next version, the latest is in force, and what
    was decided under an earlier one keeps citing it. Until a tenant publishes one the shipped default applies."""

    __tablename__ = "framework_version"
    __table_args__ = (UniqueConstraint("team_id", "version", name="uq_framework_version_team_version"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    version: int
    text: str = Field(sa_column=Column(Text(), nullable=False))
    """The framework file as checked (YAML)."""
    digest: str = Field(max_length=64)
    """sha256 of ``text``: publishing what is already in force adds no version."""
    source: str = Field(default="", max_length=200)
    """What was published: the file's name."""
    published_by: str = Field(max_length=64)
    """A Slack user id, or ``cli``."""
    published_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))


class FrameworkUpload(SQLModel, table=True):
    """A framework file an admin uploaded to Ladder in Slack, as it was checked: Publish publishes this text (never the
    file downloaded again, which may have changed since). One row per upload (its outbox key)."""

    __tablename__ = "framework_upload"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_framework_upload_team_key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    key: str = Field(max_length=200)
    source: str = Field(default="", max_length=200)
    """The file's name."""
    text: str = Field(sa_column=Column(Text(), nullable=False))
    """The framework file as checked (at most a framework file's size)."""
    digest: str = Field(max_length=64)
    """sha256 of ``text``: what the check's message shows and Publish asks for."""
    uploaded_by: str = Field(max_length=64)
    checked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))



from storage import slack_tables  # noqa: E402, F401 - Slack's installation and OAuth state tables, on this metadata
