"""Mentor offers, mentorships and stretch assignments, inside the caller's unit of work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.growth.states import ACCEPTED, ENDED, OPEN, REQUESTED
from storage.models import MentorOffer, Mentorship, StretchAssignment, StretchInterest
from storage.repositories.held import held
from storage.repositories.once import insert_once


class GrowthRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, row: MentorOffer | Mentorship | StretchAssignment | StretchInterest) -> None:
        self._session.add(row)

    # -- mentors ---------------------------------------------------------------------------------------

    def offer(self, team_id: str, user_id: str, *, for_update: bool = False) -> MentorOffer | None:
        """A mentor's offer; ``for_update`` holds it (:func:`held`): the mentor's requests, answers and offer changes
        then happen one after another, so two requests cannot both take the last place."""
        query = select(MentorOffer).where(MentorOffer.team_id == team_id, MentorOffer.user_id == user_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def add_offer(self, offer: MentorOffer) -> MentorOffer:
        """The person's offer, inserted unless they have one (two first submissions at once make one), then held."""
        insert_once(self._session, offer, ["team_id", "user_id"])
        stored = self.offer(offer.team_id, offer.user_id, for_update=True)
        assert stored is not None
        return stored

    def active_offers(self, team_id: str) -> Sequence[MentorOffer]:
        return self._session.exec(
            select(MentorOffer)
            .where(MentorOffer.team_id == team_id, col(MentorOffer.active).is_(True))
            .order_by(MentorOffer.user_id)
        ).all()

    def mentee_load(self, team_id: str) -> dict[str, tuple[int, int]]:
        """Mentor → (accepted or requested mentees now, mentorships ever accepted): the fairness inputs."""
        rows = self._session.exec(
            select(Mentorship.mentor, Mentorship.status, func.count())
            .where(Mentorship.team_id == team_id)
            .group_by(Mentorship.mentor, Mentorship.status)
        ).all()
        load: dict[str, tuple[int, int]] = {}
        for mentor, status, count in rows:
            now, ever = load.get(mentor, (0, 0))
            load[mentor] = (
                now + (count if status in (REQUESTED, ACCEPTED) else 0),
                ever + (count if status in (ACCEPTED, ENDED) else 0),
            )
        return load

    def mentorship(self, team_id: str, mentorship_id: int, *, for_update: bool = False) -> Mentorship | None:
        query = select(Mentorship).where(Mentorship.team_id == team_id, Mentorship.id == mentorship_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def pair(self, team_id: str, mentee: str, mentor: str) -> Mentorship | None:
        return self._session.exec(
            select(Mentorship).where(Mentorship.team_id == team_id, Mentorship.mentee == mentee, Mentorship.mentor == mentor)
        ).first()

    def add_mentorship(self, mentorship: Mentorship) -> Mentorship:
        insert_once(self._session, mentorship, ["team_id", "mentee", "mentor"])
        stored = self.pair(mentorship.team_id, mentorship.mentee, mentorship.mentor)
        assert stored is not None
        return stored

    def mentorships_of(self, team_id: str, user_id: str) -> Sequence[Mentorship]:
        return self._session.exec(
            select(Mentorship)
            .where(Mentorship.team_id == team_id, (Mentorship.mentee == user_id) | (Mentorship.mentor == user_id))
            .where(col(Mentorship.status).in_((REQUESTED, ACCEPTED)))
            .order_by(col(Mentorship.requested_at))
        ).all()

    def due_pairs(self, now: datetime, limit: int) -> Sequence[Mentorship]:
        return self._session.exec(
            select(Mentorship)
            .where(
                Mentorship.status == ACCEPTED,
                col(Mentorship.next_checkin_at).is_not(None),
                col(Mentorship.next_checkin_at) <= now,
            )
            .order_by(col(Mentorship.next_checkin_at))
            .limit(limit)
        ).all()

    # -- stretch work ----------------------------------------------------------------------------------

    def add_assignment(self, assignment: StretchAssignment) -> StretchAssignment:
        insert_once(self._session, assignment, ["team_id", "submission_key"])
        return self._session.exec(
            select(StretchAssignment).where(
                StretchAssignment.team_id == assignment.team_id, StretchAssignment.submission_key == assignment.submission_key
            )
        ).one()

    def assignment(self, team_id: str, assignment_id: int, *, for_update: bool = False) -> StretchAssignment | None:
        """One opportunity; ``for_update`` holds it (:func:`held`) until the unit of work ends, so two gives cannot both win."""
        query = select(StretchAssignment).where(StretchAssignment.team_id == team_id, StretchAssignment.id == assignment_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def open_assignments(self, team_id: str, today: date, limit: int = 200) -> Sequence[StretchAssignment]:
        return self._session.exec(
            select(StretchAssignment)
            .where(StretchAssignment.team_id == team_id, StretchAssignment.status == OPEN, StretchAssignment.ends_on >= today)
            .order_by(col(StretchAssignment.starts_on), col(StretchAssignment.id))
            .limit(limit)
        ).all()

    def posted_by(self, team_id: str, user_id: str, limit: int = 10) -> Sequence[StretchAssignment]:
        return self._session.exec(
            select(StretchAssignment)
            .where(StretchAssignment.team_id == team_id, StretchAssignment.poster == user_id)
            .order_by(col(StretchAssignment.created_at).desc())
            .limit(limit)
        ).all()

    def interest(self, team_id: str, assignment_id: int, user_id: str) -> StretchInterest | None:
        return self._session.exec(
            select(StretchInterest).where(
                StretchInterest.team_id == team_id,
                StretchInterest.assignment_id == assignment_id,
                StretchInterest.user_id == user_id,
            )
        ).first()

    def interest_by_id(self, team_id: str, interest_id: int, *, for_update: bool = False) -> StretchInterest | None:
        query = select(StretchInterest).where(StretchInterest.team_id == team_id, StretchInterest.id == interest_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def add_interest(self, interest: StretchInterest) -> tuple[StretchInterest, bool]:
        """Record a raised hand; (the row, whether it is new)."""
        new = insert_once(self._session, interest, ["team_id", "assignment_id", "user_id"])
        stored = self.interest(interest.team_id, interest.assignment_id, interest.user_id)
        assert stored is not None
        return stored, new

    def interests_in(self, team_id: str, assignment_ids: Sequence[int]) -> Sequence[StretchInterest]:
        if not assignment_ids:
            return []
        return self._session.exec(
            select(StretchInterest)
            .where(StretchInterest.team_id == team_id, col(StretchInterest.assignment_id).in_(assignment_ids))
            .order_by(col(StretchInterest.created_at))
        ).all()

    def interests_of(self, team_id: str, user_id: str) -> Sequence[StretchInterest]:
        return self._session.exec(
            select(StretchInterest).where(StretchInterest.team_id == team_id, StretchInterest.user_id == user_id)
        ).all()
