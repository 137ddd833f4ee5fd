"""Nominations and their review requests (one aggregate: a request belongs to its nomination), inside the caller's
unit of work.

Every query is scoped by team and bounded by an index, so a submission costs the same number of
statements however many nominations are stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from bot.nominations.stages import ASKED, COLLECTING, DRAFT, READY, REQUESTED
from storage.models import Nomination, ReviewRequest
from storage.repositories.held import held
from storage.repositories.once import insert_many_once, insert_once


class NominationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, row: Any) -> None:
        self._session.add(row)

    def flush(self) -> None:
        self._session.flush()

    # -- nominations ----------------------------------------------------------------------------------------

    def nomination(self, team_id: str, nomination_id: int, *, for_update: bool = False) -> Nomination | None:
        """A nomination; ``for_update`` holds it (:func:`held`): whatever changes it or what hangs on it (reviews,
        scores, the decision, an appeal) then happens one request after another."""
        query = select(Nomination).where(col(Nomination.team_id) == team_id, col(Nomination.id) == nomination_id)
        return self._session.exec(held(self._session, query) if for_update else query).first()

    def by_key(self, team_id: str, column: str, key: str) -> Nomination | None:
        return self._session.exec(
            select(Nomination).where(col(Nomination.team_id) == team_id, getattr(Nomination, column) == key)
        ).first()

    def add_draft(self, draft: Nomination) -> Nomination:
        """The nominator's draft for this nominee and cycle: created once, however often asked."""
        assert draft.draft_key is not None
        insert_once(self._session, draft, ["team_id", "draft_key"])
        found = self.by_key(draft.team_id, "draft_key", draft.draft_key)
        assert found is not None
        return found

    def involving(self, team_id: str, user_id: str, limit: int = 20) -> Sequence[Nomination]:
        """Nominations the person started or is the subject of, newest first."""
        return self._session.exec(
            select(Nomination)
            .where(
                col(Nomination.team_id) == team_id, (col(Nomination.nominator) == user_id) | (col(Nomination.nominee) == user_id)
            )
            .order_by(col(Nomination.created_at).desc(), col(Nomination.id).desc())
            .limit(limit)
        ).all()

    def nominations_in_cycle(self, team_id: str, cycle_id: int) -> int:
        """Every nomination ever made in the cycle, drafts and withdrawn ones included."""
        return self._session.exec(
            select(func.count())
            .select_from(Nomination)
            .where(col(Nomination.team_id) == team_id, col(Nomination.cycle_id) == cycle_id)
        ).one()

    def listing(self, team_id: str, cycle_id: int | None = None) -> Sequence[Nomination]:
        query = select(Nomination).where(col(Nomination.team_id) == team_id, col(Nomination.stage) != DRAFT)
        if cycle_id is not None:
            query = query.where(col(Nomination.cycle_id) == cycle_id)
        return self._session.exec(query.order_by(col(Nomination.submitted_at), col(Nomination.id))).all()

    def closing(self, now: datetime, limit: int) -> Sequence[Nomination]:
        """Nominations still collecting reviews whose due date has passed (every team: the clock's work), held."""
        return self._session.exec(
            held(
                self._session,
                select(Nomination)
                .where(col(Nomination.stage) == COLLECTING, col(Nomination.closes_at) <= now)
                .order_by(col(Nomination.closes_at), col(Nomination.id))
                .limit(limit),
            )
        ).all()

    # -- review requests --------------------------------------------------------------------------------------

    def request(self, team_id: str, request_id: int) -> ReviewRequest | None:
        found = self._session.get(ReviewRequest, request_id)
        return found if found is not None and found.team_id == team_id else None

    def add_requests(self, requests: Sequence[ReviewRequest]) -> list[str]:
        """Ask each reviewer once; returns the reviewers this call asked (one asked before is not among them)."""
        return insert_many_once(self._session, requests, ["team_id", "nomination_id", "reviewer"], returning="reviewer")

    def requests_of(self, team_id: str, nomination_ids: Sequence[int]) -> Sequence[ReviewRequest]:
        if not nomination_ids:
            return []
        return self._session.exec(
            select(ReviewRequest)
            .where(col(ReviewRequest.team_id) == team_id, col(ReviewRequest.nomination_id).in_(nomination_ids))
            .order_by(col(ReviewRequest.id))
        ).all()

    def asked_of(self, team_id: str, reviewer: str, limit: int = 30) -> Sequence[tuple[ReviewRequest, Nomination]]:
        """Reviews asked of a person that are still theirs to write or edit, with their nominations, soonest due first."""
        return self._session.exec(
            select(ReviewRequest, Nomination)
            .join(Nomination, col(Nomination.id) == col(ReviewRequest.nomination_id))
            .where(
                col(ReviewRequest.team_id) == team_id,
                col(ReviewRequest.reviewer) == reviewer,
                col(ReviewRequest.status).in_(ASKED),
                col(Nomination.stage).in_((COLLECTING, READY)),
            )
            .order_by(col(Nomination.closes_at), col(ReviewRequest.id))
            .limit(limit)
        ).all()

    def load(self, team_id: str, cycle_id: int, reviewers: Sequence[str]) -> dict[str, int]:
        """How many reviews each of these people has been asked for in the cycle (declined ones do not count), counting
        nominations submitted whose requests are not written yet (their follow-up runs after the answer)."""
        if not reviewers:
            return {}
        load = dict.fromkeys(reviewers, 0)
        pending = self._session.exec(
            select(col(Nomination.reviewers)).where(
                col(Nomination.team_id) == team_id,
                col(Nomination.cycle_id) == cycle_id,
                col(Nomination.stage).in_((COLLECTING, READY)),
                col(Nomination.requests_sent_at).is_(None),
            )
        )
        for named in pending:
            for reviewer in set(named or ()) & load.keys():
                load[reviewer] += 1
        rows = self._session.exec(
            select(col(ReviewRequest.reviewer), func.count())
            .where(
                col(ReviewRequest.team_id) == team_id,
                col(ReviewRequest.cycle_id) == cycle_id,
                col(ReviewRequest.reviewer).in_(reviewers),
                col(ReviewRequest.status).in_(ASKED),
            )
            .group_by(col(ReviewRequest.reviewer))
        )
        for reviewer, count in rows:
            load[reviewer] += count
        return load

    def reminders_due(self, now: datetime, limit: int) -> Sequence[ReviewRequest]:
        return self._session.exec(
            select(ReviewRequest)
            .where(col(ReviewRequest.status) == REQUESTED, col(ReviewRequest.next_reminder_at) <= now)
            .order_by(col(ReviewRequest.next_reminder_at), col(ReviewRequest.id))
            .limit(limit)
        ).all()

    def stop_reminders(self, team_id: str, cycle_id: int) -> None:
        """A closed cycle's pending review requests are not chased any more."""
        self._session.execute(
            update(ReviewRequest)
            .where(
                col(ReviewRequest.team_id) == team_id,
                col(ReviewRequest.cycle_id) == cycle_id,
                col(ReviewRequest.status) == REQUESTED,
            )
            .values(next_reminder_at=None)
        )

    def without_timezone(self, limit: int) -> Sequence[ReviewRequest]:
        return self._session.exec(
            select(ReviewRequest)
            .where(col(ReviewRequest.status) == REQUESTED, col(ReviewRequest.timezone).is_(None))
            .order_by(col(ReviewRequest.id))
            .limit(limit)
        ).all()
