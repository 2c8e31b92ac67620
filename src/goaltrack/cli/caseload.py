"""`goaltrack clients` and `goaltrack attention`: the caseload, read from the caseload index.

With a warm index, 2,000 clients are listed from one small file: only the files whose identity
changed since their row was written are read (storage/caseload.py), and no client record is
built; the attention rules run over the derived facts (goaltrack/attention.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack import roster, settings
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    StaleDaysOption,
    choices,
    command_group,
    home,
    one_of_option,
    output,
    warn_unreadable,
)
from goaltrack.errors import ClientNotFoundError
from goaltrack.records.convert import DATE_FORMS, parse_date
from goaltrack.records.enums import AttentionReason, ClientStatus
from goaltrack.render.report import Column, OutputFormat, Report

commands = command_group()

#: `clients --status`: a client status, or every client.
STATUS_FILTERS = (*(status.value for status in ClientStatus), "all")

CLIENT_COLUMNS = [
    Column(roster.CLIENT_KEY, "Client"),
    Column("name", "Name", drop=3),
    Column("status", "Status", drop=2),
    Column("concerns", "Concerns", wrap=True),
    Column("active_goals", "Active goals", numeric=True),
    Column("goals", "Goals", numeric=True, drop=5),
    Column("last_entry", "Last entry", drop=1),
]

#: What `clients` adds to each row from the attention list: how many rows, the worst reason.
ATTENTION_FIELDS = ["attention", "attention_worst"]

NoIndexOption = Annotated[
    bool,
    typer.Option(
        "--no-index",
        help=f"Read every client file instead of the caseload index (also "
        f"${settings.NO_INDEX_ENV}=1). The answer is the same; only slower.",
    ),
]


@commands.command("clients")
def list_clients(
    status: Annotated[
        str,
        one_of_option(
            "--status",
            STATUS_FILTERS,
            f"Show clients with this status ({choices(ClientStatus)}) or 'all'.",
        ),
    ] = "active",
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    no_index: NoIndexOption = False,
) -> None:
    """List clients (active ones unless --status says otherwise)."""
    from goaltrack.attention import caseload_attention
    from goaltrack.measures.attention import summary

    where = home()
    found = caseload_attention(where, use_index=not (no_index or settings.no_index()))
    every = found.clients
    shown = [facts for facts in every if status == "all" or facts["status"] == status]
    rows = [
        {**roster.client_row(facts), **summary(found.by_client.get(facts["id"], []))}
        for facts in shown
    ]
    hidden = len(every) - len(shown)
    report = Report(
        document={"clients": rows},
        rows=rows,
        keys=[*roster.CLIENT_FIELDS, "risk_item9", "concern_severities", *ATTENTION_FIELDS],
        columns=[
            *CLIENT_COLUMNS,
            Column("risk_item9", "Item-9 flag"),
            Column("attention", "Needs", numeric=True, drop=4),
            Column("attention_worst", "Worst", drop=4),
        ],
        alerts=roster.risk_lines(shown),
        empty=f"no clients yet in {where}: add one with `goaltrack new-client ID`"
        if not every
        else "no clients with that status",
        footnotes=[f"{hidden} other client(s) not shown; use --status all"] if hidden else [],
    )
    output(report, fmt, as_json)
    warn_unreadable(found.problems)


ATTENTION_COLUMNS = [
    Column("reason", "Reason"),
    Column("client", "Client"),
    Column("goal", "Goal", numeric=True),
    Column("since", "Since", drop=2),
    Column("next_measure_due", "Next measure", drop=3),
    Column("detail", "Detail", wrap=True),
]
ATTENTION_KEYS = ["client", "goal", "reason", "urgent", "since", "detail", "next_measure_due"]
REASON_CHOICES = tuple(reason.value for reason in AttentionReason)


@commands.command("attention")
def attention(
    client: Annotated[
        list[str] | None,
        typer.Option("--client", metavar="<id>", help="Only this client (repeatable)."),
    ] = None,
    reason: Annotated[
        list[str] | None,
        one_of_option(
            "--reason",
            REASON_CHOICES,
            f"Only this reason (repeatable): {', '.join(REASON_CHOICES)}.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help=f"Only reasons that began on or after this day: {DATE_FORMS}."
        ),
    ] = None,
    exit_status: Annotated[
        bool,
        typer.Option(
            "--exit-status",
            help="Exit 0 when nothing needs attention, 1 when something does, 4 when something "
            "is urgent (an open PHQ-9 item-9 flag).",
        ),
    ] = False,
    stale_days: StaleDaysOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    no_index: NoIndexOption = False,
) -> None:
    """Who needs attention today, worst first: risk flags, deterioration, off-track, overdue,
    due measures, stale goals, no contact, unserved concerns, unmeasured goals."""
    from goaltrack.attention import caseload_attention
    from goaltrack.measures.attention import exit_status as status_of

    start = parse_date(since, "since") if since else None
    found = caseload_attention(
        home(), stale_days=stale_days, use_index=not (no_index or settings.no_index())
    )
    wanted_clients = set(client or [])
    unknown = sorted(wanted_clients - set(found.by_client))
    if unknown and not found.problems:  # a typo must not read as "nothing needs attention"
        raise ClientNotFoundError(f"no client {unknown[0]!r} in {home() / 'clients'}")
    wanted_reasons = set(reason or [])
    found.flags = [
        flag
        for flag in found.flags
        if (not wanted_clients or flag.client in wanted_clients)
        and (not wanted_reasons or flag.reason.value in wanted_reasons)
        and (start is None or flag.since >= start)
    ]
    rows = found.rows()
    report = Report(
        document=found.document(),
        rows=rows,
        keys=ATTENTION_KEYS,
        columns=ATTENTION_COLUMNS,
        title=f"Attention on {found.as_of.isoformat()}",
        empty="nothing needs attention",
        alerts=[f"RISK: {flag.client}: {flag.detail}" for flag in found.flags if flag.urgent],
    )
    output(report, fmt, as_json)
    warn_unreadable(found.problems)
    if exit_status:
        raise typer.Exit(status_of(found.flags))
