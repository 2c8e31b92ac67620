"""One output layer for every read command: a Report rendered as table, JSON, JSONL or CSV.

Commands build a Report (plain data); the format is chosen once, here. Machine formats carry
no colour or decoration whatever the terminal; JSON carries a `format_version`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import IO, Any

FORMAT_VERSION = 1


class OutputFormat(StrEnum):
    """The formats every read command offers."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True)
class Column:
    """A column of a table or CSV: the row key, its header, and its alignment."""

    key: str
    header: str
    numeric: bool = False
    wrap: bool = False
    suffix: str = ""
    decimals: int | None = None
    drop: int = 0  # tables on narrow terminals drop columns with the highest `drop` first


@dataclass
class Section:
    """A titled table inside a human-readable report."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    empty: str = "none"


@dataclass
class Report:
    """The result of a read command, ready for any format.

    `document` is the JSON body; `rows` and `columns` are the flat records for JSONL and CSV
    (and the main table); `fields` and `sections` add detail to the human table.
    """

    document: dict[str, Any]
    rows: list[dict[str, Any]]
    columns: list[Column]
    title: str | None = None
    fields: list[tuple[str, Any]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    empty: str = "nothing to show"
    footnotes: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)  # safety alerts: shown first, never hidden
    keys: list[str] | None = None

    def csv_keys(self) -> list[str]:
        """CSV header: the declared keys, else every key of the rows in order of appearance."""
        if self.keys is not None:
            return self.keys
        if self.rows:
            return list(dict.fromkeys(key for row in self.rows for key in row))
        return [column.key for column in self.columns]


def emit(report: Report, fmt: OutputFormat, out: IO[str] | None = None) -> None:
    """Write a report to `out` (stdout) in the chosen format."""
    out = out or sys.stdout
    if report.alerts and fmt in (OutputFormat.CSV, OutputFormat.JSONL):
        for alert in report.alerts:  # flat rows have no place for them: never silent
            sys.stderr.write(f"goaltrack: warning: {alert}\n")
    # JSON stays valid on a stdout that cannot encode all of Unicode (PYTHONIOENCODING=ascii).
    ascii_only = not _writes_unicode(out)
    if fmt is OutputFormat.JSON:
        document = {"format_version": FORMAT_VERSION, **report.document}
        out.write(to_json(document, ascii_only=ascii_only) + "\n")
    elif fmt is OutputFormat.JSONL:
        for row in report.rows:
            line = json.dumps(_plain(row), ensure_ascii=ascii_only, separators=(",", ":"))
            out.write(line + "\n")
    elif fmt is OutputFormat.CSV:
        write_csv(report.rows, report.csv_keys(), out)
    else:
        from goaltrack.render.tables import print_report

        print_report(report, out)


def to_json(value: Any, ascii_only: bool = False) -> str:
    """Indented JSON with dates as ISO strings and non-ASCII text kept as is (or escaped)."""
    return json.dumps(_plain(value), ensure_ascii=ascii_only, indent=2)


def _writes_unicode(out: IO[str]) -> bool:
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32")


def write_csv(rows: list[dict[str, Any]], keys: list[str], out: IO[str]) -> None:
    """RFC 4180 CSV with a header row; lists joined with ';', missing values empty."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in keys])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, list | tuple):
        return ";".join(_csv_cell(item) for item in value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # a spreadsheet must not run a note or title as a formula
    return str(value)


#: Text cells starting with these are formulas to a spreadsheet (CSV injection); CSV output
#: prefixes them with an apostrophe, and `import` removes it again. Numbers are not text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """JSON-ready data: dates to ISO strings, enums to values, tuples to lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
