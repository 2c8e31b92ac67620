"""The `items` command: a client's answers to one questionnaire, item by item, over time."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    command_group,
    output,
    registry,
    store,
)
from goaltrack.errors import InvalidValueError
from goaltrack.measures import forms
from goaltrack.records.convert import parse_measure_key
from goaltrack.render.report import Column, OutputFormat, Report, Section

commands = command_group()

ITEM_FOOTNOTE = "! marks the safety item (PHQ-9 item 9) and an answer above 0 to it: follow up"


@commands.command("items")
def items(
    client_id: ClientIdArg,
    instrument_key: Annotated[
        str, typer.Argument(metavar="INSTRUMENT", help="Instrument key, e.g. phq9, gad7, rses.")
    ],
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """A questionnaire's answers item by item across a client's administrations."""
    from goaltrack import instrument_views  # the read models: loaded only when the command runs

    key = registry().require(parse_measure_key(instrument_key, "instrument")).key
    form = forms.get_form(key)
    if form is None:
        raise InvalidValueError(
            f"{key} is recorded as totals only: it has no item answers to show "
            f"(item by item: {', '.join(forms.administrable())})"
        )
    record = store().load(client_id)
    history = instrument_views.item_grid(record, form)
    # oldest dates are dropped first when the terminal is narrow; the latest always shows
    count = len(history.headers)
    columns = [Column("item", "Item")] + [
        Column(f"a{index}", header, numeric=True, drop=count - 1 - index)
        for index, header in enumerate(history.headers)
    ]
    marked = any(item.safety for item in form.items)
    report = Report(
        document={"client": client_id, "instrument": form.key, "items": history.rows},
        rows=history.rows,  # the machine rows: one per administration and item
        columns=[],
        keys=list(instrument_views.ITEM_ROW_FIELDS),
        title=f"{form.name} item by item: {client_id}",
        sections=[  # the grid for people: one row per item, one column per date
            Section(
                "Answers by date, oldest first",
                columns,
                history.grid,
                empty=f"no {form.key} answers yet: record them with `goaltrack measure`",
            )
        ],
        footnotes=[ITEM_FOOTNOTE] if marked and history.rows else [],
    )
    output(report, fmt, as_json)
