"""Reading bulk-import input: CSV or JSON Lines rows into typed operations, with line numbers.

A row is a progress entry unless its `type` says `client` or `goal` (docs/formats.md,
'import'). Every field is checked here for its shape (number, date, choice); whether it fits
the client's data (goal exists, value in range, date not in the future) is checked when the
operation is applied to the record, by the same core functions the CLI uses.

Error messages name the line and the field and never quote a cell: a shifted CSV column can
put note text where a number was expected, and stderr often ends up in logs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Any, TypeVar

from goaltrack.operations import EntryFields, GoalFields
from goaltrack.records.model import (
    ENTRY_ID_PATTERN,
    MEASURE_KEY_PATTERN,
    Approach,
    ClientStatus,
    GoalKind,
    GoalStatus,
    Priority,
    Rater,
    Severity,
    is_valid_client_id,
)

E = TypeVar("E", bound=Enum)

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


class InputFormat(StrEnum):
    """What `import` reads: rows as CSV or JSON Lines, or a full JSON dump from `export`."""

    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"


class RowType(StrEnum):
    """What a row creates: a progress entry (the default), a goal, or a client."""

    ENTRY = "entry"
    GOAL = "goal"
    CLIENT = "client"


#: Columns (CSV) or keys (JSON Lines) each row type may fill, besides `type` and `client`.
ROW_FIELDS: dict[RowType, tuple[str, ...]] = {
    RowType.ENTRY: ("goal", "date", "value", "session", "rater", "note", "id", "measure"),
    RowType.GOAL: (
        "goal",
        "kind",
        "title",
        "measure",
        "baseline",
        "target",
        "due",
        "priority",
        "status",
        "approach",
        "created",
    ),
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


@dataclass
class ParsedRows:
    """The operations read from the input, the errors found, and how many rows were read."""

    ops: list[Op] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


class _FieldError(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def detect_format(name: str | None, text: str) -> InputFormat:
    """The input format from the file's extension, else from its first character."""
    if name and name != "-":
        lowered = name.lower()
        if lowered.endswith(".csv") or lowered.endswith(".tsv"):
            return InputFormat.CSV
        if lowered.endswith((".jsonl", ".ndjson")):
            return InputFormat.JSONL
        if lowered.endswith(".json"):
            return InputFormat.JSON
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return InputFormat.CSV
    first_line = stripped.split("\n", 1)[0].strip()
    try:
        first = json.loads(first_line)
    except ValueError:
        return InputFormat.JSON  # a multi-line JSON document: the dump
    return (
        InputFormat.JSON if isinstance(first, dict) and "clients" in first else (InputFormat.JSONL)
    )


def read_rows(text: str, fmt: InputFormat) -> ParsedRows:
    """Parse CSV or JSON Lines text into operations, collecting every error with its line."""
    parsed = ParsedRows()
    raw = _csv_rows(text, parsed) if fmt is InputFormat.CSV else _jsonl_rows(text, parsed)
    for line, row in raw:
        parsed.rows += 1
        try:
            parsed.ops.append(parse_row(line, row))
        except _RowInvalid as invalid:
            parsed.errors.extend(invalid.errors)
    return parsed


def _csv_rows(text: str, parsed: ParsedRows) -> list[tuple[int, dict[str, Any]]]:
    import csv
    import io

    text = text.removeprefix("\ufeff")
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        header = next(reader, None)
        if header is None:
            return rows
        columns = [cell.strip().lower() for cell in header]
        if not _check_columns(columns, "line 1", parsed):
            return rows
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                parsed.errors.append(
                    RowError(
                        f"line {line}",
                        f"{len(cells)} cells but the header has {len(columns)} "
                        "(a comma in an unquoted note?)",
                    )
                )
                continue
            rows.append(
                (
                    line,
                    {
                        column: _unescape_formula(cell)
                        for column, cell in zip(columns, cells, strict=False)
                        if cell.strip()
                    },
                )
            )
    except csv.Error:
        parsed.errors.append(
            RowError(f"line {reader.line_num}", "malformed CSV (unbalanced quotes?)")
        )
    return rows


def _unescape_formula(cell: str) -> str:
    """Undo the apostrophe CSV output puts before text that a spreadsheet would run."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def _jsonl_rows(text: str, parsed: ParsedRows) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    # Only "\n" ends a JSON Lines record: U+2028 or NEL inside a note are text, not breaks.
    lines = [raw.removesuffix("\r") for raw in text.removeprefix("\ufeff").split("\n")]
    for line, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except ValueError:
            parsed.errors.append(RowError(f"line {line}", "not valid JSON"))
            continue
        if not isinstance(row, dict):
            parsed.errors.append(RowError(f"line {line}", "must be a JSON object"))
            continue
        row = {str(key).strip().lower(): value for key, value in row.items()}
        if _check_columns(list(row), f"line {line}", parsed):
            rows.append((line, {key: value for key, value in row.items() if value is not None}))
    return rows


def _check_columns(columns: list[str], where: str, parsed: ParsedRows) -> bool:
    ok = True
    # Columns are named by position only: a file without a header row would otherwise put
    # the first row's cells (a note, say) into an error message.
    for position, column in enumerate(columns, start=1):
        if column not in KNOWN_COLUMNS:
            parsed.errors.append(
                RowError(
                    where,
                    f"column {position} is not a known column name (is the header row "
                    f"missing?); known: {', '.join(KNOWN_COLUMNS)}",
                )
            )
            ok = False
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if column in seen and column in KNOWN_COLUMNS:
            parsed.errors.append(RowError(where, f"column {position} ({column}) appears twice"))
            ok = False
        seen.add(column)
    if "client" not in columns and where == "line 1":
        parsed.errors.append(RowError(where, "no 'client' column"))
        ok = False
    return ok


class _RowInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("invalid row")
        self.errors = errors


def parse_row(line: int, row: dict[str, Any]) -> Op:
    """One row (column -> value) as an operation; raises with every field error of the row."""
    where = f"line {line}"
    errors: list[RowError] = []

    def get(name: str, convert: Any, *args: Any) -> Any:
        if name not in row:
            return None
        try:
            return convert(name, row[name], *args)
        except _FieldError as error:
            errors.append(RowError(f"{where}, field {error.field_name}", error.message))
            return None

    row_type = get("type", _choice, RowType) or RowType.ENTRY
    client_id = get("client", _client_id)
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
        op = _entry_op(line, client_id, get)
    elif row_type is RowType.GOAL:
        op = _goal_op(line, client_id, get)
    else:
        op = _client_op(line, client_id, get)
    if errors or op is None:
        raise _RowInvalid(errors or [RowError(where, "invalid row")])
    return op


def _entry_op(line: int, client_id: str | None, get: Any) -> EntryOp | None:
    goal = get("goal", _integer)
    on = get("date", _date)
    value = get("value", _number)
    session = get("session", _integer)
    rater = get("rater", _choice, Rater)
    note = get("note", _note)
    entry = None
    if on is not None and value is not None:
        entry = EntryFields(value=value, date=on, session=session, rater=rater, note=note)
    entry_id = get("id", _entry_id)
    measure = get("measure", _measure)
    if client_id is None or goal is None or entry is None:
        return None
    return EntryOp(line, client_id, goal, entry, entry_id, measure)


def _goal_op(line: int, client_id: str | None, get: Any) -> GoalOp | None:
    number = get("goal", _integer)
    fields = GoalFields(
        kind=get("kind", _choice, GoalKind),
        title=get("title", _text),
        measure=get("measure", _measure),
        baseline=get("baseline", _number),
        target=get("target", _number),
        due=get("due", _date),
        priority=get("priority", _choice, Priority),
        status=get("status", _choice, GoalStatus),
        approach=get("approach", _choice, Approach),
    )
    created = get("created", _date)
    if client_id is None or number is None or fields.kind is None or fields.title is None:
        return None
    return GoalOp(line, client_id, number, fields, created)


def _client_op(line: int, client_id: str | None, get: Any) -> ClientOp | None:
    op = ClientOp(
        line=line,
        client_id=client_id or "",
        name=get("name", _text),
        status=get("status", _choice, ClientStatus),
        created=get("created", _date),
        concerns=tuple(get("concerns", _concerns) or ()),
        approaches=tuple(get("approaches", _approaches) or ()),
        notes=get("note", _note),
    )
    return op if client_id is not None else None


# ---- field converters: (field name, raw value) -> typed value, or _FieldError ------------


def _as_text(name: str, value: Any) -> str:
    if isinstance(value, bool | dict | list):
        raise _FieldError(name, "must be text")
    return str(value)


def _text(name: str, value: Any) -> str:
    text = _as_text(name, value).strip()
    if not text:
        raise _FieldError(name, "is blank")
    return text


def _note(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _FieldError(name, "must be text")
    return value


def _client_id(name: str, value: Any) -> str:
    text = _as_text(name, value).strip()
    if not is_valid_client_id(text):
        raise _FieldError(
            name,
            "not a valid client id (1-64 of a-z, 0-9, '-', '_', starting with a letter or digit)",
        )
    return text


def _entry_id(name: str, value: Any) -> str:
    text = _as_text(name, value).strip()
    if ENTRY_ID_PATTERN.fullmatch(text) is None:
        raise _FieldError(name, "not a valid entry id (1-64 letters, digits, '-' or '_')")
    return text


def _measure(name: str, value: Any) -> str:
    text = _as_text(name, value).strip().lower()
    if MEASURE_KEY_PATTERN.fullmatch(text) is None:
        raise _FieldError(name, "not a valid measure key (e.g. phq9, gad7, gbo)")
    return text


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _FieldError(name, "must be a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise _FieldError(name, "must be a whole number")
    if value < 1:
        raise _FieldError(name, "must be 1 or more")
    return value


def _number(name: str, value: Any) -> int | float:
    if isinstance(value, bool):
        raise _FieldError(name, "must be a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _FieldError(name, "must be a finite number")
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    raise _FieldError(name, "must be a number (use a dot for decimals, e.g. 6.5)")


def _date(name: str, value: Any) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise _FieldError(name, "must be a date as YYYY-MM-DD") from None


def _choice(name: str, value: Any, enum: type[E]) -> E:
    text = _as_text(name, value).strip().lower()
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise _FieldError(name, f"must be one of: {allowed}") from None


def _items(name: str, value: Any) -> list[str]:
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise _FieldError(name, "must be a list of text")
        return [item.strip() for item in value if item.strip()]
    return [item.strip() for item in _as_text(name, value).split(";") if item.strip()]


def _concerns(name: str, value: Any) -> list[tuple[str, Severity | None]]:
    concerns: list[tuple[str, Severity | None]] = []
    for item in _items(name, value):
        label, _, severity = item.rpartition(":") if ":" in item else (item, "", "")
        label = label.strip()
        if not label:
            raise _FieldError(name, "each concern needs a name: NAME[:SEVERITY];...")
        concerns.append((label, _choice(name, severity, Severity) if severity.strip() else None))
    return concerns


def _approaches(name: str, value: Any) -> list[Approach]:
    return [_choice(name, item, Approach) for item in _items(name, value)]
