"""Independent scoring and the chair's decision.

Each member who judges a nomination scores it alone (per competency, a recommendation, a rationale, and
criteria they found unclear); the others' scores open to them once their own is in, and reading them seals
their own: a score can change only until its author has read the others'. The chair (who scores too) then
sees the spread and records the decision once — and only once at least the policy's minimum of members who
judge it have scored: promote with an effective date, not yet with what's next per competency, or defer —
with feedback per competency. After the decision no score changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.confidentiality import Action
from bot.errors import LadderError, NotAllowed
from bot.framework.model import Competency, Framework
from bot.nominations.stages import DECIDED, READY, REVIEW_ROUND
from bot.panels import form
from bot.panels.docket import Case, Docket
from bot.panels.form import DecisionAnswers, ScoreAnswers
from storage.models import PanelDecision, PanelScore


@dataclass(frozen=True)
class CompetencySpread:
    competency: Competency
    ratings: Counter[str]
    gap: int
    """The distance on the rubric between the lowest and the highest rating given: how much members disagree."""


@dataclass(frozen=True)
class Spread:
    scores: int
    judges: int
    competencies: tuple[CompetencySpread, ...]
    recommendations: Counter[str]

    @property
    def most_disagreed(self) -> tuple[CompetencySpread, ...]:
        return tuple(c for c in sorted(self.competencies, key=lambda c: -c.gap) if c.gap > 0)


class Judging:
    def __init__(self, docket: Docket) -> None:
        self.docket = docket
        self.framework: Framework = docket.framework
        self.repo = docket.repo
        self.now = docket.now

    # -- scoring ------------------------------------------------------------------------------------------------

    def scoring(self, team_id: str, panelist: str, nomination_id: int) -> tuple[Case, PanelScore | None]:
        """The case a panelist is about to score, and their own score so far."""
        case = self.docket.case(team_id, nomination_id)
        self.docket.require(
            panelist, team_id, case, Action.SCORE_NOMINATION,
            "Only the members of the panel reviewing this nomination who are not recused from it can score it.",
        )  # fmt: skip
        if case.decision is not None:
            raise LadderError("This nomination has been decided: its scores can no longer change.")
        if case.nomination.stage != READY:
            raise LadderError("This nomination is not ready for the panel yet: its peer reviews are still open.")
        mine = case.score_of(panelist)
        if mine is not None and mine.sealed_at is not None:
            raise LadderError(
                f"You read the other members' scores on {mine.sealed_at:%d %B %Y}, so your score is sealed: it can no longer change."
            )
        return case, mine

    def score(self, team_id: str, panelist: str, nomination_id: int, answers: ScoreAnswers) -> Case:
        """Store or change the panelist's own score (the same answers twice change nothing); returns the case as it now is."""
        case, mine = self.scoring(team_id, panelist, nomination_id)
        form.check_score(answers, self.framework, self.docket.competencies(case.nomination))
        now = self.now()
        assert case.panel is not None and case.panel.id is not None
        ratings, recommendation, flags = dict(answers.ratings), str(answers.recommendation), answers.flags()
        values = {
            "ratings": ratings, "recommendation": recommendation, "rationale": answers.rationale, "flags": flags,
            "updated_at": now,
        }  # fmt: skip
        first = mine is None and self.repo.add_score(
            PanelScore(
                team_id=team_id,
                nomination_id=case.id,
                panel_id=case.panel.id,
                panelist=panelist,
                submitted_at=now,
                ratings=ratings,
                recommendation=recommendation,
                rationale=answers.rationale,
                flags=flags,
                updated_at=now,
            )
        )
        if not first:
            mine = mine or next(s for s in self.repo.scores(team_id, [case.id])[case.id] if s.panelist == panelist)
            if all(getattr(mine, key) == value for key, value in values.items() if key != "updated_at"):
                return case  # the same score again
            for key, value in values.items():
                setattr(mine, key, value)
            self.repo.save(mine)
            self.repo.flush()
        self.docket.audit_trail.audit(
            team_id, "nomination", case.id, "scored" if first else "score_edited", panelist, now, flags=len(answers.flagged)
        )
        return self.docket.case(team_id, nomination_id)

    def spread(self, viewer: str, team_id: str, case: Case) -> Spread:
        """The panel's scores side by side, for those who scored already and an appeal's hearers. Reading them seals the
        reader's own score (the first time, audited): nobody can score, read the others' and edit theirs to match."""
        self.docket.require(
            viewer, team_id, case, Action.READ_PANEL_SCORES, "The others' scores open to you once your own is in."
        )
        mine = case.score_of(viewer)
        if mine is not None and mine.sealed_at is None and case.decision is None:
            now = self.now()
            if self.repo.seal_score(mine, now):
                self.docket.audit_trail.audit(team_id, "nomination", case.id, "score_sealed", viewer, now)
        return spread_of(self.framework, self.docket.competencies(case.nomination), case)

    def sealed(self, case: Case, viewer: str) -> bool:
        """Whether the viewer's score is sealed (they read the others' already): showing them the spread costs nothing."""
        mine = case.score_of(viewer)
        return mine is not None and mine.sealed_at is not None

    def declare_conflict(self, team_id: str, member: str, nomination_id: int) -> Case | None:
        """A judge of a nomination, or a hearer of its appeal, recuses themselves (a score of theirs stops counting, and what
        they were sent to judge it is taken back); the case as it now is, or None when they were recused already."""
        case = self.docket.case(team_id, nomination_id)
        if not self.docket.may(member, team_id, case, Action.DECLARE_CONFLICT):
            if member in case.parties.declared or (case.sitting and member in case.sitting.recused):
                return None
            raise NotAllowed("Only the members who judge this nomination, or hear its appeal, can declare a conflict on it.")
        hearing = member in case.hearers
        if not hearing and case.decision is not None:
            raise LadderError("This nomination has been decided already.")
        if hearing and case.appeal_decision is not None:
            raise LadderError("This appeal has been decided already; the outcome is final.")
        now = self.now()
        if not self.repo.declare(team_id, case.id, member, now):
            return None
        self.docket.audit_trail.audit(
            team_id, "nomination", case.id, "recused", member, now, reason="declared", round="appeal" if hearing else "review"
        )  # fmt: skip
        return self.docket.case(team_id, nomination_id)

    # -- deciding -----------------------------------------------------------------------------------------------

    def deciding(self, team_id: str, chair: str, nomination_id: int) -> tuple[Case, Spread]:
        case = self.docket.case(team_id, nomination_id)
        self.docket.require(chair, team_id, case, Action.DECIDE_NOMINATION, self._not_chair(chair, team_id, case))
        if case.decision is not None:
            raise LadderError(self._decided(team_id, case.decision))
        if case.nomination.stage != READY:
            raise LadderError("This nomination is not ready for the panel yet: its peer reviews are still open.")
        assert case.sitting is not None and case.panel is not None
        needed = case.sitting.min_members
        if case.stranded:
            raise LadderError(
                f"Only {len(case.sitting.judges)} member{'s' if len(case.sitting.judges) != 1 else ''} of {case.panel.name} "
                f"can judge this nomination after recusals, and no other panel covering it has enough; the policy asks for "
                f"{needed}. It cannot be decided by fewer: the Ladder admins are told, to add members."
            )
        if case.score_of(chair) is None:
            raise LadderError("Score it yourself first: the decision rests on the panel's scores, yours included.")
        judged = {s.panelist for s in case.scores if s.panelist in case.sitting.judges}
        if len(judged) < needed:
            waiting = [j for j in case.sitting.judges if j not in judged]
            raise LadderError(
                f"{len(judged)} of the {len(case.sitting.judges)} members who judge it have scored it; a decision needs at least "
                f"{needed} scores. Still to score: {', '.join(self.docket.names(team_id, set(waiting)).get(w, w) for w in waiting)}."
            )
        return case, self.spread(chair, team_id, case)

    def decide(self, team_id: str, chair: str, nomination_id: int, answers: DecisionAnswers) -> PanelDecision:
        """Record the decision, once: a second submission by the same chair with the same outcome is the same decision."""
        case = self.docket.case(team_id, nomination_id)
        if case.decision is not None:
            if case.decision.decided_by == chair and case.decision.outcome == answers.outcome:
                return case.decision  # delivered twice
            self.docket.require(chair, team_id, case, Action.DECIDE_NOMINATION, self._not_chair(chair, team_id, case))
            raise LadderError(self._decided(team_id, case.decision))
        case, _ = self.deciding(team_id, chair, nomination_id)
        competencies = self.docket.competencies(case.nomination)
        form.check_decision(answers, competencies, earliest=self.now().date())
        assert case.panel is not None and case.sitting is not None
        now = self.now()
        scored = [s.panelist for s in case.scores if s.panelist in case.sitting.judges]
        deciders = sorted({chair, *scored})
        decision = PanelDecision(
            team_id=team_id, nomination_id=case.id, panel_id=case.panel.id, round=REVIEW_ROUND, outcome=str(answers.outcome),
            effective_on=answers.effective_on if answers.outcome == form.PROMOTE else None,
            feedback=dict(answers.feedback), next_steps=dict(answers.next_steps), summary=answers.summary,
            decided_by=chair, deciders=deciders, decided_at=now, framework_version=self.framework.published,
        )  # fmt: skip
        if not self.repo.add_decision(decision):
            raise LadderError("Someone recorded a decision on this nomination a moment ago; nothing was changed.")
        case.nomination.stage, case.nomination.stage_changed_at = DECIDED, now
        self.repo.save(case.nomination)
        audit = self.docket.audit_trail.audit
        for member, reason in case.sitting.recused.items():
            audit(team_id, "nomination", case.id, "recused", member, now, reason=reason.name.lower())
        audit(team_id, "nomination", case.id, "decided", chair, now, outcome=decision.outcome, scores=len(scored))
        self.repo.flush()
        return self.docket.case(team_id, nomination_id).decision or decision

    def _not_chair(self, viewer: str, team_id: str, case: Case) -> str:
        """Who may decide: named to the panel's own members, not to whoever else presses the button."""
        refusal = "Only the chair of the panel reviewing this nomination can record its decision"
        if case.chair and self.docket.may(viewer, team_id, case, Action.READ_DIGEST_ENTRY):
            return f"{refusal} ({self.docket.names(team_id, {case.chair}).get(case.chair, case.chair)})."
        return f"{refusal}."

    def _decided(self, team_id: str, decision: PanelDecision) -> str:
        by = self.docket.names(team_id, {decision.decided_by}).get(decision.decided_by, decision.decided_by)
        return f"This nomination was decided on {decision.decided_at:%d %B %Y} by {by}; a decision is recorded once."


def spread_of(framework: Framework, competencies: tuple[Competency, ...], case: Case) -> Spread:
    judges = case.sitting.judges if case.sitting else ()
    counted = [s for s in case.scores if s.panelist in judges]
    spreads = []
    for competency in competencies:
        given = [s.ratings.get(competency.id) for s in counted if s.ratings.get(competency.id)]
        ranks = [r.rank for r in (framework.rating(g or "") for g in given) if r is not None]
        spreads.append(CompetencySpread(competency, Counter(g for g in given if g), (max(ranks) - min(ranks)) if ranks else 0))
    return Spread(len(counted), len(judges), tuple(spreads), Counter(s.recommendation for s in counted))
