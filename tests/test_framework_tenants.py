"""A ladder per organisation over HTTP (#20, OAuth mode): two workspaces and an Enterprise Grid organisation installed
with Add to Slack in one running server; each asks "what does Staff mean?" and gets its own framework's answer; an
admin of a third publishes from a direct-message upload, downloaded with that workspace's own token. SQLite and
PostgreSQL."""

from __future__ import annotations

import json

from messages.ids import FrameworkIds
from storage.repositories.framework_versions import FrameworkVersions
from storage.unit_of_work import unit_of_work
from tests.app_server import EnterpriseSender, add_to_slack
from tests.checkin_world import text_of
from tests.test_framework_publishing import BAKERY, ROCKETS
from tests.test_oauth_workspaces import _until


def _answer(sent: tuple[int, str, dict[str, str]]) -> str:
    status, body, _ = sent
    assert status == 200, body
    reply = json.loads(body)
    return reply.get("text", "") + text_of(reply.get("blocks") or [])


def test_each_organisation_gets_answers_from_its_own_framework_in_one_server(oauth_ladder, fake_slack):
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_team("T0BBB", "Beta")
    fake_slack.add_team("T0CCC", "Gamma")
    fake_slack.add_enterprise("E0ORG", ["T0ONE"], name="Org")
    for user, team in (("UA1", "T0AAA"), ("UB1", "T0BBB"), ("UC1", "T0CCC"), ("W0ONE", "T0ONE")):
        fake_slack.add_user(user, f"{user.lower()}@example.test", f"Person {user}", team=team)
    ladder = oauth_ladder
    tokens = {
        "T0AAA": add_to_slack(ladder, fake_slack, "T0AAA", installer="UA1").token,
        "T0BBB": add_to_slack(ladder, fake_slack, "T0BBB", installer="UB1").token,
        "T0CCC": add_to_slack(ladder, fake_slack, "T0CCC", installer="UC1").token,
        "E0ORG": add_to_slack(ladder, fake_slack, enterprise="E0ORG", installer="W0ONE").token,
    }
    assert None not in tokens.values()
    with unit_of_work(ladder.services.engine) as work:
        versions = FrameworkVersions(work.session)
        versions.publish("T0AAA", ROCKETS, source="rockets.yaml", by="test", at=ladder.services.now())
        versions.publish("E0ORG", BAKERY, source="bakery.yaml", by="test", at=ladder.services.now())
    ladder.services.frameworks.forget()  # as the server's next poll would

    question = "what does Staff mean?"
    alpha = _answer(ladder.slack.slash_command(question, user_id="UA1", team_id="T0AAA"))
    org = _answer(EnterpriseSender(ladder, "E0ORG").slash_command(question, user_id="W0ONE", team_id="T0ONE"))
    beta = _answer(ladder.slack.slash_command(question, user_id="UB1", team_id="T0BBB"))
    assert "Decides which rockets the whole company builds." in alpha and "oven" not in alpha
    assert "Runs one oven on the night shift." in org and "rocket" not in org
    assert "rocket" not in beta and "oven" not in beta and "Staff" in beta  # published none: the default

    # an admin of Gamma (its installer) publishes from Slack: the file downloaded with Gamma's own token
    file = fake_slack.share_file("UC1", "rockets.yaml", ROCKETS)
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im", "channel": "DUC1", "user": "UC1", "text": "",
        "ts": "1700000000.000200", "files": [file],
    }  # fmt: skip
    assert ladder.slack.event(event, team_id="T0CCC")[0] == 200
    checked = _until(lambda: next((m for m in fake_slack.messages("DUC1") if "Publish" in str(m.get("blocks"))), None))
    assert fake_slack.downloads == [(file["id"], tokens["T0CCC"])]
    status, body, _ = ladder.slack.block_actions("UC1", FrameworkIds.PUBLISH, message=checked, channel_id="DUC1", team_id="T0CCC")
    assert status == 200, body
    _until(lambda: any("Published as version 1" in str(m) for m in fake_slack.messages("DUC1")))
    gamma = _answer(ladder.slack.slash_command(question, user_id="UC1", team_id="T0CCC"))
    assert "Decides which rockets the whole company builds." in gamma
    with unit_of_work(ladder.services.engine, reads_only=True) as work:
        assert FrameworkVersions(work.session).latest_numbers() == {"T0AAA": 1, "E0ORG": 1, "T0CCC": 1}
    assert fake_slack.crossed_calls() == []  # no token reached another workspace
