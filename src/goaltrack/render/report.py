"""What a read command hands the output layer: a Report of plain data, and how to lay it out.

Plain data only (no Rich, no I/O), so that the CLI can name the formats in its help without
loading any renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OutputFormat(StrEnum):
    """The formats every read command offers."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True)
class Column:
    """A column of a table or CSV: the row key, its header, and its alignment.

    `drop`: narrow terminals drop columns with the highest `drop` first. `room`: a wrapped
    column that keeps up to this many characters on one line, other columns being dropped
    before it wraps (the goal title of `progress`). `signed`: positive numbers show a "+".
    """

    key: str
    header: str
    numeric: bool = False
    wrap: bool = False
    suffix: str = ""
    decimals: int | None = None
    drop: int = 0
    room: int | None = None
    signed: bool = False


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
