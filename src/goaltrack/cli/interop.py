"""Commands for pipelines and other systems: import, export, schema.

The work happens in the core (goaltrack.interop, goaltrack.storage.schema).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from goaltrack.cli import complete
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    command_group,
    one_of,
    output,
    registry,
    say,
    store,
    warn,
    warn_unreadable,
)
from goaltrack.errors import FieldError, InvalidValueError, WritesInterruptedError
from goaltrack.interop import importing
from goaltrack.interop.formats import ExportFormat, InputFormat
from goaltrack.interop.rows import detect_format
from goaltrack.paths import HOME_FILES, HOME_MARKER
from goaltrack.records.enums import ENTRY_COLUMNS
from goaltrack.render.output import emit, progress_callback, to_json, write_csv
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.storage.diskio import atomic_write

commands = command_group()


MAX_ERRORS_SHOWN = 20
PROGRESS_MIN_ROWS = 2000

RESULT_COLUMNS = [
    Column("client", "Client"),
    Column("action", "Action"),
    Column("goals_added", "Goals added", numeric=True),
    Column("entries_added", "Entries added", numeric=True),
    Column("entries_present", "Already there", numeric=True),
]


@commands.command("import")
def import_data(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="CSV, JSON Lines, or a JSON export; '-' (the default) reads stdin.",
        ),
    ] = "-",
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            "--input-format",
            case_sensitive=False,
            help="csv, jsonl or json (default: from the file extension, else from the content).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and report; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Accept goal targets on the worse side of the baseline, and entries for a "
            "discharged client (they join its closed episode, as `log --force`).",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Import progress entries (and new clients and goals) in bulk, all or nothing."""
    text = _read_input(source)
    chosen = input_format or detect_format(source, text)
    the_store = store()
    show_bar = sys.stderr.isatty() and text.count("\n") > PROGRESS_MIN_ROWS
    with progress_callback(show_bar) as progress:
        try:
            prepared = importing.prepare(the_store, text, chosen, progress, force=force)
        except importing.ImportRejected as rejected:
            _print_row_errors(rejected)
            raise
        except KeyboardInterrupt:
            raise WritesInterruptedError(
                "interrupted while checking: nothing was written"
            ) from None
        results = (
            prepared.results
            if dry_run
            else importing.commit(the_store, prepared, progress=progress)
        )
    rows = [result.as_dict() for result in results]
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("goals_added", "entries_added", "entries_present")
    }
    created = sum(1 for row in rows if row["action"] == "create")
    report = Report(
        document={"dry_run": dry_run, "rows": prepared.rows, "totals": totals, "clients": rows},
        rows=rows,
        columns=RESULT_COLUMNS,
        title="Dry run: nothing was written" if dry_run else None,
        empty="nothing to import",
    )
    output(report, fmt, as_json)
    for name in prepared.restore_files:
        say(f"{'dry run: would restore' if dry_run else 'restored'} {name} from the dump")
    for name in prepared.kept_files:
        warn(f"kept this home's {name}: it differs from the dump's copy (under 'files' there)")
    verb = "would add" if dry_run else "added"
    say(
        f"{'dry run: ' if dry_run else ''}{verb} {_count(totals['entries_added'], 'entry')}, "
        f"{_count(totals['goals_added'], 'goal')} and {_count(created, 'client')} from "
        f"{_count(prepared.rows, prepared.unit)}; {_count(totals['entries_present'], 'entry')} "
        "already there" + ("; nothing was written" if dry_run else "")
    )


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


@commands.command("export")
def export(
    client_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CLIENT",
            help="Clients to export (or use --all).",
            autocompletion=complete.client_ids,
            show_default=False,
        ),
    ] = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="Export every client, whatever their status.")
    ] = False,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="json (full, lossless, re-importable), csv or jsonl (one row per entry), "
            "fhir (FHIR R4 Bundle).",
        ),
    ] = ExportFormat.JSON,
    out: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file (mode 0600) instead of stdout."),
    ] = None,
    no_notes: Annotated[
        bool, typer.Option("--no-notes", help="Leave entry notes out of csv and jsonl.")
    ] = False,
    patient_system: Annotated[
        str | None,
        typer.Option(
            "--patient-system",
            help="FHIR identifier system for client ids (default: urn:goaltrack:client-id).",
        ),
    ] = None,
) -> None:
    """Export clients as a full JSON dump, tidy CSV / JSON Lines, or a FHIR R4 Bundle."""
    from goaltrack.interop import exporting, fhir  # not for `import` (views, outcomes)

    the_store = store()
    selection = exporting.select(the_store, client_ids or [], everyone)
    buffer = io.StringIO()
    if fmt is ExportFormat.JSON:
        document = exporting.dump_document(
            selection.records, selection.texts, exporting.home_files(the_store)
        )
        buffer.write(to_json(document) + "\n")
    elif fmt is ExportFormat.FHIR:
        system = patient_system or fhir.CLIENT_SYSTEM
        document = fhir.bundle(selection.records, client_system=system, registry=registry())
        buffer.write(to_json(document) + "\n")
    else:
        jsonl = fmt is not ExportFormat.CSV
        rows = exporting.tidy_rows(selection.records, notes=not no_notes, answers=jsonl)
        if jsonl:
            emit(Report(document={}, rows=rows, columns=[]), OutputFormat.JSONL, buffer)
        else:
            write_csv(rows, list(ENTRY_COLUMNS), buffer)
        for alert in exporting.open_alerts(selection.records):  # rows alone are not enough
            warn(alert)
    _write_output(buffer.getvalue(), out)
    warn_unreadable(selection.problems, "; not exported")


#: What `goaltrack schema` can describe: a client file, or the output of `plan -f json`.
SCHEMAS = ("client", "plan")


@commands.command("schema")
def schema(
    what: Annotated[
        str,
        typer.Argument(
            help="client: a client file (the default); plan: the output of `plan -f json`.",
            parser=one_of(SCHEMAS),
            metavar="[client|plan]",
        ),
    ] = "client",
    out: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of a client file, for editors with a TOML language server."""
    from goaltrack.planning.plan import PLAN_SCHEMA  # only for `schema plan`
    from goaltrack.storage.schema import client_file_schema  # only for `schema`

    document = PLAN_SCHEMA if what == "plan" else client_file_schema()
    _write_output(to_json(document) + "\n", out, private=False)


def _write_output(text: str, out: str | None, private: bool = True) -> None:
    """Write to stdout, or atomically to a file (0600 for exports: they hold client data)."""
    if out is None or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(out).expanduser()
    _refuse_data_files(path)
    if path.is_dir():
        raise InvalidValueError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidValueError(f"folder {path.parent} does not exist")
    atomic_write(path, text.encode("utf-8"))
    if not private:
        path.chmod(0o644)
    say(f"wrote {path}")


def _refuse_data_files(path: Path) -> None:
    """Never let -o replace a client file, its lock, the audit log, the home's marker or a
    settings file (instruments.toml, templates.toml, config.toml)."""
    home = store().home.resolve()
    target = path.resolve()
    protected = (home / "audit.log", home / HOME_MARKER, *(home / name for name in HOME_FILES))
    if target.is_relative_to(home / "clients") or target in protected:
        raise InvalidValueError(f"{path} is one of goaltrack's own data files; choose another")


#: The most `import` reads, in bytes: far above a caseload's dump or a year of rows (the
#: 10,000-row benchmark CSV is under 1 MiB), and it stops `import /dev/zero` or a runaway
#: producer at once instead of growing until the program is killed.
INPUT_MAX_BYTES = 64 * 1024 * 1024
INPUT_SIZE_RULE = "must be at most 64 MiB (67,108,864 bytes); split it into several imports"


def _read_input(source: str) -> str:
    """The whole input as text: the file, or stdin for '-'; at most INPUT_MAX_BYTES."""
    if source == "-":
        if sys.stdin.isatty():
            raise InvalidValueError("give a FILE, or pipe rows on stdin (see `import --help`)")
        data = sys.stdin.buffer.read(INPUT_MAX_BYTES + 1)
        where = "stdin"
    else:
        try:
            with Path(source).expanduser().open("rb") as handle:
                data = handle.read(INPUT_MAX_BYTES + 1)
        except OSError as error:
            raise InvalidValueError(f"cannot read {source}: {error.strerror}") from None
        where = source
    if len(data) > INPUT_MAX_BYTES:
        raise FieldError("input", INPUT_SIZE_RULE)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidValueError(
            f"{where} is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'"
        ) from None


def _print_row_errors(rejected: importing.ImportRejected) -> None:
    """One stderr line per error (the first MAX_ERRORS_SHOWN), naming the line and field."""
    for error in rejected.errors[:MAX_ERRORS_SHOWN]:
        say(f"goaltrack: error: {error}")
    hidden = len(rejected.errors) - MAX_ERRORS_SHOWN
    if hidden > 0:
        say(f"goaltrack: error: ... and {hidden} more")
