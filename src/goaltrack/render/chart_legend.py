"""The words of the terminal chart that explain it: the legend under the plot and the
colour of the status word in the title.
"""

from __future__ import annotations

from goaltrack.chart_views import GoalChart
from goaltrack.render.canvas import Glyphs, format_value
from goaltrack.render.chart_draw import SERIES_STYLES, TREND_ASCII, series_marks

#: The status words drawn green, yellow and red.
_GOOD = {"achieved", "target reached", "on track", "improving"}


_WARN = {"stale", "off track", "overdue", "no change"}
_BAD = {"deteriorating"}


def legend_items(
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
        marks = series_marks(unicode)
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


def status_style(word: str) -> str:
    """The Rich style of a goal's status word: green when good, yellow when it needs a
    look, red when worse."""
    if word in _GOOD:
        return "bold green"
    if word in _BAD:
        return "bold red"
    if word in _WARN:
        return "bold yellow"
    return "bold"
