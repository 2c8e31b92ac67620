"""One output layer for every read command: a Report rendered as table, JSON, JSONL or CSV.

Commands build a Report (plain data); the format is chosen once, here. Machine formats carry
no colour or decoration whatever the terminal; JSON carries a `format_version`.

The Rich renderers (`tables`, `chart`, `progress`) are loaded here, and only when something is
drawn for people: a command that prints JSON, or `goaltrack --help`, never pays for Rich.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from goaltrack.render.report import OutputFormat, Report

if TYPE_CHECKING:
    from goaltrack.chart_views import GoalChart

#: Version of every read command's JSON document. 2: `clients` rows name the client id
#: `client` like every other command (the old `id` is still there, deprecated).
FORMAT_VERSION = 2


def emit(report: Report, fmt: OutputFormat, out: IO[str] | None = None) -> None:
    """Write a report to `out` (stdout) in the chosen format."""
    out = out or sys.stdout
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
        from goaltrack.render import tables  # Rich: loaded only to draw for people

        tables.print_report(report, out)


def draw_charts(charts: Sequence[GoalChart], out: IO[str] | None = None) -> None:
    """Draw each goal's chart to `out` (stdout), as wide as the terminal."""
    from goaltrack.render import chart  # Rich: loaded only to draw for people

    chart.write_charts(charts, out or sys.stdout)


@contextmanager
def progress_callback(shown: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """The core's progress callback, drawing a bar on stderr while the block runs; or None."""
    if not shown:
        yield None
        return
    from goaltrack.render.progress import ProgressBar  # Rich: loaded only to draw for people

    with ProgressBar() as bar:
        yield bar.update


def to_json(value: Any, ascii_only: bool = False) -> str:
    """Indented JSON with dates as ISO strings and non-ASCII text kept as is (or escaped)."""
    return json.dumps(_plain(value), ensure_ascii=ascii_only, indent=2)


def _writes_unicode(out: IO[str]) -> bool:
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32")


def write_csv(rows: list[dict[str, Any]], keys: list[str], out: IO[str]) -> None:
    """RFC 4180 CSV with a header row; lists joined with ';', missing values empty."""
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
