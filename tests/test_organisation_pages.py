"""Each organisation's pages are at an address only Ladder gives (#20, H11 review): with "Add to Slack", an answer's
link to a level goes to /ladder/<tenant>-<key>/… (the key from the signing secret), that address serves the
organisation's ladder, and the workspace id alone is the not-found page. An install that fails outside Bolt's own flow
shows the installer the install's HTML page, never JSON. Through the running app over HTTP; SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import text

from messages.pages import organisation_site
from tests.app_server import SIGNING_SECRET, add_to_slack, browse, running_ladder

PUBLIC = "https://ladder.example.com"


def test_an_answer_links_to_its_organisations_own_pages(fake_slack, tmp_path, database_url):
    overrides = {"LADDER_PAGES": "on", "LADDER_PUBLIC_URL": PUBLIC}
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, oauth=True, **overrides) as ladder:
        fake_slack.add_team("T0AAA", "Alpha")
        fake_slack.add_user("UA1", "a1@alpha.test", "Ann", team="T0AAA")
        add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1")
        status, body, _ = ladder.slack.slash_command("what does Staff mean", user_id="UA1", team_id="T0AAA")
        assert status == 200, body
        shown = body + str([call.args for call in fake_slack.calls()])
        links = set(re.findall(re.escape(PUBLIC) + r"(/ladder/[^|>\"\\]+)", shown))
        site = organisation_site("T0AAA", SIGNING_SECRET)
        assert links == {f"/ladder/{site}/staff"}, shown
        page = browse(ladder.url + links.pop())
        assert page.status == 200 and "Staff Engineer" in page.body
        assert browse(f"{ladder.url}/ladder/T0AAA/staff").status == 404  # the workspace id alone finds nothing


def test_an_install_that_fails_outside_bolts_flow_shows_the_installers_page(fake_slack, tmp_path, database_url):
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, oauth=True) as ladder:
        with ladder.services.engine.begin() as connection:
            connection.execute(text("DROP TABLE slack_oauth_states"))  # the database fails mid-install
        page = browse(f"{ladder.url}/slack/install")
        assert page.status == 500 and page.headers["content-type"].startswith("text/html"), page
        assert "Ladder was not installed" in page.body and "Add Ladder to Slack again" in page.body
        assert "Traceback" not in page.body and not page.body.lstrip().startswith("{")
