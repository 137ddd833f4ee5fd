"""Uninstall events at the edges (issue #20, OAuth), on SQLite and PostgreSQL: the process forgets the workspace's
token even when deleting Slack's installation rows fails, and an event for a workspace that never installed Ladder
leaves no trace (no tenant row, so `ladder workspace list` does not show it)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from storage.models import Tenant
from storage.repositories.tenants import INACTIVE
from tests.app_server import add_to_slack


class Frozen:
    """A tenancy's monotonic clock that does not move: its poll never comes round by itself."""

    def __call__(self) -> float:
        return 0.0


def _refuse_deleting_bots(engine) -> None:
    """The database refuses to delete Slack's bot rows (a real failure, from the database itself)."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER keep_bots BEFORE DELETE ON slack_bots BEGIN SELECT RAISE(ABORT, 'kept'); END"))
        else:
            conn.execute(
                text("CREATE FUNCTION keep_bots() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'kept'; END $$")
            )
            conn.execute(text("CREATE TRIGGER keep_bots BEFORE DELETE ON slack_bots FOR EACH ROW EXECUTE FUNCTION keep_bots()"))


def test_the_token_is_forgotten_even_when_deleting_the_installation_rows_fails(oauth_ladder, fake_slack, caplog):
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")
    add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1")
    tenancy = oauth_ladder.services.tenancy
    tenancy.clock = Frozen()
    tenancy.forget("T0AAA")
    assert tenancy.is_active("T0AAA")  # known, and not asked again by the poll
    _refuse_deleting_bots(oauth_ladder.services.engine)
    fake_slack.uninstall("T0AAA")
    assert oauth_ladder.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0AAA")[0] == 200
    assert any(r.getMessage() == "an after-commit action failed" for r in caplog.records)  # the deletion did fail
    assert not tenancy.is_active("T0AAA")
    with Session(oauth_ladder.services.engine) as session:
        row = session.get(Tenant, "T0AAA")
        assert row is not None and row.status == INACTIVE


def test_an_uninstall_event_for_a_workspace_that_never_installed_ladder_writes_nothing(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")
    add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1")
    slack = oauth_ladder.slack
    assert slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0NEVER")[0] == 200
    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}, "event_ts": "1.0"}
    assert slack.event(event, team_id="T0NEVER2", event_id="EvREVOKED")[0] == 200
    with Session(oauth_ladder.services.engine) as session:
        assert session.get(Tenant, "T0NEVER") is None and session.get(Tenant, "T0NEVER2") is None
        alpha = session.get(Tenant, "T0AAA")
        assert alpha is not None and alpha.status == "active"
    # the installed one is still deactivated by its own event
    fake_slack.uninstall("T0AAA")
    assert slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0AAA", event_id="EvGONE")[0] == 200
    with Session(oauth_ladder.services.engine) as session:
        alpha = session.get(Tenant, "T0AAA")
        assert alpha is not None and alpha.status == INACTIVE
