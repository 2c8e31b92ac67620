"""Regenerate docs/progress-chart.svg (and .png when rsvg-convert is installed).

    .venv/bin/python docs/render_chart_picture.py

Draws `goaltrack progress c-1042 --chart` for the example caseload at 100 columns in colour,
as of 2026-11-28, with Rich's SVG export. Each character is then given its own cell position,
so that the picture stays on the grid whatever font the SVG viewer falls back to (Braille
dots are not in most monospace fonts).
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

from rich.console import Console

from goaltrack import views
from goaltrack.render.chart import chart_lines
from goaltrack.storage import store

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "docs" / "progress-chart.svg"
PNG = SVG.with_suffix(".png")
WIDTH = 100
TODAY = date(2026, 11, 28)
TEXT = re.compile(
    r'<text class="([^"]+)" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"'
    r' clip-path="([^"]+)">([^<]*)</text>'
)


def _one_text_per_cell(svg: str) -> str:
    """Split every <text> run into one element per character, each at its own cell."""

    def split(match: re.Match[str]) -> str:
        cls, x, y, length, clip, body = match.groups()
        chars = list(html.unescape(body))
        if not chars:
            return match.group(0)
        cell = float(length) / len(chars)
        return "".join(
            f'<text class="{cls}" x="{float(x) + i * cell:.1f}" y="{y}" '
            f'clip-path="{clip}">{html.escape(char)}</text>'
            for i, char in enumerate(chars)
            if not char.isspace() and char != "\xa0"
        )

    return TEXT.sub(split, svg)


def main() -> None:
    record = store.load("c-1042", ROOT / "examples" / "caseload")
    console = Console(
        width=WIDTH, record=True, force_terminal=True, color_system="truecolor", file=io.StringIO()
    )  # recorded, not shown
    for goal in record.goals[:2]:
        lines = chart_lines(views.goal_chart(goal, TODAY), width=WIDTH, unicode=True)
        for line in lines:
            line.rstrip()
            console.print(line, no_wrap=True, crop=True, overflow="crop")
        console.print()
    svg = console.export_svg(title="goaltrack progress c-1042 --chart")
    SVG.write_text(_one_text_per_cell(svg), encoding="utf-8")
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-w", "1400", str(SVG), "-o", str(PNG)], check=True)
    print(f"wrote {SVG.relative_to(ROOT)}" + (f" and {PNG.name}" if PNG.exists() else ""))


if __name__ == "__main__":
    main()
