"""Issue #20's "Done when", end to end through the running app (OAuth mode) and the fake Slack, on SQLite and
PostgreSQL, time moved by the test:

1. Two organisations click "Add to Slack"; each installer publishes its own ladder (one with ``ladder framework publish
   --team``, one by uploading the file to Ladder in a direct message and pressing Publish) and runs its own promotion
   cycle beside the other — a cycle opened, a manager's nomination, peer reviews through the modals the bot opens, the
   panel's digest, scores with the rubric, the chair's decision, published citing that organisation's framework
   version. Neither sees anything of the other: no message, Home tab, file or page of one carries the other's names or
   words, and every Web API call is made with the token of the organisation it is for.
2. An Enterprise Grid organisation installed org-wide runs one cycle across two of its workspaces — the manager in one,
   their report, a reviewer and a panel member in the other — every message reaching its recipient through the
   org-wide token; its data is one tenant, which the command line finds by the enterprise's id or either workspace's;
   a workspace-level install inside the same enterprise is a tenant of its own and sees none of it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlmodel import Session, select

from messages.ids import FrameworkIds
from messages.pages import organisation_site
from storage.models import Nomination, PanelDecision, PromotionCycle, ReviewRequest
from storage.repositories import PeopleRepository
from tests.app_server import SIGNING_SECRET, EnterpriseSender, RunningLadder, add_to_slack, browse, ladder_env, running_ladder
from tests.checkin_world import World, text_of
from tests.clock import TestClock
from tests.fake_slack import FakeSlack
from tests.slack_requests import SlackSender
from tests.tenant_world import run_cli
from tests.test_nominations import nominate, write_review

MONDAY = datetime(2026, 3, 16, 9, tzinfo=UTC)
PANEL_FROM, DECISIONS = datetime(2026, 3, 30, 9, tzinfo=UTC), datetime(2026, 4, 10, 9, tzinfo=UTC)
RATED = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")
SHIPPED = (Path(__file__).parents[1] / "bot" / "framework" / "default.yaml").read_text(encoding="utf-8")


@dataclasses.dataclass
class Org:
    """One organisation: its tenant, the workspace each of its people is in, their roles, and the words only it uses."""

    tenant: str
    marker: str
    """In its people's names, its framework's name and words, its case and reviews: never shown to another tenant."""
    homes: dict[str, str]
    """user → their workspace."""
    roles: dict[str, str]
    """admin (the installer), manager, nominee, reviewers r1 r2, panel chair and members p1 p2 → user id."""
    channel: str
    """The panel's private channel."""
    enterprise: str | None = None

    def user(self, role: str) -> str:
        return self.roles[role]

    @property
    def names(self) -> dict[str, str]:
        return {user: f"{role.title()} {self.marker.title()}" for role, user in self.roles.items()}

    @property
    def words(self) -> list[str]:
        """What must never reach another organisation: its marker (names, framework, case, reviews) and its people's ids."""
        return [self.marker, self.marker.title(), *self.roles.values()]


LEVELS = {"admin": "em", "manager": "sr_em", "nominee": "se2", "r1": "senior", "r2": "staff", "chair": "principal",
          "p1": "staff", "p2": "staff"}  # fmt: skip
MANAGERS = {"nominee": "manager", "r1": "manager", "r2": "manager", "p1": "chair", "p2": "chair"}


def _org(
    tenant: str, marker: str, prefix: str, channel: str, homes: dict[str, str] | None = None, enterprise: str | None = None
) -> Org:
    """An organisation whose people's ids are ``prefix`` + their role; ``homes``: role → workspace (default: the tenant)."""
    roles = {role: f"{prefix}{role.upper()}" for role in LEVELS}
    where = {role: (homes or {}).get(role, tenant) for role in LEVELS}
    return Org(tenant, marker, {roles[r]: team for r, team in where.items()}, roles, channel, enterprise)


def framework_text(org: Org, version: str) -> str:
    text = SHIPPED.replace("name: Example Engineering", f"name: {org.marker.title()} Engineering", 1)
    text = text.replace("Knowledge and judgement in building software", f"{org.marker.title()} judgement in building software", 1)
    assert 'version: "2026.1"' in text
    return text.replace('version: "2026.1"', f'version: "{version}"', 1)


class OrgSender(EnterpriseSender):
    """What Slack sends when one of ``org``'s people acts: from that person's own workspace (the helpers of the other
    tests send as T0TEST), carrying the enterprise for a workspace of an Enterprise Grid organisation."""

    def __init__(self, ladder: RunningLadder, org: Org, *, org_wide: bool = True) -> None:
        SlackSender.__init__(self, ladder.url, SIGNING_SECRET)
        self.org, self.enterprise_id, self.org_wide = org, org.enterprise or "", org_wide

    def _post(self, body: bytes, content_type: str, **opts: Any) -> tuple[int, str, dict[str, str]]:
        body = body.replace(b"T0TEST", self.org.homes[_actor(body, content_type)].encode())
        if self.org.enterprise is None:
            return SlackSender._post(self, body, content_type, **opts)
        return super()._post(body, content_type, **opts)


def _actor(body: bytes, content_type: str) -> str:
    if "json" in content_type:
        user = json.loads(body)["event"]["user"]
        return user if isinstance(user, str) else user["id"]
    form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    return json.loads(form["payload"])["user"]["id"] if "payload" in form else form["user_id"]


def set_up(
    fake: FakeSlack, ladder: RunningLadder, clock: TestClock, org: Org, token: str | None, *, org_wide: bool = True
) -> World:
    """``org``'s people recorded (levels, managers) under its tenant; its panel's channel; its World, acting as its people."""
    assert token is not None, f"{org.tenant} was not installed"
    people = PeopleRepository(ladder.services.engine)
    for role, user in org.roles.items():
        track = "management" if LEVELS[role] in ("em", "sr_em") else "ic"
        manager = org.user(MANAGERS[role]) if role in MANAGERS else None
        people.upsert(
            org.tenant, user, name=org.names[user], email=None, track=track, level=LEVELS[role], manager_user_id=manager
        )
    panel = [org.user("chair"), org.user("p1"), org.user("p2")]
    fake.add_channel(org.channel, "promotion-panel", private=True, members=panel, team=org.homes[org.user("chair")])
    return World(dataclasses.replace(ladder, slack=OrgSender(ladder, org, org_wide=org_wide)), clock, fake)


def add_people(fake: FakeSlack, org: Org) -> None:
    for user, team in org.homes.items():
        fake.add_user(user, f"{user.lower()}@{org.marker}.example", org.names[user], team=team)


def cli(env: dict[str, str], clock: TestClock, *argv: str) -> tuple[int, str, str]:
    """``ladder ARGV`` as an operator runs it with Add to Slack's environment, on the test's clock."""
    return run_cli(env, clock, *argv)


# -- the cycle, as the organisation's people run it ------------------------------------------------------------------


def press(world: World, user: str, message: dict[str, Any], prefix: str, channel: str) -> None:
    button = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"].startswith(prefix)
    )
    status, body, _ = world.ladder.slack.block_actions(user, button["action_id"], message=message, channel_id=channel)
    assert status == 200, body


def publish_from_a_dm(world: World, admin: str, text: str) -> str:
    """The admin shares the framework file with Ladder in a direct message, reads the check, presses Publish."""
    file = world.slack.share_file(admin, "our-ladder.yaml", text)
    event = {
        "type": "message", "subtype": "file_share", "channel_type": "im", "channel": f"D{admin}", "user": admin,
        "text": "", "ts": "1773655200.000300", "files": [file],
    }  # fmt: skip
    status, body, _ = world.ladder.slack.event(event)
    assert status == 200, body
    world.drain()
    checked = world.last_dm(admin)
    assert "Publish" in str(checked.get("blocks")), checked
    status, body, _ = world.ladder.slack.block_actions(admin, FrameworkIds.PUBLISH, message=checked, channel_id=f"D{admin}")
    assert status == 200, body
    world.drain()
    return str(next(m for m in world.dms_to(admin) if m["ts"] == checked["ts"]))


def open_cycle_in_slack(world: World, admin: str) -> None:
    """The installer (the organisation's first admin) opens the cycle from /ladder cycle."""
    status, body, _ = world.ladder.slack.slash_command("cycle", user_id=admin)
    assert status == 200 and "Only a Ladder admin" not in body, body
    dates = {"Name": "Spring round", "Nominations open": "2026-03-16", "Peer reviews due": "2026-03-27",
             "Panel review starts": "2026-03-30", "Decisions published": "2026-04-10"}  # fmt: skip
    status, answer = world.submit(admin, world.open_modal(admin), dates)
    assert status == 200 and answer["response_action"] == "update", answer


def open_cycle_on_the_command_line(env: dict[str, str], clock: TestClock, team: str) -> None:
    status, _, err = cli(
        env, clock, "cycle", "create", "Spring round", "--opens", "2026-03-16", "--reviews-due", "2026-03-27",
        "--panel-from", "2026-03-30", "--decisions", "2026-04-10", "--team", team,
    )  # fmt: skip
    assert status == 0, err


def set_up_panel(env: dict[str, str], clock: TestClock, org: Org, team: str) -> None:
    members = f"{org.user('p1')},{org.user('p2')}"
    status, out, err = cli(
        env, clock, "panel", "create", "Promotion panel", "--chair", org.user("chair"), "--members", members,
        "--channel", org.channel, "--team", team,
    )  # fmt: skip
    assert status == 0 and "3 members" in out, (out, err)


def nominate_and_review(world: World, org: Org) -> None:
    """The manager nominates their report with two peers to review; each peer writes a review in the modal the bot opens."""
    nominate(world, org.user("manager"), org.user("nominee"), [org.user("r1"), org.user("r2")],
             **{"Technical depth": f"{org.marker}-case: rebuilt the ledger"})  # fmt: skip
    world.drain()
    for reviewer in ("r1", "r2"):
        status, answer = write_review(world, org.user(reviewer), comment=f"{org.marker}-review: steady under pressure")
        assert status == 200 and answer["response_action"] == "update", answer
    world.drain()


def thread_reply(world: World, org: Org) -> dict[str, Any]:
    nominee = org.user("nominee")
    return next(m for m in world.slack.messages(org.channel) if m.get("thread_ts") and f"<@{nominee}>" in text_of(m["blocks"]))


def score_and_decide(world: World, org: Org) -> None:
    """Each panel member scores with the rubric from the digest's thread; the chair decides: promote."""
    for member in ("p1", "p2", "chair"):
        user = org.user(member)
        press(world, user, thread_reply(world, org), "panel_score", org.channel)
        answers = {**{label: "Exceeds" for label in RATED}, "Your recommendation": "Promote", "Why": "Consistent evidence."}
        status, answer = world.submit(user, world.open_modal(user), answers)
        assert status == 200 and answer["response_action"] == "update", answer
    chair = org.user("chair")
    press(world, chair, thread_reply(world, org), "panel_decide", org.channel)
    feedback = {"Decision": "Promote", "Effective date": "2026-04-13", **{f"{c}: feedback": f"Strong {c}." for c in RATED}}
    status, answer = world.submit(chair, world.open_modal(chair), feedback)
    assert status == 200 and answer["response_action"] == "update", answer


def rows(world: World, model: type) -> list[Any]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(model)))


def digest_reached_the_panel(world: World, org: Org) -> None:
    parents = [m for m in world.slack.messages(org.channel) if not m.get("thread_ts")]
    assert len(parents) == 1 and "*1* nomination" in text_of(parents[0]["blocks"]), parents
    for member in ("chair", "p1", "p2"):
        user = org.user(member)
        assert any("Your review digest" in (m.get("text") or "") for m in world.dms_to(user)), user
        [packet] = [f for f in world.slack.files_in(user) if f["name"].startswith("review-packet-")]
        assert f"{org.marker}-review" in packet["content"] and f"{org.marker.title()} Engineering" in packet["content"]


def what_each_person_saw(world: World, org: Org) -> str:
    """Every direct message, Home tab and file of ``org``'s people, and its panel channel, as one text."""
    seen = [str(world.slack.messages(org.channel))]
    for user in org.roles.values():
        seen.append(str(world.dms_to(user)))
        seen.append(json.dumps(world.home(user)))
        seen.extend(str(f) for f in world.slack.files_in(user))
    return "\n".join(seen)


def pages_of(url: str, root: str, limit: int = 12) -> dict[str, str]:
    """An organisation's pages under ``root``, following their links: path → body (each served, 200)."""
    seen: dict[str, str] = {}
    queue = [root]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        page = browse(f"{url}{path}")
        assert page.status == 200, (path, page.status)
        seen[path] = page.body
        for link in re.findall(r'href="([^"#?]+)"', page.body):
            absolute = link if link.startswith("/") else f"{path.rsplit('/', 1)[0]}/{link}"
            if absolute.startswith(root) and absolute not in seen:
                queue.append(absolute)
    return seen


def never_mentioned(text: str, org: Org, where: str) -> None:
    found = [word for word in org.words if word in text]
    assert not found, f"{where} carries {org.tenant}'s {found}"


# -- 1. two organisations side by side -------------------------------------------------------------------------------

ACORN = _org("T0ACORN01", "acornish", "UACORN", "C0ACPANEL")
BIRCH = _org("T0BIRCH01", "birchwood", "UBIRCH", "C0BIPANEL")


@pytest.fixture
def two_organisations(fake_slack, tmp_path, database_url) -> Iterator[tuple[RunningLadder, TestClock, dict[str, str]]]:
    clock = TestClock(MONDAY)
    fake_slack.now = clock.timestamp
    fake_slack.trigger_lifetime = 10**9
    for org in (ACORN, BIRCH):
        fake_slack.add_team(org.tenant, org.marker.title())
        add_people(fake_slack, org)
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, now=clock, oauth=True, LADDER_PAGES="1") as ladder:
        yield ladder, clock, ladder_env(fake_slack.url, ladder.services.database_url, oauth=True)


def test_two_organisations_each_run_their_own_cycle_on_their_own_ladder_and_see_nothing_of_the_other(
    two_organisations, fake_slack, tmp_path
):
    ladder, clock, env = two_organisations
    tokens = {
        org.tenant: add_to_slack(ladder, fake_slack, org.tenant, installer=org.user("admin")).token for org in (ACORN, BIRCH)
    }
    acorn, birch = (set_up(fake_slack, ladder, clock, org, tokens[org.tenant]) for org in (ACORN, BIRCH))
    acorn.tick()

    # each installer publishes its own ladder: Acorn's from the command line (twice: it runs on version 2) ...
    for version in ("2026.5", "2026.6"):
        path = tmp_path / f"acorn-{version}.yaml"
        path.write_text(framework_text(ACORN, version), encoding="utf-8")
        status, out, err = cli(env, clock, "framework", "publish", str(path), "--team", ACORN.tenant)
        assert status == 0 and "as version" in out, (out, err)
    # ... Birch's by uploading the file to Ladder in a direct message and pressing Publish
    published = publish_from_a_dm(birch, BIRCH.user("admin"), framework_text(BIRCH, "2026.9"))
    assert "Published as version 1" in published, published
    ladder.services.frameworks.forget()  # as the server's next poll, within seconds, would

    # each opens a cycle (Acorn's installer in Slack, Birch's on the command line) and sets up its panel
    open_cycle_in_slack(acorn, ACORN.user("admin"))
    open_cycle_on_the_command_line(env, clock, BIRCH.tenant)
    for org in (ACORN, BIRCH):
        set_up_panel(env, clock, org, org.tenant)

    # side by side: each manager nominates, each organisation's peers review
    for world, org in ((acorn, ACORN), (birch, BIRCH)):
        nominate_and_review(world, org)
    assert {(n.team_id, n.nominee, n.stage) for n in rows(acorn, Nomination)} == {
        (ACORN.tenant, ACORN.user("nominee"), "ready"),
        (BIRCH.tenant, BIRCH.user("nominee"), "ready"),
    }
    clock.set(PANEL_FROM)  # each panel's digest goes out on its own
    acorn.tick()
    for world, org in ((acorn, ACORN), (birch, BIRCH)):
        digest_reached_the_panel(world, org)
        score_and_decide(world, org)
    clock.set(DECISIONS)
    acorn.tick()

    # each decision cites its own organisation's framework version
    for world, org, version in ((acorn, ACORN, "2026.6, published version 2"), (birch, BIRCH, "2026.9, published version 1")):
        told = text_of(world.last_dm(org.user("nominee"))["blocks"])
        assert "promoted you to" in told and f"Decided under the framework's version {version}." in told, told
    assert {d.team_id: d.framework_version for d in rows(acorn, PanelDecision)} == {ACORN.tenant: 2, BIRCH.tenant: 1}

    # neither sees anything of the other: messages, Home tabs, files, pages, Web API calls and their tokens
    for world, org, other in ((acorn, ACORN, BIRCH), (birch, BIRCH, ACORN)):
        seen = what_each_person_saw(world, org)
        assert org.marker in seen  # what was read is the organisation's own
        never_mentioned(seen, other, f"what {org.tenant}'s people saw")
        site = f"/ladder/{organisation_site(org.tenant, SIGNING_SECRET)}"  # the address only Ladder's links give
        pages = pages_of(ladder.url, site)
        assert len(pages) > 5 and f"{org.marker.title()} Engineering" in pages[site], list(pages)
        for path, body in pages.items():
            never_mentioned(body, other, f"{org.tenant}'s page {path}")
    for call in fake_slack.calls():
        if call.token:
            assert call.token == tokens.get(str(call.team)), call  # only tokens Ladder was given, each for its own tenant
            other = BIRCH if call.team == ACORN.tenant else ACORN
            never_mentioned(json.dumps(call.args), other, f"a {call.method} call with {call.team}'s token")
    for org in (ACORN, BIRCH):  # what was looked through carries the organisation's own words
        assert any(word in json.dumps(c.args) for c in fake_slack.calls_for(org.tenant) for word in org.words), org.tenant
    assert fake_slack.tokens_used() == set(tokens.values())
    assert fake_slack.crossed_calls() == [] and fake_slack.unexpected_refusals() == []


# -- 2. Enterprise Grid: one cycle across workspaces ------------------------------------------------------------------

ENTERPRISE, ONE, TWO, SOLO = "E0GRIDORG", "T0GRIDONE", "T0GRIDTWO", "T0GRIDSOLO"
GRID = _org(
    ENTERPRISE, "gridiron", "WGRID", "C0GRPANEL",
    {"admin": ONE, "manager": ONE, "nominee": TWO, "r1": TWO, "r2": ONE, "chair": ONE, "p1": TWO, "p2": ONE},
    enterprise=ENTERPRISE,
)  # fmt: skip
SOLO_ORG = _org(SOLO, "soloist", "WSOLO", "C0SOPANEL", enterprise=ENTERPRISE)


@pytest.fixture
def grid(fake_slack, tmp_path, database_url) -> Iterator[tuple[RunningLadder, TestClock, dict[str, str]]]:
    clock = TestClock(MONDAY)
    fake_slack.now = clock.timestamp
    fake_slack.trigger_lifetime = 10**9
    fake_slack.add_enterprise(ENTERPRISE, [ONE, TWO, SOLO], name="Gridiron Org")
    for org in (GRID, SOLO_ORG):
        add_people(fake_slack, org)
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, now=clock, oauth=True) as ladder:
        yield ladder, clock, ladder_env(fake_slack.url, ladder.services.database_url, oauth=True)


def test_an_org_wide_enterprise_install_runs_one_cycle_across_its_workspaces(grid, fake_slack, tmp_path):
    ladder, clock, env = grid
    org_token = add_to_slack(ladder, fake_slack, enterprise=ENTERPRISE, installer=GRID.user("admin")).token
    solo_token = add_to_slack(ladder, fake_slack, SOLO, installer=SOLO_ORG.user("admin")).token
    world = set_up(fake_slack, ladder, clock, GRID, org_token)
    solo = set_up(fake_slack, ladder, clock, SOLO_ORG, solo_token, org_wide=False)  # installed in its workspace alone
    world.tick()

    # its ladder published naming a workspace, its cycle opened naming another, its panel the enterprise: one tenant
    path = tmp_path / "grid.yaml"
    path.write_text(framework_text(GRID, "2026.4"), encoding="utf-8")
    status, out, err = cli(env, clock, "framework", "publish", str(path), "--team", TWO)
    assert status == 0 and "as version 1" in out, (out, err)
    ladder.services.frameworks.forget()  # as the server's next poll would
    open_cycle_on_the_command_line(env, clock, ONE)
    set_up_panel(env, clock, GRID, ENTERPRISE)
    open_cycle_on_the_command_line(env, clock, SOLO)  # the workspace-level install's own cycle, same name

    # the manager in workspace one nominates their report in workspace two; a reviewer in each workspace
    assert GRID.homes[GRID.user("manager")] == ONE and GRID.homes[GRID.user("nominee")] == TWO
    nominate_and_review(world, GRID)
    clock.set(PANEL_FROM)
    world.tick()
    digest_reached_the_panel(world, GRID)  # the panel spans both workspaces
    score_and_decide(world, GRID)
    clock.set(DECISIONS)
    world.tick()
    told = text_of(world.last_dm(GRID.user("nominee"))["blocks"])
    assert "promoted you to" in told and "Decided under the framework's version 2026.4, published version 1." in told, told
    assert "nominated you" in str(world.dms_to(GRID.user("nominee")))
    for role in ("r1", "r2"):
        assert any("Write review" in text_of(m.get("blocks") or []) for m in world.dms_to(GRID.user(role))), role

    # every message went through the org-wide token, which reaches both workspaces; the data is one tenant
    grid_calls = [c for c in fake_slack.calls() if c.token and c.team == ENTERPRISE]
    assert grid_calls and {c.token for c in grid_calls} == {org_token}
    posted_to = {c.args.get("channel") for c in grid_calls if c.method == "chat.postMessage" and c.carried_out}
    assert {GRID.user(r) for r in ("nominee", "r1", "r2", "manager", "chair", "p1", "p2")} <= posted_to, posted_to
    assert fake_slack.tokens_used() <= {org_token, solo_token}
    assert fake_slack.crossed_calls() == [] and fake_slack.unexpected_refusals() == []
    with Session(ladder.services.engine) as session:
        assert {n.team_id for n in session.exec(select(Nomination))} == {ENTERPRISE}
        assert {r.team_id for r in session.exec(select(ReviewRequest))} == {ENTERPRISE}
        assert sorted(c.team_id for c in session.exec(select(PromotionCycle))) == sorted([ENTERPRISE, SOLO])

    # the command line shows the same cycle and nomination by the enterprise's id or either workspace's
    shown = {}
    for team in (ENTERPRISE, ONE, TWO):
        status, nominations, err = cli(env, clock, "nominations", "list", "--team", team)
        assert status == 0, err
        status, cycles, err = cli(env, clock, "cycle", "list", "--team", team)
        assert status == 0, err
        shown[team] = (nominations, cycles)
    assert shown[ENTERPRISE] == shown[ONE] == shown[TWO]
    nominations, cycles = shown[ENTERPRISE]
    [line] = nominations.splitlines()
    assert f"Spring round: {GRID.user('nominee')} se2 → senior, published, by {GRID.user('manager')}; reviews 2/2" in line, line
    assert "Spring round" in cycles

    # the workspace-level install inside the same enterprise is its own tenant: none of it
    status, nominations, err = cli(env, clock, "nominations", "list", "--team", SOLO)
    assert status == 0 and nominations == "" and "no nominations submitted" in err, (nominations, err)
    never_mentioned(nominations + err, GRID, "the workspace-level install's nominations")
    status, cycles, err = cli(env, clock, "cycle", "list", "--team", SOLO)
    assert status == 0 and "Spring round" in cycles, err
    never_mentioned(cycles, GRID, "the workspace-level install's cycles")
    never_mentioned(what_each_person_saw(solo, SOLO_ORG), GRID, "what the workspace-level install's people saw")
    assert {c.token for c in fake_slack.calls() if c.token and c.team == SOLO} <= {solo_token}
