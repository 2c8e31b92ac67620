"""The frame of a goal's chart: the value range and the date range both pictures share.

The terminal chart (`render/chart.py`) and the SVG chart (`render/svg.py`) draw the same
`chart_views.GoalChart`; both take their scale from here, so the same entry lands at the same
place in both (a test compares them). Plain data and arithmetic only: no Rich, no markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from goaltrack.chart_views import GoalChart
from goaltrack.measures.instruments import Direction
from goaltrack.render.canvas import nice_step

#: How far past the last entry the axis may run (for a due date or a projection): as far as
#: the entries span, and at least four weeks.
MIN_LOOKAHEAD_DAYS = 28


@dataclass(frozen=True)
class Frame:
    """What a chart's axes run over: values `low`..`high`, dates `start`..`end`."""

    low: float
    high: float
    start: date
    end: date
    show_due: bool  # the due date lies on the axis
    projection_end: date | None  # where the trend line may run to (before clipping)

    def x_fraction(self, day: date) -> float:
        """Where a date lies across the axis, 0 (start) to 1 (end); one date alone: 0.5."""
        span = (self.end - self.start).days
        return 0.5 if span == 0 else (day - self.start).days / span

    def y_fraction(self, value: float) -> float:
        """Where a value lies down the axis, 0 (high, the top) to 1 (low, the bottom)."""
        return (self.high - value) / (self.high - self.low)


def every_point(chart: GoalChart) -> list[tuple[date, float]]:
    """Every point drawn, by date: the goal's series, or with --by-rater every rater's."""
    if not chart.series:
        return chart.points
    return sorted(point for one in chart.series for point in one.points)


def last_entry(chart: GoalChart) -> date:
    """The date the trend runs on from: the goal's own series' last entry, else the last
    entry drawn (a chart with at least one point)."""
    return (chart.points or every_point(chart))[-1][0]


def past_target(value: float, chart: GoalChart) -> bool:
    """True when `value` is at or beyond the target on the better side."""
    target, better = chart.target, chart.summary.better
    if target is None or better is None:
        return False
    return value <= target if better == Direction.LOWER.value else value >= target


def value_range(chart: GoalChart) -> tuple[float, float]:
    """The y range: the instrument's, else the data's (with baseline and target) made round."""
    if chart.instrument is not None:
        return float(chart.instrument.min), float(chart.instrument.max)
    values = [value for _, value in every_point(chart)]
    values += [float(v) for v in (chart.baseline, chart.target) if v is not None]
    low, high = min(values), max(values)
    if low == high:
        return low - 1, high + 1
    step = nice_step((high - low) / 4)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def projection_end(chart: GoalChart, last: date) -> date | None:
    """Where the dotted trend stops: the projected date of the target or the due date,
    whichever comes first, when it is after the last entry; None without a trend, or when
    the trend line is at or past the target already (nothing ahead to project)."""
    if chart.trend is None or past_target(chart.trend.value_on(last), chart):
        return None
    ends = [day for day in (chart.summary.projected_date, chart.due) if day is not None]
    end = min(ends, default=None)
    return end if end is not None and end > last else None


def chart_frame(chart: GoalChart, *, projection: bool = True) -> Frame:
    """The axes of a chart with at least one point: the date axis runs from the first entry
    to the last, or on to the due date and (when `projection`) the trend's end, but never
    further past the last entry than the entries span (four weeks at least)."""
    low, high = value_range(chart)
    points = every_point(chart)
    start, last = points[0][0], last_entry(chart)
    end = max(last, points[-1][0])
    farthest = last + timedelta(days=max(MIN_LOOKAHEAD_DAYS, (last - start).days))
    due = chart.due
    show_due = due is not None and start < due <= farthest
    if show_due and due is not None and due > end:
        end = due
    ends_at = projection_end(chart, last)
    if projection and ends_at is not None:
        end = max(end, min(ends_at, farthest))
    return Frame(low, high, start, end, show_due, ends_at)


def projection_segment(
    chart: GoalChart, frame: Frame
) -> tuple[tuple[date, float], tuple[date, float]] | None:
    """The dotted trend line from the last entry to the frame's projection end (cut at the
    axis's last date), stopped where it meets the target or leaves the value range; None
    when none is drawn."""
    trend, end = chart.trend, frame.projection_end
    if trend is None or end is None or not chart.points:
        return None
    last = chart.points[-1][0]
    end = min(end, frame.end)
    if end <= last:
        return None
    start_value, end_value = trend.value_on(last), trend.value_on(end)
    edge = frame.high if end_value > frame.high else frame.low
    target = chart.target
    meets = target is not None and min(start_value, end_value) <= target <= max(
        start_value, end_value
    )
    if meets and target is not None:
        edge = float(target)
    if end_value != start_value and (meets or not frame.low <= end_value <= frame.high):
        fraction = (edge - start_value) / (end_value - start_value)
        end = last + timedelta(days=max(0, math.floor((end - last).days * fraction)))
        end_value = edge
    start_value = min(max(start_value, frame.low), frame.high)
    end_value = min(max(end_value, frame.low), frame.high)
    return (last, start_value), (end, end_value)
