"""A goal's chart as an SVG picture: the same chart model as the terminal chart, drawn exactly.

It draws what the core hands it (`chart_views.GoalChart`) on the axes of `render/frame.py`,
which the terminal chart uses too: severity bands, the cutoff, the target line, the due date, the
entries joined by a line, and the dotted trend projection. Every piece of text comes from a
client file or an instrument, so every piece is escaped here: a title or note is text, never
markup. The picture carries `role="img"`, a `<title>` and a `<desc>` naming what it shows;
the report adds a data table beside it for screen readers. Plain strings only: no Rich.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from goaltrack.chart_views import GoalChart
from goaltrack.measures.instruments import Band, Direction, Instrument
from goaltrack.render.canvas import format_value, nice_step
from goaltrack.render.frame import Frame, chart_frame, projection_segment
from goaltrack.supervision import OutcomeCounts

WIDTH = 640
HEIGHT = 280
#: Margins of the plot area inside the picture: y labels left, band labels right, dates below.
LEFT, RIGHT, TOP, BOTTOM = 44, 132, 14, 44
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
#: Band fills from the best band to the worst: pale, so that the data stays the darkest ink.
BAND_FILLS = ("#e3f2e1", "#f4f6d5", "#fdf0d2", "#fbe0d2", "#f6d1d1")
INK, MUTED, LINE = "#1a1a1a", "#555555", "#1f5fa8"
TARGET, CUTOFF, DUE = "#1b7a2e", "#9a6a00", "#8e2c8e"


@dataclass(frozen=True)
class Plot:
    """The plot area inside the picture and the frame it maps: value -> y, date -> x."""

    frame: Frame
    left: float = LEFT
    top: float = TOP
    width: float = WIDTH - LEFT - RIGHT
    height: float = HEIGHT - TOP - BOTTOM

    def x(self, day: date) -> float:
        """The x of a date (the same fraction of the axis as the terminal's column)."""
        return round(self.left + self.frame.x_fraction(day) * self.width, 2)

    def y(self, value: float) -> float:
        """The y of a value (the same fraction of the axis as the terminal's row)."""
        return round(self.top + self.frame.y_fraction(value) * self.height, 2)


def chart_svg(chart: GoalChart, *, ident: str = "chart") -> str:
    """One goal's chart as a standalone SVG document (text); `ident` prefixes the ids of its
    title and description, so several charts can share one page."""
    title = f"Goal {chart.number}: {chart.title}"
    desc = describe(chart)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="goal-chart" '
        f'font-family={quoteattr(FONT)} font-size="11">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
    )
    if not chart.points:
        empty = "no entries in this period" if chart.logged else "no entries yet"
        body = (
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(empty)}</text>"
        )
        return head + body + "</svg>"
    plot = Plot(chart_frame(chart, projection=True))
    parts = [
        *_bands(plot, chart.instrument),
        *_value_axis(plot, chart),
        *_date_axis(plot),
        *_lines(plot, chart),
        *_points(plot, chart.points),
    ]
    return head + "".join(parts) + "</svg>"


def describe(chart: GoalChart) -> str:
    """The chart in one sentence for a screen reader: measure, first and last value, target."""
    summary = chart.summary
    words = [chart.instrument.name if chart.instrument else (summary.measure or "no measure")]
    if chart.points:
        (first_day, first), (last_day, last) = chart.points[0], chart.points[-1]
        count = len(chart.points)
        words.append(
            f"{count} {'entry' if count == 1 else 'entries'} from {first_day.isoformat()} "
            f"({format_value(first)}) to {last_day.isoformat()} ({format_value(last)})"
        )
    else:
        words.append("no entries")
    if chart.target is not None:
        words.append(f"target {format_value(chart.target)}")
    if chart.instrument is not None and chart.instrument.cutoff is not None:
        words.append(f"cutoff {format_value(chart.instrument.cutoff)}")
    if chart.due is not None:
        words.append(f"due {chart.due.isoformat()}")
    words.append(f"outlook: {summary.status_word}")
    return "; ".join(words) + "."


def point_coordinates(svg: str) -> list[tuple[float, float]]:
    """The (x, y) of every entry drawn in an SVG from `chart_svg`, in date order (for tests
    and tools that check the picture against the data)."""
    found = re.findall(r'<circle class="entry" cx="([\d.]+)" cy="([\d.]+)"', svg)
    return [(float(x), float(y)) for x, y in found]


def _bands(plot: Plot, instrument: Instrument | None) -> list[str]:
    """A pale rectangle per severity band, labelled in the right margin."""
    if instrument is None or not instrument.bands:
        return []
    half = 0.5 if instrument.integer else 0.0
    parts = []
    right = plot.left + plot.width
    for index, band in enumerate(instrument.bands):
        low = max(band.low - half, plot.frame.low)
        high = min(band.high + half, plot.frame.high)
        if high <= low:
            continue
        top, bottom = plot.y(high), plot.y(low)
        fill = BAND_FILLS[_band_rank(index, instrument.bands, instrument)]
        parts.append(
            f'<rect class="band" x="{plot.left}" y="{top}" width="{plot.width}" '
            f'height="{round(bottom - top, 2)}" fill="{fill}"/>'
            f'<text x="{right + 6}" y="{round((top + bottom) / 2 + 4, 2)}" fill="{MUTED}">'
            f"{escape(_short(band.label, 20))}</text>"
        )
    return parts


def _band_rank(index: int, bands: Sequence[Band], instrument: Instrument) -> int:
    """The fill of a band: the best band palest green, the worst pale red."""
    count = len(bands)
    worst_first = instrument.better is Direction.HIGHER
    rank = count - 1 - index if worst_first else index
    return 0 if count == 1 else round(rank * (len(BAND_FILLS) - 1) / (count - 1))


def _value_axis(plot: Plot, chart: GoalChart) -> list[str]:
    """The y axis: round values with faint grid lines."""
    frame = plot.frame
    step = nice_step((frame.high - frame.low) / 6)
    first = math.ceil(frame.low / step - 1e-9)
    values = [round(n * step, 9) for n in range(first, math.floor(frame.high / step + 1e-9) + 1)]
    parts = [
        f'<line x1="{plot.left}" y1="{plot.top}" x2="{plot.left}" '
        f'y2="{plot.top + plot.height}" stroke="{MUTED}"/>'
    ]
    for value in values:
        y = plot.y(value)
        parts.append(
            f'<line x1="{plot.left - 4}" y1="{y}" x2="{plot.left + plot.width}" y2="{y}" '
            f'stroke="#000000" stroke-opacity="0.08"/>'
            f'<text x="{plot.left - 7}" y="{round(y + 4, 2)}" text-anchor="end" fill="{INK}">'
            f"{format_value(value)}</text>"
        )
    return parts


def _date_axis(plot: Plot) -> list[str]:
    """The x axis with up to five dates, first and last at the ends."""
    frame = plot.frame
    bottom = plot.top + plot.height
    parts = [
        f'<line x1="{plot.left}" y1="{bottom}" x2="{plot.left + plot.width}" y2="{bottom}" '
        f'stroke="{MUTED}"/>'
    ]
    span = (frame.end - frame.start).days
    count = 1 if span == 0 else min(5, span + 1)
    days = sorted(
        {frame.start + timedelta(days=round(i * span / max(count - 1, 1))) for i in range(count)}
    )
    for index, day in enumerate(days):
        x = plot.x(day)
        anchor = "middle"
        if len(days) > 1 and index == 0:
            anchor = "start"
        elif len(days) > 1 and index == len(days) - 1:
            anchor = "end"
        parts.append(
            f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 4}" stroke="{MUTED}"/>'
            f'<text x="{x}" y="{bottom + 17}" text-anchor="{anchor}" fill="{INK}">'
            f"{day.isoformat()}</text>"
        )
    return parts


def _lines(plot: Plot, chart: GoalChart) -> list[str]:
    """Cutoff, target and due-date lines, the legend, and the dotted trend projection."""
    frame, instrument = plot.frame, chart.instrument
    left, right = plot.left, plot.left + plot.width
    parts: list[str] = []
    legend: list[tuple[str, str, str]] = [("entries", LINE, "")]
    cutoff = instrument.cutoff if instrument is not None else None
    if cutoff is not None and frame.low <= cutoff <= frame.high:
        y = plot.y(cutoff)
        parts.append(
            f'<line class="cutoff" x1="{left}" y1="{y}" x2="{right}" y2="{y}" '
            f'stroke="{CUTOFF}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        legend.append((f"cutoff {format_value(cutoff)}", CUTOFF, "6 4"))
    if chart.target is not None and frame.low <= chart.target <= frame.high:
        y = plot.y(chart.target)
        parts.append(
            f'<line class="target" x1="{left}" y1="{y}" x2="{right}" y2="{y}" '
            f'stroke="{TARGET}" stroke-width="2"/>'
        )
        legend.append((f"target {format_value(chart.target)}", TARGET, ""))
    if frame.show_due and chart.due is not None:
        x = plot.x(chart.due)
        parts.append(
            f'<line class="due" x1="{x}" y1="{plot.top}" x2="{x}" y2="{plot.top + plot.height}" '
            f'stroke="{DUE}" stroke-dasharray="2 3"/>'
        )
        legend.append((f"due {chart.due.isoformat()}", DUE, "2 3"))
    segment = projection_segment(chart, frame)
    if segment is not None:
        (d0, v0), (d1, v1) = segment
        parts.append(
            f'<line class="trend" x1="{plot.x(d0)}" y1="{plot.y(v0)}" x2="{plot.x(d1)}" '
            f'y2="{plot.y(v1)}" stroke="{LINE}" stroke-width="1.5" stroke-dasharray="2 4"/>'
        )
        legend.append(("trend", LINE, "2 4"))
    parts.append(_legend(legend))
    return parts


def _legend(items: list[tuple[str, str, str]]) -> str:
    """One row of legend swatches under the date labels."""
    x, y = float(LEFT), HEIGHT - 8
    parts = []
    for text, colour, dash in items:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>'
            f'<text x="{x + 22}" y="{y}" fill="{INK}">{escape(text)}</text>'
        )
        x += 30 + 6.5 * len(text)
    return "".join(parts)


def _points(plot: Plot, points: list[tuple[date, float]]) -> list[str]:
    """The entries: a line joining them and a dot for each, with its date and value."""
    coords = [(plot.x(day), plot.y(value)) for day, value in points]
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2" '
            f'stroke-linejoin="round"/>'
        )
    for (day, value), (x, y) in zip(points, coords, strict=True):
        parts.append(
            f'<circle class="entry" cx="{x}" cy="{y}" r="3.5" fill="{LINE}" '
            f'data-date="{day.isoformat()}" data-value="{format_value(value)}">'
            f"<title>{day.isoformat()}: {format_value(value)}</title></circle>"
        )
    return parts


def _short(text: str, room: int) -> str:
    """`text` cut to `room` characters with an ellipsis."""
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


#: The bars of an outcome chart: (label, field of OutcomeCounts, colour).
OUTCOME_BARS = (
    ("improved", "improved", "#2e7d32"),
    ("recovered", "recovered", "#1f5fa8"),
    ("deteriorated", "deteriorated", "#b3261e"),
    ("no reliable change", "unchanged", "#6b6b6b"),
)


def outcome_bars(counts: OutcomeCounts, *, ident: str = "bars") -> str:
    """A small horizontal bar chart of a group's outcome counts, out of its measured clients."""
    width, row, left = 420, 22, 150
    height = row * len(OUTCOME_BARS) + 28
    most = max(counts.measured, 1)
    room = width - left - 40
    title = f"Outcomes: {counts.label}"
    desc = "; ".join(
        f"{label} {getattr(counts, name)} of {counts.measured}" for label, name, _ in OUTCOME_BARS
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="outcome-chart" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)} '
        f'font-size="12"><title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}.</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    ]
    for index, (label, name, colour) in enumerate(OUTCOME_BARS):
        value = getattr(counts, name)
        y = 6 + index * row
        bar = round(value / most * room, 2)
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" fill="{INK}">{label}</text>'
            f'<rect class="bar" x="{left}" y="{y}" width="{bar}" height="{row - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{left + bar + 6}" y="{y + 13}" fill="{INK}">{value}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 6}" fill="{MUTED}">'
        f"of {counts.measured} measured client{'s' if counts.measured != 1 else ''}</text></svg>"
    )
    return "".join(parts)
