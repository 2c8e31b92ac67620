"""The trend of a goal's series: a least-squares line over the entries, and where it leads.

Pure functions over (date, value) points; no I/O. Time is counted in days from the first
point, so entries on the same day are simply points with equal x.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MIN_TREND_POINTS = 3
#: A slope or an on/off-track verdict needs this many distinct dates over this many days:
#: three points within one day would otherwise give -66.5 points a week.
MIN_VERDICT_DATES = 3
MIN_VERDICT_SPAN_DAYS = 14
MAX_PROJECTION_DAYS = 3650  # a projection more than ten years out is "not in sight"


@dataclass(frozen=True)
class Trend:
    """A least-squares line `value = intercept + slope_per_day * days since origin`."""

    origin: date
    intercept: float
    slope_per_day: float
    points: int
    last: date

    @property
    def slope_per_week(self) -> float:
        """The slope in the measure's units per seven days."""
        return self.slope_per_day * 7

    def value_on(self, day: date) -> float:
        """The value of the line on `day`."""
        return self.intercept + self.slope_per_day * (day - self.origin).days


def fit_trend(points: Sequence[tuple[date, float]]) -> Trend | None:
    """The ordinary least-squares line through the points, or None when it is undefined.

    Needs at least three points (two always fit exactly and say nothing about a trend) on at
    least two different dates (points all on one day have no slope).
    """
    if len(points) < MIN_TREND_POINTS:
        return None
    origin = min(day for day, _ in points)
    xs = [float((day - origin).days) for day, _ in points]
    ys = [float(value) for _, value in points]
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(
        origin=origin,
        intercept=mean_y - slope * mean_x,
        slope_per_day=slope,
        points=len(points),
        last=max(day for day, _ in points),
    )


def supports_verdict(points: Sequence[tuple[date, float]]) -> bool:
    """True when a series can carry a slope and an on/off-track verdict: at least
    MIN_VERDICT_DATES distinct dates spanning at least MIN_VERDICT_SPAN_DAYS days."""
    days = {day for day, _ in points}
    return len(days) >= MIN_VERDICT_DATES and (max(days) - min(days)).days >= (
        MIN_VERDICT_SPAN_DAYS
    )


def _crossing(trend: Trend, target: float, latest: float) -> float | None:
    """Days from the origin at which the line meets `target`, heading there from `latest`;
    None when the line is flat or heads away, or the latest value sits on the target."""
    gap = target - latest
    if trend.slope_per_day == 0 or gap == 0 or (gap > 0) != (trend.slope_per_day > 0):
        return None
    return (target - trend.intercept) / trend.slope_per_day


def line_behind_data(trend: Trend, target: float, latest: float, today: date | None = None) -> bool:
    """True when the line heads for the target but met it on or before the last entry (or
    before `today`) while the observed value has not: no projection says anything then."""
    days = _crossing(trend, target, latest)
    if days is None:
        return False
    whole = math.ceil(days - 1e-9)
    last_days = (trend.last - trend.origin).days
    return whole <= last_days or (today is not None and whole < (today - trend.origin).days)


def projected_date(
    trend: Trend, target: float, latest: float, today: date | None = None
) -> date | None:
    """The first day on which the trend line reaches `target`, seen from the latest value.

    None when the line is flat or heads away from the target, when the latest value already
    sits on the target, when the day lies more than ten years past the last entry, and when
    the line met the target on or before the last entry, or before `today` (the as-of date),
    while the observed value has not: a projection never lies in the past.
    """
    days = _crossing(trend, target, latest)
    if days is None or line_behind_data(trend, target, latest, today):
        return None
    last_days = (trend.last - trend.origin).days
    if days - last_days > MAX_PROJECTION_DAYS:
        return None
    try:
        return trend.origin + timedelta(days=math.ceil(days - 1e-9))
    except OverflowError:  # past the year 9999: not in sight
        return None
