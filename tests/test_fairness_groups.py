"""Group data kept apart (storage/repositories/groups.py), on SQLite and PostgreSQL: HR's import and people's own answers
side by side, each write idempotent, the audit's reading in one query, erasure."""

from __future__ import annotations

from sqlalchemy import event
from sqlmodel import Session, select

from storage.models import PersonGroup
from storage.repositories.groups import PREFER_NOT_TO_SAY, GroupRepository

TEAM, OTHER_TEAM = "T0TEST", "T0OTHER"


def rows(engine) -> list[tuple[str, str, str, str, str]]:
    with Session(engine) as session:
        found = session.exec(select(PersonGroup)).all()
        return sorted((g.team_id, g.user_id, g.attribute, g.source, g.value) for g in found)


def in_work(engine, work) -> object:
    with Session(engine) as session:
        result = work(GroupRepository(session))
        session.commit()
        return result


def test_hr_values_are_upserted_cleared_and_left_alone_idempotently(engine):
    in_work(engine, lambda g: g.save_hr(TEAM, {"UANA": {"gender": "Woman", "location": "Leeds"}, "UBEN": {"gender": "Man"}}))
    first = rows(engine)
    in_work(engine, lambda g: g.save_hr(TEAM, {"UANA": {"gender": "Woman", "location": "Leeds"}, "UBEN": {"gender": "Man"}}))
    assert rows(engine) == first  # the same import again: nothing changes
    with Session(engine) as session:
        stamped = {g.user_id + g.attribute: g.updated_at for g in session.exec(select(PersonGroup))}
    in_work(engine, lambda g: g.save_hr(TEAM, {"UANA": {"location": None}, "UBEN": {"gender": "Non-binary"}}))
    assert rows(engine) == [
        (TEAM, "UANA", "gender", "hr", "Woman"),  # not given: left alone
        (TEAM, "UBEN", "gender", "hr", "Non-binary"),
    ]
    with Session(engine) as session:
        kept = session.exec(select(PersonGroup).where(PersonGroup.user_id == "UANA")).one()
    assert kept.updated_at == stamped["UANAgender"]  # an unchanged value is not rewritten
    assert in_work(engine, lambda g: g.hr_groups(TEAM)) == {"UANA": {"gender": "Woman"}, "UBEN": {"gender": "Non-binary"}}
    assert in_work(engine, lambda g: g.hr_groups(TEAM, ["UBEN"])) == {"UBEN": {"gender": "Non-binary"}}
    assert in_work(engine, lambda g: g.hr_groups(OTHER_TEAM)) == {}


def test_own_answers_replace_each_other_and_clear(engine):
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UANA", {"gender": "Woman", "caring": PREFER_NOT_TO_SAY}))
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UANA", {"gender": "Woman", "caring": PREFER_NOT_TO_SAY}))
    assert in_work(engine, lambda g: g.own_answers(TEAM, "UANA")) == {"gender": "Woman", "caring": PREFER_NOT_TO_SAY}
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UANA", {"working_pattern": "Part-time"}))
    assert in_work(engine, lambda g: g.own_answers(TEAM, "UANA")) == {"working_pattern": "Part-time"}
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UBEN", {"gender": "Man"}))
    assert in_work(engine, lambda g: g.clear_own_answers(TEAM, "UANA")) == 1
    assert in_work(engine, lambda g: g.own_answers(TEAM, "UANA")) == {}
    assert in_work(engine, lambda g: g.own_answers(TEAM, "UBEN")) == {"gender": "Man"}  # nobody else's


def test_the_audit_reads_own_answers_first_unless_prefer_not_to_say_in_one_query(engine):
    in_work(
        engine,
        lambda g: g.save_hr(
            TEAM,
            {
                "UANA": {"gender": "Woman", "location": "Leeds"},
                "UBEN": {"gender": "Man"},
                "UCHI": {"gender": "Woman"},
            },
        ),
    )
    in_work(engine, lambda g: g.save_hr(OTHER_TEAM, {"UANA": {"gender": "Elsewhere"}}))
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UANA", {"gender": "Non-binary"}))
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UBEN", {"gender": PREFER_NOT_TO_SAY}))
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UDEE", {"caring": "Yes", "gender": PREFER_NOT_TO_SAY}))
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        groups = in_work(engine, lambda g: g.effective_groups(TEAM))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert groups == {
        "UANA": {"gender": "Non-binary", "location": "Leeds"},  # their own answer over HR's
        "UBEN": {"gender": "Man"},  # he would rather not say: HR's value, as if he had not answered
        "UCHI": {"gender": "Woman"},
        "UDEE": {"caring": "Yes"},  # would rather not say, and HR holds nothing: unknown
    }
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_a_persons_rows_are_removed_for_erasure(engine):
    in_work(engine, lambda g: g.save_hr(TEAM, {"UANA": {"gender": "Woman"}, "UBEN": {"gender": "Man"}}))
    in_work(engine, lambda g: g.set_own_answers(TEAM, "UANA", {"gender": "Woman", "caring": "No"}))
    assert in_work(engine, lambda g: g.remove_person(TEAM, "UANA", source="self")) == 2
    assert in_work(engine, lambda g: g.remove_person(TEAM, "UANA")) == 1
    assert in_work(engine, lambda g: g.remove_person(TEAM, "UANA")) == 0
    assert rows(engine) == [(TEAM, "UBEN", "gender", "hr", "Man")]


def test_a_large_import_is_written_in_batches(engine):
    people = {f"U{n:06d}": {"gender": f"g{n % 3}", "location": f"l{n % 7}"} for n in range(1_200)}
    in_work(engine, lambda g: g.save_hr(TEAM, people))
    assert len(rows(engine)) == 2_400
    in_work(engine, lambda g: g.save_hr(TEAM, {user: {"location": None} for user in people}))
    assert in_work(engine, lambda g: g.hr_groups(TEAM, list(people)[:3])) == {
        "U000000": {"gender": "g0"},
        "U000001": {"gender": "g1"},
        "U000002": {"gender": "g2"},
    }


def test_the_audit_counts_one_group_however_hr_spelt_it(engine):
    """HR files spell a group several ways ('London', 'london', 'LONDON '): the audit counts one group, under the
    spelling most people have, rather than comparing London with itself."""
    from datetime import UTC, date, datetime

    from bot.fairness.load import load_cycle_facts
    from bot.fairness.report import build_report
    from bot.framework.loader import load_framework
    from storage.models import Person, PromotionCycle

    zurich = "Z\u00fcrich", "Zu\u0308rich"  # one name, composed and decomposed (as macOS writes it)
    spelt = ["London"] * 3 + ["london"] * 2 + ["LONDON "] + ["Paris"] * 5 + [" paris"] + [zurich[0]] * 3 + [zurich[1]] * 2
    with Session(engine) as session:
        session.add(PromotionCycle(team_id=TEAM, name="2026 H1", opens_on=date(2026, 1, 5), status="open"))
        for i, place in enumerate(spelt):
            user = f"UP{i:02d}"
            session.add(Person(team_id=TEAM, user_id=user, name=user, track="ic", level="se2",
                               created_at=datetime(2025, 1, 1, tzinfo=UTC)))  # fmt: skip
            session.add(PersonGroup(team_id=TEAM, user_id=user, attribute="location", value=place, source="hr"))
        session.commit()
    framework = load_framework(None)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    report = build_report(load_cycle_facts(engine, framework, TEAM, "2026 H1", now), framework, now=now)
    [location] = [a for a in report.attributes if a.attribute == "location"]
    assert sorted((r.group, r.counts.eligible) for r in location.rows if r.counts) == [
        ("London", 6),
        ("Paris", 6),
        (zurich[0], 5),
    ]


def test_group_data_named_like_a_built_in_attribute_never_replaces_it(engine):
    """Group data under 'track' (stored before the import refused such a column, or a framework question so named) is
    its own section: the built-in Track still compares the framework's tracks, and neither is suppressed for the other."""
    from datetime import UTC, date, datetime

    from bot.fairness.load import load_cycle_facts
    from bot.fairness.report import build_report
    from bot.framework.loader import load_framework
    from storage.models import Person, PromotionCycle

    with Session(engine) as session:
        session.add(PromotionCycle(team_id=TEAM, name="2026 H1", opens_on=date(2026, 1, 5), status="open"))
        for i in range(12):
            user, track = f"UP{i:02d}", "management" if i < 6 else "ic"
            session.add(Person(team_id=TEAM, user_id=user, name=user, track=track, level="em" if i < 6 else "se2",
                               created_at=datetime(2025, 1, 1, tzinfo=UTC)))  # fmt: skip
            session.add(PersonGroup(team_id=TEAM, user_id=user, attribute="track", value="A" if i % 2 else "B", source="hr"))
        session.commit()
    framework = load_framework(None)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    report = build_report(load_cycle_facts(engine, framework, TEAM, "2026 H1", now), framework, now=now)
    sections = {
        (a.attribute, a.built_in): sorted((r.group, r.counts.eligible) for r in a.rows if r.counts) for a in report.attributes
    }
    assert sections[("track", True)] == [("Individual Contributor", 6), ("Management", 6)]
    assert sections[("track_group_data", False)] == [("A", 6), ("B", 6)]
    assert report.suppressed == ()
