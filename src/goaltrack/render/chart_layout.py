"""The layout of the terminal chart: how many rows the plot has, which rows carry a value
label, where the cutoff line goes, and the severity bands' gutter at the right.

Pure arithmetic on a `canvas.Scale`: no Rich, no drawing (`render/chart.py` joins the pieces).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from goaltrack.measures.instruments import Band, Direction, Instrument
from goaltrack.render.canvas import Glyphs, Scale, format_value, wrap_words

#: The bands' colours, best first.
_BAND_PALETTE = ("green", "yellow3", "dark_orange", "red", "red3")


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


def cutoff_line_row(
    scale: Scale, target: float | None, instrument: Instrument | None
) -> int | None:
    """The cutoff's row; one row off the target's when both round to the same row."""
    if instrument is None or instrument.cutoff is None:
        return None
    row = scale.row(instrument.cutoff)
    if target is not None and scale.row(target) == row and target != instrument.cutoff:
        nudged = row - 1 if instrument.cutoff > target else row + 1
        if 0 <= nudged < scale.rows:
            return nudged
    return row


def y_labels(scale: Scale, target: float | None, instrument: Instrument | None) -> dict[int, str]:
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


def band_gutter(
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
