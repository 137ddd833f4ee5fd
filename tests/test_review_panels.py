"""A whole promotion cycle run by a review panel in Slack, as its people would: the cycle and panels set up on the
command line, nominations and peer reviews, the digest (channel, thread, private digests, packets), recusal,
independent scoring, the chair's decision, publication, the level change, an appeal, the audit trail and the
cycle report — and each refusal. The real Bolt app over HTTP, the fake Slack, time moved by the test.
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.cli import common, main
from storage.models import LevelChange, Nomination, PanelDecision, PanelScore, Person
from storage.repositories import PeopleRepository
from tests.app_server import BOT_TOKEN
from tests.checkin_world import World, organisation, text_of
from tests.test_nominations import MONDAY, SECRET, nominate, write_review

CASE_SECRET = "SECRET-case-evidence"
EXTRA = {
    # user: (name, timezone, level, manager)
    "UDEE": ("Dee Dublin", "Europe/Dublin", "staff", "UADMIN"),
    "UEVE": ("Eve Paris", "Europe/Paris", "principal", "UADMIN"),
    "UFAY": ("Fay Director", "Europe/London", "director", None),
    "UGUS": ("Gus Staff", "Europe/London", "staff", "UFAY"),
    "UHAL": ("Hal Peer", "Europe/London", "senior", "UADMIN"),
}
RATED = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")
PANEL_FROM, DECISIONS = datetime(2026, 3, 30, 9, tzinfo=UTC), datetime(2026, 4, 10, 9, tzinfo=UTC)


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    for user_id, (name, tz, _level, _manager) in EXTRA.items():
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", name, tz=tz)
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        people = PeopleRepository(world.services.engine)
        for user_id, (name, _tz, level, manager) in EXTRA.items():
            track = "management" if level == "director" else "ic"
            people.upsert("T0TEST", user_id, name=name, email=None, track=track, level=level, manager_user_id=manager)
        world.tick()
        yield world


@pytest.fixture
def cli(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.setenv("LADDER_ADMINS", "UADMIN")  # they administer the token's workspace: the command line asks Slack
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", world.slack.url)
    load = common.load_services  # the test's time, for commands and what they do afterwards
    monkeypatch.setattr(common, "load_services", lambda: dataclasses.replace(load(), now=world.clock))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main([*argv, "--team", "T0TEST"])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def rows(world: World, model: type) -> list:
    with Session(world.services.engine) as session:
        return list(session.exec(select(model)))


def press(world: World, user: str, message: dict, prefix: str, channel: str) -> tuple[int, str]:
    button = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"].startswith(prefix)
    )
    status, body, _ = world.ladder.slack.block_actions(user, button["action_id"], message=message, channel_id=channel)
    return status, body


def thread_reply(world: World, nominee: str) -> dict:
    return next(m for m in world.slack.messages("C0PANEL") if m.get("thread_ts") and f"<@{nominee}>" in text_of(m["blocks"]))


def modals_of(world: World, user: str) -> list[dict]:
    return world.slack.open_views(user)


def score(
    world: World, user: str, nominee: str, rating: str, recommendation: str, via: dict | None = None, **extra: Any
) -> tuple[int, Any]:
    """Score from the panel channel's thread, or ``via`` a message in the person's own conversation (their digest)."""
    before = len(modals_of(world, user))
    if via is None:
        status, _ = press(world, user, thread_reply(world, nominee), "panel_score", "C0PANEL")
    else:
        status, _ = press(world, user, via, "panel_score", f"D{user}")
    assert status == 200 and len(modals_of(world, user)) == before + 1, "no score modal opened"
    modal = world.open_modal(user)
    answers = {
        **{label: rating for label in RATED},
        "Your recommendation": recommendation,
        "Why": "Consistent evidence.",
        **extra,
    }
    return world.submit(user, modal, answers)


def decide(world: World, chair: str, nominee: str, answers: dict[str, Any]) -> tuple[dict, int, Any]:
    status, _ = press(world, chair, thread_reply(world, nominee), "panel_decide", "C0PANEL")
    assert status == 200
    modal = world.open_modal(chair)
    status, answer = world.submit(chair, modal, answers)
    return modal, status, answer


def refused(world: World, user: str, words: str) -> bool:
    world.drain()  # what the error handler says goes out after the request's answer
    return any(words in (m.get("text") or "") for m in world.dms_to(user))


def feedback(outcome: str, *, next_steps: bool = True) -> dict[str, str]:
    answers = {"Decision": outcome, **{f"{c}: feedback": f"Panel feedback on {c}." for c in RATED}}
    if next_steps:
        answers |= {f"{c}: what's next": f"Lead one cross-team effort in {c}." for c in RATED}
    return answers


PANEL = ("UPAT", "UCHI", "UDEE", "UEVE", "UMAX")


def read_scores(world: World, user: str, view: dict) -> dict:
    """Press "Read the scores" in a modal (the score just saved, or the packet): the scores the modal then shows."""
    status, body, _ = world.ladder.slack.block_actions(user, "panel_scores", view=view)
    assert status == 200, body
    return world.shown(view["id"])


def up_to_the_decisions(world: World, cli) -> None:
    """Cycle and panels set up; Ben (se2) and Gus (staff) nominated and reviewed; the digest out."""
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=list(PANEL))
    status, _, err = cli(
        "cycle", "create", "2026 H1", "--opens", "2026-03-16", "--reviews-due", "2026-03-27", "--panel-from", "2026-03-30",
        "--decisions", "2026-04-10", "--appeal-days", "5",
    )  # fmt: skip
    assert status == 0, err
    status, out, err = cli(
        "panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE,UMAX", "--channel", "C0PANEL",
        "--scope", "track=ic",
    )  # fmt: skip
    assert status == 0 and "5 members" in out, err
    status, _, err = cli("panel", "create", "Appeals", "--chair", "UFAY", "--members", "UGUS,UADMIN,UMAX", "--appeal")
    assert status == 0, err

    # Max sits on the appeal panel and nominates Ben: he will not hear Ben's appeal
    nominate(world, "UMAX", "UBEN", ["UANA", "UHAL"], **{"Technical depth": CASE_SECRET})
    nominate(world, "UFAY", "UGUS", ["UANA", "UBEN"], **{"Technical depth": "Ran the platform team's migration."})
    world.drain()
    for reviewer in ("UANA", "UHAL", "UBEN"):
        assert write_review(world, reviewer, comment=SECRET)[0] == 200
    message = next(
        m for m in world.dms_to("UANA") if "Write review" in text_of(m["blocks"]) and "<@UBEN>" in text_of(m["blocks"])
    )
    world.ladder.slack.block_actions("UANA", "review_write", message=message, channel_id="DUANA")  # Ben's, asked first
    assert (
        world.submit("UANA", world.open_modal("UANA"), {**{r: "Exceeds" for r in RATED}, "Overall recommendation": "Support"})[0]
        == 200
    )
    world.drain()
    assert {n.nominee: n.stage for n in rows(world, Nomination)} == {"UBEN": "ready", "UGUS": "ready"}

    world.clock.set(PANEL_FROM)  # the panel review opens: the digest goes out on its own
    world.tick()
    world.drain()


def test_a_panel_runs_a_whole_cycle_in_slack(world, cli):
    up_to_the_decisions(world, cli)
    [ben, gus] = sorted(rows(world, Nomination), key=lambda n: n.nominee)

    # -- the digest: the channel's parent, one thread reply per nomination, nothing confidential in the channel
    channel = world.slack.messages("C0PANEL")
    parents = [m for m in channel if not m.get("thread_ts")]
    assert len(parents) == 1 and "*2* nominations before the panel" in text_of(parents[0]["blocks"])
    replies = [m for m in channel if m.get("thread_ts") == parents[0]["ts"]]
    assert len(replies) == 2 and not any(m.get("files") for m in channel), "packets never go to a channel"
    ben_entry = text_of(thread_reply(world, "UBEN")["blocks"])
    assert "Software Engineer II" in ben_entry and "Senior" in ben_entry
    assert "Chair: <@UPAT>" in ben_entry
    assert "2 of 2" not in ben_entry and "recused" not in ben_entry, "how reviews went and who is recused: judges only"
    channel_text = str(channel)
    for never in (
        SECRET,
        CASE_SECRET,
        "Exceeds",
        "nominated them",
        "asked to review",
        "management chain",
        "declared a",
        "<@UMAX>",
    ):
        assert never not in channel_text, f"the channel, read by recused members too, says {never!r}"
    # packets: each nomination's reaches each member who judges it, privately, with who is recused and why
    for judge in ("UPAT", "UCHI", "UDEE", "UEVE"):
        files = {f["name"]: f for f in world.slack.files_in(judge)}
        assert set(files) == {f"review-packet-{ben.id}.md", f"review-packet-{gus.id}.md"}
        packet = files[f"review-packet-{ben.id}.md"]["content"]
        assert SECRET in packet and CASE_SECRET in packet and "Max Manager nominated them" in packet
        assert "version" in packet or "fingerprint" in packet  # cites the framework edition
        private = next(m for m in world.dms_to(judge) if "Your review digest" in (m.get("text") or ""))
        assert "Exceeds 1" in text_of(private["blocks"]) and "<@UMAX> nominated them" in text_of(private["blocks"])
    assert [f["name"] for f in world.slack.files_in("UMAX")] == [f"review-packet-{gus.id}.md"]  # recused from Ben's alone
    assert not any(CASE_SECRET in str(m) for m in world.dms_to("UMAX"))

    # -- recused and outsiders are refused: no modal opens, the person is told why
    for user, prefix in (("UMAX", "panel_score"), ("UMAX", "panel_packet"), ("UANA", "panel_packet")):
        before = len(modals_of(world, user))
        assert press(world, user, thread_reply(world, "UBEN"), prefix, "C0PANEL")[0] == 200
        assert len(modals_of(world, user)) == before
    assert refused(world, "UMAX", "not recused") and refused(world, "UANA", "can read its packet")

    # -- independent scoring: nobody sees the others' scores before their own is in, and reading them seals one's own
    press(world, "UDEE", thread_reply(world, "UBEN"), "panel_packet", "C0PANEL")
    assert "once your own is in" in text_of(world.open_modal("UDEE")["blocks"])
    status, answer = score(
        world, "UDEE", "UBEN", "Meets", "Not yet",
        **{"Unclear or inconsistent criteria": ["Strategic influence"], "What is unclear": "Org-wide influence is undefined for Senior."},
    )  # fmt: skip
    assert status == 200 and answer["response_action"] == "update", answer
    saved = world.open_modal("UDEE")
    assert "Meets" not in text_of(saved["blocks"]) and "seals your own score" in text_of(saved["blocks"])
    assert "1 of 4 members" in text_of(read_scores(world, "UDEE", saved)["blocks"])
    before = len(modals_of(world, "UDEE"))
    press(world, "UDEE", thread_reply(world, "UBEN"), "panel_score", "C0PANEL")  # to edit it to match the others': no
    assert len(modals_of(world, "UDEE")) == before and refused(world, "UDEE", "your score is sealed")
    status, answer = score(world, "UEVE", "UBEN", "Partly", "Not yet")
    assert status == 200
    status, answer = score(world, "UEVE", "UBEN", "Meets", "Not yet")  # changed before reading the others': allowed
    assert status == 200
    shown = text_of(read_scores(world, "UEVE", world.open_modal("UEVE"))["blocks"])
    assert "2 of 4 members" in shown and "Meets 2" in shown
    # the chair scores too, and decides only once the policy's three scores are in
    press(world, "UPAT", thread_reply(world, "UBEN"), "panel_decide", "C0PANEL")
    assert refused(world, "UPAT", "Score it yourself first")
    assert score(world, "UPAT", "UGUS", "Exceeds", "Promote")[0] == 200
    assert score(world, "UDEE", "UGUS", "Exceeds", "Promote")[0] == 200
    before = len(modals_of(world, "UPAT"))
    press(world, "UPAT", thread_reply(world, "UGUS"), "panel_decide", "C0PANEL")
    assert len(modals_of(world, "UPAT")) == before and refused(world, "UPAT", "a decision needs at least 3 scores")
    assert score(world, "UCHI", "UGUS", "Meets", "Promote")[0] == 200
    assert score(world, "UPAT", "UBEN", "Exceeds", "Promote")[0] == 200

    # -- only the chair decides; a 'not yet' needs what's next for every competency; once only
    before = len(modals_of(world, "UDEE"))
    press(world, "UDEE", thread_reply(world, "UBEN"), "panel_decide", "C0PANEL")
    assert len(modals_of(world, "UDEE")) == before and refused(world, "UDEE", "Only the chair")
    modal, status, answer = decide(world, "UPAT", "UBEN", feedback("Not yet", next_steps=False))
    assert status == 200 and answer["response_action"] == "errors", answer
    assert any("what's next" in text for text in answer["errors"].values())
    assert "Most disagreement" in text_of(modal["blocks"])  # the spread, and where members disagree
    status, answer = world.submit("UPAT", modal, feedback("Not yet"))
    assert status == 200 and answer["response_action"] == "update", answer
    status, body, _ = world.ladder.slack.view_submission("UPAT", modal, {})  # Slack delivers it again
    assert status == 200
    assert len(rows(world, PanelDecision)) == 1
    before = len(modals_of(world, "UEVE"))
    press(world, "UEVE", thread_reply(world, "UBEN"), "panel_score", "C0PANEL")  # scores are immutable after the decision
    assert len(modals_of(world, "UEVE")) == before and refused(world, "UEVE", "can no longer change")
    assert {s.panelist: s.recommendation for s in rows(world, PanelScore) if s.nomination_id == ben.id}["UDEE"] == "not_yet"
    _, status, answer = decide(world, "UPAT", "UGUS", {**feedback("Promote", next_steps=False), "Effective date": "2026-04-13"})
    assert status == 200 and answer["response_action"] == "update", answer
    # a decided nomination can no longer be withdrawn, even with a forged button
    status, body, _ = world.ladder.slack.block_actions(
        "UMAX", f"nomination_withdraw:{ben.id}", value=f'{{"nomination":{ben.id}}}'
    )
    assert status == 200 and refused(world, "UMAX", "can no longer be withdrawn")
    assert next(n for n in rows(world, Nomination) if n.id == ben.id).stage == "decided"

    # -- decisions published on their day: the nominee first, privately, with the feedback; then the others
    world.clock.set(DECISIONS)
    world.tick()
    decision = world.last_dm("UBEN")
    assert "not yet" in text_of(decision["blocks"]) and "Panel feedback on Technical depth" in text_of(decision["blocks"])
    assert "Lead one cross-team effort" in text_of(decision["blocks"]) and "appeal until" in text_of(decision["blocks"])
    assert "Panel feedback on Technical depth" in text_of(world.last_dm("UMAX")["blocks"])  # Ben's manager (and nominator)
    assert not any("Thank you for your review" in (m.get("text") or "") for m in world.dms_to("UANA"))  # not before the nominee
    assert "promoted you to" in text_of(world.last_dm("UGUS")["blocks"])
    home = text_of(world.home("UBEN")["blocks"])  # a 'not yet' is a plan: what's next is in their growth plan
    assert "What's next, from the review panel" in home and "Lead one cross-team effort in Technical depth" in home
    world.clock.advance(timedelta(minutes=2))
    world.tick()
    thanks = [m for m in world.dms_to("UANA") if "Thank you for your review" in (m.get("text") or "")]
    assert len(thanks) == 2 and "not yet" not in str(thanks) and "promoted" not in str(thanks)

    # -- the level changes on its effective date; the history keeps the old level
    assert next(p for p in rows(world, Person) if p.user_id == "UGUS").level == "staff"
    world.clock.set(datetime(2026, 4, 13, 9, tzinfo=UTC))
    world.tick()
    gus_now = next(p for p in rows(world, Person) if p.user_id == "UGUS")
    assert (gus_now.level, gus_now.level_since) == ("principal", date(2026, 4, 13))
    [change] = rows(world, LevelChange)
    assert (change.from_level, change.to_level, change.applied_at is not None) == ("staff", "principal", True)

    # -- an appeal: only the nominee, from the decision message; heard by someone free to hear it; final
    before = len(modals_of(world, "UANA"))
    press(world, "UANA", decision, "panel_appeal", "DUBEN")
    assert len(modals_of(world, "UANA")) == before and refused(world, "UANA", "Only the person nominated")
    press(world, "UBEN", decision, "panel_appeal", "DUBEN")
    status, answer = world.submit(
        "UBEN", world.open_modal("UBEN"), {"Why are you appealing?": "My migration work was not weighed."}
    )
    assert status == 200 and answer["response_action"] == "update", answer
    world.drain()
    hearing = world.last_dm("UFAY")  # the appeal panel's chair; Max, who nominated Ben, hears nothing
    assert "appealed" in text_of(hearing["blocks"])
    assert not any("appealed" in text_of(m.get("blocks") or []) for m in world.dms_to("UMAX"))
    press(world, "UMAX", hearing, "panel_packet", "DUMAX")
    assert refused(world, "UMAX", "can read its packet")
    # the chair has a conflict: the next free member of the appeal panel hears it, and is told
    press(world, "UFAY", hearing, "panel_conflict", "DUFAY")
    world.drain()
    hearing = next(m for m in reversed(world.dms_to("UGUS")) if "appealed" in text_of(m.get("blocks") or []))
    press(world, "UFAY", hearing, "panel_hear", "DUFAY")
    assert refused(world, "UFAY", "Only the person hearing this appeal")
    press(world, "UGUS", hearing, "panel_hear", "DUGUS")
    hear = world.open_modal("UGUS")
    assert "My migration work was not weighed" in text_of(hear["blocks"])
    status, answer = world.submit("UGUS", hear, {"Outcome": "Uphold the decision", "Reasons": "The evidence supports the panel."})
    assert status == 200 and answer["response_action"] == "update", answer
    world.drain()
    assert "the decision stands" in text_of(world.last_dm("UBEN")["blocks"])
    press(world, "UGUS", hearing, "panel_hear", "DUGUS")
    assert refused(world, "UGUS", "the outcome is final")

    # -- the audit trail and the cycle report; closing the cycle sends the report to the admins
    status, out, err = cli("audit", "--cycle", "2026 H1")
    assert status == 0, err
    actions = {line.split(",")[4] for line in out.splitlines()[1:]}
    for action in ("created", "submitted", "review_requested", "reviewed", "scored", "score_sealed", "recused", "decided", "published", "appealed", "appeal_decided", "level_changed"):  # fmt: skip
        assert action in actions, action
    assert SECRET not in out and CASE_SECRET not in out and "not weighed" not in out
    status, out, err = cli("cycle", "report", "2026 H1")
    assert status == 0, err
    assert "2 nominations" in out and "not_yet" not in out and "promote 1" not in out, "two decisions: too few to show"
    assert "outcomes not shown for Individual Contributor" in out and "fewer than 5 decided nominations" in out
    assert "criterion flagged: Senior Software Engineer / Strategic influence (1): Org-wide influence" in out
    assert "recusals: 2" in out  # Max from Ben's nomination at the decision, Fay from Ben's appeal
    status, out, err = cli("cycle", "close", "2026 H1")
    assert status == 0 and "report" in out, err
    world.drain()
    [report] = [m for m in world.dms_to("UADMIN") if "Cycle report" in (m.get("text") or "")]
    assert "Strategic influence" in text_of(report["blocks"]) and "not_yet 1" not in text_of(report["blocks"])

    # nothing confidential went anywhere but to those who judge it
    posted = [c for c in world.slack.calls() if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral")]
    leaks = {c.args.get("channel") for c in posted if SECRET in str(c.args) or CASE_SECRET in str(c.args)}
    assert leaks <= {"UPAT", "UCHI", "UDEE", "UEVE"}, leaks
    assert world.slack.unexpected_refusals() == []


def test_an_appeal_after_the_window_is_refused(world, cli):
    up_to_the_decisions(world, cli)
    for user in ("UDEE", "UEVE", "UPAT"):
        assert score(world, user, "UBEN", "Partly", "Not yet")[0] == 200
    assert decide(world, "UPAT", "UBEN", feedback("Not yet"))[1] == 200
    status, out, err = cli("cycle", "publish", "2026 H1")  # at once, before the decisions day
    assert status == 0 and "published 1 decision" in out, err
    world.drain()
    decision = world.last_dm("UBEN")
    assert "appeal until" in text_of(decision["blocks"])
    world.clock.set(datetime(2026, 4, 30, 9, tzinfo=UTC))
    before = len(modals_of(world, "UBEN"))
    press(world, "UBEN", decision, "panel_appeal", "DUBEN")
    assert len(modals_of(world, "UBEN")) == before and refused(world, "UBEN", "The window to appeal closed")


def test_admins_set_cycles_and_panels_up_in_slack(world):
    status, body, _ = world.ladder.slack.slash_command("cycle", user_id="UANA")  # not an admin
    assert status == 200 and "Only a Ladder admin" in body
    assert world.ladder.slack.slash_command("cycle", user_id="UADMIN")[0] == 200
    modal = world.open_modal("UADMIN")
    dates = {
        "Nominations open": "2026-03-16",
        "Peer reviews due": "2026-03-27",
        "Panel review starts": "2026-03-20",
        "Decisions published": "2026-04-10",
    }
    status, answer = world.submit("UADMIN", modal, {"Name": "2026 H1", **dates})
    assert status == 200 and answer["response_action"] == "errors", answer
    assert "the panel review cannot start before peer reviews are due" in str(answer["errors"])
    status, answer = world.submit("UADMIN", modal, {"Name": "2026 H1", **dates, "Panel review starts": "2026-03-30"})
    assert status == 200 and answer["response_action"] == "update", answer
    assert "appeals until" in text_of(answer["view"]["blocks"])

    assert world.ladder.slack.slash_command("cycle 2026 H1", user_id="UADMIN")[0] == 200  # edit: the dates are filled in
    edit = world.open_modal("UADMIN")
    status, answer = world.submit("UADMIN", edit, {"Decisions published": "2026-04-17"})
    assert status == 200 and "17 Apr 2026" in text_of(answer["view"]["blocks"]), answer

    assert world.ladder.slack.slash_command("panel", user_id="UADMIN")[0] == 200
    setup = world.open_modal("UADMIN")
    channel = next(b for b in setup["blocks"] if b.get("block_id") == "channel")["element"]
    assert channel["filter"]["include"] == ["private"], "only private channels are offered"
    ic_panel = {"Name": "IC panel", "Chair": "UPAT", "Members": ["UDEE", "UEVE"], "Private channel": "C0PANEL", "Tracks": ["Individual contributor"]}  # fmt: skip
    world.slack.add_user("UAPP", "app@example.com", "Some App", is_bot=True)
    status, answer = world.submit("UADMIN", setup, {**ic_panel, "Members": ["UDEE", "UAPP"]})
    assert answer["response_action"] == "errors" and "UAPP: a bot or an app" in answer["errors"]["members"], answer
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UDEE"], bot_member=False)
    status, answer = world.submit("UADMIN", setup, ic_panel)
    assert answer["response_action"] == "errors" and "invite Ladder to it" in answer["errors"]["channel"], answer
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UDEE", "UEVE", "UANA"])
    status, answer = world.submit("UADMIN", setup, ic_panel)
    assert status == 200 and answer["response_action"] == "update", answer
    shown = text_of(answer["view"]["blocks"])
    assert (
        "3 members" in shown and "Every member reports to the same manager" not in shown
    )  # Pat reports to Max, the others to Ada
    assert "has 1 member who is not on the panel (UANA): Ladder posts nothing there" in shown
    from storage.models import Panel

    [panel] = rows(world, Panel)
    assert (panel.chair, panel.channel, panel.scope["tracks"]) == ("UPAT", "C0PANEL", ["ic"])


def test_a_public_channel_is_refused_as_a_panels_channel(world):
    """Slack offers private channels alone in the modal; a public one submitted anyway (or typed on the command line)
    is refused, because the channel names who is nominated. Slack answers conversations.info on a public channel with
    missing_scope (Ladder has no channels:read), which is how Ladder knows it is public."""
    world.slack.expect_refusals("missing_scope")
    world.slack.add_channel("C0PUBLIC", "general", private=False, members=["UPAT", "UDEE", "UEVE"])
    assert world.ladder.slack.slash_command("panel", user_id="UADMIN")[0] == 200
    status, answer = world.submit(
        "UADMIN",
        world.open_modal("UADMIN"),
        {"Name": "IC panel", "Chair": "UPAT", "Members": ["UDEE"], "Private channel": "C0PUBLIC"},
    )
    assert answer["response_action"] == "errors" and "is a public channel" in answer["errors"]["channel"], answer
    assert [c.method for c in world.slack.calls() if c.answer.get("error") == "missing_scope"] == ["conversations.info"]
