"""Commands about clients: new-client, clients, show, edit-client."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from goaltrack.cli import complete
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
from goaltrack.records.convert import parse_concern, parse_line
from goaltrack.records.enums import Approach, ClientStatus
from goaltrack.render.output import Column, OutputFormat, Report, Section

if TYPE_CHECKING:
    from goaltrack.errors import GoaltrackError
    from goaltrack.records.model import ClientRecord

ClientIdArg = Annotated[
    str,
    typer.Argument(
        help="Client id, e.g. c-1042.", show_default=False, autocompletion=complete.client_ids
    ),
]
NewClientIdArg = Annotated[str, typer.Argument(help="Client id, e.g. c-1042.", show_default=False)]
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
    Column("name", "Name", drop=3),
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
# `show`: the table shows the outcome word in place of the clinician's status.
SHOW_GOAL_TABLE = [*GOAL_SUMMARY_COLUMNS[:8], Column("status_word", "Outlook")]


def _name(text: str | None) -> str | None:
    return None if text is None else parse_line(text, "name")


def _approaches(values: list[str] | None) -> list[Approach]:
    return [a for a in (parse_choice(Approach, v, "approach") for v in values or []) if a]


def new_client(
    client_id: NewClientIdArg,
    name: NameOption = None,
    concern: ConcernOption = None,
    approach: ApproachOption = None,
    note: NoteOption = None,
) -> None:
    """Create a client file (fails if the client exists)."""
    from goaltrack import operations

    record = operations.new_client_record(
        client_id,
        name=_name(name),
        concerns=[parse_concern(text) for text in concern or []],
        approaches=_approaches(approach),
        notes=read_text_argument(note),
    )
    store().create(record)
    typer.echo(f"created client {client_id}", err=True)


def list_clients(
    status: Annotated[
        str,
        typer.Option(
            "--status", help=f"Show clients with this status ({choices(ClientStatus)}) or 'all'."
        ),
    ] = "active",
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List clients (active ones unless --status says otherwise)."""
    from goaltrack import views
    from goaltrack.measures import safety
    from goaltrack.storage.store import scan

    wanted = (
        None if status.strip().lower() == "all" else parse_choice(ClientStatus, status, "status")
    )
    records, problems = scan(store())
    shown = [r for r in records if wanted is None or r.client.status is wanted]
    rows = [views.client_row(record) for record in shown]
    alerts = [alert for record in shown for alert in safety.alerts(record)]
    flagged = {alert.client: alert.date for alert in alerts}
    for row in rows:
        row["risk_item9"] = flagged.get(row["id"])
    hidden = len(records) - len(shown)
    report = Report(
        document={"clients": rows},
        rows=rows,
        keys=[*views.CLIENT_FIELDS, "risk_item9"],
        columns=[*CLIENT_COLUMNS, Column("risk_item9", "Item-9 flag", drop=6)],
        alerts=[
            f"RISK: {alert.client}: PHQ-9 item 9 endorsed on {alert.date.isoformat()} — "
            f"see `goaltrack show {alert.client}`"
            for alert in alerts
        ],
        empty=f"no clients yet in {store().home}: add one with `goaltrack new-client ID`"
        if not records
        else "no clients with that status",
        footnotes=[f"{hidden} other client(s) not shown; use --status all"] if hidden else [],
    )
    output(report, fmt, as_json)
    _report_problems(problems)


def _report_problems(problems: list[GoaltrackError]) -> None:
    """Name each unreadable file on stderr; exit 3 after the readable ones were shown."""
    for problem in problems:
        sys.stderr.write(f"goaltrack: warning: {problem.message}\n")
    if problems:
        raise typer.Exit(EXIT_DATA)


def show(
    client_id: ClientIdArg, fmt: FormatOption = OutputFormat.TABLE, as_json: JsonOption = False
) -> None:
    """Show one client: details, concerns, and goals with where each stands."""
    from goaltrack import views
    from goaltrack.cli.instruments import registry
    from goaltrack.cli.progress import as_of_setting, gas_footnote, stale_days_setting
    from goaltrack.measures import safety

    stale_days, today = stale_days_setting(None), as_of_setting()
    record = store().load(client_id)
    detail = views.client_detail(record, today, stale_days, registry())
    alerts = safety.alerts(record)
    gas_sections = gas_sections_of(record, detail["goals"])
    concerns = [f"{c['name']} ({c['severity']})" for c in detail["concerns"]]
    report = Report(
        document={"client": detail, "alerts": [alert.as_dict() for alert in alerts]},
        rows=[{"client": record.client.id, **goal} for goal in detail["goals"]],
        keys=views.progress_fields(),
        columns=GOAL_SUMMARY_COLUMNS,
        title=f"Client {record.client.id}"
        + (f" — {record.client.name}" if record.client.name else ""),
        fields=[
            ("Status", detail["status"]),
            ("Since", detail["created"]),
            ("Concerns", concerns),
            ("Approaches", detail["approaches"]),
            ("Notes", detail["notes"]),
        ],
        sections=[
            Section("Goals", SHOW_GOAL_TABLE, detail["goals"], empty="no goals yet"),
            *gas_sections,
        ],
        footnotes=gas_footnote(detail["gas"]),
        alerts=[alert.message() for alert in alerts],
    )
    output(report, fmt, as_json)


def gas_sections_of(record: ClientRecord, goals: list[dict[str, Any]]) -> list[Section]:
    """Add each GAS goal's level descriptions to its JSON and give it a table of its own."""
    sections = []
    for goal_data in goals:
        goal = record.goal(goal_data["goal"])
        if goal is None or not goal.gas_levels:
            continue
        goal_data["gas_levels"] = dict(goal.gas_levels)
        rows = [{"level": level, "text": text} for level, text in goal.gas_levels.items()]
        sections.append(
            Section(
                f"GAS levels of goal {goal.number}",
                [Column("level", "Level", numeric=True), Column("text", "Looks like", wrap=True)],
                rows,
            )
        )
    return sections


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
    from goaltrack import operations

    edit = operations.ClientEdit(
        name=_name(name),
        status=parse_choice(ClientStatus, status, "status"),
        notes=read_text_argument(note),
        set_concerns=tuple(parse_concern(text) for text in concern or []),
        remove_concerns=tuple(remove_concern or []),
        add_approaches=tuple(_approaches(approach)),
        remove_approaches=tuple(_approaches(remove_approach)),
        clear=tuple(clear or []),
    )
    store().update(client_id, lambda record: operations.edit_client(record, edit))
    typer.echo(f"updated client {client_id}", err=True)
