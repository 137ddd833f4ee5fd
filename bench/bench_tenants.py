"""Benchmarks for issue #20 (many workspaces installed with OAuth), each measured against a baseline in the same run.

1. **`/ladder` with 1,000 installed workspaces.** `ladder serve` in OAuth mode (SLACK_CLIENT_ID/SECRET, SQLite) with
   1,000 workspaces installed — by default through its own "Add to Slack" pages (GET /slack/install, then
   /slack/oauth_redirect with a code the fake Slack issued: Bolt's OAuth flow, oauth.v2.access, slack_sdk's
   installation store, the tenant row and the installer made admin), or with ``--install store`` through slack_sdk's
   store API and the Tenants repository. `/ladder what does Staff mean`, signed as Slack signs, from a random one of the
   workspaces each time, is sent in turn to `ladder serve` and to two bare Bolt apps on the same installation store,
   served by the same supervisor and waitress (bench/bare_bolt.py): ``bolt-cache`` authorizes with Bolt's
   InstallationStoreAuthorize(cache_enabled=True) (its cache keeps each token's auth.test answer; it still reads the
   store, one SELECT, on every request), ``bolt-memory`` reads each workspace's bot from the store once and keeps it
   in a dict (no database read per request once warm). Every server first answers one request from every workspace
   (each workspace's authorize cached), then the timed requests go round the three, one at a time, each on a new
   connection. Target: ladder's p50 and p99 within 1.2x the bare app's (``bolt-cache``, the issue's baseline; the
   ratio to ``bolt-memory`` is shown beside it).

2. **Fairness between tenants in the outbox.** 200 workspaces installed (slack_sdk's store API and the Tenants
   repository), 100 people each with a weekly check-in that fell due a few minutes ago; the prompts are written to the
   outbox in-process by the clock's own code (Checkins.enqueue_due, 500 at a time), then the real `ladder clock`
   (OAuth mode, LADDER_SENDERS sender threads) sends them, each workspace with its own token, against the fake Slack
   enforcing each workspace's own limits (FakeSlack.limit_like_slack: chat.postMessage 300 a minute per workspace with
   bursts of 30 and 1 a second per conversation, dnd.teamInfo 20 a minute...; a call is counted against the workspace
   its token was issued for; one over a limit answers 429 and is not carried out).

   A workspace's **share**: the time its n prompts would take at the rate it is owed,
   ``share = n / min(r, T / W)``, where r is its Slack rate (chat.postMessage, 5/s), W the workspaces sending and T the
   measured total throughput (prompts carried out, all workspaces, from the first post to the moment measured, divided by
   that span). Its **finish** is when its last prompt was carried out, counted from the first post of the run.
   Target: no workspace finishes later than 2x its share.

   Then one heavy tenant (10,000 prompts) beside 199 small ones (100 each): the same for the small ones, T measured up
   to the last small prompt (the heavy tenant's 10,000 at its own 5/s take over half an hour; the run stops once every
   small one is done and says how far the heavy one got and at what rate).

Run:  .venv/bin/python bench/bench_tenants.py [--workspaces 1000] [--requests 2000] [--install oauth|store]
                                               [--teams 200] [--prompts 100] [--heavy 10000] [--senders 2]
                                               [--skip-answers] [--skip-fanout] [--skip-heavy]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import types
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.oauth.installation_store import Installation  # noqa: E402
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore  # noqa: E402
from sqlalchemy import create_engine, event, insert  # noqa: E402

from bench.bench_outbox import enqueue_in_process, machine, outbox_counts, print_table, status_kib  # noqa: E402
from bench.bench_slack import BIN, SECRET, free_port, percentile, timed_request, wait_healthy  # noqa: E402
from bot.admins import Admins  # noqa: E402
from bot.runtime.installations import BOT_SCOPES  # noqa: E402
from storage.models import CheckinSchedule, Person  # noqa: E402
from storage.repositories.tenants import Tenants  # noqa: E402
from storage.slack_tables import BOTS, INSTALLATIONS  # noqa: E402
from storage.unit_of_work import unit_of_work  # noqa: E402
from tests.app_server import add_to_slack  # noqa: E402
from tests.fake_slack import POST_PER_TEAM, FakeSlack  # noqa: E402
from tests.slack_requests import sign  # noqa: E402

QUESTION = "what does Staff mean"
INSTALLER = "U0INSTALLER"
TRACK, LEVEL, TIMEZONE = "ic", "senior", "Europe/London"
SERVERS = ("bolt-cache", "bolt-memory", "ladder")


def team_id(n: int) -> str:
    return f"T{n:06d}"


def oauth_env(fake: FakeSlack, database: Path, **extra: str) -> dict[str, str]:
    """Ladder installed with OAuth ("Add to Slack") against the fake Slack, on SQLite in ``database``."""
    env = {k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"}
    return {
        **env,
        "SLACK_CLIENT_ID": fake.client_id,
        "SLACK_CLIENT_SECRET": fake.client_secret,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{database}",
        **extra,
    }


def db_upgrade(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "ladder"), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)


def install_by_store(database: Path, fake: FakeSlack, teams: list[str]) -> None:
    """Each workspace installed as Ladder's install callback records it, through slack_sdk's store API: a bot token the
    fake Slack issued for that workspace alone, saved in slack_sdk's installation store; the tenant active; the installer
    its first admin."""
    engine = create_engine(f"sqlite:///{database}")
    store = SQLAlchemyInstallationStore(
        client_id=fake.client_id, engine=engine, bots_table_name=BOTS, installations_table_name=INSTALLATIONS
    )
    now = datetime.now(UTC)
    try:
        for team in teams:
            issued = fake.bind(f"xoxb-{team}-bench", team)
            store.save(
                Installation(
                    app_id="A0LADDER", enterprise_id=None, team_id=team, team_name=team, bot_token=issued.token,
                    bot_id=issued.bot_id, bot_user_id=issued.bot_user_id, bot_scopes=list(BOT_SCOPES), user_id=INSTALLER,
                    installed_at=now.timestamp(),
                )
            )  # fmt: skip
            with unit_of_work(engine) as work:
                Tenants(work.session).installed(team, at=now, name=team, installed_by=INSTALLER)
                Admins(work.session).grant_installer(team, INSTALLER)
    finally:
        engine.dispose()


def install_by_oauth(port: int, fake: FakeSlack, teams: list[str], threads: int = 4) -> None:
    """Each workspace installed as a person does, through `ladder serve`'s own Add to Slack pages (tests/app_server.py)."""
    ladder = types.SimpleNamespace(url=f"http://127.0.0.1:{port}")

    def one(team: str) -> None:
        done = add_to_slack(ladder, fake, team)  # type: ignore[arg-type]  # it needs only the server's url
        if done.token is None or done.redirect_page.status != 200:
            raise SystemExit(f"installing {team} failed: {done.redirect_page.status} {done.redirect_page.body[:300]}")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, teams))


# -- 1: /ladder across 1,000 installed workspaces ---------------------------------------------------------------------


def slash_body(team: str, text: str) -> bytes:
    return urllib.parse.urlencode(
        {
            "token": "x", "team_id": team, "team_domain": team.lower(), "channel_id": "C0GENERAL", "channel_name": "general",
            "user_id": "U0ASKER", "user_name": "asker", "command": "/ladder", "text": text, "api_app_id": "A0LADDER",
            "is_enterprise_install": "false", "response_url": "http://127.0.0.1:9/response", "trigger_id": "1.2.3",
        }
    ).encode()  # fmt: skip


def bench_answers(workspaces: int, requests: int, install: str, workdir: Path, seed: int) -> dict[str, Any]:
    database = workdir / "answers.db"
    teams = [team_id(n) for n in range(1, workspaces + 1)]
    with FakeSlack() as fake:
        env = oauth_env(fake, database, LOG_LEVEL="INFO", LADDER_CLOCK="off")
        db_upgrade(env)
        log = open(workdir / "answers.log", "w")
        ports = {name: free_port() for name in SERVERS}
        processes: dict[str, subprocess.Popen] = {}
        try:
            if install == "store":
                install_by_store(database, fake, teams)
            processes["ladder"] = subprocess.Popen(
                [str(BIN / "ladder"), "serve", "--port", str(ports["ladder"])], env=env, cwd=workdir, stderr=log
            )
            wait_healthy(ports["ladder"], "/healthz")
            installing = time.perf_counter()
            if install == "oauth":
                install_by_oauth(ports["ladder"], fake, teams)
            install_s = time.perf_counter() - installing
            for name, flag in (("bolt-cache", "--oauth"), ("bolt-memory", "--oauth-memory")):
                processes[name] = subprocess.Popen(
                    [sys.executable, str(ROOT / "bench" / "bare_bolt.py"), str(ports[name]), flag, fake.client_id],
                    env=env, cwd=workdir, stderr=log,
                )  # fmt: skip
                wait_healthy(ports[name], "/slack/events")
            bodies = {team: slash_body(team, QUESTION) for team in teams}
            auth_tests_before = len(fake.calls("auth.test"))
            warming = time.perf_counter()
            for team in teams:  # every workspace's authorize cached in every server, before anything is timed
                for name in SERVERS:
                    timed_request(ports[name], bodies[team], b"Staff")
            warm_s = time.perf_counter() - warming
            auth_tests = len(fake.calls("auth.test")) - auth_tests_before
            picks = random.Random(seed)
            calls_before = len(fake.calls())
            samples: dict[str, list[float]] = {name: [] for name in SERVERS}
            for _ in range(requests):
                body = bodies[picks.choice(teams)]
                for name in SERVERS:
                    samples[name].append(timed_request(ports[name], body, b"Staff"))
            timed_calls = len(fake.calls()) - calls_before
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                process.wait(timeout=15)
            log.close()
    result: dict[str, Any] = {
        "install_s": install_s,
        "warm_s": warm_s,
        "warm_auth_tests": auth_tests,
        "timed_calls": timed_calls,
    }
    for name, values in samples.items():
        result[name] = {"p50": percentile(values, 0.50) * 1000, "p99": percentile(values, 0.99) * 1000}
    return result


def wsgi_environ(body: bytes) -> dict[str, Any]:
    headers = sign(SECRET, body)
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": headers["X-Slack-Request-Timestamp"],
        "HTTP_X_SLACK_SIGNATURE": headers["X-Slack-Signature"],
    }  # fmt: skip


def call_wsgi(app: Any, body: bytes) -> float:
    said: list[str] = []
    started = time.perf_counter()
    chunks = app(wsgi_environ(body), lambda status, _headers, _exc=None: said.append(status))
    payload = b"".join(chunks)
    elapsed = time.perf_counter() - started
    if not said or not said[0].startswith("200") or b"Staff" not in payload:
        raise SystemExit(f"unexpected in-process answer {said}: {payload[:300]!r}")
    return elapsed


def profile_in_process(workspaces: int, requests: int, workdir: Path, seed: int) -> dict[str, Any]:
    """Where a request's time goes, without HTTP or another process: the same three apps called as WSGI apps in this
    process (Ladder logging its JSON line per request to a file, as `ladder serve` does to stderr), in turn, after one
    request per workspace each; then cProfile over Ladder's requests alone."""
    import cProfile
    import io as text_io
    import pstats

    from bench.bare_bolt import bare_oauth_app
    from bot.runtime import logs
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings
    from bot.runtime.wsgi import build_wsgi
    from storage.engine import reading

    database = workdir / "profile.db"
    teams = [team_id(n) for n in range(1, workspaces + 1)]
    with FakeSlack() as fake:
        env = oauth_env(fake, database, LOG_LEVEL="INFO", LADDER_CLOCK="off", LADDER_SENDERS="0")
        db_upgrade(env)
        install_by_store(database, fake, teams)
        logs.configure("INFO")
        log_file = open(workdir / "profile.log", "w")
        handler = logging.getLogger().handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(log_file)
        saved = dict(os.environ)
        os.environ.update({k: v for k, v in env.items() if k not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")})
        try:
            apps = {
                "bolt-cache": bare_oauth_app(fake.client_id, in_memory=False),
                "bolt-memory": bare_oauth_app(fake.client_id, in_memory=True),
            }
        finally:
            os.environ.clear()
            os.environ.update(saved)
        services = build_services(Settings.from_env(env))
        try:
            apps["ladder"] = build_wsgi(Settings.from_env(env), services)
            bodies = {team: slash_body(team, QUESTION) for team in teams}
            for team in teams:
                for name in SERVERS:
                    call_wsgi(apps[name], bodies[team])
            picks = random.Random(seed)
            chosen = [bodies[picks.choice(teams)] for _ in range(requests)]
            spent: dict[str, list[float]] = {name: [] for name in SERVERS}
            for body in chosen:
                for name in SERVERS:
                    spent[name].append(call_wsgi(apps[name], body))
            statements: list[str] = []

            def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                statements.append(statement.split(None, 1)[0].upper())

            engines = {services.engine, reading(services.engine)}  # on SQLite, reading units of work have their own pool
            for each in engines:
                event.listen(each, "before_cursor_execute", count)
            profiler = cProfile.Profile()
            profiling = time.perf_counter()
            profiler.enable()
            for body in chosen:
                call_wsgi(apps["ladder"], body)
            profiler.disable()
            profiled_s = time.perf_counter() - profiling
            for each in engines:
                event.remove(each, "before_cursor_execute", count)
        finally:
            services.close(timeout=5)
            logging.getLogger().handlers[:] = []
            log_file.close()
    report = text_io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    stats.sort_stats("tottime").print_stats(12)
    stats.sort_stats("cumulative").print_stats(r"/(bot|handlers|messages|storage)/", 16)
    return {
        "statements": len(statements),
        "statement_kinds": {k: statements.count(k) for k in sorted(set(statements))},
        "profiled_s": profiled_s,
        "mean_us": {name: statistics.fmean(values) * 1e6 for name, values in spent.items()},
        "p50_us": {name: percentile(values, 0.5) * 1e6 for name, values in spent.items()},
        "profile": report.getvalue(),
    }


# -- 2: fan-out across tenants ----------------------------------------------------------------------------------------


def user_id(team_number: int, i: int) -> str:
    return f"U{team_number:04d}{i:05d}"


def insert_people(database: Path, sizes: dict[str, int], due_at: datetime) -> None:
    """Each team's people at Senior, each with a weekly check-in in Europe/London whose prompt fell due at ``due_at``
    (the rows bench_outbox.py writes, per team)."""
    engine = create_engine(f"sqlite:///{database}")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for number, (team, size) in enumerate(sizes.items(), start=1):
            people = [user_id(number, i) for i in range(size)]
            connection.execute(
                insert(Person.__table__),
                [dict(team_id=team, user_id=u, name=f"Person {u}", email=f"{u.lower()}@{team.lower()}.example.com",
                      track=TRACK, level=LEVEL, manager_user_id=None, created_at=now, updated_at=now) for u in people],
            )  # fmt: skip
            connection.execute(
                insert(CheckinSchedule.__table__),
                [dict(team_id=team, user_id=u, cadence="weekly", weekday=min(due_at.weekday(), 4), timezone=TIMEZONE,
                      away_start=None, away_end=None, next_prompt_at=due_at, last_prompt_on=None, updated_at=now) for u in people],
            )  # fmt: skip
    engine.dispose()


@dataclass
class Fanout:
    sizes: dict[str, int]
    arrivals: dict[str, list[float]]
    """Each team's carried-out chat.postMessage calls, seconds after the run's first one."""
    rate_limited: dict[str, int]
    crossed: int
    refused: int
    counts: dict[str, int]
    enqueue_s: float
    peak_rss_mb: float
    stopped_at: float
    """Seconds after the first post when the run was stopped (every prompt, or every small tenant's, carried out)."""


def run_fanout(sizes: dict[str, int], senders: int, workdir: Path, stop_when_done: set[str], timeout: float) -> Fanout:
    """Install ``sizes``' workspaces, write their due prompts to the outbox, and let `ladder clock` send them until
    every team in ``stop_when_done`` has all its prompts carried out."""
    database = workdir / f"fanout-{len(sizes)}-{max(sizes.values())}.db"
    with FakeSlack() as fake:
        env = oauth_env(fake, database, LOG_LEVEL="WARNING", LADDER_SENDERS=str(senders))
        db_upgrade(env)
        install_by_store(database, fake, list(sizes))
        for number, (team, size) in enumerate(sizes.items(), start=1):
            for i in range(size):  # people Slack knows in their own workspace only: another token is refused them
                u = user_id(number, i)
                fake.add_user(u, f"{u.lower()}@{team.lower()}.example.com", f"Person {u}", tz=TIMEZONE, team=team)
        insert_people(database, sizes, datetime.now(UTC) - timedelta(minutes=5))
        enqueuing = time.perf_counter()
        enqueued = enqueue_in_process(env)
        enqueue_s = time.perf_counter() - enqueuing
        if enqueued != sum(sizes.values()):
            raise SystemExit(f"enqueued {enqueued} prompts, expected {sum(sizes.values())}")
        fake.limit_like_slack(True)  # each workspace's own limits, counted by the token a call is made with
        wanted = sum(sizes[t] for t in stop_when_done)
        log_path = workdir / "clock.log"
        with open(log_path, "w") as log:
            clock = subprocess.Popen([str(BIN / "ladder"), "clock"], env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
            started, reported, peak_kib = time.perf_counter(), time.perf_counter(), 0
            try:
                while True:
                    peak_kib = max(peak_kib, status_kib(clock.pid, "VmRSS"))
                    done = sum(1 for c in fake.calls("chat.postMessage") if c.carried_out and c.team in stop_when_done)
                    if done >= wanted:
                        break
                    if clock.poll() is not None:
                        raise SystemExit(f"ladder clock exited with {clock.returncode}:\n{log_path.read_text()[-3000:]}")
                    if time.perf_counter() - started > timeout:
                        raise SystemExit(f"timed out after {timeout:.0f} s with {done} of {wanted} prompts carried out")
                    if time.perf_counter() - reported > 30:
                        reported = time.perf_counter()
                        print(f"  ... {done} of {wanted} after {reported - started:.0f} s", file=sys.stderr, flush=True)
                    time.sleep(0.5)
            finally:
                clock.send_signal(signal.SIGTERM)
                try:
                    clock.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    clock.kill()
                    clock.wait()
        posts = [c for c in fake.calls("chat.postMessage") if c.carried_out]
        first = min(c.received for c in posts)
        last_wanted = max(c.received for c in posts if c.team in stop_when_done)
        arrivals: dict[str, list[float]] = {team: [] for team in sizes}
        for call in posts:
            arrivals[str(call.team)].append(call.received - first)
        limited: dict[str, int] = {}
        for call in fake.calls():
            if call.rate_limited:
                limited[call.method] = limited.get(call.method, 0) + 1
        crossed = len(fake.crossed_calls())
        refused = len(fake.unexpected_refusals())
    return Fanout(sizes, arrivals, limited, crossed, refused, outbox_counts(database), enqueue_s, peak_kib / 1024,
                  last_wanted - first)  # fmt: skip


def shares(run: Fanout, teams: list[str], rate: float) -> dict[str, Any]:
    """Each of ``teams``' finish against its share (see the module's docstring), T measured up to the run's stop."""
    delivered = sum(sum(1 for t in times if t <= run.stopped_at) for times in run.arrivals.values())
    throughput = delivered / run.stopped_at
    owed = min(rate, throughput / len(run.sizes))
    rows = []
    for team in teams:
        times = sorted(run.arrivals[team])
        if len(times) < run.sizes[team]:
            raise SystemExit(f"{team}: {len(times)} of {run.sizes[team]} prompts carried out")
        share = run.sizes[team] / owed
        rows.append((times[-1] / share, times[-1], share, team))
    rows.sort()
    finishes = [r[1] for r in rows]
    return {
        "throughput": throughput,
        "owed": owed,
        "share": rows[0][2] if len({r[2] for r in rows}) == 1 else None,
        "worst": rows[-1],
        "median_finish": percentile(finishes, 0.5),
        "first_finish": rows[0][1],
        "latest_first_prompt": max(min(run.arrivals[team]) for team in teams),
        "latest_half": max(
            sorted(run.arrivals[team])[run.sizes[team] // 2 - 1] / (run.sizes[team] // 2 / owed) for team in teams
        ),
        "order": spearman([int(t[1:]) for t in teams], [min(run.arrivals[t]) for t in teams]),
        "last_finish": rows[-1][1],
        "ratios": [r[0] for r in rows],
        "finishes": {r[3]: r[1] for r in rows},
    }


def spearman(xs: list[float], ys: list[float]) -> float:
    """Rank correlation: 1.0 when the workspaces are served strictly in the order of xs."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        for rank, i in enumerate(order):
            out[i] = float(rank)
        return out

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    return 1 - 6 * sum((a - b) ** 2 for a, b in zip(rx, ry, strict=True)) / (n * (n * n - 1)) if n > 1 else float("nan")


# -- the report --------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspaces", type=int, default=1000, help="installed workspaces for /ladder (default 1000)")
    parser.add_argument("--requests", type=int, default=2000, help="timed /ladder requests to each server (default 2000)")
    parser.add_argument("--install", choices=("oauth", "store"), default="oauth", help="how the 1,000 are installed")
    parser.add_argument("--teams", type=int, default=200, help="workspaces in the fan-out (default 200)")
    parser.add_argument("--prompts", type=int, default=100, help="prompts per workspace (default 100)")
    parser.add_argument("--heavy", type=int, default=10_000, help="the heavy tenant's prompts (default 10000)")
    parser.add_argument("--senders", type=int, default=2, help="LADDER_SENDERS of the `ladder clock` (default 2)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--skip-answers", action="store_true")
    parser.add_argument("--skip-fanout", action="store_true")
    parser.add_argument("--skip-heavy", action="store_true")
    parser.add_argument("--dump", help="write each workspace's arrival times to DUMP-<run>.json")
    parser.add_argument(
        "--profile", type=int, default=0, help="also N requests in process, timed and profiled (where the time goes)"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    rate = POST_PER_TEAM  # chat.postMessage a second per workspace, as the fake enforces it
    results: list[tuple[str, str, str, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.skip_answers:
            answers = bench_answers(args.workspaces, args.requests, args.install, workdir, args.seed)
            print(
                f"\n/ladder {QUESTION!r} from a random one of {args.workspaces:,} installed workspaces "
                f"(installed by {args.install}: {answers['install_s']:.1f} s); every server warmed with one request per "
                f"workspace ({answers['warm_s']:.1f} s; {answers['warm_auth_tests']} auth.test calls meanwhile: Bolt's cache "
                f"filling); {args.requests:,} timed requests to each, in turn; {answers['timed_calls']} Web API calls while timed"
            )
            for name in SERVERS:
                print(f"  {name:<12}: p50 {answers[name]['p50']:.2f} ms  p99 {answers[name]['p99']:.2f} ms")
            for base in ("bolt-cache", "bolt-memory"):
                p50 = answers["ladder"]["p50"] / answers[base]["p50"]
                p99 = answers["ladder"]["p99"] / answers[base]["p99"]
                print(f"  ladder / {base:<12}: p50 {p50:.2f}  p99 {p99:.2f}")
                if base == "bolt-cache":
                    results.append(
                        ("/ladder p50, p99 vs Bolt (cache)", "<= 1.2x", f"{p50:.2f}x, {p99:.2f}x", p50 <= 1.2 and p99 <= 1.2)
                    )
        if args.profile:
            inside = profile_in_process(args.workspaces, args.profile, workdir, args.seed)
            print(f"\nin process, {args.profile:,} requests to each WSGI app in turn (no HTTP), after one per workspace:")
            for name in SERVERS:
                print(f"  {name:<12}: mean {inside['mean_us'][name]:.0f} us  p50 {inside['p50_us'][name]:.0f} us")
            print(
                f"  SQL statements while Ladder answered {args.profile:,} more under cProfile ({inside['profiled_s']:.1f} s, "
                f"its 2 s polls of inactive tenants and published frameworks included): {inside['statements']} "
                f"{inside['statement_kinds']}"
            )
            print(
                "  Ladder's requests under cProfile, by own time, then Ladder's functions by cumulative time:\n"
                + inside["profile"]
            )
        runs: list[tuple[str, dict[str, int], set[str]]] = []
        if not args.skip_fanout:
            fair = {team_id(n): args.prompts for n in range(1, args.teams + 1)}
            runs.append(("fair", fair, set(fair)))
        if not args.skip_heavy:
            heavy = {team_id(1): args.heavy, **{team_id(n): args.prompts for n in range(2, args.teams + 1)}}
            runs.append(("heavy", heavy, set(list(heavy)[1:])))
        finishes: dict[str, dict[str, float]] = {}
        for label, sizes, watched in runs:
            total = sum(sizes[t] for t in watched)
            timeout = total / 20 + 300
            run = run_fanout(sizes, args.senders, workdir, watched, timeout)
            measured = shares(run, sorted(watched), rate)
            worst_ratio, worst_finish, worst_share, worst_team = measured["worst"]
            finishes[label] = measured["finishes"]
            print(
                f"\nfan-out '{label}': {len(sizes)} workspaces, {sum(sizes.values()):,} prompts "
                f"({', '.join(sorted({f'{n:,}' for n in sizes.values()}, reverse=True))} a workspace); written by the clock's "
                f"code in {run.enqueue_s:.1f} s; `ladder clock` with {args.senders} sender threads"
            )
            print(
                f"  T = {measured['throughput']:.1f} prompts/s over {run.stopped_at:.1f} s; owed to each workspace "
                f"min({rate:g}/s, T/{len(sizes)}) = {measured['owed']:.3f}/s; share of {args.prompts} prompts "
                f"{args.prompts / measured['owed']:.1f} s"
            )
            print(
                f"  finish of the {len(watched)} {'small ' if label == 'heavy' else ''}workspaces: first {measured['first_finish']:.1f} s, "
                f"median {measured['median_finish']:.1f} s, last {worst_finish:.1f} s ({worst_team}); finish/share "
                f"min {min(measured['ratios']):.2f}, median {percentile(measured['ratios'], 0.5):.2f}, max {worst_ratio:.2f}; "
                f"every workspace's first prompt by {measured['latest_first_prompt']:.1f} s"
            )
            print(
                f"  (beyond the target) a workspace's first half against half its share: at most {measured['latest_half']:.2f}x; "
                f"rank correlation of first prompt with workspace number {measured['order']:.2f} (1.0: served one after another "
                f"in the order their rows were written)"
            )
            if args.dump:
                Path(f"{args.dump}-{label}.json").write_text(json.dumps({"sizes": run.sizes, "arrivals": run.arrivals}))
            if label == "heavy":
                heavy_team = team_id(1)
                times = sorted(t for t in run.arrivals[heavy_team] if t <= run.stopped_at)
                steady = (len(times) - 30) / (times[-1] - times[29]) if len(times) > 31 else float("nan")
                print(
                    f"  the heavy workspace meanwhile: {len(times):,} of {sizes[heavy_team]:,} carried out, "
                    f"{len(times) / run.stopped_at:.2f}/s ({steady:.2f}/s after its first 30; its limit {rate:g}/s, of which "
                    f"the pacer uses 95% and fan-out 90% of that)"
                )
                if "fair" in finishes:
                    both = [(finishes["heavy"][t], finishes["fair"][t]) for t in finishes["heavy"] if t in finishes["fair"]]
                    later = sorted(h - f for h, f in both)
                    print(
                        f"  the same {len(both)} small workspaces without the heavy one (the 'fair' run): their finish later "
                        f"beside it by median {percentile(later, 0.5):+.1f} s, at most {later[-1]:+.1f} s; last finish "
                        f"{max(h for h, _ in both):.1f} s vs {max(f for _, f in both):.1f} s"
                    )
            print(
                f"  429s by method: {run.rate_limited or 'none'}; calls refused for another workspace's token: {run.crossed}; "
                f"other refusals: {run.refused}; clock peak RSS {run.peak_rss_mb:.0f} MB; outbox {run.counts}"
            )
            what = "small workspaces' last prompt" if label == "heavy" else "every workspace's last prompt"
            results.append(
                (
                    f"fan-out {label}: {what}",
                    "<= 2x share",
                    f"max {worst_ratio:.2f}x ({worst_finish:.1f} s / {worst_share:.1f} s)",
                    worst_ratio <= 2,
                )
            )
    print_table(results)


if __name__ == "__main__":
    main()
