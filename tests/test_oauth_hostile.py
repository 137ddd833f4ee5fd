"""Hostile use of "Add to Slack" and of a framework upload, through the running app over HTTP against the fake Slack, on
SQLite and PostgreSQL (found by H9 trying the multi-workspace Ladder as an attacker)."""

from __future__ import annotations

import http.client
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlmodel import Session

from bot.admins import Admins
from bot.retention import per_tenant
from storage.slack_tables import oauth_states
from tests.app_server import add_to_slack, browse


def test_installing_again_does_not_make_another_member_an_admin(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", "Alpha")
    assert add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UALICE").redirect_page.status == 200
    again = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UMALLORY")  # a member, not an admin
    assert again.redirect_page.status == 200
    with Session(oauth_ladder.services.engine) as session:
        assert Admins(session).of("T0AAA") == {"UALICE"}
    assert "first Ladder admin" not in again.redirect_page.body


def test_a_download_that_http_client_refuses_is_one_line_to_the_admin(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UALICE", "alice@alpha.test", "Alice", team="T0AAA")
    assert add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UALICE").token
    file = fake_slack.share_file("UALICE", "ladder.yaml", "name: x\n")
    file["url_private_download"] += " x"  # a URL http.client will not send (InvalidURL, an HTTPException)
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im", "channel": "DUALICE", "user": "UALICE",
        "text": "", "ts": "1700000000.000100", "files": [file],
    }  # fmt: skip
    status, body, _ = oauth_ladder.slack.event(event, team_id="T0AAA")
    assert status == 200, body
    posted = fake_slack.wait_for("chat.postMessage")  # the refusal, through the outbox
    assert "could not download" in str(posted[0].args)
    assert issubclass(http.client.InvalidURL, http.client.HTTPException)


def test_oauth_states_nobody_used_are_removed_once_expired(oauth_ladder):
    for _ in range(5):
        assert browse(f"{oauth_ladder.url}/slack/install").status == 200  # nobody comes back from Slack
    services = oauth_ladder.services
    later = datetime.now(timezone.utc) + timedelta(days=1)  # long past the states' ten minutes
    per_tenant.run(services.engine, services.framework.retention, {}, later, bounded=False)
    with Session(services.engine) as session:
        assert session.execute(select(func.count()).select_from(oauth_states)).scalar() == 0


def test_install_links_that_expired_unused_are_deleted_as_new_ones_are_written(oauth_ladder, monkeypatch):
    """Between daily retention runs too: a visit to the install page deletes (at most once a minute) the states that
    expired unused, so anonymous visits cannot grow the table beyond what a state's lifetime holds."""
    from bot.runtime import oauth

    for _ in range(3):
        assert browse(f"{oauth_ladder.url}/slack/install").status == 200
    engine = oauth_ladder.services.engine
    with Session(engine) as session:  # those three expired long ago
        session.execute(oauth_states.update().values(expire_at=datetime(2020, 1, 1)))
        session.commit()
    monkeypatch.setattr(oauth.ExpiringStates, "PURGE_EVERY", 0.0)
    assert browse(f"{oauth_ladder.url}/slack/install").status == 200
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(oauth_states)).scalar() == 1  # only the new one
