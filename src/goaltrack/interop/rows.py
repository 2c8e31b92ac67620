"""Reading bulk-import input: CSV or JSON Lines rows into typed operations, with line numbers.

A row is a progress entry unless its `type` says `client` or `goal` (docs/formats.md,
'import'). This module reads rows (CSV or JSON Lines into column dicts, header checks, line
numbers) and turns each into an operation; every cell goes through the converters of
`goaltrack.records.convert`, the same ones the command line uses, so a value gets the same
answer typed or imported. Whether it fits the client's data (goal exists, value in range,
date not in the future) is checked when the operation is applied, by `goaltrack.operations`.

Error messages name the line and the field (`line N, field F: RULE`) and never quote a cell:
a shifted CSV column can put note text where a number was expected, and stderr often ends up
in logs.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from goaltrack.errors import FieldError
from goaltrack.interop.formats import InputFormat
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
    "InputFormat",
    "Op",
    "ParsedRows",
    "RowError",
    "RowType",
    "detect_format",
    "parse_row",
    "read_rows",
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


@dataclass
class ParsedRows:
    """The operations read from the input, the errors found, and how many rows were read."""

    ops: list[Op] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


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


def read_rows(text: str, fmt: InputFormat, raters: Sequence[str] = ()) -> ParsedRows:
    """Parse CSV or JSON Lines text into operations, collecting every error with its line.
    `raters`: the home's extra rater names (config.toml), accepted beside the documented."""
    parsed = ParsedRows()
    raw = _csv_rows(text, parsed) if fmt is InputFormat.CSV else _jsonl_rows(text, parsed)
    converted: dict[tuple[Any, ...], Any] = {}  # shared by the rows: see parse_row
    for line, row in raw:
        parsed.rows += 1
        try:
            parsed.ops.append(parse_row(line, row, raters, converted))
        except _RowInvalid as invalid:
            parsed.errors.extend(invalid.errors)
    return parsed


def _csv_rows(text: str, parsed: ParsedRows) -> list[tuple[int, dict[str, Any]]]:
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
            row = json.loads(raw, object_pairs_hook=_unique_keys, parse_int=_json_integer)
        except _DuplicateKey as duplicate:
            parsed.errors.append(_duplicate_key_error(line, duplicate.key))
            continue
        except RecursionError:  # nested past what the parser can follow
            key = _deeply_nested_key(raw)
            where = f"line {line}" if key is None else f"line {line}, field {key}"
            parsed.errors.append(RowError(where, NESTING_RULE))
            continue
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


NESTING_RULE = "nested too deeply (must be a single value)"
#: How deep a row may nest before `_deeply_nested_key` names its field: far below the parser's
#: limit, far above anything a field can hold (a field is one value, nesting is refused anyway).
_NESTING_LIMIT = 100


def _json_integer(text: str) -> int | str:
    """A JSON integer, or its text when Python will not convert that many digits: the field's
    converter then refuses the text with the rule a CSV cell of those digits gets."""
    limit = sys.get_int_max_str_digits()
    return int(text) if limit == 0 or len(text.lstrip("-")) <= limit else text


def _deeply_nested_key(raw: str) -> str | None:
    """The top-level key of a JSON object text whose value nests past `_NESTING_LIMIT`
    (lowercased and stripped as row keys are), or None when no key holds it."""
    depth, in_string, escaped, start = 0, False, False, 0
    last_string: str | None = None
    key: str | None = None
    for index, char in enumerate(raw):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                last_string = raw[start : index + 1]
        elif char == '"':
            in_string, start = True, index
        elif char == ":" and depth == 1 and last_string is not None:
            try:
                key = str(json.loads(last_string)).strip().lower()
            except ValueError:
                key = None
        elif char in "[{":
            depth += 1
            if depth > _NESTING_LIMIT:
                return key
        elif char in "]}":
            depth -= 1
    return None


class _DuplicateKey(ValueError):
    """A JSON object names one key twice (ignoring case and surrounding spaces)."""

    def __init__(self, key: str) -> None:
        super().__init__("duplicate key")
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice instead of keeping the last.

    `json.loads` keeps the last of two equal keys silently, and keys are matched ignoring
    case (as CSV headers are), so `"value"` and `"VALUE"` would drop one value unseen.
    """
    seen: set[str] = set()
    for key, _ in pairs:
        name = key.strip().lower()
        if name in seen:
            raise _DuplicateKey(name)
        seen.add(name)
    return dict(pairs)


def _duplicate_key_error(line: int, key: str) -> RowError:
    """The error for a repeated key: the field is named only when it is a known column, so
    an unknown key (which may be note text) never reaches a message."""
    if key in KNOWN_COLUMNS:
        return RowError(f"line {line}, field {key}", "appears twice (keys ignore case)")
    return RowError(f"line {line}", "a key appears twice (keys ignore case)")


def _check_columns(columns: list[str], where: str, parsed: ParsedRows) -> bool:
    ok = True
    # Without a known column there is likely no header row: columns are then named by position
    # only, or the first row's cells (a note, say) would reach an error message. With a header,
    # the misnamed column is named, with the closest known name.
    has_header = any(column in KNOWN_COLUMNS for column in columns)
    for position, column in enumerate(columns, start=1):
        if column not in KNOWN_COLUMNS:
            parsed.errors.append(RowError(where, _unknown_column(position, column, has_header)))
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


def _unknown_column(position: int, column: str, has_header: bool) -> str:
    """What is wrong with an unknown column name, and the known name it is likely to mean."""
    closest = difflib.get_close_matches(column, KNOWN_COLUMNS, n=1, cutoff=0.6)
    if has_header and closest:  # only a near-miss of a column name is quoted, never a note
        return (
            f"column {position} ('{column}') is not a known column name; "
            f"did you mean '{closest[0]}'?"
        )
    known = f"known: {', '.join(KNOWN_COLUMNS)}"
    missing = "" if has_header else " (is the header row missing?)"
    return f"column {position} is not a known column name{missing}; {known}"


class _RowInvalid(Exception):
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
    """One row (column -> value) as an operation; raises with every field error of the row.
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
        raise _RowInvalid(errors or [RowError(where, "invalid row")])
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
