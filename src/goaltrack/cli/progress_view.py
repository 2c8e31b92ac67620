"""The `progress` command: where each goal stands, as a table, machine data, or a chart."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Annotated, Any

import typer

from goaltrack import changes, views
from goaltrack.cli.clients import ClientIdArg
from goaltrack.cli.common import FormatOption, JsonOption, output, store
from goaltrack.errors import InvalidValueError
from goaltrack.model import ClientRecord, Goal
from goaltrack.outcomes import DEFAULT_STALE_DAYS
from goaltrack.parsing import parse_date
from goaltrack.render.output import Column, OutputFormat, Report

STALE_DAYS_ENV = "GOALTRACK_STALE_DAYS"

StaleDaysOption = Annotated[
    int | None,
    typer.Option(
        "--stale-days",
        min=1,
        help=f"Call a goal stale after this many days without an entry "
        f"(default: ${STALE_DAYS_ENV}, else {DEFAULT_STALE_DAYS}).",
        show_default=False,
    ),
]

# The machine columns (CSV): the original fields in their order, then the outcome fields.
PROGRESS_FIELDS = [
    Column("client", "Client"),
    Column("goal", "#", numeric=True),
    Column("title", "Goal"),
    Column("measure", "Measure"),
    Column("baseline", "Start", numeric=True),
    Column("latest", "Now", numeric=True),
    Column("latest_date", "Date"),
    Column("change", "Change", numeric=True),
    Column("target", "Target", numeric=True),
    Column("percent_to_target", "Done", numeric=True),
    Column("entries", "N", numeric=True),
    Column("status", "Status"),
    Column("due", "Due"),
    Column("improvement", "Better by", numeric=True),
    Column("better", "Better"),
    Column("reliable_change", "Reliable change"),
    Column("clinical_significance", "Clinical"),
    Column("band", "Band"),
    Column("slope_per_week", "Trend/week", numeric=True),
    Column("projected_date", "Projected"),
    Column("on_track", "On track"),
    Column("target_reached", "Reached"),
    Column("overdue", "Overdue"),
    Column("stale", "Stale"),
    Column("days_since_entry", "Days since entry", numeric=True),
    Column("status_word", "Outlook"),
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
    """The stale threshold: --stale-days, else $GOALTRACK_STALE_DAYS, else 28."""
    if option is not None:
        return option
    text = os.environ.get(STALE_DAYS_ENV, "").strip()
    if not text:
        return DEFAULT_STALE_DAYS
    if not text.isdigit() or int(text) < 1:
        raise InvalidValueError(f"{STALE_DAYS_ENV} must be a whole number of days, at least 1")
    return int(text)


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
        int | None, typer.Argument(help="Only this goal (default: every goal).")
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
    threshold = stale_days_setting(stale_days)
    weighting = gas_weights.strip().lower()
    if weighting not in ("equal", "priority"):
        raise InvalidValueError(f"unknown --gas-weights {gas_weights!r}; use equal or priority")
    if chart and (as_json or fmt is not OutputFormat.TABLE):
        raise InvalidValueError("--chart draws for people; leave out --format/--json")
    if since is not None and not chart:
        raise InvalidValueError("--since limits the chart; add --chart")
    since_date = parse_date(since, "--since") if since is not None else None
    record = store().load(client_id)
    selected = (
        [changes.find_goal(record, goal)]
        if goal is not None
        else sorted(record.goals, key=lambda g: g.number)
    )
    today = date.today()
    if chart:
        _print_charts(record, selected, today, threshold, since_date)
        return
    rows = views.progress_rows(record, selected, today, threshold)
    gas = views.gas_detail(record, weighting)
    machine = fmt is not OutputFormat.TABLE or as_json
    report = Report(
        document={
            "client": client_id,
            "as_of": today,
            "stale_days": threshold,
            "goals": rows,
            "gas": gas,
        },
        rows=rows,
        columns=PROGRESS_FIELDS if machine else PROGRESS_TABLE,
        title=f"Progress of {client_id}",
        empty="no goals yet: add one with `goaltrack add-goal`",
        footnotes=gas_footnote(gas),
    )
    output(report, fmt, as_json)


def _print_charts(
    record: ClientRecord, goals: list[Goal], today: date, stale_days: int, since: date | None
) -> None:
    """Draw each goal's chart to stdout."""
    from goaltrack.render.chart import write_charts

    if not goals:
        sys.stderr.write("goaltrack: no goals yet: add one with `goaltrack add-goal`\n")
        return
    write_charts(record, goals, sys.stdout, today=today, stale_days=stale_days, since=since)
