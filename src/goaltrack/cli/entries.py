"""Commands about entries: log, entries, remove-entry (`progress` itself is in cli/progress)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from goaltrack.cli.clients import ClientIdArg
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    choices,
    output,
    parse_choice,
    print_created,
    read_text_argument,
    store,
    whole_number,
)
from goaltrack.cli.goals import GoalArg
from goaltrack.records.convert import parse_date, parse_number
from goaltrack.records.enums import Rater
from goaltrack.render.output import Column, OutputFormat, Report

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord


def log(
    client_id: ClientIdArg,
    goal: GoalArg,
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 14 or 6.5.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date measured, YYYY-MM-DD (default: today).")
    ] = None,
    session: Annotated[
        int | None,
        typer.Option("--session", parser=whole_number("session"), help="Session number."),
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
    from goaltrack import operations

    entry = operations.EntryFields(
        value=parse_number(value, "value"),
        date=parse_date(on, "date") if on else date.today(),
        session=session,
        rater=parse_choice(Rater, rater, "rater"),
        note=read_text_argument(note),
    )
    from goaltrack.cli.instruments import registry

    known = registry()

    def apply(record: ClientRecord) -> tuple[str, list[str]]:
        same = [
            e.id
            for e in record.require_goal(goal).progress
            if e.date == entry.date and e.value == entry.value
        ]
        return operations.log_value(record, goal, entry, known), same

    entry_id, same = store().update(client_id, apply)
    print_created(entry_id, f"logged {value} on goal {goal} of {client_id}: entry {entry_id}")
    if same:  # logged all the same (two ratings can agree), but a double entry is visible
        typer.echo(
            f"goaltrack: note: goal {goal} already had {value} on {entry.date.isoformat()} "
            f"(entry {', '.join(same)}); if this was a mistake: goaltrack remove-entry "
            f"{client_id} {goal} {entry_id}",
            err=True,
        )


def remove_entry(
    client_id: ClientIdArg,
    goal: GoalArg,
    entry_id: Annotated[str, typer.Argument(help="Entry id, as printed by `log`.")],
) -> None:
    """Remove a mistaken progress entry."""
    from goaltrack import operations

    store().update(client_id, lambda record: operations.remove_entry(record, goal, entry_id))
    typer.echo(f"removed entry {entry_id} from goal {goal} of {client_id}", err=True)


ENTRY_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("date", "Date"),
    Column("value", "Value", numeric=True),
    Column("session", "Session", numeric=True, drop=5),
    Column("rater", "Rater", drop=3),
    Column("flags", "Flags", drop=4),
    Column("note", "Note", wrap=True, drop=2),
    Column("id", "Entry id", drop=1),
]


def list_entries(
    client_id: ClientIdArg,
    goal: Annotated[
        int | None,
        typer.Argument(help="Only this goal (default: every goal).", parser=whole_number("goal")),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries on or after this date.")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """A goal's history: every entry with its date, value, session, rater, note and id."""
    from goaltrack import views

    record = store().load(client_id)
    goals = (
        [record.require_goal(goal)]
        if goal is not None
        else sorted(record.goals, key=lambda g: g.number)
    )
    start = parse_date(since, "since") if since else None
    flags = {
        entry.id: [flag.value for flag in entry.flags or []] for g in goals for entry in g.progress
    }
    rows = [
        {**row, "flags": flags.get(row["id"], [])}
        for row in views.entry_rows(record, goals)
        if start is None or row["date"] >= start
    ]
    report = Report(
        document={"client": client_id, "entries": rows},
        rows=rows,
        columns=ENTRY_COLUMNS,
        keys=[
            "client",
            "goal",
            "measure",
            "id",
            "date",
            "value",
            "session",
            "rater",
            "note",
            "flags",
        ],
        title=f"Entries of {client_id}" + (f", goal {goal}" if goal is not None else ""),
        empty="no entries yet: record one with `goaltrack log`",
    )
    output(report, fmt, as_json)
