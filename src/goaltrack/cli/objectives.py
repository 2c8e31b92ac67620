"""Commands for the steps of a plan below a goal: objectives (add, edit, complete, list) and
interventions (add, edit, list). Numbers are never reused; nothing is deleted (an objective
that no longer applies is dropped: `edit-objective --status dropped`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from goaltrack import operations
from goaltrack.cli import complete
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    GoalArg,
    JsonOption,
    choices,
    command_group,
    one_of_option,
    output,
    print_created,
    say,
    store,
    text_or_stdin,
)
from goaltrack.records.convert import DATE_FORMS, parse_date, parse_line
from goaltrack.records.enums import Approach, ObjectiveStatus
from goaltrack.records.model import ClientRecord, Goal
from goaltrack.render.report import Column, OutputFormat, Report

commands = command_group()

ObjectiveArg = Annotated[
    int,
    typer.Argument(
        help="Objective number (see `goaltrack objectives ID`).",
        autocompletion=complete.objective_numbers,
    ),
]
InterventionArg = Annotated[
    int, typer.Argument(help="Intervention number (see `goaltrack interventions ID`).")
]
DueOption = Annotated[str | None, typer.Option("--due", help=f"Due date: {DATE_FORMS}.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Accept a due date already past.")]
ApproachOption = Annotated[
    Approach | None,
    typer.Option(
        "--approach",
        case_sensitive=False,
        metavar="<approach>",
        help=f"The approach it comes from: {choices(Approach)}.",
    ),
]
SomeGoalOption = Annotated[
    int | None, typer.Option("--goal", help="Only this goal (default: every goal).")
]

OBJECTIVE_FIELDS = ["client", "goal", "objective", "text", "status", "due"]
OBJECTIVE_COLUMNS = [
    Column("goal", "Goal", numeric=True),
    Column("objective", "#", numeric=True),
    Column("text", "Objective", wrap=True),
    Column("status", "Status"),
    Column("due", "Due", drop=1),
]
INTERVENTION_FIELDS = ["client", "goal", "intervention", "technique", "approach"]
INTERVENTION_COLUMNS = [
    Column("goal", "Goal", numeric=True),
    Column("intervention", "#", numeric=True),
    Column("technique", "Intervention", wrap=True),
    Column("approach", "Approach"),
]


def _due(text: str | None) -> Any:
    return None if text is None else parse_date(text, "due")


@commands.command("add-objective")
def add_objective(
    client_id: ClientIdArg,
    goal: GoalArg,
    text: Annotated[
        str,
        typer.Argument(
            help="A short, observable step, in the client's words; '-' reads it from stdin."
        ),
    ],
    due: DueOption = None,
    force: ForceOption = False,
) -> None:
    """Add an objective to a goal; prints its number."""
    line, on = parse_line(text_or_stdin(text, "objective"), "objective"), _due(due)
    number = store().update(
        client_id,
        lambda record: operations.add_objective(
            record, goal, line, due=on, check_dates=True, force=force
        ),
    )
    print_created(
        number,
        f"added objective {number} to goal {goal} of {client_id}",
        f"objective {number} of goal {goal} of {client_id}",
    )


@commands.command("edit-objective")
def edit_objective(
    client_id: ClientIdArg,
    goal: GoalArg,
    objective: ObjectiveArg,
    text: Annotated[
        str | None, typer.Option("--text", help="New text; '-' reads it from stdin.")
    ] = None,
    status: Annotated[
        ObjectiveStatus | None,
        typer.Option("--status", case_sensitive=False, help=f"One of {choices(ObjectiveStatus)}."),
    ] = None,
    due: DueOption = None,
    clear: Annotated[
        list[str] | None,
        one_of_option("--clear", operations.OBJECTIVE_CLEARABLE, "Remove a field: due."),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Change an objective's text, status or due date."""
    fields = operations.ObjectiveFields(
        text=None if text is None else parse_line(text_or_stdin(text, "text"), "text"),
        status=status,
        due=_due(due),
    )
    store().update(
        client_id,
        lambda record: operations.edit_objective(
            record, goal, objective, fields, clear=clear or [], check_dates=True, force=force
        ),
    )
    say(f"updated objective {objective} of goal {goal} of {client_id}")


@commands.command("complete-objective")
def complete_objective(client_id: ClientIdArg, goal: GoalArg, objective: ObjectiveArg) -> None:
    """Mark an objective met."""
    changed = store().update(
        client_id, lambda record: operations.complete_objective(record, goal, objective)
    )
    if changed:
        say(f"objective {objective} of goal {goal} of {client_id} is met")
    else:
        say(f"objective {objective} of goal {goal} of {client_id} was already met")


def _goals(record: ClientRecord, goal: int | None) -> list[Goal]:
    if goal is not None:
        return [record.require_goal(goal)]
    return sorted(record.goals, key=lambda g: g.number)


@commands.command("objectives")
def list_objectives(
    client_id: ClientIdArg,
    goal: SomeGoalOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List a client's objectives, goal by goal."""
    record = store().load(client_id)
    rows = [
        {
            "client": client_id,
            "goal": g.number,
            "objective": item.number,
            "text": item.text,
            "status": item.status.value,
            "due": item.due,
        }
        for g in _goals(record, goal)
        for item in g.objectives
    ]
    report = Report(
        document={"client": client_id, "objectives": rows},
        rows=rows,
        keys=OBJECTIVE_FIELDS,
        columns=OBJECTIVE_COLUMNS,
        title=f"Objectives of {client_id}",
        empty="no objectives yet: add one with `goaltrack add-objective`",
    )
    output(report, fmt, as_json)


@commands.command("add-intervention")
def add_intervention(
    client_id: ClientIdArg,
    goal: GoalArg,
    technique: Annotated[
        str,
        typer.Argument(help="The technique, e.g. 'thought records'; '-' reads it from stdin."),
    ],
    approach: ApproachOption = None,
) -> None:
    """Add an intervention to a goal; prints its number."""
    line = parse_line(text_or_stdin(technique, "technique"), "technique")
    number = store().update(
        client_id, lambda record: operations.add_intervention(record, goal, line, approach)
    )
    print_created(
        number,
        f"added intervention {number} to goal {goal} of {client_id}",
        f"intervention {number} of goal {goal} of {client_id}",
    )


@commands.command("edit-intervention")
def edit_intervention(
    client_id: ClientIdArg,
    goal: GoalArg,
    intervention: InterventionArg,
    technique: Annotated[
        str | None, typer.Option("--technique", help="New technique; '-' reads it from stdin.")
    ] = None,
    approach: ApproachOption = None,
    clear: Annotated[
        list[str] | None,
        one_of_option("--clear", operations.INTERVENTION_CLEARABLE, "Remove a field: approach."),
    ] = None,
) -> None:
    """Change an intervention's technique or approach."""
    fields = operations.InterventionFields(
        technique=None
        if technique is None
        else parse_line(text_or_stdin(technique, "technique"), "technique"),
        approach=approach,
    )
    store().update(
        client_id,
        lambda record: operations.edit_intervention(
            record, goal, intervention, fields, clear=clear or []
        ),
    )
    say(f"updated intervention {intervention} of goal {goal} of {client_id}")


@commands.command("interventions")
def list_interventions(
    client_id: ClientIdArg,
    goal: SomeGoalOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List a client's interventions, goal by goal."""
    record = store().load(client_id)
    rows = [
        {
            "client": client_id,
            "goal": g.number,
            "intervention": item.number,
            "technique": item.technique,
            "approach": item.approach.value if item.approach else None,
        }
        for g in _goals(record, goal)
        for item in g.interventions
    ]
    report = Report(
        document={"client": client_id, "interventions": rows},
        rows=rows,
        keys=INTERVENTION_FIELDS,
        columns=INTERVENTION_COLUMNS,
        title=f"Interventions of {client_id}",
        empty="no interventions yet: add one with `goaltrack add-intervention`",
    )
    output(report, fmt, as_json)
