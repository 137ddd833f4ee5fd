"""A fairness report as Markdown (a Jinja template in ``templates/documents``) or as CSV (fixed columns).

A suppressed row carries no figure (its :class:`~bot.fairness.report.GroupRow` holds none), so neither output can
show one; the Markdown lists the suppressed rows and why."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.fairness.report import FairnessReport, GroupRow
from bot.fairness.trend import Trend

CSV_COLUMNS = (
    "attribute", "group", "eligible", "nominated", "nomination_rate", "promoted", "promotion_rate", "success_rate",
    "impact_ratio", "four_fifths", "p_value", "suppressed",
)  # fmt: skip


def decimal4(value: float | None) -> str:
    """A rate or ratio to 4 decimal places; empty when undefined."""
    return "" if value is None else f"{value:.4f}"


def p_value_text(value: float | None) -> str:
    """A p-value to 4 significant figures (0.03497, 1.2e-19): small ones stay readable, none rounds to 0."""
    return "" if value is None else f"{value:.4g}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


MARKDOWN_ACTIVE = re.compile(r"[\\`*\[\]<~|]|(?<![^\W_])_|_(?![^\W_])")
"""What Markdown would read as markup in HR's text: a backslash, code, emphasis, a link, an HTML tag (`<Not Specified>`
would vanish), strikethrough, a table's pipe; `_` unless inside a word (`working_pattern` stays as it is)."""


def cell(text: object) -> str:
    """Text in a Markdown table cell, shown as written: nothing HR typed is read as markup, and a line break cannot
    break the table."""
    return " ".join(MARKDOWN_ACTIVE.sub(lambda found: "\\" + found.group(), str(text)).split())


_documents = Environment(
    loader=PackageLoader("messages", "templates/documents"), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    autoescape=False, keep_trailing_newline=True,
)  # fmt: skip
_documents.filters.update(percent=percent, ratio=ratio, p_value=p_value_text, cell=cell)


def report_markdown(report: FairnessReport, sections: Sequence[str] = ()) -> str:
    """The report as a Markdown document; ``sections`` (Markdown, e.g. IC–manager parity, calibration) follow the
    groups and precede the list of suppressed rows."""
    return _documents.get_template("fairness_report.md.j2").render(report=report, sections=sections)


def report_csv(report: FairnessReport) -> str:
    """One row per attribute and group, :data:`CSV_COLUMNS` in order; a suppressed row's figures are empty cells."""
    return _csv(CSV_COLUMNS, (csv_row(row) for section in report.attributes for row in section.rows))


def csv_row(row: GroupRow) -> list[str]:
    counts = row.counts
    if row.suppressed or counts is None:
        return [row.attribute, row.group, *[""] * (len(CSV_COLUMNS) - 3), "true"]
    return [
        row.attribute,
        row.group,
        str(counts.eligible),
        str(counts.nominated),
        decimal4(counts.nomination_rate),
        str(counts.promoted),
        decimal4(counts.promotion_rate),
        decimal4(counts.success_rate),
        decimal4(row.impact_ratio),
        "true" if row.four_fifths else "false",
        p_value_text(row.p_value),
        "false",
    ]


TREND_COLUMNS = ("cycle", *CSV_COLUMNS)


def trend_csv(trend: Trend) -> str:
    """Each cycle's report rows, the cycle's name first: :data:`TREND_COLUMNS`."""
    rows = (
        [report.cycle_name, *csv_row(row)] for report in trend.reports for section in report.attributes for row in section.rows
    )
    return _csv(TREND_COLUMNS, rows)


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def trend_markdown(trend: Trend) -> str:
    return _documents.get_template("fairness_trend.md.j2").render(trend=trend, k=_k(trend))


def _k(trend: Trend) -> int | None:
    return trend.reports[-1].min_group_size if trend.reports else None
