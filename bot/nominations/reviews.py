"""Peer reviews: writing and editing one until the due date, declining with a reason, naming a replacement,
and the clock's part (reminders, and closing reviews when the due date has passed)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.confidentiality import Action, can
from bot.errors import InvalidAnswers, LadderError, NotAllowed, NotFound
from bot.framework.model import Competency, Level
from bot.nominations import form
from bot.nominations.form import ReviewAnswers
from bot.nominations.service import (
    REVIEW_DECLINED,
    REVIEW_REMINDER,
    REVIEWS_CLOSED,
    Nominations,
)
from bot.nominations.stages import COLLECTING, DECLINED, EXPIRED, READY, REQUESTED, SUBMITTED
from storage.models import Nomination, ReviewRequest


@dataclass(frozen=True)
class ReviewForm:
    nomination: Nomination
    request: ReviewRequest
    level: Level | None
    competencies: tuple[Competency, ...]


class Reviews:
    def __init__(self, nominations: Nominations) -> None:
        self.nominations = nominations
        self.repo = nominations.repo
        self._audit = nominations.audit_trail
        self._now = nominations.now

    def form(self, team_id: str, reviewer: str, nomination_id: int) -> ReviewForm:
        """The request a reviewer answers: theirs alone, while the nomination collects reviews and before its due date.
        Held (:func:`storage.repositories.held.held`) when the review is about to change."""
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        request = next((r for r in self.repo.requests_of(team_id, [nomination_id]) if r.reviewer == reviewer), None)
        if nomination is None or request is None:
            raise NotFound("That review request is gone.")
        if not can(self.nominations.relations_to(reviewer, team_id, nomination, [request.reviewer]), Action.WRITE_REVIEW):
            raise NotAllowed("Only the person asked can write this review.")
        if request.status not in (REQUESTED, SUBMITTED) or nomination.stage not in (COLLECTING, READY):
            raise LadderError("This review is no longer needed: the nomination was withdrawn, or you declined it.")
        if nomination.closes_at is not None and self._now() >= nomination.closes_at:
            raise LadderError(
                f"Reviews for this nomination closed on {nomination.reviews_due_on:%d %B %Y}; it can no longer be changed."
            )
        level = self.nominations.framework.level(nomination.target_level)
        return ReviewForm(nomination, request, level, self.nominations.competencies_of(nomination))

    def submit(self, team_id: str, reviewer: str, nomination_id: int, answers: ReviewAnswers) -> bool:
        """Store or edit the review (the same answers twice change nothing); the last one in readies the nomination.
        True when it edited a review written before."""
        found = self.form(team_id, reviewer, nomination_id)
        form.check_review(answers, self.nominations.framework, found.competencies)
        request, now = found.request, self._now()
        first = request.status == REQUESTED
        same = (request.ratings, request.examples, request.recommendation, list(request.conflicts), request.comment) == (
            dict(answers.ratings),
            dict(answers.examples),
            answers.recommendation,
            list(answers.conflicts),
            answers.comment,
        )
        if not first and same:
            return True  # the same review again (a double click, a redelivery): nothing changes, nothing is audited
        request.ratings, request.examples = dict(answers.ratings), dict(answers.examples)
        request.recommendation, request.conflicts, request.comment = (
            answers.recommendation,
            list(answers.conflicts),
            answers.comment,
        )
        request.status, request.next_reminder_at, request.updated_at = SUBMITTED, None, now
        request.answered_at = request.answered_at or now
        self.repo.save(request)
        self._audit.audit(
            team_id, "nomination", nomination_id, "reviewed" if first else "review_edited", reviewer, now,
            conflicts=len(answers.conflicts),
        )  # fmt: skip
        self.nominations.settle(team_id, found.nomination, self.repo.requests_of(team_id, [nomination_id]))
        return not first

    def decline(self, team_id: str, reviewer: str, nomination_id: int, reason: str) -> ReviewRequest:
        found = self.form(team_id, reviewer, nomination_id)
        reason = reason.strip()
        if not reason:
            raise InvalidAnswers({form.DECLINE_REASON: "Say briefly why, so the nominator can pick someone else."})
        if len(reason) > form.MAX_TEXT:
            raise InvalidAnswers({form.DECLINE_REASON: f"Keep this under {form.MAX_TEXT} characters."})
        if found.request.status == SUBMITTED:
            raise InvalidAnswers({form.DECLINE_REASON: "You have already written this review; you can still edit it instead."})
        request, now = found.request, self._now()
        request.status, request.decline_reason, request.next_reminder_at = DECLINED, reason, None
        request.answered_at = request.updated_at = now
        self.repo.save(request)
        self._audit.audit(team_id, "nomination", nomination_id, "review_declined", reviewer, now)
        self.nominations.outbox.enqueue(
            team_id, f"review-declined:{nomination_id}:{reviewer}", REVIEW_DECLINED, found.nomination.nominator,
            {"nomination_id": nomination_id, "reviewer": reviewer}, due_at=now,
        )  # fmt: skip
        self.nominations.settle(team_id, found.nomination, self.repo.requests_of(team_id, [nomination_id]))
        return request

    def replace(self, team_id: str, nominator: str, nomination_id: int, declined: str, replacement: str | None) -> ReviewRequest:
        """Ask ``replacement`` in place of a reviewer who declined (once per declined request)."""
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        if nomination is None or nomination.nominator != nominator:
            raise NotFound("That nomination is gone, or you did not start it.")
        if nomination.stage not in (COLLECTING, READY) or (nomination.closes_at and self._now() >= nomination.closes_at):
            raise LadderError("Reviews for this nomination have closed; no one new can be asked.")
        requests = self.repo.requests_of(team_id, [nomination_id])
        old = next((r for r in requests if r.reviewer == declined and r.status == DECLINED), None)
        if old is None:
            raise NotFound("That reviewer has not declined, so there is no one to replace.")
        existing = next((r for r in requests if r.reviewer == replacement), None)
        if old.replaced and existing is not None:
            return existing  # the same replacement, delivered twice
        if old.replaced:
            raise LadderError("Someone was already named in their place.")
        if not replacement:
            raise InvalidAnswers({form.REPLACEMENT: "Pick a reviewer."})
        if replacement in (nomination.nominee, nominator):
            raise InvalidAnswers({form.REPLACEMENT: "Pick a peer other than the person nominated and yourself."})
        if existing is not None:
            raise InvalidAnswers({form.REPLACEMENT: "They have already been asked to review this nomination: pick someone else."})
        self.nominations.refuse_judges_as_reviewers(team_id, nomination, [replacement], field=form.REPLACEMENT)
        # its reviewers' caps: one request at a time
        cycle = self.nominations.cycles.repo.cycle(team_id, nomination.cycle_id, for_update=True)
        assert cycle is not None and cycle.id is not None
        try:
            self.nominations.refuse_overloaded(team_id, cycle, [replacement])
        except InvalidAnswers as exc:
            raise InvalidAnswers({form.REPLACEMENT: exc.problems[form.REVIEWERS]}) from exc
        old.replaced = True
        self.repo.save(old)
        self.nominations.ask(team_id, nomination, cycle.id, [replacement], by=nominator)
        if nomination.stage == READY:
            nomination.stage, nomination.stage_changed_at = COLLECTING, self._now()
            self.repo.save(nomination)
        self.repo.flush()
        added = next(r for r in self.repo.requests_of(team_id, [nomination_id]) if r.reviewer == replacement)
        return added

    # -- the clock's work --------------------------------------------------------------------------------------

    def remind_due(self, limit: int = 500) -> int:
        """A reminder for every pending review whose reminder time has come; the next one planned."""
        now = self._now()
        due = self.repo.reminders_due(now, limit)
        for request in due:
            nomination = self.repo.nomination(request.team_id, request.nomination_id)
            if nomination is None or nomination.reviews_due_on is None or nomination.stage not in (COLLECTING, READY):
                request.next_reminder_at = None
            else:
                on = request.next_reminder_at.date().isoformat() if request.next_reminder_at else now.date().isoformat()
                self.nominations.outbox.enqueue(
                    request.team_id, f"review-reminder:{request.nomination_id}:{request.reviewer}:{on}", REVIEW_REMINDER,
                    request.reviewer, {"nomination_id": request.nomination_id, "reviewer": request.reviewer},
                    due_at=now, respect_dnd=True,
                )  # fmt: skip
                request.next_reminder_at = self.nominations.next_reminder(
                    request.team_id, nomination.reviews_due_on, request.timezone
                )
            self.repo.save(request)
        return len(due)

    def learn_timezone(self, request: ReviewRequest, timezone: str) -> None:
        nomination = self.repo.nomination(request.team_id, request.nomination_id)
        request.timezone = timezone
        if nomination is not None and nomination.reviews_due_on is not None:
            request.next_reminder_at = self.nominations.next_reminder(request.team_id, nomination.reviews_due_on, timezone)
        self.repo.save(request)

    def close_due(self, limit: int = 500) -> int:
        """Nominations whose due date has passed go to the panel with what came in; reviews not written expire."""
        now = self._now()
        closing = self.repo.closing(now, limit)
        for nomination in closing:
            assert nomination.id is not None
            requests = self.repo.requests_of(nomination.team_id, [nomination.id])
            for request in requests:
                if request.status == REQUESTED:
                    request.status, request.next_reminder_at, request.updated_at = EXPIRED, None, now
                    self.repo.save(request)
            nomination.stage, nomination.stage_changed_at = READY, now
            self.repo.save(nomination)
            self._audit.audit(
                nomination.team_id, "nomination", nomination.id, "reviews_closed", "ladder", now,
                reviews=sum(r.status == SUBMITTED for r in requests),
            )  # fmt: skip
            self.nominations.outbox.enqueue(
                nomination.team_id, f"reviews-closed:{nomination.id}", REVIEWS_CLOSED, nomination.nominator,
                {"nomination_id": nomination.id}, due_at=now,
            )  # fmt: skip
        return len(closing)
