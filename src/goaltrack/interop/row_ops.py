"""Turning one raw row (column -> value) into a typed operation: a client, a goal or an entry.

A row is a progress entry unless its `type` says `client` or `goal` (docs/formats.md,
'import'). Every cell goes through the converters of `goaltrack.records.convert`, the same
ones the command line uses, so a value gets the same answer typed or imported. Whether it fits
the client's data (goal exists, value in range, date not in the future) is checked when the
operation is applied, by `goaltrack.operations`. Reading the text into raw rows is
`goaltrack.interop.rows`.

Error messages name the line and the field (`line N, field F: RULE`) and never quote a cell:
a shifted CSV column can put note text where a number was expected, and stderr often ends up
in logs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from goaltrack.errors import FieldError
from goaltrack.operations import EntryFields, GoalFields
from goaltrack.records.convert import (
    parse_answers,
    parse_approaches,
    parse_choice,
    parse_client_id,
    parse_concerns,
    parse_entry_id,
    parse_file_date,
    parse_flags,
    parse_line,
    parse_measure_key,
    parse_note,
    parse_number,
    parse_rater,
    parse_whole_number,
)
from goaltrack.records.enums import (
    GOAL_COLUMNS,
    Approach,
    ClientStatus,
    GoalKind,
    GoalStatus,
    Priority,
    Severity,
)

__all__ = [
    "KNOWN_COLUMNS",
    "REQUIRED",
    "ROW_FIELDS",
    "ClientOp",
    "EntryOp",
    "GoalOp",
    "Op",
    "RowError",
    "RowInvalid",
    "RowType",
    "parse_row",
]


class RowType(StrEnum):
    """What a row creates: a progress entry (the default), a goal, or a client."""

    ENTRY = "entry"
    GOAL = "goal"
    CLIENT = "client"


#: Columns (CSV) or keys (JSON Lines) each row type may fill, besides `type` and `client`.
ROW_FIELDS: dict[RowType, tuple[str, ...]] = {
    RowType.ENTRY: (
        *("goal", "date", "value", "session", "rater", "note", "id", "measure"),
        *("flags", "answers"),
    ),
    RowType.GOAL: GOAL_COLUMNS,
    RowType.CLIENT: ("name", "status", "created", "concerns", "approaches", "note"),
}
KNOWN_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(("type", "client", *[c for cols in ROW_FIELDS.values() for c in cols]))
)
REQUIRED: dict[RowType, tuple[str, ...]] = {
    RowType.ENTRY: ("goal", "date", "value"),
    RowType.GOAL: ("goal", "kind", "title"),
    RowType.CLIENT: (),
}


@dataclass(frozen=True)
class RowError:
    """One reason an import is refused: where (a line, or a client in a dump) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class ClientOp:
    """A `type=client` row: create this client if it does not exist."""

    line: int
    client_id: str
    name: str | None = None
    status: ClientStatus | None = None
    created: date | None = None
    concerns: tuple[tuple[str, Severity | None], ...] = ()
    approaches: tuple[Approach, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class GoalOp:
    """A `type=goal` row: create goal `number` of the client if it does not exist."""

    line: int
    client_id: str
    number: int
    fields: GoalFields
    created: date | None = None


@dataclass(frozen=True)
class EntryOp:
    """A progress entry row: log `entry` on goal `goal` unless it is already there."""

    line: int
    client_id: str
    goal: int
    entry: EntryFields
    entry_id: str | None = None
    measure: str | None = None


Op = ClientOp | GoalOp | EntryOp


class RowInvalid(Exception):
    """A row that cannot become an operation; `errors` holds every field error of the row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("invalid row")
        self.errors = errors


#: Conversions that are pure functions of the text and give an immutable value: a run of
#: rows repeats the same client, goal, type, rater, dates and values thousands of times.
_REPEATABLE = frozenset(
    {parse_choice, parse_client_id, parse_whole_number, parse_file_date, parse_number, parse_rater}
)
_UNSEEN = object()


def parse_row(
    line: int,
    row: dict[str, Any],
    raters: Sequence[str] = (),
    converted: dict[tuple[Any, ...], Any] | None = None,
) -> Op:
    """One row (column -> value) as an operation; raises RowInvalid with every field error.
    `raters`: the home's extra rater names, accepted beside the documented ones.

    `converted`, shared by the rows of one input, keeps what the pure conversions gave for a
    text (a failure is converted again, so each row reports its own errors).
    """
    where = f"line {line}"
    errors: list[RowError] = []
    raters = tuple(raters)  # a conversion's arguments are part of its key: hashable

    def get(name: str, convert: Callable[..., Any], *args: Any) -> Any:
        if name not in row:
            return None
        value = row[name]
        key = None
        if converted is not None and type(value) is str and convert in _REPEATABLE:
            key = (convert, name, value, *args)
            known = converted.get(key, _UNSEEN)
            if known is not _UNSEEN:
                return known
        try:
            result = convert(value, name, *args)
        except FieldError as error:
            errors.append(RowError(f"{where}, field {error.field}", error.rule))
            return None
        if key is not None and converted is not None:
            converted[key] = result
        return result

    row_type = get("type", parse_choice, RowType) or RowType.ENTRY
    client_id = get("client", parse_client_id)
    if "client" not in row:
        errors.append(RowError(f"{where}, field client", "missing"))
    for name in row:
        if name not in ("type", "client") and name not in ROW_FIELDS[row_type]:
            errors.append(RowError(f"{where}, field {name}", f"not used on {row_type} rows"))
    for name in REQUIRED[row_type]:
        if name not in row:
            errors.append(
                RowError(f"{where}, field {name}", f"missing (required on {row_type} rows)")
            )
    op: Op | None = None
    if row_type is RowType.ENTRY:
        op = _entry_op(line, client_id, get, raters)
    elif row_type is RowType.GOAL:
        op = _goal_op(line, client_id, get)
    else:
        op = _client_op(line, client_id, get)
    if errors or op is None:
        raise RowInvalid(errors or [RowError(where, "invalid row")])
    return op


Getter = Callable[..., Any]


def _entry_op(
    line: int, client_id: str | None, get: Getter, raters: Sequence[str]
) -> EntryOp | None:
    goal = get("goal", parse_whole_number)
    on = get("date", parse_file_date)
    value = get("value", parse_number)
    session = get("session", parse_whole_number)
    rater = get("rater", parse_rater, raters)
    note = get("note", parse_note)
    # an exported flag or answers come back with the entry: a safety signal is never dropped
    flags = get("flags", parse_flags) or None
    answers = get("answers", parse_answers) or None
    entry_id = get("id", parse_entry_id)
    measure = get("measure", parse_measure_key)
    entry = None
    if on is not None and value is not None:
        entry = EntryFields(
            value=value,
            date=on,
            session=session,
            rater=rater,
            note=note,
            instrument=measure if answers else None,
            responses=answers,
            flags=flags,
        )
    if client_id is None or goal is None or entry is None:
        return None
    return EntryOp(line, client_id, goal, entry, entry_id, measure)


def _goal_op(line: int, client_id: str | None, get: Getter) -> GoalOp | None:
    number = get("goal", parse_whole_number)
    fields = GoalFields(
        kind=get("kind", parse_choice, GoalKind),
        title=get("title", parse_line),
        measure=get("measure", parse_measure_key),
        baseline=get("baseline", parse_number),
        target=get("target", parse_number),
        due=get("due", parse_file_date),
        priority=get("priority", parse_choice, Priority),
        status=get("status", parse_choice, GoalStatus),
        approach=get("approach", parse_choice, Approach),
    )
    created = get("created", parse_file_date)
    if client_id is None or number is None or fields.kind is None or fields.title is None:
        return None
    return GoalOp(line, client_id, number, fields, created)


def _client_op(line: int, client_id: str | None, get: Getter) -> ClientOp | None:
    op = ClientOp(
        line=line,
        client_id=client_id or "",
        name=get("name", parse_line),
        status=get("status", parse_choice, ClientStatus),
        created=get("created", parse_file_date),
        concerns=tuple(get("concerns", parse_concerns) or ()),
        approaches=tuple(get("approaches", parse_approaches) or ()),
        notes=get("note", parse_note),
    )
    return op if client_id is not None else None
