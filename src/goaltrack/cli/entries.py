"""Commands about entries: log, entries, remove-entry (`progress` itself is in cli/progress)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from goaltrack import operations
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    GoalArg,
    JsonOption,
    NegativeValuesCommand,
    RaterOption,
    SomeGoalArg,
    banner,
    command_group,
    deferred_target,
    output,
    print_created,
    rater_option,
    read_text_argument,
    registry,
    say,
    store,
)
from goaltrack.measures import safety
from goaltrack.records.convert import DATE_FORMS, parse_date, parse_number
from goaltrack.records.enums import ENTRY_COLUMNS as ENTRY_FIELDS
from goaltrack.records.model import ClientRecord
from goaltrack.render.report import Column, OutputFormat, Report

commands = command_group()


# VALUE may be negative (GAS levels are -2..+2): `goaltrack log c-1 3 -1`.
@commands.command("log", cls=NegativeValuesCommand)
def log(
    client_id: ClientIdArg,
    goal: GoalArg,
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 14 or 6.5.")],
    on: Annotated[
        str | None, typer.Option("--date", help=f"Date measured: {DATE_FORMS} (default: today).")
    ] = None,
    session: Annotated[int | None, typer.Option("--session", min=1, help="Session number.")] = None,
    rater: RaterOption = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="A note; '-' reads it from stdin (keeps it out of `ps`)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a date more than a year ago, or an entry for a discharged client.",
        ),
    ] = False,
) -> None:
    """Record a progress value on a goal; prints the new entry id."""
    entry = operations.EntryFields(
        value=parse_number(value, "value"),
        date=parse_date(on, "date") if on else date.today(),
        session=session,
        rater=rater_option(rater),
        note=read_text_argument(note),
    )
    known = registry()
    settled: list[str] = []

    def apply(record: ClientRecord) -> tuple[str, list[str], str | None]:
        operations.require_in_care(record, force)
        same = record.require_goal(goal).same_entries(entry.date, entry.value)
        new_id = operations.log_value(record, goal, entry, known, check_dates=True, force=force)
        settled[:] = deferred_target(record, goal, known)
        return new_id, same, operations.before_start(record, entry.date)

    entry_id, same, early = store().update(client_id, apply)
    print_created(
        entry_id,
        f"logged {value} on goal {goal} of {client_id}: entry {entry_id}",
        f"entry {entry_id} on goal {goal} of {client_id}",
    )
    if early:
        say(early)
    for line in settled:
        say(line)
    if same:  # logged all the same (two ratings can agree), but a double entry is visible
        say(
            f"goaltrack: note: goal {goal} already had {value} on {entry.date.isoformat()} "
            f"(entry {', '.join(same)}); if this was a mistake: goaltrack remove-entry "
            f"{client_id} {goal} {entry_id}"
        )


@commands.command("remove-entry")
def remove_entry(
    client_id: ClientIdArg,
    goal: GoalArg,
    entry_id: Annotated[str, typer.Argument(help="Entry id, as printed by `log`.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Remove an entry that holds an endorsed PHQ-9 item 9 (the audit log records it).",
        ),
    ] = False,
) -> None:
    """Remove a mistaken progress entry (a risk entry only with --force)."""
    removed = store().update(
        client_id, lambda record: operations.remove_entry(record, goal, entry_id, force=force)
    )
    if safety.raises_flag(removed):
        banner(
            [
                f"RISK ENTRY REMOVED: {client_id} entry {entry_id} held an endorsed PHQ-9 "
                f"item 9 ({safety.risk_facts(removed)}).",
                "The audit log records the removal. If the risk is current, follow it up and "
                "record it again.",
            ]
        )
    say(f"removed entry {entry_id} from goal {goal} of {client_id}")


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


@commands.command("entries")
def list_entries(
    client_id: ClientIdArg,
    goal: SomeGoalArg = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help=f"Only entries on or after this date: {DATE_FORMS}."),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """A goal's history: every entry with its date, value, session, rater, note and id."""
    from goaltrack import views  # the read models and their analytics: not for `log`

    record = store().load(client_id)
    goals = (
        [record.require_goal(goal)]
        if goal is not None
        else sorted(record.goals, key=lambda g: g.number)
    )
    start = parse_date(since, "since") if since else None
    rows = views.entry_history(record, goals, start)
    report = Report(
        document={"client": client_id, "entries": rows},
        rows=rows,
        columns=ENTRY_COLUMNS,
        keys=list(ENTRY_FIELDS),
        title=f"Entries of {client_id}" + (f", goal {goal}" if goal is not None else ""),
        empty="no entries yet: record one with `goaltrack log`",
    )
    output(report, fmt, as_json)
