"""Pure functions over a goal's series of progress entries: where does the goal stand?

No I/O and no presentation here; the results are plain data for renderers and exporters.
The change between two values (reliable, meaningful, clinically significant) is judged by
`measures/change.py`; this module applies it to a goal's series with its trend, target, due
date and staleness, and gives the one status word.

Every function that needs to know a measure takes its `Instrument` (or None) as a parameter,
so it does not care where the registry comes from. The rules and their sources are in
docs/outcomes.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from goaltrack import settings
from goaltrack.measures.change import (
    Movement,
    Number,
    better_direction,
    change_from_baseline,
    clinical_significance,
    improvement,
    meaningful_change,
    percent_to_target,
    reliable_change,
)
from goaltrack.measures.instruments import Direction, Instrument
from goaltrack.measures.trend import (
    Trend,
    fit_trend,
    line_behind_data,
    projected_date,
    supports_verdict,
)
from goaltrack.records.enums import GAS_KEY
from goaltrack.records.model import Goal, GoalStatus

DEFAULT_STALE_DAYS = settings.DEFAULT_STALE_DAYS
#: A GAS goal's target when none is set: level 0, the expected outcome (Kiresuk & Sherman).
GAS_DEFAULT_TARGET = 0


class StatusWord(StrEnum):
    """The one word a clinician scans for each goal (precedence in `status_word`)."""

    ACHIEVED = "achieved"
    DROPPED = "dropped"
    PAUSED = "paused"
    NOT_ENOUGH_DATA = "not enough data"
    NO_TARGET = "no target"
    DETERIORATING = "deteriorating"
    WORSE = "worse"
    TARGET_REACHED = "target reached"
    STALE = "stale"
    OVERDUE = "overdue"
    OFF_TRACK = "off track"
    ON_TRACK = "on track"
    IMPROVING = "improving"
    BETTER = "better"
    NO_CHANGE = "no change"


def target_reached(
    latest: Number | None, target: Number | None, direction: Direction | None
) -> bool | None:
    """Whether the latest value is at the target or beyond it on the better side."""
    if latest is None or target is None or direction is None:
        return None
    return latest <= target if direction is Direction.LOWER else latest >= target


def on_track(
    due: date | None, reached: bool | None, trend: Trend | None, projected: date | None
) -> bool | None:
    """Whether the goal looks set to reach its target by its due date.

    True when the target is reached or the trend reaches it by the due date; False when the
    trend reaches it later, or is flat or heading away; None without a due date or a trend.
    """
    if due is None:
        return None
    if reached:
        return True
    if trend is None:
        return None
    return projected is not None and projected <= due


def is_overdue(due: date | None, reached: bool | None, today: date) -> bool:
    """The due date has passed and the target is not reached."""
    return due is not None and today > due and reached is not True


def days_since(last: date | None, today: date) -> int | None:
    """Whole days from `last` to `today` (None without a date)."""
    return None if last is None else (today - last).days


def is_stale(last_activity: date, today: date, stale_days: int = DEFAULT_STALE_DAYS) -> bool:
    """No entry for more than `stale_days` days (counted from the goal's creation if none)."""
    return (today - last_activity).days > stale_days


def status_word(
    *,
    goal_status: GoalStatus,
    entries: int,
    direction: Direction | None,
    movement: Movement | None,
    reached: bool | None,
    stale: bool,
    overdue: bool,
    on_track: bool | None,
) -> StatusWord:
    """The overall word for a goal, by the first rule that applies (docs/outcomes.md).

    `movement` is the reliable change when the measure has a reliable-change rule
    (improved / deteriorated), else the plain direction of the change (better / worse).
    """
    if goal_status is not GoalStatus.ACTIVE:
        return StatusWord(goal_status.value)
    if entries == 0:
        return StatusWord.NOT_ENOUGH_DATA
    if direction is None:
        return StatusWord.NO_TARGET
    if movement is Movement.DETERIORATED:
        return StatusWord.DETERIORATING
    if movement is Movement.WORSE:
        return StatusWord.WORSE
    if reached:
        return StatusWord.TARGET_REACHED
    if stale:
        return StatusWord.STALE
    if overdue:
        return StatusWord.OVERDUE
    if entries == 1 and movement not in (Movement.IMPROVED, Movement.BETTER):
        return StatusWord.NOT_ENOUGH_DATA
    if on_track is False:
        return StatusWord.OFF_TRACK
    if on_track is True:
        return StatusWord.ON_TRACK
    if movement is Movement.IMPROVED:
        return StatusWord.IMPROVING
    if movement is Movement.BETTER:
        return StatusWord.BETTER
    return StatusWord.NO_CHANGE


@dataclass(frozen=True)
class GoalSummary:
    """Where one goal stands: its figures as of its latest entry.

    The first fields are the original contract; the outcome fields were added after them
    (machine formats only ever gain fields).
    """

    goal: int
    title: str
    kind: str
    measure: str | None
    baseline: Number | None
    target: Number | None
    due: date | None
    latest: Number | None
    latest_date: date | None
    change: Number | None
    percent_to_target: float | None
    entries: int
    status: str
    improvement: Number | None = None
    better: str | None = None
    reliable_change: str | None = None
    clinical_significance: str | None = None
    band: str | None = None
    slope_per_week: float | None = None
    projected_date: date | None = None
    on_track: bool | None = None
    target_reached: bool | None = None
    overdue: bool = False
    stale: bool = False
    days_since_entry: int | None = None
    status_word: str = StatusWord.NOT_ENOUGH_DATA.value
    meaningful_change: str | None = None
    rule: str | None = None
    rule_source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers, in field order."""
        return asdict(self)


def summarize_goal(
    goal: Goal,
    instrument: Instrument | None = None,
    *,
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> GoalSummary:
    """The summary of one goal from its entries (latest by date, then by entry order).

    `instrument` is the goal's measure (None when unknown); `today` defaults to the clock.
    """
    today = today or date.today()
    # GOALTRACK_AS_OF is a snapshot: entries dated after it are not counted
    ordered = [entry for entry in goal.entries_in_order() if entry.date <= today]
    latest_entry = ordered[-1] if ordered else None
    latest = latest_entry.value if latest_entry else None
    latest_date = latest_entry.date if latest_entry else None
    baseline = (
        goal.baseline if goal.baseline is not None else (ordered[0].value if ordered else None)
    )
    target = effective_target(goal)
    direction = better_direction(instrument, baseline, target)
    gain = improvement(baseline, latest, direction)
    reliable = reliable_change(baseline, latest, instrument)
    meaningful = meaningful_change(baseline, latest, instrument)
    movement = reliable or meaningful
    if movement is None and gain is not None:
        movement = _plain_movement(gain)
    rule = instrument.change_rule() if instrument is not None else None
    points = [(entry.date, entry.value) for entry in ordered]
    # a slope and a verdict need 3 distinct dates over 14 days (docs/outcomes.md)
    trend = fit_trend(points) if supports_verdict(points) else None
    reached = target_reached(latest, target, direction)
    active = goal.status is GoalStatus.ACTIVE
    overdue = active and is_overdue(goal.due, reached, today)
    stale = active and is_stale(latest_date or goal.created, today, stale_days)
    projected = None
    behind = False
    if trend is not None and target is not None and latest is not None and not reached:
        projected = projected_date(trend, target, latest, today)
        behind = line_behind_data(trend, target, latest, today)
    track = None
    if active and target is not None and not stale and not behind:
        track = on_track(goal.due, reached, trend, projected)
    if stale:  # an old projection is no news: stale suppresses it and the verdict
        projected = None
    return GoalSummary(
        goal=goal.number,
        title=goal.title,
        kind=goal.kind.value,
        measure=goal.measure,
        baseline=baseline,
        target=target,
        due=goal.due,
        latest=latest,
        latest_date=latest_date,
        change=change_from_baseline(baseline, latest),
        percent_to_target=percent_to_target(baseline, target, latest),
        entries=len(ordered),
        status=goal.status.value,
        improvement=gain,
        better=direction.value if direction else None,
        reliable_change=_value(reliable),
        clinical_significance=_value(clinical_significance(baseline, latest, instrument)),
        band=instrument.band_for(latest) if instrument and latest is not None else None,
        slope_per_week=round(trend.slope_per_week, 2) if trend else None,
        projected_date=projected,
        on_track=track,
        target_reached=reached,
        overdue=overdue,
        stale=stale,
        days_since_entry=days_since(latest_date, today),
        status_word=status_word(
            goal_status=goal.status,
            entries=len(ordered),
            direction=direction,
            movement=movement,
            reached=reached,
            stale=stale,
            overdue=overdue,
            on_track=track,
        ).value,
        meaningful_change=_value(meaningful),
        rule=rule.text if rule else None,
        rule_source=rule.source if rule else None,
    )


def effective_target(goal: Goal) -> Number | None:
    """The goal's target; for a GAS goal without one, level 0 (the expected outcome)."""
    if goal.target is None and goal.measure == GAS_KEY:
        return GAS_DEFAULT_TARGET
    return goal.target


def _plain_movement(gain: Number) -> Movement:
    """The direction of a change, for measures without a change rule: better or worse."""
    if gain > 0:
        return Movement.BETTER
    if gain < 0:
        return Movement.WORSE
    return Movement.NONE


def _value(member: StrEnum | None) -> str | None:
    return member.value if member is not None else None
