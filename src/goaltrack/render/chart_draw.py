"""What the terminal chart paints on its canvas besides the single series: each rater's
series (--by-rater) with its own mark and colour, and the projected trend.

The marks and colours are shared with the legend (`render/chart_legend.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from goaltrack.chart_views import GoalChart, RaterSeries
from goaltrack.render import frame
from goaltrack.render.canvas import (
    Canvas,
    Glyphs,
    Scale,
    Threshold,
    ascii_line,
    braille_line,
    point_row,
    segments,
)
from goaltrack.render.frame import Frame

#: The mark and colour of each rater's series (--by-rater), the goal's own rater first.
SERIES_MARKS_ASCII = ("*", "o", "x", "#", "@", "%", "&")
SERIES_MARKS_UNICODE = ("●", "○", "◆", "▲", "■", "◇", "△")


#: The projected trend in plain ASCII (Unicode draws it in dotted Braille).
TREND_ASCII = "~"
SERIES_STYLES = ("bold cyan", "bold magenta", "bold yellow", "bold green", "bold blue", "red")


def series_marks(unicode: bool) -> tuple[str, ...]:
    """The marks of the raters' series, in order: Unicode shapes or ASCII characters."""
    return SERIES_MARKS_UNICODE if unicode else SERIES_MARKS_ASCII


def draw_series(
    canvas: Canvas,
    scale: Scale,
    series: Sequence[RaterSeries],
    thresholds: list[Threshold],
    glyphs: Glyphs,
    unicode: bool,
) -> None:
    """Each rater's series, joined like the single one and marked with its own mark and
    colour at every entry (the goal's own rater last, so its marks stay on top)."""
    marks = series_marks(unicode)
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


def draw_projection(
    canvas: Canvas, scale: Scale, chart: GoalChart, axes: Frame, unicode: bool
) -> bool:
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
