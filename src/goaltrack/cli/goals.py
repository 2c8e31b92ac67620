"""Commands about goals: add-goal, goals, edit-goal."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack.cli.clients import ClientIdArg
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    choices,
    output,
    parse_choice,
    print_created,
    store,
)
from goaltrack.enums import Approach, GoalKind, GoalStatus, Priority
from goaltrack.parsing import parse_date, parse_number
from goaltrack.render.output import Column, OutputFormat, Report

GoalArg = Annotated[int, typer.Argument(help="Goal number (see `goaltrack goals ID`).")]
MeasureOption = Annotated[
    str | None, typer.Option("--measure", help="Instrument key, e.g. phq9, gad7, gbo.")
]
BaselineOption = Annotated[
    str | None,
    typer.Option("--baseline", help="Starting value (default: the first logged value)."),
]
TargetOption = Annotated[str | None, typer.Option("--target", help="Value that means success.")]
DueOption = Annotated[str | None, typer.Option("--due", help="Due date, YYYY-MM-DD.")]
PriorityOption = Annotated[
    str | None, typer.Option("--priority", help=f"One of {choices(Priority)}.")
]
ApproachOption = Annotated[
    str | None, typer.Option("--approach", help=f"One of {choices(Approach)}.")
]

GOAL_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("kind", "Kind", drop=6),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure", drop=3),
    Column("baseline", "Start", numeric=True, drop=5),
    Column("target", "Target", numeric=True, drop=4),
    Column("due", "Due", drop=2),
    Column("priority", "Priority", drop=1),
    Column("status", "Status"),
    Column("entries", "N", numeric=True, drop=7),
]


def _number(text: str | None, what: str) -> int | float | None:
    return None if text is None else parse_number(text, what)


def add_goal(
    client_id: ClientIdArg,
    kind: Annotated[str, typer.Argument(help=f"Goal kind: {choices(GoalKind)}.")],
    title: Annotated[str, typer.Argument(help="What the goal is, in a few words.")],
    measure: MeasureOption = None,
    baseline: BaselineOption = None,
    target: TargetOption = None,
    due: DueOption = None,
    priority: PriorityOption = None,
    approach: ApproachOption = None,
) -> None:
    """Add a goal to a client; prints the new goal number."""
    from goaltrack import changes

    fields = changes.GoalFields(
        kind=parse_choice(GoalKind, kind, "goal kind"),
        title=title,
        measure=measure.strip().lower() if measure else None,
        baseline=_number(baseline, "baseline"),
        target=_number(target, "target"),
        due=parse_date(due, "due date") if due else None,
        priority=parse_choice(Priority, priority, "priority"),
        approach=parse_choice(Approach, approach, "approach"),
    )
    number = store().update(client_id, lambda record: changes.add_goal(record, fields))
    print_created(number, f"added goal {number} for {client_id}")


def list_goals(
    client_id: ClientIdArg,
    kind: Annotated[str | None, typer.Option("--kind", help="Only goals of this kind.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"Only goals with this status "
                                 f"({choices(GoalStatus)}).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List a client's goals."""
    from goaltrack import views

    record = store().load(client_id)
    selected = views.select_goals(
        record,
        kind=parse_choice(GoalKind, kind, "goal kind"),
        status=parse_choice(GoalStatus, status, "goal status"),
    )
    rows = [views.goal_row(goal) for goal in selected]
    report = Report(
        document={"client": client_id, "goals": rows},
        rows=[{"client": client_id, **row} for row in rows],
        keys=views.GOAL_FIELDS,
        columns=[Column("client", "Client"), *GOAL_COLUMNS],
        title=f"Goals of {client_id}",
        empty="no goals" if record.goals else "no goals yet: add one with `goaltrack add-goal`",
    )
    if fmt is OutputFormat.TABLE and not as_json:
        report.columns = GOAL_COLUMNS
    output(report, fmt, as_json)


def edit_goal(
    client_id: ClientIdArg,
    goal: GoalArg,
    kind: Annotated[str | None, typer.Option("--kind", help="New goal kind.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    measure: MeasureOption = None,
    baseline: BaselineOption = None,
    target: TargetOption = None,
    due: DueOption = None,
    priority: PriorityOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of {choices(GoalStatus)}.")
    ] = None,
    approach: ApproachOption = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear", help="Remove a field: measure, baseline, target, due, approach. Repeatable."
        ),
    ] = None,
) -> None:
    """Change a goal's fields, including its status."""
    from goaltrack import changes

    fields = changes.GoalFields(
        kind=parse_choice(GoalKind, kind, "goal kind"),
        title=title,
        measure=measure.strip().lower() if measure else None,
        baseline=_number(baseline, "baseline"),
        target=_number(target, "target"),
        due=parse_date(due, "due date") if due else None,
        priority=parse_choice(Priority, priority, "priority"),
        status=parse_choice(GoalStatus, status, "goal status"),
        approach=parse_choice(Approach, approach, "approach"),
    )
    store().update(
        client_id, lambda record: changes.edit_goal(record, goal, fields, clear or [])
    )
    typer.echo(f"updated goal {goal} of {client_id}", err=True)
