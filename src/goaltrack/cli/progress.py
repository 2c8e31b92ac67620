"""Commands about progress: log, remove-entry, progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from goaltrack.cli.clients import GOAL_SUMMARY_COLUMNS, ClientIdArg
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    choices,
    output,
    parse_choice,
    print_created,
    read_text_argument,
    store,
)
from goaltrack.cli.goals import GoalArg
from goaltrack.enums import Rater
from goaltrack.parsing import parse_date, parse_number
from goaltrack.render.output import Column, OutputFormat, Report


def log(
    client_id: ClientIdArg,
    goal: GoalArg,
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 14 or 6.5.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date measured, YYYY-MM-DD (default: today).")
    ] = None,
    session: Annotated[
        int | None, typer.Option("--session", min=1, help="Session number.")
    ] = None,
    rater: Annotated[
        str | None, typer.Option("--rater", help=f"Who rated: {choices(Rater)}.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="A note; '-' reads it from stdin (keeps it out of `ps`)."),
    ] = None,
) -> None:
    """Record a progress value on a goal; prints the new entry id."""
    from goaltrack import changes

    entry = changes.EntryFields(
        value=parse_number(value),
        date=parse_date(on) if on else date.today(),
        session=session,
        rater=parse_choice(Rater, rater, "rater"),
        note=read_text_argument(note),
    )
    from goaltrack import measuring
    from goaltrack.cli.instruments import registry

    known = registry()
    entry_id = store().update(
        client_id, lambda record: measuring.log_value(record, goal, entry, known)
    )
    print_created(entry_id, f"logged {value} on goal {goal} of {client_id}: entry {entry_id}")


def remove_entry(
    client_id: ClientIdArg,
    goal: GoalArg,
    entry_id: Annotated[str, typer.Argument(help="Entry id, as printed by `log`.")],
) -> None:
    """Remove a mistaken progress entry."""
    from goaltrack import changes

    store().update(client_id, lambda record: changes.remove_entry(record, goal, entry_id))
    typer.echo(f"removed entry {entry_id} from goal {goal} of {client_id}", err=True)


def show_progress(
    client_id: ClientIdArg,
    goal: Annotated[
        int | None, typer.Argument(help="Only this goal (default: every goal).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Where each goal stands: baseline, latest, change, % of the way to target."""
    from goaltrack import changes, safety, views

    record = store().load(client_id)
    selected = [changes.find_goal(record, goal)] if goal is not None else sorted(
        record.goals, key=lambda g: g.number
    )
    rows = views.progress_rows(record, selected)
    alerts = safety.alerts(record)
    columns = [
        Column("client", "Client"),
        *GOAL_SUMMARY_COLUMNS[:6],
        Column("change", "Change", numeric=True, drop=6),
        *GOAL_SUMMARY_COLUMNS[6:8],
        Column("entries", "N", numeric=True, drop=7),
        GOAL_SUMMARY_COLUMNS[8],
    ]
    report = Report(
        document={
            "client": client_id,
            "goals": rows,
            "alerts": [alert.as_dict() for alert in alerts],
        },
        rows=rows,
        keys=views.progress_fields(),
        columns=columns,
        title=f"Progress of {client_id}",
        empty="no goals yet: add one with `goaltrack add-goal`",
        alerts=[alert.message() for alert in alerts],
    )
    if fmt is OutputFormat.TABLE and not as_json:
        report.columns = columns[1:]
    output(report, fmt, as_json)
