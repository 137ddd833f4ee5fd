"""Everything a review panel does, opened once per unit of work: the docket, cycles, digests, scoring and
decisions, publication and appeals, reports; and the clock's part of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Collection

from sqlmodel import Session

from bot.admins import CLI, NOBODY, ConfiguredAdmins
from bot.errors import LadderError, NotAllowed
from bot.fairness import delivery as fairness_delivery
from bot.framework.model import Framework
from bot.nominations.stages import WITHDRAWN
from bot.panels.cycles import Cycles, Phase
from bot.panels.digest import BEFORE_THE_PANEL, Digests
from bot.panels.docket import Case, Docket
from bot.panels.judging import Judging
from bot.panels.panels import REVIEW
from bot.panels.publication import Publication
from bot.panels.report import Reports
from storage.models import Panel, PromotionCycle
from storage.repositories.outbox import Outbox

CYCLE_REPORT = "cycle_report"


@dataclass(frozen=True)
class Board:
    docket: Docket
    cycles: Cycles
    digests: Digests
    judging: Judging
    publication: Publication
    reports: Reports

    @classmethod
    def open(
        cls, framework: Framework, session: Session, now: Callable[[], datetime], admins: ConfiguredAdmins = NOBODY
    ) -> Board:
        docket = Docket(framework, session, now, admins)
        cycles = Cycles(framework, session, now)
        outbox = Outbox(session)
        return cls(
            docket, cycles, Digests(docket, cycles, outbox), Judging(docket), Publication(docket, cycles, outbox), Reports(docket)
        )

    def sitting_cycle(self, team_id: str, name: str | None = None) -> PromotionCycle:
        """The cycle named, or the one whose panel review is on (else the latest to have started one)."""
        if name:
            return self.cycles.named(team_id, name)
        views = [v for v in self.cycles.listing(team_id) if v.cycle.panel_from is not None]
        sitting = [v.cycle for v in views if v.phase is Phase.PANEL]
        started = [v.cycle for v in views if v.cycle.panel_from and v.cycle.panel_from <= self.docket.now().date()]
        chosen = sitting or started
        found = chosen[0] if chosen else None
        if found is None:
            raise LadderError("No promotion cycle has reached its panel review yet.")
        return found

    def digest_on_demand(
        self, team_id: str, user_id: str, *, panel_name: str | None = None, cycle_name: str | None = None
    ) -> list[tuple[Panel, int]]:
        """Post the digests asked for now: the named panel's, or every panel the person sits on (an admin: every panel)."""
        cycle = self.sitting_cycle(team_id, cycle_name)
        listing = self.docket.panels.listing(team_id)
        admin = user_id == CLI or user_id in self.docket.admins.of(team_id)
        if panel_name:
            panel = self.docket.panels.named(team_id, panel_name)
            members = dict((p.id, m) for p, m in listing).get(panel.id, [])
            if not admin and user_id not in members:
                raise NotAllowed("Only the panel's members or a Ladder admin can ask for its digest.")
            chosen = [panel]
        else:
            chosen = [p for p, members in listing if p.kind == REVIEW and (admin or user_id in members)]
            if not chosen:
                raise NotAllowed("You sit on no review panel, so there is no digest for you.")
        occasion = self.docket.now().strftime("%Y-%m-%dT%H:%M")
        return [(panel, self.digests.post(team_id, panel, cycle, occasion)) for panel in chosen]

    def sitting_teams(self) -> list[str]:
        """The teams with a cycle whose panel review is under way."""
        return sorted({c.team_id for c in self.docket.repo.cycles_sitting(self.docket.now().date())})

    def clock(self, teams: Collection[str] | None = None) -> int:
        """Scheduled digests (panel window opening, then weekly), publication on the decisions day, level changes due,
        and each sitting team reconsidered (:meth:`reconsider`). ``teams``: only these teams' cycles (each tenant's under
        its own framework), and no level changes (:meth:`apply_due_levels`)."""
        today = self.docket.now().date()
        written = 0
        sitting = [c for c in self.docket.repo.cycles_sitting(today) if teams is None or c.team_id in teams]
        for team_id in sorted({c.team_id for c in sitting}):
            written += self.reconsider(team_id)
        for cycle in sitting:
            if cycle.decisions_on is not None and cycle.decisions_on <= today:  # publishes what is decided, even late
                written += self.publication.publish(cycle.team_id, cycle, by="ladder").decisions
            occasion = self.digests.due(cycle, today)
            if occasion is None:
                continue
            for panel in self.docket.repo.panels(cycle.team_id):
                if panel.kind == REVIEW and not self.digests.posted(cycle.team_id, panel, cycle, occasion):
                    written += self.digests.post(cycle.team_id, panel, cycle, occasion)
        if teams is None:
            written += self.apply_due_levels()
        return written

    def apply_due_levels(self) -> int:
        """Level changes whose effective date has come, in every team (no framework is read)."""
        return self.publication.apply_due_levels(self.docket.now().date())

    def declare_conflict(self, team_id: str, member: str, nomination_id: int) -> bool:
        """A judge or appeal hearer recuses themselves: what they were sent to judge it is taken back, an appeal they
        were to decide passes to the next free hearer, and a nomination left with too few judges is escalated. False
        when they were recused already."""
        case = self.judging.declare_conflict(team_id, member, nomination_id)
        if case is None:
            return False
        self._reconsider(team_id, [case])
        return True

    def withdrawn(self, team_id: str, nomination_id: int) -> None:
        """A nomination withdrawn before its decision: what its judges were sent is taken back."""
        self._reconsider(team_id, [self.docket.case(team_id, nomination_id)])

    def reconsider(self, team_id: str) -> int:
        """After anything that changes who may judge what — a panel edited or removed, people imported with new managers,
        and on every clock tick: in each cycle whose panel review has started, what anyone may no longer read is taken
        back, a nomination no panel can judge is escalated to the admins, and an appeal goes to whoever may hear it now.
        Each of these is written once (its outbox key), however often this runs. Returns how many rows it wrote."""
        today = self.docket.now().date()
        written = 0
        for cycle in self.cycles.repo.cycles(team_id):
            if cycle.panel_from is not None and cycle.panel_from <= today and cycle.id is not None:
                nominations = self.docket.repo.nominations_in(team_id, cycle.id, (*BEFORE_THE_PANEL, WITHDRAWN))
                written += self._reconsider(team_id, self.docket.cases(team_id, nominations))
        return written

    def _reconsider(self, team_id: str, cases: list[Case]) -> int:
        written = self.digests.take_back(team_id, cases) + self.digests.escalate(team_id, cases)
        for case in cases:
            written += self.publication.reroute(team_id, case)
        return written

    def close(self, team_id: str, name: str, *, by: str) -> tuple[PromotionCycle, bool]:
        """Close a cycle: its pending review reminders stop, and each admin gets the cycle report and the fairness audit
        (summary and chart); chairs not yet sent their panel's calibration are sent it."""
        cycle, closed = self.cycles.close(team_id, name, by=by)
        if closed:
            assert cycle.id is not None
            self.docket.nominations.stop_reminders(team_id, cycle.id)
            self.digests.outbox.enqueue_many(
                team_id,
                [
                    (f"cycle-report:{cycle.id}:{a}", CYCLE_REPORT, a, {"cycle_id": cycle.id})
                    for a in sorted(self.docket.admins.of(team_id))
                ],
                due_at=self.docket.now(),
            )
            earlier = [c for c in self.cycles.repo.cycles(team_id) if c.id != cycle.id and c.opens_on <= cycle.opens_on]
            fairness_delivery.to_admins(
                self.digests.outbox,
                team_id,
                cycle.id,
                self.docket.admins.of(team_id),
                self.docket.now(),
                with_trend=bool(earlier),
            )
            self.publication.calibration_to_chairs(team_id, cycle)
        return cycle, closed
