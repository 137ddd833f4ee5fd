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
    assert services.tenancy.bot_user_id("T0AAA") == fake_slack.installation(install.token).bot_user_id
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
