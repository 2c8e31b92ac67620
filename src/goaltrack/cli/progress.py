"""The `progress` command: where each goal stands, as a table, machine data, or a chart.

The core (views, outcomes, the chart) is imported inside the command, so that
`goaltrack --help` loads neither pydantic nor rich.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from goaltrack import settings
from goaltrack.cli.clients import ClientIdArg
from goaltrack.cli.common import FormatOption, JsonOption, output, store, whole_number
from goaltrack.errors import InvalidValueError
from goaltrack.render.output import Column, OutputFormat, Report

if TYPE_CHECKING:
    from goaltrack.measures.instruments import Registry
    from goaltrack.records.model import ClientRecord, Goal


StaleDaysOption = Annotated[
    int | None,
    typer.Option(
        "--stale-days",
        parser=whole_number("stale-days"),
        help=f"Call a goal stale after this many days without an entry "
        f"(default: ${settings.STALE_DAYS_ENV}, else {settings.DEFAULT_STALE_DAYS}).",
        show_default=False,
    ),
]

# The table for people: most telling first; narrow terminals drop the highest `drop` first.
PROGRESS_TABLE = [
    Column("goal", "#", numeric=True),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure", drop=5),
    Column("baseline", "Start", numeric=True, drop=6),
    Column("latest", "Now", numeric=True),
    Column("latest_date", "Date", drop=11),
    Column("change", "Change", numeric=True, drop=3),
    Column("target", "Target", numeric=True, drop=4),
    Column("percent_to_target", "Done", numeric=True, suffix="%", decimals=0, drop=2),
    Column("slope_per_week", "/week", numeric=True, drop=8),
    Column("band", "Band", wrap=True, drop=10),
    Column("clinical_significance", "Clinical", drop=7),
    Column("entries", "N", numeric=True, drop=12),
    Column("status_word", "Outlook"),
]


def stale_days_setting(option: int | None) -> int:
    """The stale threshold: --stale-days, else $GOALTRACK_STALE_DAYS, else the default."""
    return settings.stale_days(option)


def as_of_setting() -> date:
    """The day stale, overdue and on-track are judged against ($GOALTRACK_AS_OF, else today)."""
    return settings.as_of()


def gas_footnote(gas: dict[str, Any] | None) -> list[str]:
    """The line that reports a client's GAS T-score under a table."""
    if not gas:
        return []
    goals = ", ".join(str(number) for number in gas["goals"])
    note = (
        f"GAS T-score {gas['t_score']:.1f} over goal{'s' if len(gas['goals']) > 1 else ''} "
        f"{goals} ({gas['weighting']} weights; 50 = goals met as expected)"
    )
    if gas["unscored"]:
        note += f"; not yet scored: {', '.join(str(n) for n in gas['unscored'])}"
    return [note]


def show_progress(
    client_id: ClientIdArg,
    goal: Annotated[
        int | None,
        typer.Argument(help="Only this goal (default: every goal).", parser=whole_number("goal")),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw a chart of each goal's values over time.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="With --chart: leave out entries before this date."),
    ] = None,
    stale_days: StaleDaysOption = None,
    gas_weights: Annotated[
        str,
        typer.Option(
            "--gas-weights",
            help="Weights of the GAS T-score: equal, or priority (high 3, medium 2, low 1).",
        ),
    ] = "equal",
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Where each goal stands: change, reliable and clinical change, trend, and an outlook."""
    from goaltrack import views
    from goaltrack.cli.instruments import registry
    from goaltrack.measures import safety
    from goaltrack.records.convert import parse_date

    threshold = stale_days_setting(stale_days)
    weighting = gas_weights.strip().lower()
    if weighting not in ("equal", "priority"):
        raise InvalidValueError(f"unknown --gas-weights {gas_weights!r}; use equal or priority")
    if chart and (as_json or fmt is not OutputFormat.TABLE):
        raise InvalidValueError("--chart draws for people; leave out --format/--json")
    if since is not None and not chart:
        raise InvalidValueError("--since limits the chart; add --chart")
    since_date = parse_date(since, "since") if since is not None else None
    record = store().load(client_id)
    selected = (
        [record.require_goal(goal)]
        if goal is not None
        else sorted(record.goals, key=lambda g: g.number)
    )
    known = registry()
    today = as_of_setting()
    alerts = safety.alerts(record)
    if chart:
        for alert in alerts:  # a chart must not hide a safety flag either
            sys.stderr.write(f"goaltrack: warning: {alert.message()}\n")
        _print_charts(record, selected, today, threshold, since_date, known)
        return
    rows = views.progress_rows(record, selected, today, threshold, known)
    gas = views.gas_detail(record, weighting)
    report = Report(
        document={
            "client": client_id,
            "as_of": today,
            "stale_days": threshold,
            "goals": rows,
            "gas": gas,
            "alerts": [alert.as_dict() for alert in alerts],
        },
        rows=rows,
        keys=views.progress_fields(),
        columns=_table_columns(rows) if fmt is OutputFormat.TABLE and not as_json else [],
        title=f"Progress of {client_id}",
        empty="no goals yet: add one with `goaltrack add-goal`",
        footnotes=gas_footnote(gas),
        alerts=[alert.message() for alert in alerts],
    )
    output(report, fmt, as_json)


TITLE_ROOM = 36  # a goal title up to this long stays on one line: detail columns go first


def _table_columns(rows: list[dict[str, Any]]) -> list[Column]:
    """The table columns for this terminal, dropping detail before wrapping goal titles."""
    from dataclasses import replace

    from rich.console import Console

    from goaltrack.render.tables import fit_columns

    width = Console(file=sys.stdout).width
    unwrapped = [replace(c, wrap=False) if c.key == "title" else c for c in PROGRESS_TABLE]
    short = [{**row, "title": str(row.get("title", ""))[:TITLE_ROOM]} for row in rows]
    kept = {column.key for column in fit_columns(unwrapped, short, width)}
    return [column for column in PROGRESS_TABLE if column.key in kept]


def _print_charts(
    record: ClientRecord,
    goals: list[Goal],
    today: date,
    stale_days: int,
    since: date | None,
    known: Registry,
) -> None:
    """Draw each goal's chart to stdout."""
    from goaltrack.render.chart import write_charts

    if not goals:
        sys.stderr.write("goaltrack: no goals yet: add one with `goaltrack add-goal`\n")
        return
    write_charts(
        record,
        goals,
        sys.stdout,
        today=today,
        stale_days=stale_days,
        since=since,
        registry=known,
    )
