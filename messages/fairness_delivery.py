"""What Ladder's admins read in Slack when a cycle closes: the fairness audit's summary (Block Kit), its chart (a PNG
with the same figures in its comment and alt text) and the whole report (Markdown); and a chair's calibration of their
panel.

Every figure comes from the report, where small groups are already suppressed; the chart's text (:mod:`bot.fairness.chart`)
suppresses again any group below k, and nothing here writes a count, rate, ratio or p-value of a suppressed row.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.fairness.calibration import Calibration, PanelCalibration, PanelistCalibration
from bot.fairness.chart import MAX_BARS, Chart, attribute_rates, cycle_chart, suppressed_label, trend_chart, trend_series
from bot.fairness.parity import Parity
from bot.fairness.report import BY_SUBTRACTION, UNKNOWN, AttributeSection, FairnessReport
from bot.fairness.trend import Trend
from messages.blocks import bullet_list, context, esc, finish_message, plain, section, who
from messages.fairness_report import report_markdown
from messages.panels import FileUpload
from messages.render import Message, Renderer

MAX_ATTRIBUTE_BLOCKS = 20
"""Attributes shown one section each; the rest are named (Slack keeps 50 blocks)."""
MAX_COMMENT = 3500
UNKNOWN_SHOWN = "no group recorded"
MAX_JUDGES = 25
MAX_PARITY_GROUPS = 8
MAX_SPREADS = 5


def report_message(renderer: Renderer, report: FairnessReport) -> Message:
    k = report.min_group_size
    flagged = _flagged(report)
    summary = renderer.prose(
        "fairness_report",
        cycle_name=report.cycle_name,
        closed_on=f"{report.closed_at:%A %d %B %Y}" if report.closed_at else None,
        eligible=report.totals.eligible,
        nominated=report.totals.nominated,
        promoted=report.totals.promoted,
        flagged="; ".join(flagged),
    )
    blocks: list[Block] = [HeaderBlock(text=plain(f"Fairness audit: {report.cycle_name}", 150)), section(summary)]
    sections = [s for s in report.attributes if any(not r.is_unknown for r in s.rows)]
    for attribute in sections[:MAX_ATTRIBUTE_BLOCKS]:
        lines = _attribute_lines(attribute, k)
        blocks.append(section(f"*{esc(attribute.label)}*\n" + bullet_list(esc(line) for line in lines)))
    if len(sections) > MAX_ATTRIBUTE_BLOCKS:
        rest = ", ".join(s.label for s in sections[MAX_ATTRIBUTE_BLOCKS:])
        blocks.append(context(esc(f"Also in the report: {rest}.")))
    labels = {a.attribute: a.label for a in report.attributes}
    parity = _parity_lines(report.parity, k)
    if parity:
        blocks.append(section("*IC–management parity* (equivalent levels)\n" + bullet_list(esc(line) for line in parity)))
    calibration = _calibration_line(report.calibration)
    if calibration:
        blocks.append(context(esc(calibration)))
    suppressed = ", ".join(
        f"{labels.get(row.attribute, row.attribute)}: {UNKNOWN_SHOWN if row.group == UNKNOWN else row.group}"
        for row in report.suppressed
    )
    blocks.append(context(renderer.prose("fairness_report_footer", k=k, suppressed=suppressed, cycle_name=report.cycle_name)))
    notify = f"Fairness audit of {report.cycle_name}: " + (
        f"{len(flagged)} group{'s' if len(flagged) != 1 else ''} below four fifths of the highest promotion rate"
        if flagged
        else "no group below four fifths of the highest promotion rate"
    )
    return finish_message(notify, blocks)


def chart_upload(report: FairnessReport, filename: str) -> FileUpload:
    """The chart as a file for the admin's conversation: its figures in the comment beside it and in its alt text."""
    chart = _chart(report)
    comment = _comment(chart)
    return FileUpload(filename=filename, title=chart.title, content=chart.png, comment=comment, alt_text=chart.alt_text)


def document_upload(report: FairnessReport, filename: str) -> FileUpload:
    """The whole report, as `ladder fairness report` prints it (Markdown): every table, parity, calibration."""
    return FileUpload(
        filename=filename,
        title=f"Fairness audit: {report.cycle_name} (the whole report)",
        content=report_markdown(report),
        comment="The whole report: every group's figures, IC–management parity and calibration of judges.",
    )


def trend_upload(trend: Trend, filename: str) -> FileUpload:
    """Each group's promotion rate across the cycles, as a chart with its figures beside it."""
    k = trend.reports[-1].min_group_size if trend.reports else 0
    chart = trend_chart(trend_series(trend), k)
    comment = _comment(chart)
    return FileUpload(filename=filename, title=chart.title, content=chart.png, comment=comment, alt_text=chart.alt_text)


def _chart(report: FairnessReport) -> Chart:
    return cycle_chart(report.cycle_name, attribute_rates(report), report.min_group_size)


def _flagged(report: FairnessReport) -> list[str]:
    """Groups whose promotion rate is below four fifths of the highest (shown groups only), with ratio and p-value."""
    out = []
    for attribute in report.attributes:
        for row in attribute.rows:
            if row.four_fifths and not row.suppressed and not row.is_unknown and row.impact_ratio is not None:
                test = f", p = {row.p_value:.3f}" if row.p_value is not None and not row.too_small_to_test else ""
                out.append(f"{attribute.label}: {row.group} (ratio {row.impact_ratio:.2f}{test})")
    return out


def _attribute_lines(attribute: AttributeSection, k: int) -> list[str]:
    """Each group's figures: nominated and promoted of eligible, the promotion rate, the ratio and test; a suppressed row
    only says so; the row of people with no group gives how many (unless it is suppressed too)."""
    lines = []
    shown_rows = [r for r in attribute.rows if not r.is_unknown][:MAX_BARS]
    for row in shown_rows:
        if row.suppressed or row.counts is None or row.counts.eligible < k:
            lines.append(f"{row.group}: {suppressed_label(k, protects=row.suppressed_because == BY_SUBTRACTION)}")
            continue
        c = row.counts
        words = f"{row.group}: {c.promoted} of {c.eligible} promoted ({_pct(c.promotion_rate)}), {c.nominated} nominated"
        if row.impact_ratio is not None:
            words += f", ratio {row.impact_ratio:.2f}" + (" (below four fifths)" if row.four_fifths else "")
        if row.too_small_to_test:
            words += ", too few for the test to mean much"
        elif row.p_value is not None:
            words += f", p = {row.p_value:.3f}"
        lines.append(words)
    hidden = len([r for r in attribute.rows if not r.is_unknown]) - len(shown_rows)
    if hidden > 0:
        lines.append(f"{hidden} more groups in the report")
    for row in attribute.rows:
        if row.is_unknown:
            if row.suppressed or row.counts is None or row.counts.eligible < k:
                lines.append(f"{UNKNOWN_SHOWN}: {suppressed_label(k, protects=row.suppressed_because == BY_SUBTRACTION)}")
            else:
                lines.append(f"{UNKNOWN_SHOWN}: {row.counts.eligible} people")
    return lines


def _parity_lines(parity: Parity | None, k: int) -> list[str]:
    """Each group of equivalent levels: each level's promotions of eligible (suppressed below k), and the pay bands."""
    if parity is None:
        return []
    if not parity.equivalents_named:
        return ["the framework names no equivalent levels"]
    lines = []
    for group in parity.groups[:MAX_PARITY_GROUPS]:
        levels = []
        for level in group.levels:
            if level.top_of_track:
                figures = "top of its track"
            elif level.suppressed or level.eligible is None or level.eligible < k:
                figures = f"suppressed (< {k})"
            else:
                figures = f"{level.promoted} of {level.eligible} promoted ({_pct(level.promotion_rate)})"
            levels.append(f"{level.level_title}: {figures}")
        lines.append(" vs ".join(levels) + f"; pay bands {group.bands.status}")
    if len(parity.groups) > MAX_PARITY_GROUPS:
        lines.append(f"{len(parity.groups) - MAX_PARITY_GROUPS} more groups of equivalent levels in the report")
    return lines


def _calibration_line(calibration: Calibration | None) -> str:
    if calibration is None:
        return ""
    if not calibration.available:
        return f"Calibration of judges: not available yet ({calibration.reason})."
    widest = [s.competency_name for s in calibration.most_disagreed[:3]]
    return "Calibration of judges is in the report" + (
        f"; panels disagreed most on {', '.join(widest)}." if widest else "; every judge rated alike."
    )


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _comment(chart: Chart) -> str:
    """The chart's figures as the mrkdwn comment beside it: group names are HR's or people's text, so escaped (a group
    called `<!channel>` pings nobody, `<https://…|…>` is no link), and cut whole lines first so no escape is split."""
    lines: list[str] = []
    size = 0
    for line in (esc(line) for line in (*chart.lines, *chart.left_out)):
        if size + len(line) + 1 > MAX_COMMENT:
            if lines:
                return "\n".join(lines) + "\n…"
            cut = line[: MAX_COMMENT - 1]
            tail = cut.rfind("&")
            return (cut[:tail] if tail >= 0 and ";" not in cut[tail:] else cut) + "…"
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def calibration_message(
    renderer: Renderer, panel: PanelCalibration, *, cycle_name: str, panel_name: str | None = None
) -> Message:
    """A chair's calibration of their own panel: each judge's lean against the panel per competency, how often they
    recommended otherwise than the panel decided, and the competencies the panel disagreed about most. No group data."""
    name = panel_name or panel.panel_name
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"Calibration: {name}", 150)),
        section(renderer.prose("panel_calibration", panel_name=name, cycle_name=cycle_name, decided=panel.nominations)),
    ]
    judges = [_judge_line(judge) for judge in panel.panelists[:MAX_JUDGES]]
    if judges:
        blocks.append(
            section("*Each judge against the panel* (mean rating on the rubric minus the panel's)\n" + bullet_list(judges))
        )
    if panel.spreads:
        spreads = [
            esc(f"{s.competency_name}: judges {s.mean_spread:.1f} rubric steps apart on average (at most {s.max_spread}), "
                f"over {s.nominations} nomination{'s' if s.nominations != 1 else ''}")
            for s in panel.spreads[:MAX_SPREADS]
        ]  # fmt: skip
        blocks.append(section("*Where the panel disagreed most*\n" + bullet_list(spreads)))
    blocks.append(context("Leaning by half a rubric step or more is called lenient or severe; less is in line."))
    return finish_message(f"Calibration of {name}, {cycle_name}", blocks)


def _judge_line(judge: PanelistCalibration) -> str:
    disagreed = f"recommended otherwise than the decision on {judge.disagreed} of {judge.scored}"
    lean = judge.overall_lean
    overall = "no ratings on the rubric" if lean is None else f"overall {lean:+.2f}"
    leaning = [f"{c.leaning} on {c.competency_name} ({c.lean:+.2f})" for c in judge.competencies if c.leaning != "in line"]
    return f"{who(judge.panelist)}: " + esc("; ".join([disagreed, overall, *leaning]))
