"""Drawing primitives of the terminal chart: glyph sets, a character canvas, the value and
date scale, and lines drawn in Braille dots or plain ASCII. No Rich here: plain data only.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


@dataclass(frozen=True)
class Glyphs:
    """The characters of one drawing mode."""

    point: str
    target: str
    cutoff: str
    due: str
    spine: str
    tick: str
    corner: str
    floor: str
    floor_tick: str
    bracket_top: str
    bracket_mid: str
    bracket_bottom: str
    bracket_single: str
    sep: str
    arrow: str
    ellipsis: str
    line: str  # the dot between entries (ASCII mode only; Unicode uses Braille)


UNICODE = Glyphs(
    "●", "━", "┄", "┊", "│", "┤", "└", "─", "┬", "┐", "│", "┘", "]", " · ", "→", "…", "⠤"
)
ASCII = Glyphs(
    "*", "=", "-", ":", "|", "+", "+", "-", "+", ".", "|", "'", "]", " | ", "->", ".", "."
)


@dataclass
class Canvas:
    """A grid of characters with an optional style per cell."""

    width: int
    height: int
    chars: list[list[str]] = field(init=False)
    styles: list[list[str | None]] = field(init=False)

    def __post_init__(self) -> None:
        self.chars = [[" "] * self.width for _ in range(self.height)]
        self.styles = [[None] * self.width for _ in range(self.height)]

    def put(self, row: int, col: int, char: str, style: str | None = None) -> None:
        """Set one cell (ignored outside the grid)."""
        if 0 <= row < self.height and 0 <= col < self.width:
            self.chars[row][col] = char
            self.styles[row][col] = style

    def text(self, row: int, col: int, text: str, style: str | None = None) -> None:
        """Write a string from (row, col) rightwards."""
        for offset, char in enumerate(text):
            self.put(row, col + offset, char, style)


@dataclass(frozen=True)
class Scale:
    """Maps values to rows and dates to columns of the plot area."""

    low: float
    high: float
    rows: int
    start: date
    end: date
    cols: int

    def row(self, value: float, sub: int = 1) -> int:
        """The row (or sub-row, with `sub` sub-rows per row) of a value; 0 is the top.

        Row r stands for `value_at_row(r)`; sub-rows are centred on it, so that a value's
        sub-row always lies inside the value's row.
        """
        fraction = (self.high - value) / (self.high - self.low)
        return cell(fraction * (self.rows - 1), sub, self.rows)

    def value_at_row(self, row: int) -> float:
        """The value a row stands for."""
        return self.high - row * (self.high - self.low) / (self.rows - 1)

    def col(self, day: date, sub: int = 1) -> int:
        """The column (or sub-column) of a date; one date alone sits in the middle."""
        span = (self.end - self.start).days
        if span == 0:
            return cell((self.cols - 1) / 2, sub, self.cols)
        return cell((day - self.start).days / span * (self.cols - 1), sub, self.cols)

    def date_at_col(self, col: int) -> date:
        """The date a column stands for."""
        span = (self.end - self.start).days
        if span == 0:
            return self.start
        return self.start + timedelta(days=round(col / (self.cols - 1) * span))


def cell(position: float, sub: int, cells: int) -> int:
    """The (sub-)cell holding a position measured in cells, rounding halves up."""
    index = math.floor(position * sub + sub / 2) if sub > 1 else math.floor(position + 0.5)
    return min(max(index, 0), cells * sub - 1)


def nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least `raw`."""
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw - 1e-12:
            return float(factor * power)
    return float(10 * power)


@dataclass(frozen=True)
class Threshold:
    """A drawn line (cutoff or target) that points must stay on the correct side of.

    Rows are coarser than the scale, so a value just beyond a line may round onto it. A point
    on the line's row means "at the line's value or on its `equal_goes_high` side"; a point
    on the other side is moved off the row. This keeps the picture honest about the two
    questions that matter: above the cutoff or not, target reached or not.
    """

    row: int
    value: float
    equal_goes_high: bool


def point_row(scale: Scale, value: float, thresholds: list[Threshold], sub: int = 1) -> int:
    """The (sub-)row of a point: its natural row, kept on the correct side of each line."""
    natural = scale.row(value)
    row = natural
    for line in thresholds:
        if line.equal_goes_high:
            row = min(row, line.row) if value >= line.value else max(row, line.row + 1)
        else:
            row = max(row, line.row) if value <= line.value else min(row, line.row - 1)
    row = min(max(row, 0), scale.rows - 1)
    if sub == 1:
        return row
    if row == natural:
        return scale.row(value, sub)
    return row * sub if row > natural else row * sub + sub - 1


def hline(canvas: Canvas, row: int, char: str, style: str | None) -> None:
    """A horizontal line across the whole canvas (target, cutoff)."""
    for col in range(canvas.width):
        canvas.put(row, col, char, style)


def segments(coords: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every (x, y) cell on the straight segments joining consecutive points."""
    cells: list[tuple[int, int]] = [coords[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(1, steps + 1):
            cells.append(
                (round(x0 + (x1 - x0) * step / steps), round(y0 + (y1 - y0) * step / steps))
            )
    return cells


def braille_line(
    canvas: Canvas, coords: list[tuple[int, int]], style: str | None, every: int = 1
) -> None:
    """The values joined by a line of Braille dots (2 x 4 dots per cell); `every` 2 dots it."""
    bits: dict[tuple[int, int], int] = {}
    for index, (x, y) in enumerate(segments(coords)):
        if index % every:
            continue
        key = (y // 4, x // 2)
        bits[key] = bits.get(key, 0) | BRAILLE_BITS[y % 4][x % 2]
    for (row, col), value in bits.items():
        canvas.put(row, col, chr(0x2800 + value), style)


def ascii_line(canvas: Canvas, coords: list[tuple[int, int]], dot: str) -> None:
    """The values joined by dots, one character cell at a time."""
    for x, y in segments(coords):
        canvas.put(y, x, dot)


def format_value(value: float) -> str:
    """A value as typed: 9, 6.5, -2."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.6g}"


def wrap_words(text: str, width: int, max_lines: int, ellipsis: str) -> list[str]:
    """Word-wrap a label into at most `max_lines` lines of `width` (the last one cut short)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [fit_text(line, width, ellipsis) for line in lines]


def fit_text(text: str, width: int, ellipsis: str) -> str:
    """`text` cut to `width` characters, ending in `ellipsis` when cut."""
    if len(text) <= width:
        return text
    return text[: max(width - len(ellipsis), 1)].rstrip() + ellipsis


def date_axis(scale: Scale, offset: int) -> tuple[set[int], str]:
    """Tick columns and the line of date labels under them (first left, last right)."""
    label_len = 10
    line = [" "] * (offset + scale.cols)
    if scale.start == scale.end:
        col = scale.col(scale.start)
        begin = max(0, min(offset + col - label_len // 2, offset + scale.cols - label_len))
        line[begin : begin + label_len] = list(scale.start.isoformat())
        return {col}, "".join(line).rstrip()
    last = scale.cols - 1
    count = max(2, min(last // (label_len + 8) + 1, (scale.end - scale.start).days + 1))
    wanted = [0, last, *sorted({round(i * last / (count - 1)) for i in range(1, count - 1)})]
    placed: list[tuple[int, int, int]] = []  # (col, begin, end)
    for col in wanted:
        if col == 0:
            begin = offset
        elif col == last:
            begin = offset + col - label_len + 1
        else:
            begin = offset + col - label_len // 2
        if any(begin < end + 2 and other < begin + label_len + 2 for _, other, end in placed):
            continue
        placed.append((col, begin, begin + label_len))
    for col, begin, _ in placed:
        line[begin : begin + label_len] = list(scale.date_at_col(col).isoformat())
    return {col for col, _, _ in placed if col}, "".join(line).rstrip()
