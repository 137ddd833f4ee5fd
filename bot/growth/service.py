"""Mentoring and stretch work as workflows, inside one unit of work; notifications go through the outbox."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Callable, Sequence

from sqlmodel import Session

from bot.checkins.schedule import Cadence, PersonSchedule, cadence_anchor, local_date, next_prompt
from bot.checkins.service import UNKNOWN_TIMEZONE, Checkins, Target, rated_against
from bot.errors import InvalidAnswers, NotAllowed, NotFound
from bot.framework.model import Framework
from bot.growth import states
from bot.growth.plan import GrowthPlan, MentorCandidate, Opportunity, growth_plan
from storage.models import Checkin, MentorOffer, Mentorship, StretchAssignment, StretchInterest, utcnow
from storage.repositories.growth import GrowthRepository
from storage.repositories.outbox import Outbox
from storage.repositories.panels import PanelRepository

MENTOR_REQUEST, MENTOR_ANSWER, PAIR_CHECKIN, STRETCH_INTEREST = (
    "mentor_request",
    "mentor_answer",
    "pair_checkin",
    "stretch_interest",
)
STRETCH_GIVEN = "stretch_given"
MAX_CAPACITY = 10


@dataclass(frozen=True)
class StretchDraft:
    title: str
    description: str
    competencies: tuple[str, ...]
    levels: tuple[str, ...]
    starts_on: date | None
    ends_on: date | None
    contact: str


class Growth:
    def __init__(self, framework: Framework, session: Session, now: Callable[[], datetime]) -> None:
        self.framework = framework
        self._now = now
        self.repo = GrowthRepository(session)
        self._panels = PanelRepository(session)
        self.outbox = Outbox(session)
        self.checkins = Checkins(framework, session, now)

    # -- the plan --------------------------------------------------------------------------------------

    def plan(self, team_id: str, user_id: str, *, target: Target, latest: Checkin | None) -> GrowthPlan:
        """The person's plan against ``target`` (:meth:`Checkins.target`), from their ``latest`` check-in."""
        ratings, notes = rated_against(latest, target.level)
        plan = growth_plan(
            self.framework,
            user_id=user_id,
            manager=target.person.manager_user_id if target.person else None,
            current=target.current,
            target=target.level,
            competencies=target.competencies,
            ratings=ratings,
            notes=notes,
            mentors=self.mentor_candidates(team_id),
            opportunities=self.opportunities(team_id),
        )
        decision = self._panels.latest_not_yet(team_id, user_id)
        if decision is None:
            return plan
        steps = tuple((c, decision.next_steps[c.id]) for c in self.framework.competencies if decision.next_steps.get(c.id))
        return replace(plan, panel_next=steps, panel_decided_on=decision.decided_at.date())

    def mentor_candidates(self, team_id: str) -> list[MentorCandidate]:
        offers = self.repo.active_offers(team_id)
        load = self.repo.mentee_load(team_id)
        latest = self.checkins.repo.latest_of_each(team_id, [o.user_id for o in offers])
        levels = self.checkins.levels(team_id, [o.user_id for o in offers])
        candidates = []
        for offer in offers:
            if offer.user_id not in levels:
                continue  # not in Ladder's people: no level to compare
            now_load, ever = load.get(offer.user_id, (0, 0))
            ratings = latest[offer.user_id].ratings if offer.user_id in latest else {}
            candidates.append(
                MentorCandidate(
                    offer.user_id, levels[offer.user_id], frozenset(offer.competencies), offer.capacity, now_load, ever, ratings
                )
            )
        return candidates

    def opportunities(self, team_id: str) -> list[Opportunity]:
        return [_opportunity(a) for a in self.repo.open_assignments(team_id, self._now().date())]

    # -- mentors ---------------------------------------------------------------------------------------

    def offer_mentoring(
        self, team_id: str, user_id: str, *, competencies: Sequence[str], capacity: int, active: bool = True
    ) -> MentorOffer:
        unknown = [c for c in competencies if self.framework.competency(c) is None]
        if unknown:
            raise InvalidAnswers({"competencies": f"Unknown competency: {', '.join(unknown)}."})
        if not 1 <= capacity <= MAX_CAPACITY:
            raise InvalidAnswers({"capacity": f"Take between 1 and {MAX_CAPACITY} mentees."})
        offer = self.repo.add_offer(MentorOffer(team_id=team_id, user_id=user_id, active=False))
        offer.competencies, offer.capacity, offer.active, offer.updated_at = list(competencies), capacity, active, utcnow()
        self.repo.save(offer)
        return offer

    def _name(self, team_id: str, user_id: str) -> str:
        return self.checkins.names(team_id, {user_id}).get(user_id, user_id)

    def request_mentor(self, team_id: str, mentee: str, mentor: str, competency: str | None) -> Mentorship:
        if mentee == mentor:
            raise NotAllowed("You cannot be your own mentor.")
        offer = self.repo.offer(team_id, mentor, for_update=True)
        if offer is None or not offer.active:
            raise NotFound(f"{self._name(team_id, mentor)} is not offering mentoring at the moment.")
        if competency is not None and (
            self.framework.competency(competency) is None or (offer.competencies and competency not in offer.competencies)
        ):
            raise NotFound(f"{self._name(team_id, mentor)} does not offer mentoring in that competency.")
        pair = self.repo.pair(team_id, mentee, mentor)
        if pair is not None and pair.status in (states.REQUESTED, states.ACCEPTED):
            return pair  # asked twice (a double click): one request
        now_load, _ever = self.repo.mentee_load(team_id).get(mentor, (0, 0))
        if now_load >= offer.capacity:
            raise NotAllowed(f"{self._name(team_id, mentor)} has no room for another mentee right now. Try another suggestion.")
        if pair is None:
            pair = self.repo.add_mentorship(
                Mentorship(team_id=team_id, mentee=mentee, mentor=mentor, competency=competency, requested_at=self._now())
            )
        else:
            pair.status, pair.competency, pair.requested_at, pair.decided_at = states.REQUESTED, competency, self._now(), None
            self.repo.save(pair)
        self.outbox.enqueue(
            team_id, f"mentor-request:{pair.id}:{pair.requested_at.isoformat()}", MENTOR_REQUEST, mentor,
            {"mentorship_id": pair.id}, due_at=self._now(),
        )  # fmt: skip
        return pair

    def answer_request(self, team_id: str, mentor: str, mentorship_id: int, *, accept: bool) -> Mentorship:
        found = self.repo.mentorship(team_id, mentorship_id)
        if found is None or found.mentor != mentor:
            raise NotFound("That mentoring request is no longer there.")
        offer = self.repo.offer(team_id, mentor, for_update=True)  # the mentor's mentees change one request at a time
        pair = self.repo.mentorship(team_id, mentorship_id, for_update=True)
        assert pair is not None
        if pair.status != states.REQUESTED:
            return pair  # answered already (a second click)
        if accept and offer is not None and self._mentees(team_id, mentor) >= offer.capacity:
            raise NotAllowed(
                f"You already mentor {offer.capacity}, as many as your offer takes: raise it first (/ladder mentor)."
            )
        pair.status, pair.decided_at = (states.ACCEPTED if accept else states.DECLINED), self._now()
        if accept:
            self._plan_pair(pair)
        self.repo.save(pair)
        self.outbox.enqueue(
            team_id, f"mentor-answer:{pair.id}:{pair.requested_at.isoformat()}", MENTOR_ANSWER, pair.mentee,
            {"mentorship_id": pair.id}, due_at=self._now(),
        )  # fmt: skip
        return pair

    def _mentees(self, team_id: str, mentor: str) -> int:
        return sum(1 for p in self.repo.mentorships_of(team_id, mentor) if p.mentor == mentor and p.status == states.ACCEPTED)

    def enqueue_due_pairs(self, limit: int = 500) -> int:
        """The mentoring pairs' own check-ins: one message to each of the two, then the next date."""
        now = self._now()
        due = self.repo.due_pairs(now, limit)
        for pair in due:
            assert pair.next_checkin_at is not None
            rules = self._pair_rules(pair)
            day = local_date(pair.next_checkin_at, rules.timezone)
            for person, other in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee)):
                self.outbox.enqueue(
                    pair.team_id, f"pair:{pair.id}:{day.isoformat()}:{person}", PAIR_CHECKIN, person,
                    {"mentorship_id": pair.id, "other": other},
                    due_at=pair.next_checkin_at, respect_dnd=True,
                )  # fmt: skip
            pair.last_checkin_on = cadence_anchor(max(day, local_date(now, rules.timezone)), rules.weekday)
            pair.next_checkin_at = next_prompt(
                rules, self.checkins.calendar(pair.team_id), now=now, previous=pair.last_checkin_on
            )
            self.repo.save(pair)
        return len(due)

    def _pair_rules(self, pair: Mentorship) -> PersonSchedule:
        """A pair meets on the mentee's weekday, at 10:00 in the mentee's timezone."""
        mentee = self.checkins.repo.schedule(pair.team_id, pair.mentee)
        return PersonSchedule(
            mentee.timezone if mentee and mentee.timezone else UNKNOWN_TIMEZONE,
            Cadence(pair.cadence),
            mentee.weekday if mentee else 0,
        )

    def _plan_pair(self, pair: Mentorship) -> None:
        pair.next_checkin_at = next_prompt(
            self._pair_rules(pair), self.checkins.calendar(pair.team_id), now=self._now(), previous=None
        )

    # -- stretch work ----------------------------------------------------------------------------------

    def post_stretch(self, team_id: str, poster: str, submission_key: str, draft: StretchDraft) -> StretchAssignment:
        problems: dict[str, str] = {}
        if not draft.title.strip():
            problems["title"] = "Give the opportunity a title."
        elif len(draft.title) > 150:
            problems["title"] = "Keep the title under 150 characters."
        if not draft.competencies:
            problems["competencies"] = "Pick at least one competency it grows."
        if draft.starts_on is None:
            problems["starts_on"] = "Pick a start date."
        if draft.ends_on is None:
            problems["ends_on"] = "Pick an end date."
        elif draft.starts_on is not None and draft.ends_on < draft.starts_on:
            problems["ends_on"] = "The end date must be on or after the start date."
        elif draft.ends_on < self._now().date():
            problems["ends_on"] = "The end date has already passed."
        if problems:
            raise InvalidAnswers(problems)
        assert draft.starts_on is not None and draft.ends_on is not None
        return self.repo.add_assignment(
            StretchAssignment(
                team_id=team_id, submission_key=submission_key, poster=poster, title=draft.title.strip(),
                description=draft.description.strip(), competencies=list(draft.competencies), levels=list(draft.levels),
                starts_on=draft.starts_on, ends_on=draft.ends_on, contact=draft.contact or poster, created_at=self._now(),
            )
        )  # fmt: skip

    def express_interest(self, team_id: str, user_id: str, assignment_id: int) -> StretchInterest:
        assignment = self.repo.assignment(team_id, assignment_id, for_update=True)  # a give in progress is waited for
        if assignment is None or assignment.status != states.OPEN or assignment.ends_on < self._now().date():
            raise NotFound("That opportunity is closed.")
        if assignment.poster == user_id:
            raise NotAllowed("That is your own opportunity.")
        interest, new = self.repo.add_interest(
            StretchInterest(team_id=team_id, assignment_id=assignment_id, user_id=user_id, created_at=self._now())
        )
        if new:
            self.outbox.enqueue(
                team_id, f"stretch-interest:{interest.id}", STRETCH_INTEREST, assignment.poster,
                {"interest_id": interest.id}, due_at=self._now(),
            )  # fmt: skip
        return interest

    def give_stretch(self, team_id: str, poster: str, interest_id: int) -> StretchInterest:
        """The poster gives the work to someone who raised a hand: the record of who took which opportunity."""
        found = self.repo.interest_by_id(team_id, interest_id)
        assignment = self.repo.assignment(team_id, found.assignment_id, for_update=True) if found else None
        interest = self.repo.interest_by_id(team_id, interest_id, for_update=True) if assignment else None  # as it is now
        if interest is None or assignment is None:
            raise NotFound("That opportunity is gone.")
        if assignment.poster != poster:
            raise NotAllowed("Only the person who posted the opportunity can give it to someone.")
        if interest.status == states.TAKEN:
            return interest  # given already (a second click)
        if assignment.status != states.OPEN:
            raise NotAllowed("That opportunity was already given to someone else.")
        interest.status, interest.taken_at = states.TAKEN, self._now()
        assignment.status = states.CLOSED
        self.repo.save(interest)
        self.repo.save(assignment)
        self.outbox.enqueue(
            team_id, f"stretch-given:{interest.id}", STRETCH_GIVEN, interest.user_id,
            {"interest_id": interest.id}, due_at=self._now(),
        )  # fmt: skip
        return interest


def _opportunity(a: StretchAssignment) -> Opportunity:
    assert a.id is not None
    return Opportunity(a.id, a.title, frozenset(a.competencies), frozenset(a.levels), a.poster, a.starts_on, a.ends_on)
