"""Turns an outbox message (a name and a context) into what Slack is sent, when it is sent.

Rendering at send time keeps the domain free of Slack markup and shows the data as it is then
(a request withdrawn since is not announced). Each message re-checks who may read what it
carries, so a bug upstream cannot leak a check-in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlmodel import Session

from bot.admins import NOBODY, Admins, ConfiguredAdmins
from bot.checkins.form import CheckinAnswers
from bot.checkins.schedule import Cadence, local_date
from bot.checkins.service import CHECKIN_PROMPT, CHECKIN_SHARED, Checkins
from bot.confidentiality import Action, can, relations
from bot.fairness.delivery import (
    FAIRNESS_CHART,
    FAIRNESS_DOCUMENT,
    FAIRNESS_MESSAGES,
    FAIRNESS_TREND,
    PANEL_CALIBRATION,
    chair_calibration,
    chart_filename,
    cycle_audit,
    document_filename,
    trend_filename,
    trend_to,
)
from bot.framework.model import Framework
from bot.growth.service import MENTOR_ANSWER, MENTOR_REQUEST, PAIR_CHECKIN, STRETCH_GIVEN, STRETCH_INTEREST
from bot.nominations.service import (
    NOMINATED,
    NOMINATION_WITHDRAWN,
    REVIEW_CANCELLED,
    REVIEW_DECLINED,
    REVIEW_REMINDER,
    REVIEW_REQUEST,
    REVIEWS_CLOSED,
    REVIEWS_COMPLETE,
    Nominations,
)
from bot.nominations.stages import COLLECTING, READY, REQUESTED, SUBMITTED, WITHDRAWN
from bot.panels.board import CYCLE_REPORT, Board
from bot.panels.digest import DIGEST, DIGEST_ENTRY, DIGEST_PRIVATE, PACKET, STRANDED
from bot.panels.docket import Case
from bot.panels.publication import (
    APPEAL_DECIDED,
    APPEAL_FILED,
    APPEAL_UNHEARD,
    DECISION,
    DECISION_TO_MANAGER,
    OUTCOME_TO_NOMINATOR,
    REVIEWER_THANKS,
)
from bot.rights.export import MY_DATA, export_json, export_person
from messages import checkins as checkin_messages
from messages import fairness_delivery as fairness_messages
from messages import growth as growth_messages
from messages import nominations as nomination_messages
from messages import panels as panel_messages
from messages.panels import FileUpload
from messages.render import Message, Renderer
from messages.rights import my_data_file
from storage.models import Checkin, Mentorship, Nomination, Panel, PromotionCycle, StretchAssignment, StretchInterest

NOMINATION_MESSAGES = {
    NOMINATED, NOMINATION_WITHDRAWN, REVIEW_REQUEST, REVIEW_REMINDER, REVIEW_CANCELLED, REVIEW_DECLINED, REVIEWS_COMPLETE, REVIEWS_CLOSED,
}  # fmt: skip


PANEL_MESSAGES = {
    DIGEST, DIGEST_ENTRY, DIGEST_PRIVATE, PACKET, STRANDED, DECISION, DECISION_TO_MANAGER, OUTCOME_TO_NOMINATOR,
    REVIEWER_THANKS, APPEAL_FILED, APPEAL_DECIDED, APPEAL_UNHEARD, CYCLE_REPORT,
}  # fmt: skip
CHANNEL_MESSAGES = {DIGEST, DIGEST_ENTRY}
"""The only messages Ladder posts in a channel (a panel's own): everything else goes to a person's own conversation."""


class Gone(Exception):
    """What the message was about no longer exists, or may no longer be shown to its recipient."""


class Refused(Exception):
    """The message may not be sent where it is addressed as things stand (someone in the channel may not read it):
    failed with the reason, for an admin to put right."""


class Composer:
    def __init__(
        self, framework: Framework, renderer: Renderer, now: Callable[[], datetime], admins: ConfiguredAdmins = NOBODY
    ) -> None:
        self._framework = framework
        self._renderer = renderer
        self._now = now
        self._admins = admins

    def compose(
        self, session: Session, team_id: str, recipient: str, payload: dict[str, Any], audience: frozenset[str] | None = None
    ) -> Message | FileUpload:
        """``audience``: for a message to a channel, everyone in that channel (Ladder itself aside), as Slack says now;
        a message goes to a channel only when each of them may read it."""
        name, context = payload.get("message"), payload.get("context") or {}
        if not _is_user(recipient) and name not in CHANNEL_MESSAGES:
            raise Gone(f"{name} is never posted in a channel")
        checkins = Checkins(self._framework, session, self._now)
        if name in (CHECKIN_PROMPT, PAIR_CHECKIN):
            # a pair's check-in keeps the pair's own cadence, but is not sent to someone who is away
            _checkins_wanted(checkins, team_id, recipient, self._now(), own_cadence=name == CHECKIN_PROMPT)
        if name == CHECKIN_PROMPT:
            target = checkins.target(team_id, recipient)
            return checkin_messages.prompt(
                self._renderer, key=str(context.get("key", "")), level_title=target.level.title if target.level else None
            )
        if name == CHECKIN_SHARED:
            checkin = _row(session, Checkin, team_id, context.get("checkin_id"))
            if not can(relations(recipient, checkin.user_id, shared_with=checkin.shared_with), Action.READ_CHECKIN):
                raise Gone("the recipient may not read this check-in")
            answers = CheckinAnswers(
                checkin.went_well, checkin.goals, checkin.obstacles, checkin.ratings, checkin.notes, tuple(checkin.support), True
            )
            level = self._framework.level(checkin.level) if checkin.level else None
            return checkin_messages.shared_copy(
                self._renderer,
                self._framework,
                person=checkin.user_id,
                submitted_at=checkin.submitted_at,
                level=level,
                answers=answers,
            )
        if name == MENTOR_REQUEST:
            pair = _row(session, Mentorship, team_id, context.get("mentorship_id"))
            if pair.status != "requested":
                raise Gone("the request was answered or withdrawn")
            competency = self._framework.competency(pair.competency) if pair.competency else None
            assert pair.id is not None
            return growth_messages.mentor_request(mentee=pair.mentee, competency=competency, mentorship_id=pair.id)
        if name == MENTOR_ANSWER:
            pair = _row(session, Mentorship, team_id, context.get("mentorship_id"))
            return growth_messages.mentor_answer(mentor=pair.mentor, accepted=pair.status == "accepted")
        if name == PAIR_CHECKIN:
            pair = _row(session, Mentorship, team_id, context.get("mentorship_id"))
            if pair.status != "accepted":
                raise Gone("the mentoring pair ended")
            return growth_messages.pair_checkin(other=str(context.get("other")), mentee=recipient == pair.mentee)
        if name == STRETCH_INTEREST:
            interest = _row(session, StretchInterest, team_id, context.get("interest_id"))
            assignment = _row(session, StretchAssignment, team_id, interest.assignment_id)
            assert interest.id is not None
            return growth_messages.stretch_interest(person=interest.user_id, title=assignment.title, interest_id=interest.id)
        if name == STRETCH_GIVEN:
            interest = _row(session, StretchInterest, team_id, context.get("interest_id"))
            assignment = _row(session, StretchAssignment, team_id, interest.assignment_id)
            return growth_messages.stretch_yours(
                poster=assignment.poster, contact=assignment.contact, title=assignment.title, ends_on=assignment.ends_on
            )
        if name == MY_DATA:  # a person's own data, composed now, for them alone
            if not _is_user(recipient):
                raise Gone("a person's data goes to their own conversation, never to a channel")
            document = export_person(self._framework, session, team_id, recipient, now=self._now, admins=self._admins)
            return my_data_file(str(context.get("filename") or "ladder-my-data.json"), export_json(document))
        if name in NOMINATION_MESSAGES:
            return self._nomination_message(session, team_id, recipient, name, context)
        if name in PANEL_MESSAGES:
            return self._panel_message(session, team_id, recipient, name, context, audience)
        if name in FAIRNESS_MESSAGES:
            return self._fairness_message(session, team_id, recipient, name, context)
        raise Gone(f"unknown message {name!r}")

    def _fairness_message(
        self, session: Session, team_id: str, recipient: str, name: str, context: dict[str, Any]
    ) -> Message | FileUpload:
        """The fairness audit for an admin (summary, chart) and a panel's calibration for its chair: group data and judges'
        figures, re-checked at send time — an admin no longer one, a chair replaced, gets nothing."""
        cycle = _row(session, PromotionCycle, team_id, context.get("cycle_id"))
        if name == PANEL_CALIBRATION:
            panel = _row(session, Panel, team_id, context.get("panel_id"))
            if panel.chair != recipient:
                raise Gone("the recipient no longer chairs the panel")
            calibration = chair_calibration(session, self._framework, cycle, panel.id, self._now())
            mine = calibration.panel(panel.id)
            if not calibration.available or mine is None:
                raise Gone(f"no calibration to send: {calibration.reason or 'the panel scored nothing in the cycle'}")
            return fairness_messages.calibration_message(self._renderer, mine, cycle_name=cycle.name, panel_name=panel.name)
        if recipient not in Admins(session, self._admins).of(team_id):
            raise Gone("the recipient is not an admin")
        if name == FAIRNESS_TREND:
            trend = trend_to(session, self._framework, cycle, self._now())
            if len(trend.reports) < 2:
                raise Gone("one cycle so far: no trend to draw")
            return fairness_messages.trend_upload(trend, str(context.get("filename") or trend_filename(cycle.id)))
        report = cycle_audit(session, self._framework, cycle, self._now())
        if name == FAIRNESS_CHART:
            return fairness_messages.chart_upload(report, str(context.get("filename") or chart_filename(cycle.id)))
        if name == FAIRNESS_DOCUMENT:
            return fairness_messages.document_upload(report, str(context.get("filename") or document_filename(cycle.id)))
        return fairness_messages.report_message(self._renderer, report)

    def _nomination_message(self, session: Session, team_id: str, recipient: str, name: str, context: dict[str, Any]) -> Message:
        nomination = _row(session, Nomination, team_id, context.get("nomination_id"))
        nominations = Nominations(self._framework, session, self._now)
        requests = nominations.repo.requests_of(team_id, [nomination.id])
        reviewers = [r.reviewer for r in requests]
        seen_by = nominations.relations_to(recipient, team_id, nomination, reviewers)
        if name in (REVIEW_REQUEST, REVIEW_REMINDER):
            request = next((r for r in requests if r.reviewer == recipient), None)
            wanted = (REQUESTED,) if name == REVIEW_REMINDER else (REQUESTED, SUBMITTED)
            if request is None or request.status not in wanted or nomination.stage not in (COLLECTING, READY):
                raise Gone("the review is no longer asked for")
            return nomination_messages.review_request(self._framework, nomination, reminder=name == REVIEW_REMINDER)
        if name == REVIEW_CANCELLED:
            if recipient not in reviewers:
                raise Gone("the recipient was not asked to review")
            return nomination_messages.review_cancelled(nomination)
        if name in (NOMINATED, NOMINATION_WITHDRAWN):
            if not can(seen_by, Action.READ_NOMINATION_STAGE) or recipient != nomination.nominee:
                raise Gone("the recipient may not read this nomination")
            if name == NOMINATED and nomination.stage == WITHDRAWN:
                raise Gone("the nomination was withdrawn")
            return (nomination_messages.nominated if name == NOMINATED else nomination_messages.withdrawn)(
                self._framework, nomination
            )
        if not can(seen_by, Action.READ_REVIEW_PROGRESS):
            raise Gone("the recipient may not follow this nomination's reviews")
        if name == REVIEW_DECLINED:
            request = next((r for r in requests if r.reviewer == context.get("reviewer")), None)
            if request is None:
                raise Gone("the request is gone")
            return nomination_messages.review_declined(nomination, request.reviewer, request.decline_reason)
        return nomination_messages.reviews_in(self._framework, nomination, requests, closed=name == REVIEWS_CLOSED)

    def _panel_message(
        self, session: Session, team_id: str, recipient: str, name: str, context: dict[str, Any], audience: frozenset[str] | None
    ) -> Message | FileUpload:
        """Digests, packets, decisions and appeals: each re-checks at send time who may read what it carries."""
        board = Board.open(self._framework, session, self._now, self._admins)
        if name in (STRANDED, APPEAL_UNHEARD):
            if recipient not in board.docket.admins.of(team_id):
                raise Gone("the recipient is not an admin")
            case = board.docket.case(team_id, int(context.get("nomination_id") or -1))
            if name == STRANDED:
                if not case.stranded:
                    raise Gone("a panel can judge it now")
                return panel_messages.stranded(self._framework, case)
            if case.appeal is None or case.appeal_decision is not None or case.hearers:
                raise Gone("someone can hear the appeal now")
            return panel_messages.appeal_unheard(self._framework, case)
        if name == CYCLE_REPORT:
            cycle = _row(session, PromotionCycle, team_id, context.get("cycle_id"))
            if recipient not in board.docket.admins.of(team_id):
                raise Gone("the recipient is not an admin")
            return panel_messages.report_message(board.reports.report(team_id, cycle))
        if name in (DIGEST, DIGEST_PRIVATE):
            panel = board.docket.repo.panel(team_id, context.get("panel_id"))
            cycle = _row(session, PromotionCycle, team_id, context.get("cycle_id"))
            if panel is None:
                raise Gone("the panel is gone")
            digest = board.digests.build(team_id, panel, cycle)
            if name == DIGEST:
                if not _is_user(recipient):
                    _only_readers(board, team_id, panel, recipient, audience, [])
                return panel_messages.digest_parent(digest, to_channel=recipient == panel.channel)
            wanted = set(context.get("nomination_ids") or [])
            mine = [
                e for e in digest.entries
                if e.case.id in wanted and board.docket.may(recipient, team_id, e.case, Action.READ_PANEL_PACKET)
            ]  # fmt: skip
            if not mine:
                raise Gone("nothing in this digest is for the recipient any more")
            return panel_messages.digest_private(self._framework, mine, recipient, panel_name=panel.name, cycle_name=cycle.name)
        case = board.docket.case(team_id, int(context.get("nomination_id") or -1))
        if name == DIGEST_ENTRY:
            if case.panel is None or case.panel.channel != recipient:
                raise Gone("the nomination is not before this channel's panel any more")
            _only_readers(board, team_id, case.panel, recipient, audience, [case])
            return panel_messages.digest_entry(board.digests.entry(case, self._now().date()))
        if name == PACKET:
            if not _is_user(recipient):
                raise Gone("a packet goes to each judge's own conversation, never to a channel")
            if not board.docket.may(recipient, team_id, case, Action.READ_PANEL_PACKET):
                raise Gone("the recipient may not read this packet")
            names = board.docket.names(
                team_id, {case.nomination.nominee, case.nomination.nominator, *case.reviewers, *case.sitting.members}
            )
            return panel_messages.packet(
                self._framework, board.digests.entry(case, self._now().date()), names, today=self._now().date()
            )
        allowed = {
            DECISION: Action.READ_DECISION, DECISION_TO_MANAGER: Action.READ_DECISION, APPEAL_DECIDED: Action.READ_DECISION,
            OUTCOME_TO_NOMINATOR: Action.READ_OUTCOME, REVIEWER_THANKS: Action.READ_REVIEW_REQUEST,
            APPEAL_FILED: Action.DECIDE_APPEAL,
        }[name]  # fmt: skip
        if not board.docket.may(recipient, team_id, case, allowed) or case.decision is None:
            raise Gone("the recipient may not read this decision")
        if name in (DECISION, DECISION_TO_MANAGER):
            appeal_until = board.publication.appeal_window(team_id, case) if case.appeal is None else None
            return panel_messages.decision_message(
                self._framework, case, for_manager=name == DECISION_TO_MANAGER, appeal_until=appeal_until
            )
        if name == OUTCOME_TO_NOMINATOR:
            return panel_messages.outcome_to_nominator(self._framework, case)
        if name == REVIEWER_THANKS:
            return panel_messages.reviewer_thanks(case)
        if name == APPEAL_FILED:
            return panel_messages.appeal_filed(case)
        if case.appeal_decision is None:
            raise Gone("the appeal is not decided")
        return panel_messages.appeal_decided(self._framework, case, for_manager=recipient != case.nomination.nominee)


def _checkins_wanted(checkins: Checkins, team_id: str, user_id: str, now: datetime, *, own_cadence: bool) -> None:
    schedule = checkins.repo.schedule(team_id, user_id)
    if schedule is None:
        return
    rules = checkins.rules_of(schedule)
    if own_cadence and rules.cadence is Cadence.OFF:
        raise Gone("check-ins were turned off")
    if rules.away and rules.away.covers(local_date(now, rules.timezone)):
        raise Gone("the person is away")


def _only_readers(
    board: Board, team_id: str, panel: Panel, channel: str, audience: frozenset[str] | None, cases: list[Case]
) -> None:
    """A panel channel is posted in only while everyone in it sits on the panel and may read each nomination shown."""
    if audience is None:
        raise Refused(f"who is in the channel {channel} could not be checked")
    members = set(board.docket.panels.members_of(panel))
    outsiders = sorted(
        reader for reader in audience
        if reader not in members or not all(board.docket.may(reader, team_id, c, Action.READ_DIGEST_ENTRY) for c in cases)
    )  # fmt: skip
    if outsiders:
        raise Refused(
            f"{len(outsiders)} in the channel {channel} may not read the panel's digest ({', '.join(outsiders[:5])}): "
            "remove them from it"
        )


def _is_user(recipient: str) -> bool:
    return recipient[:1] in ("U", "W")


def _row(session: Session, model: type, team_id: str, row_id: Any) -> Any:
    found = session.get(model, row_id) if isinstance(row_id, int) else None
    if found is None or found.team_id != team_id:
        raise Gone(f"{model.__name__} {row_id!r} is gone")
    return found
