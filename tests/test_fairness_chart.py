"""The fairness audit's charts: deterministic, bounded PNGs whose text gives the same figures, and never a figure of a
group below k — neither in the text nor in the image (which does not change whatever a suppressed group's figures are)."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib

from bot.fairness.chart import (
    DPI,
    MAX_ALT_TEXT,
    MAX_HEIGHT_INCHES,
    WIDTH_INCHES,
    AttributeRates,
    GroupRate,
    TrendPoint,
    TrendSeries,
    attribute_rates,
    cycle_chart,
    trend_chart,
    trend_series,
)
from bot.fairness.report import AttributeSection, Counts, FairnessReport, GroupRow
from bot.fairness.trend import Trend, TrendLine

K = 5


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + data) == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, data))
        at += 12 + length
    return chunks


def size_of(png: bytes) -> tuple[int, int]:
    header = dict(png_chunks(png))[b"IHDR"]
    width, height = struct.unpack(">II", header[:8])
    return width, height


def gender(small_rate: float | None = None, small_eligible: int | None = None) -> AttributeRates:
    return AttributeRates(
        "Gender",
        (
            GroupRate("woman", 16, 2, 2 / 16, 0.625, True),
            GroupRate("man", 15, 3, 3 / 15, 1.0, False),
            GroupRate("non-binary", small_eligible, None, small_rate, suppressed=True),
        ),
    )


def test_the_cycle_chart_is_a_deterministic_png_of_fixed_width_with_the_figures_in_its_text():
    attributes = [
        gender(),
        AttributeRates("Track", (GroupRate("IC", 20, 4, 0.2, 1.0), GroupRate("Management", 9, 1, 1 / 9, 0.56, True))),
    ]
    chart = cycle_chart("2026 H1", attributes, K)
    again = cycle_chart("2026 H1", attributes, K)
    assert chart.png == again.png, "the same figures draw the same bytes"
    width, height = size_of(chart.png)
    assert width == WIDTH_INCHES * DPI == 800 and 300 < height <= MAX_HEIGHT_INCHES * DPI
    kinds = {kind for kind, _ in png_chunks(chart.png)}
    assert b"tIME" not in kinds and b"tEXt" not in kinds and b"iTXt" not in kinds, "no timestamp or software in the PNG"
    assert chart.filename == "promotion-rates-2026-h1.png"
    assert chart.lines[1:] == (
        "Gender: woman: 12.5% (2 of 16), ratio 0.62, below four fifths; man: 20.0% (3 of 15), highest; non-binary: suppressed (< 5)",
        "Track: IC: 20.0% (4 of 20), highest; Management: 11.1% (1 of 9), ratio 0.56, below four fifths",
    )
    assert chart.text.startswith("Promotion rate by group, 2026 H1\n") and len(chart.alt_text) <= MAX_ALT_TEXT


def test_a_suppressed_group_shows_no_figure_whatever_its_figures_are():
    base = cycle_chart("2026 H1", [gender()], K)
    for rate, eligible in ((0.5, 2), (1.0, 1), (0.0, 4)):
        other = cycle_chart("2026 H1", [gender(small_rate=rate, small_eligible=eligible)], K)
        assert other.png == base.png and other.text == base.text, "the image and text do not depend on a suppressed group"
    # a group the report forgot to suppress, below k: the chart suppresses it itself
    leaky = AttributeRates("Location", (GroupRate("remote", 3, 1, 1 / 3, 1.0), GroupRate("office", 26, 4, 4 / 26, 0.46, True)))
    chart = cycle_chart("2026 H1", [leaky], K)
    assert "remote: suppressed (< 5)" in chart.text
    assert "33.3%" not in chart.text and "1 of 3" not in chart.text
    hidden = AttributeRates("Location", (GroupRate("remote", 4, 0, 0.0, 0.0), GroupRate("office", 26, 4, 4 / 26, 0.46, True)))
    assert cycle_chart("2026 H1", [hidden], K).png == chart.png


def test_charts_are_bounded_and_say_what_they_left_out():
    many = [
        AttributeRates(f"Attribute {a}", tuple(GroupRate(f"group {g}", 50 + g, g, g / (50 + g), 0.5) for g in range(20)))
        for a in range(12)
    ]
    chart = cycle_chart("Big", many, K)
    width, height = size_of(chart.png)
    assert width == 800 and height <= MAX_HEIGHT_INCHES * DPI and len(chart.png) < 600_000
    assert "Attribute 0: 12 more groups in the report" in chart.left_out
    assert chart.left_out[-1].startswith("Also in the report: Attribute 6, Attribute 7")
    assert len(chart.alt_text) <= MAX_ALT_TEXT
    empty = cycle_chart("Empty", [], K)
    assert size_of(empty.png)[0] == 800 and empty.lines == (
        "Promotion rate = promoted ÷ eligible; the dashed line is four fifths of the highest rate.",
    )


def test_the_trend_chart_leaves_suppressed_cycles_out_and_says_so():
    series = [
        TrendSeries(
            "Gender", "woman", (TrendPoint("2025 H1", 0.1), TrendPoint("2025 H2", None, True), TrendPoint("2026 H1", 0.125))
        ),
        TrendSeries("Gender", "man", (TrendPoint("2025 H1", 0.15), TrendPoint("2025 H2", 0.18), TrendPoint("2026 H1", 0.2))),
    ]
    chart = trend_chart(series, K)
    assert chart.png == trend_chart(series, K).png and size_of(chart.png)[0] == 800
    assert chart.lines[1:] == (
        "Gender, woman: 2025 H1 10.0%; 2025 H2 suppressed (< 5); 2026 H1 12.5%",
        "Gender, man: 2025 H1 15.0%; 2025 H2 18.0%; 2026 H1 20.0%",
    )
    leaked = [
        series[0].__class__("Gender", "woman", (*series[0].points[:1], TrendPoint("2025 H2", 0.9, True), series[0].points[2])),
        series[1],
    ]
    assert trend_chart(leaked, K).png == chart.png, "a suppressed point's figure is not drawn"


def test_a_reports_rows_become_the_charts_groups_without_the_unknown_row():
    rows = (
        GroupRow("gender", "woman", Counts(eligible=16, nominated=4, promoted=2), impact_ratio=0.625, four_fifths=True),
        GroupRow("gender", "man", Counts(eligible=15, nominated=5, promoted=3), impact_ratio=1.0),
        GroupRow("gender", "non-binary", None, suppressed=True, suppressed_because="fewer than k people"),
        GroupRow("gender", "(unknown)", Counts(eligible=6), is_unknown=True),
    )
    report = FairnessReport(
        team_id="T0TEST", cycle_id=1, cycle_name="2026 H1", opens_on=None, closed_at=None, window_end=None,  # type: ignore[arg-type]
        min_group_size=K, totals=Counts(eligible=39), attributes=(AttributeSection("gender", "Gender", False, rows),),
    )  # fmt: skip
    [gender_rates] = attribute_rates(report)
    assert gender_rates.attribute == "Gender"
    assert [(g.group, g.eligible, g.promoted, g.rate, g.suppressed) for g in gender_rates.groups] == [
        ("woman", 16, 2, 0.125, False), ("man", 15, 3, 0.2, False), ("non-binary", None, None, None, True),
    ]  # fmt: skip


def test_importing_the_chart_module_or_the_cli_does_not_load_matplotlib():
    code = "import sys, bot.cli, bot.fairness.chart, bot.runtime.message_kinds; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", "`ladder ask` must not pay for matplotlib at start"


def test_a_trends_lines_become_the_charts_series_suppressed_where_the_report_suppressed_them():
    def report(name: str) -> FairnessReport:
        return FairnessReport(
            team_id="T0TEST", cycle_id=1, cycle_name=name, opens_on=None, closed_at=None, window_end=None,  # type: ignore[arg-type]
            min_group_size=K, totals=Counts(), attributes=(),
        )  # fmt: skip

    woman = (GroupRow("gender", "Woman", Counts(eligible=10, promoted=1)), GroupRow("gender", "Woman", None, suppressed=True))
    newcomers = (None, GroupRow("gender", "Man", Counts(eligible=6, promoted=3)))
    trend = Trend(
        (report("2025 H2"), report("2026 H1")),
        (
            TrendLine("gender", "Gender", "Woman", woman),
            TrendLine(
                "gender", "Gender", "(unknown)", (GroupRow("gender", "(unknown)", Counts(eligible=9), is_unknown=True), None)
            ),
            TrendLine("gender", "Gender", "Man", newcomers),
        ),
    )
    series = trend_series(trend)
    assert [(s.attribute, s.group) for s in series] == [("Gender", "Woman"), ("Gender", "Man")]
    chart = trend_chart(series, K)
    assert chart.lines[1:] == (
        "Gender, Woman: 2025 H2 10.0%; 2026 H1 suppressed (< 5)",
        "Gender, Man: 2025 H2 nobody; 2026 H1 50.0%",
    )
    small = [TrendSeries("Gender", "Woman", (TrendPoint("2025 H2", 0.1, eligible=10), TrendPoint("2026 H1", 0.5, eligible=2)))]
    assert "2026 H1 suppressed (< 5)" in trend_chart(small, K).text, "a point below k is suppressed even if not marked"


def test_names_are_drawn_as_written_even_with_dollar_signs():
    """matplotlib reads `$…$` as mathematics (a malformed one raises): a group, attribute or cycle named so still draws."""
    odd = "$x_{$ pay"
    chart = cycle_chart(f"Q1 {odd}", [AttributeRates(odd, (GroupRate(odd, 10, 1, 0.1, 0.5), GroupRate("b", 10, 2, 0.2, 1.0)))], K)
    assert size_of(chart.png)[0] == 800 and f"{odd}: 10.0% (1 of 10)" in chart.text
    trend = trend_chart([TrendSeries(odd, odd, (TrendPoint(odd, 0.1),))], K, title=odd)
    assert size_of(trend.png)[0] == 800


def test_a_group_suppressed_to_protect_a_smaller_one_says_so():
    rows = (
        GroupRow("location", "Office", Counts(eligible=30, promoted=3)),
        GroupRow(
            "location", "Remote", None, suppressed=True, suppressed_because="would reveal a suppressed group by subtraction"
        ),
        GroupRow("location", "Hybrid", None, suppressed=True, suppressed_because="fewer than 5 people"),
    )
    report = FairnessReport(
        team_id="T0TEST", cycle_id=1, cycle_name="2026 H1", opens_on=None, closed_at=None, window_end=None,  # type: ignore[arg-type]
        min_group_size=K, totals=Counts(eligible=40), attributes=(AttributeSection("location", "Location", False, rows),),
    )  # fmt: skip
    chart = cycle_chart("2026 H1", attribute_rates(report), K)
    assert (
        chart.lines[1]
        == "Location: Office: 10.0% (3 of 30), highest; Remote: suppressed (protects a group < 5); Hybrid: suppressed (< 5)"
    )


def test_when_attributes_are_too_many_those_with_a_group_below_four_fifths_are_drawn_first():
    level = GroupRate("a", 10, 1, 0.1, 1.0)
    even = [AttributeRates(f"Even {n}", (level, GroupRate("b", 10, 1, 0.1, 1.0))) for n in range(7)]
    gap = AttributeRates("Gender", (GroupRate("Man", 10, 2, 0.2, 1.0), GroupRate("Woman", 10, 1, 0.1, 0.5, True)))
    chart = cycle_chart("2026 H1", [*even, gap], K)
    drawn = [line.split(":", 1)[0] for line in chart.lines[1:]]
    assert drawn == ["Even 0", "Even 1", "Even 2", "Even 3", "Even 4", "Gender"], "in the report's order, the gap kept"
    assert chart.left_out == ("Also in the report: Even 5, Even 6",)


def test_group_names_in_the_charts_comment_are_escaped_for_slack():
    """The comment beside an uploaded chart is mrkdwn: a group value HR typed cannot ping, mention or disguise a link."""
    from messages.blocks import esc
    from messages.fairness_delivery import chart_upload, trend_upload

    hostile = ("<!channel> *now*", "<https://evil.example|Open the full report>", "<@U0BOSS>")
    rows = tuple(GroupRow("ethnicity", name, Counts(eligible=10, nominated=4, promoted=i + 1)) for i, name in enumerate(hostile))
    report = FairnessReport(
        team_id="T0TEST", cycle_id=1, cycle_name="2026 <!here>", opens_on=None, closed_at=None, window_end=None,  # type: ignore[arg-type]
        min_group_size=K, totals=Counts(eligible=30), attributes=(AttributeSection("ethnicity", "Ethnicity", True, rows),),
    )  # fmt: skip
    trend = Trend((report, report), tuple(TrendLine("ethnicity", "Ethnicity", r.group, (r, r)) for r in rows))
    for upload in (chart_upload(report, "chart.png"), trend_upload(trend, "trend.png")):
        assert "<" not in upload.comment and ">" not in upload.comment, upload.comment
        assert esc("<!channel> *now*") in upload.comment
