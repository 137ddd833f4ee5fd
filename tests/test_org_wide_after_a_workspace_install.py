"""A workspace that was its own tenant, uninstalled, then covered by its enterprise's org-wide install (issue #20), on
SQLite and PostgreSQL: its requests, `--team` with its id and the workspaces the enterprise spans all name the active
org-wide tenant, not the old inactive one; a workspace-level install that is still active stays its own tenant."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.cli import main as ladder
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work
from tests.app_server import EnterpriseSender, add_to_slack, ladder_env


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = ladder(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def org_after_workspace(oauth_ladder, fake_slack, database_url, monkeypatch):
    """T0ONE installed on its own, uninstalled; then E0ORG (T0ONE, T0TWO) installed org-wide; T0SOLO, inside E0ORG too,
    installed on its own and still active."""
    fake_slack.add_enterprise("E0ORG", ["T0ONE", "T0TWO", "T0SOLO"], name="Org")
    fake_slack.add_user("W0ONE", "one@org.test", "Una Org", team="T0ONE")
    fake_slack.add_user("W0TWO", "two@org.test", "Tomas Org", team="T0TWO")
    fake_slack.add_user("W0SOLO", "solo@org.test", "Solo Org", team="T0SOLO")
    assert add_to_slack(oauth_ladder, fake_slack, "T0ONE", installer="W0ONE").token
    assert add_to_slack(oauth_ladder, fake_slack, "T0SOLO", installer="W0SOLO").token
    fake_slack.uninstall("T0ONE")
    solo = EnterpriseSender(oauth_ladder, "E0ORG", org_wide=False)
    assert solo.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0ONE")[0] == 200
    assert add_to_slack(oauth_ladder, fake_slack, enterprise="E0ORG", installer="W0TWO").token
    for name, value in ladder_env(fake_slack.url, database_url, oauth=True).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LADDER_FRAMEWORK", raising=False)
    return oauth_ladder


def test_team_names_the_active_org_wide_tenant_not_the_old_workspace_one(org_after_workspace, capsys):
    for given in ("T0ONE", "T0TWO", "E0ORG"):
        status, out, err = _run(capsys, "admins", "list", "--team", given)
        assert status == 0, err
        assert "E0ORG" in out or "W0TWO" in out, (given, out)
        status, out, err = _run(capsys, "admins", "add", "W0ONE", "--team", given)
        assert status == 0 and "team E0ORG" in out, (given, out, err)
    status, out, err = _run(capsys, "admins", "add", "W0SOLO", "--team", "T0SOLO")
    assert status == 0 and "team T0SOLO" in out, err  # an active workspace-level install stays its own tenant


def test_the_org_wide_installs_requests_remap_the_old_workspace(org_after_workspace):
    org = EnterpriseSender(org_after_workspace, "E0ORG")
    assert org.app_home_opened("W0ONE", team_id="T0ONE")[0] == 200
    assert org.app_home_opened("W0SOLO", team_id="T0SOLO")[0] == 200
    with Session(org_after_workspace.services.engine) as session:
        tenants = Tenants(session)
        assert tenants.tenant_of_workspace("T0ONE") == "E0ORG"
        assert tenants.tenant_of_workspace("T0SOLO") == "T0SOLO"


def test_the_repository_prefers_the_active_tenant(database_url):
    from datetime import UTC, datetime

    upgrade(database_url)
    engine = make_engine(database_url, create_missing=False)
    at = datetime(2026, 3, 16, tzinfo=UTC)
    with unit_of_work(engine) as work:
        tenants = Tenants(work.session)
        tenants.installed("T0ONE", at=at, enterprise_id="E0ORG")
        tenants.installed("T0SOLO", at=at, enterprise_id="E0ORG")
        tenants.deactivated("T0ONE", reason="app_uninstalled", at=at)
        tenants.installed("E0ORG", at=at, enterprise_id="E0ORG", org_wide=True)
    with unit_of_work(engine) as work:
        tenants = Tenants(work.session)
        assert tenants.active_tenant_named("T0ONE") == "E0ORG"  # before any request from it: its row's enterprise
        assert tenants.active_tenant_named("T0SOLO") == "T0SOLO"
        assert tenants.active_tenant_named("T0NONE") is None
        assert tenants.spans("T0ONE", "E0ORG") and not tenants.spans("T0SOLO", "E0ORG")
        assert not tenants.spans("T0ONE", "E0ORG")  # done again: nothing changes
    with unit_of_work(engine) as work:
        tenants = Tenants(work.session)
        assert tenants.tenant_of_workspace("T0ONE") == "E0ORG" and tenants.tenant_of_workspace("T0SOLO") == "T0SOLO"
        assert tenants.workspaces("E0ORG") == ["T0ONE"]
    engine.dispose()
