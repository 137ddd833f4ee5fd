"""The audit of one cycle, figure by figure, on a cycle built row by row (SQLite and PostgreSQL): who counts as
eligible (the level when the cycle opened, rebuilt from the level history), nominations and their published outcomes,
appeals, stretch work and mentoring in the window, group data (one's own answer first), the built-in attributes, rates,
impact ratios, four-fifths, Fisher's test, suppression below k and by subtraction, in Markdown and CSV; and the
constant number of statements the loading takes."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
from datetime import UTC, date, datetime
from fractions import Fraction

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact as scipy_fisher_exact
from sqlalchemy import event
from sqlmodel import Session, select

from bot.fairness import by_subtraction
from bot.fairness.attributes import Attribute, attributes_for
from bot.fairness.by_subtraction import cells_to_hide
from bot.fairness.facts import CycleFacts, NominationFacts, PersonFacts
from bot.fairness.load import UnknownCycle, load_cycle_facts
from bot.fairness.parity import parity_of
from bot.fairness.report import BY_SUBTRACTION, UNKNOWN, FairnessReport, GroupRow, build_report, suppression
from bot.framework.loader import load_framework
from messages.fairness_report import CSV_COLUMNS, report_csv, report_markdown
from storage.engine import reading
from storage.models import (
    Appeal,
    CheckinSchedule,
    LevelChange,
    Mentorship,
    Nomination,
    PanelDecision,
    Person,
    PersonGroup,
    PromotionCycle,
    StretchAssignment,
    StretchInterest,
)

TEAM = "T0FAIR"
OPENS, CLOSED = date(2026, 1, 5), datetime(2026, 6, 30, 17, tzinfo=UTC)
NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)
BEFORE = datetime(2025, 6, 1, 9, tzinfo=UTC)
PUBLISHED = datetime(2026, 4, 10, 9, tzinfo=UTC)
EFFECTIVE = date(2026, 5, 1)

WOMEN = [f"UW{i:02d}" for i in range(1, 11)]  # 10
MEN = [f"UM{i:02d}" for i in range(1, 13)]  # 12; UM07..UM12 are managers
NON_BINARY = ["UN01", "UN02", "UN03"]  # 3: fewer than k = 5
NO_GENDER = ["UU01", "UU02"]  # 2: unknown, fewer than k
TOP = "UTOP1"  # at the top of the IC track: not eligible
LATE = "ULATE"  # recorded after the cycle closed: not counted
GONE = "UGONE"  # at a level the framework no longer has: not eligible


def add(session: Session, *rows: object) -> None:
    for row in rows:
        session.add(row)
    session.flush()


def person(user: str, level: str, *, track: str = "ic", since: date | None = None, created: datetime = BEFORE) -> Person:
    return Person(team_id=TEAM, user_id=user, name=user, track=track, level=level, level_since=since, created_at=created)


def group(user: str, attribute: str, value: str, source: str = "hr") -> PersonGroup:
    return PersonGroup(team_id=TEAM, user_id=user, attribute=attribute, value=value, source=source)


def build_cycle(engine, name: str = "2026 H1") -> int:
    """The cycle the tests below check figure by figure."""
    with Session(engine) as session:
        cycle = PromotionCycle(team_id=TEAM, name=name, opens_on=OPENS, status="closed", closed_at=CLOSED)
        add(session, cycle)
        managers = MEN[6:]
        for user in WOMEN + NON_BINARY + NO_GENDER:
            add(session, person(user, "se2"))
        for user in MEN:
            manager = user in managers
            add(
                session, person(user, "em" if manager else "se2", track="management" if manager else "ic", since=date(2023, 1, 5))
            )
        add(session, person(TOP, "distinguished"), person(LATE, "se1", created=datetime(2026, 8, 1, tzinfo=UTC)))
        add(session, person(GONE, "l9"))  # a level the framework no longer has
        add(session, *[group(u, "gender", "woman") for u in WOMEN[:9]], group("UW10", "gender", "man"))
        add(session, group("UW10", "gender", "woman", "self"))  # their own answer wins over HR's
        add(session, *[group(u, "gender", "man") for u in MEN])
        add(session, group("UM12", "gender", "prefer_not_to_say", "self"))  # HR's answer stands
        add(session, *[group(u, "gender", "non-binary", "self") for u in NON_BINARY])
        add(session, group("UU01", "gender", "prefer_not_to_say", "self"))  # and no HR answer: unknown
        # caring: 6 yes, 4 no (fewer than k), the other 17 unknown: "yes" is suppressed too, or subtraction gives "no".
        add(session, *[group(u, "caring", "yes") for u in WOMEN[:6]], *[group(u, "caring", "no") for u in MEN[:4]])
        add(session, *[CheckinSchedule(team_id=TEAM, user_id=u, timezone="Europe/London") for u in WOMEN + MEN[:6]])
        add(session, *[CheckinSchedule(team_id=TEAM, user_id=u, timezone="America/New_York") for u in managers])

        outcomes = {
            "UW01": "promote", "UW02": "promote", "UW03": "not_yet", "UW04": "defer",
            "UM01": "promote", "UM02": "promote", "UM03": "promote", "UM04": "promote", "UM05": "promote",
            "UM06": "not_yet", "UN01": "promote",
        }  # fmt: skip
        nominations = {}
        for user, outcome in outcomes.items():
            level = "se2"
            nomination = Nomination(
                team_id=TEAM, cycle_id=cycle.id, nominee=user, nominator="UBOSS", from_level=level, target_level="senior",
                stage="published", submitted_at=datetime(2026, 2, 1, tzinfo=UTC),
            )  # fmt: skip
            add(session, nomination)
            nominations[user] = nomination.id
            add(
                session,
                PanelDecision(
                    team_id=TEAM, nomination_id=nomination.id, outcome=outcome, decided_by="UCHAIR", deciders=["UCHAIR"],
                    published_at=PUBLISHED, effective_on=EFFECTIVE if outcome == "promote" else None,
                ),
            )  # fmt: skip
        # UW03 appealed and the appeal promoted them; UM06 appealed and the decision was upheld.
        add(
            session,
            Appeal(team_id=TEAM, nomination_id=nominations["UW03"], appellant="UW03", status="decided"),
            Appeal(team_id=TEAM, nomination_id=nominations["UM06"], appellant="UM06", status="decided"),
            PanelDecision(team_id=TEAM, nomination_id=nominations["UW03"], round="appeal", outcome="promote",
                          decided_by="UAPPEAL", published_at=PUBLISHED),
            PanelDecision(team_id=TEAM, nomination_id=nominations["UM06"], round="appeal", outcome="upheld",
                          decided_by="UAPPEAL", published_at=PUBLISHED),
        )  # fmt: skip
        # A withdrawn nomination and a draft count for nothing.
        for user, stage in (("UW09", "withdrawn"), ("UW08", "draft")):
            add(session, Nomination(team_id=TEAM, cycle_id=cycle.id, nominee=user, nominator="UBOSS", from_level="se2",
                                    target_level="senior", stage=stage))  # fmt: skip
        # The level history: UW01's and UM01's promotions took effect in the cycle (applied: the people table moved);
        # UM01 reached se2 on 2023-01-05, which the history keeps after the people table moves on.
        add(
            session,
            LevelChange(team_id=TEAM, user_id="UM01", from_track="ic", from_level="se1", to_track="ic", to_level="se2",
                        effective_on=date(2023, 1, 5), applied_at=datetime(2023, 1, 5, tzinfo=UTC)),
            LevelChange(team_id=TEAM, user_id="UW01", nomination_id=nominations["UW01"], from_track="ic", from_level="se2",
                        to_track="ic", to_level="senior", effective_on=EFFECTIVE, applied_at=datetime(2026, 5, 1, tzinfo=UTC)),
            LevelChange(team_id=TEAM, user_id="UM01", nomination_id=nominations["UM01"], from_track="ic", from_level="se2",
                        to_track="ic", to_level="senior", effective_on=EFFECTIVE, applied_at=datetime(2026, 5, 1, tzinfo=UTC)),
        )  # fmt: skip
        for user in ("UW01", "UM01"):
            moved = session.exec(select(Person).where(Person.user_id == user)).one()
            moved.level, moved.level_since = "senior", EFFECTIVE
        # Stretch work: UW05 was given one in the window, UW06 one before the cycle opened.
        work = StretchAssignment(team_id=TEAM, submission_key="s1", poster="UBOSS", title="t", starts_on=OPENS,
                                 ends_on=date(2026, 3, 1), contact="UBOSS")  # fmt: skip
        add(session, work)
        add(
            session,
            StretchInterest(team_id=TEAM, assignment_id=work.id, user_id="UW05", status="taken",
                            taken_at=datetime(2026, 2, 1, tzinfo=UTC)),
            StretchInterest(team_id=TEAM, assignment_id=work.id, user_id="UW06", status="taken",
                            taken_at=datetime(2025, 12, 1, tzinfo=UTC)),
            StretchInterest(team_id=TEAM, assignment_id=work.id, user_id="UW07", status="interested"),
        )  # fmt: skip
        # Mentoring: UM07's pair started in the window; UM08's request was never accepted.
        add(
            session,
            Mentorship(team_id=TEAM, mentee="UM07", mentor="UTOP1", status="accepted",
                       decided_at=datetime(2026, 3, 1, tzinfo=UTC)),
            Mentorship(team_id=TEAM, mentee="UM08", mentor="UTOP1", status="requested"),
        )  # fmt: skip
        session.commit()
        return cycle.id


@pytest.fixture
def framework():
    return load_framework(None)


@pytest.fixture
def report(engine, framework) -> FairnessReport:
    build_cycle(engine)
    facts = load_cycle_facts(engine, framework, TEAM, " 2026  h1 ", NOW)  # matched like `ladder cycle` matches names
    return build_report(facts, framework, now=NOW)


def row(report: FairnessReport, attribute: str, group: str) -> GroupRow:
    (found,) = [r for s in report.attributes if s.attribute == attribute for r in s.rows if r.group == group]
    return found


def figures(found: GroupRow) -> tuple[int, ...]:
    c = found.counts
    assert c is not None
    return (c.eligible, c.nominated, c.promoted, c.not_yet, c.deferred, c.appeals, c.overturned, c.stretch, c.mentorships)


def scipy_p(a: int, b: int, c: int, d: int) -> float:
    return float(scipy_fisher_exact([[a, b], [c, d]]).pvalue)


def test_the_totals_count_the_eligible_at_open(report):
    # 27 eligible (the top-level person and the one recorded after the cycle are not); 11 nominated (the withdrawn
    # and the draft are not); 9 promoted (UW03's overturned appeal included); UM06 not yet; UW04 deferred.
    t = report.totals
    assert (t.eligible, t.nominated, t.promoted, t.not_yet, t.deferred) == (27, 11, 9, 1, 1)
    assert (t.appeals, t.overturned, t.stretch, t.mentorships) == (2, 1, 1, 1)
    assert report.min_group_size == 5 and report.window_end == CLOSED


def test_gender_figure_by_figure(report):
    women, men = row(report, "gender", "woman"), row(report, "gender", "man")
    # eligible, nominated, promoted, not yet, deferred, appeals, overturned, stretch, mentoring
    assert figures(women) == (10, 4, 3, 0, 1, 1, 1, 1, 0)  # UW10's own answer counts, not HR's
    assert figures(men) == (12, 6, 5, 1, 0, 1, 0, 0, 1)  # UM12 preferred not to say: HR's answer stands
    assert women.counts.nomination_rate == pytest.approx(0.4)
    assert women.counts.promotion_rate == pytest.approx(0.3)
    assert women.counts.success_rate == pytest.approx(0.75)
    assert men.counts.promotion_rate == pytest.approx(5 / 12)
    # Men have the highest promotion rate shown: women's ratio is 0.3 ÷ 5/12 = 0.72, below four fifths.
    assert [s.reference_group for s in report.attributes if s.attribute == "gender"] == ["man"]
    assert women.impact_ratio == pytest.approx(0.72) and women.four_fifths
    assert men.impact_ratio == 1.0 and not men.four_fifths
    # Each against everyone else eligible (27 people, 9 promoted; the non-binary and unknown people included, so the
    # test rests on the group's figures and the totals alone).
    assert women.p_value == pytest.approx(scipy_p(3, 7, 6, 11), rel=1e-12)
    assert men.p_value == pytest.approx(scipy_p(5, 7, 4, 11), rel=1e-12)
    assert women.too_small_to_test and men.too_small_to_test  # fewer than 20 people each


def test_groups_below_k_are_suppressed_and_listed(report):
    for group in ("non-binary", UNKNOWN):
        hidden = row(report, "gender", group)
        assert hidden.suppressed and hidden.counts is None and hidden.p_value is None and hidden.impact_ratio is None
    # caring: "no" has 4 people; "yes" (6) would give it away by subtraction from the 27 (with the 17 unknown shown).
    assert row(report, "caring", "no").suppressed_because == "fewer than 5 people"
    assert row(report, "caring", "yes").suppressed_because == "would reveal a suppressed group by subtraction"
    assert figures(row(report, "caring", UNKNOWN)) == (17, 3, 2, 1, 0, 1, 0, 0, 1)  # UM05-12, UW07-10, UN, UU
    listed = {(s.attribute, s.group) for s in report.suppressed}
    assert listed == {("gender", "non-binary"), ("gender", UNKNOWN), ("caring", "no"), ("caring", "yes")}


def test_built_in_attributes(report):
    assert figures(row(report, "track", "Individual Contributor"))[:3] == (21, 11, 9)
    assert figures(row(report, "track", "Management")) == (6, 0, 0, 0, 0, 0, 0, 0, 1)
    assert row(report, "track", "Management").impact_ratio == 0.0 and row(report, "track", "Management").four_fifths
    assert figures(row(report, "family", "engineering"))[0] == 27
    family = row(report, "family", "engineering")  # one group: nothing to compare it with
    assert family.impact_ratio is None and family.p_value is None and not family.four_fifths
    assert "fewer than two groups are shown, so there is nothing to compare" in report_markdown(report)
    # Everyone was at the first or second level of their track when the cycle opened (UW01 and UM01 too: their
    # promotions to Senior took effect after it opened).
    assert [r.group for s in report.attributes if s.attribute == "level_band" for r in s.rows] == ["early"]
    # No location held: the timezone region stands in (the five Slack has not told Ladder about are unknown).
    assert figures(row(report, "timezone_region", "Europe"))[:3] == (16, 10, 8)
    assert figures(row(report, "timezone_region", "America"))[:3] == (6, 0, 0)
    assert figures(row(report, "timezone_region", UNKNOWN)) == (5, 1, 1, 0, 0, 0, 0, 0, 0)
    # Tenure: the men's level since 2023-01-05 is 3 years before the cycle opened (3–5y); the others were first
    # recorded in June 2025 (<1y).
    assert figures(row(report, "tenure_band", "<1y"))[0] == 15
    assert figures(row(report, "tenure_band", "3–5y"))[0] == 12


def test_the_csv_has_the_columns_and_no_figure_of_a_suppressed_group(report):
    text = report_csv(report)
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == CSV_COLUMNS
    by_key = {(r[0], r[1]): dict(zip(CSV_COLUMNS, r, strict=True)) for r in lines[1:]}
    women = by_key[("gender", "woman")]
    assert women == {
        "attribute": "gender", "group": "woman", "eligible": "10", "nominated": "4", "nomination_rate": "0.4000",
        "promoted": "3", "promotion_rate": "0.3000", "success_rate": "0.7500", "impact_ratio": "0.7200",
        "four_fifths": "true", "p_value": f"{scipy_p(3, 7, 6, 11):.4g}", "suppressed": "false",
    }  # fmt: skip
    for key in (("gender", "non-binary"), ("gender", UNKNOWN), ("caring", "no"), ("caring", "yes")):
        assert by_key[key]["suppressed"] == "true"
        assert all(by_key[key][column] == "" for column in CSV_COLUMNS[2:-1])


def markdown_rows(text: str) -> dict[tuple[str, str], list[str]]:
    """(section heading, group) → the row's cells after the group, for every table row of the Markdown."""
    found, heading = {}, ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:]
        elif line.startswith("| ") and not line.startswith(("| Group", "| Eligible")):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            found[(heading, cells[0])] = cells[1:]
    return found


def test_the_markdown_shows_no_figure_of_a_suppressed_group(report):
    text = report_markdown(report)
    assert text.startswith("# Fairness audit: 2026 H1\n")
    rows = markdown_rows(text)
    assert rows[("Gender (group data)", "woman")] == [
        "10", "4", "3", "0", "1", "1", "1", "1", "0", "40.0%", "30.0%", "75.0%", "0.72", "**yes**",
        f"{scipy_p(3, 7, 6, 11):.4g} (too few to test)",
    ]  # fmt: skip
    for key in (("Gender (group data)", "non-binary"), ("Gender (group data)", UNKNOWN), ("Caring (group data)", "no"),
                ("Caring (group data)", "yes")):  # fmt: skip
        assert set(rows[key]) == {"suppressed", "—"}, key
    assert rows[("Caring (group data)", UNKNOWN)][0] == "17"
    assert "- gender: non-binary (fewer than 5 people)" in text
    assert "- caring: yes (would reveal a suppressed group by subtraction)" in text


def test_loading_takes_the_same_statements_for_any_size(engine, framework):
    build_cycle(engine)
    counted: list[str] = []
    event.listen(reading(engine), "before_cursor_execute", lambda *args: counted.append(args[2]))  # the loader's
    load_cycle_facts(engine, framework, TEAM, "2026 H1", NOW)
    few = queries(counted)
    with Session(engine) as session:  # ten times the people, each with a group and a nomination
        cycle_id = session.exec(select(PromotionCycle.id)).one()
        for i in range(300):
            add(session, person(f"UX{i:04d}", "se1"), group(f"UX{i:04d}", "gender", "woman"))
            add(session, Nomination(team_id=TEAM, cycle_id=cycle_id, nominee=f"UX{i:04d}", nominator="UBOSS",
                                    from_level="se1", target_level="se2", stage="collecting"))  # fmt: skip
        session.commit()
    counted.clear()
    facts = load_cycle_facts(engine, framework, TEAM, "2026 H1", NOW)
    assert len(facts.people) == 329 and len(facts.nominations) == 312  # the ineligible and the withdrawn too
    assert queries(counted) == few == 12  # one per table read (a new connection's set-up statements aside)


def queries(statements: list[str]) -> int:
    return sum(statement.lstrip().upper().startswith("SELECT") for statement in statements)


def test_an_unknown_cycle_is_named_with_the_known_ones(engine, framework):
    build_cycle(engine)
    with pytest.raises(UnknownCycle, match=r"no promotion cycle is named '2031 H9' \(cycles: 2026 H1\)"):
        load_cycle_facts(engine, framework, TEAM, "2031 H9", NOW)


def test_days_in_level_at_promotion(engine, framework):
    build_cycle(engine)
    facts = load_cycle_facts(engine, framework, TEAM, "2026 H1", NOW)
    assert facts.days_in_level_at_promotion["UM01"] == (EFFECTIVE - date(2023, 1, 5)).days
    assert "UW01" not in facts.days_in_level_at_promotion  # since when UW01 held se2 is not known
    by_user = {p.user_id: p for p in facts.people}
    assert by_user["UW01"].level == "se2" and by_user["UW01"].eligible
    assert not by_user[TOP].eligible and not by_user[GONE].eligible and LATE not in by_user


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=5),
    unknown=st.integers(min_value=0, max_value=8),
    promoted_share=st.floats(min_value=0, max_value=1),
    k=st.integers(min_value=2, max_value=8),
)
def test_no_output_shows_a_group_below_k(framework, sizes, unknown, promoted_share, k):
    """Whatever the groups' sizes: every group below k is suppressed, never alone in its attribute (or subtraction
    from the total would give it away), and neither output carries a figure of a suppressed row."""
    people, nominations = [], []
    for index, size in enumerate([*sizes, unknown]):
        for i in range(size):
            user = f"U{index}X{i:03d}"
            groups = {} if index == len(sizes) else {"gender": f"group {index}"}
            people.append(PersonFacts(user, "ic", "se2", True, None, date(2025, 1, 1), None, groups))
            if i < size * promoted_share:
                nominations.append(NominationFacts(len(nominations) + 1, user, "se2", "senior", False, "published", None,
                                                   "promote", None, False, False))  # fmt: skip
    facts = CycleFacts(TEAM, 1, "C", OPENS, CLOSED, tuple(people), tuple(nominations))
    policy = dataclasses.replace(framework.fairness, min_group_size=k)
    report = build_report(facts, dataclasses.replace(framework, fairness=policy), now=NOW)
    (gender,) = [s for s in report.attributes if s.attribute == "gender"]
    truth = {f"group {i}": size for i, size in enumerate(sizes)} | ({UNKNOWN: unknown} if unknown else {})
    hidden = {r.group for r in gender.rows if r.suppressed}
    assert {g for g, size in truth.items() if size < k} <= hidden
    assert len(hidden) != 1 or len(truth) == 1
    assert {(s.attribute, s.group) for s in report.suppressed if s.attribute == "gender"} == {("gender", g) for g in hidden}
    lines = {r[1]: r for r in csv.reader(io.StringIO(report_csv(report))) if r[0] == "gender"}
    rows = markdown_rows(report_markdown(report))
    for group in hidden:
        assert lines[group][2:] == [""] * 9 + ["true"]
        assert set(rows[("Gender (group data)", group)]) == {"suppressed", "—"}
    for group in truth.keys() - hidden:
        assert lines[group][2] == str(truth[group]) and rows[("Gender (group data)", group)][0] == str(truth[group])


def attribute(id_: str, within: tuple[str, object] | None = None) -> Attribute:
    return Attribute(id_, id_, False, lambda person: None, within=within)  # type: ignore[arg-type]


def labelled(attributes: tuple[str, ...], *groups: tuple[int, ...]) -> dict[str, list[str]]:
    """Each person's group under each of ``attributes``, from (number of people, their group under each) rows."""
    labels: dict[str, list[str]] = {a: [] for a in attributes}
    for count, *names in groups:
        for a, name in zip(attributes, names, strict=True):
            labels[a] += [name] * count
    return labels


def test_a_suppressed_group_cannot_be_had_from_a_union_of_groups_shown_elsewhere():
    # Paris (3) is below k. Office is London + Paris, so London goes too (office − London = Paris), and then the
    # total gives nothing more: Paris + London (11) is all the rest of it lets one work out.
    labels = labelled(
        ("location", "remote_or_office"), (8, "London", "office"), (3, "Paris", "office"), (9, "Remote", "remote"),
        (6, "Home", "remote"),
    )  # fmt: skip
    kinds = {"London": "office", "Paris": "office", "Remote": "remote", "Home": "remote"}
    hidden = suppression([attribute("location"), attribute("remote_or_office", ("location", kinds.get))], labels, 5)
    assert hidden == {"location": {"Paris": "fewer than 5 people", "London": BY_SUBTRACTION}, "remote_or_office": {}}


def test_a_union_made_of_one_suppressed_part_is_suppressed():
    # Track C (4) is below k and alone in family y (so y is 4 too); track B (6) goes too, or the total minus A would
    # give C: and B is family z's only part, so z (the same figures) goes with it.
    labels = labelled(("track", "family"), (20, "A", "x"), (6, "B", "z"), (4, "C", "y"))
    families = {"A": "x", "B": "z", "C": "y"}
    hidden = suppression([attribute("track"), attribute("family", ("track", families.get))], labels, 5)
    assert set(hidden["track"]) == {"B", "C"} and set(hidden["family"]) == {"y", "z"}


def test_the_fewest_rows_are_suppressed_across_a_union_and_its_parts():
    # Track J (2) is below k, and so its family y. The total minus the other tracks gives J, and so does the total
    # minus the other families: one row of each must go. Family w (D + E) and track D do it (4 rows in all): what is
    # left shows J + D (8) together, never J.
    labels = labelled(
        ("track", "family"), (6, "D", "w"), (6, "E", "w"), (2, "J", "y"), (30, "G", "u"), (5, "K", "u")
    )  # fmt: skip
    families = {"D": "w", "E": "w", "J": "y", "G": "u", "K": "u"}
    hidden = suppression([attribute("track"), attribute("family", ("track", families.get))], labels, 5)
    assert hidden == {
        "track": {"J": "fewer than 5 people", "D": BY_SUBTRACTION},
        "family": {"y": "fewer than 5 people", "w": BY_SUBTRACTION},
    }


def test_several_small_groups_are_not_shown_together_by_subtraction():
    # Groups a (2) and b (1) are each below k, but the total minus the rest would give the three of them together:
    # the smallest group that makes them k or more (c, 6) goes too.
    labels = labelled(("gender",), (2, "a"), (1, "b"), (6, "c"), (7, "d"), (20, "e"))
    assert suppression([attribute("gender")], labels, 5) == {
        "gender": {"a": "fewer than 5 people", "b": "fewer than 5 people", "c": BY_SUBTRACTION}
    }


def in_span(target: dict[str, Fraction], vectors: list[dict[str, Fraction]]) -> bool:
    """Whether ``target`` is a rational combination of ``vectors`` (Gaussian elimination on fractions)."""
    basis: list[tuple[str, dict[str, Fraction]]] = []

    def reduce(vector: dict[str, Fraction]) -> dict[str, Fraction]:
        vector = dict(vector)
        for pivot, row in basis:
            factor = vector.get(pivot, Fraction(0))
            if factor:
                for key, value in row.items():
                    vector[key] = vector.get(key, Fraction(0)) - factor * value
        return {key: value for key, value in vector.items() if value}

    for vector in vectors:
        reduced = reduce(vector)
        if reduced:
            pivot = min(reduced)
            scale = reduced[pivot]
            row = {key: value / scale for key, value in reduced.items()}
            basis[:] = [(p, {key: r.get(key, Fraction(0)) - r.get(pivot, Fraction(0)) * row.get(key, Fraction(0))
                             for key in r.keys() | row.keys()}) for p, r in basis]  # fmt: skip
            basis[:] = [(p, {key: v for key, v in r.items() if v}) for p, r in basis]
            basis.append((pivot, row))
    return not reduce(target)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    places=st.lists(st.tuples(st.integers(min_value=1, max_value=12), st.booleans()), min_size=1, max_size=6),
    unknown=st.integers(min_value=0, max_value=8),
    k=st.integers(min_value=2, max_value=8),
)
def test_no_suppressed_location_can_be_worked_out_from_what_is_shown(framework, places, unknown, k):
    """Locations and their union remote/office, with everyone's total: no suppressed row of either, nor any set of
    locations (the unknown included) of 1 to k − 1 people, is a sum and difference of the rows shown and the total."""
    people = []
    for index, (size, remote) in enumerate([*places, (unknown, False)]):
        for i in range(size):
            groups = {} if index == len(places) else {"location": f"{'Remote' if remote else 'Office'} {index}"}
            people.append(PersonFacts(f"U{index}X{i:03d}", "ic", "se2", True, None, date(2025, 1, 1), None, groups))
    policy = dataclasses.replace(framework.fairness, min_group_size=k)
    report = build_report(
        CycleFacts(TEAM, 1, "C", OPENS, CLOSED, tuple(people), ()), dataclasses.replace(framework, fairness=policy), now=NOW
    )
    sections = {s.attribute: s for s in report.attributes}
    kind = {f"{'Remote' if remote else 'Office'} {i}": "remote" if remote else "office" for i, (_, remote) in enumerate(places)}
    members = {g: {g} for g in kind} | {UNKNOWN: {UNKNOWN}}
    members |= {f"kind:{c}": {g for g, k_ in kind.items() if k_ == c} for c in ("remote", "office")}
    members |= {f"kind:{UNKNOWN}": {UNKNOWN}}

    def vector(name: str) -> dict[str, Fraction]:
        return {g: Fraction(1) for g in members[name]}

    everyone = {g: Fraction(1) for g in [*kind, UNKNOWN]}
    shown, hidden = [everyone], []
    for attribute, prefix in (("location", ""), ("remote_or_office", "kind:")):
        for row in sections[attribute].rows:
            (hidden if row.suppressed else shown).append(vector(prefix + row.group))
            assert row.suppressed or row.counts.eligible >= k
    for target in hidden:
        assert not in_span(target, shown)
    sizes = {f"{'Remote' if remote else 'Office'} {i}": size for i, (size, remote) in enumerate(places)} | {UNKNOWN: unknown}
    shown_sets = [frozenset(vector) for vector in shown[1:]]
    assert small_sets_determined(sizes, shown_sets, k) == []


def test_an_open_cycle_is_reported_so_far(framework):
    people = tuple(PersonFacts(f"U{i:03d}", "ic", "se2", True, None, date(2025, 1, 1), None, {}) for i in range(6))
    report = build_report(CycleFacts(TEAM, 1, "Now", OPENS, None, people, ()), framework, now=NOW)
    assert report.window_end == NOW and report.totals.eligible == 6
    assert "Cycle window: 2026-01-05 to 2026-07-15 (the cycle is still open: figures so far)." in report_markdown(report)


ELIGIBLE_LEVELS = {
    "se1": "ic", "se2": "ic", "senior": "ic", "staff": "ic", "principal": "ic",
    "em": "management", "sr_em": "management", "director": "management", "vp": "management",
}  # fmt: skip
"""The default framework's levels below the top of their track. Level bands: early se1, se2, em, sr_em; mid senior,
director; senior staff, principal, vp."""
BY_LEVEL = ("track", "family", "level_band")


def level_cycle(sizes: dict[str, int], promoted: dict[str, int] | None = None) -> CycleFacts:
    """``sizes[level]`` people eligible at each level, the first ``promoted[level]`` of them promoted and the next one
    nominated and told "not yet"."""
    people, nominations = [], []
    for level, size in sizes.items():
        for i in range(size):
            user = f"U{level}{i:02d}"
            people.append(PersonFacts(user, ELIGIBLE_LEVELS[level], level, True, None, date(2025, 1, 1), None, {}))
            wins = (promoted or {}).get(level, 0)
            if i <= wins:
                outcome = "promote" if i < wins else "not_yet"
                nominations.append(NominationFacts(len(nominations) + 1, user, level, level, False, "published", None,
                                                   outcome, None, False, False))  # fmt: skip
    return CycleFacts(TEAM, 1, "C", OPENS, CLOSED, tuple(people), tuple(nominations))


def level_rows(report: FairnessReport, facts: CycleFacts, framework) -> list[tuple[GroupRow, frozenset[str]]]:
    """Every row of track, family and level band with the levels of its people."""
    people = [p for p in facts.people if p.eligible]
    of = {a.id: a for a in attributes_for(people, framework, OPENS)}
    found = []
    for section in report.attributes:
        if section.attribute in BY_LEVEL:
            for r in section.rows:
                levels = frozenset(p.level for p in people if (of[r.attribute].group_of(p) or UNKNOWN) == r.group)
                found.append((r, levels))
    return found


def small_sets_determined(sizes: dict[str, int], shown: list[frozenset[str]], k: int) -> list[frozenset[str]]:
    """Every set of levels of 1 to k − 1 people (not everyone) whose indicator is a combination of everyone's and the
    ``shown`` sets' (numpy's matrix rank, with and without it): an independent check of the report's exact one."""
    levels = sorted(level for level, n in sizes.items() if n)
    matrix = numpy.array([[1] * len(levels)] + [[int(lv in s) for lv in levels] for s in shown], dtype=float)
    rank = numpy.linalg.matrix_rank(matrix)
    found = []
    for count in range(1, len(levels)):
        for chosen in itertools.combinations(levels, count):
            if 0 < sum(sizes[lv] for lv in chosen) < k:
                target = numpy.array([[int(lv in chosen) for lv in levels]], dtype=float)
                if numpy.linalg.matrix_rank(numpy.vstack([matrix, target])) == rank:
                    found.append(frozenset(chosen))
    return found


def test_a_small_level_cannot_be_had_from_tracks_and_level_bands_together(framework):
    """IC = se2 + senior + staff, Management = em + sr_em; level bands early = se2 + em + sr_em, mid = senior, senior =
    staff. No row is below k, yet early − Management (or IC − mid − senior) would give the 2 people at se2. Both
    tracks would have to go (the total minus one gives the other), or two level bands: early and mid, the fewest
    people; se2 and senior are then only ever seen together (8)."""
    sizes = {"se2": 2, "senior": 6, "staff": 6, "em": 6, "sr_em": 5}
    facts = level_cycle(sizes, {"se2": 1, "senior": 2, "staff": 1, "em": 3})
    report = build_report(facts, framework, now=NOW)
    hidden = {(r.attribute, r.group): r.suppressed_because for r, _ in level_rows(report, facts, framework) if r.suppressed}
    assert hidden == {("level_band", "early"): BY_SUBTRACTION, ("level_band", "mid"): BY_SUBTRACTION}
    shown = [levels for r, levels in level_rows(report, facts, framework) if not r.suppressed]
    assert small_sets_determined(sizes, shown, 5) == []
    assert report.parity == parity_of(facts, framework, shown=report.attributes)


def test_the_two_staff_engineers_cannot_be_had_from_tracks_and_level_bands(framework):
    """The same levels with 2 Staff engineers: the senior band (2) is suppressed, and nothing shown gives it back."""
    sizes = {"se2": 6, "senior": 6, "staff": 2, "em": 6, "sr_em": 5}
    facts = level_cycle(sizes)
    report = build_report(facts, framework, now=NOW)
    rows = level_rows(report, facts, framework)
    assert ("level_band", "senior") in {(r.attribute, r.group) for r, _ in rows if r.suppressed}
    assert small_sets_determined(sizes, [levels for r, levels in rows if not r.suppressed], 5) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.fixed_dictionaries({level: st.sampled_from((0, 0, 1, 2, 3, 4, 5, 6, 8, 12)) for level in ELIGIBLE_LEVELS}),
    promoted=st.fixed_dictionaries({level: st.integers(min_value=0, max_value=9) for level in ELIGIBLE_LEVELS}),
    k=st.integers(min_value=2, max_value=8),
    own_family=st.booleans(),
)
def test_no_set_of_levels_below_k_can_be_worked_out_from_tracks_families_and_level_bands(
    framework, sizes, promoted, k, own_family
):
    """Whatever the people at each level and k: no set of levels of 1 to k − 1 people is a sum and difference of the
    rows of track, family and level band shown and everyone's total, nor once parity's rows (one level each) are added;
    the rows shown keep their true figures; and parity is given exactly the rows shown. ``own_family``: management is a job family of its own."""
    if own_family:
        tracks = tuple(dataclasses.replace(t, family="management") if t.id == "management" else t for t in framework.tracks)
        framework = dataclasses.replace(framework, tracks=tracks)
    if sum(sizes.values()) < k:
        return  # everyone's total is itself below k: no row can be shown, and none is (checked elsewhere)
    framework = dataclasses.replace(framework, fairness=dataclasses.replace(framework.fairness, min_group_size=k))
    promoted = {level: min(promoted[level], sizes[level]) for level in sizes}
    facts = level_cycle(sizes, promoted)
    report = build_report(facts, framework, now=NOW)
    rows = level_rows(report, facts, framework)
    shown = [levels for r, levels in rows if not r.suppressed]
    assert small_sets_determined(sizes, shown, k) == []
    parity = [frozenset({lv.level_id}) for g in report.parity.groups for lv in g.levels if lv.eligible]
    assert small_sets_determined(sizes, shown + parity, k) == []  # nor with IC–management parity's rows shown
    for r, levels in rows:
        assert r.suppressed == (r.counts is None)
        if not r.suppressed:
            nominated = sum(min(promoted[lv] + 1, sizes[lv]) for lv in levels)
            assert figures(r)[:3] == (sum(sizes[lv] for lv in levels), nominated, sum(promoted[lv] for lv in levels))
        else:
            assert (r.attribute, r.group, r.suppressed_because) in {(s.attribute, s.group, s.reason) for s in report.suppressed}
    assert report.parity == parity_of(facts, framework, shown=report.attributes)


def test_parity_withholds_a_row_that_would_give_several_small_levels_together():
    """x (2) and y (2) are each below k and no single one can be worked out; but with w shown, u = B − w and so
    x + y = A − u: 4 people's figures together. w is withheld (the totals alone give no such set)."""
    sizes = {"x": 2, "y": 2, "u": 10, "w": 10}
    totals = [{"x", "y", "u"}, {"u", "w"}]
    assert cells_to_hide(sizes, totals, ["w"], 5, exact=True) == {"w"}
    assert cells_to_hide(sizes, totals, ["w"], 4, exact=True) == set()  # 4 people are k or more


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.fixed_dictionaries({level: st.sampled_from((0, 0, 1, 2, 3, 4, 5, 6, 8, 12)) for level in ELIGIBLE_LEVELS}),
    k=st.integers(min_value=2, max_value=8),
)
def test_the_greedy_choice_for_many_groups_is_safe_too(framework, monkeypatch, sizes, k):
    """Where the search for the fewest rows would try too many choices it settles for a greedy one: no small set of
    levels is determined either (the search is made to give way at once here)."""
    if sum(sizes.values()) < k:
        return
    monkeypatch.setattr(by_subtraction, "SEARCH_BUDGET", 0)
    framework = dataclasses.replace(framework, fairness=dataclasses.replace(framework.fairness, min_group_size=k))
    facts = level_cycle(sizes)
    report = build_report(facts, framework, now=NOW)
    shown = [levels for r, levels in level_rows(report, facts, framework) if not r.suppressed]
    assert small_sets_determined(sizes, shown, k) == []
