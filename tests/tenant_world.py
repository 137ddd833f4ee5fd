"""Two organisations installed with Add to Slack on one Ladder, for isolation tests: tenant B (whose requests
the workflow helpers of the other tests send, through a SlackSender that puts B's workspace where they put T0TEST) with people, check-ins, growth plans,
mentoring, stretch work, evidence, a nomination with reviews, a cycle, a panel and a published framework, every text of
it carrying MARK; tenant A (T0AAA) with a few people of its own and nothing else. B's people are also members of A's
workspace in the fake Slack (as an Enterprise Grid or Slack Connect person is), so a request from A can name them
and act as them without Slack itself refusing: what keeps B's data from A is Ladder's tenant scoping alone."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterator

from sqlmodel import Session, SQLModel, select

from bot.cli import common, main
from bot.runtime.clock import tick
from storage.models import (
    EvidenceItem,
    Mentorship,
    Nomination,
    Panel,
    PromotionCycle,
    ReviewRequest,
    StretchAssignment,
    StretchInterest,
)
from storage.repositories import PeopleRepository
from storage.repositories.framework_versions import FrameworkVersions
from tests.app_server import SIGNING_SECRET, add_to_slack, ladder_env, running_ladder
from tests.checkin_world import PEOPLE, World
from tests.clock import TestClock
from tests.fake_slack import FakeSlack
from tests.slack_requests import SlackSender
from tests.test_growth_and_home import check_in, offer_mentoring
from tests.test_nominations import nominate, write_review

A, B = "T0ALPHA01", "T0BRAVO01"
"""Long enough to be a tenant in a page's path (/ladder/<tenant>/)."""
MARK = "xyzzy"
"""In every text of B's (names, case, reviews, evidence, check-ins, stretch work, framework): never shown to A."""
A_PEOPLE = {"UAADMIN": "Alma Admin", "UAONE": "Arlo One"}
B_NAMES = {user: f"{name.split()[0]} {MARK.title()}{user[1:].lower()}" for user, (name, *_rest) in PEOPLE.items()}
B_CYCLE, B_PANEL, B_CHANNEL = "Bcycle Nine", "Bpanel Nine", "C0BPANEL"
"""Names A types to reach B's cycle and panel (an echo of what A typed is no leak: they carry no MARK)."""
CASE = f"{MARK}-case: rebuilt the billing ledger"
REVIEW = f"{MARK}-review: steady under pressure"
EVIDENCE = f"{MARK}-evidence: led the storage migration"
CHECKIN = f"{MARK}-checkin: shipped the search rewrite"
GOAL = f"{MARK}-goal: own the ledger"
STRETCH = f"{MARK}-stretch: run the incident review"
FRAMEWORK_NAME = f"{MARK.title()} Engineering"
FRAMEWORK_WORDS = f"{MARK}frob judgement in building software"
MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


class BSender(SlackSender):
    """What Slack sends from B's workspace, for helpers that send as the fake's default workspace (T0TEST)."""

    def _post(self, body: bytes, content_type: str, **opts: Any) -> tuple[int, str, dict[str, str]]:
        return super()._post(body.replace(b"T0TEST", B.encode()), content_type, **opts)


@dataclasses.dataclass
class BIds:
    """B's ids a forger in A puts in values, private_metadata, commands and arguments."""

    nomination: int
    review_requests: list[int]
    evidence: int
    mentorship: int
    stretch: int
    interest: int
    cycle: int
    panel: int


class RecordingWorld(World):
    """B's world, keeping the last modal each callback id was submitted with and its values: a forger replays them."""

    submitted: dict[str, tuple[dict[str, Any], dict[str, Any]]]

    def submit(self, user_id: str, view: dict[str, Any], answers: dict[str, Any], **kw: Any) -> tuple[int, Any]:
        from tests.modal_filler import fill

        self.submitted[str(view.get("callback_id"))] = (json.loads(json.dumps(view)), fill(view, answers, **kw))
        return super().submit(user_id, view, answers, **kw)


@dataclasses.dataclass
class TwoTenants:
    world: RecordingWorld
    """B's world: its SlackSender's requests default to B's workspace."""
    ids: BIds
    env: dict[str, str]
    """What `ladder` is run with (OAuth: the app's client id and secret, the database, the fake Slack)."""

    def cli(self, *argv: str) -> tuple[int, str, str]:
        """`ladder ARGV` as an operator runs it, with the test's clock; (exit status, stdout, stderr)."""
        return run_cli(self.env, self.world.clock, *argv)


def rows_of(engine: Any, tenant: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds ``tenant``'s data (a team_id column), as plain tuples in a stable order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            if "team_id" not in table.c:
                continue
            rows = session.execute(select(table).where(table.c.team_id == tenant)).all()
            found[table.name] = sorted((tuple(repr(v) for v in row) for row in rows))
    return found


def one(engine: Any, model: type, **where: Any) -> Any:
    with Session(engine) as session:
        query = select(model).where(model.team_id == B)  # type: ignore[attr-defined]
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        found = list(session.exec(query))
    assert found, (model, where)
    return found[0]


def _framework_text() -> str:
    text = (Path(__file__).parents[1] / "bot" / "framework" / "default.yaml").read_text()
    text = text.replace("name: Example Engineering", f"name: {FRAMEWORK_NAME}", 1)
    return text.replace("Knowledge and judgement in building software", FRAMEWORK_WORDS.capitalize(), 1)


def _seed_b(world: RecordingWorld, cli: Any) -> BIds:
    slack = world.ladder.slack
    status, _, err = cli(
        "cycle", "create", B_CYCLE, "--opens", "2026-03-16", "--reviews-due", "2026-03-27", "--panel-from", "2026-03-30",
        "--decisions", "2026-04-10", "--team", B,
    )  # fmt: skip
    assert status == 0, err
    world.slack.add_channel(B_CHANNEL, "b-panel", private=True, members=["UADMIN", "UBEN"], team=B)
    status, _, err = cli(
        "panel", "create", B_PANEL, "--chair", "UADMIN", "--members", "UBEN", "--channel", B_CHANNEL, "--team", B
    )
    assert status == 0, err

    check_in(world, "UANA", {}, **{"What went well": CHECKIN, "Your goals": GOAL})
    offer_mentoring(world, "UPAT", ["Strategic influence"])
    slack.block_actions("UANA", "mentor_request:UPAT", value=json.dumps({"mentor": "UPAT", "competency": "strategic_influence"}))
    slack.slash_command("stretch", user_id="UPAT")
    world.submit(
        "UPAT", world.open_modal("UPAT"), {"What is it?": STRETCH, "Competencies": ["Strategic influence"], "Ends": "2026-06-30"}
    )
    stretch = one(world.services.engine, StretchAssignment)
    slack.block_actions("UANA", "stretch_interested", value=json.dumps({"assignment": stretch.id}))

    posted = {"type": "message", "user": "UANA", "text": f"{MARK} shipped", "ts": "1773655200.000100"}
    slack.message_action("UANA", "save_evidence", posted, "C0GENERAL")
    world.submit("UANA", world.open_modal("UANA"), {"What it shows": EVIDENCE, "Competencies": ["Technical depth"]})

    nominate(world, "UMAX", "UANA", ["UCHI", "UPAT"], **{"Technical depth": CASE})
    world.drain()
    assert write_review(world, "UCHI", comment=REVIEW)[0] == 200
    world.drain()

    with Session(world.services.engine) as session:
        FrameworkVersions(session).publish(B, _framework_text(), source="b.yaml", by="UADMIN", at=world.clock())
        session.commit()
    world.services.frameworks.forget()

    engine = world.services.engine
    nomination = one(engine, Nomination)
    with Session(engine) as session:
        requests = [r.id for r in session.exec(select(ReviewRequest).where(ReviewRequest.team_id == B))]
    return BIds(
        nomination=nomination.id,
        review_requests=[r for r in requests if r is not None],
        evidence=one(engine, EvidenceItem).id,
        mentorship=one(engine, Mentorship).id,
        stretch=stretch.id,
        interest=one(engine, StretchInterest).id,
        cycle=one(engine, PromotionCycle).id,
        panel=one(engine, Panel).id,
    )


@contextlib.contextmanager
def two_tenants(fake_slack: FakeSlack, tmp_path: Path, database_url: str) -> Iterator[TwoTenants]:
    clock = TestClock(MONDAY)
    fake_slack.now = clock.timestamp
    fake_slack.trigger_lifetime = 10**9
    fake_slack.add_team(A, "Alpha")
    for user, (_name, tz, _level, _manager) in PEOPLE.items():
        fake_slack.add_user(user, f"{user.lower()}@b.example", B_NAMES[user], tz=tz, team=[B, A])
    for user, name in A_PEOPLE.items():
        fake_slack.add_user(user, f"{user.lower()}@a.example", name, team=A)
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, now=clock, oauth=True, LADDER_PAGES="1") as ladder:
        assert add_to_slack(ladder, fake_slack, B, installer="UADMIN").token
        assert add_to_slack(ladder, fake_slack, A, installer="UAADMIN").token
        ladder.slack = BSender(ladder.url, SIGNING_SECRET)
        people = PeopleRepository(ladder.services.engine)
        for user, (_name, _tz, level, manager) in PEOPLE.items():
            track = "management" if level in ("em", "sr_em") else "ic"
            people.upsert(B, user, name=B_NAMES[user], email=None, track=track, level=level, manager_user_id=manager)
        people.upsert(A, "UAADMIN", name=A_PEOPLE["UAADMIN"], email=None, track="management", level="em", manager_user_id=None)
        people.upsert(A, "UAONE", name=A_PEOPLE["UAONE"], email=None, track="ic", level="se2", manager_user_id="UAADMIN")
        world = RecordingWorld(ladder, clock, fake_slack)
        world.submitted = {}
        tick(ladder.services)
        ladder.services.sender.drain()
        env = ladder_env(fake_slack.url, ladder.services.database_url, oauth=True)
        tenants = TwoTenants(world, BIds(0, [], 0, 0, 0, 0, 0, 0), env)
        tenants.ids = _seed_b(world, tenants.cli)
        world.drain()
        yield tenants


def run_cli(env: dict[str, str], clock: Any, *argv: str) -> tuple[int, str, str]:
    """``ladder ARGV`` as an operator runs it with ``env`` (Add to Slack's, say), its services on the test's ``clock``;
    (exit status, stdout, stderr)."""
    import io
    import os
    from contextlib import redirect_stderr, redirect_stdout

    saved = {name: os.environ.get(name) for name in (*env, "SLACK_BOT_TOKEN", "LADDER_ADMINS")}
    load = common.load_services
    common.load_services = lambda: dataclasses.replace(load(), now=clock)  # type: ignore[assignment]
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.pop("SLACK_BOT_TOKEN", None)
        os.environ.pop("LADDER_ADMINS", None)
        os.environ.update(env)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main(list(argv))
            except SystemExit as exit_:
                status = int(exit_.code or 0)
    finally:
        common.load_services = load  # type: ignore[assignment]
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return status, out.getvalue(), err.getvalue()
