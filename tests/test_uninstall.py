"""Uninstall and revocation (issue #20), through the running app: from the event on, no Web API call at all for that
workspace; its outbox rows are held (pending, not failed) and go, each once, when it is installed again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, SQLModel, select

from bot.runtime.clock import tick
from bot.runtime.outbox_sender import OutboxSender
from storage.models import OutboxMessage, Tenant
from storage.repositories.outbox import PENDING, SENT
from storage.repositories.tenants import ACTIVE, INACTIVE, Tenants
from storage.unit_of_work import unit_of_work
from tests.checkin_world import TEAM, World
from tests.test_outbox import world  # noqa: F401 - the fixture: the organisation at Monday 10:00 London


def rows(world: World) -> list[OutboxMessage]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.team_id == TEAM).order_by(OutboxMessage.id)))


def tenant(world: World) -> Tenant | None:
    with Session(world.services.engine) as session:
        return session.get(Tenant, TEAM)


def uninstall(world: World, **kw) -> int:
    status, _, _ = world.ladder.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id=TEAM, **kw)
    return status


def revoke(world: World, tokens: dict, **kw) -> int:
    status, _, _ = world.ladder.slack.event({"type": "tokens_revoked", "tokens": tokens, "event_ts": "1.0"}, team_id=TEAM, **kw)
    return status


def reinstall(world: World) -> None:
    """What a successful OAuth install records (H1's callback): the tenant active again."""
    with unit_of_work(world.services.engine) as work:
        Tenants(work.session).installed(TEAM, at=world.clock(), name="Test workspace")


def test_after_app_uninstalled_nothing_is_sent_the_rows_are_held_and_a_reinstall_sends_each_once(world):
    written = tick(world.services)  # Monday's prompts, due now, in the outbox
    assert written >= 3
    calls_before = len(world.slack.calls())

    assert uninstall(world, event_id="EvUNINSTALL") == 200
    world.drain()
    world.clock.advance(timedelta(hours=2))
    tick(world.services)  # the clock goes on: a later tick sends nothing either
    world.drain()

    assert len(world.slack.calls()) == calls_before  # no Web API call at all: not a post, not dnd, not auth.test
    held = rows(world)
    assert all(m.status == PENDING for m in held)
    prompts = [m for m in held if m.due_at <= world.clock()]  # due: held, not sent
    assert len(prompts) >= 3 and all(m.attempts == 0 and m.error is None for m in prompts)
    gone = tenant(world)
    assert gone is not None and gone.status == INACTIVE and gone.inactive_reason == "app_uninstalled"

    assert uninstall(world, event_id="EvUNINSTALL", retry_num=1) == 200  # Slack's retry
    assert uninstall(world, event_id="EvUNINSTALL-2") == 200  # or a second delivery of its own
    again = tenant(world)
    assert again is not None and again.inactive_since == gone.inactive_since and len(world.slack.calls()) == calls_before

    reinstall(world)
    world.drain()
    sent = [m for m in rows(world) if m.key in {p.key for p in prompts}]
    assert all(m.status == SENT for m in sent), [(m.key, m.status, m.due_at, m.error) for m in sent]
    posted = [
        c.args["metadata"]["event_payload"]["key"]
        for c in world.slack.calls("chat.postMessage")
        if c.carried_out and c.args.get("metadata")
    ]
    assert sorted(k for k in posted if k in {p.key for p in prompts}) == sorted(p.key for p in prompts)  # each once


def test_tokens_revoked_for_the_bot_holds_everything_and_for_people_only_changes_nothing(world):
    tick(world.services)
    calls_before = len(world.slack.calls())

    assert revoke(world, {"oauth": ["UAMY"]}) == 200  # a person's token (Ladder asks for none): not the bot's
    assert tenant(world) is None or tenant(world).status == ACTIVE  # type: ignore[union-attr]

    assert revoke(world, {"bot": ["U0BOT"]}) == 200
    world.drain()
    assert len(world.slack.calls()) == calls_before
    revoked = tenant(world)
    assert revoked is not None and revoked.status == INACTIVE and revoked.inactive_reason == "tokens_revoked"
    assert all(m.status == PENDING for m in rows(world))


def test_a_claim_whose_workspace_is_uninstalled_meanwhile_is_put_back_without_a_post(world):
    tick(world.services)
    services = world.services
    posts_before = len(world.slack.calls("chat.postMessage"))
    first = {"asked": False}

    def stale_cache(team: str) -> bool:
        """A tenancy whose cached answer is a moment old: the uninstall commits between the claim and the post."""
        if not first["asked"]:
            first["asked"] = True
            with unit_of_work(services.engine) as work:
                Tenants(work.session).deactivated(team, reason="app_uninstalled", at=world.clock())
        return True

    sender = OutboxSender(
        services.engine, services.sender._client_for, services.sender._composer, world.clock, active=stale_cache
    )  # noqa: SLF001
    sender.pacer = services.sender.pacer
    sender.drain()

    assert len(world.slack.calls("chat.postMessage")) == posts_before
    assert sender.counts["held"] >= 1 and sender.counts["sent"] == 0
    assert all(m.status == PENDING and m.attempts == 0 for m in rows(world))


def test_a_sender_told_the_tenant_is_inactive_makes_no_call_for_it(world):
    tick(world.services)
    services = world.services
    calls_before = len(world.slack.calls())
    with unit_of_work(services.engine) as work:  # claimed as active, then the tenancy says it is not
        Tenants(work.session).installed(TEAM, at=world.clock())
    sender = OutboxSender(
        services.engine, services.sender._client_for, services.sender._composer, world.clock, active=lambda _t: False
    )  # noqa: SLF001
    sender.pacer = services.sender.pacer
    sender.drain(max_rounds=1)

    assert len(world.slack.calls()) == calls_before  # no DND lookup, no conversations call, no post
    assert all(m.status == PENDING and m.attempts == 0 for m in rows(world))


def test_the_clocks_retention_job_erases_an_uninstalled_workspace_after_its_period_not_before(world):
    from bot.runtime.clock import apply_retention
    from storage.models import Person

    tick(world.services)
    assert uninstall(world) == 200
    days = world.services.framework.retention.uninstalled_workspace_days

    world.clock.advance(timedelta(days=days) - timedelta(minutes=1))
    apply_retention(world.services)
    with Session(world.services.engine) as session:
        assert session.exec(select(Person).where(Person.team_id == TEAM)).first() is not None
    assert rows(world) and tenant(world) is not None

    world.clock.advance(timedelta(minutes=2))
    apply_retention(world.services)
    with Session(world.services.engine) as session:
        assert session.exec(select(Person).where(Person.team_id == TEAM)).first() is None
    assert rows(world) == [] and tenant(world) is None


# -- OAuth: many workspaces, each with its own token ------------------------------------------------------------------


def _answers_pending(ladder, tenant: str) -> list[OutboxMessage]:
    with Session(ladder.services.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.team_id == tenant, OutboxMessage.status == PENDING)))


def test_oauth_uninstall_holds_a_workspaces_answers_and_a_reinstall_sends_them_once_with_the_new_token(oauth_ladder, fake_slack):
    from tests.app_server import add_to_slack

    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_team("T0BBB", "Beta")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")
    fake_slack.add_user("UB1", "ub1@example.test", "Person B", team="T0BBB")
    ladder, sender = oauth_ladder, oauth_ladder.services.sender
    old = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token
    other = add_to_slack(ladder, fake_slack, "T0BBB", installer="UB1").token
    assert old and other
    sender.stop()  # the test sends, so the answers wait in the outbox until it does
    assert sender.join(5)
    sender.restart()
    assert ladder.slack.direct_message("what does senior mean?", user="UA1", channel="DUA1", team_id="T0AAA")[0] == 200
    assert ladder.slack.direct_message("what does senior mean?", user="UB1", channel="DUB1", team_id="T0BBB")[0] == 200
    held = _answers_pending(ladder, "T0AAA")
    assert len(held) == 1

    revoked = fake_slack.uninstall("T0AAA")  # Slack: the app is gone, its token dead; then it says so
    assert revoked == [old]
    since = len(fake_slack.calls())
    assert ladder.slack.event({"type": "app_uninstalled", "event_ts": "1.0"}, team_id="T0AAA")[0] == 200
    sender.drain()

    assert [c for c in fake_slack.calls()[since:] if c.token == old] == []  # not one call with the dead token
    assert {c.team for c in fake_slack.calls()[since:] if c.token} == {"T0BBB"}  # the other workspace's answer went
    still = _answers_pending(ladder, "T0AAA")
    assert [m.key for m in still] == [m.key for m in held] and all(m.attempts == 0 and m.error is None for m in still)
    tables = SQLModel.metadata.tables
    with Session(ladder.services.engine) as session:  # Slack's installation rows went through the store
        assert session.exec(select(tables["slack_bots"]).where(tables["slack_bots"].c.team_id == "T0AAA")).first() is None

    new = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token
    assert new and new != old
    sender.drain()

    answers = [c for c in fake_slack.calls("chat.postMessage") if c.args.get("channel") == "DUA1" and c.carried_out]
    assert len(answers) == 1 and answers[0].token == new  # once, with the new token
    assert _answers_pending(ladder, "T0AAA") == [] and fake_slack.crossed_calls() == []


def test_oauth_tokens_revoked_for_the_bot_stops_every_call_for_that_workspace(oauth_ladder, fake_slack):
    from tests.app_server import add_to_slack

    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")
    ladder, sender = oauth_ladder, oauth_ladder.services.sender
    token = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token
    assert token
    sender.stop()
    assert sender.join(5)
    sender.restart()
    assert ladder.slack.direct_message("what does senior mean?", user="UA1", channel="DUA1", team_id="T0AAA")[0] == 200
    fake_slack.revoke(token)
    since = len(fake_slack.calls())
    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOTT0AAA"]}, "event_ts": "1.0"}
    assert ladder.slack.event(event, team_id="T0AAA", event_id="EvREVOKED")[0] == 200
    assert ladder.slack.event(event, team_id="T0AAA", event_id="EvREVOKED", retry_num=1)[0] == 200
    sender.drain()
    ladder.slack.app_home_opened("UA1", team_id="T0AAA")  # a request from it now: ignored, nothing sent
    sender.drain()

    assert fake_slack.calls()[since:] == []
    assert len(_answers_pending(ladder, "T0AAA")) == 1
    with Session(ladder.services.engine) as session:
        row = Tenants(session).get("T0AAA")
        assert row is not None and row.status == INACTIVE and row.inactive_reason == "tokens_revoked"


def test_a_process_holding_a_workspaces_old_token_reads_the_reinstalls_new_one_when_slack_refuses_the_old(oauth_ladder, fake_slack):
    """Another process reinstalled the workspace (new token, the old one dead): this process still knew the old token.
    Slack refuses it once; the process forgets what it knew, reads the store again at the next try, and sends once."""
    from bot.runtime.services import build_services
    from tests.app_server import add_to_slack
    from tests.clock import TestClock

    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_user("UA1", "ua1@example.test", "Person A", team="T0AAA")
    ladder = oauth_ladder
    ladder.services.sender.stop()  # the other process below does the sending
    assert ladder.services.sender.join(5)
    old = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token
    clock = TestClock(datetime.now(UTC) + timedelta(minutes=1))  # every answer written below is due by then
    other = build_services(ladder.settings, now=clock)
    try:
        assert ladder.slack.direct_message("what does senior mean?", user="UA1", channel="DUA1", team_id="T0AAA")[0] == 200
        other.sender.drain()
        assert [c.token for c in fake_slack.calls("chat.postMessage") if c.carried_out] == [old]  # the old token, known now

        fake_slack.revoke(old)
        fake_slack.expect_refusals("token_revoked")
        since = len(fake_slack.calls())
        new = add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token  # reinstalled, in the first process
        assert new and new != old
        assert ladder.slack.direct_message("what does staff mean?", user="UA1", channel="DUA1", team_id="T0AAA")[0] == 200
        other.sender.drain()
        refused = [c for c in fake_slack.calls("chat.postMessage") if c.token == old and not c.carried_out]
        assert len(refused) == 1 and len(_answers_pending(ladder, "T0AAA")) == 1  # held, not failed

        clock.advance(timedelta(minutes=2))
        other.sender.drain()
        sent = [c.token for c in fake_slack.calls("chat.postMessage") if c.carried_out]
        assert sent == [old, new] and _answers_pending(ladder, "T0AAA") == []
        assert len([c for c in fake_slack.calls()[since:] if c.token == old]) == 1  # refused once, then never used again
    finally:
        other.close(5)
