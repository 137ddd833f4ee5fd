"""Single-workspace mode (SLACK_BOT_TOKEN) after an uninstall (issue #20): the tenant keeps the sha256 of the token that
died, never the token; a process started again with that token asks Slack nothing with it — not even ``auth.test`` —
serves /healthz and says what to do; one started with the new token (the operator reinstalled and set it) learns its
workspace as ever, makes it active again, and the held messages go, each once, with the new token. SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from bot.cli import common
from bot.cli.serve import _say_if_token_revoked
from bot.errors import LadderError
from bot.runtime.clock import tick
from bot.runtime.workspace_token import REVOKED
from storage.models import OutboxMessage, Tenant
from storage.repositories.outbox import PENDING, SENT
from storage.repositories.tenants import ACTIVE, INACTIVE
from tests.app_server import BOT_TOKEN, running_ladder
from tests.checkin_world import TEAM, organisation
from tests.serve_process import get

MONDAY_TEN_LONDON = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
NEW_TOKEN = "xoxb-reinstalled-token"


@pytest.fixture
def uninstalled(fake_slack, tmp_path, database_url):
    """A workspace with its Monday prompts due, then uninstalled (Slack revoked the token and sent app_uninstalled)."""
    with organisation(fake_slack, tmp_path, database_url, MONDAY_TEN_LONDON - timedelta(hours=12)) as world:
        world.tick()
        world.clock.set(MONDAY_TEN_LONDON)
        assert tick(world.services) >= 3
        fake_slack.uninstall(TEAM)
        status, _, _ = world.ladder.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id=TEAM)
        assert status == 200
        world.drain()
        yield world


def held(engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.team_id == TEAM).order_by(OutboxMessage.id)))


def tenant(engine) -> Tenant:
    with Session(engine) as session:
        row = session.get(Tenant, TEAM)
        assert row is not None
        return row


def healthz(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
        return json.loads(response.read())


def test_the_uninstall_keeps_the_dead_tokens_digest_never_the_token(uninstalled):
    row = tenant(uninstalled.services.engine)
    assert (row.status, row.inactive_reason) == (INACTIVE, "app_uninstalled")
    assert row.revoked_token_digest == hashlib.sha256(BOT_TOKEN.encode()).hexdigest()
    with Session(uninstalled.services.engine) as session:  # the token itself is in no column of the row
        values = session.execute(text("SELECT * FROM tenant")).all()
    assert not any(BOT_TOKEN in str(v) for r in values for v in r)
    # the process that received the event knows at once, without asking Slack
    assert uninstalled.services.identity.token_revoked()
    assert healthz(uninstalled.ladder.url)["slack"] == REVOKED


def test_restarted_with_the_revoked_token_it_asks_slack_nothing_and_says_what_to_do(
    uninstalled, fake_slack, tmp_path, database_url, caplog
):
    calls_before = len(fake_slack.calls())
    with running_ladder(fake_slack.url, tmp_path / "again", database_url=database_url, now=uninstalled.clock) as again:
        services = again.services
        assert services.identity.team_id is None and services.identity.revoked  # learn_now asked the database only
        services.identity.learn_in_background()  # what a request or the health check would start: nothing
        report = healthz(again.url)
        assert report["status"] == "ok" and report["slack"] == REVOKED
        assert not services.tenancy.is_active(TEAM)
        uninstalled.clock.advance(timedelta(hours=1))
        tick(services)
        services.sender.drain()
        with pytest.raises(LadderError, match="revoked by an uninstall"):
            common.directory(services, TEAM)  # the command line refuses rather than call with it
        with caplog.at_level(logging.ERROR, logger="ladder.cli"):
            _say_if_token_revoked(again.settings)
        lines = [r.getMessage() for r in caplog.records if r.name == "ladder.cli"]
        assert len(lines) == 1 and f"uninstalled from workspace {TEAM} (app_uninstalled" in lines[0]
        assert "set SLACK_BOT_TOKEN to the new bot token" in lines[0] and BOT_TOKEN not in lines[0]
    assert len(fake_slack.calls()) == calls_before  # not a post, not auth.test: no Web API call at all
    assert all(m.status == PENDING and m.attempts == 0 for m in held(uninstalled.services.engine))


def test_started_with_the_new_token_the_workspace_is_active_again_and_the_held_messages_go_once(
    uninstalled, fake_slack, tmp_path, database_url
):
    due = [m.key for m in held(uninstalled.services.engine) if m.due_at <= uninstalled.clock()]
    assert len(due) >= 3
    old_token_calls = len(fake_slack.calls_with(BOT_TOKEN))
    fake_slack.valid_tokens.add(NEW_TOKEN)  # the operator reinstalled Ladder and set the new token
    with running_ladder(
        fake_slack.url, tmp_path / "new", database_url=database_url, now=uninstalled.clock, SLACK_BOT_TOKEN=NEW_TOKEN
    ) as reinstalled:
        assert reinstalled.services.identity.team_id == TEAM and not reinstalled.services.identity.revoked
        row = tenant(reinstalled.services.engine)
        assert (row.status, row.inactive_since, row.inactive_reason) == (ACTIVE, None, None)
        assert "slack" not in healthz(reinstalled.url)
        reinstalled.services.sender.drain()
        reinstalled.services.sender.drain()
    rows = {m.key: m for m in held(uninstalled.services.engine)}
    assert all(rows[k].status == SENT for k in due), [(k, rows[k].status, rows[k].error) for k in due]
    posted = [
        c.args["metadata"]["event_payload"]["key"]
        for c in fake_slack.calls("chat.postMessage")
        if c.carried_out and c.args.get("metadata")
    ]
    assert sorted(k for k in posted if k in due) == sorted(due)  # each once
    assert {c.token for c in fake_slack.calls("chat.postMessage") if c.carried_out} == {NEW_TOKEN}
    # the old process, still configured with the dead token, sends nothing of it either: not one call with that token
    uninstalled.drain()
    assert len(fake_slack.calls_with(BOT_TOKEN)) == old_token_calls


@pytest.mark.slow
def test_ladder_serve_with_the_revoked_token_serves_healthz_says_so_once_and_calls_nothing(
    uninstalled, serve, fake_slack, database_url
):
    calls_before = len(fake_slack.calls())
    server = serve(database_url, LADDER_CLOCK="on")
    server.wait_for_log(lambda line: line.get("msg") == "clock started", timeout=30)
    status, body = get(server.port, "/healthz")
    assert status == 200 and json.loads(body)["slack"] == REVOKED
    said = [line for line in server.log_lines() if "SLACK_BOT_TOKEN was revoked when Ladder was uninstalled" in line["msg"]]
    assert len(said) == 1 and said[0]["level"] == "ERROR" and BOT_TOKEN not in server.log_text()
    assert len(fake_slack.calls()) == calls_before  # workers and clock: not auth.test, not anything
