"""``ladder ask --team T`` answers from the framework tenant T runs on (its last published, else the default); without
--team, single-workspace mode answers as before from the default, or from the one framework its workspace published;
with OAuth, --team names the tenant as every command's does. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cli import main as ladder
from bot.framework.loader import default_framework_path
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.repositories.framework_versions import FrameworkVersions
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work
from tests.app_server import ladder_env

QUESTION = "what does Staff mean"


def publish(database_url: str, tenant: str, staff_title: str) -> None:
    """``tenant`` publishes the default framework with Staff renamed."""
    text = default_framework_path().read_text().replace("title: Staff Engineer", f"title: {staff_title}", 1)
    engine = make_engine(database_url)
    try:
        with unit_of_work(engine) as work:
            FrameworkVersions(work.session).publish(tenant, text, source="test", by="UADMIN", at=datetime.now(UTC))
    finally:
        engine.dispose()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = ladder(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def single(fake_slack, database_url, monkeypatch):
    upgrade(database_url)
    for name, value in ladder_env(fake_slack.url, database_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LADDER_FRAMEWORK", raising=False)
    return database_url


@pytest.fixture
def oauth(fake_slack, database_url, monkeypatch):
    upgrade(database_url)
    for name, value in ladder_env(fake_slack.url, database_url, oauth=True).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LADDER_FRAMEWORK", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    engine = make_engine(database_url)
    try:
        with unit_of_work(engine) as work:
            tenants = Tenants(work.session)
            tenants.installed("T0AAA", at=datetime.now(UTC), name="Alpha")
            tenants.installed("E0ORG", at=datetime.now(UTC), enterprise_id="E0ORG", org_wide=True, name="Org")
            tenants.spans("T0ONE", "E0ORG", "One")
    finally:
        engine.dispose()
    return database_url


def test_single_workspace_team_answers_from_its_published_framework_and_without_team_as_before(single, fake_slack, capsys):
    status, out, err = run(capsys, "ask", QUESTION)
    assert (status, err) == (0, "") and out.startswith("Staff Engineer\n")  # nothing published: the default

    publish(single, "T0TEST", "Staff Wizard")
    assert run(capsys, "ask", "--team", "T0TEST", QUESTION)[1].startswith("Staff Wizard\n")
    assert run(capsys, "ask", "--team", "T0OTHER", QUESTION)[1].startswith("Staff Engineer\n")
    assert run(capsys, "ask", QUESTION)[1].startswith("Staff Wizard\n")  # its one workspace published it

    publish(single, "T0OTHER", "Staff Sage")  # two tenants published (a database shared by an earlier set-up)
    assert run(capsys, "ask", "--team", "T0OTHER", QUESTION)[1].startswith("Staff Sage\n")
    assert run(capsys, "ask", QUESTION)[1].startswith("Staff Engineer\n")  # which is meant is not known: the default
    assert fake_slack.calls() == []  # asking calls no Slack


def test_oauth_team_names_the_tenant_whose_framework_answers(oauth, fake_slack, capsys):
    publish(oauth, "E0ORG", "Staff Wizard")
    for given in ("E0ORG", "T0ONE"):  # the enterprise, or any workspace of the org-wide install
        status, out, err = run(capsys, "ask", "--team", given, QUESTION)
        assert (status, err) == (0, "") and out.startswith("Staff Wizard\n")
    status, out, err = run(capsys, "ask", "--team", "T0AAA", QUESTION)
    assert (status, err) == (0, "") and out.startswith("Staff Engineer\n")

    status, out, err = run(capsys, "ask", QUESTION)  # two installed: which one is not guessed
    assert status == 2 and out == "" and err.count("\n") == 1 and "give --team" in err
    assert fake_slack.calls() == []


def test_user_needs_team(single, capsys):
    status, out, err = run(capsys, "ask", "--user", "U0ADA", "what's my next level")
    assert status == 2 and out == "" and err.strip() == "ladder: --user needs --team (the workspace the person is recorded in)"
