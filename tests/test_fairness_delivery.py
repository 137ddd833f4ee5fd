"""The fairness audit delivered in Slack, a whole cycle through: group data imported with `ladder people groups import`,
nominations, peer reviews, scores and decisions made in Slack, decisions published, the cycle closed — then each admin's
direct message (the summary and the chart's PNG), checked figure by figure against hand-computed values, and the chair's
calibration of their own panel. No Slack output (message text, blocks, a file's title, comment or alt text) shows a
figure of a group below k; each admin gets the audit once, however often the cycle is closed or a send is retried.
The real Bolt app over HTTP, the fake Slack, time moved by the test. SQLite and PostgreSQL. The chart each run sends is
written to test-artifacts/charts/ for a person to look at."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from bot.admins import CLI, Admins
from bot.fairness.chart import attribute_rates, cycle_chart
from bot.fairness.delivery import (
    FAIRNESS_CHART,
    FAIRNESS_DOCUMENT,
    FAIRNESS_REPORT,
    FAIRNESS_TREND,
    PANEL_CALIBRATION,
    chart_filename,
    cycle_audit,
    to_admins,
)
from bot.fairness.report import FairnessReport
from bot.framework.loader import load_framework
from bot.panels.board import Board
from bot.panels.cycles import CycleDates
from messages.fairness_report import report_markdown
from storage.models import OutboxMessage, Person, PromotionCycle
from storage.repositories import PeopleRepository
from storage.unit_of_work import unit_of_work
from tests.app_server import BOT_TOKEN
from tests.checkin_world import World, organisation, text_of
from tests.slack_scopes import manifest_bot_scopes
from tests.test_nominations import MONDAY
from tests.test_review_panels import EXTRA, cli, decide, feedback, score, up_to_the_decisions  # noqa: F401 (cli: a fixture)

FRAMEWORK = load_framework(None)
CHARTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "charts"
K = FRAMEWORK.fairness.min_group_size
MORE = {
    # user: (level, gender); P08 and P09 manage, so the management track has k people
    "UP01": ("se1", "Woman"), "UP02": ("se2", "Woman"), "UP03": ("se1", "Man"), "UP04": ("senior", "Man"),
    "UP05": ("se2", "Man"), "UP06": ("se1", "non-binary"), "UP07": ("senior", ""), "UP08": ("em", ""), "UP09": ("em", ""),
}  # fmt: skip
GENDER = {
    "UANA": "Woman", "UCHI": "woman", "UDEE": "WOMAN", "UEVE": "Woman", "UFAY": "Woman",
    "UBEN": "Man", "UMAX": "man", "UPAT": "Man", "UGUS": "Man", "UHAL": "Man", "UADMIN": "Non-binary",
    **{user: gender for user, (_level, gender) in MORE.items()},
}  # fmt: skip
"""7 women, 8 men, 2 non-binary people (below k: suppressed), 3 with no gender recorded (below k: suppressed)."""
SMALL_GROUPS = ("Non-binary",)
CYCLES = ("2025 H2", "2026 Q1", "2026 H1")
SUPPRESSED = re.compile(rf": (?:(?:{'|'.join(CYCLES)}) )?suppressed \(< {K}\)\.?")
"""How a small group may be named: suppressed, in a cycle's chart or text, or in a trend's point of one of the cycles."""
"""Spelt as the framework's question spells the choice (the import matches a value to it, whatever its case)."""


@pytest.fixture
def world(fake_slack, tmp_path, database_url):
    for user_id, (name, tz, _level, _manager) in EXTRA.items():
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", name, tz=tz)
    for user_id in MORE:
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", f"Person {user_id[-2:]}", tz="Europe/London")
    with organisation(fake_slack, tmp_path, database_url, MONDAY) as world:
        people = PeopleRepository(world.services.engine)
        for user_id, (name, _tz, level, manager) in EXTRA.items():
            track = "management" if level == "director" else "ic"
            people.upsert("T0TEST", user_id, name=name, email=None, track=track, level=level, manager_user_id=manager)
        for user_id, (level, _gender) in MORE.items():
            track = "management" if level == "em" else "ic"
            people.upsert(
                "T0TEST", user_id, name=f"Person {user_id[-2:]}", email=None, track=track, level=level, manager_user_id="UMAX"
            )
        with unit_of_work(world.services.engine) as work:  # recorded a year before the cycle (the test's clock is in 2026)
            work.session.execute(update(Person).values(created_at=datetime(2025, 3, 2, tzinfo=UTC)))
        world.tick()
        yield world


def import_groups(cli, tmp_path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("slack_id,gender\n" + "".join(f"{user},{gender}\n" for user, gender in GENDER.items()))
    status, out, err = cli("people", "groups", "import", str(path))
    assert status == 0, err
    assert "woman" not in (out + err).lower() and "non-binary" not in (out + err).lower(), "counts, never a person's value"


def decided_and_published(world: World, cli) -> None:
    """Ben (se2, a man) not yet, Gus (staff, a man) promoted, by the IC panel Pat chairs; each published at once."""
    up_to_the_decisions(world, cli)
    assert score(world, "UDEE", "UBEN", "Meets", "Not yet")[0] == 200
    assert score(world, "UEVE", "UBEN", "Partly", "Not yet")[0] == 200
    assert score(world, "UPAT", "UBEN", "Exceeds", "Promote")[0] == 200
    assert score(world, "UPAT", "UGUS", "Exceeds", "Promote")[0] == 200
    assert score(world, "UDEE", "UGUS", "Exceeds", "Promote")[0] == 200
    assert score(world, "UCHI", "UGUS", "Meets", "Promote")[0] == 200
    assert decide(world, "UPAT", "UBEN", feedback("Not yet"))[1] == 200
    status, out, err = cli("cycle", "publish", "2026 H1")
    assert status == 0 and "published 1 decision" in out, err
    world.drain()
    assert outbox(world, PANEL_CALIBRATION) == [], "not while Gus's scored nomination awaits its decision"
    assert decide(world, "UPAT", "UGUS", {**feedback("Promote", next_steps=False), "Effective date": "2026-04-13"})[1] == 200
    status, out, err = cli("cycle", "publish", "2026 H1")
    assert status == 0 and "published 1 decision" in out, err
    world.drain()


def database_kind(world: World) -> str:
    return world.services.engine.dialect.name


def outbox(world: World, purpose: str) -> list[OutboxMessage]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def fairness_dm(world: World, admin: str) -> list[dict[str, Any]]:
    return [m for m in world.dms_to(admin) if (m.get("text") or "").startswith("Fairness audit of")]


def chart_files(world: World, admin: str) -> list[dict[str, Any]]:
    return [f for f in world.slack.files_in(admin) if f["name"].startswith("fairness-promotion-rates")]


def report_files(world: World, admin: str) -> list[dict[str, Any]]:
    return [f for f in world.slack.files_in(admin) if f["name"].startswith("fairness-report")]


def report_of(world: World, name: str) -> FairnessReport:
    with Session(world.services.engine) as session:
        cycle = session.exec(select(PromotionCycle).where(PromotionCycle.name == name)).one()
        return cycle_audit(session, FRAMEWORK, cycle, world.clock())


def bullets(message: dict[str, Any]) -> list[str]:
    """The message's bullet lines as a person reads them (Slack shows `&lt;` as `<`)."""
    return [html.unescape(line.removeprefix("• ")) for line in text_of(message["blocks"]).splitlines() if line.startswith("• ")]


def everything_slack_was_sent(world: World) -> list[tuple[str, str]]:
    """(recipient, text) of every message, update, ephemeral, view and file Ladder sent: its text, blocks, file name,
    title, comment and alt text."""
    out = []
    for call in world.slack.calls():
        args = call.args
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            out.append((str(args.get("channel")), f"{args.get('text', '')}\n{args.get('blocks', '')}"))
        elif call.method in ("views.open", "views.update", "views.push", "views.publish"):
            out.append((str(args.get("user_id") or ""), str(args.get("view", ""))))
        elif call.method == "files.getUploadURLExternal":
            out.append(("upload", f"{args.get('filename', '')}\n{args.get('alt_txt', '')}"))
        elif call.method == "files.completeUploadExternal":
            out.append(
                (
                    str(args.get("channel_id") or args.get("channels")),
                    f"{args.get('files', '')}\n{args.get('initial_comment', '')}",
                )
            )
    return out


def assert_no_small_group_figure(text: str) -> None:
    """Wherever a group below k is named, it is named suppressed, or only listed, with no figure beside it."""
    text = html.unescape(text).replace("\\n", "\n")
    for group in SMALL_GROUPS:
        for found in re.finditer(re.escape(group), text):
            segment = re.split(r"[\n;,'\"]", text[found.end() :], maxsplit=1)[0]
            assert segment in ("", ".") or re.fullmatch(SUPPRESSED, segment), f"{group}{segment!r}"


def test_a_closed_cycles_audit_reaches_each_admin_once_with_its_chart_and_the_chair_gets_their_calibration(world, cli, tmp_path):
    import_groups(cli, tmp_path)
    decided_and_published(world, cli)

    # -- after publication, the chair of the panel that decided gets its calibration (and no group data)
    [calibration] = [m for m in world.dms_to("UPAT") if (m.get("text") or "").startswith("Calibration of IC panel")]
    judges = {line.split(":", 1)[0]: line for line in bullets(calibration) if line.startswith("<@")}
    # ranks on the rubric: Partly 1, Meets 2, Exceeds 3. Ben's panel mean 2, Gus's 8/3; each judge's lean is their mean
    # minus the panel's on the nominations they scored
    assert judges["<@UPAT>"].startswith("<@UPAT>: recommended otherwise than the decision on 1 of 2; overall +0.67")
    assert "lenient on Technical depth (+0.67)" in judges["<@UPAT>"]
    assert judges["<@UDEE>"].startswith("<@UDEE>: recommended otherwise than the decision on 0 of 2; overall +0.17")
    assert "lenient" not in judges["<@UDEE>"] and "severe" not in judges["<@UDEE>"]
    assert judges["<@UEVE>"].startswith("<@UEVE>: recommended otherwise than the decision on 0 of 1; overall -1.00")
    assert "severe on Technical depth (-1.00)" in judges["<@UEVE>"]
    assert judges["<@UCHI>"].startswith("<@UCHI>: recommended otherwise than the decision on 0 of 1; overall -0.67")
    assert len(outbox(world, PANEL_CALIBRATION)) == 1, "the chair only, once"
    assert "woman" not in str(calibration).lower() and "non-binary" not in str(calibration).lower()

    # -- the cycle closes: each admin gets the summary and the chart
    status, out, err = cli("cycle", "close", "2026 H1")
    assert status == 0, err
    world.slack.break_next("files.completeUploadExternal", "reset")  # the chart is shared, Ladder never hears so
    world.drain()
    world.clock.advance(timedelta(minutes=20))  # the retry, after its backoff: it finds the chart there and stops
    world.drain()
    status, out, err = cli("cycle", "close", "2026 H1")  # closed twice
    assert status == 0 and "already closed" in out, err
    world.drain()
    assert len(fairness_dm(world, "UADMIN")) == 1 and len(chart_files(world, "UADMIN")) == 1, "once each"
    assert len(report_files(world, "UADMIN")) == 1
    [shared_once] = [c for c in world.slack.calls("files.completeUploadExternal") if "Promotion rate by group" in str(c.args)]
    assert shared_once.outage == "reset", "shared once: the retry found it in the conversation and did not upload again"
    sent_to_admins = outbox(world, FAIRNESS_REPORT) + outbox(world, FAIRNESS_CHART) + outbox(world, FAIRNESS_DOCUMENT)
    assert len(sent_to_admins) == 3 and {m.status for m in sent_to_admins} == {"sent"}

    # -- the report, figure by figure (k = 5): 20 people eligible (nobody is at the top of a track)
    report = report_of(world, "2026 H1")
    assert (report.totals.eligible, report.totals.nominated, report.totals.promoted, report.totals.not_yet) == (20, 2, 1, 1)
    sections = {s.attribute: s for s in report.attributes}
    gender = {row.group: row for row in sections["gender"].rows}
    assert list(gender) == ["Man", "Woman", "Non-binary", "(unknown)"]
    man, woman = gender["Man"], gender["Woman"]
    assert (man.counts.eligible, man.counts.nominated, man.counts.promoted, man.counts.not_yet) == (8, 2, 1, 1)
    assert (man.counts.nomination_rate, man.counts.promotion_rate, man.counts.success_rate) == (0.25, 0.125, 0.5)
    assert man.impact_ratio == 1.0 and not man.four_fifths and man.too_small_to_test
    # Fisher, men against everyone else eligible (12 people; 1 promotion of 20 in all): the one promotion falls among
    # the 8 men with probability 8/20, among the others with 12/20; two-sided, only the outcome as likely or less counts
    assert man.p_value == pytest.approx(8 / 20, abs=1e-12)
    assert (woman.counts.eligible, woman.counts.nominated, woman.counts.promoted) == (7, 0, 0)
    assert woman.impact_ratio == 0.0 and woman.four_fifths and woman.p_value == pytest.approx(1.0, abs=1e-12)
    for small in ("Non-binary", "(unknown)"):
        assert gender[small].suppressed and gender[small].counts is None and gender[small].p_value is None
    track = {row.group: row for row in sections["track"].rows}
    ic, management = track["Individual Contributor"], track["Management"]
    assert (ic.counts.eligible, ic.counts.nominated, ic.counts.promoted) == (15, 2, 1)
    assert ic.counts.promotion_rate == pytest.approx(1 / 15) and ic.impact_ratio == 1.0
    assert (management.counts.eligible, management.counts.promoted, management.impact_ratio, management.four_fifths) == (
        5,
        0,
        0.0,
        True,
    )

    # -- the admin's message says the same figures
    [message] = fairness_dm(world, "UADMIN")
    shown = html.unescape(text_of(message["blocks"]))
    assert "Fairness audit: 2026 H1" in shown
    assert (
        "Of the *20* people recorded below the top of their track when it opened, *2* were nominated and *1* promoted." in shown
    )
    assert "Below four fifths of the highest promotion rate:* Track: Management (ratio 0.00" in shown
    assert "Gender: Woman (ratio 0.00" in shown
    lines = bullets(message)
    assert "Man: 1 of 8 promoted (12.5%), 2 nominated, ratio 1.00, too few for the test to mean much" in lines
    assert (
        "Woman: 0 of 7 promoted (0.0%), 0 nominated, ratio 0.00 (below four fifths), too few for the test to mean much" in lines
    )
    assert "Individual Contributor: 1 of 15 promoted (6.7%), 2 nominated, ratio 1.00, too few for the test to mean much" in lines
    assert "Non-binary: suppressed (< 5)" in lines and "no group recorded: suppressed (< 5)" in lines
    # Ben's America and Chi's Australia are 2 people together: Europe's 18 beside the total 20 would give them away
    assert "America: suppressed (< 5)" in lines and "Australia: suppressed (< 5)" in lines
    assert "Europe: suppressed (protects a group < 5)" in lines
    # parity: each level of the pairs has fewer than k people here (Staff: Chi, Dee, Gus), so no figure; bands match
    assert "Staff Engineer: suppressed (< 5) vs Senior Engineering Manager: suppressed (< 5); pay bands match" in lines
    assert "Calibration of judges is in the report; panels disagreed most on Technical depth" in shown
    assert (
        "Groups of fewer than 5 people (the framework file's `fairness.min_group_size`), and groups whose figures would" in shown
        and "Gender: Non-binary" in shown
    )

    # -- the chart: the PNG the report draws, its figures in the comment beside it and in its alt text
    [chart] = chart_files(world, "UADMIN")
    CHARTS.mkdir(parents=True, exist_ok=True)  # for a person to look at, as the pages' screenshots are
    (CHARTS / f"fairness-cycle-{database_kind(world)}.png").write_bytes(chart["content"])
    expected = cycle_chart("2026 H1", attribute_rates(report), K)
    assert chart["name"] == chart_filename(report.cycle_id) and chart["title"] == "Promotion rate by group, 2026 H1"
    assert isinstance(chart["content"], bytes) and chart["content"] == expected.png
    assert (
        "Gender: Man: 12.5% (1 of 8), highest; Woman: 0.0% (0 of 7), ratio 0.00, below four fifths; Non-binary: suppressed (< 5)"
        in chart["alt_txt"]
    )
    [shared] = [m for m in world.dms_to("UADMIN") if any(f["id"] == chart["id"] for f in m.get("files", []))]
    assert (
        "Gender: Man: 12.5% (1 of 8), highest" in shared["text"]
        and "Track: Individual Contributor: 6.7% (1 of 15)" in shared["text"]
    )

    # -- the whole report, as `ladder fairness report` prints it, as a Markdown file
    [document] = report_files(world, "UADMIN")
    assert document["name"] == f"fairness-report-cycle-{report.cycle_id}.md" and document["content"] == report_markdown(report)
    for line in document["content"].splitlines():
        if any(group in line for group in SMALL_GROUPS):  # its row and its place in the list of suppressed rows
            assert not re.search(r"\d", re.sub(rf"\b{K}\b", "", line)), f"a figure beside a small group: {line}"

    # -- no Slack output shows a small group's figure; group data reaches admins' fairness outputs only
    sent = everything_slack_was_sent(world)
    for recipient, text in sent:
        assert_no_small_group_figure(text)
        if recipient not in ("UADMIN", "DUADMIN", "upload"):
            assert "woman" not in text.lower() and "non-binary" not in text.lower(), (recipient, text[:200])
    assert world.slack.unexpected_refusals() == []


def test_an_upload_the_token_may_not_make_is_refused_and_the_message_still_goes(world, cli):
    """Without files:write (the manifest asks for it) the fake Slack refuses the chart's upload as Slack would: the chart
    fails with the reason, for an admin to see; the summary still arrives."""
    world.slack.grant(BOT_TOKEN, manifest_bot_scopes() - {"files:write"})
    world.slack.expect_refusals("missing_scope")
    with unit_of_work(world.services.engine) as work:
        Admins(work.session).add("T0TEST", "UMAX", by=CLI)  # an admin when the cycle closes, no longer one when it is sent
        board = Board.open(FRAMEWORK, work.session, world.clock, world.services.admins)
        board.cycles.create(
            "T0TEST", "2026 Q1", CycleDates(MONDAY.date(), MONDAY.date() + timedelta(days=7),
                                            MONDAY.date() + timedelta(days=8), MONDAY.date() + timedelta(days=9)), by="UADMIN",
        )  # fmt: skip
        cycle, closed = board.close("T0TEST", "2026 Q1", by="UADMIN")
        assert closed and to_admins(board.digests.outbox, "T0TEST", cycle.id, ["UADMIN", "UMAX"], world.clock()) == 0, (
            "queued once"
        )
    with unit_of_work(world.services.engine) as work:
        Admins(work.session).remove("T0TEST", "UMAX", by=CLI)
    world.drain()
    everything = outbox(world, FAIRNESS_REPORT) + outbox(world, FAIRNESS_CHART) + outbox(world, FAIRNESS_DOCUMENT)
    skipped = [m for m in everything if m.recipient == "UMAX"]
    assert len(skipped) == 3 and {(m.status, m.error) for m in skipped} == {
        ("skipped", "not sent: the recipient is not an admin")
    }
    assert fairness_dm(world, "UMAX") == [] and world.slack.files_in("UMAX") == []
    [chart] = [m for m in outbox(world, FAIRNESS_CHART) if m.recipient == "UADMIN"]
    assert chart.status == "failed" and "missing_scope" in (chart.error or ""), chart.error
    refused = [c for c in world.slack.calls("files.getUploadURLExternal") if c.answer.get("error") == "missing_scope"]
    assert refused and refused[0].answer["needed"] == "files:write"
    assert chart_files(world, "UADMIN") == [] and len(fairness_dm(world, "UADMIN")) == 1
    # no group data imported: the built-in attributes alone, their groups below k suppressed
    shown = html.unescape(text_of(fairness_dm(world, "UADMIN")[0]["blocks"]))
    assert "*Track*" in shown and "*Gender*" not in shown and "America: suppressed (< 5)" in shown


def test_from_the_second_cycle_on_admins_also_get_the_trend_chart(world, cli, tmp_path):
    import_groups(cli, tmp_path)
    day = MONDAY.date()
    for name, opens in (("2025 H2", day - timedelta(days=180)), ("2026 Q1", day)):
        dates = CycleDates(opens, opens + timedelta(days=7), opens + timedelta(days=8), opens + timedelta(days=9))
        with unit_of_work(world.services.engine) as work:
            board = Board.open(FRAMEWORK, work.session, world.clock, world.services.admins)
            board.cycles.create("T0TEST", name, dates, by="UADMIN")
            board.close("T0TEST", name, by="UADMIN")
        world.drain()
    [trend_row] = outbox(world, FAIRNESS_TREND)  # the first cycle had nothing to compare with
    assert trend_row.status == "sent" and trend_row.recipient == "UADMIN"
    [trend] = [f for f in world.slack.files_in("UADMIN") if f["name"].startswith("fairness-trend")]
    assert trend["title"] == "Promotion rate by group across cycles" and trend["content"][:4] == b"\x89PNG"
    # nobody nominated in either cycle: every shown group at 0%; the small groups suppressed in both
    assert "Gender, Man: 2025 H2 0.0%; 2026 Q1 0.0%" in trend["alt_txt"]
    assert "Gender, Non-binary: 2025 H2 suppressed (< 5); 2026 Q1 suppressed (< 5)" in trend["alt_txt"]
    [shared] = [m for m in world.dms_to("UADMIN") if any(f["id"] == trend["id"] for f in m.get("files", []))]
    assert "Gender, Woman: 2025 H2 0.0%; 2026 Q1 0.0%" in shared["text"]
    for _recipient, text in everything_slack_was_sent(world):
        assert_no_small_group_figure(text)
