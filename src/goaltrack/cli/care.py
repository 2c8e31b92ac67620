"""Commands about a client's episode of care: discharge, reopen, risk-review."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, Any

import typer

from goaltrack import episode_views, operations, settings
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    choices,
    command_group,
    output,
    read_text_argument,
    registry,
    say,
    store,
    text_or_stdin,
)
from goaltrack.records.convert import DATE_FORMS, parse_choice, parse_date, parse_line
from goaltrack.records.enums import EndReason, RiskOutcome
from goaltrack.records.model import ClientRecord
from goaltrack.render.report import Column, OutputFormat, Report

commands = command_group()

DateOption = Annotated[
    str | None, typer.Option("--date", help=f"The day: {DATE_FORMS} (default: today).")
]
NoteOption = Annotated[
    str | None,
    typer.Option("--note", help="A note; '-' reads it from stdin (keeps it out of `ps`)."),
]

SUMMARY_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure"),
    Column("first", "First", numeric=True),
    Column("last", "Last", numeric=True),
    Column("change", "Change", numeric=True, signed=True),
    Column("reliable_change", "Reliable change"),
    Column("clinical_significance", "Clinical", drop=2),
    Column("status", "Status", drop=3),
]


def _day(text: str | None) -> date:
    return parse_date(text, "date") if text else settings.as_of()


@commands.command("discharge")
def discharge(
    client_id: ClientIdArg,
    on: DateOption = None,
    reason: Annotated[
        EndReason,
        typer.Option(
            "--reason", case_sensitive=False, help=f"Why care ended: {choices(EndReason)}."
        ),
    ] = EndReason.PLANNED,
    goals: Annotated[
        operations.OpenGoals | None,
        typer.Option(
            "--goals",
            case_sensitive=False,
            help="What becomes of goals still open: achieved, dropped, or keep (open for a "
            "return). Asked on a terminal when not given.",
        ),
    ] = None,
    note: NoteOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """End a client's episode of care: close its open goals, record the end date and reason,
    and print the end-of-treatment summary."""
    day = _day(on)
    text = read_text_argument(note)
    if goals is None and sys.stdin.isatty():
        still_open = operations.open_goals(store().load(client_id))
        if still_open:
            answer = typer.prompt(
                f"Goal(s) {', '.join(map(str, still_open))} are open: achieved, dropped or keep?"
            )
            goals = parse_choice(answer.strip().lower(), "goals", operations.OpenGoals)

    def apply(record: ClientRecord) -> operations.Discharge:
        return operations.discharge(
            record, on=day, today=settings.as_of(), reason=reason, note=text, goals=goals
        )

    done = store().update(client_id, apply)
    say(
        f"discharged {client_id}: episode {done.episode} ({done.since.isoformat()} to "
        f"{done.until.isoformat()}, {reason.value})"
        + (
            f"; goal(s) {', '.join(map(str, done.closed_goals))} {goals}"
            if done.closed_goals
            else ""
        )
    )
    summary = episode_views.end_of_treatment(store().load(client_id), done.episode, day, registry())
    _print_summary(summary, fmt, as_json)


def _print_summary(summary: dict[str, Any], fmt: OutputFormat, as_json: bool) -> None:
    report = Report(
        document={"end_of_treatment": summary},
        rows=[{"client": summary["client"], **row} for row in summary["goals"]],
        columns=SUMMARY_COLUMNS,
        title=f"End of treatment: {summary['client']}, episode {summary['episode']}",
        empty="no goals in this episode",
        footnotes=summary["outcome_lines"],
    )
    output(report, fmt, as_json)


@commands.command("reopen")
def reopen(client_id: ClientIdArg, on: DateOption = None) -> None:
    """Start a new episode of care for a discharged client (the old one's history is kept)."""
    day = _day(on)
    number = store().update(
        client_id, lambda record: operations.reopen(record, on=day, today=settings.as_of())
    )
    say(f"reopened {client_id}: episode {number} from {day.isoformat()}")


@commands.command("risk-review")
def risk_review(
    client_id: ClientIdArg,
    on: DateOption = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviewed the risk; '-' reads it from stdin.")
    ] = None,
    outcome: Annotated[
        RiskOutcome,
        typer.Option(
            "--outcome", case_sensitive=False, help=f"What was done: {choices(RiskOutcome)}."
        ),
    ] = RiskOutcome.OTHER,
    note: NoteOption = None,
) -> None:
    """Record a risk review that acknowledges the client's open PHQ-9 item-9 flags."""
    day = _day(on)
    who = None if by is None else parse_line(text_or_stdin(by, "by"), "by")
    text = read_text_argument(note)
    review = store().update(
        client_id,
        lambda record: operations.record_risk_review(
            record, on=day, today=settings.as_of(), outcome=outcome, by=who, note=text
        ),
    )
    if review.covers:
        say(
            f"risk review {review.id} of {client_id} on {day.isoformat()} acknowledges the "
            f"item-9 flag(s) of entry {', '.join(review.covers)}; a later endorsed item 9 "
            "opens a new flag"
        )
    else:
        say(f"risk review {review.id} of {client_id} recorded; it found no open item-9 flag")
