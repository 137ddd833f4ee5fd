"""An admin publishes the organisation's framework from Slack (#20): a framework file uploaded to Ladder in a direct
message is checked, the result comes back with Publish and Cancel, Publish makes it the version in force (once,
however often it is pressed) and the message says which version. A non-admin is refused; a file too large, garbage or
a spreadsheet is refused in one line and nothing is published. The real app over HTTP, the fake Slack; SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from messages.ids import FrameworkIds
from storage.repositories.framework_versions import FrameworkVersions
from storage.repositories.outbox import Outbox
from storage.unit_of_work import unit_of_work
from tests.checkin_world import World, organisation, text_of
from tests.test_framework_publishing import ROCKETS

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
TEAM = "T0TEST"


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        yield world


def upload(world: World, user: str, name: str, content: bytes | str) -> dict:
    """``user`` shares a file in their direct messages with Ladder; the outbox sends what comes of it."""
    file = world.slack.share_file(user, name, content)
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im", "channel": f"D{user}", "user": user,
        "text": "", "ts": f"{1_700_000_000 + len(world.slack.downloads)}.000100", "files": [file],
    }  # fmt: skip
    status, body, _ = world.ladder.slack.event(event, team_id=TEAM)
    assert status == 200, body
    world.drain()
    return world.last_dm(user)


def versions(world: World) -> dict[str, int]:
    with unit_of_work(world.services.engine, reads_only=True) as work:
        return FrameworkVersions(work.session).latest_numbers()


def press(world: World, user: str, message: dict, action: str) -> dict:
    status, body, _ = world.ladder.slack.block_actions(user, action, message=message, channel_id=f"D{user}")
    assert status == 200, body
    world.drain()
    return next(m for m in world.dms_to(user) if m["ts"] == message["ts"])  # replaced in place


def ask(world: World, question: str) -> str:
    reply = world.services.careers.ask(question, team_id=TEAM, user_id="UADMIN")
    return world.services.renderer.terminal(reply.template, **reply.context)


def test_an_admin_uploads_checks_and_publishes_a_framework_in_slack(world):
    checked = upload(world, "UADMIN", "rockets.yaml", ROCKETS)
    shown = text_of(checked["blocks"])
    assert "rockets.yaml" in shown and "Rockets ladder, version 2027.1" in shown and "the default framework" in shown
    assert "What changes" in shown  # against the default in force
    assert versions(world) == {}  # checked, not published
    assert world.slack.downloads and world.slack.downloads[0][1] == "xoxb-test-token"

    done = press(world, "UADMIN", checked, FrameworkIds.PUBLISH)
    assert "Published as version 1" in text_of(done["blocks"]) and not any(b["type"] == "actions" for b in done["blocks"])
    assert versions(world) == {TEAM: 1}
    assert "Decides which rockets the whole company builds." in ask(world, "what does Staff mean?")  # at once here

    again = press(world, "UADMIN", checked, FrameworkIds.PUBLISH)  # a double click (the old message, pressed again)
    assert "Published as version 1" in text_of(again["blocks"]) and versions(world) == {TEAM: 1}

    changed = upload(world, "UADMIN", "rockets2.yaml", ROCKETS.replace("2027.1", "2027.2").replace("with help", "alone"))
    shown = text_of(changed["blocks"])
    assert "published version 1" in shown and "Engineer" in shown  # what changes against the version in force
    cancelled = press(world, "UADMIN", changed, FrameworkIds.CANCEL)
    assert "was not published" in text_of(cancelled["blocks"]) and versions(world) == {TEAM: 1}


def test_a_non_admin_is_refused_and_nothing_is_downloaded(world):
    refused = upload(world, "UANA", "rockets.yaml", ROCKETS)
    assert "Only a Ladder admin can publish" in text_of(refused["blocks"])
    assert world.slack.downloads == [] and versions(world) == {}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("garbage.yaml", b"\x00\xff\xfe\x00 not text", "not UTF-8 text"),
        ("broken.yaml", "name: [unclosed\n", "not valid YAML"),
        ("huge.yaml", "name: x\n" + "#" * (4 * 1024 * 1024), "larger than 4 MB"),
        ("ladder.xlsx", b"PK\x03\x04 a workbook", "ladder framework import ladder.xlsx"),
        ("<!channel>.yaml", "- a list\n", "&lt;!channel&gt;"),
    ],
)
def test_a_file_that_is_no_framework_is_refused_with_a_clear_line(world, name, content, says):
    refused = upload(world, "UADMIN", name, content)
    shown = text_of(refused["blocks"])
    assert says in shown and not any(b["type"] == "actions" for b in refused["blocks"]), shown
    assert "<!channel>" not in str(refused)  # the uploader's text is escaped
    assert versions(world) == {}


def test_the_request_only_writes_the_outbox_row_and_the_sender_downloads_and_checks(world):
    """Slack gives the request three seconds: it downloads nothing; the check's message comes from the outbox."""
    file = world.slack.share_file("UADMIN", "rockets.yaml", ROCKETS)
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im", "channel": "DUADMIN", "user": "UADMIN",
        "text": "", "ts": "1700000000.000100", "files": [file],
    }  # fmt: skip
    status, body, _ = world.ladder.slack.event(event, team_id=TEAM, event_id="Ev0UPLOAD")
    assert status == 200, body
    status, body, _ = world.ladder.slack.event(event, team_id=TEAM, event_id="Ev0UPLOAD", retry_num=1, retry_reason="timeout")
    assert status == 200, body
    assert world.slack.downloads == [] and world.dms_to("UADMIN") == []  # nothing downloaded in the request
    with unit_of_work(world.services.engine, reads_only=True) as work:
        assert Outbox(work.session).counts(TEAM) == {"pending": 1}  # one row, however often Slack delivers it
        row = Outbox(work.session).by_key(TEAM, "framework-upload:Ev0UPLOAD")
        assert row is not None and row.purpose == "framework_uploaded"
    world.drain()
    assert len(world.slack.downloads) == 1 and "Publish" in str(world.last_dm("UADMIN")["blocks"])


def test_publish_publishes_what_was_checked_even_if_the_file_changed_since(world):
    checked = upload(world, "UADMIN", "rockets.yaml", ROCKETS)
    downloads = len(world.slack.downloads)
    file_id = next(iter(world.slack.shared_files))
    world.slack.shared_files[file_id] = ROCKETS.replace("2027.1", "2099.9").encode()
    done = press(world, "UADMIN", checked, FrameworkIds.PUBLISH)
    assert "Published as version 1" in text_of(done["blocks"]) and "2027.1" in text_of(done["blocks"])
    assert len(world.slack.downloads) == downloads  # Publish downloads nothing: it publishes the text checked
    with unit_of_work(world.services.engine, reads_only=True) as work:
        published = FrameworkVersions(work.session).latest(TEAM)
        assert published is not None and published.text == ROCKETS and "2099.9" not in published.text


def test_publish_with_a_digest_that_was_not_checked_publishes_nothing(world):
    checked = upload(world, "UADMIN", "rockets.yaml", ROCKETS)
    forged = json.loads(json.dumps(checked))
    for block in forged["blocks"]:
        for element in block.get("elements") or ():
            if element.get("action_id") == FrameworkIds.PUBLISH:
                element["value"] = element["value"].replace('"digest":"', '"digest":"0')
    done = press(world, "UADMIN", forged, FrameworkIds.PUBLISH)
    assert "upload it again" in text_of(done["blocks"]) and versions(world) == {}
