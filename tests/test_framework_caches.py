"""What a process keeps of each organisation's framework (#20, H11 review): the frameworks, their answerers and their
pages are kept in one kind of cache (bot/kept.py), large enough that 1,000 organisations do not rebuild them over and
over; something being made (an answerer's index, a framework read from the database) keeps no other organisation
waiting, and is made once however many ask for it at the same time; a framework kept is read while the database is
being asked which versions are in force."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.careers import CareerQuestions
from bot.framework.loader import check_framework_text
from bot.kept import KEPT_PER_PROCESS, Kept
from bot.runtime.frameworks import Frameworks
from messages.pages import OrganisationPages, Pages
from storage.repositories.framework_versions import FrameworkVersions
from storage.unit_of_work import unit_of_work
from tests.test_framework_publishing import ROCKETS

WAIT = 30  # a guard against a hang in a failing run, never what a passing one waits for
ORGANISATIONS = 1_000


def rockets():
    framework = check_framework_text(ROCKETS, "rockets.yaml").framework
    assert framework is not None
    return framework


def test_a_thousand_organisations_keep_their_answerers_and_pages():
    assert KEPT_PER_PROCESS >= ORGANISATIONS
    base = rockets()
    frameworks = {f"T{i:05d}": replace(base, published=i + 1) for i in range(ORGANISATIONS)}
    careers = CareerQuestions(base, framework_for=frameworks.__getitem__)
    pages = OrganisationPages(frameworks.__getitem__, Pages(base))
    first = {tenant: (careers.answerer_for(tenant), pages(tenant)) for tenant in frameworks}
    for tenant in frameworks:  # each organisation asks again: nothing is built again
        assert careers.answerer_for(tenant) is first[tenant][0] and pages(tenant) is first[tenant][1], tenant


def test_something_being_made_keeps_no_other_key_waiting_and_is_made_once():
    kept: Kept[str, str] = Kept()
    kept.get("beta", lambda: "beta's")
    started, finish, made = threading.Event(), threading.Event(), []

    def slow() -> str:
        made.append("alpha")
        started.set()
        assert finish.wait(WAIT)
        return "alpha's"

    answers: list[str] = []
    makers = [threading.Thread(target=lambda: answers.append(kept.get("alpha", slow))) for _ in range(4)]
    makers[0].start()
    assert started.wait(WAIT)
    for maker in makers[1:]:
        maker.start()
    other: list[str] = []
    reader = threading.Thread(target=lambda: other.append(kept.get("beta", lambda: "beta's again")))
    reader.start()
    reader.join(WAIT)
    assert other == ["beta's"]  # read while alpha's is being made
    finish.set()
    for maker in makers:
        maker.join(WAIT)
    assert answers == ["alpha's"] * 4 and made == ["alpha"]  # made once for the four who asked at the same time


def test_a_failure_to_make_is_everyones_who_waited_and_the_next_ask_tries_again():
    kept: Kept[str, str] = Kept()

    def broken() -> str:
        raise LookupError("no such version")

    with pytest.raises(LookupError):
        kept.get("alpha", broken)
    assert kept.get("alpha", lambda: "alpha's") == "alpha's" and len(kept) == 1


def test_a_framework_kept_is_read_while_the_versions_in_force_are_being_asked(engine, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the database's table lock that holds the poll up is PostgreSQL's")
    with unit_of_work(engine) as work:
        FrameworkVersions(work.session).publish("T0AAA", ROCKETS, source="rockets.yaml", by="UADMIN", at=datetime.now(UTC))
    now = [0.0]
    frameworks = Frameworks(engine, rockets(), clock=lambda: now[0])
    kept = frameworks.for_tenant("T0AAA")
    assert kept.published == 1
    now[0] = 100.0  # the next read asks the database again
    with engine.connect() as locker:
        locker.execute(text("LOCK TABLE framework_version IN ACCESS EXCLUSIVE MODE"))  # the poll waits on it
        poll = threading.Thread(target=frameworks.version_in_force, args=("T0AAA",), daemon=True)
        poll.start()
        for _ in range(WAIT * 100):
            if _waiting_on_a_lock(engine):
                break
            poll.join(0.01)
        read: list[object] = []
        reader = threading.Thread(target=lambda: read.append(frameworks.version("T0AAA", 1)), daemon=True)
        reader.start()
        reader.join(WAIT)
        assert read == [kept]  # before the poll got its answer
        locker.rollback()
    poll.join(WAIT)
    assert not poll.is_alive()


def _waiting_on_a_lock(engine) -> bool:
    with engine.connect() as connection:
        waiting = connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        ).scalar()
    return bool(waiting)
