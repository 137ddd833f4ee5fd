"""Promotion cycles and review panels: set up on the command line, cycles' dates deciding when nominations are
taken, panels' scope and the warnings their setup gives, and recusal. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.framework.loader import load_framework
from bot.panels.cycles import CycleDates, Cycles, Phase
from bot.panels.panels import Panels, Scope
from bot.panels.recusal import Parties, Reason, sitting
from storage.models import AuditEvent, Panel
from tests.checkin_world import organisation, text_of
from tests.test_nominations import MONDAY, nominate

FRAMEWORK = load_framework(None)


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        yield world


@pytest.fixture
def cli(world, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", world.services.database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main([*argv, "--team", "T0TEST"])
        except SystemExit as exit_:  # argparse refusing an argument
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def cycle_args(name: str, opens: date, **overrides: str) -> list[str]:
    dates = {
        "--opens": opens, "--reviews-due": opens + timedelta(days=28), "--panel-from": opens + timedelta(days=35),
        "--decisions": opens + timedelta(days=49),
    }  # fmt: skip
    args = ["cycle", "create", name]
    for flag, day in {**dates, **overrides}.items():
        args += [flag, str(day)]
    return args


def test_cycles_are_created_listed_edited_and_closed_on_the_command_line(world, cli):
    opens = date(2026, 4, 1)
    status, out, err = cli(*cycle_args("2026 Q2", opens))
    assert status == 0, err
    assert "2026 Q2: opens 2026-04-01, reviews due 2026-04-29, panel from 2026-05-06, decisions 2026-05-20" in out
    assert "appeals until 2026-06-03 (10 working days)" in out  # two weeks of working days on the team's calendar

    status, _, err = cli(*cycle_args("2026 Q2", opens))
    assert status == 1 and "exists already" in err
    status, _, err = cli(*cycle_args("Backwards", opens, **{"--panel-from": str(opens + timedelta(days=3))}))
    assert status == 1 and "the panel review cannot start before peer reviews are due" in err
    status, _, err = cli("cycle", "create", "Bad date", "--opens", "1 April", "--reviews-due", "2026-05-01",
                         "--panel-from", "2026-05-02", "--decisions", "2026-05-03")  # fmt: skip
    assert status == 2 and "not a date (YYYY-MM-DD)" in err
    status, _, err = cli(*cycle_args("No cap", opens, **{"--review-cap": "0"}))
    assert status == 1 and "The reviewer cap is 1 to 50" in err

    status, out, err = cli("cycle", "edit", "2026 Q2", "--decisions", "2026-05-27", "--appeal-days", "5")
    assert status == 0, err
    assert "decisions 2026-05-27, appeals until 2026-06-03 (5 working days)" in out
    status, _, err = cli("cycle", "edit", "2026 Q2", "--decisions", "2026-04-02")
    assert status == 1 and "decisions must be published after the panel review starts" in err
    status, _, err = cli("cycle", "edit", "No such cycle", "--appeal-days", "3")
    assert status == 1 and "No promotion cycle is named 'No such cycle' (cycles: 2026 Q2)" in err

    status, out, _ = cli("cycle", "close", "2026 Q2")
    assert status == 0 and "is now closed" in out
    status, out, _ = cli("cycle", "close", "2026 Q2")
    assert "already closed" in out
    status, _, err = cli("cycle", "edit", "2026 Q2", "--appeal-days", "3")
    assert status == 1 and "is closed" in err
    status, out, _ = cli("cycle", "list")
    assert "2026 Q2" in out and "closed" in out

    with Session(world.services.engine) as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.object_kind == "cycle"))]
    assert actions == ["created", "edited", "closed"]


def test_a_cycles_dates_set_its_phase(world):
    with Session(world.services.engine) as session:
        cycles = Cycles(FRAMEWORK, session, world.clock)
        cycle = cycles.create(
            "T0TEST",
            "2026 Q2",
            CycleDates(date(2026, 4, 1), date(2026, 4, 29), date(2026, 5, 6), date(2026, 5, 20), 2),
            by="UADMIN",
        )
        phases = {day: cycles.view(cycle, date.fromisoformat(day)).phase for day in (
            "2026-03-31", "2026-04-01", "2026-04-28", "2026-04-29", "2026-05-06", "2026-05-19", "2026-05-20", "2026-05-22", "2026-05-25",
        )}  # fmt: skip
    assert phases == {
        "2026-03-31": Phase.UPCOMING, "2026-04-01": Phase.NOMINATING, "2026-04-28": Phase.NOMINATING,
        "2026-04-29": Phase.AWAITING_PANEL, "2026-05-06": Phase.PANEL, "2026-05-19": Phase.PANEL,
        "2026-05-20": Phase.APPEALS, "2026-05-22": Phase.APPEALS,  # two working days: Thursday and Friday
        "2026-05-25": Phase.FINISHED,
    }  # fmt: skip


def test_nominations_outside_any_open_cycle_are_refused_with_the_next_cycles_dates(world, cli):
    assert cli(*cycle_args("2026 Q2", date(2026, 4, 1)))[0] == 0  # the world's clock says Monday 16 March 2026
    status, body, _ = world.ladder.slack.slash_command("nominate <@UANA|ana>", user_id="UMAX")
    assert status == 200
    assert "No promotion cycle is taking nominations today" in body
    assert "2026 Q2, opens on Wednesday 1 April 2026; its peer reviews are due on Wednesday 29 April 2026" in body
    assert not world.slack.open_views("UMAX"), "no modal opens outside a cycle"

    world.clock.set(datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    status, body, _ = world.ladder.slack.slash_command("nominate <@UANA|ana>", user_id="UMAX")
    assert status == 200 and body == "", body
    modal = world.open_modal("UMAX")
    assert "2026 Q2" in text_of(modal["blocks"])
    status, answer = world.submit("UMAX", modal, {})
    assert answer["response_action"] == "update", answer
    page = world.shown(modal["id"])
    status, answer = world.submit("UMAX", page, {"Technical depth": "Led the migration.", "Peer reviewers": ["UCHI", "UPAT"]})
    assert answer["response_action"] == "update", answer
    world.drain()
    request = world.dms_to("UCHI")[-1]
    assert "due 29 April 2026" in text_of(request["blocks"]), "reviews are due on the cycle's date"

    world.clock.set(datetime(2026, 4, 29, 9, 0, tzinfo=UTC))  # reviews due: nominations closed, no next cycle
    status, body, _ = world.ladder.slack.slash_command("nominate <@UBEN|ben>", user_id="UMAX")
    assert "none is scheduled: ask a Ladder admin to set one up" in body


def test_closing_the_default_cycle_stops_nominations_until_a_cycle_is_set_up(world, cli):
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])  # into the default cycle, 2026 H1
    status, out, _ = cli("cycle", "close", "2026 H1")
    assert status == 0 and "now closed" in out
    status, body, _ = world.ladder.slack.slash_command("nominate <@UBEN|ben>", user_id="UMAX")
    assert "none is scheduled: ask a Ladder admin to set one up" in body


def test_panels_are_set_up_on_the_command_line_with_warnings(world, cli):
    status, out, err = cli("panel", "create", "Staff panel", "--chair", "UPAT", "--members", "UCHI,UBEN",
                           "--channel", "C0PANEL", "--scope", "level=staff,Principal Engineer")  # fmt: skip
    assert status == 0, err
    assert "Staff panel created: chair UPAT, 3 members, channel C0PANEL, reviews levels Staff Engineer, Principal Engineer" in out
    assert "The channel C0PANEL was not checked (no Slack token)" in err
    assert "Every member reports to the same manager" in err
    assert "Every member is on the Individual contributor track" in err or "Every member is on the" in err
    assert "Ben New York is below levels this panel reviews (Staff Engineer, Principal Engineer)" in err
    assert "Chi Sydney is below levels this panel reviews (Principal Engineer)" in err
    assert "Pat Principal is below" not in err

    status, out, _ = cli("panel", "create", "staff  PANEL", "--chair", "UPAT", "--members", "UCHI,UBEN",
                         "--channel", "C0PANEL", "--scope", "level=staff,Principal Engineer")  # fmt: skip
    assert status == 1, "a name differing only in case and spacing is the same panel, and this one differs in its name"
    status, out, _ = cli("panel", "create", "Staff panel", "--chair", "UPAT", "--members", "UCHI,UBEN",
                         "--channel", "C0PANEL", "--scope", "level=staff,Principal Engineer")  # fmt: skip
    assert status == 0 and "Staff panel exists already, unchanged: chair UPAT, 3 members, channel C0PANEL" in out
    status, _, err = cli("panel", "create", "Staff Panel", "--chair", "UMAX", "--members", "UCHI")
    assert status == 1 and "A panel named 'Staff panel' exists already (chair UPAT, 3 members" in err
    assert "change it with `ladder panel edit`" in err
    status, _, err = cli("panel", "create", "Odd", "--chair", "UMAX", "--members", "UCHI", "--scope", "level=wizard")
    assert status == 1 and "no level called 'wizard'" in err
    status, _, err = cli("panel", "create", "Odd", "--chair", "UMAX", "--members", "UCHI", "--channel", "#panel")
    assert status == 2 and "not a Slack channel id" in err

    status, _, err = cli("panel", "create", "Everyone", "--chair", "UMAX", "--members", "UADMIN,UPAT,UCHI")
    assert status == 0
    assert "'Staff panel' also covers Staff Engineer, Principal Engineer: nominations for them go to 'Staff panel'" in err
    status, out, _ = cli("panel", "list")
    assert "Staff panel: chair UPAT; members UPAT, UCHI, UBEN; channel C0PANEL" in out
    assert "Everyone: chair UMAX" in out and "reviews every promotion" in out

    with Session(world.services.engine) as session:
        panels = Panels(FRAMEWORK, session, world.clock)
        assert panels.reviewing("T0TEST", "staff").name == "Staff panel", "the narrowest scope that covers it"
        assert panels.reviewing("T0TEST", "sr_em").name == "Everyone"
        assert len(session.exec(select(Panel)).all()) == 2

    status, out, err = cli("panel", "edit", "Everyone", "--chair", "UPAT", "--members", "UADMIN,UCHI", "--scope", "track=ic")
    assert (
        status == 0 and "Everyone changed: chair UPAT, 3 members, channel none, reviews tracks Individual Contributor" in out
    ), err
    assert "Ada Admin is below levels this panel reviews" in err
    status, out, _ = cli("panel", "list")
    assert "Everyone: chair UPAT; members UADMIN, UPAT, UCHI;" in out  # the list replaced the old one: Max is gone
    status, _, err = cli("panel", "edit", "Everyone")
    assert status == 1 and "nothing to change" in err
    status, _, err = cli("panel", "edit", "Nobody", "--chair", "UPAT")
    assert status == 1 and "No panel is named 'Nobody'" in err


def test_scope_covers_families_tracks_and_levels():
    staff, em = FRAMEWORK.level("staff"), FRAMEWORK.level("em")
    assert Scope().covers(FRAMEWORK, staff) and Scope().covers(FRAMEWORK, em)
    ic = Scope.parse(FRAMEWORK, ["track=ic"])
    assert ic.covers(FRAMEWORK, staff) and not ic.covers(FRAMEWORK, em)
    assert Scope.parse(FRAMEWORK, ["family=Engineering"]).covers(FRAMEWORK, em)
    assert [lv.id for lv in Scope.parse(FRAMEWORK, ["track=management"]).target_levels(FRAMEWORK)] == [
        "sr_em",
        "director",
        "vp",
        "cto",
    ]
    with pytest.raises(Exception, match="write family="):
        Scope.parse(FRAMEWORK, ["colour=blue"])


def test_recusal_is_automatic_and_too_few_judges_is_flagged():
    members = ["UPAT", "UMAX", "UCHI", "UBEN", "UADMIN", "UANA", "UOTHER"]
    parties = Parties("UANA", "UBEN", frozenset({"UMAX", "UADMIN"}), frozenset({"UCHI"}), frozenset({"UOTHER"}))
    panel = sitting(members, parties)
    assert panel.recused == {
        "UANA": Reason.NOMINEE, "UBEN": Reason.NOMINATOR, "UMAX": Reason.CHAIN, "UADMIN": Reason.CHAIN,
        "UCHI": Reason.REVIEWER, "UOTHER": Reason.DECLARED,
    }  # fmt: skip
    assert panel.judges == ("UPAT",) and panel.too_few
    assert not sitting(["A", "B", "C"], Parties("X", "Y")).too_few


def test_an_appeal_is_heard_under_the_same_rules_and_never_by_those_who_decided():
    parties = Parties("UANA", "UBEN", frozenset({"UMAX"}), frozenset({"UCHI"}), frozenset({"UOTHER"}))
    appeal = parties.for_the_appeal({"UPAT"})
    assert {m: appeal.reason(m) for m in ("UANA", "UBEN", "UMAX", "UCHI", "UOTHER", "UPAT", "UFREE")} == {
        "UANA": Reason.NOMINEE, "UBEN": Reason.NOMINATOR, "UMAX": Reason.CHAIN, "UCHI": Reason.REVIEWER,
        "UOTHER": Reason.DECLARED, "UPAT": Reason.DECIDED, "UFREE": None,
    }  # fmt: skip


def test_cycles_and_panels_are_renamed_and_removed_and_names_differ_in_more_than_case(world, cli):
    opens = date(2026, 3, 2)
    assert cli(*cycle_args("2027 H1", opens))[0] == 0
    status, _, err = cli(*cycle_args("2027 h1", opens))
    assert status == 1 and "A promotion cycle named '2027 H1' exists already" in err
    status, out, err = cli("cycle", "edit", "  2027   h1 ", "--appeal-days", "4")  # found up to case and spacing
    assert status == 0 and "(4 working days)" in out, err
    status, _, err = cli(*cycle_args("Sales 2027 H1", opens + timedelta(days=7)))
    assert status == 0 and "2027 H1 takes nominations at the same time" in err and "nominated in both" in err
    assert cli("cycle", "remove", "Sales 2027 H1")[0] == 0
    status, out, err = cli("cycle", "rename", "2027 H1", "2027 First half")
    assert status == 0 and "now named 2027 First half" in out, err
    assert cli(*cycle_args("Spare", opens))[0] == 0
    status, _, err = cli("cycle", "rename", "Spare", "2027 FIRST HALF")
    assert status == 1 and "named '2027 First half' exists already" in err
    status, out, err = cli("cycle", "remove", "spare")
    assert status == 0 and "Spare is removed" in out, err
    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"])  # into 2027 First half, open since 2 March
    status, _, err = cli("cycle", "remove", "2027 First half")
    assert status == 1 and "holds 1 nomination" in err and "Close it instead" in err
    status, out, _ = cli("cycle", "list")
    assert "2027 First half" in out and "Spare" not in out

    assert cli("panel", "create", "IC panel", "--chair", "UPAT", "--members", "UCHI,UADMIN")[0] == 0
    status, out, err = cli("panel", "rename", "ic PANEL", "Engineering IC panel")
    assert status == 0 and "now named Engineering IC panel" in out, err
    assert cli("panel", "create", "Other", "--chair", "UMAX", "--members", "UADMIN,UPAT", "--appeal")[0] == 0
    status, _, err = cli("panel", "rename", "Other", "engineering ic panel")
    assert status == 1 and "exists already" in err
    status, out, err = cli("panel", "remove", "Other")
    assert status == 0 and "Other is removed" in out, err
    status, out, _ = cli("panel", "list")
    assert "Engineering IC panel" in out and "Other" not in out
    with Session(world.services.engine) as session:
        actions = [(e.object_kind, e.action) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert ("cycle", "renamed") in actions and ("cycle", "removed") in actions
    assert ("panel", "renamed") in actions and ("panel", "removed") in actions


def test_names_that_already_clash_are_kept_apart_when_the_database_is_upgraded(database_url):
    """Before release 0006 "2027 H1" and "2027 h1" could coexist: the upgrade keeps both, renaming the later one."""
    from sqlalchemy import text

    from storage.engine import make_engine
    from storage.migrate import upgrade

    upgrade(database_url, "0005")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for name in ("2027 H1", "2027 h1", " 2027  H1"):
                connection.execute(
                    text("INSERT INTO promotion_cycle (team_id, name, opens_on, appeal_days, review_cap, status, created_by, created_at) "
                         "VALUES ('T1', :name, '2027-01-04', 10, 5, 'open', 'cli', '2026-12-01T00:00:00+00:00')"),
                    {"name": name},
                )  # fmt: skip
        upgrade(database_url)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name, name_key FROM promotion_cycle ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("2027 H1", "2027 h1"), ("2027 h1 (2)", "2027 h1 (2)"), (" 2027  H1 (3)", "2027 h1 (3)")]
