"""Gaps in who sees and decides what, found by trying as someone looking for them (review panels, nominations, appeals): each a
regression test through the running app and the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.cli import main
from storage.models import Appeal, Nomination, PanelDecision
from tests.checkin_world import World, text_of
from tests.test_judging import CYCLE, ben_before_the_panel, private_digest, reviewed
from tests.test_nominations import nominate, open_nominate
from tests.test_review_panels import (  # noqa: F401 - fixtures
    PANEL_FROM,
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


def people_import(tmp_path: Path, capsys, text: str) -> tuple[int, str, str]:
    path = tmp_path / f"people-{abs(hash(text))}.csv"
    path.write_text(text)
    capsys.readouterr()
    try:
        status = main(["people", "import", str(path), "--team", "T0TEST"])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def packet_names(world: World, user: str) -> list[str]:
    return [f["name"] for f in world.slack.files_in(user)]


def open_packet(world: World, user: str, nomination_id: int) -> dict | None:
    """Press "Open packet" with the nomination's id (the value the bot itself writes): the modal opened, or None."""
    before = len(modals_of(world, user))
    world.ladder.slack.block_actions(user, "panel_packet", value=json.dumps({"nomination": nomination_id}))
    after = modals_of(world, user)
    return after[-1] if len(after) > before else None


# -- what someone may no longer read is taken back -----------------------------------------------------------------


def test_a_people_import_that_recuses_a_judge_takes_back_at_once_what_they_were_sent(world, cli, tmp_path, capsys):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    assert packet_names(world, "UCHI") == [f"review-packet-{ben.id}.md"]
    assert private_digest(world, "UCHI") is not None

    # Ben moves into Chi's team: Chi is now in his management chain, so recused (the app agrees: no packet view)
    status, out, err = people_import(tmp_path, capsys, "email,manager\nuben@example.com,uchi@example.com\n")
    assert status == 0, err
    world.drain()
    world.tick()
    assert open_packet(world, "UCHI", ben.id) is None, "Chi is recused now"

    # ... and what he was sent to judge is taken back at once (the packet, every review with names; his private digest)
    assert packet_names(world, "UCHI") == [], "the packet is taken back as the import recuses Chi, not at the next weekly digest"
    assert private_digest(world, "UCHI") is None


def test_a_new_narrower_panel_taking_a_nomination_takes_the_packets_back_from_the_old_one(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    status, out, err = cli(
        "panel", "create", "Senior panel", "--chair", "UFAY", "--members", "UADMIN,UDEE", "--scope", "level=senior"
    )
    assert status == 0, err
    world.drain()
    world.tick()
    assert open_packet(world, "UPAT", ben.id) is None, "the IC panel no longer judges Ben: Pat may not read the packet"
    assert packet_names(world, "UPAT") == [], "taken back from a member whose panel no longer judges the nomination"


def test_a_withdrawn_nomination_is_taken_back_from_its_judges(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    # Max withdraws from /ladder nominations (the button the bot sends)
    status, body, _ = world.ladder.slack.slash_command("nominations", user_id="UMAX")
    assert status == 200
    world.ladder.slack.block_actions("UMAX", "nomination_withdraw", value=json.dumps({"nomination": ben.id}))
    world.drain()
    [ben] = rows(world, Nomination)
    assert ben.stage == "withdrawn", ben.stage
    world.clock.set(PANEL_FROM + timedelta(days=7))
    world.tick()
    world.drain()
    view = open_packet(world, "UDEE", ben.id)
    assert view is None and packet_names(world, "UDEE") == []


def test_a_recusal_after_the_last_digest_still_takes_the_packet_back(world, cli, tmp_path, capsys):
    """Recused in the last week before decisions: no digest follows, so nothing ever takes the packet back."""
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    world.clock.set(PANEL_FROM + timedelta(days=8))
    world.tick()
    world.drain()
    status, out, err = people_import(tmp_path, capsys, "email,manager\nuben@example.com,uchi@example.com\n")
    assert status == 0, err
    for day in (9, 10, 11, 12, 20, 40):
        world.clock.set(PANEL_FROM + timedelta(days=day))
        world.tick()
        world.drain()
    assert open_packet(world, "UCHI", ben.id) is None
    assert packet_names(world, "UCHI") == []


# -- appeals: heard by those free to hear them, on the appeal panel as it is now ----------------------------------------

DECISIONS_DAY = PANEL_FROM + timedelta(days=11)


def ben_decided_and_appealed(world: World, cli, appeals: tuple[str, str] = ("UFAY", "UGUS,UADMIN")) -> Nomination:
    """Ben nominated by Max, reviewed by Ana and Hal, decided 'not yet' by the IC panel and appealed; the appeal panel
    chaired by ``appeals[0]`` with members ``appeals[1]``."""
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=["UPAT", "UCHI", "UDEE", "UEVE"])
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE", "--channel", "C0PANEL")[0] == 0
    assert cli("panel", "create", "Appeals", "--chair", appeals[0], "--members", appeals[1], "--appeal")[0] == 0
    nominate(world, "UMAX", "UBEN", ["UANA", "UHAL"])
    reviewed(world, ["UANA", "UHAL"])
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    for judge in ("UPAT", "UCHI", "UDEE"):
        assert score(world, judge, "UBEN", "Partly", "Not yet")[0] == 200
    _, status, answer = decide(world, "UPAT", "UBEN", feedback("Not yet"))
    assert status == 200 and answer["response_action"] == "update", answer
    world.clock.set(DECISIONS_DAY)
    world.tick()
    world.drain()
    decision = world.last_dm("UBEN")
    press(world, "UBEN", decision, "panel_appeal", "DUBEN")
    status, answer = world.submit("UBEN", world.open_modal("UBEN"), {"Why are you appealing?": "Not weighed."})
    assert status == 200 and answer["response_action"] == "update", answer
    world.drain()
    [ben] = rows(world, Nomination)
    return ben


def test_the_nominator_cannot_choose_who_hears_the_appeal(world, cli):
    """Naming the appeal panel's members as peer reviewers would leave the nominator's pick to hear the appeal alone."""
    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "Appeals", "--chair", "UFAY", "--members", "UGUS,UADMIN", "--appeal")[0] == 0
    modal = open_nominate(world, "UMAX", "<@UBEN|ben>")
    assert world.submit("UMAX", modal, {})[1]["response_action"] == "update"
    page = world.shown(modal["id"])
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led it.", "Peer reviewers": ["UFAY", "UGUS"]})
    assert answer["response_action"] == "errors", answer
    assert "Fay Director and Gus Staff sit on the panel 'Appeals'" in answer["errors"]["reviewers"]


def test_a_hearer_taken_off_the_appeal_panel_no_longer_hears_it_and_the_next_is_told(world, cli):
    ben = ben_decided_and_appealed(world, cli)
    [appeal] = rows(world, Appeal)
    assert appeal.hearers[0] == "UFAY"
    status, out, err = cli("panel", "edit", "Appeals", "--chair", "UEVE", "--members", "UGUS")
    assert status == 0, err
    world.drain()
    hearing = next(m for m in reversed(world.dms_to("UFAY")) if "appealed" in text_of(m.get("blocks") or []))
    before = len(modals_of(world, "UFAY"))
    press(world, "UFAY", hearing, "panel_hear", "DUFAY")
    assert len(modals_of(world, "UFAY")) == before and refused(world, "UFAY", "Only the person hearing this appeal")
    told = [m for m in world.dms_to("UGUS") if "appealed" in text_of(m.get("blocks") or [])]
    assert len(told) == 1, "the next free hearer still on the panel is told at once"
    press(world, "UGUS", told[0], "panel_hear", "DUGUS")
    status, answer = world.submit("UGUS", world.open_modal("UGUS"), {"Outcome": "Uphold the decision", "Reasons": "Heard."})
    assert status == 200 and answer["response_action"] == "update", answer
    assert [(d.round, d.decided_by) for d in rows(world, PanelDecision) if d.nomination_id == ben.id][-1] == ("appeal", "UGUS")


def test_an_appeal_nobody_is_free_to_hear_any_more_is_sent_to_the_admins(world, cli, tmp_path, capsys):
    """Ada alone hears appeals; an import puts her in Ben's chain: nobody may hear it now, and the admins are told."""
    ben = ben_decided_and_appealed(world, cli, appeals=("UADMIN", "UADMIN"))
    [appeal] = rows(world, Appeal)
    assert appeal.hearers == ["UADMIN"]
    status, out, err = people_import(tmp_path, capsys, "email,manager\numax@example.com,uadmin@example.com\n")
    assert status == 0, err
    world.clock.advance(timedelta(minutes=1))
    world.tick()
    world.drain()
    hearing = next(m for m in world.dms_to("UADMIN") if "appealed" in text_of(m.get("blocks") or []))
    press(world, "UADMIN", hearing, "panel_hear", "DUADMIN")
    assert refused(world, "UADMIN", "Only the person hearing this appeal")
    told = [m for m in world.dms_to("UADMIN") if "nobody" in (m.get("text") or "").lower()]
    assert len(told) == 1 and "nobody free to hear it" in text_of(told[0]["blocks"])
    assert ben.id is not None


# -- what an outsider, or a nominee on the panel, learns: nothing ------------------------------------------------------


def test_an_outsider_forging_a_decision_learns_nothing_of_it(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    for judge in ("UPAT", "UCHI", "UDEE"):
        assert score(world, judge, "UBEN", "Partly", "Not yet")[0] == 200
    modal, status, answer = decide(world, "UPAT", "UBEN", feedback("Not yet"))
    assert answer["response_action"] == "update"
    answers = []
    for nomination_id in (ben.id, ben.id + 1):
        forged = {k: v for k, v in modal.items() if k not in ("id", "hash")}
        forged["private_metadata"] = json.dumps({"nomination": nomination_id})
        status, answer = world.submit("UFAY", forged, feedback("Not yet"))
        world.drain()
        answers.append((nomination_id, status, answer, [m.get("text") for m in world.dms_to("UFAY")][-1:]))
    told = " ".join(str(a) for a in answers)
    assert "Pat" not in told and "decided on" not in told, "an outsider learns neither when nor by whom it was decided"


def test_a_nominee_on_the_panel_reads_neither_their_review_progress_nor_who_is_recused_in_the_channel(world, cli):
    from tests.test_nominations import review_button

    members = ["UPAT", "UCHI", "UDEE", "UEVE", "UBEN"]
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=members)
    assert cli(*CYCLE)[0] == 0
    assert (
        cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE,UBEN", "--channel", "C0PANEL")[0] == 0
    )
    nominate(world, "UMAX", "UBEN", ["UANA", "UGUS", "UFAY"])
    world.drain()
    message, _ = review_button(world, "UFAY")
    world.ladder.slack.block_actions("UFAY", "review_decline", message=message, channel_id="DUFAY")
    assert world.submit("UFAY", world.open_modal("UFAY"), {"Why": "Not my area."})[0] == 200
    reviewed(world, ["UGUS"])  # Ana never writes hers
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    entry = text_of(
        next(m for m in world.slack.messages("C0PANEL") if m.get("thread_ts") and "<@UBEN>" in text_of(m["blocks"]))["blocks"]
    )
    for never in ("Peer reviews", "declined", "not written", "recused", "only 1"):  # review progress: the nominator's, not his
        assert never not in entry, never

    # the chair declares a conflict on Ben: the channel still names the panel's chair (naming another would say Pat is recused)
    digest = private_digest(world, "UPAT")
    assert press(world, "UPAT", digest, "panel_conflict", "DUPAT")[0] == 200
    world.drain()
    status, body, _ = world.ladder.slack.slash_command("digest", user_id="UBEN")  # the nominee may post it himself
    world.drain()
    entries = [
        text_of(m["blocks"]) for m in world.slack.messages("C0PANEL") if m.get("thread_ts") and "<@UBEN>" in text_of(m["blocks"])
    ]
    assert len(entries) == 2 and "Chair: <@UPAT>" in entries[-1]


def test_the_channel_names_the_panels_chair_even_when_a_reviewer_chairs_it(world, cli):
    """Panels are often set up after nominations open: a reviewer made chair is recused, and were the channel to name an
    acting chair it would tell everyone in it — the nominee too, who knows the chair is neither his manager nor his
    nominator — that the chair reviewed him. It names the panel's chair, always."""
    members = ["UGUS", "UCHI", "UDEE", "UEVE", "UBEN"]
    world.slack.add_channel("C0PANEL", "ic-panel", private=True, members=members)
    assert cli(*CYCLE)[0] == 0
    nominate(world, "UMAX", "UBEN", ["UANA", "UGUS"])
    reviewed(world, ["UANA", "UGUS"])
    assert (
        cli("panel", "create", "IC panel", "--chair", "UGUS", "--members", "UCHI,UDEE,UEVE,UBEN", "--channel", "C0PANEL")[0] == 0
    )
    world.clock.set(PANEL_FROM)
    world.tick()
    world.drain()
    entry = next(m for m in world.slack.messages("C0PANEL") if m.get("thread_ts") and "<@UBEN>" in text_of(m["blocks"]))
    shown = text_of(entry["blocks"])
    assert "Chair: <@UGUS>" in shown and "recused" not in shown


# -- who reads a case: its judges while it is before them, those who decided it after -----------------------------------


def test_a_member_added_after_the_decision_reads_nothing_of_the_decided_case(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    for judge in ("UPAT", "UCHI", "UDEE"):
        assert score(world, judge, "UBEN", "Partly", "Not yet")[0] == 200
    _, status, answer = decide(world, "UPAT", "UBEN", feedback("Not yet"))
    assert answer["response_action"] == "update"
    world.clock.set(DECISIONS_DAY + timedelta(days=60))
    world.tick()
    world.drain()
    assert open_packet(world, "UFAY", ben.id) is None
    assert cli("panel", "edit", "IC panel", "--members", "UCHI,UDEE,UEVE,UFAY")[0] == 0  # months later, Fay joins
    view = open_packet(world, "UFAY", ben.id)
    assert view is None, "a member who joined after the decision reads nothing of it"


# -- the cycle report, and escalation -------------------------------------------------------------------------------------


def test_a_declared_conflict_is_one_recusal_in_the_cycle_report(world, cli):
    ben_before_the_panel(world, cli)
    digest = private_digest(world, "UEVE")
    assert press(world, "UEVE", digest, "panel_conflict", "DUEVE")[0] == 200
    world.drain()
    for judge in ("UPAT", "UCHI", "UDEE"):
        assert score(world, judge, "UBEN", "Partly", "Not yet")[0] == 200
    _, status, answer = decide(world, "UPAT", "UBEN", feedback("Not yet"))
    assert answer["response_action"] == "update"
    status, out, err = cli("cycle", "report", "2026 H1")
    status, csv_out, err = cli("audit", "--cycle", "2026 H1")
    assert "recusals: 1" in out, "one member recused is one recusal"


def test_a_nomination_stranded_after_the_last_digest_is_escalated_all_the_same(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    world.clock.set(PANEL_FROM + timedelta(days=8))  # after the last weekly digest (day 7), before decisions (day 11)
    world.tick()
    world.drain()
    for member in ("UEVE", "UDEE"):
        digest = private_digest(world, member)
        assert press(world, member, digest, "panel_conflict", f"D{member}")[0] == 200
    world.drain()
    world.ladder.slack.block_actions("UPAT", "panel_decide", value=json.dumps({"nomination": ben.id}))
    world.drain()
    for day in (9, 10, 11, 12, 20):
        world.clock.set(PANEL_FROM + timedelta(days=day))
        world.tick()
        world.drain()
    told = [m.get("text") for m in world.dms_to("UADMIN") if "no panel can decide" in (m.get("text") or "")]
    assert told, "a stranded nomination is escalated to an admin even when no digest follows"


def test_a_panel_member_cannot_read_a_draft(world, cli):
    from tests.modal_filler import fill
    from tests.test_nominations import open_nominate

    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE")[0] == 0
    modal = open_nominate(world, "UMAX", "<@UBEN|uben>")
    assert world.submit("UMAX", modal, {})[1]["response_action"] == "update"
    page = world.shown(modal["id"])
    world.ladder.slack.view_closed(
        "UMAX", page, fill(page, {"Technical depth": "DRAFT-SECRET half-written", "Peer reviewers": ["UANA"]})
    )
    world.drain()
    [draft] = rows(world, Nomination)
    view = open_packet(world, "UPAT", draft.id)
    assert view is None, "a draft is the nominator's alone"


def test_a_panel_member_cannot_read_reviews_while_they_are_still_being_written(world, cli):
    from tests.test_nominations import SECRET, write_review

    assert cli(*CYCLE)[0] == 0
    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UDEE,UEVE")[0] == 0
    nominate(world, "UMAX", "UBEN", ["UANA", "UGUS"])
    world.drain()
    assert write_review(world, "UANA", comment=SECRET)[0] == 200  # Gus has not written his yet
    world.drain()
    [ben] = rows(world, Nomination)
    view = open_packet(world, "UCHI", ben.id)
    assert view is None, "reviews are read by the panel only once the nomination is before it"


# -- sealed scores --------------------------------------------------------------------------------------------------------


def test_the_chair_cannot_read_the_spread_in_the_decision_modal_and_then_edit_their_score(world, cli):
    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    for judge, rating in (("UCHI", "Meets"), ("UDEE", "Meets"), ("UPAT", "Partly")):
        assert score(world, judge, "UBEN", rating, "Not yet")[0] == 200
    world.ladder.slack.block_actions("UPAT", "panel_score", value=json.dumps({"nomination": ben.id}))
    kept_open = world.open_modal("UPAT")  # a score form opened before peeking, kept open
    before = len(modals_of(world, "UPAT"))
    world.ladder.slack.block_actions("UPAT", "panel_decide", value=json.dumps({"nomination": ben.id}))
    assert len(modals_of(world, "UPAT")) == before + 1  # the spread is shown: Pat closes it without deciding
    world.ladder.slack.block_actions("UPAT", "panel_score", value=json.dumps({"nomination": ben.id}))
    world.drain()
    assert len(modals_of(world, "UPAT")) == before + 1 and refused(world, "UPAT", "sealed")
    rated = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")
    status, answer = world.submit(
        "UPAT", kept_open, {**{c: "Meets" for c in rated}, "Your recommendation": "Not yet", "Why": "match"}
    )
    assert answer["response_action"] == "errors"


def test_reading_the_scores_and_editing_ones_own_at_once_never_edits_a_sealed_score(world, cli):
    from sqlmodel import Session, select

    from storage.models import AuditEvent
    from tests.concurrency import at_once
    from tests.modal_filler import fill

    ben_before_the_panel(world, cli)
    [ben] = rows(world, Nomination)
    rated = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")
    calls = []
    for judge in ("UCHI", "UDEE", "UEVE", "UPAT"):
        status, answer = score(world, judge, "UBEN", "Partly", "Not yet")
        saved = world.open_modal(judge)  # "Score saved", with "Read the scores"
        world.ladder.slack.block_actions(judge, "panel_score", value=json.dumps({"nomination": ben.id}))
        form = world.open_modal(judge)
        values = fill(form, {**{c: "Exceeds" for c in rated}, "Your recommendation": "Promote", "Why": "edited"})
        calls.append(lambda j=judge, v=saved: world.ladder.slack.block_actions(j, "panel_scores", view=v)[:2])
        calls.append(lambda j=judge, f=form, v=values: world.ladder.slack.view_submission(j, f, v)[:2])
    at_once(*calls)
    with Session(world.services.engine) as session:
        trail = [
            (e.actor, e.action) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)) if e.object_kind == "nomination"
        ]
    for judge in ("UCHI", "UDEE", "UEVE", "UPAT"):
        mine = [a for actor, a in trail if actor == judge and a in ("score_sealed", "score_edited")]
        assert mine != ["score_sealed", "score_edited"]


def test_the_cycle_report_gives_away_no_small_groups_outcome_through_its_appeal_count(engine):
    """Five IC promotions shown, one Management 'not yet' suppressed: '1 appealed' would say the suppressed person was not
    promoted (only a decision that is not a promotion can be appealed), so a count under the group size is not shown."""
    from datetime import UTC, date, datetime

    from sqlmodel import Session

    from bot.panels.docket import Docket
    from bot.panels.report import Reports
    from messages.panels import report_lines
    from storage.models import PromotionCycle
    from tests.frameworks import default_framework

    now = datetime(2026, 4, 20, tzinfo=UTC)
    with Session(engine) as session:
        cycle = PromotionCycle(team_id="T1", name="2026 H1", opens_on=date(2026, 3, 1))
        session.add(cycle)
        session.flush()
        outcomes = [(f"U{i}", "se2", "senior", "promote") for i in range(5)] + [("UMGR", "em", "sr_em", "not_yet")]
        for nominee, current, target, outcome in outcomes:
            nomination = Nomination(
                team_id="T1", cycle_id=cycle.id, nominee=nominee, nominator="UBOSS", from_level=current, target_level=target,
                stage="published", submitted_at=now,
            )  # fmt: skip
            session.add(nomination)
            session.flush()
            session.add(
                PanelDecision(
                    team_id="T1",
                    nomination_id=nomination.id,
                    outcome=outcome,
                    decided_by="UCHAIR",
                    decided_at=now,
                    published_at=now,
                )
            )
            if outcome != "promote":
                session.add(Appeal(team_id="T1", nomination_id=nomination.id, appellant=nominee, hearers=["UH"], filed_at=now))
        session.commit()
        lines = report_lines(Reports(Docket(default_framework(), session, lambda: now)).report("T1", cycle))
    assert "1 appealed" not in lines[0] and "fewer than 5 appealed" in lines[0]
    assert any("outcomes not shown for Management" in line for line in lines)
    assert any(line.startswith("outcomes by track, Individual Contributor: promote 5") for line in lines)
