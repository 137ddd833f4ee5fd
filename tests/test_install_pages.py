"""The pages the installer's browser shows at the end of "Add to Slack" are rendered from Jinja2 templates
(messages/templates/pages, autoescaped) through messages/install_pages.py, the one escaping path for their prose: the
page the running app serves is exactly the template's, a workspace's hostile name shows as text, and bot/runtime/oauth.py
writes no HTML of its own. Through the running app over HTTP against the fake Slack; SQLite and PostgreSQL."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.runtime import oauth
from messages import install_pages
from tests.app_server import add_to_slack, browse

HOSTILE = '<script>alert("x")</script> & Co'


def test_the_installed_page_is_the_templates_and_escapes_the_workspaces_name(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", HOSTILE)
    page = add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UALICE").redirect_page
    assert page.status == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    link = "https://slack.com/app_redirect?app=" + page.body.split("app_redirect?app=", 1)[1].split('"', 1)[0]
    assert page.body == install_pages.installed(where=HOSTILE, tenant="T0AAA", link=link.replace("&amp;", "&"), first_admin=True)
    assert "<script>" not in page.body and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page.body
    assert "ladder people import --team T0AAA" in page.body and "/ladder admins add @person" in page.body


def test_the_not_installed_page_is_the_templates(oauth_ladder):
    page = browse(f"{oauth_ladder.url}/slack/oauth_redirect?error=access_denied&state=x")
    expected = install_pages.not_installed("Ladder was not installed", oauth.FAILURES["access_denied"], again=oauth.INSTALL_PATH)
    assert page.body == expected and 'href="/slack/install"' in page.body


def test_the_install_flow_writes_no_html_of_its_own():
    source = Path(oauth.__file__).read_text()
    strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if "<p>" in s or "<html" in s.lower() or "<li>" in s], "HTML belongs in the templates"


def test_the_install_pages_carry_security_headers(oauth_ladder, fake_slack):
    """Not to be framed, sniffed or to leak the code in the address to another site; styles inline, Slack's button."""
    fake_slack.add_team("T0AAA", "Alpha")
    pages = [
        browse(f"{oauth_ladder.url}/slack/install"),
        add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UALICE").redirect_page,
        browse(f"{oauth_ladder.url}/slack/oauth_redirect?error=access_denied&state=x"),
    ]
    for page in pages:
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy, page
        assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
