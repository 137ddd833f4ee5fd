"""The growth messages the outbox sends: mentoring requests and answers, a pair's check-in, stretch assignments."""

from __future__ import annotations

from bot.growth.service import MENTOR_ANSWER, MENTOR_REQUEST, PAIR_CHECKIN, STRETCH_GIVEN, STRETCH_INTEREST
from messages import growth as views
from messages.checkin_kinds import checkins_wanted
from messages.kinds import BULK, Gone, MessageKind, Reading
from messages.render import Message


def _mentor_request(read: Reading) -> Message:
    pair = read.row("Mentorship", read.context.get("mentorship_id"))
    if pair.status != "requested":
        raise Gone("the request was answered or withdrawn")
    competency = read.framework.competency(pair.competency) if pair.competency else None
    return views.mentor_request(mentee=pair.mentee, competency=competency, mentorship_id=pair.id)


def _mentor_answer(read: Reading) -> Message:
    pair = read.row("Mentorship", read.context.get("mentorship_id"))
    return views.mentor_answer(mentor=pair.mentor, accepted=pair.status == "accepted")


def _pair_checkin(read: Reading) -> Message:
    checkins_wanted(read, own_cadence=False)  # the pair's own cadence, but not to someone who is away
    pair = read.row("Mentorship", read.context.get("mentorship_id"))
    if pair.status != "accepted":
        raise Gone("the mentoring pair ended")
    return views.pair_checkin(other=str(read.context.get("other")), mentee=read.recipient == pair.mentee)


def _stretch_interest(read: Reading) -> Message:
    interest = read.row("StretchInterest", read.context.get("interest_id"))
    assignment = read.row("StretchAssignment", interest.assignment_id)
    return views.stretch_interest(person=interest.user_id, title=assignment.title, interest_id=interest.id)


def _stretch_given(read: Reading) -> Message:
    interest = read.row("StretchInterest", read.context.get("interest_id"))
    assignment = read.row("StretchAssignment", interest.assignment_id)
    return views.stretch_yours(
        poster=assignment.poster, contact=assignment.contact, title=assignment.title, ends_on=assignment.ends_on
    )


KINDS = (
    MessageKind(MENTOR_REQUEST, _mentor_request, BULK),
    MessageKind(MENTOR_ANSWER, _mentor_answer, BULK),
    MessageKind(PAIR_CHECKIN, _pair_checkin, BULK),
    MessageKind(STRETCH_INTEREST, _stretch_interest, BULK),
    MessageKind(STRETCH_GIVEN, _stretch_given, BULK),
)
