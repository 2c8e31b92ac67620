"""Adding and editing goals, held to the rules of the instrument that measures them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.measures.instruments import DEFAULT_MEASURE, Registry
from goaltrack.measures.scoring import check_goal
from goaltrack.operations.dates import check_due_date
from goaltrack.operations.plan import add_objectives, append_intervention
from goaltrack.planning.drafts import GoalDraft, draft_goal
from goaltrack.planning.targets import Target, compute_target
from goaltrack.planning.templates import Template
from goaltrack.records.enums import GAS_KEY
from goaltrack.records.model import (
    Approach,
    ClientRecord,
    Goal,
    GoalKind,
    GoalStatus,
    Priority,
    assign,
    build,
    gas_level_key,
)
from goaltrack.settings import as_of


@dataclass
class GoalFields:
    """Fields of a goal as given on the command line or in a row; None means not given."""

    kind: GoalKind | None = None
    title: str | None = None
    measure: str | None = None
    baseline: int | float | None = None
    target: int | float | None = None
    due: date | None = None
    priority: Priority | None = None
    status: GoalStatus | None = None
    approach: Approach | None = None
    concern: str | None = None  # the name of the client's concern the goal serves
    every: str | None = None  # measurement schedule (records.convert.parse_schedule)
    template: str | None = None  # the template the goal was made from

    def given(self) -> dict[str, Any]:
        """The fields that were given."""
        return {key: value for key, value in vars(self).items() if value is not None}


GOAL_CLEARABLE = ("measure", "baseline", "target", "due", "approach", "concern", "every")


def add_goal(
    record: ClientRecord,
    fields: GoalFields,
    registry: Registry,
    *,
    number: int | None = None,
    force: bool = False,
    gas_levels: Mapping[str, str] | None = None,
    created: date | None = None,
    default_measure: bool = True,
    check_dates: bool = False,
    schedules: Mapping[str, str] | None = None,
    objectives: Sequence[str] = (),
    interventions: Sequence[tuple[str, Approach | None]] = (),
) -> int:
    """Add a goal and return its number: `number` when given (an import keeps the numbers of
    its rows), else one past the highest ever used (goals are never deleted).

    Without a measure the goal gets its kind's usual instrument (gas when GAS levels are
    given), unless `default_measure` is False. Baseline, target and direction are checked
    against the instrument; `force` accepts a target on the worse side of the baseline.
    `check_dates` (the command line) refuses a due date already past unless `force`.
    `schedules` maps an instrument key to its default schedule (the user's config.toml): a
    goal given no `every` is measured on its instrument's default.
    A concern must be one of the client's (its name is stored as the client spells it);
    `objectives` and `interventions` (a template's) are numbered from 1.
    """
    if fields.kind is None or fields.title is None:
        raise InvalidValueError("a goal needs a kind and a title")
    if fields.concern is not None:
        fields.concern = require_concern(record, fields.concern)
    if check_dates:
        check_due_date(fields.due, as_of(), force=force)
    if number is not None and record.goal(number) is not None:
        raise FieldError("goal", f"goal {number} of {record.client.id!r} already exists")
    given = fields.given()
    defaulted = default_measure and fields.measure is None
    if defaulted:
        given["measure"] = GAS_KEY if gas_levels else DEFAULT_MEASURE.get(fields.kind)
    if given.get("measure") is not None:
        registry.require(given["measure"])
        default_every = (schedules or {}).get(given["measure"])
        if fields.every is None and default_every is not None:
            given["every"] = default_every
    goal = build(
        Goal,
        number=number if number is not None else record.next_goal_number(),
        created=created or as_of(),
        episode=record.client.current_episode(),
        **given,
    )
    set_gas_levels(goal, gas_levels or {})
    add_objectives(goal, objectives)
    for technique, approach in interventions:
        append_intervention(goal, technique, approach)
    try:
        check_goal(goal, registry, force)
    except InvalidValueError as error:
        if not defaulted:
            raise
        raise InvalidValueError(
            f"{error.message} ({goal.measure} is the default measure for {fields.kind.value} "
            "goals; choose another with --measure)"
        ) from None
    record.goals.append(goal)
    return goal.number


def edit_goal(
    record: ClientRecord,
    number: int,
    fields: GoalFields,
    registry: Registry,
    *,
    clear: Iterable[str] = (),
    force: bool = False,
    gas_levels: Mapping[str, str] | None = None,
    check_dates: bool = False,
) -> None:
    """Change a goal's fields (its status too); a new measure, baseline or target is checked
    against the instrument. A goal holding administrations keeps its measure. `check_dates`
    refuses a new due date already past unless `force`."""
    clear = tuple(clear)
    goal = record.require_goal(number)
    if not fields.given() and not clear and not gas_levels:
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    if check_dates:
        check_due_date(fields.due, as_of(), force=force)
    if fields.concern is not None:
        fields.concern = require_concern(record, fields.concern)
    if "gas_levels" in clear:
        assign(goal, "gas_levels", None)
        clear = tuple(name for name in clear if name != "gas_levels")
    changes_measure = fields.measure not in (None, goal.measure) or "measure" in clear
    administered = sorted({e.instrument for e in goal.progress if e.instrument is not None})
    if changes_measure and administered:
        raise InvalidValueError(
            f"goal {number} holds {', '.join(administered)} administrations, which would be "
            "relabelled; add a new goal for the new measure instead"
        )
    leaves_gas = fields.measure not in (None, GAS_KEY) or "measure" in clear
    if leaves_gas and goal.gas_levels:
        raise InvalidValueError(
            f"goal {number} has GAS level descriptions; add --clear gas_levels to change "
            "its measure"
        )
    for field in clear:
        if field not in GOAL_CLEARABLE:
            raise FieldError("clear", f"must be one of: {', '.join(GOAL_CLEARABLE)}")
        assign(goal, field, None)
    for field, value in fields.given().items():
        assign(goal, field, value)
    set_gas_levels(goal, gas_levels or {})
    touched = {"measure", "baseline", "target"} & (set(fields.given()) | set(clear))
    if touched and goal.measure is not None:
        check_goal(goal, registry, force)


def require_concern(record: ClientRecord, name: str) -> str:
    """The client's concern called `name` (ignoring case), as the client file spells it; else
    an error (a goal serves a concern the client has). The error repeats neither the name typed
    nor the client's concerns: both are clinical text, and stderr often ends up in logs."""
    concern = record.client.concern(name)
    if concern is None:
        raise InvalidValueError(
            f"client {record.client.id!r} has no concern of that name (`goaltrack show "
            f"{record.client.id}` lists them); add it first with `goaltrack edit-client ID "
            "--concern NAME:SEVERITY`"
        )
    return concern.name


def set_gas_levels(goal: Goal, levels: Mapping[str, str]) -> None:
    """Add or replace the descriptions of some GAS levels (keys like "-2", "0", "+1")."""
    if not levels:
        return
    if goal.measure != GAS_KEY:
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
    assign(goal, "gas_levels", merged)


def add_goal_from_template(
    record: ClientRecord,
    template: Template,
    typed: GoalFields,
    registry: Registry,
    today: date,
    *,
    force: bool = False,
    gas_levels: Mapping[str, str] | None = None,
    check_dates: bool = False,
) -> tuple[int, GoalDraft]:
    """Add a goal made from `template`; returns its number and the draft it was made from.

    The draft gives the concern (the most severe the template fits), measure, baseline (the
    latest screening with the measure), the target its rule computes, the due date, schedule,
    priority, and the objectives and interventions for the client's approaches (or the one
    typed). Every field typed in `typed` takes the place of the drafted one; a typed baseline
    recomputes the target, and a typed measure the template's rule cannot serve leaves the
    target to be typed.
    """
    concern = record.client.concern(typed.concern) if typed.concern is not None else None
    if typed.concern is not None and concern is None:
        require_concern(record, typed.concern)  # raises, naming the concerns there are
    measure = typed.measure or template.measure
    instrument = registry.require(measure)
    approaches = [typed.approach] if typed.approach is not None else None
    draft = draft_goal(
        record,
        template,
        instrument,
        today,
        approaches=approaches,
        concern=concern,
        baseline=typed.baseline,
        measure=measure,
    )
    chosen = draft.approaches
    fields = GoalFields(
        kind=typed.kind or template.kind,
        title=typed.title or draft.title,
        measure=measure,
        baseline=draft.baseline,
        target=typed.target if typed.target is not None else draft.target,
        due=typed.due or draft.due,
        priority=typed.priority or draft.priority,
        status=None,
        approach=typed.approach or (chosen[0] if len(chosen) == 1 else None),
        concern=draft.concern,
        every=typed.every or draft.every,
        template=template.key,
    )
    number = add_goal(
        record,
        fields,
        registry,
        force=force,
        gas_levels=gas_levels,
        check_dates=check_dates,
        objectives=draft.objectives,
        interventions=draft.interventions,
    )
    return number, draft


def settle_target(
    record: ClientRecord, number: int, template: Template | None, registry: Registry
) -> Target | None:
    """Set the target a template deferred ("set once rated", "set once a baseline is
    known") now that the goal has a baseline or a first entry; returns it, or None when
    there is nothing to set (a target already there, another measure, still no baseline).
    `template` is the goal's own template (None: not found, nothing is set)."""
    goal = record.require_goal(number)
    if template is None or goal.target is not None or goal.template != template.key:
        return None
    if goal.measure is None or goal.measure != template.measure:
        return None
    instrument = registry.get(goal.measure)
    entries = goal.entries_in_order()
    baseline = (
        goal.baseline if goal.baseline is not None else (entries[0].value if entries else None)
    )
    if instrument is None or baseline is None:
        return None
    target = compute_target(template.target, instrument, baseline)
    if target.value is None:
        return None
    goal.target = target.value
    return target
