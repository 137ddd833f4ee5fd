"""Units of work on SQLite and PostgreSQL: one that writes holds what it reads to decide until it commits, one that only
reads never waits for a writer and cannot write, and what runs after a commit or a rollback runs only then."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from storage.models import TeamSettings
from storage.repositories.held import held
from storage.unit_of_work import unit_of_work

PATIENCE = 0.5
"""How long a request that should be waiting is given to show it is not (it must not get through)."""


def _settings(engine, *team_ids: str) -> None:
    with unit_of_work(engine) as work:
        for team_id in team_ids:
            work.session.add(TeamSettings(team_id=team_id))


def _read_held(work, team_id: str) -> TeamSettings:
    return work.session.exec(held(work.session, select(TeamSettings).where(TeamSettings.team_id == team_id))).one()


def test_a_reading_unit_of_work_cannot_write(engine):
    with pytest.raises(DBAPIError):
        with unit_of_work(engine, reads_only=True) as work:
            work.session.add(TeamSettings(team_id="T1"))
    _settings(engine, "T1")  # the connection it used writes again in a unit of work that writes
    with unit_of_work(engine, reads_only=True) as work:
        assert [s.team_id for s in work.session.exec(select(TeamSettings))] == ["T1"]


def test_a_writer_holds_what_it_read_until_it_commits_and_a_reader_does_not_wait(engine):
    _settings(engine, "T1", "T2")
    holding, release, events = threading.Event(), threading.Event(), []

    def first() -> None:
        with unit_of_work(engine) as work:
            _read_held(work, "T1").default_cadence = "weekly"
            work.session.flush()
            holding.set()
            release.wait(30)
            events.append("first committed")

    def second() -> None:
        with unit_of_work(engine) as work:
            seen = _read_held(work, "T1")
            events.append(f"second read {seen.default_cadence}")

    writer = threading.Thread(target=first)
    writer.start()
    assert holding.wait(30)
    with unit_of_work(engine, reads_only=True) as work:  # answered at once, from what was committed
        assert work.session.exec(select(TeamSettings).where(TeamSettings.team_id == "T1")).one().default_cadence == "monthly"
    waiting = threading.Thread(target=second)
    waiting.start()
    waiting.join(PATIENCE)
    assert waiting.is_alive() and events == [], "a second writer read what the first was about to change"
    release.set()
    writer.join(30)
    waiting.join(30)
    assert events == ["first committed", "second read weekly"]


def test_after_commit_runs_only_when_the_work_is_committed(engine):
    ran: list[str] = []
    with unit_of_work(engine) as work:
        work.after_commit(lambda: ran.append("committed"))
    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as work:
            work.after_commit(lambda: ran.append("committed again"))
            raise RuntimeError("the request failed")
    assert ran == ["committed"]
