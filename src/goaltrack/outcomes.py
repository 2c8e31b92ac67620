"""Pure functions over a goal's series of progress entries: where does the goal stand?

No I/O and no presentation here; the results are plain data for renderers and exporters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from goaltrack.model import Goal

Number = int | float


def change_from_baseline(baseline: Number | None, latest: Number | None) -> Number | None:
    """Latest minus baseline, in the measure's own units (not signed by direction)."""
    if baseline is None or latest is None:
        return None
    return _tidy(latest - baseline)


def percent_to_target(
    baseline: Number | None, target: Number | None, latest: Number | None
) -> float | None:
    """How far the latest value has come from baseline toward target, in percent.

    100 means the target is reached; the figure may exceed 100 or go negative. None when
    there is no target, no baseline, no entry, or the target equals the baseline.
    """
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    return round((latest - baseline) / (target - baseline) * 100, 1)


@dataclass(frozen=True)
class GoalSummary:
    """Where one goal stands: its figures as of its latest entry."""

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

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers, in field order."""
        return asdict(self)


def summarize_goal(goal: Goal) -> GoalSummary:
    """The summary of one goal from its entries (latest by date, then by entry order)."""
    ordered = goal.entries_in_order()
    latest_entry = ordered[-1] if ordered else None
    latest = latest_entry.value if latest_entry else None
    baseline = goal.effective_baseline()
    return GoalSummary(
        goal=goal.number,
        title=goal.title,
        kind=goal.kind.value,
        measure=goal.measure,
        baseline=baseline,
        target=goal.target,
        due=goal.due,
        latest=latest,
        latest_date=latest_entry.date if latest_entry else None,
        change=change_from_baseline(baseline, latest),
        percent_to_target=percent_to_target(baseline, goal.target, latest),
        entries=len(ordered),
        status=goal.status.value,
    )


def _tidy(value: Number) -> Number:
    """Round away float noise (19.1 - 17 = 2.1000000000000014)."""
    if isinstance(value, float):
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() else rounded
    return value
