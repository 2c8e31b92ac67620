"""The `measure` command: administer an instrument item by item, score it, log the total."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from goaltrack import operations
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    RaterOption,
    banner,
    command_group,
    deferred_target,
    output,
    rater_option,
    read_text_argument,
    registry,
    say,
    store,
)
from goaltrack.errors import FieldError, InputError, InvalidValueError
from goaltrack.measures import forms, scoring
from goaltrack.measures.instruments import Instrument
from goaltrack.records.convert import DATE_FORMS, parse_date, parse_measure_key, parse_number
from goaltrack.records.enums import EntryFlag
from goaltrack.render import questionnaire
from goaltrack.render.report import Column, OutputFormat, Report

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord

commands = command_group()


@commands.command("measure")
def measure(
    client_id: ClientIdArg,
    instrument_key: Annotated[
        str, typer.Argument(metavar="INSTRUMENT", help="Instrument key, e.g. phq9, gad7, rses.")
    ],
    goal: Annotated[
        int | None,
        typer.Option("--goal", help="Log to this goal (default: every active goal it measures)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help=f"Date given: {DATE_FORMS} (default: today).")
    ] = None,
    responses: Annotated[
        str | None,
        typer.Option(
            "--responses",
            help="Item answers in form order, e.g. 0,1,2,... ('-' or a pipe: read stdin).",
        ),
    ] = None,
    total: Annotated[
        str | None,
        typer.Option("--total", help="The total only (ORS, CORE-10 and scales without items)."),
    ] = None,
    session: Annotated[int | None, typer.Option("--session", min=1, help="Session.")] = None,
    # Checked with the date, after scored answers are known: a refused command still warns
    # about an endorsed PHQ-9 item 9. A bad value is the same usage error (exit 2) as elsewhere.
    rater: RaterOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A note; '-' reads it from stdin.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a date more than a year ago, or an entry for a discharged client.",
        ),
    ] = False,
    screening: Annotated[
        bool,
        typer.Option(
            "--screening",
            help="Record it on the client as a screening, not on a goal (the default when no "
            "active goal is measured by it: an intake questionnaire).",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Administer an instrument (interactively on a terminal, else from --responses or stdin),
    score it, and log the total to the client's goals measured by it."""
    instrument = registry().require(parse_measure_key(instrument_key, "instrument"))
    given_total = parse_number(total, "total") if total is not None else None
    reads_stdin = responses == "-" or (
        responses is None and given_total is None and not sys.stdin.isatty()
    )
    if note == "-" and reads_stdin:
        raise InvalidValueError("stdin can carry the responses or the note, not both")
    # Everything that can be checked before the answers is checked first, so that a client
    # never answers a whole questionnaire only to learn it cannot be saved. When the answers
    # came up front (a script), they are scored before any refusal, so that an endorsed
    # item 9 always warns, even when the entry cannot be stored.
    setup_error: InvalidValueError | typer.BadParameter | None = None
    on_date = date.today()
    rater_value: str | None = None
    try:
        on_date = parse_date(on, "date") if on else on_date
        if on_date > date.today():
            raise FieldError("date", f"must not be in the future (today is {date.today()})")
        rater_value = rater_option(rater)
    except (InvalidValueError, typer.BadParameter) as error:
        setup_error = error
    if responses is None and given_total is None and not reads_stdin:
        if setup_error is not None:
            raise setup_error
        record = store().load(client_id)
        if not operations.is_screening(
            record, instrument.key, goal, per_goal=instrument.per_goal, asked=screening
        ):
            scoring.target_goals(record, instrument.key, goal, instrument.per_goal)
    answers = _answers(client_id, instrument, responses, given_total)
    value, flags = scoring.score(instrument, answers, given_total)
    administration = scoring.Administration(
        client=client_id,
        instrument=instrument.key,
        date=on_date,
        total=value,
        band=instrument.band_for(value),
        responses=answers,
        flags=flags,
        per_goal=instrument.per_goal,
    )
    early: list[str] = []
    entry_note: str | None = None

    def apply(record: ClientRecord) -> None:
        operations.require_in_care(record, force)
        if operations.is_screening(
            record, instrument.key, goal, per_goal=instrument.per_goal, asked=screening
        ):
            operations.record_screening(
                record,
                administration,
                session=session,
                rater=rater_value,
                note=entry_note,
                check_dates=True,
                force=force,
            )
            early[:] = [line for line in [operations.before_start(record, on_date)] if line]
            return
        operations.record_administration(
            record,
            administration,
            goal,
            session=session,
            rater=rater_value,
            note=entry_note,
            check_dates=True,
            force=force,
        )
        early[:] = [line for line in [operations.before_start(record, on_date)] if line]
        for logged in administration.entries:  # a template's target waiting for a baseline
            early.extend(deferred_target(record, logged["goal"], registry()))

    try:
        if setup_error is not None:
            raise setup_error
        entry_note = read_text_argument(note)
        store().update(client_id, apply)
    finally:
        if EntryFlag.RISK_ITEM9 in flags:  # shown even when saving failed: never silent
            saved = bool(administration.entries)
            _warn_risk(client_id, administration.instrument, answers or [], saved)
    for line in early:
        say(line)
    if EntryFlag.ITEM9_NOT_ASSESSED in flags:
        say(
            "goaltrack: note: PHQ-9 total only: item 9 (thoughts of death or self-harm) was "
            "not assessed; recorded as item9-not-assessed"
        )
    _report(administration, instrument, fmt, as_json)


def _answers(
    client_id: str, instrument: Instrument, responses: str | None, total: int | float | None
) -> list[int] | None:
    """Item answers from --responses, stdin, or an interactive session (with its review
    screen); None for a total."""
    if responses is None and total is not None:
        return None
    if not instrument.items:
        raise InvalidValueError(
            f"{instrument.key} is totals only: its licence or the lack of item texts forbids "
            f"item-by-item administration; give --total (e.g. --total {instrument.max:g})"
        )
    form = scoring.require_form(instrument.key)
    if responses is not None and responses != "-":
        return form.parse_responses(responses)
    if responses is None and sys.stdin.isatty():
        answers: list[int] = []
        try:
            return questionnaire.administer(form, instrument, sys.stdin, sys.stderr, answers)
        except InputError:
            if len(answers) == form.size and form.safety_endorsed(answers):  # never silent
                _warn_risk(client_id, instrument.key, answers, saved=False)
            raise
    return form.parse_responses(sys.stdin.read())


def _flags_text(flags: list[EntryFlag]) -> str | None:
    """The flags in words for the table: "item 9 not assessed" is not the same as none."""
    words = {EntryFlag.ITEM9_NOT_ASSESSED: "item 9 not assessed"}
    return ", ".join(words.get(flag, flag.value) for flag in flags) or None


def _warn_risk(client_id: str, instrument_key: str, answers: list[int], saved: bool) -> None:
    """The prominent stderr warning for an endorsed PHQ-9 item 9."""
    form = forms.get_form(instrument_key)
    answer = answers[8] if len(answers) >= 9 else None
    label = f" ({form.option_label(answer)})" if form and answer is not None else ""
    lines = [
        f"RISK: {client_id} answered {answer}{label} to PHQ-9 item 9 (thoughts of being "
        "better off dead or of hurting themselves).",
        "Follow up with the client now (safety assessment); the flag stays open on `show`, "
        "`progress` and `attention` until a later PHQ-9 has item 9 = 0 or `goaltrack "
        "risk-review` records your assessment.",
    ]
    if not saved:
        lines.append("This administration was NOT saved (see the error below).")
    banner(lines)


def _report(
    administration: scoring.Administration,
    instrument: Instrument,
    fmt: OutputFormat,
    as_json: bool,
) -> None:
    data = administration.as_dict()
    goals = ", ".join(str(entry["goal"]) for entry in administration.entries)
    screened = any(entry["goal"] is None for entry in administration.entries)
    # one row per entry: the goal and entry columns say what `entries` holds, so the rows do
    # not repeat it as a JSON cell too
    shared = {key: value for key, value in data.items() if key != "entries"}
    rows = [
        {**shared, "goal": entry["goal"], "entry": entry["id"]} for entry in administration.entries
    ]
    report = Report(
        document={"administration": data},
        rows=rows,
        columns=[
            Column("client", "Client"),
            Column("instrument", "Instrument"),
            Column("date", "Date"),
            Column("total", "Total", numeric=True),
            Column("band", "Band"),
            Column("goal", "Goal", numeric=True),
            Column("entry", "Entry"),
            Column("flags", "Flags"),
            Column("responses", "Responses"),
        ],
        title=f"{instrument.name}: {administration.client}, {administration.date.isoformat()}",
        fields=[
            ("Total", f"{administration.total:g} of {instrument.range_text()}"),
            ("Band", administration.band),
            (
                "Logged to",
                "the client, as a screening (no goal)"
                if screened
                else (f"goal {goals}" if goals else None),
            ),
            ("Flags", _flags_text(administration.flags)),
        ],
    )
    if fmt is OutputFormat.TABLE and not as_json:
        report.columns = []
    output(report, fmt, as_json)
