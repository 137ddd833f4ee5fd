"""Nominations as a workflow: who may nominate whom for which level, drafts, submission, withdrawal.

Everything runs inside one unit of work (a Slack request or a clock job): a stage change, the review
requests it makes, the outbox messages they cause and the audit trail are written together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Callable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.admins import NOBODY, Admins, ConfiguredAdmins
from bot.checkins.schedule import at_prompt_time
from bot.checkins.service import Checkins
from bot.confidentiality import Action, Relation, can, relations
from bot.errors import InvalidAnswers, LadderError, NotAllowed, NotFound
from bot.framework.model import Competency, Framework, Level
from bot.nominations import form
from bot.nominations.form import CaseAnswers
from bot.nominations.stages import CANCELLED, COLLECTING, DECIDED, DRAFT, PUBLISHED, READY, REQUESTED, SUBMITTED, WITHDRAWN
from bot.panels.cycles import Cycles
from bot.panels.panels import APPEAL, Panels
from storage.models import CheckinSchedule, EvidenceItem, Nomination, Person, PromotionCycle, ReviewRequest
from storage.repositories.audit import AuditTrail
from storage.repositories.evidence import EvidenceRepository
from storage.repositories.nominations import NominationRepository
from storage.repositories.outbox import Outbox
from storage.repositories.people import People

NOMINATED = "nominated"
REVIEW_REQUEST = "review_request"
REVIEW_REMINDER = "review_reminder"
REVIEW_DECLINED = "review_declined"
REVIEW_CANCELLED = "review_cancelled"
REVIEWS_COMPLETE = "reviews_complete"
REVIEWS_CLOSED = "reviews_closed"
NOMINATION_WITHDRAWN = "nomination_withdrawn"
REVIEW_WORKING_DAYS = 10
"""A nomination's review window when its cycle sets no due date."""
REMIND_WORKING_DAYS_BEFORE = 3
ANYWHERE_ON_EARTH = timedelta(hours=12)
"""A due date ends when it has ended everywhere: at 12:00 UTC the next day (UTC-12)."""
CHAIN_DEPTH = 30


@dataclass(frozen=True)
class Target:
    """Whom a nomination is for, from which level to which, and the competencies the case is made against."""

    nominee: Person
    current: Level
    level: Level
    track_switch: bool
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class Account:
    """What Slack says of the nominee's account (users.info), checked before a nomination starts."""

    is_bot: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Promotions:
    """What one person follows: what they started (with its review requests, whose content they never see),
    the reviews asked of them, and the nominations of them (their stage and dates only)."""

    started: tuple[Nomination, ...] = ()
    about: tuple[Nomination, ...] = ()
    asked: tuple[tuple[Nomination, ReviewRequest], ...] = ()
    requests: Mapping[int, list[ReviewRequest]] = field(default_factory=dict)


def management_chain(user_id: str, manager_of: Callable[[str], str | None]) -> tuple[str, ...]:
    """A person's managers, nearest first, by asking ``manager_of`` step by step (a loop in the recorded chain is
    cut where it closes, a runaway one at CHAIN_DEPTH)."""
    found: list[str] = []
    current = manager_of(user_id)
    while current and current != user_id and current not in found and len(found) < CHAIN_DEPTH:
        found.append(current)
        current = manager_of(current)
    return tuple(found)


def closes_at(due_on: date) -> datetime:
    return datetime.combine(due_on + timedelta(days=1), time(0), tzinfo=UTC) + ANYWHERE_ON_EARTH


class Nominations:
    def __init__(
        self, framework: Framework, session: Session, now: Callable[[], datetime], admins: ConfiguredAdmins = NOBODY
    ) -> None:
        self.framework = framework
        self._session = session
        self.now = now
        self.repo = NominationRepository(session)
        self.audit_trail = AuditTrail(session)
        self.evidence_log = EvidenceRepository(session)
        self.people = People(session)
        self.outbox = Outbox(session)
        self.admins = Admins(session, admins)
        self.checkins = Checkins(framework, session, now)
        self.cycles = Cycles(framework, session, now, self.checkins)

    # -- who is who -------------------------------------------------------------------------------------------

    def chain(self, team_id: str, user_id: str) -> tuple[str, ...]:
        """The person's managers, nearest first (:func:`management_chain`, a query per step)."""
        return management_chain(user_id, lambda person: self.people.manager_of(team_id, person))

    def relations_to(
        self, viewer: str, team_id: str, nomination: Nomination, reviewers: Sequence[str] = ()
    ) -> frozenset[Relation]:
        return relations(
            viewer, nomination.nominee, nominee=nomination.nominee, nominator=nomination.nominator,
            reviewers=frozenset(reviewers), admins=self.admins.of(team_id),
        )  # fmt: skip

    def names(self, team_id: str, user_ids: set[str]) -> dict[str, str]:
        return self.checkins.names(team_id, user_ids)

    def _name(self, team_id: str, user_id: str) -> str:
        return self.names(team_id, {user_id}).get(user_id) or user_id

    def _who_can_nominate(self, team_id: str, nominee: str) -> str:
        chain = self.chain(team_id, nominee)
        admins = sorted(self.admins.of(team_id))
        names = self.names(team_id, {nominee, *chain, *admins})
        parts = [f"{names.get(nominee, nominee)} themselves"]
        if chain:
            parts.append("their manager chain (" + ", ".join(names.get(m, m) for m in chain) + ")")
        parts.append("a Ladder admin" + (" (" + ", ".join(names.get(a, a) for a in admins) + ")" if admins else ""))
        return ", ".join(parts[:-1]) + " or " + parts[-1]

    def _who_records_levels(self, team_id: str) -> str:
        admins = sorted(self.admins.of(team_id))
        names = self.names(team_id, set(admins))
        return ", ".join(names.get(a, a) for a in admins) if admins else "whoever runs Ladder (ladder people import)"

    # -- the cycle ---------------------------------------------------------------------------------------------

    def open_cycles(self, team_id: str) -> Sequence[PromotionCycle]:
        """The cycles taking nominations today (:meth:`bot.panels.cycles.Cycles.accepting`)."""
        return self.cycles.accepting(team_id)

    def _cycle(self, team_id: str, cycle_id: int | None) -> PromotionCycle:
        cycles = self.open_cycles(team_id)
        if cycle_id is None:
            return cycles[0]
        found = next((c for c in cycles if c.id == cycle_id), None)
        if found is None:
            raise InvalidAnswers({form.CYCLE: "That promotion cycle is closed: pick an open one."})
        return found

    # -- starting ----------------------------------------------------------------------------------------------

    def target(self, team_id: str, nominee: str, choice: str | None) -> Target:
        """Where the nominee is and where the nomination would take them (``choice``: a level id, or the next level)."""
        person = self.people.person(team_id, nominee)
        current = self.framework.level(person.level) if person else None
        if person is None or current is None:
            raise InvalidAnswers(
                {
                    form.NOMINEE: f"Their level is not recorded in Ladder yet. Ask {self._who_records_levels(team_id)} to record it first."
                }
            )
        if not choice or choice == form.NEXT_LEVEL:
            following = self.framework.next_levels(current)
            if not following:
                raise InvalidAnswers({form.TARGET: f"{current.title} is the top of its track: pick a level on another track."})
            if len(following) > 1:  # a trunk that forks: which way is for the nominator to say
                ways = " or ".join(lv.title for lv in following)
                raise InvalidAnswers({form.TARGET: f"The ladder forks after {current.title}: pick {ways}."})
            level = following[0]
        else:
            found = self.framework.level(choice)
            if found is None:
                raise InvalidAnswers({form.TARGET: "Pick a level from the list."})
            level = found
        up = self.framework.path_between(current, level)  # up its track, or up a trunk into a track that forks from it
        switch = up is None and self.framework.path_between(level, current) is None and level.track_id != current.track_id
        if not switch and (up is None or level.id == current.id):
            raise InvalidAnswers(
                {form.TARGET: f"{level.title} is not above their current level, {current.title}: pick a higher level."}
            )
        return Target(person, current, level, switch, self.framework.competencies_at(level))

    def start(
        self, team_id: str, nominator: str, nominee: str | None, *, choice: str | None, cycle_id: int | None, account: Account
    ) -> Nomination:
        """The first page: check who and what, then the nominator's draft for this nominee and cycle (kept, or new)."""
        if not nominee:
            raise InvalidAnswers({form.NOMINEE: "Pick the person you are nominating."})
        if account.is_bot:
            raise InvalidAnswers({form.NOMINEE: "That is an app, not a person: pick a person."})
        if account.deleted:
            raise InvalidAnswers({form.NOMINEE: "That account is deactivated: pick someone who works here now."})
        self.check_may_nominate(team_id, nominator, nominee)
        target = self.target(team_id, nominee, choice)
        cycle = self._cycle(team_id, cycle_id)
        assert cycle.id is not None
        self._refuse_if_open(team_id, cycle, nominee, field=form.NOMINEE)
        draft = self.repo.add_draft(
            Nomination(
                team_id=team_id, cycle_id=cycle.id, nominee=nominee, nominator=nominator, from_level=target.current.id,
                target_level=target.level.id, track_switch=target.track_switch, draft_key=f"{cycle.id}:{nominator}:{nominee}",
                created_at=self.now(), stage_changed_at=self.now(),
            )
        )  # fmt: skip
        if (draft.target_level, draft.from_level) != (target.level.id, target.current.id):
            draft.target_level, draft.from_level, draft.track_switch = target.level.id, target.current.id, target.track_switch
            self.repo.save(draft)
        return draft

    def check_may_nominate(self, team_id: str, nominator: str, nominee: str) -> None:
        chain = frozenset(self.chain(team_id, nominee))
        if not can(relations(nominator, nominee, chain=chain, admins=self.admins.of(team_id)), Action.NOMINATE):
            raise InvalidAnswers(
                {form.NOMINEE: f"Only {self._who_can_nominate(team_id, nominee)} can nominate {self._name(team_id, nominee)}."}
            )

    def _refuse_if_open(self, team_id: str, cycle: PromotionCycle, nominee: str, *, field: str) -> None:
        existing = self.repo.by_key(team_id, "open_key", f"{cycle.id}:{nominee}")
        if existing is not None:
            started = (existing.submitted_at or existing.created_at).date()
            raise InvalidAnswers(
                {
                    field: f"{self._name(team_id, nominee)} already has an open nomination in {cycle.name}, "
                    f"started by {self._name(team_id, existing.nominator)} on {started:%d %B %Y}."
                }
            )

    # -- the case ----------------------------------------------------------------------------------------------

    def draft_of(self, team_id: str, nominator: str, nomination_id: int) -> Nomination:
        nomination = self.repo.nomination(team_id, nomination_id)
        if nomination is None or nomination.nominator != nominator:
            raise NotFound("That nomination draft is gone.")
        return nomination

    def competencies_of(self, nomination: Nomination) -> tuple[Competency, ...]:
        level = self.framework.level(nomination.target_level)
        return self.framework.competencies_at(level) if level else ()

    def save_draft(self, team_id: str, nominator: str, nomination_id: int, answers: CaseAnswers) -> None:
        """Keep what was typed in a closed nomination: only a draft changes, and an untouched page changes nothing."""
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        if nomination is None or nomination.nominator != nominator or nomination.stage != DRAFT or answers == CaseAnswers():
            return
        nomination.case = dict(answers.case)
        nomination.portfolio = answers.portfolio_items() + _from_evidence(answers.evidence_ids)
        nomination.reviewers = list(answers.reviewers)
        nomination.stage_changed_at = self.now()  # a draft's last change: unsent drafts age from it (docs/retention.md)
        self.repo.save(nomination)

    def submit(self, team_id: str, nominator: str, nomination_id: int, submission_key: str, answers: CaseAnswers) -> Nomination:
        """Submit the case and ask the reviewers: once per submission, however often Slack delivers it."""
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        if nomination is None or nomination.nominator != nominator:
            raise NotFound("That nomination draft is gone: start again with /ladder nominate.")
        if nomination.stage != DRAFT:
            if nomination.submission_key == submission_key:
                return nomination  # Slack delivered the same submission again
            raise LadderError(f"This nomination was already {_stage_name(nomination.stage)}; nothing was changed.")
        form.check_case(answers, self.competencies_of(nomination), nominee=nomination.nominee, nominator=nominator)
        self.refuse_judges_as_reviewers(team_id, nomination, answers.reviewers, field=form.REVIEWERS)
        # its reviewers' caps: one submission at a time
        cycle = self.cycles.repo.cycle(team_id, nomination.cycle_id, for_update=True)
        assert cycle is not None and cycle.id is not None
        self._refuse_if_open(team_id, cycle, nomination.nominee, field=form.REVIEWERS)
        self.refuse_overloaded(team_id, cycle, answers.reviewers)
        now, due_on = self.now(), self._due_on(team_id, cycle)
        portfolio = answers.portfolio_items() + self._evidence_entries(
            team_id, nominator, nomination.nominee, answers.evidence_ids
        )
        # every read is done before the row changes, so the change is written in one UPDATE (no autoflush halfway)
        nomination.case, nomination.portfolio = dict(answers.case), portfolio
        nomination.reviewers = list(answers.reviewers)
        nomination.framework_version = self.framework.published  # its packet cites the version it was made under
        nomination.stage, nomination.stage_changed_at, nomination.submitted_at = COLLECTING, now, now
        nomination.draft_key, nomination.open_key = None, f"{cycle.id}:{nomination.nominee}"
        nomination.submission_key, nomination.reviews_due_on, nomination.closes_at = submission_key, due_on, closes_at(due_on)
        self.repo.save(nomination)
        try:
            self.repo.flush()
        except IntegrityError as exc:  # another nominator's submission for this person won the race
            raise LadderError("Someone else has just nominated this person in this cycle; nothing was changed.") from exc
        assert nomination.id is not None
        self.audit_trail.audit(team_id, "nomination", nomination.id, "submitted", nominator, now, target=nomination.target_level)
        self.request_reviews(team_id, nomination.id)  # in the submission's own transaction: all of it, or none
        return nomination

    def request_reviews(self, team_id: str, nomination_id: int) -> int:
        """Write a submitted nomination's review requests and their messages (outbox rows), once: part of the submission's
        transaction (:meth:`submit`), so a submission saved always has them."""
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        if nomination is None or nomination.stage == DRAFT or nomination.requests_sent_at is not None:
            return 0
        assert nomination.id is not None
        if nomination.stage != WITHDRAWN:
            self.ask(team_id, nomination, nomination.cycle_id, nomination.reviewers, by=nomination.nominator)
            if nomination.nominee != nomination.nominator:
                self.outbox.enqueue(
                    team_id, f"nominated:{nomination.id}", NOMINATED, nomination.nominee, {"nomination_id": nomination.id}, due_at=self.now()
                )  # fmt: skip
        nomination.requests_sent_at = self.now()
        self.repo.save(nomination)
        return len(nomination.reviewers)

    def _due_on(self, team_id: str, cycle: PromotionCycle) -> date:
        today = self.now().date()
        if cycle.reviews_due_on and cycle.reviews_due_on >= today:
            return cycle.reviews_due_on
        return self.add_working_days(team_id, today, REVIEW_WORKING_DAYS)

    def add_working_days(self, team_id: str, day: date, count: int) -> date:
        return self.checkins.calendar(team_id).add_working_days(day, count)

    def refuse_judges_as_reviewers(self, team_id: str, nomination: Nomination, reviewers: Sequence[str], *, field: str) -> None:
        """A member of a review panel that may judge the nomination, or of an appeal panel that may hear its appeal, cannot
        review it: naming them would recuse them, and a nominator could choose the judges by naming the others."""
        panels = Panels(self.framework, self._session, self.now)
        judging = [
            *panels.covering(team_id, nomination.target_level),
            *(p for p, _ in panels.listing(team_id) if p.kind == APPEAL),
        ]
        sitting = {member: panel for panel in reversed(judging) for member in panels.members_of(panel)}
        judges = [r for r in reviewers if r in sitting]
        if not judges:
            return
        names = self.names(team_id, set(judges))
        panel_names = sorted({repr(sitting[j].name) for j in judges})
        who = " and ".join(", ".join(names.get(j, j) for j in judges).rsplit(", ", 1))
        raise InvalidAnswers(
            {
                field: f"{who} {'sit' if len(judges) > 1 else 'sits'} on the panel {' and '.join(panel_names)}, which may judge "
                "this nomination or hear its appeal, so they cannot review it. Pick peers who saw the work and sit on no such "
                "panel (not the person nominated, nor you)."
            }
        )

    def refuse_overloaded(self, team_id: str, cycle: PromotionCycle, reviewers: Sequence[str]) -> None:
        assert cycle.id is not None
        load = self.repo.load(team_id, cycle.id, reviewers)
        full = [r for r in reviewers if load.get(r, 0) >= cycle.review_cap]
        if full:
            names = self.names(team_id, set(full))
            who = ", ".join(names.get(r, r) for r in full)
            raise InvalidAnswers(
                {
                    form.REVIEWERS: f"{who} already has {cycle.review_cap} reviews to write in {cycle.name}, the most anyone is asked for: pick someone else."
                }
            )

    def _evidence_entries(self, team_id: str, nominator: str, nominee: str, ids: Sequence[int]) -> list[dict[str, object]]:
        if not ids:
            return []
        offered = {item.id: item for item in self.offered_evidence(team_id, nominator, nominee)}
        entries: list[dict[str, object]] = []
        for evidence_id in ids:
            item = offered.get(evidence_id)
            if item is not None:
                entries.append({"kind": "evidence", "text": item.note, "link": item.permalink, "evidence_id": item.id})
        return entries

    def offered_evidence(self, team_id: str, nominator: str, nominee: str) -> list[EvidenceItem]:
        """The nominee's evidence log, as far as the nominator may see it, offered as portfolio entries."""
        chain = frozenset(self.chain(team_id, nominee))
        return [
            item
            for item in self.evidence_log.evidence_about(team_id, nominee)
            if can(relations(nominator, nominee, chain=chain, author=item.author), Action.OFFER_EVIDENCE)
        ]

    def ask(self, team_id: str, nomination: Nomination, cycle_id: int, reviewers: Sequence[str], *, by: str) -> None:
        """Review requests, their direct messages and their audit entries: one statement each, however many reviewers;
        a reviewer asked already (the same request run twice) is not asked, told or audited again."""
        assert nomination.id is not None and nomination.reviews_due_on is not None
        timezones, now = self._timezones(team_id, reviewers), self.now()
        added = set(self.repo.add_requests(
            [
                ReviewRequest(
                    team_id=team_id, nomination_id=nomination.id, reviewer=reviewer, cycle_id=cycle_id, timezone=timezones.get(reviewer),
                    next_reminder_at=self.next_reminder(team_id, nomination.reviews_due_on, timezones.get(reviewer)),
                    requested_at=now, updated_at=now,
                )
                for reviewer in reviewers
            ]
        ))  # fmt: skip
        asked = [r for r in reviewers if r in added]
        for reviewer in asked:
            self.audit_trail.audit(team_id, "nomination", nomination.id, "review_requested", by, now, reviewer=reviewer)
        self.outbox.enqueue_many(
            team_id,
            [
                (f"review-request:{nomination.id}:{r}", REVIEW_REQUEST, r, {"nomination_id": nomination.id, "reviewer": r})
                for r in asked
            ],
            due_at=now,
        )

    def _timezones(self, team_id: str, user_ids: Sequence[str]) -> dict[str, str]:
        rows = self._session.exec(
            select(CheckinSchedule.user_id, CheckinSchedule.timezone).where(
                CheckinSchedule.team_id == team_id, col(CheckinSchedule.user_id).in_(user_ids)
            )
        )
        return {user: tz for user, tz in rows if tz}

    def next_reminder(self, team_id: str, due_on: date, timezone: str | None) -> datetime | None:
        """10:00 in the reviewer's timezone, three working days before the due date and on it; None once both passed
        (or while the timezone is unknown: the clock learns it from Slack, then plans the reminders)."""
        if timezone is None:
            return None
        for day in (self.add_working_days(team_id, due_on, -REMIND_WORKING_DAYS_BEFORE), due_on):
            moment = at_prompt_time(day, timezone)
            if moment > self.now():
                return moment
        return None

    # -- withdrawing -------------------------------------------------------------------------------------------

    def withdraw(self, team_id: str, actor: str, nomination_id: int) -> Nomination:
        nomination = self.repo.nomination(team_id, nomination_id, for_update=True)
        if nomination is None:
            raise NotFound("That nomination is gone.")
        if not can(self.relations_to(actor, team_id, nomination), Action.WITHDRAW_NOMINATION):
            raise NotAllowed("Only the person who started a nomination, or a Ladder admin, can withdraw it.")
        if nomination.stage == WITHDRAWN:
            return nomination
        if nomination.stage in (DECIDED, PUBLISHED):
            raise LadderError(
                "This nomination has been decided by its review panel: a decided nomination can no longer be withdrawn "
                "(the person nominated may appeal the decision)."
            )
        was_submitted = nomination.stage != DRAFT
        now = self.now()
        nomination.stage, nomination.stage_changed_at, nomination.open_key, nomination.draft_key = WITHDRAWN, now, None, None
        self.repo.save(nomination)
        assert nomination.id is not None
        self.audit_trail.audit(team_id, "nomination", nomination.id, "withdrawn", actor, now)
        for request in self.repo.requests_of(team_id, [nomination.id]):
            if request.status == REQUESTED:
                request.status, request.next_reminder_at, request.updated_at = CANCELLED, None, now
                self.repo.save(request)
                self.outbox.enqueue(
                    team_id, f"review-cancelled:{nomination.id}:{request.reviewer}", REVIEW_CANCELLED, request.reviewer,
                    {"nomination_id": nomination.id}, due_at=now,
                )  # fmt: skip
        if was_submitted and nomination.nominee != actor:
            self.outbox.enqueue(
                team_id, f"withdrawn:{nomination.id}", NOMINATION_WITHDRAWN, nomination.nominee, {"nomination_id": nomination.id}, due_at=now
            )  # fmt: skip
        return nomination

    # -- what people see ---------------------------------------------------------------------------------------

    def promotions(self, team_id: str, user_id: str) -> Promotions:
        """What the person follows, in three queries: what they started, what they are asked to review, what is about them."""
        found = self.repo.involving(team_id, user_id)
        started = tuple(n for n in found if n.nominator == user_id)
        about = tuple(n for n in found if n.nominee == user_id and n.stage != DRAFT and n.nominator != user_id)
        requests: dict[int, list[ReviewRequest]] = {}
        for request in self.repo.requests_of(team_id, [n.id for n in started if n.id is not None]):
            requests.setdefault(request.nomination_id, []).append(request)
        asked = tuple((nomination, request) for request, nomination in self.repo.asked_of(team_id, user_id))
        return Promotions(started, about, asked, requests)

    def settle(self, team_id: str, nomination: Nomination, requests: Sequence[ReviewRequest]) -> None:
        """Collecting → ready for the panel once no review is awaited and at least one is in; the nominator is told."""
        if nomination.stage != COLLECTING or nomination.id is None:
            return
        if any(r.status == REQUESTED for r in requests) or not any(r.status == SUBMITTED for r in requests):
            return
        now = self.now()
        nomination.stage, nomination.stage_changed_at = READY, now
        self.repo.save(nomination)
        self.audit_trail.audit(
            team_id, "nomination", nomination.id, "ready", "ladder", now, reviews=sum(r.status == SUBMITTED for r in requests)
        )
        self.outbox.enqueue(
            team_id, f"reviews-complete:{nomination.id}", REVIEWS_COMPLETE, nomination.nominator, {"nomination_id": nomination.id}, due_at=now
        )  # fmt: skip


def _from_evidence(ids: Sequence[int]) -> list[dict[str, object]]:
    """A draft keeps which evidence items were ticked; their text is read when it is submitted."""
    return [{"kind": "evidence", "text": "", "link": None, "evidence_id": i} for i in ids]


def _stage_name(stage: str) -> str:
    return {DRAFT: "a draft", COLLECTING: "submitted", READY: "submitted", WITHDRAWN: "withdrawn"}.get(stage, stage)
