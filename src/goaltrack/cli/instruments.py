"""The `instruments` command: the registry of measures, as a list or one in detail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from goaltrack.cli.common import FormatOption, JsonOption, output, store
from goaltrack.records.convert import parse_measure_key
from goaltrack.render.output import Column, OutputFormat, Report, Section

if TYPE_CHECKING:
    from goaltrack.measures.instruments import Instrument, Registry

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


def registry() -> Registry:
    """The instruments this invocation knows: built-ins plus $GOALTRACK_HOME/instruments.toml."""
    from goaltrack.measures.instruments import (
        load_registry,  # only commands that check values need it
    )

    return load_registry(store().home)


def instrument_row(instrument: Instrument) -> dict[str, Any]:
    """One instrument as plain data (the JSON contract of `goaltrack instruments`)."""
    points = instrument.reliable_change_points()
    return {
        "key": instrument.key,
        "name": instrument.name,
        "min": _tidy(instrument.min),
        "max": _tidy(instrument.max),
        "range": instrument.range_text(),
        "integer": instrument.integer,
        "better": instrument.better.value,
        "cutoff": _tidy(instrument.cutoff),
        "reliable_change": _tidy(round(points, 2)) if points is not None else None,
        "reliable_change_from": _rc_origin(instrument),
        "sd": instrument.sd,
        "reliability": instrument.reliability,
        "bands": [
            {"low": _tidy(band.low), "high": _tidy(band.high), "label": band.label}
            for band in instrument.bands
        ],
        "loinc": instrument.loinc,
        "administration": _administration(instrument),
        "licence": instrument.licence,
        "source": instrument.source,
        "note": instrument.note,
        "origin": "built-in" if instrument.origin == "built-in" else "instruments.toml",
        "file": None if instrument.origin == "built-in" else instrument.origin,
    }


def _administration(instrument: Instrument) -> str:
    """How values are given: item by item, as a one-number rating, or as a form's total."""
    if instrument.items:
        return "items"
    return "rating" if instrument.per_goal else "totals only"


def _tidy(value: float | None) -> int | float | None:
    """Whole numbers as ints (10, not 10.0) in every format."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _rc_origin(instrument: Instrument) -> str | None:
    if instrument.reliable_change is not None:
        return "published"
    if instrument.reliable_change_points() is not None:
        return "jacobson-truax"
    return None


def list_instruments(
    key: Annotated[
        str | None, typer.Argument(help="Show one instrument in detail (e.g. phq9).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List the measures goals can use, or show one: range, bands, cutoff, reliable change."""
    known = registry()
    if key is None:
        rows = [instrument_row(instrument) for instrument in known.all()]
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
        return
    instrument = known.require(parse_measure_key(key, "instrument"))
    row = instrument_row(instrument)
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
            ("Reliable change", rc_text),
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
