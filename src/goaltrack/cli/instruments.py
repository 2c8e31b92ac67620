"""The `instruments` command: the registry of measures, as a list or one in detail."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack import instrument_views
from goaltrack.cli.common import (
    FormatOption,
    JsonOption,
    command_group,
    output,
    registry,
    store,
    warn,
)
from goaltrack.errors import EXIT_DATA
from goaltrack.records.convert import parse_measure_key
from goaltrack.render.report import Column, OutputFormat, Report, Section

commands = command_group()

INSTRUMENT_COLUMNS = [
    Column("key", "Key"),
    Column("name", "Name", wrap=True, drop=6),
    Column("range", "Range"),
    Column("better", "Better", drop=3),
    Column("cutoff", "Cutoff", numeric=True, drop=4),
    Column("reliable_change", "RC", numeric=True, drop=5),
    Column("administration", "Given as", drop=2),
    Column("origin", "From", drop=1),
]

BAND_COLUMNS = [
    Column("low", "From", numeric=True),
    Column("high", "To", numeric=True),
    Column("label", "Band", wrap=True),
]


@commands.command("instruments")
def list_instruments(
    key: Annotated[
        str | None, typer.Argument(help="Show one instrument in detail (e.g. phq9).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List the measures goals can use, or show one: range, bands, cutoff, reliable change.

    What is broken in the user's instruments.toml is named on stderr, one line each, after
    the valid instruments are shown, and the exit code is then 3."""
    known = registry(warn_broken=False)
    if key is None:
        rows = [instrument_views.instrument_row(instrument) for instrument in known.all()]
        report = Report(
            document={"instruments": rows},
            rows=rows,
            columns=INSTRUMENT_COLUMNS,
            footnotes=[
                "RC = reliable change in points. Your own scales: "
                f"{store().home / 'instruments.toml'} (see docs/instruments.md)."
            ],
        )
        output(report, fmt, as_json)
        _report_broken(known.problems())
        return
    instrument = known.require(parse_measure_key(key, "instrument"))
    row = instrument_views.instrument_row(instrument)
    rc = row["reliable_change"]
    rc_text = None
    if rc is not None:
        rc_text = f"{rc:g} points" + (
            " (Jacobson & Truax, from SD and reliability)"
            if row["reliable_change_from"] == "jacobson-truax"
            else ""
        )
    report = Report(
        document={"instrument": row},
        rows=[row],
        columns=INSTRUMENT_COLUMNS,
        title=f"{instrument.key} — {instrument.name}",
        fields=[
            ("Range", f"{row['range']}" + (" (whole numbers)" if instrument.integer else "")),
            ("Better", row["better"]),
            ("Cutoff", row["cutoff"]),
            ("Caseness", row["caseness"]),
            ("Reliable change", rc_text),
            (
                "Meaningful change",
                f"{row['meaningful_change']:g} points (clinically meaningful, not a reliable "
                "change)"
                if row["meaningful_change"] is not None
                else None,
            ),
            ("Change rule", row["rule"]),
            ("Rule source", row["rule_source"]),
            ("LOINC", row["loinc"]),
            ("Given as", row["administration"]),
            ("Licence", row["licence"] or None),
            ("Source", row["source"] or None),
            ("Note", row["note"]),
            ("From", row["file"] or "built-in"),
        ],
        sections=[Section("Severity bands", BAND_COLUMNS, row["bands"], empty="none")],
    )
    output(report, fmt, as_json)
    _report_broken(known.problems())


def _report_broken(problems: list[str]) -> None:
    """Name each problem of the user's instruments file on stderr; then exit 3."""
    for problem in problems:
        warn(problem)
    if problems:
        raise typer.Exit(EXIT_DATA)
