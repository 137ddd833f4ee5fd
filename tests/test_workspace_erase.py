"""`ladder workspace erase` and the retention of uninstalled workspaces (issue #20): every row of one tenant goes, from
every table on the metadata (scanned column by column), and nothing of another; a dry run counts exactly what the erase
deletes; an inactive tenant is erased by the daily retention run after its period, not before. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert
from sqlmodel import Session, SQLModel

from bot.cli import main
from bot.framework.model import RetentionPolicy
from bot.retention.workspaces import erase, erase_uninstalled, preview
from storage.models import Erasure, FrameworkVersion, ProcessedEvent, TeamSettings
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work
from tests.person_history import seed_history
from tests.test_person_erase import every_text, row_counts

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
GONE, KEPT, ORG, ORG_WORKSPACE, OWN_INSIDE_ORG = "T0GONE", "T0KEPT", "E0ORG", "T0ORGWS", "T0INORG"


def installation_rows(engine: Engine, *, team: str | None, enterprise: str | None, org_wide: bool) -> None:
    """Slack's installation and bot rows as slack_sdk's SQLAlchemy store writes them."""
    tables = SQLModel.metadata.tables
    common = {
        "client_id": "111.222", "app_id": "A0LADDER", "enterprise_id": enterprise, "team_id": team,
        "bot_token": f"xoxb-{team or enterprise}", "bot_id": "B0BOT", "bot_user_id": "U0BOT",
        "is_enterprise_install": org_wide, "installed_at": NOW,
    }  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(tables["slack_installations"]).values(user_id="U0INSTALLER", **common))
        connection.execute(insert(tables["slack_bots"]).values(**common))


def tenant_with_history(engine: Engine, tenant: str, *, workspaces: tuple[str, ...] = (), org_wide: bool = False) -> None:
    seed_history(engine, team=tenant)
    with unit_of_work(engine) as work:
        tenants = Tenants(work.session)
        tenants.installed(tenant, at=NOW - timedelta(days=400), org_wide=org_wide, enterprise_id=tenant if org_wide else None)
        for workspace in workspaces:
            tenants.spans(workspace, tenant)
        work.session.add(ProcessedEvent(team_id=tenant, event_id=f"Ev{tenant}"))
        work.session.add(TeamSettings(team_id=tenant))
        work.session.add(Erasure(team_id=tenant, pseudonym="erased-abcdef", erased_by="cli"))
        work.session.add(
            FrameworkVersion(team_id=tenant, version=1, text="name: x", digest="0" * 64, published_by="cli", published_at=NOW)
        )
    if org_wide:
        installation_rows(engine, team=None, enterprise=tenant, org_wide=True)
    else:
        installation_rows(engine, team=tenant, enterprise=None, org_wide=False)


def uninstall(engine: Engine, tenant: str, at: datetime = NOW) -> None:
    with unit_of_work(engine) as work:
        Tenants(work.session).deactivated(tenant, reason="app_uninstalled", at=at)


def holding(engine: Engine, needle: str) -> dict[str, int]:
    return {t: n for t, values in every_text(engine).items() if (n := sum(needle in v for v in values))}


@pytest.fixture
def two_tenants(engine: Engine) -> Engine:
    tenant_with_history(engine, GONE)
    tenant_with_history(engine, KEPT)
    return engine


def test_erase_removes_every_row_of_the_tenant_and_nothing_of_another(two_tenants):
    engine = two_tenants
    uninstall(engine, GONE)
    before, kept_before = row_counts(engine), holding(engine, KEPT)
    counted = preview(engine, GONE)
    assert {"tenant", "tenant_workspace", "slack_installations", "slack_bots", "outbox", "person", "nomination",
            "framework_version", "processed_event", "erasure", "team_settings", "checkin"} <= set(counted.rows)  # fmt: skip

    erased = erase(engine, GONE, batch_rows=7)  # small batches: many transactions, children before parents

    assert erased.rows == counted.rows and not erased.more  # the dry run counted exactly what went
    assert holding(engine, GONE) == {}  # no column of any table holds its id any more
    after = row_counts(engine)
    assert {t: before[t] - after[t] for t in before if before[t] != after[t]} == counted.rows
    assert holding(engine, KEPT) == kept_before  # the other tenant's rows, every one
    assert preview(engine, GONE).total == 0 and erase(engine, GONE).total == 0  # again: nothing


def test_an_org_wide_enterprise_goes_with_its_workspaces_but_not_a_workspace_installed_on_its_own(engine):
    tenant_with_history(engine, ORG, workspaces=(ORG_WORKSPACE,), org_wide=True)
    tenant_with_history(engine, OWN_INSIDE_ORG)
    installation_rows(engine, team=OWN_INSIDE_ORG, enterprise=ORG, org_wide=False)  # a workspace install inside the org
    own_before = holding(engine, OWN_INSIDE_ORG)
    uninstall(engine, ORG)

    erase(engine, ORG)

    assert holding(engine, ORG_WORKSPACE) == {}
    assert holding(engine, OWN_INSIDE_ORG) == own_before  # its own installation row names the enterprise: kept
    with Session(engine) as session:
        assert Tenants(session).get(ORG) is None and Tenants(session).get(OWN_INSIDE_ORG) is not None


def test_the_daily_retention_run_erases_an_inactive_tenant_after_its_period_not_before(two_tenants):
    engine = two_tenants
    uninstall(engine, GONE, at=NOW)
    policy = RetentionPolicy(uninstalled_workspace_days=30)

    assert erase_uninstalled(engine, policy, NOW + timedelta(days=29, hours=23)) == []
    assert preview(engine, GONE).total > 0

    with unit_of_work(engine) as work:  # installed again within the period: kept, then uninstalled once more
        Tenants(work.session).installed(GONE, at=NOW + timedelta(days=10))
    assert erase_uninstalled(engine, policy, NOW + timedelta(days=31)) == []
    uninstall(engine, GONE, at=NOW + timedelta(days=20))
    assert erase_uninstalled(engine, policy, NOW + timedelta(days=49)) == []

    done = erase_uninstalled(engine, policy, NOW + timedelta(days=51))
    assert [e.tenant for e in done] == [GONE] and done[0].total > 0
    assert holding(engine, GONE) == {} and preview(engine, KEPT).total > 0


def test_a_bounded_run_leaves_the_rest_for_the_next_and_the_tenant_row_last(two_tenants):
    engine = two_tenants
    uninstall(engine, GONE)
    first = erase(engine, GONE, batch_rows=5, max_batches=3)
    assert first.more and 0 < first.total <= 15  # three batches of at most five rows, one table each
    with Session(engine) as session:
        assert Tenants(session).get(GONE) is not None  # the next run finds it
    rest = erase(engine, GONE)
    assert not rest.more and holding(engine, GONE) == {}


@pytest.fixture
def cli(database_url: str, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_the_command_counts_refuses_an_active_tenant_without_force_and_erases(two_tenants, cli):
    engine = two_tenants
    uninstall(engine, GONE)
    status, out, _ = cli("workspace", "list")
    assert status == 0 and f"{GONE} (workspace): inactive since" in out and f"{KEPT} (workspace): active since" in out

    status, out, _ = cli("workspace", "erase", GONE, "--dry-run")
    counted = preview(engine, GONE)
    assert status == 0 and f"would delete {counted.total} rows" in out and f"- person: {counted.rows['person']}" in out
    assert preview(engine, GONE) == counted  # nothing changed

    status, out, err = cli("workspace", "erase", KEPT)
    assert status == 1 and "is active" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert preview(engine, KEPT).total > 0

    status, out, _ = cli("workspace", "erase", GONE)
    assert status == 0 and f"Erased {GONE}: {counted.total} rows" in out and holding(engine, GONE) == {}

    status, _, err = cli("workspace", "erase", GONE)
    assert status == 1 and "nothing is held for" in err
    status, _, err = cli("workspace", "erase", "not-a-team")
    assert status == 2 and "not a Slack team id" in err

    status, out, _ = cli("workspace", "erase", KEPT, "--force")
    assert status == 0 and holding(engine, KEPT) == {}


def test_a_workspace_id_names_its_org_wide_tenant(engine, cli):
    tenant_with_history(engine, ORG, workspaces=(ORG_WORKSPACE,), org_wide=True)
    uninstall(engine, ORG)
    status, out, _ = cli("workspace", "erase", ORG_WORKSPACE)
    assert status == 0 and f"Erased {ORG} (the tenant of workspace {ORG_WORKSPACE})" in out
    with Session(engine) as session:
        assert Tenants(session).get(ORG) is None
