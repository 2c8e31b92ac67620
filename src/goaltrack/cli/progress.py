"""The `progress` command: where each goal stands, as a table, machine data, or a chart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goaltrack import chart_views, episode_views, settings, views
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    RaterOption,
    SomeGoalArg,
    StaleDaysOption,
    command_group,
    gas_footnote,
    one_of_option,
    output,
    rater_option,
    registry,
    say,
    store,
    warn,
)
from goaltrack.errors import InvalidValueError
from goaltrack.measures import safety
from goaltrack.records.asof import snapshot
from goaltrack.records.convert import DATE_FORMS, parse_date
from goaltrack.render.output import draw_charts
from goaltrack.render.report import Column, OutputFormat, Report

commands = command_group()

TITLE_ROOM = 36  # a goal title up to this long stays on one line: detail columns go first
#: `--gas-weights`: the weightings goaltrack.measures.gas.client_gas knows.
GAS_WEIGHTINGS = ("equal", "priority")

# The table for people: most telling first; narrow terminals drop the highest `drop` first.
PROGRESS_TABLE = [
    Column("goal", "#", numeric=True),
    Column("title", "Goal", wrap=True, room=TITLE_ROOM),
    Column("measure", "Measure"),
    Column("baseline", "Start", numeric=True, drop=6),
    Column("latest", "Now", numeric=True),
    Column("latest_date", "Date", drop=11),
    # signed so that + is better whichever way the scale runs (-11 on PHQ-9 shows as +11)
    Column("improvement", "Better by", numeric=True, signed=True, drop=3),
    Column("target", "Target", numeric=True),
    Column("percent_to_target", "Done", numeric=True, suffix="%", decimals=0, drop=2),
    Column("slope_per_week", "/week", numeric=True, drop=8),
    Column("band", "Band", wrap=True, drop=10),
    Column("clinical_significance", "Clinical", drop=7),
    Column("entries", "N", numeric=True, drop=12),
    Column("status_word", "Outlook"),
]


@commands.command("progress")
def show_progress(
    client_id: ClientIdArg,
    goal: SomeGoalArg = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw a chart of each goal's values over time.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help=f"With --chart: leave out entries before this date ({DATE_FORMS})."
        ),
    ] = None,
    svg_file: Annotated[
        Path | None,
        typer.Option(
            "--svg",
            help="With --chart and one GOAL: write the chart as an SVG picture to this file "
            "(mode 0600) instead of drawing it.",
            metavar="FILE",
        ),
    ] = None,
    stale_days: StaleDaysOption = None,
    gas_weights: Annotated[
        str,
        one_of_option(
            "--gas-weights",
            GAS_WEIGHTINGS,
            "Weights of the GAS T-score: equal, or priority (high 3, medium 2, low 1).",
        ),
    ] = "equal",
    rater: RaterOption = None,
    by_rater: Annotated[
        bool,
        typer.Option(
            "--by-rater",
            help="One row (and, with --chart, one series) per rater of each goal. Without it "
            "the figures use the client's own ratings, or --rater's.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Show achieved and dropped goals too.")
    ] = False,
    all_episodes: Annotated[
        bool,
        typer.Option("--all-episodes", help="Show the goals of earlier episodes of care too."),
    ] = False,
) -> None:
    """Where each goal stands: change, reliable and clinical change, trend, and an outlook."""
    threshold = settings.stale_days(stale_days)
    chosen = rater_option(rater)
    if chosen is not None and by_rater:
        raise InvalidValueError("--by-rater shows every rater; leave out --rater")
    if chart and (as_json or fmt is not OutputFormat.TABLE):
        raise InvalidValueError("--chart draws for people; leave out --format/--json")
    if since is not None and not chart:
        raise InvalidValueError("--since limits the chart; add --chart")
    if svg_file is not None and not chart:
        raise InvalidValueError("--svg writes the chart as a picture; add --chart")
    if svg_file is not None and goal is None:
        raise InvalidValueError("--svg draws one goal; name it: progress CLIENT GOAL --chart --svg")
    since_date = parse_date(since, "since") if since is not None else None
    today = settings.as_of()
    record = snapshot(store().load(client_id), today)  # GOALTRACK_AS_OF: a snapshot
    selected = (
        [record.require_goal(goal)]
        if goal is not None
        else episode_views.visible_goals(record, everything, all_episodes)
    )
    known = registry()
    alerts = safety.alerts(record)
    if chart:
        for alert in alerts:  # a chart must not hide a safety flag either
            warn(alert.message())
        if not selected:
            say("goaltrack: no goals yet: add one with `goaltrack add-goal`")
            return
        charts = [
            chart_views.goal_chart(g, today, threshold, known, since_date, chosen, by_rater)
            for g in selected
        ]
        if svg_file is not None:
            from goaltrack.render.svg import chart_svg
            from goaltrack.storage.outfile import write_private

            write_private(svg_file, chart_svg(charts[0]) + "\n", store().home)
            say(f"goaltrack: wrote {svg_file}")
            return
        draw_charts(charts)
        return
    rows = views.progress_rows(record, selected, today, threshold, known, chosen, by_rater)
    gas = views.gas_detail(record, gas_weights)
    report = Report(
        document={
            "client": client_id,
            "as_of": today,
            "stale_days": threshold,
            "goals": rows,
            "gas": gas,
            "alerts": [alert.as_dict() for alert in alerts],
            "client_outcomes": views.outcome_detail(record),
            # whose ratings the figures use: one rater's, each apart, or each goal's own
            "rater": chosen,
            "by_rater": by_rater,
        },
        rows=rows,
        keys=views.progress_fields(),
        columns=[*PROGRESS_TABLE[:2], Column("rater", "Rater"), *PROGRESS_TABLE[2:]]
        if by_rater
        else PROGRESS_TABLE,
        title=f"Progress of {client_id}",
        empty="no goals yet: add one with `goaltrack add-goal`",
        # the T-score covers every GAS goal of the client: not under one goal's table
        footnotes=[
            *(episode_views.hidden_note(record, selected) if goal is None else []),
            *(gas_footnote(gas) if goal is None else []),
            *views.rule_lines(rows),
            *views.rater_lines(selected, chosen, by_rater),
            *views.outcome_lines(record),
        ],
        alerts=[alert.message() for alert in alerts],
    )
    output(report, fmt, as_json)
