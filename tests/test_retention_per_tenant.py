"""Retention per tenant (issue #20): a tenant that published its own framework has its own ``retention:`` applied to its
own rows, every other tenant's rows the framework file's, and ``uninstalled_workspace_days`` stays the deployment's;
``ladder retention run`` also erases uninstalled workspaces past their period, as the clock does, and its dry run counts
exactly what the run then does. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from bot.cli import main as ladder
from bot.framework.loader import default_framework_path
from bot.framework.model import RetentionPolicy
from bot.retention.per_tenant import governed
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import CheckinDraft, Person, ProcessedEvent
from storage.repositories.framework_versions import FrameworkVersions
from storage.repositories.retention import TeamScope
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work
from tests.app_server import ladder_env

DAY = timedelta(days=1)
DEFAULT, OWN, LEFT, GONE = "T0DEF", "T0OWN", "T0LEFT", "T0GONE"


@pytest.fixture
def cli(fake_slack, database_url, tmp_path, monkeypatch, capsys):
    """The framework file keeps drafts 30 days; OWN published one keeping them 60 days (and saying uninstalled
    workspaces go after 1 day, which is not its to say); LEFT, uninstalled 10 days ago, published the same."""
    framework = tmp_path / "framework.yaml"
    framework.write_text(default_framework_path().read_text() + "\nretention:\n  drafts_days: 30\n")
    upgrade(database_url)
    for name, value in {**ladder_env(fake_slack.url, database_url), "LADDER_FRAMEWORK": str(framework)}.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    own = default_framework_path().read_text() + "\nretention:\n  drafts_days: 60\n  uninstalled_workspace_days: 1\n"
    with unit_of_work(engine) as work:
        for tenant in (OWN, LEFT):
            FrameworkVersions(work.session).publish(tenant, own, source="test", by="UADMIN", at=now - 100 * DAY)
        Tenants(work.session).deactivated(LEFT, reason="app_uninstalled", at=now - 10 * DAY)
        Tenants(work.session).deactivated(GONE, reason="app_uninstalled", at=now - 40 * DAY)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = ladder(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    run.engine = engine  # type: ignore[attr-defined]
    run.now = now  # type: ignore[attr-defined]
    yield run
    engine.dispose()


def add(engine, *rows: SQLModel) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def draft(team: str, user: str, age_days: int, now: datetime) -> CheckinDraft:
    return CheckinDraft(team_id=team, user_id=user, answers={"went_well": "x"}, updated_at=now - age_days * DAY)


def drafts(engine) -> set[tuple[str, str]]:
    with Session(engine) as session:
        return {(d.team_id, d.user_id) for d in session.exec(select(CheckinDraft)).scalars()}


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            t.name: session.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables
        }


def test_each_tenant_keeps_its_rows_as_its_own_policy_says_and_the_dry_run_counts_what_the_run_does(cli):
    engine, now = cli.engine, cli.now
    add(
        engine,
        draft(DEFAULT, "U45", 45, now), draft(DEFAULT, "U20", 20, now),  # the file's 30 days: 45 goes
        draft(OWN, "U45", 45, now), draft(OWN, "U70", 70, now),  # its own 60 days: 70 goes
        draft(LEFT, "U45", 45, now), draft(LEFT, "U70", 70, now),  # inactive 10 days, kept: its own 60 days
        draft(GONE, "U5", 5, now),  # inactive 40 days: past the deployment's 30, erased whole
        Person(team_id=GONE, user_id="UGONE", name="Gone", track="ic", level="senior"),
        ProcessedEvent(team_id=GONE, event_id="Ev1", received_at=now - DAY),
    )  # fmt: skip
    before = counts(engine)

    status, out, err = cli("retention", "run", "--dry-run")

    assert (status, err) == (0, "") and counts(engine) == before
    lines = out.splitlines()
    assert "(dry run: nothing was removed)" in lines[0]
    assert lines[1] == "The framework file's policy, for every tenant without one of its own:"
    assert lines[2].startswith("- check-in drafts: kept 30 days") and lines[2].endswith(": 1 would go")
    own_at = lines.index(f"The policy of {LEFT}, {OWN}'s own published framework:")
    assert lines[own_at + 1].startswith("- check-in drafts: kept 60 days") and lines[own_at + 1].endswith(": 2 would go")
    erased_at = lines.index("Uninstalled workspaces past 30 days (retention.uninstalled_workspace_days), would be erased whole:")
    gone_rows = int(lines[erased_at + 1].removeprefix(f"- {GONE}: ").split()[0])
    assert lines[erased_at + 1 :] == [f"- {GONE}: {gone_rows} rows"] and gone_rows >= 4  # draft, person, event, tenant...

    status, out_run, err = cli("retention", "run")

    assert (status, err) == (0, "")
    assert out_run.splitlines()[1:] == [
        line.replace("would go", "removed").replace("would be erased whole", "erased whole") for line in lines[1:]
    ]
    assert drafts(engine) == {(DEFAULT, "U20"), (OWN, "U45"), (LEFT, "U45")}
    after = counts(engine)
    assert before["checkin_draft"] - after["checkin_draft"] == 4
    assert sum(before.values()) - sum(after.values()) == 1 + 2 + gone_rows  # exactly what the dry run counted
    with Session(engine) as session:
        assert session.exec(select(Person).where(Person.team_id == GONE)).first() is None
    again = cli("retention", "run", "--dry-run")[1]
    assert again.count(": 0 would go") == 10 and "Uninstalled" not in again  # nothing left, under either policy


def test_a_tenants_own_policy_equal_to_the_default_is_applied_with_it_and_erasing_tenants_with_none():
    default = RetentionPolicy(drafts_days=30)
    same = RetentionPolicy(drafts_days=30, uninstalled_workspace_days=1)  # the deployment-level field is not theirs
    other = RetentionPolicy(drafts_days=60)
    parts = governed(default, {"T1": same, "T2": other, "T3": other, "T4": other}, erasing=["T4", "T9"])
    assert [(p.policy, p.scope, p.tenants) for p in parts] == [
        (default, TeamScope(excluding=("T2", "T3", "T4", "T9")), ()),
        (RetentionPolicy(drafts_days=60, uninstalled_workspace_days=30), TeamScope(only=("T2", "T3")), ("T2", "T3")),
    ]


def test_the_clocks_daily_job_applies_each_tenants_own_policy(fake_slack, tmp_path, database_url):
    from bot.runtime.clock import apply_retention
    from tests.app_server import running_ladder

    framework = tmp_path / "framework.yaml"
    framework.write_text(default_framework_path().read_text() + "\nretention:\n  drafts_days: 30\n")
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, LADDER_FRAMEWORK=str(framework)) as app:
        engine, now = app.services.engine, app.services.now()
        own = default_framework_path().read_text() + "\nretention:\n  drafts_days: 60\n"
        with unit_of_work(engine) as work:
            FrameworkVersions(work.session).publish(OWN, own, source="test", by="UADMIN", at=now)
        add(engine, draft(DEFAULT, "U45", 45, now), draft(OWN, "U45", 45, now), draft(OWN, "U70", 70, now))
        apply_retention(app.services)
        assert drafts(engine) == {(OWN, "U45")}
