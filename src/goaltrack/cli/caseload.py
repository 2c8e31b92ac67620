"""`goaltrack clients`: the caseload list, read from the caseload index.

Light on purpose: with a warm index, listing 2,000 clients loads no Pydantic model; only the
files whose identity changed since their row was written are read (storage/caseload.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack import roster, settings
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    choices,
    command_group,
    home,
    one_of_option,
    output,
    warn_unreadable,
)
from goaltrack.records.enums import ClientStatus
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.storage.caseload import read_caseload

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
    where = home()
    caseload = read_caseload(where, use_index=not (no_index or settings.no_index()))
    every = caseload.facts
    shown = [facts for facts in every if status == "all" or facts["status"] == status]
    rows = [roster.client_row(facts) for facts in shown]
    hidden = len(every) - len(shown)
    report = Report(
        document={"clients": rows},
        rows=rows,
        keys=[*roster.CLIENT_FIELDS, "risk_item9"],
        columns=[*CLIENT_COLUMNS, Column("risk_item9", "Item-9 flag")],
        alerts=roster.risk_lines(shown),
        empty=f"no clients yet in {where}: add one with `goaltrack new-client ID`"
        if not every
        else "no clients with that status",
        footnotes=[f"{hidden} other client(s) not shown; use --status all"] if hidden else [],
    )
    output(report, fmt, as_json)
    warn_unreadable(caseload.problems)
