"""The command line with OAuth installs, on SQLite and PostgreSQL: ``--team`` takes a workspace id, or for an org-wide
install the enterprise id or any of its workspaces' ids, and names the tenant; Slack look-ups use that tenant's
installation's token; no prompting, one-line refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from bot.admins import Admins
from bot.cli import main as ladder
from storage.repositories import PeopleRepository
from tests.app_server import add_to_slack, ladder_env


@pytest.fixture
def installed(oauth_ladder, fake_slack, database_url, monkeypatch):
    """Alpha (a workspace) and Org (an Enterprise Grid organisation, installed org-wide) installed; the environment as
    ``ladder`` would be run with beside that server."""
    fake_slack.add_team("T0AAA", "Alpha")
    fake_slack.add_enterprise("E0ORG", ["T0ONE", "T0TWO"], name="Org")
    fake_slack.add_user("UA1", "ann@alpha.test", "Ann Alpha", team="T0AAA")
    fake_slack.add_user("W0ONE", "one@org.test", "Una Org", team="T0ONE")
    fake_slack.add_user("W0TWO", "two@org.test", "Tomas Org", team="T0TWO")
    tokens = {
        "T0AAA": add_to_slack(oauth_ladder, fake_slack, "T0AAA", installer="UA1").token,
        "E0ORG": add_to_slack(oauth_ladder, fake_slack, enterprise="E0ORG", installer="W0ONE").token,
    }
    for name, value in ladder_env(fake_slack.url, database_url, oauth=True).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LADDER_FRAMEWORK", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    fake_slack.reset()
    return tokens


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = ladder(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_people_import_looks_people_up_with_the_tenants_own_token(installed, oauth_ladder, fake_slack, tmp_path: Path, capsys):
    alpha = tmp_path / "alpha.csv"
    alpha.write_text("email,level,name\nann@alpha.test,senior,Ann\n")
    status, out, err = _run(capsys, "people", "import", str(alpha), "--team", "T0AAA")
    assert status == 0, err
    assert {c.token for c in fake_slack.calls()} == {installed["T0AAA"]}
    # a workspace of the org-wide install that never sent a request: the tenant is the enterprise
    fake_slack.reset()
    org = tmp_path / "org.csv"
    org.write_text("email,level,name\ntwo@org.test,senior,Tomas\none@org.test,staff,Una\n")
    status, out, err = _run(capsys, "people", "import", str(org), "--team", "T0TWO")
    assert status == 0, err
    assert {c.token for c in fake_slack.calls()} == {installed["E0ORG"]}
    people = PeopleRepository(oauth_ladder.services.engine)
    assert sorted(p.user_id for p in people.list("E0ORG")) == ["W0ONE", "W0TWO"]
    assert [p.user_id for p in people.list("T0AAA")] == ["UA1"]
    assert people.list("T0TWO") == []
    assert fake_slack.crossed_calls() == []


def test_team_takes_a_workspace_or_the_enterprise_or_any_of_its_workspaces(installed, oauth_ladder, fake_slack, capsys):
    for given in ("E0ORG", "T0ONE", "T0TWO"):
        status, out, err = _run(capsys, "admins", "add", "W0TWO", "--team", given)
        assert status == 0, err
        assert "team E0ORG" in out
    status, out, _ = _run(capsys, "admins", "list", "--team", "T0ONE")
    assert status == 0 and "W0ONE" in out and "W0TWO" in out  # the installer is the first admin
    with Session(oauth_ladder.services.engine) as session:
        assert Admins(session).of("E0ORG") == {"W0ONE", "W0TWO"}
        assert Admins(session).of("T0AAA") == {"UA1"}
    assert {c.token for c in fake_slack.calls() if c.token} == {installed["E0ORG"]}


def test_team_is_needed_and_must_name_an_installation(installed, capsys):
    status, _, err = _run(capsys, "admins", "list")
    assert status == 2 and err.count("\n") == 1 and "give --team" in err and "E0ORG" in err and "T0AAA" in err
    status, _, err = _run(capsys, "admins", "list", "--team", "T0NOPE")
    assert status == 2 and err.count("\n") == 1 and "not installed" in err
