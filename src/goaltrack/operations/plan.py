"""The parts of a treatment plan below a goal (objectives and interventions) and the
screenings taken without a goal: adding, editing, completing.

Numbers are keys that are never reused: a new objective or intervention gets one past the
highest its goal ever held (`Goal.next_objective_number`), and nothing here deletes one (an
objective that no longer applies is dropped, which keeps its history).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.measures.scoring import Administration
from goaltrack.operations.dates import check_due_date, check_entry_date
from goaltrack.records.enums import Approach, GoalStatus, ObjectiveStatus
from goaltrack.records.model import (
    ClientRecord,
    Goal,
    Intervention,
    Objective,
    Screening,
    assign,
    build,
    new_entry_id,
)
from goaltrack.settings import as_of

OBJECTIVE_CLEARABLE = ("due",)
INTERVENTION_CLEARABLE = ("approach",)


@dataclass
class ObjectiveFields:
    """An objective's fields as typed; None means not given."""

    text: str | None = None
    status: ObjectiveStatus | None = None
    due: date | None = None


@dataclass
class InterventionFields:
    """An intervention's fields as typed; None means not given."""

    technique: str | None = None
    approach: Approach | None = None


def require_objective(goal: Goal, number: int) -> Objective:
    """The goal's objective with this number, or an error naming the ones there are."""
    found = next((item for item in goal.objectives if item.number == number), None)
    if found is None:
        known = ", ".join(str(item.number) for item in goal.objectives) or "none"
        raise InvalidValueError(
            f"goal {goal.number} has no objective {number} (objectives: {known})"
        )
    return found


def require_intervention(goal: Goal, number: int) -> Intervention:
    """The goal's intervention with this number, or an error naming the ones there are."""
    found = next((item for item in goal.interventions if item.number == number), None)
    if found is None:
        known = ", ".join(str(item.number) for item in goal.interventions) or "none"
        raise InvalidValueError(
            f"goal {goal.number} has no intervention {number} (interventions: {known})"
        )
    return found


def add_objective(
    record: ClientRecord,
    goal_number: int,
    text: str,
    *,
    due: date | None = None,
    check_dates: bool = False,
    force: bool = False,
) -> int:
    """Add an objective to a goal; returns its number (one past the highest ever used).

    `check_dates` (the command line) refuses a due date already past unless `force`."""
    goal = record.require_goal(goal_number)
    if check_dates:
        check_due_date(due, as_of(), force=force)
    objective = build(Objective, number=goal.next_objective_number(), text=text, due=due)
    goal.objectives.append(objective)
    return objective.number


def add_objectives(goal: Goal, texts: Iterable[str]) -> None:
    """Append objectives (a template's) to a goal, numbered on from the highest."""
    for text in texts:
        goal.objectives.append(build(Objective, number=goal.next_objective_number(), text=text))


def edit_objective(
    record: ClientRecord,
    goal_number: int,
    number: int,
    fields: ObjectiveFields,
    *,
    clear: Sequence[str] = (),
    check_dates: bool = False,
    force: bool = False,
) -> None:
    """Change an objective's text, status or due date, or clear its due date."""
    objective = require_objective(record.require_goal(goal_number), number)
    given = {key: value for key, value in vars(fields).items() if value is not None}
    if not given and not clear:
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    if check_dates:
        check_due_date(fields.due, as_of(), force=force)
    for name in clear:
        if name not in OBJECTIVE_CLEARABLE:
            raise FieldError("clear", f"must be one of: {', '.join(OBJECTIVE_CLEARABLE)}")
        assign(objective, name, None)
    for name, value in given.items():
        assign(objective, name, value)


def complete_objective(record: ClientRecord, goal_number: int, number: int) -> bool:
    """Mark an objective met; False when it already was (nothing changes then)."""
    objective = require_objective(record.require_goal(goal_number), number)
    if objective.status is ObjectiveStatus.MET:
        return False
    objective.status = ObjectiveStatus.MET
    return True


def add_intervention(
    record: ClientRecord, goal_number: int, technique: str, approach: Approach | None = None
) -> int:
    """Add an intervention to a goal; returns its number (one past the highest ever used)."""
    goal = record.require_goal(goal_number)
    return append_intervention(goal, technique, approach)


def append_intervention(goal: Goal, technique: str, approach: Approach | None) -> int:
    """Append one intervention to a goal, numbered on from the highest; returns its number."""
    intervention = build(
        Intervention,
        number=goal.next_intervention_number(),
        technique=technique,
        approach=approach,
    )
    goal.interventions.append(intervention)
    return intervention.number


def edit_intervention(
    record: ClientRecord,
    goal_number: int,
    number: int,
    fields: InterventionFields,
    *,
    clear: Sequence[str] = (),
) -> None:
    """Change an intervention's technique or approach, or clear its approach."""
    intervention = require_intervention(record.require_goal(goal_number), number)
    given = {key: value for key, value in vars(fields).items() if value is not None}
    if not given and not clear:
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    for name in clear:
        if name not in INTERVENTION_CLEARABLE:
            raise FieldError("clear", f"must be one of: {', '.join(INTERVENTION_CLEARABLE)}")
        assign(intervention, name, None)
    for name, value in given.items():
        assign(intervention, name, value)


def record_screening(
    record: ClientRecord,
    administration: Administration,
    *,
    session: int | None = None,
    rater: str | None = None,
    note: str | None = None,
    today: date | None = None,
    check_dates: bool = False,
    force: bool = False,
) -> str:
    """Record an administration on the client as a screening (no goal); returns its id.

    The screening shares the entries' id space and keeps the answers and flags (an endorsed
    PHQ-9 item 9 is a flag like any other). `administration.entries` then names it with goal
    None. `check_dates`: a date over a year old is refused unless `force`.
    """
    on = administration.date
    if on > (today or date.today()):
        raise InvalidValueError(f"date {on.isoformat()} is in the future")
    if check_dates:
        check_entry_date(on, today or as_of(), force=force)
    screening = build(
        Screening,
        id=new_entry_id(record.entry_ids()),
        date=on,
        value=administration.total,
        session=session,
        rater=rater,
        note=note,
        instrument=administration.instrument,
        responses=administration.responses,
        flags=administration.flags,
    )
    record.client.screenings.append(screening)
    administration.entries = [{"goal": None, "id": screening.id}]
    return screening.id


def is_screening(
    record: ClientRecord,
    instrument: str,
    goal_number: int | None,
    *,
    per_goal: bool,
    asked: bool = False,
) -> bool:
    """Whether an administration is recorded as a screening on the client: when asked to
    (`--screening`), or when no goal is named and no active goal is measured by it (an
    intake questionnaire). A per-goal rating (GBO, GAS) always belongs to a goal."""
    if asked and goal_number is not None:
        raise InvalidValueError("a screening belongs to no goal: give --screening or --goal")
    if per_goal:
        if asked:
            raise InvalidValueError(
                f"{instrument} rates one goal, so it cannot be a screening; name a goal with --goal"
            )
        return False
    if asked:
        return True
    if goal_number is not None:
        return False
    return not any(
        goal.measure == instrument and goal.status is GoalStatus.ACTIVE for goal in record.goals
    )
