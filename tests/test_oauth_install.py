"""Installing Ladder with "Add to Slack" (OAuth), through the running app over HTTP against the fake Slack, on SQLite
and PostgreSQL: the install pages, tokens stored, each workspace answered with its own token, an org-wide Enterprise
Grid install serving its workspaces, a workspace with no installation ignored, token rotation."""

from __future__ import annotations

import urllib.parse

import pytest
from sqlmodel import Session

from bot.admins import Admins
from bot.runtime.installations import BOT_SCOPES, NotInstalled
from storage.repositories.tenants import Tenants
from tests.app_server import CLIENT_ID, add_to_slack, browse
from tests.slack_scopes import manifest_bot_scopes


def test_the_install_link_asks_for_exactly_the_manifests_bot_scopes():
    assert set(BOT_SCOPES) == manifest_bot_scopes() and len(BOT_SCOPES) == len(set(BOT_SCOPES))


def test_add_to_slack_installs_a_workspace_and_makes_the_installer_its_admin(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", "Alpha & Co")
    install = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UALICE")
    assert install.install_page.status == 200 and "Add to Slack" in install.install_page.body
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(install.authorize_url).query)
    assert query["client_id"] == [CLIENT_ID] and set(query["scope"][0].split(",")) == manifest_bot_scopes()
    assert query["state"][0]
    page = install.redirect_page
    assert page.status == 200, page.body
    assert "Ladder is installed" in page.body and "Alpha &amp; Co" in page.body and "Alpha & Co" not in page.body
    assert install.token is not None
    # the code went to oauth.v2.access through SLACK_API_URL, then auth.test with the new token
    assert [c.method for c in fake_slack.calls()] == ["oauth.v2.access", "auth.test"]
    assert fake_slack.calls("auth.test")[0].token == install.token
    services = oauth_ladder.services
    with Session(services.engine) as session:
        tenant = Tenants(session).get("T0AAA")
        assert tenant is not None and tenant.status == "active" and tenant.installed_by == "UALICE" and not tenant.org_wide
        assert Tenants(session).workspaces("T0AAA") == ["T0AAA"]
        assert Admins(session).of("T0AAA") == {"UALICE"}
        assert Admins(session).of("T0BBB") == frozenset()
    assert services.tenancy.mode == "oauth" and services.tenancy.is_active("T0AAA")
    assert services.client_for("T0AAA").token == install.token
    assert services.directory_for("T0AAA").token == install.token
    assert services.tenancy.bot_for("T0AAA").bot_user_id == fake_slack.installation(install.token).bot_user_id
    assert not services.tenancy.is_active("T0BBB")
    with pytest.raises(NotInstalled):
        services.client_for("T0BBB")


def test_the_redirect_refuses_a_state_it_did_not_issue_or_a_browser_that_did_not_start(oauth_ladder, fake_slack):
    code = fake_slack.install_code("T0AAA")
    forged = browse(f"{oauth_ladder.url}/slack/oauth_redirect?code={code}&state=made-up")
    assert forged.status == 400 and "Ladder was not installed" in forged.body and "Traceback" not in forged.body
    cancelled = browse(f"{oauth_ladder.url}/slack/oauth_redirect?error=access_denied&state=x")
    assert "cancelled" in cancelled.body
    assert fake_slack.calls("oauth.v2.access") == []
    assert not oauth_ladder.services.tenancy.is_active("T0AAA")


def test_oauth_settings_are_bolts_variables_and_refused_in_one_line_when_they_conflict():
    from bot.runtime.settings import InvalidSetting, MissingSetting, Settings

    settings = Settings.from_env(
        {"SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "very-secret", "SLACK_SCOPES": "chat:write, commands"}
    )
    assert settings.oauth and settings.slack_scopes == ("chat:write", "commands") and settings.slack_redirect_uri is None
    assert "very-secret" not in repr(settings) and "slack_client_secret='set'" in repr(settings)
    assert not Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}).oauth
    with pytest.raises(MissingSetting, match="SLACK_CLIENT_SECRET"):
        Settings.from_env({"SLACK_CLIENT_ID": "123.456"})
    with pytest.raises(MissingSetting, match="SLACK_CLIENT_ID"):
        Settings.from_env({"SLACK_CLIENT_SECRET": "s"})
    with pytest.raises(InvalidSetting, match="not both"):
        Settings.from_env({"SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(InvalidSetting, match="SLACK_SCOPES"):
        Settings.from_env({"SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "s", "SLACK_SCOPES": "chat:write;drop"})


def test_slack_scopes_replaces_the_manifests_in_the_install_link(fake_slack, tmp_path):
    from tests.app_server import running_ladder

    with running_ladder(fake_slack.url, tmp_path, oauth=True, SLACK_SCOPES="chat:write,commands") as ladder:
        install = add_to_slack(ladder, fake_slack, "T0AAA", scopes=["chat:write", "commands"])
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(install.authorize_url).query)
    assert query["scope"] == ["chat:write,commands"] and install.redirect_page.status == 200


def test_single_workspace_mode_keeps_its_one_token_and_asks_no_installation(ladder, fake_slack):
    services = ladder.services
    assert services.tenancy.mode == "single" and services.tenancy.installation_store is None
    assert services.client_for("T0TEST").token == "xoxb-test-token" == services.directory_for("T0TEST").token
    assert services.client_for("T0TEST") is services.client_for("T0TEST")  # one client per token, kept
    assert services.directory_for("T0TEST") is services.directory_client
    assert browse(f"{ladder.url}/slack/install").status == 404  # no Add to Slack without a client id
    assert services.tenancy.bot_for("T0TEST").bot_user_id == "U0BOT"
