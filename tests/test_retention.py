"""Retention: each kind of record goes the day after its cut-off and not the day before, in bounded batches, on SQLite
and PostgreSQL; a dry run changes nothing; an interrupted run loses nothing that should stay; open nominations and
messages still on their way are never touched; the clock applies the policy daily with the time under the test's
control; ``ladder retention run`` says what goes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from bot.framework.model import RetentionPolicy
from bot.retention import runner
from bot.retention.policy import due, years_before
from storage.models import (
    Appeal,
    AuditEvent,
    Checkin,
    CheckinDraft,
    ConflictDeclaration,
    LevelChange,
    Nomination,
    OutboxMessage,
    Panel,
    PanelDecision,
    PanelScore,
    ProcessedEvent,
    PromotionCycle,
    ReviewRequest,
)
from storage.repositories.retention import (
    CHECKIN_DRAFTS,
    CHECKINS,
    DECIDED_NOMINATIONS,
    NOMINATION_DRAFTS,
    PROCESSED_EVENTS,
    SENT_MESSAGES,
    RetentionRepository,
)

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy(
    drafts_days=90, processed_events_days=7, sent_messages_days=90, decided_nominations_years=7, checkins_years=2
)
DAY = timedelta(days=1)
TEAM = "T0TEST"


def cutoff(kind: str, policy: RetentionPolicy = POLICY) -> datetime:
    found = next(d.cutoff for d in due(policy, NOW) if d.kind == kind)
    assert found is not None
    return found


# -- rows -----------------------------------------------------------------------------------------------------------


class World:
    """Rows written straight to the tables, each with the time the test gives it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._n = 0
        with Session(engine, expire_on_commit=False) as session:
            cycle = PromotionCycle(team_id=TEAM, name="2019 H1", opens_on=date(2019, 1, 1))
            panel = Panel(team_id=TEAM, name="IC panel", chair="U0CHAIR")
            session.add_all([cycle, panel])
            session.commit()
            self.cycle_id, self.panel_id = cycle.id, panel.id

    def _next(self) -> int:
        self._n += 1
        return self._n

    def add(self, *rows: SQLModel) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add_all(rows)
            session.commit()

    def checkin_draft(self, at: datetime) -> str:
        user = f"U{self._next():04d}"
        self.add(CheckinDraft(team_id=TEAM, user_id=user, answers={"went_well": "x"}, updated_at=at))
        return user

    def event(self, at: datetime) -> str:
        event_id = f"Ev{self._next():06d}"
        self.add(ProcessedEvent(team_id=TEAM, event_id=event_id, received_at=at))
        return event_id

    def message(
        self, at: datetime, *, status: str = "sent", purpose: str = "checkin_prompt", context: dict[str, Any] | None = None
    ) -> str:
        key = f"msg:{self._next()}"
        sent_at = at if status == "sent" else None
        claimed = at if status == "sending" else None
        row = OutboxMessage(
            team_id=TEAM, key=key, purpose=purpose, recipient="U0ADA", payload={"message": purpose, "context": context or {}},
            status=status, due_at=at, sent_at=sent_at, claimed_at=claimed, created_at=at,
        )  # fmt: skip
        self.add(row)
        return key

    def checkin(self, at: datetime) -> int:
        row = Checkin(team_id=TEAM, user_id="U0ADA", submission_key=f"V{self._next()}", went_well="shipped", submitted_at=at)
        self.add(row)
        assert row.id is not None
        return row.id

    def nomination(self, stage: str, at: datetime, *, whole_case: bool = False, **extra: Any) -> int:
        """A nomination in ``stage`` since ``at``; ``whole_case``: with a review, a conflict, a score, a published
        decision, a decided appeal, an applied level change and its audit trail, all at ``at``."""
        n = self._next()
        row = Nomination(
            team_id=TEAM, cycle_id=self.cycle_id, nominee=f"U{n:04d}", nominator="U0BOSS", from_level="senior",
            target_level="staff", stage=stage, created_at=at - DAY, stage_changed_at=at,
            draft_key=f"{self.cycle_id}:U0BOSS:U{n:04d}" if stage == "draft" else None,
        )  # fmt: skip
        self.add(row)
        assert row.id is not None
        if whole_case:
            i = row.id
            self.add(
                ReviewRequest(team_id=TEAM, nomination_id=i, reviewer="U0PEER", cycle_id=self.cycle_id, status="submitted"),
                ConflictDeclaration(team_id=TEAM, nomination_id=i, user_id="U0RECUSED", declared_at=at),
                PanelScore(team_id=TEAM, nomination_id=i, panel_id=self.panel_id, panelist="U0JUDGE", recommendation="promote"),
                PanelDecision(
                    team_id=TEAM, nomination_id=i, panel_id=self.panel_id, outcome="not_yet", decided_by="U0CHAIR",
                    decided_at=at - DAY, published_at=at - DAY,
                ),
                PanelDecision(
                    team_id=TEAM, nomination_id=i, round="appeal", outcome="promote", decided_by="U0HEAR",
                    effective_on=at.date(), decided_at=at, published_at=at,
                ),
                Appeal(team_id=TEAM, nomination_id=i, appellant=row.nominee, status="decided", filed_at=at - DAY, decided_at=at),
                LevelChange(
                    team_id=TEAM, user_id=row.nominee, nomination_id=i, from_track="ic", from_level="senior", to_track="ic",
                    to_level="staff", effective_on=at.date(), recorded_at=at, applied_at=at,
                ),
                AuditEvent(team_id=TEAM, object_kind="nomination", object_id=i, action="decided", actor="U0CHAIR", at=at),
                AuditEvent(team_id=TEAM, object_kind="panel", object_id=i, action="created", actor="U0CHAIR", at=at),
            )  # fmt: skip
        if extra:
            self.add(*extra.values())
        return row.id

    def counts(self) -> dict[str, int]:
        """Rows in every table of the schema."""
        with Session(self.engine) as session:
            return {
                t.name: session.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables
            }

    def exists(self, model: Any, **where: Any) -> bool:
        with Session(self.engine) as session:
            query = select(func.count()).select_from(model).where(*[getattr(model, k) == v for k, v in where.items()])
            return session.execute(query).scalar_one() > 0


@pytest.fixture
def world(engine) -> World:
    return World(engine)


# -- the policy -------------------------------------------------------------------------------------------------


def test_the_policy_gives_each_kind_its_cut_off_from_now():
    cutoffs = {d.kind: d.cutoff for d in due(RetentionPolicy(), NOW)}
    assert cutoffs == {
        CHECKIN_DRAFTS: NOW - timedelta(days=90),
        NOMINATION_DRAFTS: NOW - timedelta(days=90),
        PROCESSED_EVENTS: NOW - timedelta(days=7),
        SENT_MESSAGES: NOW - timedelta(days=90),
        DECIDED_NOMINATIONS: datetime(2020, 6, 15, 12, 0, tzinfo=UTC),
        CHECKINS: None,  # kept until the person is erased, by default
    }
    assert years_before(datetime(2028, 2, 29, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert cutoff(CHECKINS) == datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


# -- each kind at its boundary --------------------------------------------------------------------------------------


def test_each_kind_goes_the_day_after_its_cut_off_and_stays_the_day_before(world):
    old, young = {}, {}
    for kind, make in (
        (CHECKIN_DRAFTS, world.checkin_draft),
        (PROCESSED_EVENTS, world.event),
        (SENT_MESSAGES, world.message),
        (CHECKINS, world.checkin),
        (NOMINATION_DRAFTS, lambda at: world.nomination("draft", at)),
        (DECIDED_NOMINATIONS, lambda at: world.nomination("published", at, whole_case=True)),
    ):
        old[kind], young[kind] = make(cutoff(kind) - DAY), make(cutoff(kind) + DAY)
    withdrawn = {
        "old": world.nomination("withdrawn", cutoff(DECIDED_NOMINATIONS) - DAY),
        "young": world.nomination("withdrawn", cutoff(DECIDED_NOMINATIONS) + DAY),
    }

    outcomes = {o.due.kind: o for o in runner.apply(world.engine, POLICY, NOW)}

    assert {kind: o.count for kind, o in outcomes.items()} == {
        CHECKIN_DRAFTS: 1, PROCESSED_EVENTS: 1, SENT_MESSAGES: 1, CHECKINS: 1, NOMINATION_DRAFTS: 1, DECIDED_NOMINATIONS: 2,
    }  # fmt: skip
    assert not any(o.more for o in outcomes.values())
    gone_and_kept = [
        (CheckinDraft, "user_id", CHECKIN_DRAFTS),
        (ProcessedEvent, "event_id", PROCESSED_EVENTS),
        (OutboxMessage, "key", SENT_MESSAGES),
        (Checkin, "id", CHECKINS),
        (Nomination, "id", NOMINATION_DRAFTS),
        (Nomination, "id", DECIDED_NOMINATIONS),
    ]
    for model, column, kind in gone_and_kept:
        assert not world.exists(model, **{column: old[kind]}), kind
        assert world.exists(model, **{column: young[kind]}), kind
    assert not world.exists(Nomination, id=withdrawn["old"]) and world.exists(Nomination, id=withdrawn["young"])


def test_a_decided_nomination_goes_with_everything_that_belongs_to_it_but_the_level_history(world):
    gone = world.nomination("published", cutoff(DECIDED_NOMINATIONS) - DAY, whole_case=True)
    kept = world.nomination("published", cutoff(DECIDED_NOMINATIONS) + DAY, whole_case=True)

    [outcome] = [o for o in runner.apply(world.engine, POLICY, NOW) if o.due.kind == DECIDED_NOMINATIONS]

    assert outcome.rows == {
        "nomination": 1, "panel_score": 1, "panel_decision": 2, "appeal": 1, "conflict_declaration": 1,
        "review_request": 1, "level_change (unlinked, kept)": 1, "audit_event": 1,
    }  # fmt: skip
    for model in (ReviewRequest, ConflictDeclaration, PanelScore, PanelDecision, Appeal):
        assert not world.exists(model, nomination_id=gone) and world.exists(model, nomination_id=kept)
    assert not world.exists(AuditEvent, object_kind="nomination", object_id=gone)
    assert world.exists(AuditEvent, object_kind="panel", object_id=gone)  # another object's trail, same id: kept
    with Session(world.engine) as session:
        history = session.execute(select(LevelChange.nomination_id, LevelChange.to_level).order_by(LevelChange.id)).all()
    assert history == [(None, "staff"), (kept, "staff")]  # the person's level history stays, without the link


def test_a_nomination_whose_last_decision_is_recent_stays_however_long_ago_it_was_published(world):
    long_ago = cutoff(DECIDED_NOMINATIONS) - 400 * DAY
    late_appeal = world.nomination("published", long_ago)
    world.add(
        PanelDecision(
            team_id=TEAM, nomination_id=late_appeal, round="appeal", outcome="upheld", decided_by="U0HEAR",
            decided_at=cutoff(DECIDED_NOMINATIONS) + DAY, published_at=cutoff(DECIDED_NOMINATIONS) + DAY,
        )
    )  # fmt: skip
    appeal_pending = world.nomination("published", long_ago)
    world.add(Appeal(team_id=TEAM, nomination_id=appeal_pending, appellant="U0X", status="filed", filed_at=long_ago))
    promotion_pending = world.nomination("published", long_ago)
    world.add(
        LevelChange(
            team_id=TEAM, user_id="U0Y", nomination_id=promotion_pending, from_track="ic", from_level="senior", to_track="ic",
            to_level="staff", effective_on=NOW.date() + DAY,
        )
    )  # fmt: skip

    runner.apply(world.engine, POLICY, NOW)

    for nomination_id in (late_appeal, appeal_pending, promotion_pending):
        assert world.exists(Nomination, id=nomination_id)


def test_open_nominations_and_messages_on_their_way_are_never_touched(world):
    ancient = NOW - 30 * 365 * DAY
    open_ones = [world.nomination(stage, ancient) for stage in ("collecting", "ready", "decided")]
    on_their_way = [world.message(ancient, status=status) for status in ("pending", "sending")]
    finished = [world.message(ancient, status=status) for status in ("sent", "skipped", "failed")]
    before = world.counts()

    runner.apply(
        world.engine,
        RetentionPolicy(drafts_days=1, processed_events_days=1, sent_messages_days=1, decided_nominations_years=1),
        NOW,
    )

    assert all(world.exists(Nomination, id=n) for n in open_ones)
    assert all(world.exists(OutboxMessage, key=k) for k in on_their_way)
    assert not any(world.exists(OutboxMessage, key=k) for k in finished)
    assert world.counts() == {**before, "outbox": before["outbox"] - 3}


def test_a_packet_or_private_digest_stays_while_a_nomination_it_is_about_is_open(world):
    """A take-back must find what it gave to whom while the panel may still change: kept, however old, until then."""
    old = cutoff(SENT_MESSAGES) - 100 * DAY
    open_one = world.nomination("ready", old)
    closed = world.nomination("published", old)
    kept = [
        world.message(old, purpose=runner.PACKET, context={"nomination_id": open_one}),
        world.message(old, purpose=runner.DIGEST_PRIVATE, context={"nomination_ids": [closed, open_one]}),
    ]
    going = [
        world.message(old, purpose=runner.PACKET, context={"nomination_id": closed}),
        world.message(old, purpose=runner.DIGEST_PRIVATE, context={"nomination_ids": [closed]}),
        world.message(old, purpose=runner.PACKET, context={"nomination_id": 999_999}),  # a nomination gone since
    ]

    [preview] = [o for o in runner.preview(world.engine, POLICY, NOW) if o.due.kind == SENT_MESSAGES]
    [outcome] = [o for o in runner.apply(world.engine, POLICY, NOW, batch_rows=2) if o.due.kind == SENT_MESSAGES]

    assert preview.count == outcome.count == 3
    assert all(world.exists(OutboxMessage, key=k) for k in kept)
    assert not any(world.exists(OutboxMessage, key=k) for k in going)


# -- dry run, bounded batches, interruptions, two processes ---------------------------------------------------------


def _a_bit_of_everything(world: World, old: int = 3, young: int = 2) -> None:
    for kind, make in (
        (CHECKIN_DRAFTS, world.checkin_draft),
        (PROCESSED_EVENTS, world.event),
        (SENT_MESSAGES, world.message),
        (CHECKINS, world.checkin),
        (NOMINATION_DRAFTS, lambda at: world.nomination("draft", at)),
        (DECIDED_NOMINATIONS, lambda at: world.nomination("published", at, whole_case=True)),
    ):
        for n in range(old):
            make(cutoff(kind) - (n + 1) * DAY)
        for n in range(young):
            make(cutoff(kind) + (n + 1) * DAY)


def test_a_dry_run_counts_what_a_run_removes_and_changes_nothing(world):
    _a_bit_of_everything(world)
    before = world.counts()

    preview = runner.preview(world.engine, POLICY, NOW)

    assert world.counts() == before
    applied = runner.apply(world.engine, POLICY, NOW)
    assert [(o.due.kind, o.rows) for o in preview] == [(o.due.kind, o.rows) for o in applied]
    assert all(o.count == 3 for o in applied)
    assert runner.preview(world.engine, POLICY, NOW)[0].count == 0


def test_more_rows_than_a_run_takes_go_over_several_runs_each_bounded(world):
    for n in range(23):
        world.event(cutoff(PROCESSED_EVENTS) - (n + 1) * DAY)
        world.message(cutoff(SENT_MESSAGES) - (n % 3 + 1) * DAY)  # ties on time: the order is still stable
    for n in range(5):
        world.nomination("published", cutoff(DECIDED_NOMINATIONS) - (n + 1) * DAY, whole_case=True)
    keep = [world.event(NOW), world.message(NOW)]

    runs = []
    while True:
        outcomes = {
            o.due.kind: o for o in runner.apply(world.engine, POLICY, NOW, batch_rows=5, nominations_per_batch=2, max_batches=2)
        }
        runs.append((outcomes[PROCESSED_EVENTS].count, outcomes[SENT_MESSAGES].count, outcomes[DECIDED_NOMINATIONS].count))
        if not any(o.more for o in outcomes.values()):
            break
        assert len(runs) < 10

    assert runs == [(10, 10, 4), (10, 10, 1), (3, 3, 0)]
    assert world.counts()["processed_event"] == 1 and world.counts()["outbox"] == 1 and world.counts()["nomination"] == 0
    assert world.exists(ProcessedEvent, event_id=keep[0]) and world.exists(OutboxMessage, key=keep[1])


def test_a_run_interrupted_mid_batch_loses_nothing_and_the_next_run_finishes(world, monkeypatch):
    _a_bit_of_everything(world)
    before = world.counts()
    real = RetentionRepository._deleted
    scores_deleted = []

    def dies_inside_the_first_batch_of_decided_nominations(self: RetentionRepository, statement: Any) -> int:
        table = statement.table.name
        if table == "appeal" and scores_deleted:
            raise KeyboardInterrupt  # after that batch deleted its nominations' scores and decisions, before the rest
        removed = real(self, statement)
        if table == "panel_score" and removed:
            scores_deleted.append(removed)
        return removed

    monkeypatch.setattr(RetentionRepository, "_deleted", dies_inside_the_first_batch_of_decided_nominations)
    with pytest.raises(KeyboardInterrupt):
        runner.apply(world.engine, POLICY, NOW, nominations_per_batch=2)
    went_before_it = {"checkin_draft", "nomination", "processed_event", "outbox"}  # the kinds applied before it, whole
    assert world.counts() == {t: n - 3 if t in went_before_it else n for t, n in before.items()}

    monkeypatch.setattr(RetentionRepository, "_deleted", real)
    runner.apply(world.engine, POLICY, NOW)
    assert all(o.count == 0 for o in runner.preview(world.engine, POLICY, NOW))
    assert world.counts()["nomination"] == 4  # the young drafts and decided nominations


def test_two_processes_applying_the_policy_at_once_remove_each_row_once_and_nothing_else(world):
    _a_bit_of_everything(world, old=12, young=2)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(runner.apply(world.engine, POLICY, NOW, batch_rows=3, nominations_per_batch=2))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert all(o.count == 0 for o in runner.preview(world.engine, POLICY, NOW))
    removed = [sum(run[i].count for run in results) for i in range(6)]
    assert removed == [12] * 6  # every due row removed once, by one or the other
    assert world.counts()["nomination"] == 4 and world.counts()["checkin"] == 2


# -- the clock's daily job -----------------------------------------------------------------------------------------


def test_the_clock_applies_the_policy_daily_with_the_time_under_the_test_s_control(fake_slack, tmp_path):
    from bot.runtime.clock import apply_retention
    from tests.app_server import running_ladder
    from tests.clock import TestClock

    time = TestClock(datetime.now(UTC))
    with running_ladder(fake_slack.url, tmp_path, now=time) as ladder:
        remembered = _three_events(ladder)

        time.advance(timedelta(days=7, hours=-1))  # the default policy: 7 days
        apply_retention(ladder.services)
        assert not any(_new_to_ladder(ladder, event) for event in remembered)  # still recognised as retries

        time.advance(timedelta(hours=2))
        apply_retention(ladder.services)
        assert _events_kept(ladder) == 0
        assert all(_new_to_ladder(ladder, event) for event in remembered)  # forgotten: new to Ladder now


def _three_events(ladder) -> list[Any]:  # type: ignore[no-untyped-def]
    for n in range(3):
        ladder.slack.event(
            {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "text": "x", "ts": f"1.{n}"}
        )
    with Session(ladder.services.engine) as session:
        remembered = session.execute(select(ProcessedEvent.team_id, ProcessedEvent.event_id)).all()
    assert len(remembered) == 3
    return list(remembered)


def _new_to_ladder(ladder, event) -> bool:  # type: ignore[no-untyped-def]
    """Whether a redelivery of the event would be handled (its claim taken, here rolled back again)."""
    from storage.repositories import EventLog

    with Session(ladder.services.engine) as session:
        claimed = EventLog(session).claim(*event)
        session.rollback()
    return claimed


def _events_kept(ladder) -> int:  # type: ignore[no-untyped-def]
    with Session(ladder.services.engine) as session:
        return session.execute(select(func.count()).select_from(ProcessedEvent)).scalar_one()


# -- ladder retention run -------------------------------------------------------------------------------------------


@pytest.fixture
def cli(fake_slack, sqlite_url, tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """``ladder retention run`` on a database of the test's, with a framework file that keeps check-ins 2 years."""
    from bot.cli import main
    from bot.framework.loader import default_framework_path
    from storage.engine import make_engine
    from storage.migrate import upgrade
    from tests.app_server import BOT_TOKEN

    framework = tmp_path / "framework.yaml"
    framework.write_text(default_framework_path().read_text() + "\nretention:\n  drafts_days: 30\n  checkins_years: 2\n")
    upgrade(sqlite_url)
    env = {
        "DATABASE_URL": sqlite_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake_slack.url,
        "LADDER_FRAMEWORK": str(framework),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    run.world = World(make_engine(sqlite_url))  # type: ignore[attr-defined]
    return run


def test_the_command_line_says_what_would_go_then_removes_it(cli):
    world, now = cli.world, datetime.now(UTC)
    going = [world.checkin_draft(now - 31 * DAY), world.nomination("draft", now - 31 * DAY)]
    staying = [world.checkin_draft(now - 29 * DAY), world.checkin(now - 700 * DAY)]
    world.checkin(now - 740 * DAY)
    world.nomination("published", years_before(now, 7) - DAY, whole_case=True)
    before = world.counts()

    status, out, err = cli("retention", "run", "--dry-run")

    assert (status, err) == (0, "") and world.counts() == before
    lines = out.splitlines()
    assert "(dry run: nothing was removed)" in lines[0]
    drafts_cutoff = f"{now - 30 * DAY:%Y-%m-%d}"
    assert f"- check-in drafts: kept 30 days (retention.drafts_days); older than {drafts_cutoff}" in out
    assert lines[1].endswith(": 1 would go") and lines[2].endswith(": 1 would go")
    assert "- processed Slack events: kept 7 days (retention.processed_events_days)" in lines[3]
    assert "- check-ins: kept 2 years (retention.checkins_years)" in lines[6] and lines[6].endswith(": 1 would go")
    assert lines[5].startswith("- decided nominations: kept 7 years (retention.decided_nominations_years); older than ")
    assert lines[5].endswith(
        ": 1 would go, with 1 panel score, 2 decisions, 1 appeal, 1 declared conflict, 1 peer review request, "
        "1 audit event, 1 level change unlinked (kept)"
    )

    status, out, err = cli("retention", "run")

    assert (status, err) == (0, "") and "dry run" not in out and out.count(": 1 removed") == 4
    assert not world.exists(CheckinDraft, user_id=going[0]) and not world.exists(Nomination, id=going[1])
    assert world.exists(CheckinDraft, user_id=staying[0]) and world.exists(Checkin, id=staying[1])
    assert world.counts()["level_change"] == 1
    status, out, err = cli("retention", "run", "--dry-run")
    assert out.count(": 0 would go") == 6


def test_a_policy_the_framework_file_gets_wrong_is_refused_before_anything_is_removed(cli, monkeypatch, tmp_path):
    from bot.framework.loader import default_framework_path

    world = cli.world
    world.checkin_draft(datetime.now(UTC) - 400 * DAY)
    framework = tmp_path / "wrong.yaml"
    framework.write_text(default_framework_path().read_text() + "\nretention:\n  drafts_days: 0\n")
    monkeypatch.setenv("LADDER_FRAMEWORK", str(framework))
    before = world.counts()

    status, out, err = cli("retention", "run")

    assert status == 1 and out == "" and "retention.drafts_days: must be at least 1, got 0" in err
    assert "Traceback" not in err and world.counts() == before


def test_the_clock_schedules_the_policy_at_its_start_and_daily_at_three_utc(fake_slack, tmp_path):
    """The scheduler keeps its jobs in memory (what is due is decided by data): each job runs first when the clock
    starts, so a clock that was down at 03:00 applies the policy when it is back, then daily at 03:00 UTC."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.runtime.clock import apply_retention, schedule_jobs, tick
    from tests.app_server import running_ladder

    start = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    with running_ladder(fake_slack.url, tmp_path) as ladder:
        scheduler = BackgroundScheduler(timezone="UTC")
        schedule_jobs(scheduler, ladder.services, start)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"checkins", "retention"}
        assert (jobs["retention"].func, jobs["retention"].args) == (apply_retention, (ladder.services,))
        assert (jobs["checkins"].func, jobs["checkins"].args) == (tick, (ladder.services,))
        assert jobs["retention"].next_run_time == jobs["checkins"].next_run_time == start
        after_start = jobs["retention"].trigger.get_next_fire_time(start, start)
        assert after_start == datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
        assert jobs["checkins"].trigger.get_next_fire_time(start, start) == start + timedelta(minutes=1)


def test_a_clock_that_was_down_applies_the_policy_when_it_starts(fake_slack, tmp_path):
    from bot.runtime.clock import Clock
    from tests.app_server import running_ladder
    from tests.clock import TestClock

    time = TestClock(datetime.now(UTC))
    with running_ladder(fake_slack.url, tmp_path, now=time) as ladder:
        _three_events(ladder)
        time.advance(timedelta(days=8))  # the clock was down when they fell due
        clock = Clock(ladder.services, lease_seconds=3)
        running = threading.Thread(target=clock.run, daemon=True)
        running.start()
        try:
            for _ in range(200):  # the clock's thread starting, not time passing: at most a few seconds
                if _events_kept(ladder) == 0:
                    break
                threading.Event().wait(0.05)
        finally:
            clock.stop()
            running.join(timeout=30)
        assert _events_kept(ladder) == 0
