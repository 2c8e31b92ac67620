"""The read model of `progress --chart` (terminal and SVG) and of the report's charts: what
one goal's chart shows, as plain data, worked out here so the renderers only draw it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from goaltrack.measures.instruments import Instrument, Registry
from goaltrack.measures.outcomes import DEFAULT_STALE_DAYS, GoalSummary
from goaltrack.measures.raters import own_rater, rated_by, raters_of
from goaltrack.measures.trend import Trend, fit_trend
from goaltrack.records.model import Goal
from goaltrack.views import Number, instrument_for, rating_series, summarize


@dataclass(frozen=True)
class GoalChart:
    """What the chart of one goal shows, worked out here: the renderer only lays it out."""

    number: int
    title: str
    summary: GoalSummary
    instrument: Instrument | None
    points: list[tuple[date, float]]  # the entries drawn (on or after `since`), by date
    since: date | None
    logged: int  # entries of the goal in all: "none since" differs from "none yet"
    target: Number | None
    due: date | None
    baseline: Number | None  # the goal's baseline, else its first value
    trend: Trend | None  # the line over every entry, while the target is still ahead
    #: Whose ratings `points`, `summary` and `trend` are (None: the goal has no entries).
    rater: str | None = None
    #: Everyone who rated the goal, the goal's own rater first.
    raters: tuple[str, ...] = ()
    #: With --by-rater: one series per rater (the goal's own first), drawn each with its mark.
    series: tuple[RaterSeries, ...] = ()


@dataclass(frozen=True)
class RaterSeries:
    """One rater's entries of a goal, for a chart that shows each rater apart."""

    rater: str
    points: list[tuple[date, float]]  # by date (on or after the chart's `since`)


def goal_chart(
    goal: Goal,
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
    since: date | None = None,
    rater: str | None = None,
    by_rater: bool = False,
) -> GoalChart:
    """A goal's chart as plain data: its summary, the points to draw, and the trend line, on
    one rater's series (`rater`, else the goal's own); `by_rater` adds every rater's series."""
    series_goal = rating_series(goal, rater)
    summary = summarize(series_goal, today, stale_days, registry)
    ordered = series_goal.entries_in_order()

    def drawn(entries: list[Any]) -> list[tuple[date, float]]:
        return [(e.date, float(e.value)) for e in entries if since is None or e.date >= since]

    raters = raters_of(goal)
    chosen = rater or own_rater(goal)
    # a trend is drawn forward whenever there is one and the target is still ahead (not when
    # it is reached, nor when the entries are stale: an old trend is no news)
    projects = (
        summary.slope_per_week is not None
        and not summary.target_reached
        and not summary.stale
        and (summary.projected_date is not None or goal.due is not None)
    )
    return GoalChart(
        number=goal.number,
        title=goal.title,
        summary=summary,
        instrument=instrument_for(goal, registry),
        points=drawn(ordered),
        since=since,
        logged=len(ordered),
        target=summary.target,  # a GAS goal without one aims at level 0
        due=goal.due,
        baseline=series_goal.effective_baseline(),
        trend=fit_trend([(e.date, float(e.value)) for e in ordered]) if projects else None,
        rater=chosen,
        raters=tuple(sorted(raters, key=lambda name: name != chosen)),
        series=tuple(
            RaterSeries(name, drawn(rated_by(goal, name).entries_in_order()))
            for name in sorted(raters, key=lambda name: name != chosen)
        )
        if by_rater
        else (),
    )
