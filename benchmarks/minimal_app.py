"""A minimal one-command Typer app: the floor `goaltrack log` is measured against (issue 10).

    .venv/bin/python benchmarks/minimal_app.py c-00001 1 7 [--date 2025-07-01] [--note TEXT]

It takes the arguments `log` takes, parses them with Typer exactly as a real app would, and
prints one line; it reads and writes nothing. Whatever `log` costs above this app is goaltrack's
own work (imports, reading, validating and writing the client file).
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.command()
def log(
    client_id: Annotated[str, typer.Argument(help="Client id, e.g. c-1042.")],
    goal: Annotated[int, typer.Argument(help="Goal number.")],
    value: Annotated[str, typer.Argument(help="The measured value, e.g. 14 or 6.5.")],
    date: Annotated[str | None, typer.Option(help="Date measured, YYYY-MM-DD.")] = None,
    session: Annotated[int | None, typer.Option(min=1, help="Session number.")] = None,
    rater: Annotated[str | None, typer.Option(help="Who rated: client, therapist.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
) -> None:
    """Record a progress value on a goal; prints a line saying what would be recorded."""
    typer.echo(f"{client_id} goal {goal}: {value} on {date or 'today'}")


if __name__ == "__main__":
    app()
