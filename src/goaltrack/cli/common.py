"""What every command shares: the store for this run, output options, choice parsing, stdin."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from goaltrack.records import convert
from goaltrack.records.convert import choices as choices
from goaltrack.render.output import OutputFormat, Report, emit

if TYPE_CHECKING:
    from goaltrack.storage.store import Store

E = TypeVar("E", bound=Enum)


class RunState:
    """Settings of this invocation, set by the global callback."""

    home: Path | None = None


STATE = RunState()


def store() -> Store:
    """The store this invocation works on (`--home` > GOALTRACK_HOME > XDG default)."""
    from goaltrack.storage.store import Store

    return Store.at(STATE.home)


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format: table for people; json, jsonl, csv for scripts.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Short for --format json.")]


def output(report: Report, fmt: OutputFormat, as_json: bool) -> None:
    """Render a report once, in the chosen format."""
    emit(report, OutputFormat.JSON if as_json else fmt)


def parse_choice(enum: type[E], text: str | None, what: str) -> E | None:
    """A typed choice through the conversion layer (case-insensitive); None stays None."""
    return None if text is None else convert.parse_choice(text, what, enum)


def whole_number(field: str) -> Callable[[str], int]:
    """A typer `parser` reading a whole number (1 or more) through the conversion layer, so
    `--session 0` gets the same message and exit code (1) as a session 0 in an import."""

    def parse(text: str) -> int:
        return convert.parse_whole_number(text, field)

    return parse


def read_text_argument(text: str | None) -> str | None:
    """A note given as text, or read from stdin when it is '-' (keeps it out of `ps`)."""
    if text != "-":
        return text
    if sys.stdin.isatty():  # typed by hand: say what is awaited, and how to finish
        sys.stderr.write("Note (end with Ctrl-D on a line of its own):\n")
        sys.stderr.flush()
    data = sys.stdin.read()
    if data.endswith("\r\n"):
        data = data[:-2]
    elif data.endswith("\n"):
        data = data[:-1]
    return data


def print_created(value: str | int, message: str) -> None:
    """Print a new id: alone when stdout is not a terminal, so `x=$(goaltrack ...)` works."""
    if sys.stdout.isatty():
        typer.echo(message)
    else:
        typer.echo(str(value))
