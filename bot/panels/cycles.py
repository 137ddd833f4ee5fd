"""Promotion cycles: named rounds with dates that drive nominations, reviews, panels, decisions and appeals.

A cycle takes nominations from ``opens_on`` until its peer reviews are due; panels sit from
``panel_from``; decisions are published on ``decisions_on`` and may be appealed for ``appeal_days``
working days on the team's calendar. Until an admin sets a cycle up, nominations go into a default
half-year cycle with no dates beyond its opening (see :meth:`Cycles.accepting`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Callable, Sequence

from sqlmodel import Session

from bot.checkins.schedule import Calendar
from bot.checkins.service import Checkins
from bot.days import out_of_range
from bot.errors import LadderError, NotFound
from bot.framework.model import Framework
from storage.models import PromotionCycle
from storage.repositories.audit import AuditTrail
from storage.repositories.cycles import CycleRepository
from storage.repositories.nominations import NominationRepository

MAX_APPEAL_DAYS = 60
MAX_NAME = 80
MAX_REVIEW_CAP = 50
NONE_SCHEDULED = "No promotion cycle is taking nominations, and none is scheduled: ask a Ladder admin to set one up."


class Phase(StrEnum):
    UPCOMING = "upcoming"
    NOMINATING = "nominations and peer reviews"
    AWAITING_PANEL = "reviews closed, panel not yet sitting"
    PANEL = "panel review"
    APPEALS = "decisions published, appeal window"
    FINISHED = "finished, to be closed"
    CLOSED = "closed"


@dataclass(frozen=True)
class CycleDates:
    opens_on: date
    reviews_due_on: date
    panel_from: date
    decisions_on: date
    appeal_days: int = 10

    def problems(self) -> list[str]:
        found = [problem for problem in map(out_of_range, (self.opens_on, self.decisions_on)) if problem]
        if not self.opens_on < self.reviews_due_on:
            found.append("peer reviews must be due after nominations open")
        if not self.reviews_due_on <= self.panel_from:
            found.append("the panel review cannot start before peer reviews are due")
        if not self.panel_from < self.decisions_on:
            found.append("decisions must be published after the panel review starts")
        if not 0 <= self.appeal_days <= MAX_APPEAL_DAYS:
            found.append(f"the appeal window is 0 to {MAX_APPEAL_DAYS} working days")
        return found

    @classmethod
    def of(cls, cycle: PromotionCycle) -> CycleDates | None:
        if cycle.reviews_due_on is None or cycle.panel_from is None or cycle.decisions_on is None:
            return None
        return cls(cycle.opens_on, cycle.reviews_due_on, cycle.panel_from, cycle.decisions_on, cycle.appeal_days)


@dataclass(frozen=True)
class CycleView:
    """A cycle with where it stands today."""

    cycle: PromotionCycle
    phase: Phase
    appeals_close_on: date | None


class Cycles:
    def __init__(
        self, framework: Framework, session: Session, now: Callable[[], datetime], checkins: Checkins | None = None
    ) -> None:
        """``checkins``: the caller's own, to share its team calendar (read once per unit of work)."""
        self.repo = CycleRepository(session)
        self._nominations = NominationRepository(session)
        self._trail = AuditTrail(session)
        self.now = now
        self._checkins = checkins or Checkins(framework, session, now)

    # -- reading ---------------------------------------------------------------------------------------------

    def calendar(self, team_id: str) -> Calendar:
        return self._checkins.calendar(team_id)

    def view(self, cycle: PromotionCycle, today: date | None = None) -> CycleView:
        today = today or self.now().date()
        dates = CycleDates.of(cycle)
        appeals_close = self.calendar(cycle.team_id).add_working_days(dates.decisions_on, dates.appeal_days) if dates else None
        return CycleView(cycle, _phase(cycle, dates, appeals_close, today), appeals_close)

    def listing(self, team_id: str) -> list[CycleView]:
        return [self.view(c) for c in self.repo.cycles(team_id)]

    def named(self, team_id: str, name: str, *, for_update: bool = False) -> PromotionCycle:
        """The cycle of that name; ``for_update`` holds it (:func:`storage.repositories.held.held`) while it changes."""
        found = self.repo.cycle_named(team_id, name.strip())
        if found is None:
            known = ", ".join(c.name for c in self.repo.cycles(team_id)) or "none yet"
            raise NotFound(f"No promotion cycle is named {name.strip()!r} (cycles: {known}).")
        if for_update:
            assert found.id is not None
            found = self.repo.cycle(team_id, found.id, for_update=True) or found
        return found

    def accepting(self, team_id: str) -> Sequence[PromotionCycle]:
        """The cycles taking nominations today. Until a cycle with dates is set up, the default half-year one;
        after that, none outside a cycle's window: :class:`LadderError` with the next cycle's dates."""
        today = self.now().date()
        cycles = self.repo.cycles(team_id)
        if not any(CycleDates.of(c) for c in cycles):
            open_ones = [c for c in cycles if c.status == "open"]
            if open_ones:
                return open_ones
            default, _ = self.repo.add_cycle(_default_cycle(team_id, today))
            if default.status == "open":
                return [default]
            raise LadderError(NONE_SCHEDULED)
        views = [self.view(c, today) for c in cycles if CycleDates.of(c)]
        taking = [v.cycle for v in views if v.phase is Phase.NOMINATING]
        if taking:
            return taking
        upcoming = sorted((v.cycle for v in views if v.phase is Phase.UPCOMING), key=lambda c: c.opens_on)
        if upcoming:
            nxt = upcoming[0]
            raise LadderError(
                f"No promotion cycle is taking nominations today. The next one, {nxt.name}, opens on "
                f"{_day(nxt.opens_on)}; its peer reviews are due on {_day(nxt.reviews_due_on)}."
            )
        raise LadderError(NONE_SCHEDULED)

    # -- changing --------------------------------------------------------------------------------------------

    def create(self, team_id: str, name: str, dates: CycleDates, *, by: str, review_cap: int = 5) -> PromotionCycle:
        name = _name(name)
        _refuse(dates)
        _check_cap(review_cap)
        existing = self.repo.cycle_named(team_id, name)
        if existing is not None:
            raise LadderError(f"A promotion cycle named {existing.name!r} exists already: pick another name, or edit that one.")
        cycle = PromotionCycle(
            team_id=team_id, name=name, opens_on=dates.opens_on, reviews_due_on=dates.reviews_due_on,
            panel_from=dates.panel_from, decisions_on=dates.decisions_on, appeal_days=dates.appeal_days,
            review_cap=review_cap, created_by=by,
        )  # fmt: skip
        stored, created = self.repo.add_cycle(cycle)
        if not created:  # created a moment ago by another request (a double submit)
            raise LadderError(f"A promotion cycle named {stored.name!r} exists already: pick another name, or edit that one.")
        self._audit(stored, "created", by, name=name)
        return stored

    def edit(
        self, team_id: str, name: str, *, by: str, review_cap: int | None = None, **changes: date | int | None
    ) -> PromotionCycle:
        """Change some of a cycle's dates (``opens_on``, ``reviews_due_on``, ``panel_from``, ``decisions_on``,
        ``appeal_days``) or its ``review_cap``; the dates must still be in order."""
        cycle = self.named(team_id, name, for_update=True)
        if cycle.status == "closed":
            raise LadderError(f"{cycle.name} is closed: it cannot be changed.")
        given = {k: v for k, v in changes.items() if v is not None}
        cap = review_cap
        if cap is not None:
            _check_cap(int(cap))
        current = CycleDates.of(cycle) or CycleDates(cycle.opens_on, cycle.opens_on, cycle.opens_on, cycle.opens_on)
        dates = replace(current, **given)  # type: ignore[arg-type]  # the dates by name: mypy cannot pair a dict's values with fields
        _refuse(dates)
        wanted = {**vars(dates), **({"review_cap": cap} if cap is not None else {})}
        if all(getattr(cycle, key) == value for key, value in wanted.items()):
            return cycle  # the same edit again (a double submit, a retry): nothing changes, nothing is audited
        for key, value in wanted.items():
            setattr(cycle, key, value)
        self.repo.save_cycle(cycle)
        self._audit(cycle, "edited", by, fields=sorted(given) + (["review_cap"] if cap else []))
        return cycle

    def close(self, team_id: str, name: str, *, by: str) -> tuple[PromotionCycle, bool]:
        """Close a cycle (it takes no more nominations); False when it was closed already."""
        cycle = self.named(team_id, name, for_update=True)
        if cycle.status == "closed":
            return cycle, False
        cycle.status, cycle.closed_at = "closed", self.now()
        self.repo.save_cycle(cycle)
        self._audit(cycle, "closed", by)
        return cycle, True

    def overlaps(self, cycle: PromotionCycle) -> list[str]:
        """Warnings for other open cycles taking nominations at the same time as this one: someone can then be nominated
        in both (some organisations run a cycle per job family on purpose, so it is said, not refused)."""
        mine = CycleDates.of(cycle)
        if mine is None:
            return []
        out = []
        for other in self.repo.cycles(cycle.team_id):
            theirs = CycleDates.of(other)
            if other.id == cycle.id or other.status == "closed" or theirs is None:
                continue
            if mine.opens_on < theirs.reviews_due_on and theirs.opens_on < mine.reviews_due_on:
                out.append(
                    f"{other.name} takes nominations at the same time ({theirs.opens_on} to {theirs.reviews_due_on}): someone "
                    "can be nominated in both."
                )
        return out

    def rename(self, team_id: str, name: str, new_name: str, *, by: str) -> PromotionCycle:
        cycle = self.named(team_id, name)
        new_name = _name(new_name)
        clash = self.repo.cycle_named(team_id, new_name)
        if clash is not None and clash.id != cycle.id:
            raise LadderError(f"A promotion cycle named {clash.name!r} exists already: pick another name.")
        if cycle.name != new_name:
            old, cycle.name = cycle.name, new_name
            self.repo.save_cycle(cycle)
            self._audit(cycle, "renamed", by, old=old, new=new_name)
        return cycle

    def remove(self, team_id: str, name: str, *, by: str) -> PromotionCycle:
        """A cycle set up by mistake goes; one that holds nominations stays (close it instead), because they belong to it."""
        cycle = self.named(team_id, name)
        assert cycle.id is not None
        held = self._nominations.nominations_in_cycle(team_id, cycle.id)
        if held:
            raise LadderError(
                f"{cycle.name} holds {held} nomination{'s' if held != 1 else ''} (drafts and withdrawn ones count): it cannot be "
                "removed. Close it instead (`ladder cycle close`)."
            )
        self._audit(cycle, "removed", by, name=cycle.name)
        self.repo.remove_cycle(cycle)
        return cycle

    def _audit(self, cycle: PromotionCycle, action: str, by: str, **detail: object) -> None:
        assert cycle.id is not None
        self._trail.audit(cycle.team_id, "cycle", cycle.id, action, by, self.now(), **detail)


def _phase(cycle: PromotionCycle, dates: CycleDates | None, appeals_close: date | None, today: date) -> Phase:
    if cycle.status == "closed":
        return Phase.CLOSED
    if today < cycle.opens_on:
        return Phase.UPCOMING
    if dates is None or today < dates.reviews_due_on:
        return Phase.NOMINATING
    if today < dates.panel_from:
        return Phase.AWAITING_PANEL
    if today < dates.decisions_on:
        return Phase.PANEL
    if appeals_close is not None and today <= appeals_close:
        return Phase.APPEALS
    return Phase.FINISHED


def _default_cycle(team_id: str, today: date) -> PromotionCycle:
    half = 1 if today.month <= 6 else 2
    return PromotionCycle(team_id=team_id, name=f"{today.year} H{half}", opens_on=date(today.year, 1 if half == 1 else 7, 1))


def _refuse(dates: CycleDates) -> None:
    problems = dates.problems()
    if problems:
        raise LadderError("Those dates do not work: " + "; ".join(problems) + ".")


def _check_cap(cap: int) -> None:
    if not 1 <= cap <= MAX_REVIEW_CAP:
        raise LadderError(f"The reviewer cap is 1 to {MAX_REVIEW_CAP} reviews per person per cycle.")


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise LadderError(f"A cycle's name is 1 to {MAX_NAME} characters, e.g. '2027 H1'.")
    return cleaned


def _day(day: date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else "a date to be set"
