"""Publishing decisions, changing levels, and appeals.

On the cycle's "decisions published" day (or at once with ``ladder cycle publish``) each decided
nomination is published: the nominee hears first, privately, with the outcome and the feedback (their
manager at the same time); a minute later the nominator hears the outcome and the reviewers are thanked
without it. A promotion records a level change that takes effect on its date (the people table moves
then; the change stays as the level history). The nominee may appeal within the cycle's window; an
appeal is heard by people who did not decide the first time, and its outcome is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.confidentiality import Action
from bot.errors import LadderError, NotAllowed
from bot.fairness import delivery as fairness_delivery
from bot.nominations.stages import APPEAL_ROUND, COLLECTING, DECIDED, PUBLISHED, READY, SUBMITTED
from bot.panels import form
from bot.panels.cycles import Cycles
from bot.panels.docket import Case, Docket
from bot.panels.form import AppealDecisionAnswers
from bot.panels.panels import APPEAL, REVIEW
from storage.models import Appeal, LevelChange, PanelDecision, PromotionCycle
from storage.repositories.outbox import Outbox

DECISION = "panel_decision"
DECISION_TO_MANAGER = "panel_decision_manager"
OUTCOME_TO_NOMINATOR = "panel_outcome_nominator"
REVIEWER_THANKS = "panel_reviewer_thanks"
APPEAL_FILED = "appeal_filed"
APPEAL_DECIDED = "appeal_decided"
APPEAL_UNHEARD = "appeal_unheard"
"""To each admin: an appeal nobody is free to hear (set up an appeal panel)."""
AFTER_THE_NOMINEE = timedelta(minutes=1)


@dataclass(frozen=True)
class Published:
    decisions: int
    promotions: int


class Publication:
    def __init__(self, docket: Docket, cycles: Cycles, outbox: Outbox) -> None:
        self.docket = docket
        self.cycles = cycles
        self.repo = docket.repo
        self.now = docket.now
        self.outbox = outbox

    # -- publishing ---------------------------------------------------------------------------------------------

    def publish(self, team_id: str, cycle: PromotionCycle, *, by: str) -> Published:
        """Publish every decision of the cycle not yet published (again: nothing more)."""
        assert cycle.id is not None
        pending = self.repo.unpublished(team_id, cycle.id)
        cases = {c.id: c for c in self.docket.cases(team_id, [n for _, n in pending])}
        promotions = 0
        for decision, nomination in pending:
            assert nomination.id is not None
            promotions += self._publish_one(team_id, cases[nomination.id], decision, by=by)
        if pending:
            self.docket.audit_trail.audit(team_id, "cycle", cycle.id, "published", by, self.now(), decisions=len(pending))
            self.calibration_to_chairs(team_id, cycle)
        return Published(len(pending), promotions)

    def calibration_to_chairs(self, team_id: str, cycle: PromotionCycle) -> int:
        """Once every decision of the cycle is published, each deciding panel's chair is sent their panel's calibration
        (:mod:`bot.fairness.delivery`; once each, however often this runs). Returns how many messages it wrote."""
        assert cycle.id is not None
        nominations = self.repo.nominations_in(team_id, cycle.id, (COLLECTING, READY, DECIDED, PUBLISHED))
        chairs = fairness_delivery.chairs_to_tell(self.docket.cases(team_id, nominations))
        return fairness_delivery.to_chairs(self.outbox, team_id, cycle.id, chairs, self.now())

    def _publish_one(self, team_id: str, case: Case, decision: PanelDecision, *, by: str) -> int:
        now, n = self.now(), case.nomination
        decision.published_at = now
        n.stage, n.stage_changed_at = PUBLISHED, now
        self.repo.save(decision)
        self.repo.save(n)
        self.docket.audit_trail.audit(team_id, "nomination", case.id, "published", by, now, outcome=decision.outcome)
        context = {"nomination_id": case.id}
        messages = [(f"decision:{case.id}", DECISION, n.nominee, context)]
        if case.manager and case.manager != n.nominee:
            messages.append((f"decision:{case.id}:manager", DECISION_TO_MANAGER, case.manager, context))
        self.outbox.enqueue_many(team_id, messages, due_at=now)
        later = []
        if n.nominator not in (n.nominee, case.manager):
            later.append((f"decision:{case.id}:nominator", OUTCOME_TO_NOMINATOR, n.nominator, context))
        later += [
            (f"decision:{case.id}:thanks:{r.reviewer}", REVIEWER_THANKS, r.reviewer, context)
            for r in case.requests
            if r.status == SUBMITTED
        ]
        self.outbox.enqueue_many(team_id, later, due_at=now + AFTER_THE_NOMINEE)
        if decision.outcome == form.PROMOTE:
            self._change_level(team_id, case, decision, by=by)
            return 1
        return 0

    # -- levels -------------------------------------------------------------------------------------------------

    def _change_level(self, team_id: str, case: Case, decision: PanelDecision, *, by: str) -> None:
        n = case.nomination
        target = self.docket.framework.level(n.target_level)
        current = self.docket.framework.level(n.from_level)
        assert decision.effective_on is not None and target is not None
        change = LevelChange(
            team_id=team_id, user_id=n.nominee, nomination_id=case.id, from_track=current.track_id if current else "",
            from_level=n.from_level, to_track=target.track_id, to_level=target.id, effective_on=decision.effective_on,
            recorded_at=self.now(),
        )  # fmt: skip
        if self.repo.add_level_change(change):
            self.docket.audit_trail.audit(
                team_id, "nomination", case.id, "level_change_recorded", by, self.now(), to=target.id,
                effective_on=decision.effective_on.isoformat(),
            )  # fmt: skip
        self.apply_due_levels(self.now().date())

    def apply_due_levels(self, today: date, limit: int = 500) -> int:
        """Level changes whose effective date has come move the people table (the change row stays as history)."""
        due = self.repo.level_changes_due(today, limit)
        for change in due:
            person = self.docket.people.person(change.team_id, change.user_id)
            if person is not None:
                person.track, person.level, person.level_since = change.to_track, change.to_level, change.effective_on
                person.updated_at = self.now()
                self.repo.save(person)
            change.applied_at = self.now()
            self.repo.save(change)
            self.docket.audit_trail.audit(
                change.team_id, "nomination", change.nomination_id or 0, "level_changed", "ladder", self.now(),
                user=change.user_id, to=change.to_level,
            )  # fmt: skip
        self.repo.flush()
        return len(due)

    # -- appeals ------------------------------------------------------------------------------------------------

    def appeal_window(self, team_id: str, case: Case) -> date | None:
        """The last day the nominee may appeal; None when the decision is not published or cannot be appealed."""
        decision = case.decision
        if decision is None or decision.published_at is None or decision.outcome == form.PROMOTE:
            return None
        cycle = self.docket.cycle_repo.cycle(team_id, case.nomination.cycle_id)
        if cycle is None:
            return None
        published = max(decision.published_at.date(), cycle.decisions_on or decision.published_at.date())
        return self.cycles.calendar(team_id).add_working_days(published, cycle.appeal_days)

    def appealing(self, team_id: str, nominee: str, nomination_id: int) -> Case:
        case = self.docket.case(team_id, nomination_id)
        self.docket.require(nominee, team_id, case, Action.APPEAL_DECISION, "Only the person nominated can appeal its decision.")
        if case.appeal is not None:
            raise LadderError(f"You appealed on {case.appeal.filed_at:%d %B %Y}; an appeal is heard once.")
        closes = self.appeal_window(team_id, case)
        if closes is None:
            raise LadderError("There is no published decision here to appeal.")
        if self.now().date() > closes:
            raise LadderError(f"The window to appeal closed on {closes:%d %B %Y}.")
        return case

    def file_appeal(self, team_id: str, nominee: str, nomination_id: int, reason: str) -> Appeal:
        case = self.docket.case(team_id, nomination_id)
        if case.appeal is not None and case.appeal.appellant == nominee and case.appeal.reason == reason.strip():
            return case.appeal  # delivered twice
        case = self.appealing(team_id, nominee, nomination_id)
        reason = form.check_reason(reason)
        assert case.decision is not None
        panel_id, hearers = self._hearers(team_id, case)
        now = self.now()
        appeal = Appeal(
            team_id=team_id, nomination_id=case.id, appellant=nominee, reason=reason, panel_id=panel_id, hearers=hearers,
            filed_at=now,
        )  # fmt: skip
        if not self.repo.add_appeal(appeal):
            raise LadderError("This decision has been appealed already.")
        self.docket.audit_trail.audit(team_id, "nomination", case.id, "appealed", nominee, now, heard_by=hearers[0])
        self.outbox.enqueue(
            team_id, f"appeal:{case.id}:{hearers[0]}", APPEAL_FILED, hearers[0], {"nomination_id": case.id}, due_at=now
        )
        found = self.docket.case(team_id, nomination_id).appeal
        assert found is not None
        return found

    def _hearers(self, team_id: str, case: Case) -> tuple[int | None, list[str]]:
        """An appeal panel's members free to hear it (its chair first when free), else the chair of another review panel
        who is. Free: the recusal rules of a judge (nominee, nominator, chain, reviewers asked, declared conflicts), and
        not among those who decided it the first time."""
        assert case.decision is not None
        parties = case.parties.for_the_appeal({*case.decision.deciders, case.decision.decided_by})
        listing = self.docket.panels.listing(team_id)
        for panel, members in listing:
            if panel.kind == APPEAL:
                free = [m for m in dict.fromkeys([panel.chair, *members]) if parties.reason(m) is None]
                if free:
                    return panel.id, free
        for panel, _ in listing:
            if panel.kind == REVIEW and panel.id != case.decision.panel_id and parties.reason(panel.chair) is None:
                return panel.id, [panel.chair]
        raise LadderError(
            "No one free to hear this appeal can hear it yet (everyone on the panels decided it, or has a stake in it). "
            "A Ladder admin has to set up an appeal panel first; your appeal is not lost — try again once they have."
        )

    def reroute(self, team_id: str, case: Case) -> bool:
        """Whoever decides a pending appeal now is told (once): the first hearer still free to hear it — off the appeal
        panel since, or recused (a conflict declared, a new manager), a hearer drops out — or, when none is left, whoever
        is free now; when nobody is, each admin is told. True when a message was written."""
        if case.appeal is None or case.appeal_decision is not None:
            return False
        now = self.now()
        if not case.hearers:
            try:
                case.appeal.panel_id, case.appeal.hearers = self._hearers(team_id, case)
            except LadderError:
                admins = sorted(self.docket.admins.of(team_id))
                return bool(
                    self.outbox.enqueue_many(
                        team_id, [(f"appeal-unheard:{case.id}:{a}", APPEAL_UNHEARD, a, {"nomination_id": case.id}) for a in admins],
                        due_at=now,
                    )
                )  # fmt: skip
            self.repo.save(case.appeal)
            self.docket.audit_trail.audit(
                team_id, "nomination", case.id, "appeal_rerouted", "ladder", now, heard_by=case.appeal.hearers[0]
            )
            case = self.docket.case(team_id, case.id)
        first = case.hearers[0]
        return self.outbox.enqueue(
            team_id, f"appeal:{case.id}:{first}", APPEAL_FILED, first, {"nomination_id": case.id}, due_at=now
        )

    def hearing(self, team_id: str, hearer: str, nomination_id: int) -> Case:
        case = self.docket.case(team_id, nomination_id)
        self.docket.require(hearer, team_id, case, Action.DECIDE_APPEAL, "Only the person hearing this appeal can decide it.")
        assert case.appeal is not None
        if case.appeal_decision is not None:
            raise LadderError(f"This appeal was decided on {case.appeal_decision.decided_at:%d %B %Y}; the outcome is final.")
        return case

    def decide_appeal(self, team_id: str, hearer: str, nomination_id: int, answers: AppealDecisionAnswers) -> PanelDecision:
        case = self.docket.case(team_id, nomination_id)
        if case.appeal_decision is not None and case.appeal_decision.decided_by == hearer:
            if case.appeal_decision.outcome == answers.outcome:
                return case.appeal_decision  # delivered twice
        case = self.hearing(team_id, hearer, nomination_id)
        form.check_appeal_decision(answers, earliest=self.now().date())
        assert case.appeal is not None
        now = self.now()
        decision = PanelDecision(
            team_id=team_id, nomination_id=case.id, panel_id=case.appeal.panel_id, round=APPEAL_ROUND, outcome=str(answers.outcome),
            effective_on=answers.effective_on if answers.outcome == form.PROMOTE else None, summary=answers.summary,
            decided_by=hearer, deciders=list(case.hearers), decided_at=now, published_at=now,
            framework_version=self.docket.framework.published,
        )  # fmt: skip
        if not self.repo.add_decision(decision):
            raise NotAllowed("This appeal has been decided already; the outcome is final.")
        case.appeal.status, case.appeal.decided_at = "decided", now
        self.repo.save(case.appeal)
        self.docket.audit_trail.audit(team_id, "nomination", case.id, "appeal_decided", hearer, now, outcome=decision.outcome)
        messages = [(f"appeal-decided:{case.id}", APPEAL_DECIDED, case.nomination.nominee, {"nomination_id": case.id})]
        if case.manager and case.manager != case.nomination.nominee:
            messages.append((f"appeal-decided:{case.id}:manager", APPEAL_DECIDED, case.manager, {"nomination_id": case.id}))
        self.outbox.enqueue_many(team_id, messages, due_at=now)
        self.repo.flush()
        if decision.outcome == form.PROMOTE:
            self._change_level(team_id, self.docket.case(team_id, nomination_id), decision, by=hearer)
        return decision
