"""`goaltrack check [--fix]`: verify every file of the home and report per file."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack.cli.common import FormatOption, JsonOption, command_group, home, output
from goaltrack.errors import EXIT_DATA, InvalidValueError
from goaltrack.records.convert import check_client_id
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.storage.check import check_home
from goaltrack.storage.findings import FIXED, PROBLEM

commands = command_group()

CHECK_COLUMNS = [
    Column("path", "Path"),
    Column("status", "Status"),
    Column("check", "Check", drop=1),
    Column("message", "Finding", wrap=True),
]


@commands.command("check")
def check(
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Repair what is safe: permissions (0700 folders, 0600 files), orphaned temp "
            "files, and the caseload index (rebuilt from the files). Never touches clinical "
            "content.",
        ),
    ] = False,
    whole: Annotated[
        list[str] | None,
        typer.Option(
            "--whole",
            metavar="CLIENT",
            help="With --fix: you compared this client's file with a backup and it is whole; "
            "add the end-of-file line it lacks (repeatable).",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Verify every client file, lock, temp file and the audit log; exit 3 if problems remain."""
    where = home()
    confirmed = frozenset(check_client_id(client) for client in whole or [])
    if confirmed and not fix:
        raise InvalidValueError("--whole only acts with --fix")
    result = check_home(where, fix=fix, whole=confirmed)
    rows = [finding.as_row() for finding in result.findings]
    problems = result.count(PROBLEM)
    fixable = sum(1 for f in result.findings if f.status == PROBLEM and f.fixable)
    summary = {
        "client_files": result.client_files,
        "problems": problems,
        "fixed": result.count(FIXED),
        "clean": result.clean,
    }
    footnotes = [
        f"{result.client_files} client file(s) checked; {problems} problem(s) remain; "
        f"{summary['fixed']} fixed"
    ]
    if fixable:
        footnotes.append(f"run `goaltrack check --fix` to repair {fixable} of them")
    report = Report(
        document={"home": str(where), **summary, "findings": rows},
        rows=rows,
        columns=CHECK_COLUMNS,
        title=f"Check of {where}",
        footnotes=footnotes,
    )
    output(report, fmt, as_json)
    if problems:
        raise typer.Exit(EXIT_DATA)
