"""Commands about one client: new-client, show, edit-client (the list is cli/caseload.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from goaltrack import episode_views, operations, settings, views
from goaltrack.cli import complete
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    choices,
    command_group,
    gas_footnote,
    one_of_option,
    output,
    read_text_argument,
    registry,
    say,
    store,
    text_or_stdin,
)
from goaltrack.errors import InvalidValueError
from goaltrack.measures import safety
from goaltrack.records.asof import snapshot
from goaltrack.records.convert import DATE_FORMS, parse_concern, parse_date, parse_line
from goaltrack.records.enums import Approach, ClientStatus, Severity
from goaltrack.render.client_detail import (
    concern_labels,
    conflict_lines,
    episode_line,
    gas_sections_of,
    reviewed_lines,
)
from goaltrack.render.report import Column, OutputFormat, Report, Section
from goaltrack.sync import conflicts

commands = command_group()

NewClientIdArg = Annotated[str, typer.Argument(help="Client id, e.g. c-1042.", show_default=False)]
NameOption = Annotated[
    str | None,
    typer.Option("--name", help="Display name (optional; ids stay pseudonymous); '-' reads stdin."),
]
ConcernOption = Annotated[
    list[str] | None,
    typer.Option(
        "--concern",
        metavar="<name[:severity]>",
        help="Presenting concern as NAME[:SEVERITY], severity one of mild, moderate, severe, "
        "crisis; '-' reads it from stdin. Repeatable.",
    ),
]
ApproachOption = Annotated[
    list[Approach] | None,
    typer.Option(
        "--approach",
        case_sensitive=False,
        metavar="<approach>",
        help=f"Therapeutic approach ({choices(Approach)}). Repeatable.",
    ),
]
NoteOption = Annotated[
    str | None,
    typer.Option("--note", help="Notes on preferences, values, culture; '-' reads stdin."),
]
PreferenceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--preference",
        metavar="<text>",
        help="What the client wants from therapy or values, e.g. 'practical homework', "
        "'involve family', 'faith matters'; '-' reads it from stdin. Repeatable; used by "
        "`goaltrack suggest`.",
    ),
]
StrengthOption = Annotated[
    list[str] | None,
    typer.Option(
        "--strength",
        metavar="<text>",
        help="A strength to build on, e.g. 'supportive sister'; '-' reads it from stdin. "
        "Repeatable.",
    ),
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        help=f"When the client started: {DATE_FORMS} (shown as Since; default: today). "
        "Entries before it are kept, with a note.",
    ),
]

GOAL_SUMMARY_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure"),
    Column("baseline", "Start", numeric=True, drop=3),
    Column("latest", "Now", numeric=True),
    Column("latest_date", "Date", drop=1),
    Column("target", "Target", numeric=True),
    Column("percent_to_target", "Done", numeric=True, suffix="%", decimals=0),
    Column("status", "Status", drop=4),
]
# `show`: the table shows the outcome word in place of the clinician's status.
# Measure, Now, Target and the outlook stay at every width; the title wraps instead.
SHOW_GOAL_TABLE = [
    *GOAL_SUMMARY_COLUMNS[:7],
    Column("percent_to_target", "Done", numeric=True, suffix="%", decimals=0, drop=6),
    Column("status_word", "Outlook"),
]
#: `show` adds it when a goal has a schedule.
NEXT_MEASURE_COLUMN = Column("next_measure_due", "Next measure", drop=5)
ATTENTION_COLUMNS = [
    Column("reason", "Reason"),
    Column("goal", "Goal", numeric=True),
    Column("detail", "Detail", wrap=True),
]


def _name(text: str | None) -> str | None:
    name = text_or_stdin(text, "name")
    return None if name is None else parse_line(name, "name")


def _concerns(texts: list[str] | None) -> list[tuple[str, Severity | None]]:
    """Concern specs (NAME[:SEVERITY]), one of them read from stdin when it is '-'."""
    return [parse_concern(text_or_stdin(text, "concern")) for text in texts or []]


#: The client's own planning factors, shown by `show` when the client has any.
PLAN_FACTORS = (("preferences", "Preferences"), ("strengths", "Strengths"))


def _lines(texts: list[str] | None, field: str) -> tuple[str, ...]:
    """One-line texts of a repeatable option, one of them read from stdin when it is '-'."""
    return tuple(parse_line(text_or_stdin(text, field), field) for text in texts or [])


def _since(text: str | None) -> date | None:
    return None if text is None else parse_date(text, "since")


@commands.command("new-client")
def new_client(
    client_id: NewClientIdArg,
    name: NameOption = None,
    concern: ConcernOption = None,
    approach: ApproachOption = None,
    note: NoteOption = None,
    since: SinceOption = None,
    preference: PreferenceOption = None,
    strength: StrengthOption = None,
) -> None:
    """Create a client file (fails if the client exists)."""
    record = operations.new_client_record(
        client_id,
        name=_name(name),
        concerns=_concerns(concern),
        approaches=approach or [],
        notes=read_text_argument(note),
        created=_since(since),
        check_dates=True,
        preferences=_lines(preference, "preference"),
        strengths=_lines(strength, "strength"),
    )
    store().create(record)
    say(f"created client {client_id}")


AllOption = Annotated[bool, typer.Option("--all", help="Show achieved and dropped goals too.")]
AllEpisodesOption = Annotated[
    bool,
    typer.Option("--all-episodes", help="Show the goals of earlier episodes of care too."),
]


@commands.command("show")
def show(
    client_id: ClientIdArg,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    everything: AllOption = False,
    all_episodes: AllEpisodesOption = False,
) -> None:
    """Show one client: details, concerns, and goals with where each stands."""
    stale_days, today = settings.stale_days(), settings.as_of()
    record = snapshot(store().load(client_id), today)  # GOALTRACK_AS_OF: a snapshot
    shown = episode_views.visible_goals(record, everything, all_episodes)
    detail = views.client_detail(record, today, stale_days, registry(), goals=shown)
    alerts = safety.alerts(record)
    gas_sections = gas_sections_of(record)
    open_conflicts = conflicts.read(store().home, record.client.id)
    report = Report(
        document={
            "client": detail,
            "alerts": [alert.as_dict() for alert in alerts],
            "sync_conflicts": [item.where for item in open_conflicts],
        },
        rows=[{"client": record.client.id, **goal} for goal in detail["goals"]],
        keys=views.progress_fields(),
        columns=GOAL_SUMMARY_COLUMNS,
        title=f"Client {record.client.id}"
        + (f" — {record.client.name}" if record.client.name else ""),
        fields=[
            ("Status", detail["status"]),
            ("Since", detail["since"]),
            *(
                [("Episodes", [episode_line(e) for e in detail["episodes"]])]
                if detail["episodes"]
                else []
            ),
            ("Concerns", concern_labels(detail["concerns"])),
            ("Approaches", detail["approaches"]),
            # shown when there are any (schema 2 added them; most files have none)
            *[(label, detail[key]) for key, label in PLAN_FACTORS if detail[key]],
            ("Notes", detail["notes"]),
        ],
        sections=[
            Section(
                "Goals",
                SHOW_GOAL_TABLE
                + ([NEXT_MEASURE_COLUMN] if any(g["every"] for g in detail["goals"]) else []),
                detail["goals"],
                empty="no goals yet",
            ),
            *gas_sections,
            *(
                [Section("Needs attention", ATTENTION_COLUMNS, detail["attention"])]
                if detail["attention"]
                else []
            ),
        ],
        footnotes=[
            *episode_views.hidden_note(record, shown),
            *gas_footnote(detail["gas"]),
            *views.rule_lines(detail["goals"]),
            *views.outcome_lines(record),
            *reviewed_lines(detail["reviewed_risks"]),
        ],
        alerts=[alert.message() for alert in alerts]
        + conflict_lines(record.client.id, open_conflicts),
    )
    output(report, fmt, as_json)


@commands.command("edit-client")
def edit_client(
    client_id: ClientIdArg,
    name: NameOption = None,
    status: Annotated[
        ClientStatus | None,
        typer.Option(
            "--status",
            case_sensitive=False,
            help=f"One of {choices(ClientStatus)}. A discharge ends an episode: `goaltrack "
            "discharge` does it, and `goaltrack reopen` starts the next.",
        ),
    ] = None,
    concern: Annotated[
        list[str] | None,
        typer.Option(
            "--concern",
            metavar="<name[:severity]>",
            help="Add a concern or change its severity: NAME[:SEVERITY]; '-' reads stdin.",
        ),
    ] = None,
    remove_concern: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-concern",
            metavar="<name>",
            help="Remove a concern by name (not one a goal serves); '-' reads stdin.",
            autocompletion=complete.concern_names,
        ),
    ] = None,
    approach: ApproachOption = None,
    remove_approach: Annotated[
        list[Approach] | None,
        typer.Option(
            "--remove-approach",
            case_sensitive=False,
            metavar="<approach>",
            help="Remove an approach.",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Replace the notes; '-' reads stdin.")
    ] = None,
    clear: Annotated[
        list[str] | None,
        one_of_option("--clear", operations.CLIENT_CLEARABLE, "Remove a field: name or notes."),
    ] = None,
    since: SinceOption = None,
    preference: PreferenceOption = None,
    remove_preference: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-preference",
            metavar="<text>",
            help="Remove a preference (its text; '-' reads stdin). Repeatable.",
        ),
    ] = None,
    strength: StrengthOption = None,
    remove_strength: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-strength",
            metavar="<text>",
            help="Remove a strength (its text; '-' reads stdin). Repeatable.",
        ),
    ] = None,
) -> None:
    """Change a client's name, status, concerns, approaches, preferences, strengths, notes or
    start date."""
    notes = read_text_argument(note, "notes")
    if note is not None and notes is None:  # `--note ""`: no notes, as `--clear notes`
        clear = [*(clear or []), "notes"]
    edit = operations.ClientEdit(
        name=_name(name),
        status=status,
        notes=notes,
        set_concerns=tuple(_concerns(concern)),
        remove_concerns=tuple(
            parse_line(text_or_stdin(text, "remove-concern"), "remove-concern")
            for text in remove_concern or []
        ),
        add_approaches=tuple(approach or []),
        remove_approaches=tuple(remove_approach or []),
        clear=tuple(clear or []),
        since=_since(since),
        add_preferences=_lines(preference, "preference"),
        remove_preferences=_lines(remove_preference, "remove-preference"),
        add_strengths=_lines(strength, "strength"),
        remove_strengths=_lines(remove_strength, "remove-strength"),
    )
    store().update(client_id, lambda record: operations.edit_client(record, edit))
    say(f"updated client {client_id}")


@commands.command("delete-client")
def delete_client(
    client_id: ClientIdArg,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: move this client's file to the trash.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Move it even with an open, unreviewed PHQ-9 item-9 flag."),
    ] = False,
) -> None:
    """Move a mistaken client's file to the trash inside the home (`restore` brings it back)."""
    from goaltrack.errors import DataError
    from goaltrack.measures.safety import open_risk
    from goaltrack.storage.trash import move_to_trash

    if not yes:
        raise InvalidValueError(
            f"add --yes to move client {client_id} to the trash (nothing is deleted outright; "
            f"`goaltrack restore {client_id}` brings it back)"
        )
    try:  # a client with an open risk flag leaves attention once trashed: refuse a slip
        risk = None if force else open_risk(store().load(client_id))
    except DataError:  # a file that does not read has no flag to show: trash it as asked
        risk = None
    if risk is not None:
        raise InvalidValueError(
            f"client {client_id} has an open PHQ-9 item-9 flag ({risk.date.isoformat()}, entry "
            f"{risk.entry}); it was not moved to the trash: follow it up (`goaltrack "
            f"risk-review {client_id}`), or add --force if the client was added by mistake"
        )
    moved = move_to_trash(store(), client_id)
    say(f"moved client {client_id} to the trash: {moved.name} (goaltrack restore {client_id})")


@commands.command("restore")
def restore_client(client_id: ClientIdArg) -> None:
    """Bring a client moved to the trash back (the newest copy, if there are several)."""
    from goaltrack.storage.trash import restore

    item = restore(store(), client_id)
    say(f"restored client {client_id} from {item.path.name}")
