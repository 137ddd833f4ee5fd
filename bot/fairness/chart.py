"""The fairness audit's charts: PNG images for Slack, each with the same figures in text beside it.

- :func:`cycle_chart`: one cycle's promotion rate (promoted ÷ eligible) by group, one panel per attribute, horizontal
  bars labelled with their figures, and the four-fifths line (four fifths of the attribute's highest rate) marked.
- :func:`trend_chart`: each group's promotion rate cycle after cycle, one panel per attribute.

Made to be read on a phone in Slack: a narrow image, large type, few bars per panel, every figure written on the chart.
A suppressed group (fewer than ``k`` eligible people) is drawn as "suppressed (< k)" with no bar and no figure, and the
chart suppresses any group the caller forgot to (its eligible population below ``k``): no image or text here carries a
figure from which one person's outcome could be read.

Output is deterministic (fixed size and resolution, no timestamp or software version in the PNG) and bounded (at most
:data:`MAX_PANELS` attributes, :data:`MAX_BARS` groups each, :data:`MAX_CYCLES` cycles; what is left out is said in the
text). matplotlib is imported only when a chart is drawn, so commands that never draw one do not pay for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from bot.fairness.report import BY_SUBTRACTION, UNKNOWN, FairnessReport
from bot.fairness.trend import Trend

if TYPE_CHECKING:  # pragma: no cover - for type hints only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    from matplotlib.typing import RcKeyType

WIDTH_INCHES = 6.4
DPI = 125
"""800 pixels wide: Slack shows it at a phone's width without shrinking the type much, and it zooms cleanly."""
MAX_PANELS = 6
MAX_BARS = 8
MAX_CYCLES = 8
MAX_HEIGHT_INCHES = 24.0
MAX_ALT_TEXT = 1000
"""Slack's limit on a file's alt text."""
FONT = 15
SMALL = 13
SHOWN = "#1f5fa8"
BELOW = "#c4500b"
"""Bars below the four-fifths line: another colour and a hatch, so the difference does not rest on colour alone."""
LINE = "#333333"
MUTED = "#6b6b6b"
_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs (and bytes) on every machine
    "svg.hashsalt": "ladder",
    "path.simplify": True,
    "axes.unicode_minus": False,
}


@dataclass(frozen=True, slots=True)
class GroupRate:
    """One group's promotion figures under an attribute, as the report gives them (None where suppressed)."""

    group: str
    eligible: int | None
    promoted: int | None
    rate: float | None
    """promoted ÷ eligible."""
    impact_ratio: float | None = None
    four_fifths: bool = False
    """Its impact ratio is below 0.8."""
    suppressed: bool = False
    protects: bool = False
    """Suppressed although it has ``k`` people or more: its figures would give a smaller group's away by subtraction."""


@dataclass(frozen=True, slots=True)
class AttributeRates:
    attribute: str
    """The attribute's name as people read it (e.g. "Gender", "Track")."""
    groups: tuple[GroupRate, ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    cycle: str
    rate: float | None
    suppressed: bool = False
    eligible: int | None = None
    """When given and below ``k``, the point is suppressed whatever ``suppressed`` says."""
    protects: bool = False
    """Suppressed to protect a smaller group (see :attr:`GroupRate.protects`)."""


@dataclass(frozen=True, slots=True)
class TrendSeries:
    attribute: str
    group: str
    points: tuple[TrendPoint, ...]
    """Oldest cycle first."""


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its PNG, and its figures in text (for the message beside it and for the image's alt text)."""

    filename: str
    title: str
    png: bytes
    lines: tuple[str, ...]
    """The figures, one line per attribute (cycle chart) or per group (trend), the same ones the image shows."""
    left_out: tuple[str, ...] = field(default=())
    """What did not fit in the image (it is in the report)."""

    @property
    def text(self) -> str:
        return "\n".join((self.title, *self.lines, *self.left_out))

    @property
    def alt_text(self) -> str:
        return _fit(self.text, MAX_ALT_TEXT)


# -- what may be shown ------------------------------------------------------------------------------------------------


def shown(group: GroupRate, k: int) -> bool:
    """Whether a group's figures may appear at all: not suppressed by the report, and at least ``k`` eligible people."""
    return not group.suppressed and group.eligible is not None and group.eligible >= k and group.rate is not None


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def suppressed_label(k: int, *, protects: bool = False) -> str:
    return f"suppressed (protects a group < {k})" if protects else f"suppressed (< {k})"


def group_line(group: GroupRate, k: int, *, highest: float | None) -> str:
    """One group's figures in words: ``woman 12.5% (2 of 16), ratio 0.63, below four fifths``; a suppressed group only
    says so."""
    if not shown(group, k):
        return f"{group.group}: {suppressed_label(k, protects=group.protects)}"
    assert group.rate is not None
    parts = [f"{group.group}: {percent(group.rate)} ({group.promoted} of {group.eligible})"]
    if highest is not None and group.rate == highest and highest > 0:
        parts.append("highest")
    elif group.impact_ratio is not None:
        parts.append(f"ratio {group.impact_ratio:.2f}" + (", below four fifths" if group.four_fifths else ""))
    return ", ".join(parts)


def attribute_line(attribute: AttributeRates, k: int) -> str:
    groups = attribute.groups[:MAX_BARS]
    top = _highest(groups, k)
    return f"{attribute.attribute}: " + "; ".join(group_line(g, k, highest=top) for g in groups)


def _highest(groups: Sequence[GroupRate], k: int) -> float | None:
    return max((g.rate for g in groups if shown(g, k) and g.rate is not None), default=None)


def attribute_rates(report: FairnessReport) -> list[AttributeRates]:
    """The chart's view of a report: each attribute's groups with their promotion figures; the row of people with no
    group is not a group and is not drawn (the report's text says how many, when that may be said)."""
    out = []
    for section in report.attributes:
        groups = tuple(
            GroupRate(
                group=row.group,
                eligible=row.counts.eligible if row.counts and not row.suppressed else None,
                promoted=row.counts.promoted if row.counts and not row.suppressed else None,
                rate=row.counts.promotion_rate if row.counts and not row.suppressed else None,
                impact_ratio=None if row.suppressed else row.impact_ratio,
                four_fifths=row.four_fifths and not row.suppressed,
                suppressed=row.suppressed or row.counts is None,
                protects=row.suppressed and row.suppressed_because == BY_SUBTRACTION,
            )
            for row in section.rows
            if not row.is_unknown
        )
        out.append(AttributeRates(section.label, groups))
    return out


# -- a cycle's promotion rates ------------------------------------------------------------------------------------


def cycle_chart(cycle_name: str, attributes: Sequence[AttributeRates], k: int) -> Chart:
    """Promotion rate by group for each attribute of one cycle that has groups to compare: at most :data:`MAX_PANELS`
    (those with a group below four fifths first, then in the report's order), the first :data:`MAX_BARS` groups of
    each."""
    with_groups = [a for a in attributes if len(a.groups) > 1]
    single = [a.attribute for a in attributes if len(a.groups) == 1]
    flagged = sorted(with_groups, key=lambda a: not any(g.four_fifths and shown(g, k) for g in a.groups[:MAX_BARS]))
    chosen = {id(a) for a in flagged[:MAX_PANELS]}
    panels = [a for a in with_groups if id(a) in chosen]
    with_groups = panels + [a for a in with_groups if id(a) not in chosen]
    left_out = [
        f"{a.attribute}: {len(a.groups) - MAX_BARS} more groups in the report" for a in panels if len(a.groups) > MAX_BARS
    ]
    if len(with_groups) > MAX_PANELS:
        left_out.append("Also in the report: " + ", ".join(a.attribute for a in with_groups[MAX_PANELS:]))
    if single:
        left_out.append("Not drawn, one group only (nothing to compare): " + ", ".join(single))
    title = f"Promotion rate by group, {cycle_name}"
    lines = ["Promotion rate = promoted ÷ eligible; the dashed line is four fifths of the highest rate."]
    lines += [attribute_line(a, k) for a in panels]
    png = _draw_cycle(title, panels, k) if panels else _draw_empty(title, "No group to show yet.")
    return Chart(f"promotion-rates-{_slug(cycle_name)}.png", title, png, tuple(lines), tuple(left_out))


def _draw_cycle(title: str, panels: Sequence[AttributeRates], k: int) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure

    rows = [min(len(p.groups), MAX_BARS) for p in panels]
    heights = [0.55 * n + 0.9 for n in rows]
    height = min(sum(heights) + 0.8, MAX_HEIGHT_INCHES)
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
        figure.suptitle(_literal(title), fontsize=FONT + 1, fontweight="bold")
        axes = figure.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
        for ax, attribute in zip(axes, panels, strict=True):
            _draw_attribute(ax, attribute, k)
        return _png(figure)


def _draw_attribute(ax: Axes, attribute: AttributeRates, k: int) -> None:
    groups = attribute.groups[:MAX_BARS]
    top = _highest(groups, k)
    scale = max(top or 0.0, 0.05) * 1.75  # room on the right of the longest bar for its label
    positions = list(range(len(groups)))[::-1]  # the report's first group at the top
    for y, group in zip(positions, groups, strict=True):
        if not shown(group, k):
            ax.text(
                0,
                y,
                "  " + suppressed_label(k, protects=group.protects),
                va="center",
                ha="left",
                fontsize=SMALL,
                color=MUTED,
                style="italic",
            )
            continue
        assert group.rate is not None
        below = group.four_fifths
        ax.barh(y, group.rate, height=0.62, color=BELOW if below else SHOWN, hatch="//" if below else None, edgecolor="white")
        label = f" {percent(group.rate)} ({group.promoted}/{group.eligible})" + ("  below ⅘" if below else "")
        ax.text(
            group.rate, y, label, va="center", ha="left", fontsize=SMALL, color=LINE, zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85},
        )  # fmt: skip
    if top:
        line = 0.8 * top
        ax.axvline(line, color=LINE, linestyle="--", linewidth=1.4)
        ax.text(
            line, len(groups) - 0.45, f"⅘ of highest: {percent(line)}", fontsize=SMALL - 2, color=LINE, ha="center",
            va="bottom", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )  # fmt: skip
    ax.set_title(_literal(attribute.attribute), loc="left", fontsize=FONT, fontweight="bold")
    ax.set_yticks(positions, [_short(g.group) for g in groups], fontsize=FONT)
    ax.set_xlim(0, scale)
    ax.set_ylim(-0.6, len(groups) - 0.1 + (0.5 if top else 0))
    ax.xaxis.set_major_locator(_few_ticks())
    ax.xaxis.set_major_formatter(_percent_formatter())
    ax.tick_params(axis="x", labelsize=SMALL - 2, colors=MUTED)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# -- rates across cycles --------------------------------------------------------------------------------------


def trend_chart(series: Sequence[TrendSeries], k: int, *, title: str = "Promotion rate by group across cycles") -> Chart:
    """Each group's promotion rate in the last :data:`MAX_CYCLES` cycles, one panel per attribute. A suppressed point
    is left out of its line and named in the text; ``k`` is said beside it."""
    by_attribute: dict[str, list[TrendSeries]] = {}
    for one in series:
        by_attribute.setdefault(one.attribute, []).append(one)
    names = list(by_attribute)
    panels = [(name, by_attribute[name][:MAX_BARS]) for name in names[:MAX_PANELS]]
    cycles = _cycles(series)[-MAX_CYCLES:]
    left_out = [
        f"{name}: {len(by_attribute[name]) - MAX_BARS} more groups in the report"
        for name in names[:MAX_PANELS]
        if len(by_attribute[name]) > MAX_BARS
    ]
    if len(names) > MAX_PANELS:
        left_out.append("Also in the report: " + ", ".join(names[MAX_PANELS:]))
    if len(_cycles(series)) > MAX_CYCLES:
        left_out.append(f"Only the last {MAX_CYCLES} cycles are drawn.")
    lines = [f"Promotion rate = promoted ÷ eligible; a group of fewer than {k} eligible people in a cycle is suppressed."]
    for name, groups in panels:
        for one in groups:
            points = {p.cycle: p for p in one.points}
            shown_points = [_point_text(points.get(c), k) for c in cycles]
            lines.append(f"{name}, {one.group}: " + "; ".join(f"{c} {t}" for c, t in zip(cycles, shown_points, strict=True)))
    png = _draw_trend(title, panels, cycles, k) if panels and cycles else _draw_empty(title, "No cycle to show yet.")
    return Chart("promotion-rates-trend.png", title, png, tuple(lines), tuple(left_out))


def _point_text(point: TrendPoint | None, k: int) -> str:
    if point is None:
        return "nobody"
    if not _point_shown(point, k):
        return suppressed_label(k, protects=point.protects and point.suppressed)
    assert point.rate is not None
    return percent(point.rate)


def _point_shown(point: TrendPoint, k: int) -> bool:
    return not point.suppressed and point.rate is not None and (point.eligible is None or point.eligible >= k)


def trend_series(trend: Trend) -> list[TrendSeries]:
    """The chart's view of a trend: each attribute's groups (not the row of people with no group), a point per cycle
    the group had people in, suppressed where the cycle's report suppressed it."""
    names = trend.cycle_names
    out = []
    for line in trend.lines:
        if line.group == UNKNOWN:
            continue
        points = tuple(
            TrendPoint(cycle, None, True, protects=row.suppressed_because == BY_SUBTRACTION)
            if row.suppressed or row.counts is None
            else TrendPoint(cycle, row.counts.promotion_rate, False, row.counts.eligible)
            for cycle, row in zip(names, line.rows, strict=True)
            if row is not None
        )
        out.append(TrendSeries(line.label, line.group, points))
    return out


def _cycles(series: Sequence[TrendSeries]) -> list[str]:
    order: list[str] = []
    for one in series:
        for point in one.points:
            if point.cycle not in order:
                order.append(point.cycle)
    return order


def _draw_trend(title: str, panels: Sequence[tuple[str, Sequence[TrendSeries]]], cycles: Sequence[str], k: int) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure

    heights = [2.9 + 0.25 * len(groups) for _, groups in panels]
    height = min(sum(heights) + 0.8, MAX_HEIGHT_INCHES)
    markers = "osD^vP*X"
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
        figure.suptitle(_literal(title), fontsize=FONT + 1, fontweight="bold")
        axes = figure.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
        xs = list(range(len(cycles)))
        for ax, (name, groups) in zip(axes, panels, strict=True):
            top = 0.05
            for index, one in enumerate(groups):
                points = {p.cycle: p for p in one.points}
                values = [points[c].rate if c in points and _point_shown(points[c], k) else None for c in cycles]
                ys = [float("nan") if v is None else v for v in values]
                ax.plot(xs, ys, marker=markers[index % len(markers)], linewidth=2, markersize=7, label=_short(one.group))
                for x, v in zip(xs, values, strict=True):
                    if v is not None:
                        top = max(top, v)
                        ax.annotate(
                            percent(v), (x, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=SMALL - 3
                        )
            ax.set_title(_literal(f"{name} (missing point: suppressed, < {k})"), loc="left", fontsize=FONT - 1, fontweight="bold")
            ax.set_xticks(xs, [_short(c, 10) for c in cycles], fontsize=SMALL - 2)
            ax.set_xlim(-0.4, len(cycles) - 0.6)
            ax.set_ylim(0, top * 1.3)
            ax.yaxis.set_major_locator(_few_ticks())
            ax.yaxis.set_major_formatter(_percent_formatter())
            ax.tick_params(axis="y", labelsize=SMALL - 2, colors=MUTED)
            ax.legend(fontsize=SMALL - 2, loc="upper left", frameon=False, ncols=2)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        return _png(figure)


# -- drawing -----------------------------------------------------------------------------------------------------


def _draw_empty(title: str, words: str) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(WIDTH_INCHES, 2.0), dpi=DPI)
        figure.text(0.5, 0.65, _literal(title), ha="center", fontsize=FONT + 1, fontweight="bold")
        figure.text(0.5, 0.35, words, ha="center", fontsize=FONT, color=MUTED)
        return _png(figure)


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)  # the Agg canvas, whatever backend the process chose
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _few_ticks() -> MaxNLocator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])


def _percent_formatter() -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{round(value * 100, 1):g}%")


def _short(text: str, limit: int = 22) -> str:
    return _literal(text if len(text) <= limit else text[: limit - 1] + "…")


def _literal(text: str) -> str:
    """Text drawn as written: a ``$`` in a group's or cycle's name would otherwise start matplotlib's mathtext."""
    return text.replace("$", r"\$")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or "cycle"


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
