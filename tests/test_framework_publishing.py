"""A ladder per organisation (#20): `ladder framework publish|history`, each tenant's framework in force, answers from
it, a publish seen by another running process once it polls, and what is refused. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from bot.cli import main
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from messages.pages import organisation_site
from messages.render import Renderer
from storage.migrate import upgrade
from storage.repositories.framework_versions import FrameworkVersions
from storage.unit_of_work import unit_of_work
from tests.app_server import SIGNING_SECRET, ladder_env, running_ladder

TEAM_A, TEAM_B = "TPUBLISHA", "TPUBLISHB"
SITE_A, SITE_B = organisation_site(TEAM_A, SIGNING_SECRET), organisation_site(TEAM_B, SIGNING_SECRET)

ROCKETS = """\
name: Rockets ladder
version: "2027.1"
tracks:
  - id: ic
    name: Engineering
    levels:
      - {id: engineer, title: Engineer, summary: Builds rockets with help.}
      - {id: staff, title: Staff, summary: Decides which rockets the whole company builds.}
"""

BAKERY = """\
name: Bakery ladder
version: "7"
tracks:
  - id: bakers
    name: Baking
    levels:
      - {id: baker, title: Baker, summary: Bakes bread.}
      - {id: staff, title: Staff, summary: Runs one oven on the night shift.}
"""


class Tick:
    """The frameworks' poll clock, moved by the test."""

    def __init__(self) -> None:
        self.at = 0.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def server(fake_slack, database_url: str, monkeypatch) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """A running server's services (its answers, its registry of frameworks), beside which the CLI publishes."""
    env = ladder_env(fake_slack.url, database_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LADDER_ADMINS", raising=False)
    upgrade(database_url)
    services = build_services(Settings.from_env(env))
    services.frameworks.clock = Tick()
    yield services
    services.engine.dispose()


def cli(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def answer(services: Services, team: str, question: str) -> str:
    reply = services.careers.ask(question, team_id=team, user_id="U1")
    return Renderer().terminal(reply.template, **reply.context)


def later(services: Services, seconds: float = 2.0) -> None:
    tick = services.frameworks.clock
    assert isinstance(tick, Tick)
    tick.at += seconds


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_two_organisations_get_their_own_answers_and_a_publish_reaches_a_running_server(server, tmp_path, capsys):
    default = answer(server, TEAM_A, "what does Staff mean?")
    assert "rocket" not in default.lower() and "oven" not in default.lower()

    status, out, err = cli(capsys, "framework", "publish", write(tmp_path, "rockets.yaml", ROCKETS), "--team", TEAM_A)
    assert status == 0, err
    assert f"for {TEAM_A} as version 1" in out and "Rockets ladder, version 2027.1" in out
    status, out, err = cli(capsys, "framework", "publish", write(tmp_path, "bakery.yaml", BAKERY), "--team", TEAM_B)
    assert status == 0, err

    assert "rocket" not in answer(server, TEAM_A, "what does Staff mean?").lower()  # not polled yet: what it knew
    later(server)
    rockets, bakery = answer(server, TEAM_A, "what does Staff mean?"), answer(server, TEAM_B, "what does Staff mean?")
    assert "Decides which rockets the whole company builds." in rockets and "oven" not in rockets
    assert "Runs one oven on the night shift." in bakery and "rocket" not in bakery
    assert "version 2027.1" in rockets and "version 7" in bakery  # each answer cites its own framework
    assert answer(server, "TOTHER", "what does Staff mean?") == default  # an organisation that published none
    assert server.framework_for("TOTHER") is server.framework

    # answered from the answerer built once for the version in force, not rebuilt per question
    assert server.careers.answerer_for(TEAM_A) is server.careers.answerer_for(TEAM_A)


def test_publishing_twice_adds_no_version_and_history_lists_each(server, tmp_path, capsys):
    rockets = write(tmp_path, "rockets.yaml", ROCKETS)
    assert cli(capsys, "framework", "publish", rockets, "--team", TEAM_A)[0] == 0
    status, out, _ = cli(capsys, "framework", "publish", rockets, "--team", TEAM_A)
    assert status == 0 and "already (version 1): nothing published" in out
    changed = write(tmp_path, "rockets2.yaml", ROCKETS.replace("2027.1", "2027.2").replace("with help", "alone"))
    status, out, _ = cli(capsys, "framework", "publish", changed, "--team", TEAM_A)
    assert status == 0 and "as version 2" in out
    assert "Engineer" in out and "summary" in out  # what changed against the version in force is listed first

    status, out, _ = cli(capsys, "framework", "history", "--team", TEAM_A)
    lines = out.splitlines()
    assert status == 0 and len(lines) == 2, out
    assert lines[0].startswith("version 1 ") and "Rockets ladder, version 2027.1" in lines[0] and "by cli" in lines[0]
    assert lines[1].startswith("version 2 ") and "version 2027.2" in lines[1] and lines[1].endswith("(in force)")
    status, out, _ = cli(capsys, "framework", "history", "--team", TEAM_B)
    assert status == 0 and "published no framework" in out
    with unit_of_work(server.engine, reads_only=True) as work:
        assert FrameworkVersions(work.session).latest_numbers() == {TEAM_A: 2}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("garbage.yaml", b"\x00\xff\xfe not text at all", "not UTF-8 text"),
        ("list.yaml", "- just\n- a list\n", "YAML mapping"),
        ("broken.yaml", ROCKETS.replace("levels:", "levels: [", 1), "broken.yaml:7:7: not valid YAML"),
        ("huge.yaml", "name: x\n" + "# padding\n" * 500_000, "larger than 4 MB"),
        ("ladder.xlsx", b"PK\x03\x04 a workbook", "ladder framework import ladder.xlsx"),
    ],
)
def test_a_file_that_is_no_framework_is_refused_in_one_line(server, tmp_path, capsys, name, content, says):
    status, out, err = cli(capsys, "framework", "publish", write(tmp_path, name, content), "--team", TEAM_A)
    assert status != 0
    assert len(err.strip().splitlines()) == 1 and "not published" in err and "Traceback" not in err + out
    assert says in out + err
    with unit_of_work(server.engine, reads_only=True) as work:
        assert FrameworkVersions(work.session).latest_numbers() == {}


def test_each_organisation_has_its_pages_under_its_own_path(fake_slack, tmp_path):
    from tests.test_pages import _Links, fetch, fetch_once, resolve

    with running_ladder(fake_slack.url, tmp_path, LADDER_PAGES="on") as served:
        with unit_of_work(served.services.engine) as work:
            FrameworkVersions(work.session).publish(TEAM_A, ROCKETS, source="rockets.yaml", by="test", at=served.services.now())
        served.services.frameworks.forget()
        url = served.url
        status, _, rockets = fetch(f"{url}/ladder/{SITE_A}/staff")
        assert status == 200 and "Decides which rockets the whole company builds." in rockets
        assert "Rockets ladder" in fetch(f"{url}/ladder/{SITE_A}")[2]
        status, _, default = fetch(f"{url}/ladder/staff")  # the single-workspace address: the default, as before
        assert status == 200 and "rockets" not in default
        assert "rockets" not in fetch(f"{url}/ladder/{SITE_B}/staff")[2]  # published none: the default's pages
        assert fetch_once(f"{url}/ladder/{SITE_A}/principal")[0] == 404  # not a level of its ladder

        # without its key (or with another's, or a wrong one) an organisation's address is the not-found page, the
        # same whether the tenant exists or not
        not_found = fetch_once(f"{url}/ladder/TNOSUCHTEAM/staff")
        assert not_found[0] == 404
        for guess in (f"/ladder/{TEAM_A}/staff", f"/ladder/{TEAM_A}-/staff", f"/ladder/{TEAM_A}-{SITE_B.split('-')[1]}/staff",
                      f"/ladder/{SITE_A[:-1]}{'1' if SITE_A.endswith('0') else '0'}/staff", f"/ladder/{SITE_A.lower()}/staff", f"/ladder/{TEAM_A}/"):
            status, _, shown = fetch_once(url + guess)
            assert status == 404 and "rockets" not in shown.lower() and shown == not_found[2], guess  # fmt: skip

        for spelling, canonical in (
            (f"/ladder/{SITE_A}/", f"/ladder/{SITE_A}"),
            (f"/ladder/{SITE_A}/STAFF", f"/ladder/{SITE_A}/staff"),
            (f"/ladder/{SITE_A}/compare/ENGINEER/staff/", f"/ladder/{SITE_A}/compare/engineer/staff"),
        ):
            status, headers, _ = fetch_once(url + spelling)
            assert status == 308 and resolve(url + spelling, headers["Location"]) == url + canonical, spelling
        for path in (f"/ladder/{SITE_A}", f"/ladder/{SITE_A}/staff", f"/ladder/{SITE_A}/compare/engineer/staff"):
            links = _Links()
            links.feed(fetch(url + path)[2])
            for href in (h for h in links.hrefs if not h.startswith("#")):
                target = resolve(url + path, href)
                assert target.startswith(f"{url}/ladder/{SITE_A}"), (path, href)  # never off to the default's pages
                assert fetch_once(target)[0] == 200, (path, href)
