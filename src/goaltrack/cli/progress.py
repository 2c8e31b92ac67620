"""Commands about progress: log, remove-entry (`progress` itself is in progress_view)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from goaltrack.cli.clients import ClientIdArg
from goaltrack.cli.common import (
    choices,
    parse_choice,
    print_created,
    read_text_argument,
    store,
)
from goaltrack.cli.goals import GoalArg
from goaltrack.enums import Rater
from goaltrack.parsing import parse_date, parse_number


def log(
    client_id: ClientIdArg,
    goal: GoalArg,
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 14 or 6.5.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date measured, YYYY-MM-DD (default: today).")
    ] = None,
    session: Annotated[int | None, typer.Option("--session", min=1, help="Session number.")] = None,
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
