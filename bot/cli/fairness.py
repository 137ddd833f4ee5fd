"""`ladder fairness report` and `ladder fairness trend`: the audit of a cycle, and the same rates across cycles, on
stdout as Markdown or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli import common
from bot.cli.common import command, team_of
from bot.errors import LadderError

FORMATS = ("md", "csv")


def add_commands(commands: argparse._SubParsersAction) -> None:
    fairness = commands.add_parser("fairness", help="fairness audits: a cycle's report, trends across cycles")
    actions = fairness.add_subparsers(metavar="ACTION", required=True)
    report = command(
        actions, "report", _report, "a cycle's fairness audit: rates by group, impact ratios, four-fifths, Fisher's test"
    )
    report.add_argument("--cycle", required=True, help="the cycle's name (as `ladder cycle list` shows it)")
    trend = command(actions, "trend", _trend, "the same rates for every cycle, earliest first")
    for parser in (report, trend):
        parser.add_argument("--format", choices=FORMATS, default="md", help="md (default) or csv")
        parser.add_argument("--team", help="Slack team id (default: the only team in the database)")
        parser.add_argument("--chart", metavar="FILE.png", help="also draw the chart (PNG) into FILE, as admins get it in Slack")


def _report(args: argparse.Namespace) -> int:
    from bot.fairness.load import load_cycle_facts
    from bot.fairness.report import build_report
    from messages.fairness_report import report_csv, report_markdown

    services = common.load_services()
    team = team_of(services, args.team)
    now, framework = services.now(), services.framework_for(team)
    facts = load_cycle_facts(services.engine, framework, team, args.cycle, now)
    report = build_report(facts, framework, now=now)
    sys.stdout.write(report_csv(report) if args.format == "csv" else report_markdown(report))
    if args.chart:
        from bot.fairness.chart import attribute_rates, cycle_chart

        _write_chart(args.chart, cycle_chart(report.cycle_name, attribute_rates(report), report.min_group_size).png)
    return 0


def _trend(args: argparse.Namespace) -> int:
    from bot.fairness.load import load_all_cycle_facts
    from bot.fairness.trend import build_trend
    from messages.fairness_report import trend_csv, trend_markdown

    services = common.load_services()
    team = team_of(services, args.team)
    now, framework = services.now(), services.framework_for(team)
    trend = build_trend(load_all_cycle_facts(services.engine, framework, team, now), framework, now=now)
    sys.stdout.write(trend_csv(trend) if args.format == "csv" else trend_markdown(trend))
    if args.chart:
        from bot.fairness.chart import trend_chart, trend_series

        _write_chart(args.chart, trend_chart(trend_series(trend), framework.fairness.min_group_size).png)
    return 0


def _write_chart(path: str, png: bytes) -> None:
    try:
        Path(path).write_bytes(png)
    except OSError as exc:
        raise LadderError(f"cannot write the chart to {path}: {exc.strerror or exc}") from None
    print(f"chart: {path}", file=sys.stderr)
