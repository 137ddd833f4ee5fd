"""Nominations as a panel sees them: each with its panel, who judges it and who is recused, its reviews,
scores, decisions and appeal — loaded for a whole cycle in a fixed number of queries.

Management chains are walked in memory from the team's people table (read once), so a digest of 500
nominations costs the same statements as a digest of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping, Sequence

from sqlmodel import Session

from bot.admins import NOBODY, Admins, ConfiguredAdmins
from bot.confidentiality import Action, PanelSeat, Relation, can, relations
from bot.errors import NotAllowed, NotFound
from bot.framework.model import Competency, Framework, Level
from bot.nominations.service import management_chain
from bot.nominations.stages import APPEAL_ROUND, DECIDED, PUBLISHED, READY, REVIEW_ROUND
from bot.panels.panels import APPEAL, Panels
from bot.panels.recusal import Parties, Sitting, sitting
from storage.models import Appeal, Nomination, Panel, PanelDecision, PanelScore, Person, ReviewRequest
from storage.repositories.audit import AuditTrail
from storage.repositories.cycles import CycleRepository
from storage.repositories.nominations import NominationRepository
from storage.repositories.panels import PanelRepository
from storage.repositories.people import People

SITTING_STAGES = (READY, DECIDED, PUBLISHED)
"""Stages in which a nomination is before its panel: its peer reviews closed, not withdrawn."""


@dataclass(frozen=True)
class Case:
    """One nomination before its panel.

    ``panel`` judges it: once decided, the panel that decided, and its sitting is those who decided (whoever joins the
    panel later reads nothing of it); before that, the narrowest review panel covering its target level that has at
    least the policy's minimum of members free to judge it. When that is not the narrowest one, ``passed_over`` names
    the narrower panels it went past; when no covering panel has enough, its sitting is ``too_few``: nobody can decide
    it until an admin changes the panels. A nomination is before its panel only once its peer reviews are closed
    (:attr:`before_the_panel`): until then, or once withdrawn, its panel's members read what the channel says of it and
    nothing more."""

    nomination: Nomination
    panel: Panel | None
    sitting: Sitting | None
    requests: tuple[ReviewRequest, ...]
    scores: tuple[PanelScore, ...]
    decision: PanelDecision | None
    appeal: Appeal | None
    appeal_decision: PanelDecision | None
    nominee: Person | None
    manager: str | None
    chain: tuple[str, ...]
    parties: Parties
    passed_over: tuple[Panel, ...] = ()
    appeal_members: frozenset[str] = frozenset()
    """Who is on the panel the appeal went to now (for a review panel's chair hearing it, that chair)."""

    @property
    def before_the_panel(self) -> bool:
        return self.nomination.stage in SITTING_STAGES

    @property
    def stranded(self) -> bool:
        """No panel covering it has enough members free to judge it."""
        return self.decision is None and self.sitting is not None and self.sitting.too_few

    @property
    def hearers(self) -> tuple[str, ...]:
        """Who hears its appeal now: those it was sent to, less anyone the recusal rules (or a conflict declared since)
        now exclude. The first of them decides it."""
        if self.appeal is None:
            return ()
        deciders = self.decision.deciders if self.decision else ()
        appeal_parties = self.parties.for_the_appeal(deciders)
        return tuple(h for h in self.appeal.hearers if h in self.appeal_members and appeal_parties.reason(h) is None)

    @property
    def id(self) -> int:
        assert self.nomination.id is not None
        return self.nomination.id

    @property
    def chair(self) -> str | None:
        """Who decides: the panel's chair, or when the chair is recused, the first member who is not (once decided, who
        decided it)."""
        if self.panel is None or self.sitting is None:
            return None
        if self.decision is not None:
            return self.decision.decided_by if self.decision.decided_by in self.sitting.judges else None
        if self.panel.chair in self.sitting.judges:
            return self.panel.chair
        return self.sitting.judges[0] if self.sitting.judges else None

    @property
    def reviewers(self) -> tuple[str, ...]:
        return tuple(r.reviewer for r in self.requests)

    def seat(self) -> PanelSeat:
        if self.sitting is None:
            return PanelSeat(appeal=self.hearers)
        if not self.before_the_panel:
            return PanelSeat(waiting=frozenset(self.sitting.members), appeal=self.hearers)
        return PanelSeat(
            judges=frozenset(self.sitting.judges), chair=self.chair, recused=frozenset(self.sitting.recused),
            scored=frozenset(s.panelist for s in self.scores), appeal=self.hearers,
        )  # fmt: skip

    def score_of(self, panelist: str) -> PanelScore | None:
        return next((s for s in self.scores if s.panelist == panelist), None)


class Docket:
    def __init__(
        self, framework: Framework, session: Session, now: Callable[[], datetime], admins: ConfiguredAdmins = NOBODY
    ) -> None:
        self.framework = framework
        self.now = now
        self.repo = PanelRepository(session)
        self.nominations = NominationRepository(session)
        self.cycle_repo = CycleRepository(session)
        self.audit_trail = AuditTrail(session)
        self.people = People(session)
        self.panels = Panels(framework, session, now)
        self.admins = Admins(session, admins)

    def cases(self, team_id: str, nominations: Sequence[Nomination], panels: Sequence[Panel] | None = None) -> list[Case]:
        """Every nomination with its panel and what the panel did: eight queries however many nominations (seven when
        the caller has read the team's ``panels`` already)."""
        ids = [n.id for n in nominations if n.id is not None]
        panels = self.repo.panels(team_id) if panels is None else panels
        by_id = {p.id: p for p in panels}
        members = self.repo.members(team_id, [p.id for p in panels if p.id is not None])
        requests: dict[int, list[ReviewRequest]] = {}
        for request in self.nominations.requests_of(team_id, ids):
            requests.setdefault(request.nomination_id, []).append(request)
        people = self.repo.everyone(team_id)
        declared = self.repo.declarations(team_id, ids)
        scores = self.repo.scores(team_id, ids)
        decisions = self.repo.decisions(team_id, ids)
        appeals = self.repo.appeals(team_id, ids)
        covering: dict[str, list[Panel]] = {}
        out = []
        for nomination in nominations:
            assert nomination.id is not None
            asked = requests.get(nomination.id, [])
            chain = chain_of(people, nomination.nominee)
            parties = Parties(
                nomination.nominee, nomination.nominator, frozenset(chain), frozenset(r.reviewer for r in asked),
                frozenset(declared.get(nomination.id, set())),
            )  # fmt: skip
            rounds = decisions.get(nomination.id, {})
            decided = rounds.get(REVIEW_ROUND)
            panel: Panel | None
            passed: tuple[Panel, ...]
            if decided is not None and decided.panel_id in by_id:
                panel, passed = by_id[decided.panel_id], ()
                seated: Sitting | None = sitting(decided.deciders, parties, min_members=self.framework.panel_policy.min_members)
            else:
                if nomination.target_level not in covering:
                    covering[nomination.target_level] = self.panels.covering(team_id, nomination.target_level, panels)
                panel, seated, passed = self._judging_panel(covering[nomination.target_level], members, parties)
            nominee = people.get(nomination.nominee)
            appeal = appeals.get(nomination.id)
            out.append(
                Case(
                    nomination, panel, seated, tuple(asked), tuple(scores.get(nomination.id, [])), decided,
                    appeal, rounds.get(APPEAL_ROUND), nominee, nominee.manager_user_id if nominee else None, chain, parties,
                    passed, _hearing(appeal, by_id, members),
                )
            )  # fmt: skip
        return out

    def _judging_panel(
        self, covering: Sequence[Panel], members: Mapping[int, list[str]], parties: Parties
    ) -> tuple[Panel | None, Sitting | None, tuple[Panel, ...]]:
        """Of the panels ``covering`` a nomination's target level (narrowest first), the first with enough members free to
        judge it; when none has, the one with the most (the narrowest of those), where it waits for an admin to add members."""
        if not covering:
            return None, None, ()
        sittings = [(panel, self._sitting(panel, members, parties)) for panel in covering]
        for index, (panel, seated) in enumerate(sittings):
            if not seated.too_few:
                return panel, seated, tuple(covering[:index])
        waiting = max(sittings, key=lambda found: len(found[1].judges))  # max keeps the first (narrowest) of equals
        return (*waiting, ())

    def _sitting(self, panel: Panel, members: Mapping[int, list[str]], parties: Parties) -> Sitting:
        assert panel.id is not None
        return sitting(members.get(panel.id, []), parties, min_members=self.framework.panel_policy.min_members)

    def case(self, team_id: str, nomination_id: int) -> Case:
        """One nomination as its panel sees it. In a unit of work that writes, the nomination is held until it commits
        (:func:`storage.repositories.held.held`): a score, a conflict, the decision and an appeal on one nomination
        happen one after another, each seeing what the one before wrote."""
        nomination = self.nominations.nomination(team_id, nomination_id, for_update=True)
        if nomination is None:
            raise NotFound("That nomination is gone.")
        return self.cases(team_id, [nomination])[0]

    def relations_to(self, viewer: str, team_id: str, case: Case) -> frozenset[Relation]:
        n = case.nomination
        return relations(
            viewer, n.nominee, manager=case.manager, nominee=n.nominee, nominator=n.nominator,
            reviewers=frozenset(case.reviewers), admins=self.admins.of(team_id), chain=frozenset(case.chain),
            panel=case.seat(),
        )  # fmt: skip

    def may(self, viewer: str, team_id: str, case: Case, action: Action) -> bool:
        return can(self.relations_to(viewer, team_id, case), action)

    def require(self, viewer: str, team_id: str, case: Case, action: Action, refusal: str) -> None:
        if not self.may(viewer, team_id, case, action):
            raise NotAllowed(refusal)

    def names(self, team_id: str, user_ids: set[str]) -> dict[str, str]:
        return {u: p.name or u for u, p in self.repo.people(team_id, sorted(user_ids)).items()}

    def levels(self, nomination: Nomination) -> tuple[Level | None, Level | None]:
        return self.framework.level(nomination.from_level), self.framework.level(nomination.target_level)

    def competencies(self, nomination: Nomination) -> tuple[Competency, ...]:
        level = self.framework.level(nomination.target_level)
        return self.framework.competencies_at(level) if level else ()


def _hearing(appeal: Appeal | None, panels: Mapping[int | None, Panel], members: Mapping[int, list[str]]) -> frozenset[str]:
    """Who is on the panel an appeal went to now: an appeal panel's members, or the chair of the review panel hearing it."""
    panel = panels.get(appeal.panel_id) if appeal is not None else None
    if panel is None or panel.id is None:
        return frozenset()
    return frozenset(members.get(panel.id, [])) | {panel.chair} if panel.kind == APPEAL else frozenset({panel.chair})


def chain_of(people: Mapping[str, Person], user_id: str) -> tuple[str, ...]:
    """A person's managers from a people table already in memory (no query per step)."""
    return management_chain(user_id, lambda person: people[person].manager_user_id if person in people else None)
