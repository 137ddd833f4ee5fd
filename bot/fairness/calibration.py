"""Calibration of judges: how each panelist scored against their panel, how often they disagreed with its decision, and
the competencies panels disagreed about most. For admins and the chair only, and only once every decision of the cycle
is published (before that it would say how a case still open is going).

Ratings are compared by their rank on the framework's rubric (``not_yet`` 0, ``partly`` 1, ``meets`` 2, …):

- a panelist's **lean** on a competency is their mean rating minus the panel's mean rating on the same nominations (every
  member's ratings, theirs included): positive is lenient, negative severe;
- they **disagreed** with a decision when their recommendation was not the panel's outcome;
- a competency's **spread** on a nomination is the distance on the rubric between the lowest and the highest rating its
  judges gave; the competencies with the widest mean spread are those panels disagreed about most.

Ratings that are not on the rubric (a rubric changed since) are left out. Panelists are named by Slack id.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from bot.fairness.facts import CycleFacts, DecisionFacts, ScoreFacts
from bot.framework.model import Framework

WITHDRAWN = "withdrawn"
LEANING = 0.5
"""A lean of at least half a rubric step either way is called lenient or severe; less is in line."""


@dataclass(frozen=True, slots=True)
class CompetencyLean:
    competency_id: str
    competency_name: str
    ratings: int
    """How many of the panelist's ratings of it were counted."""
    own_mean: float
    panel_mean: float
    """The panel's mean rating of it on the nominations this panelist rated it on."""

    @property
    def lean(self) -> float:
        return self.own_mean - self.panel_mean

    @property
    def leaning(self) -> str:
        return "lenient" if self.lean >= LEANING else "severe" if self.lean <= -LEANING else "in line"


@dataclass(frozen=True, slots=True)
class PanelistCalibration:
    panelist: str
    """Slack user id."""
    panel_id: int
    scored: int
    """Nominations they scored that the panel decided."""
    disagreed: int
    """Of those, how many they recommended otherwise than the panel decided."""
    competencies: tuple[CompetencyLean, ...]
    """In the framework's order of competencies."""

    def lean_on(self, competency_id: str) -> CompetencyLean | None:
        return next((c for c in self.competencies if c.competency_id == competency_id), None)

    @property
    def disagreement_rate(self) -> float | None:
        return self.disagreed / self.scored if self.scored else None

    @property
    def overall_lean(self) -> float | None:
        """The mean of their leans, weighted by the ratings behind each."""
        weight = sum(c.ratings for c in self.competencies)
        return sum(c.lean * c.ratings for c in self.competencies) / weight if weight else None


@dataclass(frozen=True, slots=True)
class CompetencySpread:
    competency_id: str
    competency_name: str
    nominations: int
    """Nominations rated on it by at least two judges."""
    mean_spread: float
    max_spread: int


@dataclass(frozen=True, slots=True)
class PanelCalibration:
    panel_id: int
    panel_name: str
    nominations: int
    """Nominations of the cycle the panel decided."""
    panelists: tuple[PanelistCalibration, ...]
    """By Slack id."""
    spreads: tuple[CompetencySpread, ...]
    """Widest mean spread first; competencies every judge agreed on (spread 0) are left out."""
    competencies: tuple[tuple[str, str], ...] = ()
    """(id, name) of every competency its panelists rated, in the framework's order: the columns of its table."""


@dataclass(frozen=True, slots=True)
class Calibration:
    available: bool
    reason: str
    """Why it is not available yet ('' when it is)."""
    panels: tuple[PanelCalibration, ...] = ()
    """By panel name."""
    most_disagreed: tuple[CompetencySpread, ...] = ()
    """Across every panel: the competencies with the widest mean spread first (spread 0 left out)."""
    rubric: tuple[tuple[str, int], ...] = ()
    """(label, rank) of each rating of the framework's rubric, lowest first: what the means are on."""

    def panel(self, panel_id: int) -> PanelCalibration | None:
        return next((p for p in self.panels if p.panel_id == panel_id), None)


def calibration_of(facts: CycleFacts, framework: Framework, *, panel_id: int | None = None) -> Calibration:
    """The calibration of every panel of the cycle (or of ``panel_id``'s alone: what its chair is shown)."""
    reason = not_available_because(facts)
    if reason:
        return Calibration(False, reason)
    decisions = {d.nomination_id: d for d in facts.decisions}
    chosen = (s for s in facts.scores if s.nomination_id in decisions and (panel_id is None or s.panel_id == panel_id))
    scores = _rated(framework, chosen)
    by_panel: dict[int, list[_Rated]] = defaultdict(list)
    for rated in scores:
        by_panel[rated.score.panel_id].append(rated)
    panels = tuple(
        sorted(
            (
                _panel(framework, pid, facts.panel_names.get(pid, f"Panel {pid}"), panel_scores, decisions)
                for pid, panel_scores in by_panel.items()
            ),
            key=lambda p: (p.panel_name.casefold(), p.panel_id),
        )
    )
    rubric = tuple((r.label, r.rank) for r in sorted(framework.rubric, key=lambda r: r.rank))
    return Calibration(True, "", panels, _spreads(framework, scores), rubric)


def panel_calibration(facts: CycleFacts, framework: Framework, panel_id: int) -> Calibration:
    """One panel's calibration, for its chair: :attr:`Calibration.panels` holds that panel alone (none when it scored
    nothing in the cycle), or it is not available yet."""
    return calibration_of(facts, framework, panel_id=panel_id)


def not_available_because(facts: CycleFacts) -> str:
    """'' once every decision of the cycle is published and no scored nomination still awaits one (a withdrawn one never
    will: its scores are left out); else why not."""
    if not facts.decisions:
        return "no decision of this cycle has been recorded yet"
    unpublished = sum(d.published_at is None for d in facts.decisions)
    if unpublished:
        return f"{_count(unpublished, 'decision')} of this cycle {'is' if unpublished == 1 else 'are'} not published yet"
    decided = {d.nomination_id for d in facts.decisions}
    withdrawn = {n.nomination_id for n in facts.nominations if n.stage == WITHDRAWN}
    awaiting = len({s.nomination_id for s in facts.scores if s.nomination_id not in decided | withdrawn})
    if awaiting:
        return f"{_count(awaiting, 'scored nomination')} of this cycle still {'awaits' if awaiting == 1 else 'await'} a decision"
    return ""


# -- computing -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rated:
    """A score with its ratings as ranks on the rubric (ratings off the rubric left out)."""

    score: ScoreFacts
    ranks: dict[str, int]


def _rated(framework: Framework, scores: Iterable[ScoreFacts]) -> list[_Rated]:
    rank = {r.id: r.rank for r in framework.rubric}
    return [_Rated(s, {cid: rank[rid] for cid, rid in s.ratings.items() if rid in rank}) for s in scores]


def _panel(
    framework: Framework, panel_id: int, name: str, scores: list[_Rated], decisions: dict[int, DecisionFacts]
) -> PanelCalibration:
    by_nomination: dict[int, list[_Rated]] = defaultdict(list)
    by_panelist: dict[str, list[_Rated]] = defaultdict(list)
    for rated in scores:
        by_nomination[rated.score.nomination_id].append(rated)
        by_panelist[rated.score.panelist].append(rated)
    panel_means = {nid: _means(group) for nid, group in by_nomination.items()}
    panelists = tuple(
        _panelist(framework, panel_id, panelist, own, panel_means, decisions) for panelist, own in sorted(by_panelist.items())
    )
    rated_on = _in_framework_order(framework, {c.competency_id for p in panelists for c in p.competencies})
    columns = tuple((cid, _name(framework, cid)) for cid in rated_on)
    return PanelCalibration(panel_id, name, len(by_nomination), panelists, _spreads(framework, scores), columns)


def _panelist(
    framework: Framework,
    panel_id: int,
    panelist: str,
    own: list[_Rated],
    panel_means: dict[int, dict[str, float]],
    decisions: dict[int, DecisionFacts],
) -> PanelistCalibration:
    mine: dict[str, list[int]] = defaultdict(list)
    theirs: dict[str, list[float]] = defaultdict(list)
    for rated in own:
        means = panel_means[rated.score.nomination_id]
        for competency_id, rank in rated.ranks.items():
            mine[competency_id].append(rank)
            theirs[competency_id].append(means[competency_id])
    leans = tuple(
        CompetencyLean(cid, _name(framework, cid), len(mine[cid]), _mean(mine[cid]), _mean(theirs[cid]))
        for cid in _in_framework_order(framework, mine)
    )
    disagreed = sum(r.score.recommendation != decisions[r.score.nomination_id].outcome for r in own)
    return PanelistCalibration(panelist, panel_id, len(own), disagreed, leans)


def _spreads(framework: Framework, scores: Iterable[_Rated]) -> tuple[CompetencySpread, ...]:
    ranks: dict[tuple[int, str], list[int]] = defaultdict(list)
    for rated in scores:
        for competency_id, rank in rated.ranks.items():
            ranks[(rated.score.nomination_id, competency_id)].append(rank)
    gaps: dict[str, list[int]] = defaultdict(list)
    for (_, competency_id), given in ranks.items():
        if len(given) >= 2:
            gaps[competency_id].append(max(given) - min(given))
    spreads = [
        CompetencySpread(cid, _name(framework, cid), len(gaps[cid]), _mean(gaps[cid]), max(gaps[cid]))
        for cid in _in_framework_order(framework, gaps)
        if max(gaps[cid]) > 0
    ]
    return tuple(sorted(spreads, key=lambda s: (-s.mean_spread, -s.max_spread)))


def _means(scores: list[_Rated]) -> dict[str, float]:
    """Competency id → the mean rank of the ratings these scores give it."""
    given: dict[str, list[int]] = defaultdict(list)
    for rated in scores:
        for competency_id, rank in rated.ranks.items():
            given[competency_id].append(rank)
    return {cid: _mean(ranks) for cid, ranks in given.items()}


def _mean(values: list[int] | list[float]) -> float:
    return sum(values) / len(values)


def _in_framework_order(framework: Framework, ids: Iterable[str]) -> list[str]:
    order = {c.id: i for i, c in enumerate(framework.competencies)}
    return sorted(ids, key=lambda cid: (order.get(cid, len(order)), cid))


def _name(framework: Framework, competency_id: str) -> str:
    competency = framework.competency(competency_id)
    return competency.name if competency else competency_id


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
