"""The goaltrack command: global options, command registration, and the error boundary."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from goaltrack import __version__
from goaltrack.cli import audit as audit_cli
from goaltrack.cli import (
    check,
    clients,
    entries,
    goals,
    instruments,
    interop,
    measure,
    progress,
)
from goaltrack.cli.common import STATE
from goaltrack.errors import GoaltrackError
from goaltrack.storage import audit

DEBUG_ENV = "GOALTRACK_DEBUG"
EXIT_INTERNAL = 70


class GoaltrackGroup(TyperGroup):
    """Turns domain errors into one stderr line and an exit code: the only such boundary."""

    def invoke(self, ctx: Any) -> Any:
        audit.drain_warnings()  # only this invocation's warnings are reported
        try:
            return super().invoke(ctx)
        except GoaltrackError as error:
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            _fail(f"goaltrack: error: {error.message}", error.exit_code)
        except KeyboardInterrupt:
            _fail("goaltrack: interrupted", 130)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as error:  # the last line of defence: never a traceback for users
            if os.environ.get(DEBUG_ENV) == "1" or _is_click_exception(error):
                raise
            _fail(
                f"goaltrack: internal error ({type(error).__name__}); no file was changed "
                f"unless the command said so. Run with {DEBUG_ENV}=1 for details.",
                EXIT_INTERNAL,
            )
        finally:
            _warn_audit()
        return None


def _is_click_exception(error: Exception) -> bool:
    return type(error).__module__.startswith(("click", "typer"))


# Control, line-separator and bidi-override characters: shown escaped, so that a hostile file
# name, key or id can neither break the one-line contract nor drive the terminal.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def one_line(message: str) -> str:
    """A message made safe for one stderr line: unsafe characters written as escapes."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", message)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(one_line(message) + "\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def _warn_audit() -> None:
    """Report audit lines that could not be written (the change itself stands)."""
    for warning in audit.drain_warnings():
        sys.stderr.write(one_line(f"goaltrack: warning: {warning}") + "\n")


def _quiet_broken_pipe() -> None:
    """A reader like `head` closed the pipe: stop quietly, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(141)


app = typer.Typer(
    cls=GoaltrackGroup,
    name="goaltrack",
    help="Track psychotherapy goals: clients, goals, measures and progress, session by session.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"goaltrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Data folder (default: $GOALTRACK_HOME, else $XDG_DATA_HOME/goaltrack).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Track psychotherapy goals: clients, goals, measures and progress, session by session."""
    STATE.home = home
    audit.set_command(ctx.invoked_subcommand or "")


app.command("new-client")(clients.new_client)
app.command("clients")(clients.list_clients)
app.command("show")(clients.show)
app.command("edit-client")(clients.edit_client)
app.command("add-goal")(goals.add_goal)
app.command("goals")(goals.list_goals)
app.command("edit-goal")(goals.edit_goal)
# `ignore_unknown_options` lets a negative value through as VALUE (GAS levels are -2..+2):
# `goaltrack log c-1 3 -1` would otherwise read "-1" as an unknown option.
app.command("log", context_settings={"ignore_unknown_options": True})(entries.log)
app.command("remove-entry")(entries.remove_entry)
app.command("entries")(entries.list_entries)
app.command("progress")(progress.show_progress)
app.command("instruments")(instruments.list_instruments)
app.command("measure")(measure.measure)
app.command("import")(interop.import_data)
app.command("export")(interop.export)
app.command("schema")(interop.schema)
app.command("check")(check.check)
app.command("audit")(audit_cli.show_audit)


def _ensure_standard_streams() -> None:
    """Give a closed stdin, stdout or stderr /dev/null, before any file can take its number.

    Run as `goaltrack log ... >&-`, a lock or temp file would otherwise become fd 1, and a
    missing sys.stdout would turn a successful write into a crash that a script retries.
    """
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal gets '?', not a crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point."""
    _ensure_standard_streams()
    app(prog_name="goaltrack")
