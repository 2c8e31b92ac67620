"""The instrument rules over a record: does a goal fit its measure, what does a form score,
which goals does an administration go to.

Pure functions (no I/O, no change to a record): `goaltrack.operations` calls them before it
changes a record, `goaltrack check` and the import of a dump call them to hold stored data to
the same rules.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from goaltrack.errors import InvalidValueError
from goaltrack.measures import forms
from goaltrack.measures.instruments import Direction, Instrument, Registry
from goaltrack.records.enums import PHQ9_KEY
from goaltrack.records.model import ClientRecord, EntryFlag, Goal, GoalStatus


def check_goal(goal: Goal, registry: Registry, force: bool = False) -> None:
    """Refuse a goal whose measure is unknown, or whose values break its instrument's rules.

    Baseline, target and every logged value must lie in the instrument's range (and be whole
    numbers for integer measures). A target on the worse side of the baseline is refused
    unless `force` (a clinician may know better, e.g. a maintenance goal).
    """
    if goal.measure is None:
        return
    instrument = registry.require(goal.measure)
    if goal.baseline is not None:
        instrument.check_value(goal.baseline, "baseline")
    if goal.target is not None:
        instrument.check_value(goal.target, "target")
    for entry in goal.progress:
        try:
            instrument.check_value(entry.value, "value")
        except InvalidValueError as error:
            raise InvalidValueError(
                f"goal {goal.number} has an entry ({entry.id}) that does not fit "
                f"{instrument.key}: {error.message}"
            ) from None
    if (
        not force
        and goal.baseline is not None
        and goal.target is not None
        and instrument.improvement(goal.baseline, goal.target) < 0
    ):
        wanted = "lower" if instrument.better is Direction.LOWER else "higher"
        raise InvalidValueError(
            f"target is worse than the baseline on "
            f"{instrument.key}, where {wanted} is better; use --force if this is intended"
        )


def answer_problems(goal: Goal, registry: Registry) -> list[str]:
    """Entries whose item answers do not score to their stored total, or name no known form:
    shared by the import of a dump and by `goaltrack check`."""
    problems = []
    for entry in goal.progress:
        if entry.responses is None or entry.instrument is None:
            continue
        instrument = registry.get(entry.instrument)
        if instrument is None:
            problems.append(f"entry {entry.id}: unknown instrument {entry.instrument!r}")
            continue
        try:
            score(instrument, list(entry.responses), entry.value)
        except InvalidValueError as error:
            problems.append(f"entry {entry.id}: {error.message}")
    return problems


# ---- administering an instrument ----------------------------------------------------------


@dataclass
class Administration:
    """One completed instrument: its total, band, item answers and where it was logged."""

    client: str
    instrument: str
    date: date
    total: int | float
    band: str | None
    responses: list[int] | None
    flags: list[EntryFlag] = field(default_factory=list)
    per_goal: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)  # {"goal": n, "id": ...}

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers."""
        data = dataclasses.asdict(self)
        del data["per_goal"]  # how it was logged, not what was measured
        return {**data, "flags": [flag.value for flag in self.flags]}


def score(
    instrument: Instrument, responses: list[int] | None, total: int | float | None
) -> tuple[int | float, list[EntryFlag]]:
    """The total of one administration and its flags, from item answers or a given total."""
    if responses is None:
        if total is None:
            raise InvalidValueError(f"give the {instrument.key} responses or its --total")
        instrument.check_value(total, "total")
        # a PHQ-9 total says nothing about item 9: recorded so, never shown as a negative
        return total, [EntryFlag.ITEM9_NOT_ASSESSED] if instrument.key == PHQ9_KEY else []
    if not instrument.items:
        raise InvalidValueError(
            f"{instrument.key} is totals only ({instrument.licence or 'no item texts'}); "
            "give its --total instead of item responses"
        )
    form = require_form(instrument.key)
    computed = form.total(responses)
    if total is not None and total != computed:
        raise InvalidValueError(
            "--total does not match the sum of the responses; give one or the other"
        )
    instrument.check_value(computed, "total")
    flags = [EntryFlag.RISK_ITEM9] if form.safety_endorsed(responses) else []
    return computed, flags


def require_form(key: str) -> forms.Form:
    """The item texts of an administrable instrument, or a clear error."""
    form = forms.get_form(key)
    if form is None:
        raise InvalidValueError(
            f"goaltrack has no item texts for {key}; give its --total "
            f"(item by item: {', '.join(forms.administrable())})"
        )
    return form


def target_goals(
    record: ClientRecord, instrument: str, goal_number: int | None, per_goal: bool = False
) -> list[Goal]:
    """The given goal (which must use `instrument`), else every active goal that does.

    A per-goal rating (GBO, GAS, ...) describes one goal, so it is never copied to several.
    """
    if goal_number is not None:
        goal = record.require_goal(goal_number)
        if goal.measure != instrument:
            raise InvalidValueError(
                f"goal {goal_number} of {record.client.id!r} is measured by "
                f"{goal.measure or 'nothing'}, not {instrument}"
            )
        return [goal]
    goals = [
        goal
        for goal in sorted(record.goals, key=lambda g: g.number)
        if goal.measure == instrument and goal.status is GoalStatus.ACTIVE
    ]
    if not goals:
        raise InvalidValueError(
            f"client {record.client.id!r} has no active goal measured by {instrument}; "
            f"add one (add-goal ... --measure {instrument}) or name a goal with --goal"
        )
    if per_goal and len(goals) > 1:
        numbers = ", ".join(str(goal.number) for goal in goals)
        raise InvalidValueError(
            f"{instrument} rates one goal at a time and goals {numbers} use it; "
            "choose one with --goal"
        )
    return goals
