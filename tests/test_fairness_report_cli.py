"""`ladder fairness report` and `ladder fairness trend` on a database: what an admin runs after a cycle, its output on
stdout (Markdown or CSV), and one-line errors."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, date, datetime

import pytest
from markdown_it import MarkdownIt
from sqlmodel import Session

from bot.cli import main
from messages.fairness_report import CSV_COLUMNS, TREND_COLUMNS
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import PromotionCycle
from tests.test_fairness_report import MEN, TEAM, WOMEN, build_cycle, group


@pytest.fixture
def cli(sqlite_url, monkeypatch, capsys):
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    build_cycle(engine)
    with Session(engine) as session:  # a later cycle with nobody nominated yet, closed
        session.add(PromotionCycle(team_id=TEAM, name="2026 H2", opens_on=date(2026, 7, 6), status="closed",
                                   closed_at=datetime(2026, 12, 1, tzinfo=UTC)))  # fmt: skip
        session.commit()
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_the_report_as_csv(cli):
    status, out, err = cli("fairness", "report", "--cycle", "2026 h1", "--format", "csv", "--team", TEAM)
    assert status == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("gender", "woman")][2:10] == ["10", "4", "0.4000", "3", "0.3000", "0.7500", "0.7200", "true"]
    assert by_key[("gender", "non-binary")][2:] == [""] * 9 + ["true"]
    assert "non-binary" not in err


def test_the_report_as_markdown_by_default(cli):
    status, out, err = cli("fairness", "report", "--cycle", "2026 H1", "--team", TEAM)
    assert status == 0, err
    assert out.startswith("# Fairness audit: 2026 H1\n")
    assert "| woman | 10 | 4 | 3 |" in out and "| non-binary | suppressed |" in out


def test_the_only_team_needs_no_flag(cli):
    status, out, _ = cli("fairness", "report", "--cycle", "2026 H1", "--format", "csv")
    assert status == 0 and out.startswith(",".join(CSV_COLUMNS))


def test_the_trend_has_every_cycle(cli):
    status, out, err = cli("fairness", "trend", "--format", "csv", "--team", TEAM)
    assert status == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == TREND_COLUMNS
    first = {(r[1], r[2]): r for r in rows[1:] if r[0] == "2026 H1"}
    second = {(r[1], r[2]): r for r in rows[1:] if r[0] == "2026 H2"}
    assert first[("gender", "woman")][3:6] == ["10", "4", "0.4000"]
    # By the second cycle UW01 and UM01 are Senior (mid band), and nobody has been nominated.
    assert second[("level_band", "mid")][3:5] == ["", ""] and second[("level_band", "mid")][-1] == "true"
    assert second[("gender", "woman")][3:8] == ["10", "0", "0.0000", "0", "0.0000"]
    status, out, err = cli("fairness", "trend", "--team", TEAM)
    assert status == 0 and out.startswith("# Fairness trend across cycles\n") and "| woman | 2026 H2 | 10 | 0 |" in out


def test_an_unknown_cycle_is_one_line(cli):
    status, out, err = cli("fairness", "report", "--cycle", "2031 H9", "--team", TEAM)
    assert status == 1 and out == ""
    assert err == "ladder: no promotion cycle is named '2031 H9' (cycles: 2026 H1, 2026 H2)\n"


def test_bad_usage_is_one_line(cli):
    status, _, err = cli("fairness", "report", "--cycle", "2026 H1", "--format", "pdf")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "invalid choice: 'pdf'" in err
    status, _, err = cli("fairness", "report")
    assert status == 2 and "--cycle" in err and len(err.strip().splitlines()) == 1


def test_group_names_are_text_in_the_markdown_whatever_hr_typed(cli, sqlite_url):
    """HR's values are shown as written when the Markdown is rendered: '<Not Specified>' is no HTML tag (it would vanish),
    '*' no emphasis, '[…](…)' no link; the CLI's Markdown through a CommonMark renderer shows each name as text."""
    odd = ["<Not Specified>", "*Asian* British", "[White](https://evil.example)", "`code` ~~gone~~", "_Mixed_ | other"]
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        for i, name in enumerate(odd):
            for user in (WOMEN + MEN)[i * 4 : i * 4 + 4] + [MEN[-1 - i]] * (i == 0):
                session.add(group(user, "ethnicity", name))
        session.commit()
    engine.dispose()
    status, out, err = cli("fairness", "report", "--cycle", "2026 H1", "--team", TEAM)
    assert status == 0, err
    html_out = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(out)
    for name in odd:
        assert f"<td>{html.escape(name, quote=False)}</td>" in html_out, name
    assert "<a href" not in html_out and "<em>" not in html_out.split("## How to read")[0].split("Ethnicity")[1]


def test_the_report_and_the_trend_draw_their_charts_as_admins_get_them(cli, tmp_path):
    for action, extra in (("report", ("--cycle", "2026 H1")), ("trend", ())):
        chart = tmp_path / f"{action}.png"
        status, out, err = cli("fairness", action, *extra, "--chart", str(chart), "--team", TEAM)
        assert status == 0 and err == f"chart: {chart}\n" and out.startswith("# Fairness")
        assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    status, _, err = cli("fairness", "trend", "--chart", str(tmp_path / "missing" / "t.png"), "--team", TEAM)
    assert status == 1 and err.startswith("ladder: cannot write the chart to ") and len(err.splitlines()) == 1
