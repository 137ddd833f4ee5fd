"""A person's own data: the App Home's "My data" button uploads one JSON file into their conversation with Ladder
(through the outbox, one file however often they press), and `ladder person export` prints the same. What the
confidentiality policy keeps from them is counted, with the reason, never shown. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from typing import Any

import pytest

from bot.cli import common, main
from tests.checkin_world import World, organisation
from tests.concurrency import at_once
from tests.person_history import EMAIL, KEPT, NAME, PRIVATE, SUBJECT, TEAM, seed_history
from tests.test_growth_and_home import check_in
from tests.test_nominations import MONDAY


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    fake_slack.add_user(SUBJECT, EMAIL, NAME, tz="Europe/London")
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        seed_history(world.services.engine)
        yield world


def press_my_data(world: World, user: str) -> None:
    home = world.home(user)
    status, body, _ = world.ladder.slack.block_actions(user, "home_my_data", view=home)
    assert status == 200, body


def files_of(world: World, user: str) -> list[dict[str, Any]]:
    return [f for f in world.slack.files_in(user) if f["name"].startswith("ladder-my-data-")]


def test_my_data_uploads_one_file_of_what_the_person_may_read_and_counts_the_rest(world):
    press_my_data(world, SUBJECT)
    press_my_data(world, SUBJECT)  # a double click
    world.drain()

    files = files_of(world, SUBJECT)
    assert len(files) == 1 and files[0]["name"].endswith(".json")
    assert all(f["shared_in"] == [f"D{SUBJECT}"] for f in world.slack.files.values()), "their own conversation alone"
    content = files[0]["content"]
    text = content.decode() if isinstance(content, bytes) else content
    data = json.loads(text)

    assert data["about"]["user_id"] == SUBJECT and data["person"]["name"] == NAME
    assert len(data["checkins"]) == 12 and PRIVATE in data["checkins"][0]["went_well"]
    assert data["checkin_draft"]["answers"]["went_well"].startswith(PRIVATE)
    assert data["groups"] == {"your_answers": {"gender": "woman"}, "from_hr": {"location": "remote"}}
    assert [e["note"] for e in data["evidence"]["about_you"]] == [f"Great work by {NAME}", f"{PRIVATE} my own win"]
    assert [e["note"] for e in data["evidence"]["logged_by_you_about_others"]] == [f"{KEPT} evidence for a report"]
    mine = [n for n in data["nominations"] if n["you_are"] == "nominee"]
    assert len(mine) == 2 and "case" not in mine[0]
    assert mine[0]["decision"]["outcome"] == "not_yet" and mine[0]["decision"]["next_steps"]
    assert "decided_by" not in mine[0]["decision"] and mine[0]["appeal"]["reason"] == f"{PRIVATE} my appeal"
    made = [n for n in data["nominations"] if n["you_are"] == "nominator"]
    assert [n["stage"] for n in made] == ["published", "collecting", "draft"] and "reviewers_asked" in made[0]
    assert KEPT in made[0]["case"]["technical_depth"] and PRIVATE in made[2]["case"]["technical_depth"]
    assert all(KEPT in r["comment"] for r in data["reviews_you_wrote"])
    assert data["level_history"][0]["to_level"] == "senior" and data["roles"][0]["role"] == "admin"
    assert {p["name"]: p["chair"] for p in data["panels"]} == {"IC panel": False, "Appeals": True}
    withheld = {w["kind"]: w for w in data["withheld"]}
    assert withheld["peer reviews of you"]["count"] == 2 and "read_review" in withheld["peer reviews of you"]["reason"]
    assert withheld["review panel scores of you"]["count"] == 1
    assert withheld["the case your nominator wrote for you"]["count"] == 2
    # what others wrote about them, and others' own check-ins shared with them, are not in it
    for secret in ("strong", "needs scope", "Case for", "Paired with"):
        assert secret not in text, secret

    world.clock.advance(timedelta(minutes=2))
    press_my_data(world, SUBJECT)
    world.drain()
    assert len(files_of(world, SUBJECT)) == 2, "a later press is a fresh export"


def test_the_command_line_prints_the_same_export(world, monkeypatch, capsys):
    press_my_data(world, SUBJECT)
    world.drain()
    uploaded = json.loads(files_of(world, SUBJECT)[0]["content"])
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    load = common.load_services
    monkeypatch.setattr(common, "load_services", lambda: dataclasses.replace(load(), now=world.clock))
    capsys.readouterr()

    status = main(["person", "export", SUBJECT, "--team", TEAM])

    out, err = capsys.readouterr()
    assert status == 0, err
    printed = json.loads(out)
    assert printed == uploaded


def test_two_presses_at_the_same_instant_send_one_file(world):
    home = world.home(SUBJECT)

    def press() -> int:
        return world.ladder.slack.block_actions(SUBJECT, "home_my_data", view=home)[0]

    assert at_once(press, press) == [200, 200]
    world.drain()
    assert len(files_of(world, SUBJECT)) == 1


def test_someone_else_pressing_my_data_gets_their_own_and_nothing_of_the_subject(world):
    press_my_data(world, "UPAT")
    world.drain()

    [upload] = files_of(world, "UPAT")
    data = json.loads(upload["content"])
    assert data["person"]["name"] == "Pat Principal" and data["checkins"] == [] and data["nominations"] == []
    assert [w["kind"] for w in data["withheld"]] == ["messages Ladder sent or will send you"]  # this one
    assert SUBJECT not in upload["content"] and NAME not in upload["content"] and files_of(world, SUBJECT) == []


def test_after_an_erasure_in_slack_the_manager_home_and_the_outbox_carry_on(world, monkeypatch, capsys):
    """Ana checks in through Slack and shares it with Max; she is erased; Max's Home no longer shows her check-in,
    nothing more goes to her, and what was queued about her is gone."""
    check_in(world, "UANA", {"Technical depth": "Partly"}, share=True, **{"Your goals": "ANA-PRIVATE-WORDS"})
    world.drain()
    before = json.dumps(world.home("UMAX"))
    assert "ANA-PRIVATE-WORDS" in before and "<@UANA>" in before
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    capsys.readouterr()

    assert main(["person", "erase", "UANA", "--team", TEAM]) == 0

    home = json.dumps(world.home("UMAX"))
    assert "ANA-PRIVATE-WORDS" not in home and "UANA" not in home and "Ana London" not in home
    press_my_data(world, "UANA")  # she is still in Slack: what she does next starts a new record
    world.tick()
    world.drain()
    [upload] = files_of(world, "UANA")
    assert "ANA-PRIVATE-WORDS" not in upload["content"] and json.loads(upload["content"])["person"] is None
