"""Many installations through the running app (OAuth mode) against the fake Slack, on SQLite and PostgreSQL: two
workspaces and an Enterprise Grid organisation installed org-wide, each workspace's slash command, modal, event and Home
tab answered with its own installation's token (the fake refuses, and the fixture fails on, a token reaching another
workspace); a workspace with no installation ignored without a single Web API call; token rotation."""

from __future__ import annotations

import time
from typing import Any, Callable

from sqlmodel import Session

from bot.runtime.services import build_services
from storage.repositories.tenants import Tenants
from tests.app_server import EnterpriseSender, add_to_slack
from tests.fake_slack import FakeSlack


def _until(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError("not within the time allowed")


def _answered(fake: FakeSlack, user: str, since: int) -> bool:
    calls = fake.calls()[since:]
    published = any(c.method == "views.publish" and c.args.get("user_id") == user and c.carried_out for c in calls)
    told = any(c.method == "chat.postMessage" and c.args.get("channel") == f"D{user}" and c.carried_out for c in calls)
    opened = any(c.method == "views.open" and c.carried_out for c in calls)
    return published and told and opened


def _organisation(fake: FakeSlack) -> None:
    fake.add_team("T0AAA", "Alpha")
    fake.add_team("T0BBB", "Beta")
    fake.add_enterprise("E0ORG", ["T0ONE", "T0TWO", "T0SOLO"], name="Org")
    for user, team in (("UA1", "T0AAA"), ("UB1", "T0BBB"), ("W0ONE", "T0ONE"), ("W0TWO", "T0TWO"), ("W0SOLO", "T0SOLO")):
        fake.add_user(user, f"{user.lower()}@example.test", f"Person {user}", team=team)


def test_each_workspace_is_answered_with_its_own_installations_token(oauth_ladder, fake_slack):
    _organisation(fake_slack)
    ladder = oauth_ladder
    tokens = {
        "T0AAA": add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token,
        "T0BBB": add_to_slack(ladder, fake_slack, "T0BBB", installer="UB1").token,
        "E0ORG": add_to_slack(ladder, fake_slack, enterprise="E0ORG", installer="W0ONE").token,
        "T0SOLO": add_to_slack(ladder, fake_slack, "T0SOLO", installer="W0SOLO").token,  # its own tenant, inside E0ORG
    }
    assert None not in tokens.values() and len(set(tokens.values())) == 4
    org, solo = EnterpriseSender(ladder, "E0ORG"), EnterpriseSender(ladder, "E0ORG", org_wide=False)
    cases = [
        ("T0AAA", "T0AAA", "UA1", ladder.slack),
        ("T0BBB", "T0BBB", "UB1", ladder.slack),
        ("E0ORG", "T0ONE", "W0ONE", org),
        ("E0ORG", "T0TWO", "W0TWO", org),
        ("T0SOLO", "T0SOLO", "W0SOLO", solo),
    ]
    for tenant, team, user, sender in cases:
        since = len(fake_slack.calls())
        assert sender.slash_command("checkin settings", user_id=user, team_id=team)[0] == 200  # a modal: views.open
        assert sender.direct_message("what does senior mean?", user=user, channel=f"D{user}", team_id=team)[0] == 200
        assert sender.app_home_opened(user, team_id=team)[0] == 200
        _until(lambda user=user, since=since: _answered(fake_slack, user, since))
        used = {c.token for c in fake_slack.calls()[since:]}
        assert used == {tokens[tenant]}, (tenant, team, used)
    assert fake_slack.crossed_calls() == []
    with Session(ladder.services.engine) as session:
        tenants = Tenants(session)
        assert tenants.workspaces("E0ORG") == ["T0ONE", "T0TWO"]  # recorded as its workspaces' requests arrived
        assert tenants.tenant_of_workspace("T0SOLO") == "T0SOLO"
        org_row = tenants.get("E0ORG")
        assert org_row is not None and org_row.org_wide and org_row.enterprise_id == "E0ORG"


def test_a_workspace_with_no_installation_is_acknowledged_and_ignored(oauth_ladder, fake_slack):
    _organisation(fake_slack)
    add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1")
    since = len(fake_slack.calls())
    status, body, _ = oauth_ladder.slack.slash_command("checkin settings", user_id="UB1", team_id="T0BBB")
    assert status == 200 and "not installed in this workspace" in body
    assert oauth_ladder.slack.direct_message("hello", user="UB1", channel="DUB1", team_id="T0BBB")[0] == 200
    assert oauth_ladder.slack.app_home_opened("UB1", team_id="T0BBB")[0] == 200
    # an enterprise's workspace when the app is not installed org-wide (nor in that workspace)
    org = EnterpriseSender(oauth_ladder, "E0ORG")
    assert org.app_home_opened("W0ONE", team_id="T0ONE")[0] == 200
    oauth_ladder.services.sender.wake()
    time.sleep(0.3)  # what a request would have written to the outbox has had time to go
    assert fake_slack.calls()[since:] == []


def test_a_rotating_token_is_refreshed_before_it_expires_and_the_new_one_kept(oauth_ladder, fake_slack):
    _organisation(fake_slack)
    fake_slack.token_lifetime = 3600  # expires within Bolt's 120 minutes: refreshed at the next use
    first = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1", rotation=True).token
    assert first is not None and first.startswith("xoxe.xoxb-")
    fake_slack.token_lifetime = 43200
    since = len(fake_slack.calls())
    oauth_ladder.slack.app_home_opened("UA1", team_id="T0AAA")
    _until(lambda: fake_slack.calls("views.publish"))
    refreshes = [c for c in fake_slack.calls("oauth.v2.access")[1:] if c.args.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1 and refreshes[0].answer["ok"]
    second = refreshes[0].answer["access_token"]
    assert {c.token for c in fake_slack.calls()[since:] if c.token} == {second}
    # the refreshed token is in the store: another process (a restart) uses it without refreshing again
    other = build_services(oauth_ladder.settings)
    try:
        assert other.client_for("T0AAA").token == second
    finally:
        other.close(timeout=1)
    oauth_ladder.slack.app_home_opened("UA1", team_id="T0AAA")
    _until(lambda: len(fake_slack.calls("views.publish")) >= 2)
    assert len([c for c in fake_slack.calls("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]) == 1
