"""The terminal progress chart: a goal's values over time, with its target, cutoff and bands.

The chart is drawn on a grid of character cells. With colour and Unicode allowed, the line is
drawn in Braille dots (2 x 4 per cell) with a marker per entry; in plain mode (NO_COLOR, or
stdout not a terminal) only ASCII is used: `*` entries joined by `.`, `=` target, `-` cutoff,
`:` due date, `~` the projected trend. Layout, from the top: title, summary, plot (y axis,
plot area, severity bands in a right-hand gutter), x axis with dates, legend.

It draws what the core hands it (`chart_views.GoalChart`: the summary, the points, the trend)
and works out nothing but the layout. This module draws the title, the summary facts and the
plot's single series and joins the pieces; `chart_layout.py` works out the rows, labels and
band gutter, `chart_draw.py` paints the raters' series and the trend, `chart_legend.py` says
what each mark means. These modules are loaded only when a chart is drawn.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.text import Text

from goaltrack.chart_views import GoalChart
from goaltrack.measures.instruments import Direction, Instrument
from goaltrack.measures.outcomes import GoalSummary
from goaltrack.render import frame
from goaltrack.render.canvas import (
    ASCII,
    UNICODE,
    Canvas,
    Glyphs,
    Scale,
    Threshold,
    ascii_line,
    braille_line,
    date_axis,
    format_value,
    hline,
    point_row,
)
from goaltrack.render.chart_draw import draw_projection, draw_series
from goaltrack.render.chart_layout import band_gutter, cutoff_line_row, plot_height, y_labels
from goaltrack.render.chart_legend import legend_items, status_style
from goaltrack.render.tables import make_console

MIN_WIDTH = 40


def chart_lines(chart: GoalChart, *, width: int, unicode: bool) -> list[Text]:
    """The chart of one goal as Rich `Text` lines, each at most `width` cells wide.

    `unicode` allows Braille, box drawing and colour styles; without it every character is
    ASCII and no style is set.
    """
    width = max(width, MIN_WIDTH)
    glyphs = UNICODE if unicode else ASCII
    summary, instrument = chart.summary, chart.instrument
    lines: list[Text] = []
    bold = "bold" if unicode else None
    heading = f"Goal {chart.number}: {chart.title}"
    words = [Text(word, style=bold or "") for word in _pieces(heading, width)]
    status = Text("· " if unicode else "- ")
    status.append(summary.status_word, style=status_style(summary.status_word) if unicode else "")
    lines.extend(_wrap_parts([*words, status], width, sep=" "))
    lines.extend(
        _wrap_parts(
            [
                Text(piece)
                for fact in _facts(summary, instrument, glyphs)
                for piece in _pieces(fact, width)
            ],
            width,
            sep=glyphs.sep,
            style="dim" if unicode else None,
        )
    )
    if not chart.points and not any(one.points for one in chart.series):
        since = chart.since
        empty = (
            f"no entries since {since.isoformat()}"
            if since and chart.logged
            else ("no entries yet: log one with `goaltrack log`")
        )
        lines.extend(Text(piece, style="dim" if unicode else "") for piece in _pieces(empty, width))
        return lines
    lines.extend(_plot(chart, width, glyphs, unicode))
    return lines


def write_charts(charts: Sequence[GoalChart], out: IO[str]) -> None:
    """Draw each goal's chart to `out`, as wide as the terminal (or COLUMNS).

    Unicode and colour on a UTF-8 terminal; plain ASCII when NO_COLOR is set, when `out` is
    not a terminal (a pipe, a file), or when it cannot encode Unicode.
    """
    console = make_console(out)
    console.width = max(console.width, MIN_WIDTH)  # narrower than that, lines run on, not cut
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "")
    unicode = out.isatty() and not os.environ.get("NO_COLOR") and encoding.startswith("utf")
    drawn = [chart_lines(chart, width=console.width, unicode=unicode) for chart in charts]
    print_charts(drawn, console)


def print_charts(charts: Sequence[Sequence[Text]], console: Console) -> None:
    """Print charts one after another on a Rich console, a blank line between them."""
    for index, lines in enumerate(charts):
        if index:
            console.print()
        for line in lines:
            trimmed = line.copy()
            trimmed.rstrip()
            console.print(trimmed, overflow="crop", no_wrap=True, crop=True)


def _facts(summary: GoalSummary, instrument: Instrument | None, glyphs: Glyphs) -> list[str]:
    """The short phrases under the title: measure, change, significance, trend, dates."""
    facts = []
    if instrument is not None:
        facts.append(f"{instrument.name} ({instrument.better.value} is better)")
    elif summary.measure:
        facts.append(f"measure {summary.measure}")
    if summary.baseline is not None and summary.latest is not None:
        facts.append(
            f"{format_value(summary.baseline)} {glyphs.arrow} {format_value(summary.latest)}"
        )
    if summary.improvement is not None and summary.improvement != 0:
        word = "better" if summary.improvement > 0 else "worse"
        unit = "point" if abs(summary.improvement) == 1 else "points"
        facts.append(f"{format_value(abs(summary.improvement))} {unit} {word}")
    if summary.clinical_significance:
        # the rule set's short name: "IAPT", "NCPTSD", "Jacobson & Truax 1991"
        rule = f" ({summary.rule.split(':')[0].split(',')[0]})" if summary.rule else ""
        facts.append(f"clinically {summary.clinical_significance}{rule}")
    elif summary.reliable_change == "none":
        facts.append("within measurement error")
    elif summary.reliable_change:
        facts.append(f"reliably {summary.reliable_change}")
    if summary.slope_per_week is not None:
        facts.append(f"trend {summary.slope_per_week:+.1f}/week")
    if summary.projected_date is not None:
        facts.append(f"target by ~{summary.projected_date.isoformat()}")
    if summary.due is not None:
        facts.append(f"due {summary.due.isoformat()}")
    if summary.stale and summary.days_since_entry is not None:
        facts.append(f"last entry {summary.days_since_entry} days ago")
    return facts


def _pieces(text: str, width: int) -> list[str]:
    """`text` whole when it fits in `width`, else cut at spaces (long words broken)."""
    return [text] if len(text) <= width else textwrap.wrap(text, width) or [""]


def _wrap_parts(
    parts: list[Text], width: int, sep: str = "", style: str | None = None
) -> list[Text]:
    """Pack phrases into lines of `width`, breaking only between phrases."""
    lines: list[Text] = []
    current = Text(style=style or "")
    for part in parts:
        if current.plain and len(current) + len(sep) + len(part) > width:
            lines.append(current)
            current = Text(style=style or "")
        if current.plain:
            current.append(sep)
        current.append_text(part)
    if current.plain:
        lines.append(current)
    return lines


def _plot(chart: GoalChart, width: int, glyphs: Glyphs, unicode: bool) -> list[Text]:
    points, summary, instrument, target = (
        chart.points,
        chart.summary,
        chart.instrument,
        chart.target,
    )
    # the axes the SVG chart uses too (render/frame.py): a point lands in the same place
    axes = frame.chart_frame(chart)
    low, high, start, end = axes.low, axes.high, axes.start, axes.end
    due, show_due = chart.due, axes.show_due
    every_point = frame.every_point(chart)
    integer = instrument.integer if instrument else all(v.is_integer() for _, v in every_point)
    rows = plot_height(low, high, integer)
    bands = instrument.bands if instrument else ()
    labels = y_labels(Scale(low, high, rows, start, start, 1), target, instrument)
    label_width = max(len(text) for text in labels.values())
    band_width = 0
    if bands:
        longest = max(len(band.label) for band in bands)
        band_width = 3 + min(longest, max(8, width // 4))
    cols = width - label_width - 2 - band_width
    scale = Scale(low, high, rows, start, end, cols)
    canvas = Canvas(cols, rows)
    style = (lambda name: name) if unicode else (lambda name: None)

    if show_due and due is not None:
        col = scale.col(due)
        for row in range(rows):
            canvas.put(row, col, glyphs.due, style("magenta"))
    thresholds: list[Threshold] = []
    cutoff_row = cutoff_line_row(scale, target, instrument)
    if cutoff_row is not None and instrument is not None and instrument.cutoff is not None:
        hline(canvas, cutoff_row, glyphs.cutoff, style("yellow"))
        thresholds.append(Threshold(cutoff_row, instrument.cutoff, equal_goes_high=True))
    if target is not None and low <= target <= high:
        target_row = scale.row(target)
        hline(canvas, target_row, glyphs.target, style("bold green"))
        if summary.better is not None:
            higher = summary.better == Direction.HIGHER.value
            thresholds.append(Threshold(target_row, target, equal_goes_high=higher))
    markers = len(points) <= cols // 2 or not unicode
    projected = draw_projection(canvas, scale, chart, axes, unicode)
    if chart.series:
        draw_series(canvas, scale, chart.series, thresholds, glyphs, unicode)
    elif unicode:
        coords = [(scale.col(d, 2), point_row(scale, v, thresholds, 4)) for d, v in points]
        braille_line(canvas, coords, style("cyan"))
    else:
        coords = [(scale.col(d), point_row(scale, v, thresholds)) for d, v in points]
        ascii_line(canvas, coords, glyphs.line)
    if markers and not chart.series:
        for day, value in points:
            row = point_row(scale, value, thresholds)
            canvas.put(row, scale.col(day), glyphs.point, style("bold cyan"))

    band_cells = band_gutter(scale, bands, band_width, integer, glyphs, instrument, unicode)
    return _assemble(
        canvas,
        scale,
        labels,
        label_width,
        band_cells,
        band_width,
        glyphs,
        unicode,
        legend_items(chart, glyphs, show_due, markers, unicode, projected),
        width,
    )


def _assemble(
    canvas: Canvas,
    scale: Scale,
    labels: dict[int, str],
    label_width: int,
    gutter: list[tuple[str, str | None]],
    band_width: int,
    glyphs: Glyphs,
    unicode: bool,
    legend: list[tuple[str, str | None]],
    width: int,
) -> list[Text]:
    """Join y labels, plot rows, band gutter, the x axis with dates, and the legend."""
    axis_style = "dim" if unicode else None
    lines: list[Text] = []
    for row in range(canvas.height):
        line = Text()
        label = labels.get(row)
        line.append(f"{label or '':>{label_width}} ", style=None)
        line.append(glyphs.tick if label else glyphs.spine, style=axis_style)
        _append_cells(line, canvas.chars[row], canvas.styles[row])
        if band_width:
            text, colour = gutter[row]
            line.append(f" {text}".rstrip().ljust(band_width)[:band_width], style=colour)
        lines.append(line)
    ticks, date_line = date_axis(scale, label_width + 2)
    floor = [glyphs.floor_tick if col in ticks else glyphs.floor for col in range(scale.cols)]
    lines.append(
        Text(" " * label_width + " " + glyphs.corner + "".join(floor), style=axis_style or "")
    )
    lines.append(Text(date_line))
    legend_text = [Text(text, style=style or "") for text, style in legend]
    lines.extend(_wrap_parts(legend_text, width, sep="  "))
    return lines


def _append_cells(line: Text, chars: list[str], styles: list[str | None]) -> None:
    """Append a row of cells, one span per run of equal style."""
    run, run_style = "", styles[0] if styles else None
    for char, style in zip(chars, styles, strict=True):
        if style != run_style and run:
            line.append(run, style=run_style)
            run = ""
        run_style = style
        run += char
    if run:
        line.append(run, style=run_style)
