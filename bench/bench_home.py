"""Benchmark for issue #7: App Home publish for a person with five years of history vs a new person.

The whole app runs in-process on a local port (tests/app_server.py `running_ladder`, the real WSGI
app, Bolt, handlers and SQLite storage) against the fake Slack Web API. Two people at Senior Software
Engineer (next level: Staff) in the same team, which has mentors and open stretch opportunities:

- the veteran: 260 weekly check-ins over five years, each rating every competency of Staff with notes,
  half shared with their manager; mentoring offered, mentorships as mentee and mentor, stretch work
  posted (with interests) and interests raised in others' work;
- the newcomer: nothing yet;
- (for reference, not a target) someone in their first week: one check-in rated as the veteran's latest, so the
  growth plan matches the veteran's and the difference left is the history.

Each publish is driven as Slack drives it: a signed `app_home_opened` event (unique event_id) POSTed
to /slack/events on a new connection; the time measured runs from the request to the moment the
fake Slack receives the views.publish for that person (an outbox row since issue #19, sent by the app's senders,
their pacer unlimited: Slack's limit on views.publish is not what is measured). After a warm-up, the people take turns
(500 publishes each by default, so that p99 is not one outlier). Target: p50 and p99 ratio (veteran / newcomer) <= 2.

Also checked: every event answered with HTTP 200 and a views.publish (a failed one is listed, not timed).
Also reported: SQL statements per publish (SQLAlchemy `before_cursor_execute`) and blocks published
for each, and an in-process split of one publish into reading the Home (bot.home.home_of) and
rendering it (messages.home.home_view), to show where time goes if the target is missed.

Run:  .venv/bin/python bench/bench_home.py [--publishes 500] [--checkins 260]
"""

from __future__ import annotations

import argparse
import gc
import http.client
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.bench_outbox import machine, print_table  # noqa: E402
from bench.bench_slack import percentile  # noqa: E402
from bot.runtime.pacing import Pacer  # noqa: E402
from storage.engine import reading  # noqa: E402
from storage.models import (  # noqa: E402
    Checkin,
    CheckinSchedule,
    MentorOffer,
    Mentorship,
    Person,
    StretchAssignment,
    StretchInterest,
)
from tests.app_server import SIGNING_SECRET, running_ladder  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402
from tests.slack_requests import sign  # noqa: E402

TEAM = "T0TEST"
VETERAN, NEWCOMER, FIRST_WEEK, MANAGER = "U0VETERAN", "U0NEWCOMER", "U0FIRSTWEEK", "U0MANAGER"
COMPETENCIES = ("technical_depth", "project_execution", "strategic_influence", "mentoring")
"""What Staff (the next level of both people) expects."""
RATINGS = ("not_yet", "partly", "meets", "exceeds")
MENTORS = [
    (f"U0MENTOR{i:02d}", level)
    for i, level in enumerate(
        [
            "staff",
            "staff",
            "principal",
            "principal",
            "distinguished",
            "staff",
            "sr_em",
            "director",
            "staff",
            "principal",
            "staff",
            "em",
        ]
    )
]
COLLEAGUES = [f"U0PEER{i:02d}" for i in range(20)]
PROSE = (
    "Led the migration of the billing service to the new queue, wrote the design doc, reviewed it with two teams, and "
    "ran the rollout behind a flag; next I want to own the capacity plan and coach the on-call rotation. "
)


class PublishClock(FakeSlack):
    """The tests' fake Slack, noting when each views.publish arrived (perf_counter seconds), by user."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.arrived: dict[str, float] = {}
        self._arrivals = threading.Lock()

    def handle(self, method: str, args: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        if method == "views.publish":
            with self._arrivals:
                self.arrived[str(args.get("user_id"))] = time.perf_counter()
        return super().handle(method, args, headers)


# -- the organisation ----------------------------------------------------------------------------------------


def seed(engine: Any, fake: FakeSlack, checkins: int) -> None:
    now = datetime.now(UTC)
    today = now.date()
    people = [
        (VETERAN, "senior", MANAGER),
        (NEWCOMER, "senior", MANAGER),
        (FIRST_WEEK, "senior", MANAGER),
        (MANAGER, "sr_em", None),
    ]
    people += [(m, level, MANAGER) for m, level in MENTORS] + [(p, "se2", MANAGER) for p in COLLEAGUES]
    with Session(engine) as session:
        for user_id, level, manager in people:
            track = "management" if level in ("em", "sr_em", "director", "vp", "cto") else "ic"
            session.add(Person(team_id=TEAM, user_id=user_id, name=f"Name of {user_id}", email=f"{user_id.lower()}@example.com",
                               track=track, level=level, manager_user_id=manager))  # fmt: skip
            session.add(CheckinSchedule(team_id=TEAM, user_id=user_id, cadence="weekly", weekday=1, timezone="Europe/London",
                                        next_prompt_at=now + timedelta(days=3)))  # fmt: skip
            fake.add_user(user_id, f"{user_id.lower()}@example.com", f"Name of {user_id}")
        # the veteran's five years of weekly check-ins, rating every competency of Staff
        for week in range(checkins):
            submitted = now - timedelta(weeks=checkins - week, hours=week % 7)
            ratings = {c: RATINGS[(week + i) % 3 if week < checkins - 1 else i % 3] for i, c in enumerate(COMPETENCIES)}
            session.add(
                Checkin(
                    team_id=TEAM, user_id=VETERAN, submission_key=f"V{week:08d}", track="ic", level="staff",
                    went_well=PROSE[: 150 + week % 150], goals=PROSE[: 200 + week % 100], obstacles=PROSE[: 80 + week % 60],
                    ratings=ratings, notes={c: PROSE[: 120 + (week * 7 + i) % 200] for i, c in enumerate(COMPETENCIES)},
                    support=["mentor", "stretch"] if week % 3 == 0 else ["time"], shared_with=MANAGER if week % 2 == 0 else None,
                    submitted_at=submitted,
                )
            )  # fmt: skip
        # someone in their first week, whose one check-in rates as the veteran's latest does (the same Home, without the history)
        session.add(
            Checkin(
                team_id=TEAM, user_id=FIRST_WEEK, submission_key="F00000000", track="ic", level="staff", went_well=PROSE[:200],
                goals=PROSE[:250], obstacles=PROSE[:100], ratings={c: RATINGS[i % 3] for i, c in enumerate(COMPETENCIES)},
                notes={c: PROSE[:200] for c in COMPETENCIES}, support=["time"], submitted_at=now - timedelta(days=2),
            )
        )  # fmt: skip
        # the mentors' own latest check-ins (mentor suggestions read them) and their offers
        for index, (mentor, level) in enumerate(MENTORS):
            rated = "staff" if level in ("staff", "em") else level
            for k in range(3):
                session.add(
                    Checkin(team_id=TEAM, user_id=mentor, submission_key=f"M{index:02d}{k}", track="ic", level=rated, went_well=PROSE[:100],
                            goals=PROSE[:100], ratings={c: RATINGS[2 + (index + k) % 2] for c in COMPETENCIES},
                            submitted_at=now - timedelta(weeks=3 - k))
                )  # fmt: skip
            session.add(MentorOffer(team_id=TEAM, user_id=mentor, competencies=list(COMPETENCIES[: 1 + index % 4]), capacity=3))
        session.add(MentorOffer(team_id=TEAM, user_id=VETERAN, competencies=["technical_depth"], capacity=2))
        # mentorships over the years: the veteran as mentee and as mentor
        pairs = [
            (VETERAN, MENTORS[0][0], "ended"), (VETERAN, MENTORS[2][0], "accepted"), (VETERAN, MENTORS[4][0], "declined"),
            (COLLEAGUES[0], VETERAN, "accepted"), (COLLEAGUES[1], VETERAN, "requested"), (COLLEAGUES[2], VETERAN, "ended"),
            (COLLEAGUES[3], MENTORS[1][0], "accepted"), (COLLEAGUES[4], MENTORS[5][0], "requested"),
        ]  # fmt: skip
        for mentee, mentor, status in pairs:
            session.add(
                Mentorship(team_id=TEAM, mentee=mentee, mentor=mentor, competency="technical_depth", status=status,
                           requested_at=now - timedelta(days=400), decided_at=None if status == "requested" else now - timedelta(days=390),
                           next_checkin_at=now + timedelta(days=5) if status == "accepted" else None)
            )  # fmt: skip
        session.flush()
        # stretch work: 20 open opportunities posted by mentors, 5 posted by the veteran over the years
        assignments = []
        for i in range(20):
            poster = MENTORS[i % len(MENTORS)][0]
            assignments.append(
                StretchAssignment(team_id=TEAM, submission_key=f"S{i:03d}", poster=poster, title=f"Stretch opportunity {i}: {PROSE[:60]}",
                                  description=PROSE, competencies=[COMPETENCIES[i % 4], COMPETENCIES[(i + 1) % 4]],
                                  levels=["staff", "senior"] if i % 2 else [], starts_on=today + timedelta(days=i),
                                  ends_on=today + timedelta(days=30 + i), contact=poster, status="open", created_at=now - timedelta(days=i))
            )  # fmt: skip
        for i in range(5):
            assignments.append(
                StretchAssignment(team_id=TEAM, submission_key=f"SV{i:02d}", poster=VETERAN, title=f"The veteran's opportunity {i}",
                                  description=PROSE, competencies=[COMPETENCIES[i % 4]], levels=[], starts_on=today - timedelta(days=300 - 60 * i),
                                  ends_on=today + timedelta(days=10 + i) if i >= 3 else today - timedelta(days=200 - 60 * i),
                                  contact=VETERAN, status="open" if i >= 3 else "closed", created_at=now - timedelta(days=300 - 60 * i))
            )  # fmt: skip
        session.add_all(assignments)
        session.flush()
        for assignment in assignments[20:]:  # interests in the veteran's own work, one taken per closed one
            for k, colleague in enumerate(COLLEAGUES[:8]):
                taken = assignment.status == "closed" and k == 0
                session.add(StretchInterest(team_id=TEAM, assignment_id=assignment.id, user_id=colleague, status="taken" if taken else "interested",
                                            created_at=now - timedelta(days=100 - k), taken_at=now - timedelta(days=90) if taken else None))  # fmt: skip
        for assignment in assignments[:10]:  # the veteran raised a hand for half the open ones
            session.add(
                StretchInterest(team_id=TEAM, assignment_id=assignment.id, user_id=VETERAN, created_at=now - timedelta(days=2))
            )
        session.commit()


# -- one publish over HTTP ---------------------------------------------------------------------------------------

_event_ids = itertools.count(1)
REQUEST_TIMEOUT = 60.0


class PublishFailed(Exception):
    """An app_home_opened the app did not answer with 200 and a views.publish (counted and reported, not timed)."""


def home_opened_body(user_id: str, n: int) -> bytes:
    """The event Slack sends when someone opens the app's Home tab (as tests/slack_requests.py builds it); `n` makes its id unique."""
    return json.dumps(
        {
            "token": "verification-token-unused",
            "team_id": TEAM,
            "api_app_id": "A0LADDER",
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": f"D{user_id}",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "type": "event_callback",
            "event_id": f"EvHOME{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"enterprise_id": None, "team_id": TEAM, "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-home-{n}",
            "context_team_id": TEAM,
            "context_enterprise_id": None,
        }
    ).encode()


class GcPauses:
    """Seconds this process spent in the garbage collector (every thread stops for it)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def close(self) -> None:
        gc.callbacks.remove(self._note)


def publish_over_http(port: int, fake: PublishClock, user_id: str, counter: list[int]) -> tuple[float, float, int]:
    """(seconds from request to views.publish arriving, seconds for the whole request, SQL statements)."""
    n = next(_event_ids)
    body = home_opened_body(user_id, n)
    headers = {"Content-Type": "application/json", "Connection": "close", **sign(SIGNING_SECRET, body)}
    fake.reset()  # Slack's memory of earlier calls is not the app's: keep it from growing in this process
    statements_before = counter[0]
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("POST", "/slack/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    except TimeoutError:
        raise PublishFailed(f"event {n} ({user_id}): no answer within {REQUEST_TIMEOUT:g} s") from None
    finally:
        conn.close()
    answered = time.perf_counter()
    if response.status != 200:
        raise PublishFailed(f"event {n} ({user_id}): HTTP {response.status} after {answered - started:.1f} s")
    deadline = answered + REQUEST_TIMEOUT  # the publication is an outbox row, sent by the worker's senders after commit
    while (arrived := fake.arrived.get(user_id, 0.0)) < started and time.perf_counter() < deadline:
        time.sleep(0.0002)
    if arrived < started:
        raise PublishFailed(f"event {n} ({user_id}): HTTP 200 after {answered - started:.1f} s but no views.publish")
    return arrived - started, answered - started, counter[0] - statements_before


# -- in-process split ---------------------------------------------------------------------------------------------


def split(services: Any, user_id: str, runs: int) -> dict[str, float]:
    """Median ms of reading the Home (home_of, mentor names) and of rendering it (home_view), in-process."""
    from bot.checkins.service import Checkins
    from bot.home import home_of
    from messages.home import home_view

    reads, renders = [], []
    for _ in range(runs):
        with Session(services.engine, expire_on_commit=False) as session:
            t0 = time.perf_counter()
            home = home_of(services.framework, session, TEAM, user_id, now=services.now, admins=services.admins)
            checkins = Checkins(services.framework, session, services.now)
            mentor_ids = {m for gap in home.plan.gaps for m in gap.mentors}
            names = {m: (p.name if (p := checkins.person(TEAM, m)) and p.name else "") for m in mentor_ids}
            t1 = time.perf_counter()
            home_view(services.framework, home, names)
            t2 = time.perf_counter()
            session.rollback()
        reads.append(t1 - t0)
        renders.append(t2 - t1)
    return {"read_ms": statistics.median(reads) * 1000, "render_ms": statistics.median(renders) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publishes", type=int, default=500, help="timed publishes for each person (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed publishes for each person first (default 20)")
    parser.add_argument("--checkins", type=int, default=260, help="the veteran's weekly check-ins (default 260: five years)")
    args = parser.parse_args()
    print(f"machine: {machine()}")

    with tempfile.TemporaryDirectory() as tmp, PublishClock() as fake, running_ladder(fake.url, Path(tmp)) as ladder:
        services = ladder.services
        # what is measured is composing and publishing a Home, not Slack's limit on views.publish (Tier 4, ~100 a minute)
        services.sender.pacer = Pacer.unlimited(time.time)
        seed(services.engine, fake, args.checkins)
        port = int(urllib.parse.urlsplit(ladder.url).port or 0)
        counter = [0]

        def count(*_args: Any) -> None:
            counter[0] += 1

        engines = {services.engine, reading(services.engine)}  # the Home is read on the readers' own pool
        for engine in engines:
            event.listen(engine, "before_cursor_execute", count)
        people = {"veteran": VETERAN, "newcomer": NEWCOMER, "first week": FIRST_WEEK}
        failed: list[str] = []
        for _ in range(args.warmup):  # first requests pay for imports, template compilation, the bot's identity
            for user_id in people.values():
                try:
                    publish_over_http(port, fake, user_id, counter)
                except PublishFailed as failure:
                    failed.append(f"{failure} (warm-up)")
        gc.collect()
        gc.freeze()  # as a `ladder serve` worker does once the app is built (bot/cli/serve.py _wsgi_app)
        pauses = GcPauses()
        gc_ms: dict[str, list[float]] = {name: [] for name in people}
        latency: dict[str, list[float]] = {name: [] for name in people}
        request: dict[str, list[float]] = {name: [] for name in people}
        statements: dict[str, list[int]] = {name: [] for name in people}
        for i in range(args.publishes):
            order = list(people)[i % 3 :] + list(people)[: i % 3]  # each goes first in turn
            for name in order:
                gc_before = pauses.seconds
                try:
                    to_publish, whole, sql = publish_over_http(port, fake, people[name], counter)
                except PublishFailed as failure:
                    failed.append(str(failure))
                    continue
                gc_ms[name].append((pauses.seconds - gc_before) * 1000)
                latency[name].append(to_publish)
                request[name].append(whole)
                statements[name].append(sql)
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
        pauses.close()
        homes = {name: fake.home_of(user_id) or {} for name, user_id in people.items()}
        refused = fake.unexpected_refusals()
        parts = {name: split(services, user_id, 50) for name, user_id in people.items()}

    if refused:
        raise SystemExit(
            "Slack refused what the bot sent: " + "; ".join(f"{c.method}: {c.answer.get('error')}" for c in refused[:5])
        )
    veteran_text = json.dumps(homes["veteran"])
    if f"{args.checkins} check-ins in all" not in veteran_text:
        raise SystemExit("the veteran's Home does not show their check-in count: the data did not load as intended")

    ms = {
        name: {"p50": percentile(v, 0.50) * 1000, "p99": percentile(v, 0.99) * 1000, "mean": statistics.fmean(v) * 1000}
        for name, v in latency.items()
    }
    whole = {name: {"p50": percentile(v, 0.50) * 1000, "p99": percentile(v, 0.99) * 1000} for name, v in request.items()}
    print(
        f"\nApp Home publish over HTTP (signed app_home_opened -> views.publish arriving at the fake Slack), {args.publishes} each, interleaved, after {args.warmup} warm-up each:"
    )
    for name in people:
        blocks = len(homes[name].get("blocks") or [])
        print(
            f"  {name:<10}: p50 {ms[name]['p50']:.2f} ms  p99 {ms[name]['p99']:.2f} ms  mean {ms[name]['mean']:.2f} ms | whole request p50 {whole[name]['p50']:.2f} ms"
            f" p99 {whole[name]['p99']:.2f} ms | {statistics.median(statements[name]):.0f} SQL statements | {blocks} blocks"
            f" | in-process: read {parts[name]['read_ms']:.2f} ms, render {parts[name]['render_ms']:.2f} ms"
            f" | GC {sum(gc_ms[name]):.0f} ms in all, at most {max(gc_ms[name]):.1f} ms in one publish"
        )
    total = (args.warmup + args.publishes) * len(people)
    p50_ratio = ms["veteran"]["p50"] / ms["newcomer"]["p50"]
    p99_ratio = ms["veteran"]["p99"] / ms["newcomer"]["p99"]
    print_table(
        [
            (
                "Home publish p50 ratio",
                "veteran / newcomer <= 2",
                f"{ms['veteran']['p50']:.2f} / {ms['newcomer']['p50']:.2f} ms = {p50_ratio:.2f}",
                p50_ratio <= 2,
            ),
            (
                "Home publish p99 ratio",
                "veteran / newcomer <= 2",
                f"{ms['veteran']['p99']:.2f} / {ms['newcomer']['p99']:.2f} ms = {p99_ratio:.2f}",
                p99_ratio <= 2,
            ),
            (
                "every publish answered",
                "HTTP 200 and a views.publish, each event",
                f"{total - len(failed)} of {total}",
                not failed,
            ),
        ]
    )
    for failure in failed:
        print(f"  failed: {failure}")
    print(
        f"(not a target) history alone, veteran / first week (one check-in, rated as the veteran's latest): "
        f"p50 {ms['veteran']['p50'] / ms['first week']['p50']:.2f}, p99 {ms['veteran']['p99'] / ms['first week']['p99']:.2f}"
    )


if __name__ == "__main__":
    main()
