"""`ladder person erase`: a person with a history in every table is erased; afterwards no table holds their Slack id,
name, email or text they wrote outside the records others' outcomes rest on, which carry one pseudonym. Dry runs,
erasing twice, and one-line errors. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, LargeBinary, func, select
from sqlmodel import Session, SQLModel

from bot.cli import main
from bot.rights.erase import ErasureResult, erase_person
from storage.models import Checkin, Erasure, Nomination, PanelDecision, Person, ReviewRequest, StretchAssignment
from storage.unit_of_work import unit_of_work
from tests.concurrency import at_once
from tests.person_history import EMAIL, KEPT, NAME, PRIVATE, SUBJECT, TEAM, person_id, seed_history

PSEUDONYM = re.compile(r"erased-[0-9a-f]{6}")


@pytest.fixture
def cli(engine: Engine, database_url: str, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LADDER_ADMINS", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main([*argv, "--team", TEAM])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def every_text(engine: Engine) -> dict[str, list[str]]:
    """Every value of every column but binary ones, in every table the models declare (a table added later too), as
    text: table → values."""
    found: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, LargeBinary)]
            values = found.setdefault(table.name, [])
            for row in connection.execute(select(*columns)):
                values += [
                    v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str) for v in row if v is not None
                ]
    return found


def holding(engine: Engine, needle: str) -> dict[str, int]:
    """Tables with values holding ``needle`` (any case) → how many."""
    lowered = needle.casefold()
    return {
        table: n for table, values in every_text(engine).items() if (n := sum(lowered in v.casefold() for v in values))
    }  # fmt: skip


def count(engine: Engine, model: type[SQLModel], *where: Any) -> int:
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables
        }


def test_erasure_leaves_no_trace_of_the_person_outside_pseudonymised_records(engine, cli):
    history = seed_history(engine)
    assert holding(engine, SUBJECT) and holding(engine, NAME) and holding(engine, PRIVATE)  # the scan finds them before
    others_checkins = count(engine, Checkin, Checkin.user_id != SUBJECT)

    status, out, err = cli("person", "erase", SUBJECT)

    assert status == 0, err
    for needle in (SUBJECT, NAME, EMAIL, PRIVATE, "Erasmus-Quill"):
        assert holding(engine, needle) == {}, f"{needle!r} is still held"
    pseudonyms = {p for values in every_text(engine).values() for v in values for p in PSEUDONYM.findall(v)}
    with Session(engine) as session:
        erasure = session.execute(select(Erasure)).scalar_one()
        assert pseudonyms == {erasure.pseudonym}, "one pseudonym, the one recorded"
        assert erasure.pseudonym in out and erasure.erased_by == "cli"
        assert erasure.summary["removed.checkin"] == history.checkins and erasure.summary["removed.person"] == 1
        # what others' outcomes rest on is kept, under the pseudonym, with what the person wrote there
        review = session.execute(select(ReviewRequest).where(ReviewRequest.comment.contains(KEPT))).scalars().first()
        assert review is not None and review.reviewer == erasure.pseudonym and review.next_reminder_at is None
        made = session.execute(select(Nomination).where(Nomination.nominator == erasure.pseudonym)).scalars().all()
        assert made and all(KEPT in n.case["technical_depth"] and erasure.pseudonym in n.case["technical_depth"] for n in made)
        taken = session.execute(select(PanelDecision).where(PanelDecision.decided_by == erasure.pseudonym)).scalars().all()
        assert taken and all(erasure.pseudonym in d.deciders for d in taken)
        posted = session.execute(select(StretchAssignment)).scalars().all()
        assert sorted(a.title for a in posted) == ["Lead the incident review", "Run the guild"], "the lonely one went"
        reports = session.execute(select(Person).where(Person.user_id.in_(history.reports))).scalars().all()  # type: ignore[attr-defined]
        assert [p.manager_user_id for p in reports] == [None, None, None]
    # their own nominations went whole, and nobody else's record moved
    assert count(engine, Nomination, Nomination.id.in_(history.nominations_of_subject)) == 0  # type: ignore[attr-defined]
    assert count(engine, Checkin, Checkin.user_id != SUBJECT) == others_checkins
    assert "note: panel 'Appeals' was chaired by them" in err


def test_a_dry_run_counts_and_changes_nothing_and_erasing_twice_finds_nothing(engine, cli):
    seed_history(engine)
    before = row_counts(engine)

    status, out, err = cli("person", "erase", SUBJECT, "--dry-run")

    assert status == 0, err
    assert "would remove 12 checkin row(s)" in out and "would pseudonymise" in out and "dry run: nothing changed" in out
    assert row_counts(engine) == before and holding(engine, NAME)
    status, out, err = cli("person", "erase", SUBJECT, "--by", person_id(1))
    assert status == 0 and "removed 12 checkin row(s)" in out
    status, out, err = cli("person", "erase", SUBJECT)
    assert status == 0 and "nothing left to erase" in out
    assert count(engine, Erasure) == 1
    with Session(engine) as session:
        assert session.execute(select(Erasure.erased_by)).scalar_one() == person_id(1)


def test_erasing_one_person_leaves_another_exportable_and_unknown_ids_are_one_line(engine, cli):
    seed_history(engine)
    other = person_id(5)
    status, before, _ = cli("person", "export", other)
    assert status == 0
    assert cli("person", "erase", SUBJECT)[0] == 0

    status, after, _ = cli("person", "export", other)

    assert status == 0 and SUBJECT not in after
    assert len(json.loads(after)["checkins"]) == len(json.loads(before)["checkins"])
    status, out, err = cli("person", "erase", "not-an-id")
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    status, out, err = cli("person", "export", "U0NOBODY")
    assert status == 1 and err == "ladder: Ladder holds nothing about U0NOBODY in team T0TEST\n"


def test_what_others_outcomes_rest_on_still_reads_after_erasure_under_the_pseudonym(engine, cli):
    seed_history(engine)
    status, out, _ = cli("person", "erase", SUBJECT)
    assert status == 0
    pseudonym = PSEUDONYM.search(out).group(0)  # type: ignore[union-attr]

    status, audit, err = cli("audit", "--cycle", "2021 H1")
    assert status == 0, err
    assert f"{pseudonym},nomination" in audit and SUBJECT not in audit
    status, report, err = cli("cycle", "report", "2021 H1")
    assert status == 0, err
    assert "reviews: 1 written" in report and SUBJECT not in report
    status, panels, err = cli("panel", "list")
    assert status == 0 and f"Appeals (appeals): chair {pseudonym}; members {person_id(11)};" in panels
    status, _, err = cli("panel", "edit", "Appeals", "--chair", person_id(11))
    assert status == 0, err


def test_two_erasures_of_one_person_at_once_erase_once(engine):
    seed_history(engine)

    def erase() -> ErasureResult:
        with unit_of_work(engine) as work:
            return erase_person(work.session, TEAM, SUBJECT, by="cli", now=lambda: datetime.now(UTC))

    results = at_once(erase, erase)

    assert sorted(r.nothing_held for r in results) == [False, True]
    assert count(engine, Erasure) == 1 and holding(engine, SUBJECT) == {}
