"""What each process keeps of the installations (issue #20, OAuth), on SQLite and PostgreSQL: a reinstall made in
another process reaches this one within the poll (or at Slack's first refusal of the old token), one thread at a time
reads the tenants, the database away means "not installed" rather than a crash, and a token rotation neither
resurrects an uninstalled tenant's rows nor fails a call when Slack is out of reach."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import create_engine, event

from bot.runtime.clients import slack_client
from bot.runtime.installations import POLL_SECONDS, NotInstalled, OAuthTenancy
from bot.runtime.services import build_services
from storage.engine import reading
from storage.repositories.tenants import Tenants
from storage.unit_of_work import unit_of_work
from tests.app_server import CLIENT_ID, CLIENT_SECRET, add_to_slack, running_ladder


class Ticks:
    """A tenancy's monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _alpha(fake_slack) -> None:
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")


def _uninstall_and_reinstall(ladder, fake_slack) -> str:
    """In ``ladder``'s process: Slack uninstalls the app (old token dead, app_uninstalled), then it is installed again."""
    fake_slack.uninstall("T0AAA")
    assert ladder.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0AAA")[0] == 200
    new = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token
    assert new
    return new


def test_a_process_that_missed_the_uninstall_uses_the_reinstalls_token_within_the_poll(oauth_ladder, fake_slack):
    _alpha(fake_slack)
    old = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1").token
    other = build_services(oauth_ladder.settings)  # another serving process: it gets neither the event nor the install
    other.tenancy.clock = ticks = Ticks()
    try:
        assert other.client_for("T0AAA").token == old
        new = _uninstall_and_reinstall(oauth_ladder, fake_slack)
        ticks.now += POLL_SECONDS
        assert other.client_for("T0AAA").token == new
        assert other.directory_for("T0AAA").token == new
    finally:
        other.close(5)


def test_a_request_refused_for_a_dead_token_makes_the_process_read_the_installation_again(
    oauth_ladder, fake_slack, tmp_path, database_url
):
    _alpha(fake_slack)
    add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1")
    with running_ladder(fake_slack.url, tmp_path / "other", database_url=database_url, oauth=True) as other:
        other.services.tenancy.clock = Ticks()  # its poll never comes round: only Slack's refusal can tell it
        assert other.slack.slash_command("checkin settings", user_id="UA1", team_id="T0AAA")[0] == 200
        old = fake_slack.calls("views.open")[-1].token
        new = _uninstall_and_reinstall(oauth_ladder, fake_slack)
        fake_slack.expect_refusals("token_revoked")
        since = len(fake_slack.calls())
        other.slack.slash_command("checkin settings", user_id="UA1", team_id="T0AAA")  # refused: the old token
        assert other.slack.slash_command("checkin settings", user_id="UA1", team_id="T0AAA")[0] == 200
        opened = [(c.token, c.carried_out) for c in fake_slack.calls("views.open")[len(fake_slack.calls("views.open")) - 2 :]]
        assert opened == [(old, False), (new, True)]
        assert len([c for c in fake_slack.calls()[since:] if c.token == old]) == 1


def test_one_thread_reads_the_tenants_when_the_poll_is_due_the_others_go_on_with_what_was_known(oauth_ladder, fake_slack):
    _alpha(fake_slack)
    add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1")
    tenancy = oauth_ladder.services.tenancy
    tenancy.clock = ticks = Ticks()
    tenancy.forget("T0AAA")
    assert tenancy.is_active("T0AAA")  # read once, known since
    reads, started, release = [], threading.Event(), threading.Event()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM tenant " in statement + " " and "tenant.status" in statement and "tenant.id = " not in statement:
            reads.append(statement)
            if len(reads) == 1:
                started.set()
                release.wait(10)

    engine = reading(oauth_ladder.services.engine)  # what the tenancy reads with
    event.listen(engine, "before_cursor_execute", count)
    try:
        ticks.now += POLL_SECONDS
        first = threading.Thread(target=tenancy.is_active, args=("T0AAA",))
        first.start()
        assert started.wait(10)
        assert all(tenancy.is_active("T0AAA") for _ in range(5))  # while the first thread reads: no read of their own
        assert len(reads) == 1
        release.set()
        first.join(10)
    finally:
        release.set()
        event.remove(engine, "before_cursor_execute", count)


def test_the_database_away_means_not_installed_not_a_crash(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'ladder.db'}")
    tenancy = OAuthTenancy(
        engine, lambda token, _retries: WebClient(token=token), client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        api_client=WebClient(),
    )  # fmt: skip
    with pytest.raises(NotInstalled):
        tenancy.bot_for("T0AAA")
    assert not tenancy.is_active("E0ORG")


def _rotating_tenancy(ladder, api_client: WebClient, wall: list[float]) -> OAuthTenancy:
    return OAuthTenancy(
        ladder.services.engine, lambda token, _retries: WebClient(token=token), client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET, api_client=api_client, wall_clock=lambda: wall[0],
    )  # fmt: skip


def test_a_rotation_racing_an_uninstall_saves_nothing_and_forgets_the_tenant(oauth_ladder, fake_slack):
    _alpha(fake_slack)
    fake_slack.token_lifetime = 3600  # expires within 120 minutes of now: refreshed at the next use
    first = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1", rotation=True).token
    wall = [0.0]  # long before it expires: known without refreshing
    tenancy = _rotating_tenancy(oauth_ladder, slack_client(oauth_ladder.settings), wall)
    assert tenancy.bot_for("T0AAA").token == first
    wall[0] = fake_slack.now()

    done = []

    def uninstall_meanwhile(_args: Any) -> bool:
        """The uninstall lands (in another thread) while the rotation waits for Slack's fresh token."""
        if not done:
            done.append(True)
            tenancy.store.delete_all(enterprise_id=None, team_id="T0AAA")
            with unit_of_work(oauth_ladder.services.engine) as work:
                Tenants(work.session).deactivated("T0AAA", reason="app_uninstalled", at=oauth_ladder.services.now())
            tenancy.forget("T0AAA")
        return False  # Slack answers: a fresh token

    fake_slack.break_next("oauth.v2.access", "reset", when=uninstall_meanwhile)
    with pytest.raises(NotInstalled):
        tenancy.bot_for("T0AAA")
    fake_slack.heal("oauth.v2.access")
    assert done and [c for c in fake_slack.calls("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    assert tenancy.store.find_bot(enterprise_id=None, team_id="T0AAA") is None  # not saved again
    assert not tenancy.is_active("T0AAA")


def test_slack_out_of_reach_during_a_rotation_keeps_the_current_token(oauth_ladder, fake_slack, caplog):
    _alpha(fake_slack)
    fake_slack.token_lifetime = 3600
    first = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1", rotation=True).token
    unreachable = WebClient(base_url="http://127.0.0.1:9/", timeout=2)  # the discard port: nothing answers there
    tenancy = _rotating_tenancy(oauth_ladder, unreachable, [fake_slack.now()])
    assert tenancy.bot_for("T0AAA").token == first  # good until it expires
    assert any("token rotation failed" in r.getMessage() for r in caplog.records)


def test_the_store_keys_of_a_tenant_with_no_tenant_row_come_from_slacks_bots(database_url):
    from datetime import UTC, datetime

    from slack_sdk.oauth.installation_store import Bot
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from storage.engine import make_engine
    from storage.migrate import upgrade
    from storage.slack_tables import BOTS, INSTALLATIONS

    upgrade(database_url)
    engine = make_engine(database_url, create_missing=False)
    store = SQLAlchemyInstallationStore(
        client_id=CLIENT_ID, engine=engine, bots_table_name=BOTS, installations_table_name=INSTALLATIONS
    )
    common = {
        "app_id": "A1",
        "bot_id": "B1",
        "bot_user_id": "U0BOT",
        "installed_at": datetime(2026, 3, 16, tzinfo=UTC).timestamp(),
    }
    store.save_bot(Bot(enterprise_id="E0ORG", team_id="T0SOLO", bot_token="xoxb-solo", **common))
    store.save_bot(Bot(enterprise_id="E0ORG", team_id=None, bot_token="xoxb-org", is_enterprise_install=True, **common))
    store.save_bot(Bot(enterprise_id=None, team_id="T0AAA", bot_token="xoxb-a", **common))
    with unit_of_work(engine, reads_only=True) as work:
        tenants = Tenants(work.session)
        assert tenants.installation_keys("T0SOLO", CLIENT_ID) == ("E0ORG", "T0SOLO", False)
        assert tenants.installation_keys("E0ORG", CLIENT_ID) == ("E0ORG", None, True)
        assert tenants.installation_keys("T0AAA") == (None, "T0AAA", False)
        assert tenants.installation_keys("T0AAA", "another.app") is None
        assert tenants.installation_keys("T0NONE", CLIENT_ID) is None
    engine.dispose()
