"""Human-readable tables with Rich (this module is loaded only when a table is printed)."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from goaltrack.render.report import Column, Report, Section

MIN_CONSOLE_WIDTH = 20  # COLUMNS=0 or a tiny pane must not print nothing


def make_console(out: IO[str], record: bool = False) -> Console:
    """A Rich console for `out`: colour only on a terminal and when NO_COLOR is unset.

    With `record=True` nothing is written; call `flush_console` to write the text with
    trailing blanks trimmed, so piped tables copy and diff cleanly.
    """
    is_terminal = out.isatty()
    probe = Console(file=out)
    return Console(
        file=io.StringIO() if record else out,
        width=max(probe.width, MIN_CONSOLE_WIDTH),
        force_terminal=is_terminal,
        no_color=bool(os.environ.get("NO_COLOR")) or not is_terminal,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def flush_console(console: Console, out: IO[str]) -> None:
    """Write what a recording console holds to `out`, each line without trailing blanks."""
    assert isinstance(console.file, io.StringIO)  # made by make_console(record=True)
    text = console.file.getvalue()
    out.write("\n".join(line.rstrip() for line in text.split("\n")))


def format_cell(value: Any) -> str:
    """Text of one table cell: blanks as an em dash, floats without noise."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):  # as typed: 6.125 stays 6.125, 0.0005 stays 0.0005
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.4g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(format_cell(item) for item in value)
    return _TERMINAL_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


# Text from files (notes, names, imported rows) must not drive the terminal: escape C0/C1
# controls (ESC above all) and bidi overrides; keep newlines and tabs, which tables handle.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


WRAP_MIN_WIDTH = 18


def fit_columns(columns: list[Column], rows: list[dict[str, Any]], width: int) -> list[Column]:
    """The columns that fit in `width`, dropping the least important (highest `drop`) first.

    A wrapped column counts as at most WRAP_MIN_WIDTH wide, or its `room` when it has one.
    """

    def natural(column: Column) -> int:
        cells = [len(_cell(row, column)) for row in rows]
        widest = max([len(column.header), *cells])
        return (min(widest, column.room or WRAP_MIN_WIDTH) if column.wrap else widest) + 2

    kept = list(columns)
    while sum(natural(column) for column in kept) + len(kept) - 1 > width:
        droppable = [column for column in kept if column.drop > 0]
        if not droppable:
            break
        kept.remove(max(droppable, key=lambda column: column.drop))
    return kept


def _table(
    title: str | None, columns: list[Column], rows: list[dict[str, Any]], width: int = 80
) -> Table:
    columns = fit_columns(columns, rows, width)
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
        show_edge=False,
        expand=any(column.wrap and _widest(column, rows) > WRAP_MIN_WIDTH for column in columns),
    )
    for column in columns:
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            overflow="fold" if column.wrap else "ellipsis",
            no_wrap=not column.wrap,
            min_width=_wrap_min(column, rows) if column.wrap else None,
            ratio=1 if column.wrap else None,
        )
    for row in rows:
        table.add_row(*(Text(_cell(row, column)) for column in columns))
    return table


def _widest(column: Column, rows: list[dict[str, Any]]) -> int:
    return max([len(column.header), *(len(_cell(row, column)) for row in rows)])


def _wrap_min(column: Column, rows: list[dict[str, Any]]) -> int:
    return min(_widest(column, rows), WRAP_MIN_WIDTH)


def _cell(row: dict[str, Any], column: Column) -> str:
    value = row.get(column.key)
    if column.decimals is not None and isinstance(value, int | float):
        value = round(value, column.decimals) if column.decimals else round(value)
    text = format_cell(value)
    if column.signed and isinstance(value, int | float) and value > 0:
        text = "+" + text
    return text + column.suffix if value is not None else text


def print_report(report: Report, out: IO[str]) -> None:
    """Print a report as text for people: fields, then the main table, then sections."""
    console = make_console(out, record=True)
    for alert in report.alerts:
        console.print(Text(f"!! {alert}", style="bold red"))
    if report.title:
        console.print(Text(report.title, style="bold"))
    if report.fields:
        width = max(len(label) for label, _ in report.fields)
        for label, value in report.fields:
            line = Text(f"{label:<{width}}  ", style="dim")
            line.append(format_cell(value))
            console.print(line)
    sections: list[Section] = list(report.sections)
    if report.columns and not report.sections:
        if report.rows:
            console.print(_table(None, report.columns, report.rows, console.width))
        else:
            console.print(Text(report.empty, style="dim"))
    for section in sections:
        console.print()
        if section.rows:  # the title on its own line: a narrow table must not wrap it
            console.print(Text(section.title, style="bold"))
            console.print(_table(None, section.columns, section.rows, console.width))
        else:
            console.print(Text(f"{section.title}: {section.empty}", style="dim"))
    for note in report.footnotes:
        console.print(Text(note, style="dim"))
    flush_console(console, out)
