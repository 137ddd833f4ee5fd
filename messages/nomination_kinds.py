"""The nomination messages the outbox sends: to the nominee, to reviewers, and about the reviews to who follows them.

Each re-checks at send time that its recipient may still read it (a review no longer asked for, a withdrawn nomination:
nothing is sent)."""

from __future__ import annotations

from functools import partial

from bot.confidentiality import Action, can
from bot.nominations.service import (
    NOMINATED,
    NOMINATION_WITHDRAWN,
    REVIEW_CANCELLED,
    REVIEW_DECLINED,
    REVIEW_REMINDER,
    REVIEW_REQUEST,
    REVIEWS_CLOSED,
    REVIEWS_COMPLETE,
)
from bot.nominations.stages import COLLECTING, READY, REQUESTED, SUBMITTED, WITHDRAWN
from messages import nominations as views
from messages.kinds import BULK, Gone, MessageKind, Reading
from messages.render import Message


def _nomination_message(name: str, read: Reading) -> Message:
    team_id, recipient, framework = read.team_id, read.recipient, read.framework
    nomination = read.row("Nomination", read.context.get("nomination_id"))
    nominations = read.nominations()
    requests = nominations.repo.requests_of(team_id, [nomination.id])
    reviewers = [r.reviewer for r in requests]
    seen_by = nominations.relations_to(recipient, team_id, nomination, reviewers)
    if name in (REVIEW_REQUEST, REVIEW_REMINDER):
        request = next((r for r in requests if r.reviewer == recipient), None)
        wanted = (REQUESTED,) if name == REVIEW_REMINDER else (REQUESTED, SUBMITTED)
        if request is None or request.status not in wanted or nomination.stage not in (COLLECTING, READY):
            raise Gone("the review is no longer asked for")
        return views.review_request(framework, nomination, reminder=name == REVIEW_REMINDER)
    if name == REVIEW_CANCELLED:
        if recipient not in reviewers:
            raise Gone("the recipient was not asked to review")
        return views.review_cancelled(nomination)
    if name in (NOMINATED, NOMINATION_WITHDRAWN):
        if not can(seen_by, Action.READ_NOMINATION_STAGE) or recipient != nomination.nominee:
            raise Gone("the recipient may not read this nomination")
        if name == NOMINATED and nomination.stage == WITHDRAWN:
            raise Gone("the nomination was withdrawn")
        return (views.nominated if name == NOMINATED else views.withdrawn)(framework, nomination)
    if not can(seen_by, Action.READ_REVIEW_PROGRESS):
        raise Gone("the recipient may not follow this nomination's reviews")
    if name == REVIEW_DECLINED:
        declined = next((r for r in requests if r.reviewer == read.context.get("reviewer")), None)
        if declined is None:
            raise Gone("the request is gone")
        return views.review_declined(nomination, declined.reviewer, declined.decline_reason)
    return views.reviews_in(framework, nomination, requests, closed=name == REVIEWS_CLOSED)


KINDS = tuple(
    MessageKind(name, partial(_nomination_message, name), BULK)
    for name in (
        NOMINATED, NOMINATION_WITHDRAWN, REVIEW_REQUEST, REVIEW_REMINDER, REVIEW_CANCELLED, REVIEW_DECLINED,
        REVIEWS_COMPLETE, REVIEWS_CLOSED,
    )
)  # fmt: skip
