"""Commands about clients: new-client, clients, show, edit-client."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from goaltrack import changes, views
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    choices,
    output,
    parse_choice,
    read_text_argument,
    store,
)
from goaltrack.errors import EXIT_DATA
from goaltrack.model import Approach, ClientStatus
from goaltrack.parsing import parse_concern
from goaltrack.render.output import Column, OutputFormat, Report, Section
from goaltrack.store import scan

ClientIdArg = Annotated[str, typer.Argument(help="Client id, e.g. c-1042.", show_default=False)]
NameOption = Annotated[
    str | None, typer.Option("--name", help="Display name (optional; ids stay pseudonymous).")
]
ConcernOption = Annotated[
    list[str] | None,
    typer.Option(
        "--concern",
        help="Presenting concern as NAME[:SEVERITY], severity one of mild, moderate, severe, "
        "crisis. Repeatable.",
    ),
]
ApproachOption = Annotated[
    list[str] | None,
    typer.Option("--approach", help=f"Therapeutic approach ({choices(Approach)}). Repeatable."),
]
NoteOption = Annotated[
    str | None,
    typer.Option("--note", help="Notes on preferences, values, culture; '-' reads stdin."),
]

CLIENT_COLUMNS = [
    Column("id", "Client"),
    Column("name", "Name", wrap=True, drop=3),
    Column("status", "Status", drop=2),
    Column("concerns", "Concerns", wrap=True, drop=4),
    Column("active_goals", "Active goals", numeric=True),
    Column("goals", "Goals", numeric=True, drop=5),
    Column("last_entry", "Last entry", drop=1),
]

GOAL_SUMMARY_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure", drop=2),
    Column("baseline", "Start", numeric=True, drop=3),
    Column("latest", "Now", numeric=True),
    Column("latest_date", "Date", drop=1),
    Column("target", "Target", numeric=True, drop=5),
    Column("percent_to_target", "Done", numeric=True, suffix="%", decimals=0),
    Column("status", "Status", drop=4),
]
# `show`: the machine columns gain the outcome word; the table shows it instead of the status.
SHOW_GOAL_FIELDS = [*GOAL_SUMMARY_COLUMNS, Column("status_word", "Outlook")]
SHOW_GOAL_TABLE = [*GOAL_SUMMARY_COLUMNS[:8], Column("status_word", "Outlook")]


def _approaches(values: list[str] | None) -> list[Approach]:
    return [a for a in (parse_choice(Approach, v, "approach") for v in values or []) if a]


def new_client(
    client_id: ClientIdArg,
    name: NameOption = None,
    concern: ConcernOption = None,
    approach: ApproachOption = None,
    note: NoteOption = None,
) -> None:
    """Create a client file (fails if the client exists)."""
    record = changes.new_client_record(
        client_id,
        name=name,
        concerns=[parse_concern(text) for text in concern or []],
        approaches=_approaches(approach),
        notes=read_text_argument(note),
    )
    store().create(record)
    typer.echo(f"created client {client_id}", err=True)


def list_clients(
    status: Annotated[
        str,
        typer.Option("--status", help=f"Show clients with this status ({choices(ClientStatus)}) "
                     "or 'all'."),
    ] = "active",
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List clients (active ones unless --status says otherwise)."""
    wanted = None if status.strip().lower() == "all" else parse_choice(
        ClientStatus, status, "status"
    )
    records, problems = scan(store())
    shown = [r for r in records if wanted is None or r.client.status is wanted]
    rows = [views.client_row(record) for record in shown]
    hidden = len(records) - len(shown)
    report = Report(
        document={"clients": rows},
        rows=rows,
        columns=CLIENT_COLUMNS,
        empty="no clients yet: add one with `goaltrack new-client ID`" if not records
        else "no clients with that status",
        footnotes=[f"{hidden} other client(s) not shown; use --status all"] if hidden else [],
    )
    output(report, fmt, as_json)
    _report_problems(problems)


def _report_problems(problems: list) -> None:  # type: ignore[type-arg]
    """Name each unreadable file on stderr; exit 3 after the readable ones were shown."""
    for problem in problems:
        sys.stderr.write(f"goaltrack: warning: {problem.message}\n")
    if problems:
        raise typer.Exit(EXIT_DATA)


def show(
    client_id: ClientIdArg, fmt: FormatOption = OutputFormat.TABLE, as_json: JsonOption = False
) -> None:
    """Show one client: details, concerns, and goals with where each stands."""
    from goaltrack.cli.progress_view import gas_footnote, stale_days_setting

    record = store().load(client_id)
    detail = views.client_detail(record, stale_days=stale_days_setting(None))
    concerns = [f"{c['name']} ({c['severity']})" for c in detail["concerns"]]
    report = Report(
        document={"client": detail},
        rows=detail["goals"],
        columns=SHOW_GOAL_FIELDS,
        title=f"Client {record.client.id}" + (f" — {record.client.name}" if record.client.name
                                               else ""),
        fields=[
            ("Status", detail["status"]),
            ("Since", detail["created"]),
            ("Concerns", concerns),
            ("Approaches", detail["approaches"]),
            ("Notes", detail["notes"]),
        ],
        sections=[Section("Goals", SHOW_GOAL_TABLE, detail["goals"], empty="no goals yet")],
        footnotes=gas_footnote(detail["gas"]),
    )
    output(report, fmt, as_json)


def edit_client(
    client_id: ClientIdArg,
    name: NameOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of {choices(ClientStatus)}.")
    ] = None,
    concern: Annotated[
        list[str] | None,
        typer.Option("--concern", help="Add a concern or change its severity: NAME[:SEVERITY]."),
    ] = None,
    remove_concern: Annotated[
        list[str] | None, typer.Option("--remove-concern", help="Remove a concern by name.")
    ] = None,
    approach: ApproachOption = None,
    remove_approach: Annotated[
        list[str] | None, typer.Option("--remove-approach", help="Remove an approach.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Replace the notes; '-' reads stdin.")
    ] = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help="Remove a field: name or notes.")
    ] = None,
) -> None:
    """Change a client's name, status, concerns, approaches or notes."""
    edit = changes.ClientEdit(
        name=name,
        status=parse_choice(ClientStatus, status, "status"),
        notes=read_text_argument(note),
        set_concerns=tuple(parse_concern(text) for text in concern or []),
        remove_concerns=tuple(remove_concern or []),
        add_approaches=tuple(_approaches(approach)),
        remove_approaches=tuple(_approaches(remove_approach)),
        clear=tuple(clear or []),
    )
    store().update(client_id, lambda record: changes.edit_client(record, edit))
    typer.echo(f"updated client {client_id}", err=True)
