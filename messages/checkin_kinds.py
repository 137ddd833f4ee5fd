"""The check-in messages the outbox sends: the prompt, a copy shared with a manager, and a prompt's replacement."""

from __future__ import annotations

from bot.checkins.form import CheckinAnswers
from bot.checkins.schedule import Cadence, local_date
from bot.checkins.service import CHECKIN_PROMPT, CHECKIN_SHARED, Checkins
from bot.confidentiality import Action, can, relations
from messages import checkins as views
from messages.kinds import BULK, URGENT, Gone, MessageKind, Reading, Update
from messages.render import Message

PROMPT_ANSWERED = "checkin_prompt_answered"
"""A prompt whose modal was submitted: its buttons replaced by the outcome (chat.update), so none is pressed twice."""
ANSWERED_TEXT = "Checked in. Thank you: your growth plan on Ladder's Home tab is up to date."


def checkins_wanted(read: Reading, *, own_cadence: bool) -> None:
    """A check-in (the person's own, or a pair's, which keeps the pair's cadence) is not sent to someone who is away,
    nor — their own — to someone who turned check-ins off since it was written."""
    checkins: Checkins = read.checkins()
    schedule = checkins.repo.schedule(read.team_id, read.recipient)
    if schedule is None:
        return
    rules = checkins.rules_of(schedule)
    if own_cadence and rules.cadence is Cadence.OFF:
        raise Gone("check-ins were turned off")
    if rules.away and rules.away.covers(local_date(read.now(), rules.timezone)):
        raise Gone("the person is away")


def _prompt(read: Reading) -> Message:
    checkins_wanted(read, own_cadence=True)
    target = read.checkins().target(read.team_id, read.recipient)
    return views.prompt(
        read.renderer, key=str(read.context.get("key", "")), level_title=target.level.title if target.level else None
    )


def _shared(read: Reading) -> Message:
    checkin = read.row("Checkin", read.context.get("checkin_id"))
    if not can(relations(read.recipient, checkin.user_id, shared_with=checkin.shared_with), Action.READ_CHECKIN):
        raise Gone("the recipient may not read this check-in")
    answers = CheckinAnswers(
        checkin.went_well, checkin.goals, checkin.obstacles, checkin.ratings, checkin.notes, tuple(checkin.support), True
    )
    level = read.framework.level(checkin.level) if checkin.level else None
    return views.shared_copy(
        read.renderer, read.framework, person=checkin.user_id, submitted_at=checkin.submitted_at, level=level, answers=answers
    )


def _prompt_answered(read: Reading) -> Update:
    prompt = read.checkins().prompt(read.team_id, read.recipient, str(read.context.get("prompt") or ""))
    if prompt is None or not prompt.ts or not prompt.channel:
        raise Gone("the prompt was never posted")
    return Update(views.prompt_answered(ANSWERED_TEXT), channel=prompt.channel, ts=prompt.ts)


KINDS = (
    MessageKind(CHECKIN_PROMPT, _prompt, BULK),
    MessageKind(CHECKIN_SHARED, _shared, BULK),
    MessageKind(PROMPT_ANSWERED, _prompt_answered, URGENT),
)
