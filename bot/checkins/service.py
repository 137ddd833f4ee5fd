"""Check-ins as a workflow: who rates what, the schedule that prompts them, and what each choice changes.

Everything here runs inside one unit of work (a Slack request or a clock job): the change and the
outbox message it causes are written together. Messages are stored as a name and a context
(``{"message": ..., "context": ...}``) and rendered when they are sent, so this package never
builds Slack markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Callable, Iterator, Sequence

from sqlmodel import Session, col, select

from bot.checkins import form
from bot.checkins.form import CheckinAnswers
from bot.checkins.schedule import (
    DEFAULT_CADENCE,
    Away,
    Cadence,
    Calendar,
    PersonSchedule,
    cadence_anchor,
    catch_up_at,
    local_date,
    next_prompt,
    snoozed_until,
)
from bot.framework.model import Competency, Framework, Level
from storage.models import Checkin, CheckinSchedule, OutboxMessage, Person, TeamSettings, utcnow
from storage.repositories.checkins import CheckinRepository
from storage.repositories.outbox import Outbox

CHECKIN_PROMPT = "checkin_prompt"
CHECKIN_SHARED = "checkin_shared"
CATCH_UP_AFTER = timedelta(minutes=15)
"""A prompt due longer ago than this was missed (the clock was down), not merely picked up on the next tick."""
UNKNOWN_TIMEZONE = "UTC"
"""Used only until Slack tells us a person's timezone (users.info, user_change)."""


@dataclass(frozen=True)
class Target:
    """What a person rates themselves against: their next level (their own, at the top of a track)."""

    person: Person | None
    current: Level | None
    level: Level | None
    competencies: tuple[Competency, ...]


def rated_against(latest: Checkin | None, level: Level | None) -> tuple[dict[str, str], dict[str, str]]:
    """A check-in's ratings and own words, if it rated the level the person is aiming for now (else none)."""
    if latest is None or level is None or latest.level != level.id:
        return {}, {}
    return dict(latest.ratings), dict(latest.notes)


@dataclass(frozen=True)
class Planned:
    user_id: str
    at: datetime
    timezone: str


class Checkins:
    def __init__(self, framework: Framework, session: Session, now: Callable[[], datetime]) -> None:
        self.framework = framework
        self._session = session
        self._now = now
        self.repo = CheckinRepository(session)
        self.outbox = Outbox(session)
        self._team_settings: dict[str, TeamSettings] = {}

    # -- the check-in itself ---------------------------------------------------------------------------

    def target(self, team_id: str, user_id: str) -> Target:
        person = self.person(team_id, user_id)
        current = self.framework.level(person.level) if person else None
        if current is None:
            return Target(person, None, None, ())
        level = self.framework.next_level(current) or current
        return Target(person, current, level, self.framework.competencies_at(level))

    def person(self, team_id: str, user_id: str) -> Person | None:
        return self._session.exec(select(Person).where(Person.team_id == team_id, Person.user_id == user_id)).first()

    def names(self, team_id: str, user_ids: set[str]) -> dict[str, str]:
        """Display names of people Ladder knows, in one query."""
        if not user_ids:
            return {}
        rows = self._session.exec(
            select(Person.user_id, Person.name).where(Person.team_id == team_id, col(Person.user_id).in_(user_ids))
        )
        return {user_id: name for user_id, name in rows if name}

    def levels(self, team_id: str, user_ids: list[str]) -> dict[str, str]:
        """Recorded levels of these people, in one query."""
        if not user_ids:
            return {}
        rows = self._session.exec(
            select(Person.user_id, Person.level).where(Person.team_id == team_id, col(Person.user_id).in_(user_ids))
        )
        return dict(rows.all())

    def draft(self, team_id: str, user_id: str) -> CheckinAnswers | None:
        saved = self.repo.draft(team_id, user_id)
        return CheckinAnswers.from_fields(saved) if saved is not None else None

    def save_draft(self, team_id: str, user_id: str, answers: CheckinAnswers) -> None:
        """Keep what was typed into a closed modal; an untouched modal leaves an earlier draft alone."""
        if answers != CheckinAnswers():
            self.repo.save_draft(team_id, user_id, answers.as_fields())

    def submit(self, team_id: str, user_id: str, submission_key: str, answers: CheckinAnswers) -> Checkin:
        """Store a completed check-in (once per submission key); share it with the manager if asked."""
        target = self.target(team_id, user_id)
        form.check(answers, self.framework, target.competencies)
        manager = target.person.manager_user_id if target.person and answers.share else None
        checkin = self.repo.add(
            Checkin(
                team_id=team_id, user_id=user_id, submission_key=submission_key,
                track=target.level.track_id if target.level else None, level=target.level.id if target.level else None,
                went_well=answers.went_well, goals=answers.goals, obstacles=answers.obstacles,
                ratings=dict(answers.ratings), notes=dict(answers.notes), support=list(answers.support),
                shared_with=manager, submitted_at=self._now(),
            )
        )  # fmt: skip
        self.repo.discard_draft(team_id, user_id)
        self._settle_period(team_id, user_id)
        if manager and checkin.id is not None:
            self.outbox.enqueue(
                team_id, f"checkin-shared:{checkin.id}", CHECKIN_SHARED, manager,
                {"checkin_id": checkin.id}, due_at=self._now(),
            )  # fmt: skip
        return checkin

    def _settle_period(self, team_id: str, user_id: str) -> None:
        """A check-in answers its period's prompt: prompts not sent yet are skipped, and the next one is due a full
        period after this one's weekday (checking in on Monday at 9:00 settles that Monday's 10:00 prompt)."""
        self.outbox.skip_pending(team_id, user_id, purpose=CHECKIN_PROMPT, reason="checked in already")
        schedule = self.repo.schedule(team_id, user_id)
        if schedule is None or not schedule.timezone:
            return
        rules = self.rules_of(schedule)
        schedule.last_prompt_on = cadence_anchor(local_date(self._now(), rules.timezone), rules.weekday)
        schedule.next_prompt_at = next_prompt(rules, self.calendar(team_id), now=self._now(), previous=schedule.last_prompt_on)
        self._session.add(schedule)

    # -- the schedule ----------------------------------------------------------------------------------

    def calendar(self, team_id: str) -> Calendar:
        settings = self._settings(team_id)
        return Calendar(
            country=settings.holiday_country,
            subdivision=settings.holiday_subdivision,
            extra_holidays=frozenset(date.fromisoformat(d) for d in settings.extra_holidays),
        )

    def default_cadence(self, team_id: str) -> Cadence:
        return Cadence(self._settings(team_id).default_cadence or DEFAULT_CADENCE)

    def _settings(self, team_id: str) -> TeamSettings:
        """The team's settings, read once per unit of work (a clock job plans hundreds of schedules with them)."""
        if team_id not in self._team_settings:
            self._team_settings[team_id] = self.repo.team_settings(team_id)
        return self._team_settings[team_id]

    def schedule_of(self, team_id: str, user_id: str, timezone: str | None = None) -> CheckinSchedule:
        """A person's schedule, created on first use (then its first prompt is planned)."""
        found = self.repo.schedule(team_id, user_id)
        if found is not None:
            if timezone and timezone != found.timezone:
                found.timezone = timezone
                self._replan(found)
            return found
        created = self.repo.add_schedule(CheckinSchedule(team_id=team_id, user_id=user_id, timezone=timezone))
        self._replan(created)
        return created

    def rules_of(self, schedule: CheckinSchedule) -> PersonSchedule:
        away = Away(schedule.away_start, schedule.away_end) if schedule.away_start and schedule.away_end else None
        cadence = Cadence(schedule.cadence) if schedule.cadence else self.default_cadence(schedule.team_id)
        return PersonSchedule(schedule.timezone or UNKNOWN_TIMEZONE, cadence, schedule.weekday, away)

    def set_preferences(
        self, team_id: str, user_id: str, *, cadence: Cadence | None, weekday: int | None = None, away: Away | None | bool = False
    ) -> CheckinSchedule:
        """Change a person's cadence (None: the team's default), weekday and away period (None clears it; False leaves it)."""
        schedule = self.schedule_of(team_id, user_id)
        schedule.cadence = cadence.value if cadence else None
        if weekday is not None:
            schedule.weekday = weekday
        if away is not False:
            schedule.away_start, schedule.away_end = (away.start, away.end) if isinstance(away, Away) else (None, None)
        self._replan(schedule)
        return schedule

    def set_default_cadence(self, team_id: str, cadence: Cadence) -> int:
        """The team's default; every schedule that follows it is planned again. Returns how many."""
        settings = self._settings(team_id)
        settings.default_cadence = cadence.value
        self.repo.save_team_settings(settings)
        self._session.flush()
        following = [s for s in self.repo.schedules(team_id) if s.cadence is None]
        for schedule in following:
            self._replan(schedule)
        return len(following)

    def set_holidays(self, team_id: str, *, country: str | None, subdivision: str | None, extra: Sequence[date]) -> None:
        Calendar(country=country, subdivision=subdivision).is_working_day(date(2026, 1, 1))  # refuses an unknown country now
        settings = self._settings(team_id)
        settings.holiday_country, settings.holiday_subdivision = country, subdivision
        settings.extra_holidays = sorted({d.isoformat() for d in extra})
        self.repo.save_team_settings(settings)
        self._session.flush()
        for schedule in self.repo.schedules(team_id):
            self._replan(schedule)

    def snooze(self, team_id: str, user_id: str) -> datetime | None:
        """Prompt again on the next working day at 10:00 local. A person gets at most one prompt a day: a snooze
        landing on the day of a regular prompt, or a second snooze, is the same outbox message."""
        schedule = self.schedule_of(team_id, user_id)
        when = snoozed_until(self.rules_of(schedule), self.calendar(team_id), now=self._now())
        if when is not None:
            self._enqueue_prompt(team_id, user_id, when, local_date(when, self.rules_of(schedule).timezone))
        return when

    def turn_off(self, team_id: str, user_id: str) -> CheckinSchedule:
        return self.set_preferences(team_id, user_id, cadence=Cadence.OFF)

    def _replan(self, schedule: CheckinSchedule) -> None:
        """The next prompt from now on: never in the past (a person changing their cadence is not prompted at once)."""
        now = self._now()
        rules, calendar = self.rules_of(schedule), self.calendar(schedule.team_id)
        upcoming = next_prompt(rules, calendar, now=now, previous=schedule.last_prompt_on)
        if upcoming is not None and upcoming <= now:
            upcoming = next_prompt(rules, calendar, now=now, previous=None)
        schedule.next_prompt_at = upcoming if schedule.timezone else None  # unknown timezone: wait for Slack's answer
        schedule.updated_at = utcnow()
        self._session.add(schedule)

    # -- the clock's work ------------------------------------------------------------------------------

    def enqueue_due(self, limit: int = 500) -> int:
        """Write an outbox message for every prompt that is due and plan the one after. A clock that was down
        catches up once: the next prompt counts its cadence from today, not from the missed day."""
        now = self._now()
        due = self.repo.due_schedules(now, limit)
        for schedule in due:
            assert schedule.next_prompt_at is not None
            rules, calendar = self.rules_of(schedule), self.calendar(schedule.team_id)
            send_at = schedule.next_prompt_at
            if now - send_at > CATCH_UP_AFTER:  # missed while the clock was down: never sent at night or on a day off
                send_at = catch_up_at(rules, calendar, now=now) or now
            due_on = local_date(send_at, rules.timezone)
            self._enqueue_prompt(schedule.team_id, schedule.user_id, send_at, due_on)
            schedule.last_prompt_on = cadence_anchor(due_on, rules.weekday)
            schedule.next_prompt_at = next_prompt(rules, calendar, now=max(now, send_at), previous=schedule.last_prompt_on)
            self._session.add(schedule)
        return len(due)

    def waiting_for_timezone(self, team_id: str) -> int:
        """People Ladder cannot plan prompts for yet: Slack has not told it their timezone."""
        return len([s for s in self.repo.schedules(team_id) if not s.timezone]) + len(
            [p for p in self.repo.people_without_schedule(10_000) if p.team_id == team_id]
        )

    def people_without_schedule(self, limit: int = 200) -> Sequence[Person]:
        return self.repo.people_without_schedule(limit)

    def prompt(self, team_id: str, user_id: str, key: str) -> OutboxMessage | None:
        """The check-in prompt ``key`` names, if it was one sent to this person. The key comes back from Slack in a
        button's value or a modal's ``private_metadata``, which a crafted request can fill with anyone's."""
        found = self.outbox.by_key(team_id, key) if key else None
        return found if found is not None and found.purpose == CHECKIN_PROMPT and found.recipient == user_id else None

    def _enqueue_prompt(self, team_id: str, user_id: str, due_at: datetime, due_on: date) -> None:
        key = f"checkin:{user_id}:{due_on.isoformat()}"
        context = {"key": key, "due_on": due_on.isoformat()}
        self.outbox.enqueue(team_id, key, CHECKIN_PROMPT, user_id, context, due_at=due_at, respect_dnd=True)

    # -- what the clock will do ------------------------------------------------------------------------

    def planned(self, team_id: str, *, days: int, first_day: date | None = None, user_id: str | None = None) -> list[Planned]:
        """Every prompt the clock will send, in time order: on ``days`` local dates from ``first_day`` (each
        person's own calendar dates), or from now for ``days`` days when no first day is given."""
        if first_day is None:
            start = self._now()
            window = [
                p
                for s in self.repo.schedules(team_id, user_id)
                if s.timezone
                for p in self._prompts_of(s, start, start + timedelta(days=days))
            ]
        else:
            start = datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC)
            last = first_day + timedelta(days=days - 1)
            window = [
                p
                for s in self.repo.schedules(team_id, user_id)
                if s.timezone
                for p in self._prompts_of(s, start, start + timedelta(days=days + 2))
                if first_day <= local_date(p.at, p.timezone) <= last
            ]
        return sorted(window, key=lambda p: (p.at, p.user_id))

    def _prompts_of(self, schedule: CheckinSchedule, start: datetime, end: datetime) -> Iterator[Planned]:
        """The schedule's prompts from its next one on, as the clock will send them, that fall in [start, end)."""
        rules, calendar = self.rules_of(schedule), self.calendar(schedule.team_id)
        at = schedule.next_prompt_at
        while at is not None and at < end:
            if at >= start:
                yield Planned(schedule.user_id, at, rules.timezone)
            at = next_prompt(rules, calendar, now=at, previous=cadence_anchor(local_date(at, rules.timezone), rules.weekday))
