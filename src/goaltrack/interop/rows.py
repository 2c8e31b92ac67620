"""Reading bulk-import input: CSV or JSON Lines text into raw rows, with line numbers.

This module detects the input's format, reads CSV (delimiter, quoting, the formula escape
of our own CSV output) or JSON Lines (one object a line, no key given twice) into column
dicts, checks the column names, and hands each row to `goaltrack.interop.row_ops.parse_row`,
which turns it into an operation.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from goaltrack.interop.formats import InputFormat
from goaltrack.interop.row_ops import KNOWN_COLUMNS, Op, RowError, RowInvalid, parse_row

__all__ = [
    "InputFormat",
    "ParsedRows",
    "detect_format",
    "read_rows",
]


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
        except RowInvalid as invalid:
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
