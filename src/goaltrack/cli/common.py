"""What the commands share: the run's settings, arguments and options, the store and the
instrument registry of this run, output, and the one way a line reaches stderr.

`goaltrack --help` loads this module (the top-level options set the run's home), so it stays
light: the store and the registry, which load Pydantic, are imported when first asked for.
Command modules import the core themselves, at their top; they are loaded only when their
command runs or shows its help (see the command table in cli/app.py).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperOption

from goaltrack import settings
from goaltrack.cli import complete
from goaltrack.errors import EXIT_DATA, FieldError, GoaltrackError, OutputAfterWriteError
from goaltrack.paths import resolve_home
from goaltrack.records.convert import NOTE_MAX_BYTES, NOTE_SIZE_RULE, parse_note
from goaltrack.records.enums import Rater
from goaltrack.render.output import emit
from goaltrack.render.report import OutputFormat, Report

if TYPE_CHECKING:
    from goaltrack.measures.instruments import Registry
    from goaltrack.planning.templates import Library
    from goaltrack.records.model import ClientRecord
    from goaltrack.storage.store import Store


# ---- the run ---------------------------------------------------------------------------------


class RunState:
    """Settings of this invocation, set by the global callback."""

    home: Path | None = None
    #: The option that has read stdin in this invocation ('-'): stdin holds one text.
    stdin_field: str | None = None
    warned_instruments: bool = False  # the broken-instruments warning went out this run


STATE = RunState()


def home() -> Path:
    """The home this invocation works on (`--home` > GOALTRACK_HOME > XDG default)."""
    return resolve_home(STATE.home)


def store() -> Store:
    """The store of this invocation's home."""
    from goaltrack.storage.store import Store  # Pydantic: not for `goaltrack --help`

    return Store.at(STATE.home)


def registry(warn_broken: bool = True) -> Registry:
    """The instruments this invocation knows: built-ins plus $GOALTRACK_HOME/instruments.toml.

    Broken tables of that file are left out (only the goals that use them fail, exit 3);
    unless `warn_broken` is off, one warning line per run names the file and what is broken."""
    from goaltrack.measures.instruments import load_registry  # Pydantic: not for `--help`

    known = load_registry(store().home)
    if warn_broken and known.problems() and not STATE.warned_instruments:
        STATE.warned_instruments = True
        warn(broken_instruments_line(known))
    return known


def broken_instruments_line(known: Registry) -> str:
    """One line naming the user's instruments file and what in it cannot be used."""
    if known.file_error is not None:
        return f"{known.file_error}; none of its instruments can be used (see `goaltrack check`)"
    names = ", ".join(f"[{key}]" for key in known.broken)
    return (
        f"{known.path}: broken instrument(s) {names} left out; goals measured by them cannot "
        "be used until it is fixed (see `goaltrack instruments` or `goaltrack check`)"
    )


def deferred_target(record: ClientRecord, goal: int, known: Registry) -> list[str]:
    """Set the target a goal's template left for its first rating or baseline (`log`,
    `measure`); the line saying so, or none. Templates are read only for such a goal, and a
    templates.toml that does not read leaves the target unset rather than stop the entry."""
    found = record.goal(goal)
    if found is None or found.template is None or found.target is not None:
        return []
    from goaltrack import operations
    from goaltrack.errors import TemplatesFileError

    try:
        template = library(known).templates.get(found.template)
    except TemplatesFileError:
        return []
    target = operations.settle_target(record, goal, template, known)
    if target is None:
        return []
    return [f"target of goal {goal} set to {target.value:g}: {target.text}"]


def library(known: Registry | None = None) -> Library:
    """The goal templates this invocation knows: built-ins plus $GOALTRACK_HOME/templates.toml.

    Only commands that use templates call it, so a broken templates.toml stops nothing else.
    """
    from goaltrack.planning.templates import load_library  # Pydantic: not for `--help`

    return load_library(store().home, known or registry())


def command_group() -> typer.Typer:
    """The Typer app a command module registers its commands on (plain help, no Rich)."""
    return typer.Typer(rich_markup_mode=None, add_completion=False)


# ---- stderr: every line goes out escaped -------------------------------------------------------

# Control, line-separator and bidi-override characters: shown escaped, so that a hostile file
# name, key or id can neither break the one-line contract nor drive the terminal.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def one_line(message: str) -> str:
    """A message made safe for one stderr line: unsafe characters written as escapes."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", message)


def say(message: str) -> None:
    """Write one line for the person at the terminal on stderr, escaped like errors are."""
    sys.stderr.write(one_line(message) + "\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    """A warning on stderr, `goaltrack: warning: ...`: the one way a warning goes out."""
    say(f"goaltrack: warning: {message}")


def banner(lines: Sequence[str]) -> None:
    """Lines framed by rows of '!' on stderr: the risk banner no one scrolls past."""
    bar = "!" * 72
    for line in [bar, *lines, bar]:
        say(line)


def warn_unreadable(problems: Sequence[GoaltrackError], suffix: str = "") -> None:
    """Name each unreadable file in a warning; exit 3 after the readable ones were handled."""
    for problem in problems:
        warn(problem.message + suffix)
    if problems:
        raise typer.Exit(EXIT_DATA)


# ---- arguments and options shared by several commands ------------------------------------------

ClientIdArg = Annotated[
    str,
    typer.Argument(
        help="Client id, e.g. c-1042.", show_default=False, autocompletion=complete.client_ids
    ),
]
GoalArg = Annotated[
    int,
    typer.Argument(
        help="Goal number (see `goaltrack goals ID`).", autocompletion=complete.goal_numbers
    ),
]
SomeGoalArg = Annotated[int | None, typer.Argument(help="Only this goal (default: every goal).")]
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
StaleDaysOption = Annotated[
    int | None,
    typer.Option(
        "--stale-days",
        min=1,
        help=f"Call a goal stale after this many days without an entry "
        f"(default: ${settings.STALE_DAYS_ENV}, else {settings.DEFAULT_STALE_DAYS}).",
        show_default=False,
    ),
]


def choices(enum: type[Enum]) -> str:
    """The allowed values of an enum, for help texts."""
    return ", ".join(str(member.value) for member in enum)


RaterOption = Annotated[
    str | None,
    typer.Option(
        "--rater",
        metavar="RATER",
        help=f"Who rated: {choices(Rater)}, or a name from $GOALTRACK_HOME/config.toml "
        "([raters] extra = [...]).",
    ),
]


def rater_names() -> list[str]:
    """Every rater this home knows: the documented ones, then config.toml's extra names."""
    from goaltrack.records.convert import rater_choices
    from goaltrack.storage.config import load_config

    return rater_choices(load_config(home()).extra_raters)


def rater_option(text: str | None) -> str | None:
    """A `--rater` value as one of the home's raters, else a usage error (exit 2) listing them."""
    return None if text is None else pick(text, rater_names(), "'--rater'")


def pick(text: str, allowed: Sequence[str], option: str | None = None) -> str:
    """`text` as one of `allowed` (case-insensitive), else a usage error (exit 2) listing them.

    Click does this for enum options; this is for choices that are not an enum
    (`clients --status all`, `--clear FIELD`) and for a choice checked after other work.
    """
    value = text.strip().lower()
    if value not in allowed:
        listed = ", ".join(repr(choice) for choice in allowed)
        raise typer.BadParameter(f"must be one of {listed}.", param_hint=option)
    return value


def one_of(allowed: Sequence[str]) -> Callable[[str], str]:
    """A Typer `parser` that accepts one of `allowed` (see `pick`)."""
    return lambda text: pick(text, allowed)


def metavar(allowed: Sequence[str]) -> str:
    """The help's placeholder for a text option with fixed values, as Typer writes an enum's."""
    return "<" + "|".join(allowed) + ">"


def one_of_option(flag: str, allowed: Sequence[str], help: str) -> Any:
    """A text option that takes one of `allowed` (case-insensitive; anything else exits 2)."""
    return typer.Option(flag, parser=one_of(allowed), metavar=metavar(allowed), help=help)


# ---- negative numbers as values ----------------------------------------------------------------

_NEGATIVE_NUMBER = re.compile(r"-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


class NegativeValuesCommand(TyperCommand):
    """A command whose positional values may be negative numbers (GAS levels are -2..+2).

    `goaltrack log c-1 3 -1` reads -1 as VALUE, while an unknown option such as `--dat` is
    still Click's usage error ("No such option", with the options it may have meant, exit 2).
    Click would read `-1` as an option; so before parsing, every positional token goes after
    a `--`, in order, and options keep their values and their order.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse with negative numbers as positional values."""
        return super().parse_args(ctx, self._values_last(ctx, args))

    def _values_last(self, ctx: Any, args: list[str]) -> list[str]:
        takes_value = {
            name
            for param in self.get_params(ctx)
            if isinstance(param, TyperOption) and not param.is_flag and not param.count
            for name in param.opts
        }
        options: list[str] = []
        values: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                values.extend(rest)
            elif arg.startswith("-") and arg != "-" and not _NEGATIVE_NUMBER.fullmatch(arg):
                options.append(arg)
                if arg in takes_value:
                    value = next(rest, None)
                    if value is None:  # Click would take the `--` below as its value
                        ctx.fail(f"Option {arg!r} requires an argument.")
                    else:
                        options.append(value)
            else:
                values.append(arg)
        return [*options, "--", *values] if values else options


# ---- output ------------------------------------------------------------------------------------


def output(report: Report, fmt: OutputFormat, as_json: bool) -> None:
    """Render a report once, in the chosen format; safety alerts are never left out."""
    chosen = OutputFormat.JSON if as_json else fmt
    if chosen in (OutputFormat.CSV, OutputFormat.JSONL):
        for alert in report.alerts:  # flat rows have no place for them: never silent
            warn(alert)
    emit(report, chosen)


def gas_footnote(gas: dict[str, Any] | None) -> list[str]:
    """The line that reports a client's GAS T-score under a table."""
    if not gas:
        return []
    goals = ", ".join(str(number) for number in gas["goals"])
    note = (
        f"GAS T-score {gas['t_score']:.1f} over goal{'s' if len(gas['goals']) > 1 else ''} "
        f"{goals} ({gas['weighting']} weights; 50 = goals met as expected)"
    )
    if gas["unscored"]:
        note += f"; not yet scored: {', '.join(str(n) for n in gas['unscored'])}"
    return [note]


def read_text_argument(text: str | None, field: str = "note") -> str | None:
    """A note given as text, or read from stdin when it is '-' (keeps it out of `ps`);
    None when no note is given, or when the note is empty (`--note ""`, or nothing on stdin).
    """
    if text is None:
        return None
    return parse_note(read_stdin_text(field) if text == "-" else text, field)


def text_or_stdin(text: str | None, field: str) -> str | None:
    """`text` as typed, or one text read from stdin when it is '-' (`--name -`, `--title -`,
    `--concern -`): what is typed on a command line shows in `ps` and the shell's history."""
    return read_stdin_text(field) if text == "-" else text


def read_stdin_text(field: str) -> str:
    """One text from stdin for `field`, its final line end dropped, at most the note limit.

    Stdin holds one text, so only one option of a command may read it: a second one is
    refused, naming both. Stdin is read up to a byte past the limit (and a final line end),
    so `--note - </dev/zero` (or a producer gone wrong) is refused at once instead of filling
    memory until the program is killed.
    """
    if STATE.stdin_field is not None:
        raise FieldError(
            field,
            f"only one option per command can read stdin ('-'), and {STATE.stdin_field} did; "
            "give this one as text",
        )
    STATE.stdin_field = field
    if sys.stdin.isatty():  # typed by hand: say what is awaited, and how to finish
        say(f"{field.capitalize()} (end with Ctrl-D on a line of its own):")
    # the limit, plus a final line end ("\r\n"), plus one byte that proves the input is longer
    raw = _read_stdin_at_most(NOTE_MAX_BYTES + 3)
    if len(raw) > NOTE_MAX_BYTES + 2:
        raise FieldError(field, NOTE_SIZE_RULE)
    data = raw.decode(sys.stdin.encoding or "utf-8", sys.stdin.errors or "strict")
    if data.endswith("\r\n"):
        data = data[:-2]
    elif data.endswith("\n"):
        data = data[:-1]
    return data


def _read_stdin_at_most(limit: int) -> bytes:
    """At most `limit` bytes of stdin, never the whole stream (which may not end)."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # a text-only stream (a test's StringIO): `limit` characters
        return sys.stdin.read(limit).encode(sys.stdin.encoding or "utf-8", "surrogateescape")
    data: bytes = binary.read(limit)
    return data


def print_created(value: str | int, message: str, written: str) -> None:
    """Print a new id: alone when stdout is not a terminal, so `x=$(goaltrack ...)` works.

    The change (`written`, e.g. "entry e-3 of c-1042") is already on disk: if printing fails
    (a full disk behind stdout), say that it was written, so a script does not retry it.
    A reader that closed the pipe still gets the quiet Unix exit (141).
    """
    try:
        if sys.stdout.isatty():
            typer.echo(message)
        else:
            typer.echo(str(value))
    except BrokenPipeError:
        raise
    except OSError as error:
        _silence_stdout()  # the interpreter's last flush at exit would fail again
        reason = error.strerror or type(error).__name__
        raise OutputAfterWriteError(
            f"{written} was written; printing its id failed ({reason})"
        ) from error


def _silence_stdout() -> None:
    """Point stdout at the null device, dropping what could not be written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
