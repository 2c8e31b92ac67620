"""The goaltrack command: global options, the table of commands, and the error boundary.

Commands are loaded lazily (Click's lazy-group pattern): COMMANDS names the module of each
command and the line `goaltrack --help` shows for it, so the top-level help imports no
command module, and a command's module (with the core it needs) is imported only when that
command runs, completes or shows its help.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from goaltrack import __version__, notices, settings
from goaltrack.cli import lifetime
from goaltrack.cli.common import STATE, say, warn
from goaltrack.errors import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INTERRUPTED, GoaltrackError
from goaltrack.storage import audit

#: Every command: its module in goaltrack.cli, and the first paragraph of its help (a test
#: keeps each line equal to the command's docstring). Listed in `--help` in this order.
COMMANDS: dict[str, tuple[str, str]] = {
    "new-client": ("clients", "Create a client file (fails if the client exists)."),
    "clients": ("caseload", "List clients (active ones unless --status says otherwise)."),
    "show": ("clients", "Show one client: details, concerns, and goals with where each stands."),
    "edit-client": (
        "clients",
        "Change a client's name, status, concerns, approaches, preferences, strengths, notes "
        "or start date.",
    ),
    "delete-client": (
        "clients",
        "Move a mistaken client's file to the trash inside the home (`restore` brings it back).",
    ),
    "restore": (
        "clients",
        "Bring a client moved to the trash back (the newest copy, if there are several).",
    ),
    "attention": (
        "caseload",
        "Who needs attention today, worst first: risk flags, deterioration, off-track, overdue, "
        "due measures, stale goals, no contact, unserved concerns, unmeasured goals.",
    ),
    "discharge": (
        "care",
        "End a client's episode of care: close its open goals, record the end date and reason, "
        "and print the end-of-treatment summary.",
    ),
    "reopen": (
        "care",
        "Start a new episode of care for a discharged client (the old one's history is kept).",
    ),
    "risk-review": (
        "care",
        "Record a risk review that acknowledges the client's open PHQ-9 item-9 flags.",
    ),
    "add-goal": ("goals", "Add a goal to a client; prints the new goal number."),
    "goals": ("goals", "List a client's goals."),
    "edit-goal": ("goals", "Change a goal's fields, including its status."),
    "suggest": (
        "planning",
        "Rank goal templates for a client, with the reasons and what each would create.",
    ),
    "templates": (
        "planning",
        "List the goal templates, or show one with its objectives and interventions.",
    ),
    "plan": (
        "planning",
        "The treatment plan: concerns -> goals -> objectives -> interventions, with outlooks.",
    ),
    "add-objective": ("objectives", "Add an objective to a goal; prints its number."),
    "edit-objective": ("objectives", "Change an objective's text, status or due date."),
    "complete-objective": ("objectives", "Mark an objective met."),
    "objectives": ("objectives", "List a client's objectives, goal by goal."),
    "add-intervention": ("objectives", "Add an intervention to a goal; prints its number."),
    "edit-intervention": ("objectives", "Change an intervention's technique or approach."),
    "interventions": ("objectives", "List a client's interventions, goal by goal."),
    "log": ("entries", "Record a progress value on a goal; prints the new entry id."),
    "remove-entry": (
        "entries",
        "Remove a mistaken progress entry (a risk entry only with --force).",
    ),
    "entries": (
        "entries",
        "A goal's history: every entry with its date, value, session, rater, note and id.",
    ),
    "progress": (
        "progress",
        "Where each goal stands: change, reliable and clinical change, trend, and an outlook.",
    ),
    "report": (
        "report",
        "Write a self-contained report (HTML or Markdown) of a client or the caseload, with "
        "charts.",
    ),
    "instruments": (
        "instruments",
        "List the measures goals can use, or show one: range, bands, cutoff, reliable change.",
    ),
    "items": (
        "items",
        "A questionnaire's answers item by item across a client's administrations.",
    ),
    "measure": (
        "measure",
        "Administer an instrument (interactively on a terminal, else from --responses or "
        "stdin), score it, and log the total to the client's goals measured by it.",
    ),
    "import": (
        "interop",
        "Import progress entries (and new clients and goals) in bulk, all or nothing.",
    ),
    "export": (
        "interop",
        "Export clients as a full JSON dump, tidy CSV / JSON Lines, or a FHIR R4 Bundle.",
    ),
    "schema": (
        "interop",
        "Print the JSON Schema of a client file, for editors with a TOML language server.",
    ),
    "check": (
        "check",
        "Verify every client file, lock, temp file and the audit log; exit 3 if problems remain.",
    ),
    "audit": (
        "audit",
        "Show the audit trail: who changed which client, when, with which command and outcome.",
    ),
    "sync": (
        "sync",
        "Commit changes, pull from the remote (merging client files by meaning), then push.",
    ),
    "history": (
        "sync",
        "List the commits that changed a client's file, newest first (needs sync init).",
    ),
    "undo": (
        "sync",
        "Undo the last change of a client: its previous version written back and committed.",
    ),
    "resolve": (
        "sync",
        "Settle a client's sync conflicts: keep ours, take theirs, or write a value.",
    ),
    "merge-file": (
        "sync",
        "Merge two versions of a client file by meaning (git's merge driver; usable by hand).",
    ),
}


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name: a command's module is imported on first access.

    Its keys are every command of the table, so Typer's "did you mean" suggestions for a
    mistyped command see all of them without importing any.
    """

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self.table = table
        self.loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            module = importlib.import_module(f"goaltrack.cli.{self.table[name][0]}")
            self.loaded.update(typer.main.get_group(module.commands).commands)
            lifetime.imports_done()  # a one-command process freezes what they built
        return self.loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.table, *self.loaded]))

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))


class GoaltrackGroup(TyperGroup):
    """The top-level command: lazy commands, and the error boundary.

    Domain errors become one stderr line and an exit code here, and only here.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS)

    def list_commands(self, ctx: Any) -> list[str]:
        """The command names, in the table's order (imports nothing)."""
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The named command, its module imported on first use; None for an unknown name."""
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `--help`, from the table: no command module is imported."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn what it raises into one escaped stderr line and an exit code."""
        audit.drain_warnings()  # only this invocation's warnings are reported
        notices.drain()
        try:
            return super().invoke(ctx)
        except GoaltrackError as error:
            if settings.debug():
                raise
            _fail(f"goaltrack: error: {error.message}", error.exit_code)
        except KeyboardInterrupt:
            _fail("goaltrack: interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except typer.TyperException as error:  # a usage error (wrong choice, stray word)
            if isinstance(getattr(error, "message", None), str):  # say it our way
                error.message = our_words(error.message)
            raise
        except Exception as error:  # the last line of defence: never a traceback for users
            if settings.debug() or _is_click_exception(error):
                raise
            _fail(
                f"goaltrack: internal error ({type(error).__name__}); no file was changed "
                f"unless the command said so. Run with {settings.DEBUG_ENV}=1 for details.",
                EXIT_INTERNAL,
            )
        finally:
            _warn_audit()
        return None


# Pydantic's and Click's wording of a failed conversion, and ours. Click quotes the value it
# refused ("'SECRET feels hopeless' is not one of ..."); ours names the rule only, since a value
# typed in the wrong place may be clinical text and stderr often ends up in logs.
_PYDANTIC_WORDS = [
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^.* is not one of ('.*)$", re.DOTALL), r"must be one of \1"),
    (re.compile(r"^.* is not ('[^']*'\.)$", re.DOTALL), r"must be \1"),
    (
        re.compile(r"^Got unexpected extra argument(s|\(s\))? \(.*\)$", re.DOTALL),
        "got unexpected extra arguments (not repeated here); put a text with spaces in "
        "quotes, or give it on stdin with '-'",
    ),
    (re.compile(r"Input should be a valid integer.*"), "must be a whole number"),
    (re.compile(r"Input should be a valid number.*"), "must be a number"),
    (re.compile(r"Input should be a valid date.*"), "must be a date, YYYY-MM-DD"),
    (re.compile(r"Input should be (.*)"), r"must be \1"),
]


def our_words(message: str) -> str:
    """A usage error in goaltrack's words: no "Value error," or "Input should be", and never
    the value that was refused."""
    for pattern, words in _PYDANTIC_WORDS:
        message = pattern.sub(words, message)
    return message


def _is_click_exception(error: Exception) -> bool:
    return type(error).__module__.startswith(("click", "typer"))


def _fail(message: str, code: int) -> None:
    say(message)
    raise typer.Exit(code)


def _warn_audit() -> None:
    """Report what the core noted (a file that may be cut short) and audit lines that could
    not be written (the change itself stands)."""
    for warning in [*notices.drain(), *audit.drain_warnings()]:
        warn(warning)


def _quiet_broken_pipe() -> None:
    """A reader like `head` closed the pipe: stop quietly, as Unix tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise typer.Exit(EXIT_BROKEN_PIPE)


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
    STATE.stdin_field = None
    STATE.warned_instruments = False
    audit.set_command(ctx.invoked_subcommand or "")


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
    # No Pydantic plugin (an observability hook) is handed clinical data, and start-up skips
    # the scan of every installed package's metadata that looking for plugins costs. A value
    # the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    lifetime.begin()
    try:
        app(prog_name="goaltrack")
    except SystemExit as done:
        lifetime.ended(done.code)
        raise
    finally:
        lifetime.at_exit()
