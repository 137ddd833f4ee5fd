"""Calibration of judges (bot/fairness/calibration.py) on a hand-worked cycle: every figure is worked out below.

The rubric is the default one: not_yet 0, partly 1, meets 2, exceeds 3.

Engineering panel (10): A, B and C score nominations 1 (decided: promote) and 2 (decided: not yet).

    nomination 1   craft  leadership  recommends      nomination 2   craft  leadership  recommends
    A              3      2           promote         A              2      1           promote
    B              2      2           promote         B              1      1           not_yet
    C              1      1           not_yet         C              0      1           not_yet
    panel mean     2      5/3                         panel mean     1      1

    A: craft 2.5 against 1.5 → +1 (lenient); leadership 1.5 against 4/3 → +1/6 (in line); disagreed on 2 → 1 of 2;
       overall (1·2 + 1/6·2) / 4 = 7/12.
    B: craft 1.5 against 1.5 → 0; leadership 1.5 against 4/3 → +1/6; disagreed 0 of 2.
    C: craft 0.5 against 1.5 → −1 (severe); leadership 1 against 4/3 → −1/3 (in line); disagreed on 1 → 1 of 2.
    Spread: craft 2 (3−1) and 2 (2−0) → mean 2, max 2; leadership 1 and 0 → mean 0.5, max 1.

Management panel (20): D and E score nomination 3 (decided: defer). D rates leadership 3 and craft 'stellar' (not on the
rubric: left out), recommends promote; E rates leadership 2, recommends defer. Panel mean 2.5: D +0.5 (lenient, the
threshold), E −0.5 (severe); D disagreed 1 of 1, E 0 of 1. Spread: leadership 1.

Across both panels: craft mean spread 2 over 2 nominations; leadership (1 + 0 + 1) / 3 = 2/3 over 3, max 1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from sqlalchemy.engine import Engine

from bot.fairness.calibration import Calibration, PanelistCalibration, calibration_of, panel_calibration
from bot.fairness.facts import CycleFacts, DecisionFacts, NominationFacts, ScoreFacts
from bot.fairness.report import FairnessReport, build_report
from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from messages.fairness_report import _documents, report_markdown
from tests.test_fairness_parity import build_stored_cycle, stored_report

PUBLISHED = datetime(2026, 5, 1, tzinfo=timezone.utc)
RANK = {0: "not_yet", 1: "partly", 2: "meets", 3: "exceeds"}


def framework() -> Framework:
    text = """\
name: Calibration test ladder
competencies:
  - {id: craft, name: Craft, description: Doing the work.}
  - {id: leadership, name: Leadership, description: Leading others.}
tracks:
  - id: ic
    name: Individual contributor
    levels:
      - {id: ic1, title: Engineer}
      - {id: ic2, title: Senior Engineer}
"""
    result = check_framework_text(text)
    assert result.framework is not None, [p.message for p in result.errors]
    return result.framework


def score(nid: int, panel: int, who: str, recommends: str, **ratings: int | str) -> ScoreFacts:
    given = {c: RANK[r] if isinstance(r, int) else r for c, r in ratings.items()}
    return ScoreFacts(nid, panel, who, given, recommends)


def decision(nid: int, panel: int, outcome: str, published: bool = True) -> DecisionFacts:
    return DecisionFacts(nid, panel, "A" if panel == 10 else "D", outcome, (), PUBLISHED if published else None)


def cycle() -> CycleFacts:
    scores = (
        score(1, 10, "A", "promote", craft=3, leadership=2),
        score(1, 10, "B", "promote", craft=2, leadership=2),
        score(1, 10, "C", "not_yet", craft=1, leadership=1),
        score(2, 10, "A", "promote", craft=2, leadership=1),
        score(2, 10, "B", "not_yet", craft=1, leadership=1),
        score(2, 10, "C", "not_yet", craft=0, leadership=1),
        score(3, 20, "D", "promote", craft="stellar", leadership=3),
        score(3, 20, "E", "defer", leadership=2),
    )
    decisions = (decision(1, 10, "promote"), decision(2, 10, "not_yet"), decision(3, 20, "defer"))
    return CycleFacts(
        "T1", 1, "Spring 2026", date(2026, 3, 1), PUBLISHED, (), (), scores, decisions,
        panel_names={10: "Engineering panel", 20: "Management panel"},
    )  # fmt: skip


def panelist(calibration: Calibration, panel_id: int, who: str) -> PanelistCalibration:
    panel = calibration.panel(panel_id)
    assert panel is not None
    return next(p for p in panel.panelists if p.panelist == who)


def leans(p: PanelistCalibration) -> dict[str, tuple[int, float, float, str]]:
    return {c.competency_id: (c.ratings, c.own_mean, c.panel_mean, c.leaning) for c in p.competencies}


def test_panels_by_name_with_their_panelists_by_id() -> None:
    calibration = calibration_of(cycle(), framework())
    assert calibration.available and calibration.reason == ""
    assert [(p.panel_id, p.panel_name, p.nominations) for p in calibration.panels] == [
        (10, "Engineering panel", 2),
        (20, "Management panel", 1),
    ]
    assert [p.panelist for p in calibration.panels[0].panelists] == ["A", "B", "C"]


def test_each_panelists_lean_against_the_panel_mean_per_competency() -> None:
    calibration = calibration_of(cycle(), framework())
    a, b, c = (panelist(calibration, 10, who) for who in "ABC")
    assert leans(a) == {"craft": (2, 2.5, 1.5, "lenient"), "leadership": (2, 1.5, pytest.approx(4 / 3), "in line")}
    assert [x.lean for x in a.competencies] == [1.0, pytest.approx(1 / 6)]
    assert a.overall_lean == pytest.approx(7 / 12)
    assert leans(b) == {"craft": (2, 1.5, 1.5, "in line"), "leadership": (2, 1.5, pytest.approx(4 / 3), "in line")}
    assert leans(c) == {"craft": (2, 0.5, 1.5, "severe"), "leadership": (2, 1.0, pytest.approx(4 / 3), "in line")}
    assert c.competencies[1].lean == pytest.approx(-1 / 3)
    assert [x.competency_name for x in c.competencies] == ["Craft", "Leadership"]


def test_half_a_step_is_the_threshold_and_ratings_off_the_rubric_are_left_out() -> None:
    calibration = calibration_of(cycle(), framework())
    d, e = panelist(calibration, 20, "D"), panelist(calibration, 20, "E")
    assert leans(d) == {"leadership": (1, 3.0, 2.5, "lenient")}  # no craft: 'stellar' is not on the rubric
    assert leans(e) == {"leadership": (1, 2.0, 2.5, "severe")}


def test_how_often_each_panelist_disagreed_with_the_decision() -> None:
    calibration = calibration_of(cycle(), framework())
    found = {
        (pid, p.panelist): (p.scored, p.disagreed, p.disagreement_rate)
        for pid in (10, 20)
        for p in calibration.panel(pid).panelists  # type: ignore[union-attr]
    }
    assert found == {
        (10, "A"): (2, 1, 0.5),
        (10, "B"): (2, 0, 0.0),
        (10, "C"): (2, 1, 0.5),
        (20, "D"): (1, 1, 1.0),
        (20, "E"): (1, 0, 0.0),
    }


def test_the_competencies_panels_disagreed_about_most() -> None:
    calibration = calibration_of(cycle(), framework())
    spreads = [(s.competency_id, s.nominations, s.mean_spread, s.max_spread) for s in calibration.most_disagreed]
    assert spreads == [("craft", 2, 2, 2), ("leadership", 3, pytest.approx(2 / 3), 1)]
    engineering = [(s.competency_id, s.mean_spread, s.max_spread) for s in calibration.panel(10).spreads]  # type: ignore[union-attr]
    assert engineering == [("craft", 2, 2), ("leadership", 0.5, 1)]


def test_a_competency_everyone_agreed_on_is_not_listed() -> None:
    scores = (score(1, 10, "A", "promote", craft=2), score(1, 10, "B", "promote", craft=2))
    facts = replace(cycle(), scores=scores, decisions=(decision(1, 10, "promote"),))
    calibration = calibration_of(facts, framework())
    assert calibration.most_disagreed == () and calibration.panel(10).spreads == ()  # type: ignore[union-attr]
    assert calibration.panel(10).panel_name == "Engineering panel"  # type: ignore[union-attr]


def test_one_panel_for_its_chair() -> None:
    calibration = panel_calibration(cycle(), framework(), 20)
    assert [p.panel_id for p in calibration.panels] == [20]
    assert [(s.competency_id, s.nominations, s.mean_spread) for s in calibration.most_disagreed] == [("leadership", 1, 1)]
    assert panel_calibration(cycle(), framework(), 99).panels == ()


def test_a_panel_without_a_name_is_named_by_its_id() -> None:
    calibration = calibration_of(replace(cycle(), panel_names={10: "Engineering panel"}), framework())
    assert [p.panel_name for p in calibration.panels] == ["Engineering panel", "Panel 20"]


@pytest.mark.parametrize(
    ("decisions", "scores", "reason"),
    [
        ((), (), "no decision of this cycle has been recorded yet"),
        (
            (decision(1, 10, "promote"), decision(2, 10, "not_yet", published=False)),
            None,
            "1 decision of this cycle is not published yet",
        ),
        (
            (decision(1, 10, "promote", False), decision(2, 10, "not_yet", False)),
            None,
            "2 decisions of this cycle are not published yet",
        ),
        (
            (decision(1, 10, "promote"), decision(2, 10, "not_yet")),
            None,
            "1 scored nomination of this cycle still awaits a decision",
        ),
    ],
)
def test_not_available_until_every_decision_is_published(decisions: tuple, scores: tuple | None, reason: str) -> None:
    facts = replace(cycle(), decisions=decisions, **({} if scores is None else {"scores": scores}))
    calibration = calibration_of(facts, framework())
    assert not calibration.available and calibration.reason == reason
    assert calibration.panels == () and calibration.most_disagreed == ()
    assert not panel_calibration(facts, framework(), 10).available


def report_of(facts: CycleFacts) -> FairnessReport:
    return build_report(facts, framework(), now=datetime(2026, 6, 1, tzinfo=timezone.utc))


def calibration_section(facts: CycleFacts) -> str:
    text = report_markdown(report_of(facts))
    return text[text.index("## Calibration of judges") : text.index("## Suppressed rows")]


def test_the_reports_calibration_section() -> None:
    section = calibration_section(cycle())
    assert "Ratings are compared by their rank on the rubric (Not yet 0, Partly 1, Meets 2, Exceeds 3)." in section
    assert "| Craft | 2 | 2.00 | 2 |\n| Leadership | 3 | 0.67 | 1 |" in section
    assert "### Engineering panel (2 nominations decided)" in section
    assert "| Panelist | Scored | Disagreed with the decision | Overall lean | Craft | Leadership |" in section
    assert "| A | 2 | 1 (50.0%) | +0.58 | +1.00 lenient | +0.17 |" in section
    assert "| B | 2 | 0 (0.0%) | +0.08 | +0.00 | +0.17 |" in section  # (0·2 + 1/6·2) / 4 = 1/12
    assert "| C | 2 | 1 (50.0%) | -0.67 | -1.00 severe | -0.33 |" in section  # (−1·2 − 1/3·2) / 4 = −2/3
    assert "Widest spreads on this panel: Craft 2.00 (at most 2); Leadership 0.50 (at most 1)." in section
    assert "### Management panel (1 nomination decided)" in section
    assert "| D | 1 | 1 (100.0%) | +0.50 | +0.50 lenient |" in section
    assert "| E | 1 | 0 (0.0%) | -0.50 | -0.50 severe |" in section


def test_the_reports_calibration_section_before_every_decision_is_published() -> None:
    facts = replace(cycle(), decisions=(decision(1, 10, "promote"), decision(2, 10, "not_yet", False), decision(3, 20, "defer")))
    section = calibration_section(facts)
    assert "Not available yet: 1 decision of this cycle is not published yet." in section
    assert "|" not in section and "Engineering panel" not in section


def test_panelists_are_named_by_slack_mention_where_the_render_says_so() -> None:
    template = _documents.get_template("fairness_calibration.md.j2")
    in_slack = template.render(report=report_of(cycle()), mention=lambda user: f"<@{user}>")
    assert "| <@A> | 2 | 1 (50.0%) |" in in_slack
    assert "| A | 2 | 1 (50.0%) |" in template.render(report=report_of(cycle()))


def test_decisions_without_scores() -> None:
    facts = replace(cycle(), scores=())
    calibration = calibration_of(facts, framework())
    assert calibration.available and calibration.panels == () and calibration.most_disagreed == ()
    section = calibration_section(facts)
    assert "No panel scored a nomination of this cycle." in section
    assert "|" not in section and "disagreed about most" not in section


def test_calibration_of_a_stored_cycle(engine: Engine) -> None:
    """The stored cycle of test_fairness_parity: on each of S1–S6, C1 rates technical depth Exceeds, C2 Meets, C3
    Partly (panel mean Meets), mentoring Meets all three; C1 recommended promote (S6 was 'not yet': 1 of 6), C2 the
    outcome, C3 'not yet' (S1–S5 were promoted: 5 of 6). On E1 and E2 both rate team leadership Meets; M1 recommended
    promote (E2 'not yet': 1 of 2), M2 the outcome."""
    build_stored_cycle(engine)
    calibration = stored_report(engine).calibration
    assert calibration.available
    by_panel = {panel.nominations: panel for panel in calibration.panels}
    ic, em = by_panel[6], by_panel[2]
    assert [(p.panelist, p.scored, p.disagreed) for p in ic.panelists] == [("C1", 6, 1), ("C2", 6, 0), ("C3", 6, 5)]
    assert [(p.panelist, p.scored, p.disagreed) for p in em.panelists] == [("M1", 2, 1), ("M2", 2, 0)]
    assert leans(ic.panelists[0])["technical_depth"] == (6, 3.0, 2.0, "lenient")
    assert leans(ic.panelists[2])["technical_depth"] == (6, 1.0, 2.0, "severe")
    assert leans(ic.panelists[1])["mentoring"] == (6, 2.0, 2.0, "in line")
    assert [(s.competency_id, s.nominations, s.mean_spread, s.max_spread) for s in calibration.most_disagreed] == [
        ("technical_depth", 6, 2.0, 2)
    ]


def test_calibration_of_a_stored_cycle_waits_for_publication(engine: Engine) -> None:
    build_stored_cycle(engine, published=False)
    calibration = stored_report(engine).calibration
    assert not calibration.available and calibration.reason == "8 decisions of this cycle are not published yet"


def test_a_withdrawn_nomination_does_not_keep_calibration_waiting() -> None:
    """Nomination 4 was scored by A, then withdrawn: it will never be decided, so calibration is available and leaves
    its score out (A's figures are those worked out above)."""
    at = datetime(2026, 4, 1, tzinfo=timezone.utc)
    withdrawn = NominationFacts(4, "N4", "ic1", "ic2", False, "withdrawn", at, None, None, False, False)
    facts = replace(cycle(), nominations=(withdrawn,), scores=(*cycle().scores, score(4, 10, "A", "promote", craft=0)))
    calibration = calibration_of(facts, framework())
    assert calibration.available
    assert leans(panelist(calibration, 10, "A"))["craft"] == (2, 2.5, 1.5, "lenient")
