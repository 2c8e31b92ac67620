"""`goaltrack audit [CLIENT] [--since DATE]`: read the audit trail of changes."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack.cli.common import FormatOption, JsonOption, command_group, home, output, warn
from goaltrack.records.convert import DATE_FORMS, check_client_id, parse_date
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.storage.audit import audit_path, read_events

commands = command_group()

AUDIT_COLUMNS = [
    Column("time", "Time (UTC)"),
    Column("user", "User", drop=3),
    Column("command", "Command"),
    Column("client", "Client"),
    Column("goals", "Goals", drop=2),
    Column("entries", "Entries", wrap=True, drop=1),
    Column("outcome", "Outcome"),
    Column("error", "Error", drop=4),
]


@commands.command("audit")
def show_audit(
    client_id: Annotated[
        str | None, typer.Argument(help="Only this client's events.", show_default=False)
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help=f"Only events on or after this local date: {DATE_FORMS}."),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Show the audit trail: who changed which client, when, with which command and outcome."""
    if client_id is not None:
        check_client_id(client_id)
    where = home()
    log = read_events(where, client=client_id, since=parse_date(since, "since") if since else None)
    rows = [{column.key: event.get(column.key) for column in AUDIT_COLUMNS} for event in log.events]
    report = Report(
        document={
            "audit_log": str(audit_path(where)),
            "events": rows,
            "unreadable_lines": log.unreadable,
        },
        rows=rows,
        columns=AUDIT_COLUMNS,
        title="Audit trail" + (f" of {client_id}" if client_id else ""),
        empty="no audit events",
    )
    output(report, fmt, as_json)
    if log.unreadable:
        warn(f"{log.unreadable} line(s) of the audit log cannot be read (see `goaltrack check`)")
