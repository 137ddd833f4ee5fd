"""The fake Slack's workspaces: OAuth installs bound to a workspace or an enterprise, tokens refused outside their
workspace, revocation, token rotation, and a record of which token made each call."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fake_slack import FakeSlack


def _client(fake: FakeSlack, token: str | None = None) -> WebClient:
    return WebClient(token=token, base_url=fake.url)


def _install(fake: FakeSlack, code: str, **extra: str) -> dict:
    answer = _client(fake).oauth_v2_access(client_id=fake.client_id, client_secret=fake.client_secret, code=code, **extra)
    return answer.data  # type: ignore[return-value]


def test_a_code_is_exchanged_once_for_a_token_bound_to_its_workspace(fake_slack):
    fake_slack.add_team("T0AAA", "Alpha")
    answer = _install(fake_slack, fake_slack.install_code("T0AAA", installer="UALICE"))
    assert answer["team"] == {"id": "T0AAA", "name": "Alpha"} and answer["enterprise"] is None
    assert answer["is_enterprise_install"] is False and answer["authed_user"] == {"id": "UALICE"}
    assert answer["token_type"] == "bot" and answer["bot_user_id"] and "refresh_token" not in answer
    token = answer["access_token"]
    who = _client(fake_slack, token).auth_test()
    assert (who["team_id"], who["user_id"], who["is_enterprise_install"]) == ("T0AAA", answer["bot_user_id"], False)
    fake_slack.expect_refusals("invalid_code")
    with pytest.raises(SlackApiError, match="invalid_code"):
        _install(fake_slack, "made-up")


def test_oauth_access_wants_the_apps_credentials(fake_slack):
    code = fake_slack.install_code("T0AAA")
    fake_slack.expect_refusals("bad_client_secret")
    with pytest.raises(SlackApiError, match="bad_client_secret"):
        _client(fake_slack).oauth_v2_access(client_id=fake_slack.client_id, client_secret="wrong", code=code)
    assert _install(fake_slack, code)["ok"]  # the code was not spent by the refused exchange


def test_a_token_is_refused_for_another_workspaces_channel_or_person(fake_slack):
    fake_slack.add_team("T0AAA")
    fake_slack.add_team("T0BBB")
    fake_slack.add_user("UA1", "a@alpha.test", "Ann Alpha", team="T0AAA")
    fake_slack.add_user("UB1", "b@beta.test", "Bob Beta", team="T0BBB")
    fake_slack.add_channel("CBETA", team="T0BBB")
    alpha = _client(fake_slack, _install(fake_slack, fake_slack.install_code("T0AAA"))["access_token"])
    assert alpha.chat_postMessage(channel="UA1", text="hello")["ok"]
    assert alpha.users_info(user="UA1")["user"]["team_id"] == "T0AAA"
    for call in (
        lambda: alpha.chat_postMessage(channel="UB1", text="hi"),
        lambda: alpha.chat_postMessage(channel="CBETA", text="hi"),
        lambda: alpha.users_info(user="UB1"),
        lambda: alpha.views_publish(user_id="UB1", view={"type": "home", "blocks": []}),
    ):
        with pytest.raises(SlackApiError):
            call()
    assert [c.answer["error"] for c in fake_slack.crossed_calls()] == [
        "channel_not_found", "channel_not_found", "user_not_found", "user_not_found",
    ]  # fmt: skip
    with pytest.raises(SlackApiError, match="users_not_found"):  # another workspace's people are not found by email
        alpha.users_lookupByEmail(email="b@beta.test")
    assert [m["id"] for m in alpha.users_list()["members"]] == ["UA1"]
    fake_slack.expect_refusals("channel_not_found", "user_not_found")
    assert len(fake_slack.unexpected_refusals()) == 0


def test_crossing_workspaces_fails_the_test_unless_expected():
    with FakeSlack() as fake:
        fake.add_user("UB1", "b@beta.test", "Bob", team="T0BBB")
        token = fake.bind("xoxb-alpha", "T0AAA").token
        with pytest.raises(SlackApiError):
            _client(fake, token).users_info(user="UB1")  # user_not_found: an answer, were it not another workspace's
        assert [c.method for c in fake.unexpected_refusals()] == ["users.info"]


def test_an_org_wide_install_reaches_every_workspace_of_its_enterprise(fake_slack):
    fake_slack.add_enterprise("E0ORG", ["T0ONE", "T0TWO"], name="Org")
    fake_slack.add_team("T0OUT")
    fake_slack.add_user("W0ONE", "one@org.test", "One", team="T0ONE")
    fake_slack.add_user("W0TWO", "two@org.test", "Two", team=["T0TWO", "T0ONE"])
    fake_slack.add_user("UOUT", "out@out.test", "Out", team="T0OUT")
    answer = _install(fake_slack, fake_slack.install_code(enterprise="E0ORG", installer="W0ONE"))
    assert answer["team"] is None and answer["enterprise"] == {"id": "E0ORG", "name": "Org"}
    assert answer["is_enterprise_install"] is True
    org = _client(fake_slack, answer["access_token"])
    who = org.auth_test()
    assert (who["team_id"], who["enterprise_id"], who["is_enterprise_install"]) == ("E0ORG", "E0ORG", True)
    assert org.chat_postMessage(channel="W0ONE", text="hi")["ok"] and org.chat_postMessage(channel="W0TWO", text="hi")["ok"]
    user = org.users_info(user="W0TWO")["user"]
    assert user["enterprise_user"]["enterprise_id"] == "E0ORG" and user["enterprise_user"]["teams"] == ["T0TWO", "T0ONE"]
    fake_slack.expect_refusals("channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        org.chat_postMessage(channel="UOUT", text="hi")
    # a workspace-level install inside the enterprise reaches its own workspace only
    one = _client(fake_slack, _install(fake_slack, fake_slack.install_code("T0ONE"))["access_token"])
    assert one.auth_test()["enterprise_id"] == "E0ORG" and one.auth_test()["team_id"] == "T0ONE"
    assert one.chat_postMessage(channel="W0TWO", text="hi")["ok"]  # W0TWO is in T0ONE too
    fake_slack.add_user("W0ONLYTWO", "only@org.test", "Only Two", team="T0TWO")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        one.chat_postMessage(channel="W0ONLYTWO", text="hi")


def test_a_revoked_token_answers_token_revoked_to_every_call(fake_slack):
    token = _install(fake_slack, fake_slack.install_code("T0AAA"))["access_token"]
    other = _install(fake_slack, fake_slack.install_code("T0BBB"))["access_token"]
    assert fake_slack.uninstall("T0AAA") == [token]
    fake_slack.expect_refusals("token_revoked")
    for call in (lambda: _client(fake_slack, token).auth_test(), lambda: _client(fake_slack, token).users_list()):
        with pytest.raises(SlackApiError, match="token_revoked"):
            call()
    assert _client(fake_slack, other).auth_test()["team_id"] == "T0BBB"
    assert [c.method for c in fake_slack.calls_with(token)] == ["auth.test", "users.list"]
    assert fake_slack.tokens_used("auth.test") == {token, other}
    assert [c.method for c in fake_slack.calls_for("T0BBB")] == ["auth.test"]


def test_rotating_tokens_expire_and_are_refreshed_with_the_refresh_token():
    clock = [1_000_000.0]
    with FakeSlack(now=lambda: clock[0]) as fake:
        first = _install(fake, fake.install_code("T0AAA", rotation=True))
        assert first["access_token"].startswith("xoxe.xoxb-") and first["expires_in"] == 43200
        assert _client(fake, first["access_token"]).auth_test()["ok"]
        clock[0] += 600
        refreshed = _client(fake).oauth_v2_access(
            client_id=fake.client_id, client_secret=fake.client_secret, grant_type="refresh_token",
            refresh_token=first["refresh_token"],
        )  # fmt: skip
        assert refreshed["access_token"] != first["access_token"] and refreshed["team"]["id"] == "T0AAA"
        assert refreshed["refresh_token"] != first["refresh_token"]
        with pytest.raises(SlackApiError, match="invalid_refresh_token"):  # a refresh token is spent once
            _client(fake).oauth_v2_access(
                client_id=fake.client_id, client_secret=fake.client_secret, grant_type="refresh_token",
                refresh_token=first["refresh_token"],
            )  # fmt: skip
        clock[0] += 43200 - 600
        with pytest.raises(SlackApiError, match="token_expired"):
            _client(fake, first["access_token"]).auth_test()
        assert _client(fake, refreshed["access_token"]).auth_test()["team_id"] == "T0AAA"


def test_the_default_token_is_the_default_workspaces(fake_slack):
    who = _client(fake_slack, "xoxb-test-token").auth_test()
    assert (who["team_id"], who["user_id"], who["bot_id"]) == ("T0TEST", "U0BOT", "B0BOT")
    assert fake_slack.calls("auth.test")[0].team == "T0TEST"
