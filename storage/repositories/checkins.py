"""Check-ins, their drafts, each person's schedule and the team's defaults, inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.models import Checkin, CheckinDraft, CheckinSchedule, Person, TeamSettings, utcnow
from storage.repositories.once import insert_once


class CheckinRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- team defaults ---------------------------------------------------------------------------------

    def team_settings(self, team_id: str) -> TeamSettings:
        return self._session.get(TeamSettings, team_id) or TeamSettings(team_id=team_id)

    def save_team_settings(self, settings: TeamSettings) -> None:
        settings.updated_at = utcnow()
        self._session.merge(settings)

    # -- schedules -------------------------------------------------------------------------------------

    def schedule(self, team_id: str, user_id: str) -> CheckinSchedule | None:
        return self._session.exec(
            select(CheckinSchedule).where(CheckinSchedule.team_id == team_id, CheckinSchedule.user_id == user_id)
        ).first()

    def add_schedule(self, schedule: CheckinSchedule) -> CheckinSchedule:
        """Insert a schedule; if another request created it first, return that one instead."""
        insert_once(self._session, schedule, ["team_id", "user_id"])
        stored = self.schedule(schedule.team_id, schedule.user_id)
        assert stored is not None
        return stored

    def schedules(self, team_id: str, user_id: str | None = None) -> Sequence[CheckinSchedule]:
        query = select(CheckinSchedule).where(CheckinSchedule.team_id == team_id)
        if user_id:
            query = query.where(CheckinSchedule.user_id == user_id)
        return self._session.exec(query.order_by(CheckinSchedule.user_id)).all()

    def due_schedules(self, now: datetime, limit: int) -> Sequence[CheckinSchedule]:
        query = (
            select(CheckinSchedule)
            .where(col(CheckinSchedule.next_prompt_at).is_not(None), col(CheckinSchedule.next_prompt_at) <= now)
            .order_by(col(CheckinSchedule.next_prompt_at), col(CheckinSchedule.id))
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self._session.exec(query).all()

    def people_without_schedule(self, limit: int) -> Sequence[Person]:
        scheduled = (
            select(CheckinSchedule.id)
            .where(CheckinSchedule.team_id == Person.team_id, CheckinSchedule.user_id == Person.user_id)
            .exists()
        )
        return self._session.exec(select(Person).where(~scheduled).order_by(col(Person.id)).limit(limit)).all()

    def schedules_without_timezone(self, limit: int) -> Sequence[CheckinSchedule]:
        return self._session.exec(
            select(CheckinSchedule).where(col(CheckinSchedule.timezone).is_(None)).order_by(col(CheckinSchedule.id)).limit(limit)
        ).all()

    # -- check-ins and drafts --------------------------------------------------------------------------

    def add(self, checkin: Checkin) -> Checkin:
        """Store a submitted check-in once, however often the same modal is submitted."""
        insert_once(self._session, checkin, ["team_id", "submission_key"])
        stored = self._session.exec(
            select(Checkin).where(Checkin.team_id == checkin.team_id, Checkin.submission_key == checkin.submission_key)
        ).one()
        return stored

    def recent(self, team_id: str, user_id: str, limit: int) -> Sequence[Checkin]:
        return self._session.exec(
            select(Checkin)
            .where(Checkin.team_id == team_id, Checkin.user_id == user_id)
            .order_by(col(Checkin.submitted_at).desc(), col(Checkin.id).desc())
            .limit(limit)
        ).all()

    def latest_of_each(self, team_id: str, user_ids: Sequence[str]) -> dict[str, Checkin]:
        """Each listed person's latest check-in (for mentor suggestions), in one query."""
        if not user_ids:
            return {}
        newest = (
            select(func.max(Checkin.id))
            .where(Checkin.team_id == team_id, col(Checkin.user_id).in_(user_ids))
            .group_by(Checkin.user_id)
        )
        return {c.user_id: c for c in self._session.exec(select(Checkin).where(col(Checkin.id).in_(newest)))}

    def count(self, team_id: str, user_id: str) -> int:
        return self._session.exec(
            select(func.count()).select_from(Checkin).where(Checkin.team_id == team_id, Checkin.user_id == user_id)
        ).one()

    def draft(self, team_id: str, user_id: str) -> dict[str, Any] | None:
        found = self._session.get(CheckinDraft, (team_id, user_id))
        return dict(found.answers) if found else None

    def save_draft(self, team_id: str, user_id: str, answers: dict[str, Any]) -> None:
        self._session.merge(CheckinDraft(team_id=team_id, user_id=user_id, answers=answers, updated_at=utcnow()))

    def discard_draft(self, team_id: str, user_id: str) -> None:
        self._session.execute(
            delete(CheckinDraft).where(col(CheckinDraft.team_id) == team_id, col(CheckinDraft.user_id) == user_id)
        )
