"""Judging without loopholes, tried with only the buttons and modals the bot itself sends: a nominator cannot choose the
judges, a nomination too few can judge is passed on or escalated (never decided by whoever is left), what someone was
sent to judge is taken back once they may not read it, the panel channel is posted in only while it holds the panel
alone, names from Slack cannot ping anyone, long feedback never pushes out what's next, an empty digest is not posted.
The real Bolt app over HTTP, the fake Slack, time moved by the test. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from storage.models import Nomination, OutboxMessage
from storage.repositories import PeopleRepository
from tests.checkin_world import World, text_of
from tests.test_nominations import nominate, open_nominate, review_button, write_review
from tests.test_review_panels import (  # noqa: F401 - the fixtures, shared with the whole cycle's test
    PANEL_FROM,
    RATED,
    cli,
    decide,
    feedback,
    modals_of,
    press,
    refused,
    rows,
    score,
    world,
)

CYCLE = (
    "cycle", "create", "2026 H1", "--opens", "2026-03-16", "--reviews-due", "2026-03-27", "--panel-from", "2026-03-30",
    "--decisions", "2026-04-10",
)  # fmt: skip


def reviewed(world: World, reviewers: list[str]) -> None:
    world.drain()
    for reviewer in reviewers:
        assert write_review(world, reviewer)[0] == 200
    world.drain()


def ben_before_the_panel(world: World, cli, panel: str = "IC panel") -> None:
    """The IC panel (Pat in the chair; Chi, Dee, Eve) with its private channel; Ben nominated by Max, reviewed by Ana
    and Gus; the panel review open and its digest out."""
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE", "UEVE"])
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", panel, "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE", "--channel", "C0PANEL")[0] == 0
    nominate(world, "UMAX", "UBEN", ["UANA", "UGUS"])
    reviewed(world, ["UANA", "UGUS"])
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()


def mrkdwn_of(args: dict[str, Any]) -> list[str]:
    """Every argument of a Web API call that Slack renders as mrkdwn, where <!here> would ping: a message's text and its
    mrkdwn text objects, a file's initial comment and title."""
    found = [str(args[k]) for k in ("text", "initial_comment") if isinstance(args.get(k), str)]
    files = args.get("files")
    files = json.loads(files) if isinstance(files, str) else files or []
    found += [str(f.get("title", "")) for f in files if isinstance(f, dict)]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
                found.append(value["text"])
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(args.get("blocks"))
    return found


def private_digest(world: World, member: str) -> dict[str, Any] | None:
    return next((m for m in world.dms_to(member) if "Your review digest" in (m.get("text") or "")), None)


def test_panel_members_cannot_be_named_as_peer_reviewers(world, cli):
    """Naming panel members as reviewers would recuse them: a nominator could leave one friendly judge. Refused on the
    field, for the first reviewers and for a replacement alike."""
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE", "--scope", "track=ic")[0] == 0
    assert cli("panel", "create", "Everyone", "--chair", "UFAY", "--members", "UGUS,UADMIN")[0] == 0
    modal = open_nominate(world, "UMAX", "<@UBEN|ben>")
    assert world.submit("UMAX", modal, {})[1]["response_action"] == "update"
    page = world.shown(modal["id"])
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led it.", "Peer reviewers": ["UANA", "UCHI", "UGUS"]})
    assert answer["response_action"] == "errors", answer
    problem = answer["errors"]["reviewers"]
    assert "Chi Sydney and Gus Staff sit on the panel 'Everyone' and 'IC panel'" in problem, problem
    assert "which may judge this nomination or hear its appeal" in problem and "sit on no such panel" in problem
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led it.", "Peer reviewers": ["UANA", "UBEN", "UMAX"]})
    assert answer["response_action"] == "errors"  # the old checks stand
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led it.", "Peer reviewers": ["UANA", "UADMIN"]})
    assert answer["response_action"] == "errors" and "Ada Admin sits on the panel 'Everyone'" in answer["errors"]["reviewers"]
    world.slack.add_user("UZED", "uzed@example.com", "Zed Peer")
    PeopleRepository(world.services.engine).upsert(
        "T0TEST", "UZED", name="Zed Peer", email=None, track="ic", level="senior", manager_user_id="UADMIN"
    )
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led it.", "Peer reviewers": ["UANA", "UZED"]})
    assert answer["response_action"] == "update", answer
    world.drain()

    # Zed declines; Max may not name a panel member in Zed's place either
    message, _ = review_button(world, "UZED")
    world.ladder.slack.block_actions("UZED", "review_decline", message=message, channel_id="DUZED")
    assert world.submit("UZED", world.open_modal("UZED"), {"Why": "Not my area."})[0] == 200
    world.drain()
    told = world.last_dm("UMAX")
    world.ladder.slack.block_actions("UMAX", "review_replace", message=told, channel_id="DUMAX")
    replace = world.open_modal("UMAX")
    status, answer = world.submit("UMAX", replace, {"Reviewer": "UDEE"})
    assert answer["response_action"] == "errors" and "Dee Dublin sits on the panel 'IC panel'" in answer["errors"]["replacement"]


def test_a_nomination_too_few_can_judge_goes_to_the_next_panel_and_else_to_an_admin(world, cli):
    """The narrowest panel has three members, one of them the nominator: the nomination goes to the wider panel. When
    conflicts leave that one short too, nobody decides it: admins are told, and what the recused had is taken back."""
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "Senior panel", "--chair", "UPAT", "--members", "UCHI,UMAX", "--scope", "level=senior")[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UEVE", "--members", "UDEE,UFAY,UGUS", "--scope", "track=ic")[0] == 0
    world.slack.add_user("UZED", "uzed@example.com", "Zed Peer")
    PeopleRepository(world.services.engine).upsert(
        "T0TEST", "UZED", name="Zed Peer", email=None, track="ic", level="senior", manager_user_id="UADMIN"
    )
    nominate(world, "UMAX", "UBEN", ["UANA", "UZED"])  # Max nominates, so only Pat and Chi are free on the Senior panel
    reviewed(world, ["UANA", "UZED"])
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    [ben] = rows(world, Nomination)
    assert not any("Your review digest" in (m.get("text") or "") for u in ("UPAT", "UCHI") for m in world.dms_to(u))
    for judge in ("UEVE", "UDEE", "UFAY", "UGUS"):
        digest = private_digest(world, judge)
        assert digest is not None and "passed on by Senior panel" in text_of(digest["blocks"]), judge
        assert [f["name"] for f in world.slack.files_in(judge)] == [f"review-packet-{ben.id}.md"]

    # Eve and Dee declare conflicts: two left on each panel, fewer than the policy's three: it waits on the narrowest
    for member in ("UEVE", "UDEE"):
        digest = private_digest(world, member)
        assert digest is not None
        assert press(world, member, digest, "panel_conflict", f"D{member}")[0] == 200
    world.drain()
    for member in ("UEVE", "UDEE", "UFAY", "UGUS"):  # the wider panel no longer judges it: all four lose what they had
        assert world.slack.files_in(member) == [], f"the packet is taken back from {member}"
        assert private_digest(world, member) is None, "and the digest message, which held only this nomination"
    assert len(world.slack.calls("files.delete")) == 4 and len(world.slack.calls("chat.delete")) == 4
    before = len(modals_of(world, "UPAT"))
    world.ladder.slack.block_actions("UPAT", "panel_decide", value=f'{{"nomination":{ben.id}}}')
    assert len(modals_of(world, "UPAT")) == before and refused(world, "UPAT", "cannot be decided by fewer")
    assert cli("digest", "Senior panel")[0] == 0
    world.drain()
    told = [m for m in world.dms_to("UADMIN") if "no panel can decide" in (m.get("text") or "")]
    assert len(told) == 1 and "only 2 members of *Senior panel* can judge it" in text_of(told[0]["blocks"])
    assert "nominated them" not in text_of(told[0]["blocks"]), "an admin is not told who is recused, nor why"

    # an admin adds a member to the wider panel: it judges the nomination again, and its new member is sent the packet
    status, out, err = cli("panel", "edit", "IC panel", "--members", "UDEE,UFAY,UGUS,UADMIN")
    assert status == 0, err
    assert cli("digest", "IC panel")[0] == 0
    world.drain()
    assert [f["name"] for f in world.slack.files_in("UADMIN")] == [f"review-packet-{ben.id}.md"]
    for judge in ("UFAY", "UGUS", "UADMIN"):
        assert score(world, judge, "UBEN", "Meets", "Promote", via=private_digest(world, judge))[0] == 200


def test_the_panel_channel_is_posted_in_only_while_it_holds_the_panel_alone(world, cli):
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE", "UEVE", "UANA"])
    assert cli(*CYCLE)[0] == 0
    status, _, err = cli(
        "panel",
        "create",
        "IC panel",
        "--chair",
        "UPAT",
        "--members",
        "UCHI,UDEE,UEVE",
        "--channel",
        "C0PANEL",
        "--scope",
        "track=ic",
    )
    assert status == 0, err
    nominate(world, "UMAX", "UBEN", ["UANA", "UGUS"])
    reviewed(world, ["UANA", "UGUS"])
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    assert world.slack.messages("C0PANEL") == [], "Ana, in the channel but not on the panel, may not read the digest"
    failed = {m.key: m.error for m in rows(world, OutboxMessage) if m.status == "failed"}
    assert any("may not read the panel's digest (UANA)" in (e or "") for e in failed.values()), failed
    assert private_digest(world, "UPAT") is not None, "the judges still get theirs privately"
    status, out, _ = cli("outbox", "failed")
    assert "UANA" in out and "remove them from it" in out

    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE", "UEVE"])
    assert cli("digest", "IC panel")[0] == 0
    world.drain()
    assert len([m for m in world.slack.messages("C0PANEL") if not m.get("thread_ts")]) == 1
    members = world.slack.calls("conversations.members")
    assert members and all(c.args.get("channel") == "C0PANEL" for c in members), "asked of Slack before each post"


def test_an_empty_digest_is_not_posted(world, cli):
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE"])
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE", "--channel", "C0PANEL")[0] == 0
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    status, out, _ = cli("digest", "IC panel")
    assert status == 0 and "no nomination is before it in this cycle, so no digest was posted" in out
    world.drain()
    assert world.slack.messages("C0PANEL") == []
    assert not any("digest" in (m.get("text") or "").lower() for m in world.dms_to("UPAT"))
    status, body, _ = world.ladder.slack.slash_command("digest", user_id="UPAT")
    assert "nothing before it in this cycle, so nothing was posted" in body


def test_names_from_slack_ping_nobody_and_long_feedback_keeps_whats_next(world, cli):
    """A real name with <!here> in it is escaped in every argument Slack renders (message text, blocks, a file's title
    and comment); a decision with the longest feedback still shows every what's next and the appeal button."""
    people = PeopleRepository(world.services.engine)
    people.upsert("T0TEST", "UBEN", name="Ben <!here> York", email=None, track="ic", level="se2", manager_user_id="UMAX")
    ben_before_the_panel(world, cli, panel="IC <!channel> panel")
    rendered = [(c.method, text) for c in world.slack.calls() for text in mrkdwn_of(c.args)]
    assert rendered and not [r for r in rendered if "<!here>" in r[1] or "<!channel>" in r[1]]
    [completed] = world.slack.calls("files.completeUploadExternal")[:1]
    assert "&lt;!here&gt;" in str(completed.args)

    for judge in ("UPAT", "UCHI", "UDEE"):
        assert score(world, judge, "UBEN", "Partly", "Not yet")[0] == 200
    long = {f"{c}: feedback": ("Detailed feedback. " * 160)[:3000] for c in RATED}
    steps = {f"{c}: what's next": f"NEXT-{i}: " + ("Lead a cross-team effort. " * 110)[:2900] for i, c in enumerate(RATED)}
    _, status, answer = decide(world, "UPAT", "UBEN", {"Decision": "Not yet", **long, **steps, "Summary": "S" * 3000})
    assert status == 200 and answer["response_action"] == "update", answer
    assert cli("cycle", "publish", "2026 H1")[0] == 0
    world.drain()
    decision = world.last_dm("UBEN")
    shown = text_of(decision["blocks"])
    assert all(f"NEXT-{i}:" in shown for i in range(len(RATED))), "every what's next is in the nominee's message"
    assert any(e.get("action_id") == "panel_appeal" for b in decision["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert "Detailed feedback" in shown


def test_a_panel_that_judged_cannot_be_removed(world, cli):
    ben_before_the_panel(world, cli)
    assert score(world, "UCHI", "UBEN", "Meets", "Promote")[0] == 200
    status, _, err = cli("panel", "remove", "IC panel")
    assert status == 1 and "has 1 score or decisions on record" in err


def test_a_people_import_that_puts_a_judge_in_the_nominees_chain_takes_their_packet_back(world, cli, tmp_path, capsys):
    """Dee becomes Ben's manager: she is recused from his nomination at once, and what she was sent is taken back."""
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    assert [f["name"] for f in world.slack.files_in("UDEE")] == [f"review-packet-{ben.id}.md"]
    people = tmp_path / "people.csv"
    people.write_text("slack_id,manager\nUBEN,UDEE\n")  # no level column: levels stay as they are
    assert cli("people", "import", str(people))[0] == 0
    world.drain()
    assert world.slack.files_in("UDEE") == [] and private_digest(world, "UDEE") is None
    assert [f["name"] for f in world.slack.files_in("UCHI")] == [f"review-packet-{ben.id}.md"], "the others keep theirs"


@pytest.mark.parametrize(
    ("method", "where"),
    [
        ("chat.postMessage", lambda args: bool(args.get("thread_ts"))),  # a nomination's reply in the digest's thread
        ("chat.postMessage", lambda args: args.get("channel") == "C0PANEL" and not args.get("thread_ts")),  # the parent
        ("files.completeUploadExternal", lambda args: True),  # a judge's packet
    ],
    ids=["thread reply", "channel parent", "packet"],
)
def test_a_digest_message_whose_answer_was_lost_is_delivered_once(world, cli, method, where):
    """Slack carries the call out but its answer never arrives (the connection drops): the outbox looks in the
    conversation — the thread, for a reply — before sending again, so each message arrives once."""
    world.slack.break_next(method, "reset", when=where)
    ben_before_the_panel(world, cli)
    for _ in range(6):  # the sender retries after its backoff, as the clock would
        world.clock.advance(timedelta(minutes=2))
        world.drain()
    channel = world.slack.messages("C0PANEL")
    keys = [m.get("metadata", {}).get("event_payload", {}).get("key") for m in channel]
    assert len(keys) == len(set(keys)) == 2, keys  # the parent and Ben's reply, once each
    assert {m["thread_ts"] for m in channel if m.get("thread_ts")} == {next(m["ts"] for m in channel if not m.get("thread_ts"))}
    for judge in ("UPAT", "UCHI", "UDEE", "UEVE"):
        assert len(world.slack.files_in(judge)) == 1, judge
