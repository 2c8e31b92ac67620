"""The terminal progress chart: a goal's values over time, with its target, cutoff and bands.

The chart is drawn on a grid of character cells. With colour and Unicode allowed, the line is
drawn in Braille dots (2 x 4 per cell) with a marker per entry; in plain mode (NO_COLOR, or
stdout not a terminal) only ASCII is used: `*` entries joined by `.`, `=` target, `-` cutoff,
`:` due date, `~` the projected trend. Layout, from the top: title, summary, plot (y axis,
plot area, severity bands in a right-hand gutter), x axis with dates, legend.

It draws what the core hands it (`views.GoalChart`: the summary, the points, the trend) and
works out nothing but the layout. This module is loaded only when a chart is drawn.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Sequence
from typing import IO

from rich.console import Console
from rich.text import Text

from goaltrack.measures.instruments import Band, Direction, Instrument
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
    segments,
    wrap_words,
)
from goaltrack.render.frame import Frame
from goaltrack.render.tables import make_console
from goaltrack.views import GoalChart, RaterSeries

MIN_WIDTH = 40
#: The mark and colour of each rater's series (--by-rater), the goal's own rater first.
SERIES_MARKS_ASCII = ("*", "o", "x", "#", "@", "%", "&")
SERIES_MARKS_UNICODE = ("●", "○", "◆", "▲", "■", "◇", "△")
#: The projected trend in plain ASCII (Unicode draws it in dotted Braille).
TREND_ASCII = "~"
SERIES_STYLES = ("bold cyan", "bold magenta", "bold yellow", "bold green", "bold blue", "red")
_BAND_PALETTE = ("green", "yellow3", "dark_orange", "red", "red3")
_GOOD = {"achieved", "target reached", "on track", "improving"}
_WARN = {"stale", "off track", "overdue", "no change"}
_BAD = {"deteriorating"}


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
    status.append(summary.status_word, style=_status_style(summary.status_word) if unicode else "")
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
    labels = _y_labels(Scale(low, high, rows, start, start, 1), target, instrument)
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
    cutoff_row = _cutoff_row(scale, target, instrument)
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
    projected = _projection(canvas, scale, chart, axes, unicode)
    if chart.series:
        _draw_series(canvas, scale, chart.series, thresholds, glyphs, unicode)
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

    band_cells = _band_gutter(scale, bands, band_width, integer, glyphs, instrument, unicode)
    return _assemble(
        canvas,
        scale,
        labels,
        label_width,
        band_cells,
        band_width,
        glyphs,
        unicode,
        _legend(chart, glyphs, show_due, markers, unicode, projected),
        width,
    )


def _series_marks(unicode: bool) -> tuple[str, ...]:
    return SERIES_MARKS_UNICODE if unicode else SERIES_MARKS_ASCII


def _draw_series(
    canvas: Canvas,
    scale: Scale,
    series: Sequence[RaterSeries],
    thresholds: list[Threshold],
    glyphs: Glyphs,
    unicode: bool,
) -> None:
    """Each rater's series, joined like the single one and marked with its own mark and
    colour at every entry (the goal's own rater last, so its marks stay on top)."""
    marks = _series_marks(unicode)
    for index in reversed(range(len(series))):
        one = series[index]
        colour = SERIES_STYLES[index % len(SERIES_STYLES)] if unicode else None
        if unicode:
            coords = [(scale.col(d, 2), point_row(scale, v, thresholds, 4)) for d, v in one.points]
            braille_line(canvas, coords, colour.removeprefix("bold ") if colour else None)
        else:
            coords = [(scale.col(d), point_row(scale, v, thresholds)) for d, v in one.points]
            ascii_line(canvas, coords, glyphs.line)
        for day, value in one.points:
            row = point_row(scale, value, thresholds)
            canvas.put(row, scale.col(day), marks[index % len(marks)], colour)


def _projection(canvas: Canvas, scale: Scale, chart: GoalChart, axes: Frame, unicode: bool) -> bool:
    """The trend line from the last entry to the frame's projection end (the target's
    projected date or the due date, whichever is first), clipped as frame.projection_segment
    says: at the axis's last date, where it meets the target, at the scale's edge. True when
    drawn.

    Drawn whenever the core gives a trend while the target is still ahead: in Braille dots
    with Unicode, else as a line of TREND_ASCII, on blank cells only (the target,
    cutoff and due lines stay whole, and the entries are drawn over it).
    """
    segment = frame.projection_segment(chart, axes)
    if segment is None:
        return False
    (last, start_value), (end, end_value) = segment
    if not unicode:
        cells = segments([(scale.col(last), scale.row(start_value)),
                          (scale.col(end), scale.row(end_value))])  # fmt: skip
        for col, row in cells[1:]:
            if canvas.chars[row][col] == " ":
                canvas.put(row, col, TREND_ASCII)
        return True
    coords = [(scale.col(last, 2), scale.row(start_value, 4)),
              (scale.col(end, 2), scale.row(end_value, 4))]  # fmt: skip
    braille_line(canvas, coords, "dim cyan", every=2)
    return True


#: The plot's intervals between the top and bottom rows: at most, and at least when a
#: rounder step can be had with fewer.
MAX_INTERVALS = 18
MIN_INTERVALS = 9
#: Row steps that label well: 1, 1.5, 2, 2.5, 3, 4 or 5 times a power of ten.
_ROUND_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)


def plot_height(low: float, high: float, integer: bool) -> int:
    """Rows of the plot, set by the scale alone (never by the terminal width), so the same
    goal lands on the same rows at every width.

    A small whole-number scale gets whole rows per unit; otherwise the most intervals (up to
    MAX_INTERVALS) that make each row a round step (PHQ-9 0-27: 18 rows of 1.5, PCL-5 0-80:
    16 of 5), so that every row stands for a value its label can say exactly.
    """
    span = high - low
    most = MAX_INTERVALS - 2  # 17 rows for small scales: GAS -2..+2 in quarter steps
    if integer and span.is_integer() and 0 < span <= most:
        return int(span) * int(most // span) + 1
    for intervals in range(MAX_INTERVALS, MIN_INTERVALS - 1, -1):
        if _is_round(span / intervals):
            return intervals + 1
    return most + 1


def _is_round(step: float) -> bool:
    """True for a step of 1, 1.5, 2, 2.5, 3, 4 or 5 times a power of ten."""
    if step <= 0:
        return False
    power = 10 ** math.floor(math.log10(step))
    return any(abs(step / power - m) < 1e-9 for m in _ROUND_MANTISSAS)


def _cutoff_row(scale: Scale, target: float | None, instrument: Instrument | None) -> int | None:
    """The cutoff's row; one row off the target's when both round to the same row."""
    if instrument is None or instrument.cutoff is None:
        return None
    row = scale.row(instrument.cutoff)
    if target is not None and scale.row(target) == row and target != instrument.cutoff:
        nudged = row - 1 if instrument.cutoff > target else row + 1
        if 0 <= nudged < scale.rows:
            return nudged
    return row


def _y_labels(scale: Scale, target: float | None, instrument: Instrument | None) -> dict[int, str]:
    """Value labels by row, each the very value its row stands for (never a nearby round
    number, so no point is drawn against a wrong label): the top and bottom rows, every
    other row in between (every row on a short plot), and the target's and cutoff's rows
    when the value lies on them."""
    rows = scale.rows
    every = 1 if rows <= 9 else 2
    wanted = {row for row in range(rows) if (rows - 1 - row) % every == 0} | {0}
    for value in (target, instrument.cutoff if instrument else None):
        if value is not None and scale.low <= value <= scale.high:
            row = scale.row(value)
            if math.isclose(scale.value_at_row(row), value, abs_tol=1e-9):
                wanted.add(row)
    labels: dict[int, str] = {}
    for row in sorted(wanted, key=lambda r: (r not in (0, rows - 1), -r)):
        if row in (0, rows - 1) or all(r not in labels for r in (row - 1, row + 1)):
            labels[row] = format_value(round(scale.value_at_row(row), 9))
    return labels


def _band_gutter(
    scale: Scale,
    bands: Sequence[Band],
    band_width: int,
    integer: bool,
    glyphs: Glyphs,
    instrument: Instrument | None,
    unicode: bool,
) -> list[tuple[str, str | None]]:
    """For each row, the gutter text: a bracket spanning each band and its label in the middle."""
    gutter: list[tuple[str, str | None]] = [("", None)] * scale.rows
    if not bands:
        return gutter
    half = 0.5 if integer else 0.0
    owner: list[int | None] = []
    for row in range(scale.rows):
        value = scale.value_at_row(row)
        found = None
        for index, band in enumerate(bands):
            if band.low - half - 1e-9 <= value < band.high + half - 1e-9 or (
                row == 0 and abs(value - band.high) < 1e-9
            ):
                found = index
                break
        owner.append(found)
    text_width = band_width - 3
    for index, band in enumerate(bands):
        band_rows = [row for row, who in enumerate(owner) if who == index]
        if not band_rows:
            continue
        colour = _band_colour(index, len(bands), instrument) if unicode else None
        top, bottom = band_rows[0], band_rows[-1]
        wrapped = wrap_words(band.label, text_width, len(band_rows), glyphs.ellipsis)
        first = top + (len(band_rows) - len(wrapped)) // 2
        for row in band_rows:
            if top == bottom:
                mark = glyphs.bracket_single
            elif row == top:
                mark = glyphs.bracket_top
            elif row == bottom:
                mark = glyphs.bracket_bottom
            else:
                mark = glyphs.bracket_mid
            index_in_label = row - first
            label = wrapped[index_in_label] if 0 <= index_in_label < len(wrapped) else ""
            gutter[row] = (f"{mark} {label}", colour)
    return gutter


def _band_colour(index: int, count: int, instrument: Instrument | None) -> str:
    """Green for the best band through red for the worst."""
    worst_first = instrument is not None and instrument.better is Direction.HIGHER
    rank = count - 1 - index if worst_first else index
    position = 0 if count == 1 else round(rank * (len(_BAND_PALETTE) - 1) / (count - 1))
    return _BAND_PALETTE[position]


def _legend(
    chart: GoalChart,
    glyphs: Glyphs,
    show_due: bool,
    markers: bool,
    unicode: bool,
    projected: bool = False,
) -> list[tuple[str, str | None]]:
    """Legend items as (text, style)."""
    target, instrument = chart.target, chart.instrument
    items: list[tuple[str, str | None]] = []
    style = (lambda name: name) if unicode else (lambda name: None)
    if chart.series:
        marks = _series_marks(unicode)
        for index, one in enumerate(chart.series):
            colour = style(SERIES_STYLES[index % len(SERIES_STYLES)])
            items.append((f"{marks[index % len(marks)]} {one.rater}", colour))
    elif len(chart.raters) > 1:
        mark = glyphs.point if markers else glyphs.line
        items.append((f"{mark} score by {chart.rater}", style("bold cyan")))
        also = ", ".join(chart.raters[1:])
        items.append((f"also rated by {also} (--by-rater)", None))
    else:
        items.append((f"{glyphs.point if markers else glyphs.line} score", style("bold cyan")))
    if projected:
        whose = f" ({chart.rater})" if len(chart.raters) > 1 else ""  # several raters: whose
        mark = "⠢⠒" if unicode else TREND_ASCII
        items.append((f"{mark} trend{whose}", style("dim cyan")))
    if target is not None:
        items.append((f"{glyphs.target} target {format_value(target)}", style("bold green")))
    if instrument is not None and instrument.cutoff is not None:
        items.append((f"{glyphs.cutoff} cutoff {format_value(instrument.cutoff)}", style("yellow")))
    if show_due and chart.due is not None:
        items.append((f"{glyphs.due} due {chart.due.isoformat()}", style("magenta")))
    return items


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


def _status_style(word: str) -> str:
    if word in _GOOD:
        return "bold green"
    if word in _BAD:
        return "bold red"
    if word in _WARN:
        return "bold yellow"
    return "bold"
