"""The read models of `instruments` (one instrument's facts) and `items` (a client's answers
to a form, item by item), as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goaltrack.measures.forms import Form
from goaltrack.measures.forms import Item as FormItem
from goaltrack.measures.instruments import Instrument
from goaltrack.records.model import ClientRecord


def instrument_row(instrument: Instrument) -> dict[str, Any]:
    """One instrument as plain data (the JSON contract of `goaltrack instruments`)."""
    points = instrument.reliable_change_points()
    rule = instrument.change_rule()
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
        "caseness": _tidy(instrument.caseness),
        "meaningful_change": _tidy(instrument.meaningful_change),
        "rule": rule.text if rule else None,
        "rule_source": rule.source if rule else None,
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
    """Where an instrument's reliable change figure comes from, if it has one."""
    if instrument.reliable_change is not None:
        return "published"
    if instrument.reliable_change_points() is not None:
        return "jacobson-truax"
    return None


#: How much of an item's wording the `items` grid shows beside its number.
ITEM_TEXT_ROOM = 30
#: The keys of one `items` machine row, in order (the CSV header even without rows).
ITEM_ROW_FIELDS = ["client", "instrument", "date", "entries", "goals", "item", "text", "answer"]


@dataclass(frozen=True)
class ItemGrid:
    """The answers of a client's administrations of one form, item by item.

    `rows` are the machine rows (one per administration and item); `grid` the rows of the
    table for people (one per item, then the total), with `headers` naming its columns
    `a0`, `a1`, ... (the administrations' dates, oldest first).
    """

    rows: list[dict[str, Any]]
    grid: list[dict[str, Any]]
    headers: list[str]


def item_grid(record: ClientRecord, form: Form) -> ItemGrid:
    """Every stored administration of `form`, item by item, so a clinician sees which
    symptoms moved: the intake screenings (no goal) and the goals' entries. One
    administration logged to several goals counts once; an endorsed safety item (PHQ-9
    item 9) is marked "!" on its answer and on its row label."""
    administrations: dict[tuple[Any, ...], dict[str, Any]] = {}
    screenings = [(None, s) for s in sorted(record.client.screenings, key=lambda s: s.date)]
    logged = [
        (goal.number, entry)
        for goal in sorted(record.goals, key=lambda g: g.number)
        for entry in goal.entries_in_order()
    ]
    for number, entry in [*screenings, *logged]:
        if entry.instrument != form.key or not entry.responses:
            continue
        key = (entry.date, entry.session, entry.rater, tuple(entry.responses))
        blank = {"date": entry.date, "entries": [], "goals": []}
        given = administrations.setdefault(
            key, {**blank, "answers": entry.responses, "total": entry.value}
        )
        given["entries"].append(entry.id)
        if number is not None:
            given["goals"].append(number)
    ordered = sorted(administrations.values(), key=lambda given: given["date"])
    rows = [
        {
            "client": record.client.id,
            "instrument": form.key,
            "date": given["date"],
            "entries": given["entries"],
            "goals": given["goals"],
            "item": item.number,
            "text": item.text,
            "answer": answer,
        }
        for given in ordered
        for item, answer in zip(form.items, given["answers"], strict=False)
    ]
    grid = [
        {
            "item": item_label(item),
            **{
                f"a{index}": _answer_cell(item, given["answers"], position, form.item_min)
                for index, given in enumerate(ordered)
            },
        }
        for position, item in enumerate(form.items)
    ]
    grid.append({"item": "Total", **{f"a{i}": given["total"] for i, given in enumerate(ordered)}})
    return ItemGrid(
        rows=rows, grid=grid if ordered else [], headers=[g["date"].isoformat() for g in ordered]
    )


def item_label(item: FormItem) -> str:
    """An item's number and wording cut to ITEM_TEXT_ROOM; "!" marks a safety item."""
    text = item.text if len(item.text) <= ITEM_TEXT_ROOM else item.text[: ITEM_TEXT_ROOM - 1] + "…"
    return f"{item.number:>2}{'!' if item.safety else ' '} {text}"


def _answer_cell(item: FormItem, answers: list[int], position: int, lowest: int) -> str | None:
    """One answer as shown in the grid: "2!" for an endorsed safety item; None if missing."""
    if position >= len(answers):
        return None
    answer = answers[position]
    return f"{answer}!" if item.safety and answer > lowest else str(answer)
