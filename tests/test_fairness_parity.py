"""IC–manager parity (bot/fairness/parity.py) on hand-worked cycles: every figure below is worked out in the comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.fairness.by_subtraction import cells_to_hide
from bot.fairness.facts import CycleFacts, NominationFacts, PersonFacts
from bot.fairness.load import load_cycle_facts
from bot.fairness.parity import EquivalentLevels, LevelParity, Parity, parity_of
from bot.fairness.report import FairnessReport, build_report
from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from messages.fairness_report import report_markdown
from tests.frameworks import default_framework

OPENED = date(2026, 3, 1)


def ladder(*, k: int = 3, publish_bands: bool = True, equivalents: bool = True, m2_min: int = 190_000) -> Framework:
    """Two tracks: Engineer → Senior → Staff → Principal beside Manager → Senior Manager → Director, Senior = Manager,
    Staff = Senior Manager, Principal = Director (both the tops of their tracks). Senior's and Manager's bands match;
    Staff's and Senior Manager's differ in min (unless ``m2_min`` is 200,000); Principal and Director have none."""
    eq = {"ic2": "m1", "ic3": "m2", "ic4": "m3"} if equivalents else {}

    def level(lid: str, title: str, band: str | None) -> str:
        lines = [f"      - id: {lid}", f"        title: {title}", f"        summary: What {title} means."]
        if lid in eq:
            lines.append(f"        equivalent: {eq[lid]}")
        if band:
            lines.append(f"        band: {band}")
        return "\n".join(lines)

    text = "\n".join(
        [
            "name: Parity test ladder",
            f"publish_bands: {'true' if publish_bands else 'false'}",
            f"fairness: {{min_group_size: {k}}}",
            "tracks:",
            "  - id: ic",
            "    name: Individual contributor",
            "    levels:",
            level("ic1", "Engineer", "{min: 100000, max: 130000, currency: USD}"),
            level("ic2", "Senior Engineer", "{min: 150000, max: 200000, currency: USD}"),
            level("ic3", "Staff Engineer", "{min: 200000, max: 260000, currency: USD}"),
            level("ic4", "Principal Engineer", None),
            "  - id: management",
            "    name: Management",
            "    levels:",
            level("m1", "Manager", "{min: 150000, max: 200000, currency: USD}"),
            level("m2", "Senior Manager", f"{{min: {m2_min}, max: 260000, currency: USD}}"),
            level("m3", "Director", None),
        ]
    )
    result = check_framework_text(text + "\n")
    assert result.framework is not None, [p.message for p in result.errors]
    return result.framework


def person(user_id: str, level: str, *, eligible: bool = True) -> PersonFacts:
    track = "management" if level.startswith("m") else "ic"
    return PersonFacts(user_id, track, level, eligible, None, None, None)


def nomination(
    nid: int, nominee: str, from_level: str, target: str, outcome: str | None, overturned: bool = False
) -> NominationFacts:
    at = datetime(2026, 4, 1, tzinfo=timezone.utc)
    stage = "published" if outcome else "ready"
    return NominationFacts(
        nid, nominee, from_level, target, False, stage, at, outcome, at if outcome else None, overturned, overturned
    )


def facts(people: list[PersonFacts], nominations: list[NominationFacts], days: dict[str, int] | None = None) -> CycleFacts:
    return CycleFacts(
        "T1", 1, "Spring 2026", OPENED, None, tuple(people), tuple(nominations), days_in_level_at_promotion=days or {}
    )


def row(parity: Parity, level_id: str) -> LevelParity:
    return next(lv for group in parity.groups for lv in group.levels if lv.level_id == level_id)


def group_of(parity: Parity, level_id: str) -> EquivalentLevels:
    return next(group for group in parity.groups if any(lv.level_id == level_id for lv in group.levels))


def audited(cycle: CycleFacts, framework: Framework) -> Parity:
    """Parity as the report computes it, knowing which totals its own sections show."""
    report = build_report(cycle, framework, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert report.parity == parity_of(cycle, framework, shown=report.attributes)
    return report.parity


def worked_cycle() -> CycleFacts:
    """k = 3.
    Engineer: 4 eligible (in no group of equivalents, but in the IC track's total).
    Senior Engineer: 6 eligible; s1, s2 promoted, s3 'not yet' overturned on appeal (promoted), s4 deferred; s5, s6 not
      nominated → nominated 4, promoted 3, 3/6 = 0.5 of those eligible, 3/4 = 0.75 of those nominated; days in level
      400, 700, 1000 → median 700 (3 known ≥ k).
    Manager: 5 eligible; M1 promoted (300 days), M2 'not yet'; M3's nomination was withdrawn (it counts for nothing, as
      in the rest of the audit) → nominated 2, promoted 1, 0.2, 0.5; 1 known time < k → no median.
    Staff Engineer: 2 eligible (< k) → suppressed.
    Senior Manager: 3 eligible, none nominated → 0, 0, rate 0.0, no success rate.
    Principal Engineer: 1 person, the top of the IC track, not eligible; Director: no one.
    The IC track's 12 eligible minus the 6 shown leave 6 ≥ k; management's 8 minus the 8 shown leave 0: nothing more
    is suppressed."""
    people = [person(f"e{i}", "ic1") for i in range(1, 5)]
    people += [person(f"s{i}", "ic2") for i in range(1, 7)]
    people += [person(f"M{i}", "m1") for i in range(1, 6)]
    people += [person("t1", "ic3"), person("t2", "ic3")]
    people += [person(f"sm{i}", "m2") for i in range(1, 4)]
    people += [person("p1", "ic4", eligible=False)]
    nominations = [
        nomination(1, "s1", "ic2", "ic3", "promote"),
        nomination(2, "s2", "ic2", "ic3", "promote"),
        nomination(3, "s3", "ic2", "ic3", "not_yet", overturned=True),
        nomination(4, "s4", "ic2", "ic3", "defer"),
        nomination(5, "M1", "m1", "m2", "promote"),
        nomination(6, "M2", "m1", "m2", "not_yet"),
        replace(nomination(7, "M3", "m1", "m2", None), stage="withdrawn"),
    ]
    return facts(people, nominations, {"s1": 400, "s2": 700, "s3": 1000, "M1": 300})


def test_each_group_of_equivalents_in_file_order_with_its_tracks() -> None:
    parity = audited(worked_cycle(), ladder())
    assert parity.equivalents_named and parity.min_group_size == 3
    assert [[lv.level_id for lv in g.levels] for g in parity.groups] == [["ic2", "m1"], ["ic3", "m2"], ["ic4", "m3"]]
    assert parity.groups[0].title == "Senior Engineer (Individual contributor) = Manager (Management)"


def test_worked_cycle_figure_by_figure() -> None:
    parity = audited(worked_cycle(), ladder())
    senior = row(parity, "ic2")
    assert (senior.eligible, senior.nominated, senior.promoted) == (6, 4, 3)
    assert senior.promotion_rate == 0.5 and senior.success_rate == 0.75
    assert senior.median_days_in_level == 700 and senior.median_measured
    manager = row(parity, "m1")
    assert (manager.eligible, manager.nominated, manager.promoted) == (5, 2, 1)
    assert manager.promotion_rate == 0.2 and manager.success_rate == 0.5
    assert manager.median_days_in_level is None and not manager.median_measured  # one known time, fewer than k
    senior_manager = row(parity, "m2")
    assert (senior_manager.eligible, senior_manager.nominated, senior_manager.promoted) == (3, 0, 0)
    assert senior_manager.promotion_rate == 0.0 and senior_manager.success_rate is None
    assert not senior_manager.suppressed


def test_a_row_below_k_shows_no_figure_and_is_listed() -> None:
    parity = audited(worked_cycle(), ladder())
    staff = row(parity, "ic3")
    assert staff.suppressed
    figures = (
        staff.eligible,
        staff.nominated,
        staff.promoted,
        staff.promotion_rate,
        staff.success_rate,
        staff.median_days_in_level,
    )
    assert figures == (None,) * 6
    assert parity.suppressed == ("Staff Engineer (Individual contributor)",)


def test_the_tops_of_their_tracks_have_no_one_eligible_and_are_not_suppressed() -> None:
    parity = audited(worked_cycle(), ladder())
    principal, director = row(parity, "ic4"), row(parity, "m3")
    assert principal.top_of_track and director.top_of_track and not row(parity, "m2").top_of_track
    assert (principal.eligible, principal.promoted, principal.promotion_rate) == (0, 0, None)
    assert not principal.suppressed and not director.suppressed


def test_a_row_that_subtraction_from_the_reports_totals_would_reveal_is_suppressed_too() -> None:
    """Without the 4 Engineers, 16 people are eligible; the report shows everyone (16), the tracks (IC 8, management 8)
    and the mid level band (Senior Engineer + Senior Manager: 9), not early (Manager) nor senior (Staff: 2). Everyone
    minus the rows Senior Engineer 6, Manager 5 and Senior Manager 3 would leave Staff's 2, so Senior Manager (the
    smallest) is withheld; then the IC track's 8 minus Senior Engineer's 6 would, so Senior Engineer is too; and then
    Manager's 5 alone would still do it (management 8 - 5 = Senior Manager 3; mid 9 - 3 = Senior Engineer 6; IC
    8 - 6 = Staff 2), so no row is shown."""
    cycle = worked_cycle()
    cycle = facts([p for p in cycle.people if p.level != "ic1"], list(cycle.nominations), dict(cycle.days_in_level_at_promotion))
    parity = audited(cycle, ladder())
    assert all(row(parity, lid).suppressed and row(parity, lid).eligible is None for lid in ("ic2", "ic3", "m1", "m2"))
    assert parity.suppressed == (
        "Senior Engineer (Individual contributor)",
        "Manager (Management)",
        "Staff Engineer (Individual contributor)",
        "Senior Manager (Management)",
    )


def test_without_the_reports_sections_parity_withholds_whatever_any_totals_could_give_away() -> None:
    """Were the report to show every total of at least k (it does not: it withholds the early band), Staff's 2 would be
    everyone (20) - early (Engineer + Manager: 9) - mid (9); not knowing which total it withholds, parity shows no row
    that would complete the sum."""
    parity = parity_of(worked_cycle(), ladder())
    assert all(lv.suppressed for lv in (row(parity, lid) for lid in ("ic2", "ic3", "m1", "m2")))
    assert not row(parity, "ic4").suppressed  # no one at it: nothing to give away


def test_k_comes_from_the_framework() -> None:
    """With k = 6 Manager (5), Senior Manager (3) and Staff (2) are suppressed, and no row shown has fewer than 6."""
    parity = audited(worked_cycle(), ladder(k=6))
    assert parity.min_group_size == 6
    assert all(row(parity, lid).suppressed for lid in ("m1", "m2", "ic3"))
    assert all(lv.eligible is None or lv.eligible == 0 or lv.eligible >= 6 for g in parity.groups for lv in g.levels)


def test_a_small_level_derived_from_several_totals_and_a_shown_row() -> None:
    """Cells x 1, y 5, z 5, w 5 (k 3) under totals A = x+y+z, B = y+w, C = z+w: each total's rest is 0 or at least 3
    whether w is shown or not, but with w shown, y = B - w, z = C - w and x = A - y - z. Without w the totals leave x
    undetermined (x 2t, y -t, z -t, w t solves them all), so w is withheld."""
    sizes = {"x": 1, "y": 5, "z": 5, "w": 5}
    assert cells_to_hide(sizes, [{"x", "y", "z"}, {"y", "w"}, {"z", "w"}], ["w"], 3) == {"w"}
    assert cells_to_hide(sizes, [{"x", "y", "z", "w"}, {"y", "w"}], ["w"], 3) == set()  # x + z stay together: 6


def test_totals_below_k_are_never_shown_and_what_they_alone_give_away_costs_no_row() -> None:
    """x (2) is the whole of a total of 2, which the report never shows (fewer than k), so z may be shown: the other
    total minus z leaves x + y = 7. Where totals of at least k give x away by themselves (x + y 7, y 5), withholding
    z could not protect it (the report's own suppression must), so z is shown. A total of x and z alone would leave x."""
    sizes = {"x": 2, "y": 5, "z": 5}
    assert cells_to_hide(sizes, [{"x", "y", "z"}, {"x"}], ["z"], 3) == set()
    assert cells_to_hide(sizes, [{"x", "y"}, {"y"}, {"x", "y", "z"}], ["z"], 3, exact=True) == set()
    assert cells_to_hide(sizes, [{"x", "y"}, {"y"}, {"x", "y", "z"}], ["z"], 3) == {"z"}  # which total is withheld?
    assert cells_to_hide(sizes, [{"x", "z"}], ["z"], 3) == {"z"}


def test_bands_match_differ_or_are_not_published() -> None:
    parity = audited(worked_cycle(), ladder())
    assert (group_of(parity, "ic2").bands.status, group_of(parity, "ic2").bands.detail) == ("match", "")
    differ = group_of(parity, "ic3").bands
    assert differ.status == "differ"
    assert differ.detail == "Staff Engineer 200,000–260,000 USD; Senior Manager 190,000–260,000 USD"
    missing = group_of(parity, "ic4").bands
    assert missing.status == "not published" and missing.detail == "no band in the framework for any of these levels"
    assert group_of(audited(worked_cycle(), ladder(m2_min=200_000)), "ic3").bands.status == "match"


def test_bands_that_are_not_published_are_compared_without_their_amounts() -> None:
    differ = group_of(audited(worked_cycle(), ladder(publish_bands=False)), "ic3").bands
    assert differ.status == "differ"
    assert differ.detail == "in min (amounts not shown: the framework does not publish its bands)"
    assert "190" not in differ.detail


def test_one_level_without_a_band_is_named() -> None:
    text = _three_tracks(bands=("{min: 1, max: 2, currency: EUR}", "{min: 1, max: 2, currency: EUR}", None))
    framework = _load(text)
    bands = audited(facts([], []), framework).groups[0].bands
    assert (bands.status, bands.detail) == ("not published", "no band in the framework for Lead")


def test_a_group_of_equivalents_across_three_tracks() -> None:
    framework = _load(_three_tracks(bands=("{min: 1, max: 2, currency: EUR}",) * 3))
    parity = audited(facts([person("a", "x1"), person("b", "x1")], []), framework)
    assert [[lv.track_id for lv in g.levels] for g in parity.groups] == [["x", "y", "z"]]
    assert parity.groups[0].bands.status == "match"


def test_no_equivalents_named_gives_no_pairing() -> None:
    parity = audited(worked_cycle(), ladder(equivalents=False))
    assert not parity.equivalents_named and parity.groups == () and parity.suppressed == ()


@pytest.mark.parametrize("outcome", [None, "not_yet", "defer"])
def test_no_promotion_without_a_promote_decision(outcome: str | None) -> None:
    people = [person(f"s{i}", "ic2") for i in range(3)] + [person(f"M{i}", "m1") for i in range(3)]
    parity = audited(facts(people, [nomination(1, "s0", "ic2", "ic3", outcome)]), ladder())
    assert (row(parity, "ic2").nominated, row(parity, "ic2").promoted) == (1, 0)


def _three_tracks(bands: tuple[str | None, ...]) -> str:
    lines = ["name: Three tracks", "publish_bands: true", "tracks:"]
    rows = zip("xyz", ("Expert", "Manager", "Lead"), bands, ("y1", "z1", "x1"), strict=True)
    for tid, title, band, other in rows:
        lines += [f"  - id: {tid}", f"    name: Track {tid}", "    levels:"]
        lines += [f"      - id: {tid}1", f"        title: {title}", f"        equivalent: {other}"]
        if band:
            lines.append(f"        band: {band}")
        lines += [f"      - id: {tid}2", f"        title: Senior {title}"]
    return "\n".join(lines) + "\n"


def _load(text: str) -> Framework:
    result = check_framework_text(text)
    assert result.framework is not None, [p.message for p in result.errors]
    return result.framework


def markdown(cycle: CycleFacts, framework: Framework) -> str:
    return report_markdown(build_report(cycle, framework, now=datetime(2026, 6, 1, tzinfo=timezone.utc)))


def test_the_reports_parity_section() -> None:
    text = markdown(worked_cycle(), ladder())
    section = text[text.index("## IC–manager parity") : text.index("## Calibration of judges")]
    assert "### Senior Engineer (Individual contributor) = Manager (Management)" in section
    assert "| Individual contributor | Senior Engineer | 6 | 4 | 3 | 50.0% | 75.0% | 700 |" in section
    assert "| Management | Manager | 5 | 2 | 1 | 20.0% | 50.0% | fewer than 3 known |" in section
    assert "| Individual contributor | Staff Engineer | suppressed | — | — | — | — | — |" in section
    assert "| Management | Senior Manager | 3 | 0 | 0 | 0.0% | — | — |" in section
    assert "| Individual contributor | Principal Engineer | top of its track: no one eligible |" in section
    assert "Pay bands: match." in section
    assert "Pay bands: differ: Staff Engineer 200,000–260,000 USD; Senior Manager 190,000–260,000 USD." in section
    assert "Pay bands: not published: no band in the framework for any of these levels." in section
    assert "Suppressed here: Staff Engineer (Individual contributor)." in section


def test_the_reports_parity_section_without_equivalents() -> None:
    text = markdown(worked_cycle(), ladder(equivalents=False))
    section = text[text.index("## IC–manager parity") : text.index("## Calibration of judges")]
    assert "The framework names no equivalent levels across its tracks, so there is no pair of levels to compare" in section
    assert "|" not in section


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 8), min_size=2, max_size=8),
    totals=st.lists(st.sets(st.integers(0, 7), min_size=1), min_size=1, max_size=5),
    candidates=st.sets(st.integers(0, 7)),
    k=st.integers(2, 5),
    exact=st.booleans(),
)
def test_what_is_shown_never_lets_a_small_cell_be_worked_out(
    sizes: list[int], totals: list[set[int]], candidates: set[int], k: int, exact: bool
) -> None:
    """Checked against an independent rank computation (dense row reduction): no shown row below k, no published total
    whose rest is 1 to k - 1, and no small cell determined by the totals and shown rows that the totals alone did not
    determine (when the totals shown are not known exactly, none at all while any row is shown)."""
    cells = {f"c{i}": n for i, n in enumerate(sizes)}
    sets = [{f"c{i}" for i in total if i < len(sizes)} for total in totals]
    wanted = [f"c{i}" for i in sorted(candidates) if i < len(sizes)]
    hidden = cells_to_hide(cells, sets, wanted, k, exact=exact)
    shown = {c for c in wanted if c not in hidden and cells[c]}
    assert all(cells[c] >= k for c in shown)
    published = [s for s in sets if exact or sum(cells[c] for c in s) >= k]
    for total in published:
        rest = sum(cells[c] for c in total if c not in shown)
        assert rest == 0 or rest >= k or not total & shown
    order = [c for c in cells if cells[c]]

    def determined(cell: str, known: set[str]) -> bool:
        rows = [[int(c in s) for c in order] for s in published] + [[int(c == x) for c in order] for x in known]
        return rank(rows) == rank([*rows, [int(c == cell) for c in order]])

    for cell in (c for c in order if cells[c] < k):
        assert not determined(cell, shown) or (determined(cell, set()) and (exact or not shown))


def rank(rows: list[list[int]]) -> int:
    """The rank of a matrix over the rationals, by dense row reduction."""
    matrix = [[Fraction(v) for v in row] for row in rows]
    found = 0
    for column in range(len(matrix[0]) if matrix else 0):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for r in range(len(matrix)):
            if r != found and matrix[r][column]:
                factor = matrix[r][column] / matrix[found][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return found


# -- a cycle stored row by row, read by the loader (SQLite and PostgreSQL) --------------------------------------------

TEAM = "T0PARITY"
OPENS, CLOSED = date(2026, 1, 5), datetime(2026, 6, 30, 17, tzinfo=timezone.utc)
EFFECTIVE = date(2026, 5, 1)
SENIOR_SINCE = {
    "S1": date(2023, 1, 1),
    "S2": date(2023, 5, 1),
    "S3": date(2024, 1, 1),
    "S4": date(2022, 1, 1),
    "S5": date(2024, 5, 1),
}
"""Since when S1–S5 held Senior: promoted to Staff on 1 May 2026 after 1216, 1096, 851, 1581 and 730 days; median 1096."""


def build_stored_cycle(engine: Engine, *, published: bool = True) -> None:
    """The default framework (k = 5; Senior = Engineering Manager, Staff = Senior EM). At open: Senior S1–S6, Engineering
    Manager E1–E5, Staff T1–T2, Senior EM R1–R5, Principal P1–P5, and Q1–Q5 at Software Engineer II. S1–S5 promoted to
    Staff, S6 'not yet'; E1 promoted, E2 'not yet'. The IC panel (C1, C2, C3) judged S1–S6, the EM panel (M1, M2) E1–E2."""
    from sqlmodel import Session

    from storage.models import LevelChange, Nomination, Panel, PanelDecision, PanelScore, Person, PromotionCycle

    before = datetime(2025, 6, 1, tzinfo=timezone.utc)
    with Session(engine) as session:

        def add(*rows: object) -> None:
            session.add_all(rows)
            session.flush()

        cycle = PromotionCycle(team_id=TEAM, name="2026 H1", opens_on=OPENS, status="closed", closed_at=CLOSED)
        ic_panel = Panel(team_id=TEAM, name="IC panel", name_key="ic panel", chair="C1")
        em_panel = Panel(team_id=TEAM, name="EM panel", name_key="em panel", chair="M1")
        add(cycle, ic_panel, em_panel)
        at_open = {"senior": "S", "em": "E", "staff": "T", "sr_em": "R", "se2": "Q", "principal": "P"}
        sizes = {"senior": 6, "em": 5, "staff": 2, "sr_em": 5, "se2": 5, "principal": 5}
        for level, prefix in at_open.items():
            track = "management" if level in ("em", "sr_em") else "ic"
            for i in range(1, sizes[level] + 1):
                user = f"{prefix}{i}"
                since = SENIOR_SINCE.get(user, date(2024, 1, 1))
                add(Person(team_id=TEAM, user_id=user, name=user, track=track, level=level, level_since=since, created_at=before))
        outcomes = {f"S{i}": "promote" for i in range(1, 6)} | {"S6": "not_yet", "E1": "promote", "E2": "not_yet"}
        for user, outcome in outcomes.items():
            ic = user.startswith("S")
            panel = ic_panel if ic else em_panel
            nomination = Nomination(
                team_id=TEAM, cycle_id=cycle.id, nominee=user, nominator="UBOSS", from_level="senior" if ic else "em",
                target_level="staff" if ic else "sr_em", stage="published", submitted_at=datetime(2026, 2, 1, tzinfo=timezone.utc),
            )  # fmt: skip
            add(nomination)
            judges = ("C1", "C2", "C3") if ic else ("M1", "M2")
            add(
                PanelDecision(
                    team_id=TEAM, nomination_id=nomination.id, panel_id=panel.id, outcome=outcome, decided_by=judges[0],
                    deciders=list(judges), published_at=datetime(2026, 4, 10, tzinfo=timezone.utc) if published else None,
                    effective_on=EFFECTIVE if outcome == "promote" else None,
                )
            )  # fmt: skip
            if ic:  # C1 rates technical depth a step above C2, C3 a step below; mentoring alike
                for judge, depth, recommends in (
                    ("C1", "exceeds", "promote"),
                    ("C2", "meets", outcome),
                    ("C3", "partly", "not_yet"),
                ):
                    ratings = {"technical_depth": depth, "mentoring": "meets"}
                    add(
                        PanelScore(
                            team_id=TEAM,
                            nomination_id=nomination.id,
                            panel_id=panel.id,
                            panelist=judge,
                            ratings=ratings,
                            recommendation=recommends,
                        )
                    )
            else:
                for judge, recommends in (("M1", "promote"), ("M2", outcome)):
                    ratings = {"team_leadership": "meets"}
                    add(
                        PanelScore(
                            team_id=TEAM,
                            nomination_id=nomination.id,
                            panel_id=panel.id,
                            panelist=judge,
                            ratings=ratings,
                            recommendation=recommends,
                        )
                    )
            if ic and outcome == "promote":
                add(
                    LevelChange(team_id=TEAM, user_id=user, from_track="ic", from_level="se2", to_track="ic", to_level="senior",
                                effective_on=SENIOR_SINCE[user], applied_at=datetime.combine(SENIOR_SINCE[user], datetime.min.time(), timezone.utc)),
                    LevelChange(team_id=TEAM, user_id=user, nomination_id=nomination.id, from_track="ic", from_level="senior",
                                to_track="ic", to_level="staff", effective_on=EFFECTIVE, applied_at=datetime(2026, 5, 1, tzinfo=timezone.utc)),
                )  # fmt: skip
                moved = session.get(Person, session.exec(select(Person.id).where(Person.user_id == user)).one())
                moved.level, moved.level_since = "staff", EFFECTIVE
        session.commit()


def stored_report(engine: Engine) -> FairnessReport:
    now = datetime(2026, 7, 15, tzinfo=timezone.utc)
    framework = default_framework()
    facts = load_cycle_facts(engine, framework, TEAM, "2026 H1", now)
    return build_report(facts, framework, now=now)


def test_parity_of_a_stored_cycle(engine: Engine) -> None:
    build_stored_cycle(engine)
    report = stored_report(engine)
    parity = report.parity
    senior, manager, staff, senior_em = (row(parity, lid) for lid in ("senior", "em", "staff", "sr_em"))
    assert (senior.eligible, senior.nominated, senior.promoted, senior.median_days_in_level) == (6, 6, 5, 1096)
    assert senior.promotion_rate == senior.success_rate == 5 / 6
    assert (manager.eligible, manager.nominated, manager.promoted, manager.promotion_rate, manager.success_rate) == (
        5,
        2,
        1,
        0.2,
        0.5,
    )
    assert manager.median_days_in_level is None and staff.suppressed and staff.eligible is None
    # the senior level band (Staff 2 + Principal 5) minus Principal would give Staff away: Principal is withheld too
    assert row(parity, "principal").suppressed and parity.suppressed == (
        "Staff Engineer (Individual Contributor)",
        "Principal Engineer (Individual Contributor)",
    )
    assert (senior_em.eligible, senior_em.nominated, senior_em.promotion_rate, senior_em.success_rate) == (5, 0, 0.0, None)
    assert [g.bands.status for g in parity.groups] == ["match"] * len(parity.groups)  # the shipped bands are equal
    text = report_markdown(report)
    assert "| Individual Contributor | Senior Software Engineer | 6 | 6 | 5 | 83.3% | 83.3% | 1096 |" in text
    assert "| Management | Engineering Manager | 5 | 2 | 1 | 20.0% | 50.0% | fewer than 5 known |" in text
    assert "| Individual Contributor | Staff Engineer | suppressed |" in text
    assert sorted(p.panel_name for p in report.calibration.panels) == ["EM panel", "IC panel"]  # the loader names each panel


def test_an_admin_reads_parity_and_calibration_from_the_cli(sqlite_url, monkeypatch, capsys) -> None:
    """`ladder fairness report` on the stored cycle, as an admin runs it after the cycle: both sections, panelists by
    their Slack ids."""
    from bot.cli import main
    from storage.engine import make_engine
    from storage.migrate import upgrade

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    build_stored_cycle(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    capsys.readouterr()
    status = main(["fairness", "report", "--cycle", "2026 H1"])
    out, err = capsys.readouterr()
    assert status == 0, err
    parity = out[out.index("## IC–manager parity") : out.index("## Calibration of judges")]
    assert "| Individual Contributor | Senior Software Engineer | 6 | 6 | 5 | 83.3% | 83.3% | 1096 |" in parity
    assert "| Management | Engineering Manager | 5 | 2 | 1 | 20.0% | 50.0% | fewer than 5 known |" in parity
    assert "Suppressed here: Staff Engineer (Individual Contributor); Principal Engineer (Individual Contributor)." in parity
    calibration = out[out.index("## Calibration of judges") :]
    assert "| C3 | 6 | 5 (83.3%) | -0.50 | -1.00 severe | +0.00 |" in calibration  # (−1·6 + 0·6) / 12
    assert "| Technical depth | 6 | 2.00 | 2 |" in calibration


def test_the_unknown_row_is_named_as_the_report_names_it() -> None:
    from bot.fairness import parity, report

    assert parity.UNKNOWN == report.UNKNOWN
