"""Values checked against their instrument, forms administered, and the safety flag.

These functions run inside `Store.update` (they mutate the private draft and raise to refuse),
so a value that breaks a rule of its instrument never reaches the disk. They wrap the generic
changes in `goaltrack.operations` with what the instrument registry knows: range, integer rule,
direction, and which forms may be given item by item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from goaltrack import operations
from goaltrack.errors import InvalidValueError
from goaltrack.measures.instruments import DEFAULT_MEASURE, Direction, Instrument, Registry
from goaltrack.records.model import (
    ClientRecord,
    EntryFlag,
    Goal,
    GoalStatus,
    ProgressEntry,
    Rater,
    gas_level_key,
    new_entry_id,
)

if TYPE_CHECKING:
    from goaltrack.measures.forms import Form

GAS = "gas"


# ---- goals and logged values -------------------------------------------------------------


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
            f"target {goal.target:g} is worse than baseline {goal.baseline:g} on "
            f"{instrument.key}, where {wanted} is better; use --force if this is intended"
        )


def set_gas_levels(goal: Goal, levels: Mapping[str, str]) -> None:
    """Add or replace the descriptions of some GAS levels (keys like "-2", "0", "+1")."""
    if not levels:
        return
    if goal.measure != GAS:
        raise InvalidValueError(
            f"GAS level descriptions need a goal measured by gas (goal {goal.number} is "
            f"measured by {goal.measure or 'nothing'}); add --measure gas"
        )
    merged = dict(goal.gas_levels or {})
    for key, text in levels.items():
        try:
            merged[gas_level_key(key)] = text
        except ValueError as error:
            raise InvalidValueError(str(error)) from None
    operations._assign(goal, "gas_levels", merged)


def add_goal(
    record: ClientRecord,
    fields: operations.GoalFields,
    registry: Registry,
    *,
    force: bool = False,
    gas_levels: Mapping[str, str] | None = None,
    created: date | None = None,
) -> int:
    """Add a goal with a known measure (the kind's default when none is given); its number."""
    defaulted = fields.measure is None
    if fields.measure is None:
        if gas_levels:
            fields.measure = GAS
        elif fields.kind is not None:
            fields.measure = DEFAULT_MEASURE.get(fields.kind)
    if fields.measure is not None:
        registry.require(fields.measure)
    number = operations.add_goal(record, fields, created)
    goal = operations.find_goal(record, number)
    set_gas_levels(goal, gas_levels or {})
    try:
        check_goal(goal, registry, force)
    except InvalidValueError as error:
        if not defaulted or fields.kind is None:
            raise
        raise InvalidValueError(
            f"{error.message} ({goal.measure} is the default measure for {fields.kind.value} "
            "goals; choose another with --measure)"
        ) from None
    return number


def edit_goal(
    record: ClientRecord,
    number: int,
    fields: operations.GoalFields,
    registry: Registry,
    *,
    clear: Iterable[str] = (),
    force: bool = False,
    gas_levels: Mapping[str, str] | None = None,
) -> None:
    """Change a goal; a new measure, baseline or target is checked against the instrument."""
    clear = tuple(clear)
    goal = operations.find_goal(record, number)
    if not fields.given() and not clear and not gas_levels:
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    if "gas_levels" in clear:
        operations._assign(goal, "gas_levels", None)
        clear = tuple(name for name in clear if name != "gas_levels")
    changes_measure = fields.measure not in (None, goal.measure) or "measure" in clear
    administered = sorted({e.instrument for e in goal.progress if e.instrument is not None})
    if changes_measure and administered:
        raise InvalidValueError(
            f"goal {number} holds {', '.join(administered)} administrations, which would be "
            "relabelled; add a new goal for the new measure instead"
        )
    leaves_gas = fields.measure not in (None, GAS) or "measure" in clear
    if leaves_gas and goal.gas_levels:
        raise InvalidValueError(
            f"goal {number} has GAS level descriptions; add --clear gas_levels to change "
            "its measure"
        )
    if fields.given() or clear:
        operations.edit_goal(record, number, fields, clear)
    set_gas_levels(goal, gas_levels or {})
    touched = {"measure", "baseline", "target"} & (set(fields.given()) | set(clear))
    if touched and goal.measure is not None:
        check_goal(goal, registry, force)


def log_value(
    record: ClientRecord, number: int, entry: operations.EntryFields, registry: Registry
) -> str:
    """Record a value on a goal after checking it against the goal's instrument; its id."""
    goal = operations.find_goal(record, number)
    instrument = measure_of(goal, registry)
    if instrument is not None:
        instrument.check_value(entry.value)
    return operations.log_entry(record, number, entry)


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


def measure_of(goal: Goal, registry: Registry) -> Instrument | None:
    """The goal's instrument; a clear error when its measure is no longer known."""
    if goal.measure is None:
        return None
    instrument = registry.get(goal.measure)
    if instrument is None:
        raise InvalidValueError(
            f"goal {goal.number} is measured by {goal.measure!r}, which is not a known "
            "instrument (was it removed from instruments.toml?); restore it or change the "
            "goal's --measure before logging"
        )
    return instrument


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
        return {
            "client": self.client,
            "instrument": self.instrument,
            "date": self.date,
            "total": self.total,
            "band": self.band,
            "responses": self.responses,
            "flags": [flag.value for flag in self.flags],
            "entries": self.entries,
        }


def score(
    instrument: Instrument, responses: list[int] | None, total: int | float | None
) -> tuple[int | float, list[EntryFlag]]:
    """The total of one administration and its flags, from item answers or a given total."""
    if responses is None:
        if total is None:
            raise InvalidValueError(f"give the {instrument.key} responses or its --total")
        instrument.check_value(total, "total")
        return total, []
    if not instrument.items:
        raise InvalidValueError(
            f"{instrument.key} is totals only ({instrument.licence or 'no item texts'}); "
            "give its --total instead of item responses"
        )
    form = require_form(instrument.key)
    computed = form.total(responses)
    if total is not None and total != computed:
        raise InvalidValueError(
            f"--total {total:g} does not match the responses, which add up to {computed}"
        )
    instrument.check_value(computed, "total")
    flags = [EntryFlag.RISK_ITEM9] if form.safety_endorsed(responses) else []
    return computed, flags


def require_form(key: str) -> Form:
    """The item texts of an administrable instrument, or a clear error."""
    from goaltrack.measures import forms  # item texts are read only by commands that administer

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
        goal = operations.find_goal(record, goal_number)
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


def record_administration(
    record: ClientRecord,
    administration: Administration,
    goal_number: int | None,
    *,
    session: int | None = None,
    rater: Rater | None = None,
    note: str | None = None,
    today: date | None = None,
) -> Administration:
    """Log a scored administration to its goals (one entry each, same answers and flags)."""
    if administration.date > (today or date.today()):
        raise InvalidValueError(f"date {administration.date.isoformat()} is in the future")
    administration.entries = []
    goals = target_goals(record, administration.instrument, goal_number, administration.per_goal)
    for goal in goals:
        entry_id = new_entry_id(record.entry_ids())
        goal.progress.append(
            operations._validated(
                ProgressEntry,
                id=entry_id,
                date=administration.date,
                value=administration.total,
                session=session,
                rater=rater,
                note=note,
                instrument=administration.instrument,
                responses=administration.responses,
                flags=administration.flags,
            )
        )
        administration.entries.append({"goal": goal.number, "id": entry_id})
    return administration
