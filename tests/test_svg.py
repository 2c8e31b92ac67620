"""The SVG chart: the same points as the terminal chart, text escaped, and `progress --svg`."""

from __future__ import annotations

import math
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack import chart_views
from goaltrack.render import svg
from goaltrack.render.chart import chart_lines
from goaltrack.storage import store
from helpers import EXAMPLES, hostile_client, invoke

TODAY = date(2026, 11, 28)
CLIENTS = ["c-1042", "c-2077", "c-3150", "c-4208"]


def terminal_points(
    chart: chart_views.GoalChart, width: int
) -> tuple[list[tuple[int, int]], int, int]:
    """The (row, col) of every entry marker of the Unicode terminal chart, with its rows and
    columns, read back from the drawn text."""
    lines = [line.plain for line in chart_lines(chart, width=width, unicode=True)]
    corner = next(i for i, line in enumerate(lines) if "└" in line)
    spine = lines[corner].index("└")
    cols = len(lines[corner]) - spine - 1
    first = corner
    while first > 0 and len(lines[first - 1]) > spine and lines[first - 1][spine] in "│┤":
        first -= 1
    found = [
        (row, col)
        for row, line in enumerate(lines[first:corner])
        for col, char in enumerate(line[spine + 1 : spine + 1 + cols])
        if char == "●"
    ]
    return sorted(found), corner - first, cols


def svg_cells(chart: chart_views.GoalChart, rows: int, cols: int) -> list[tuple[int, int]]:
    """The SVG's entry dots mapped onto a terminal grid of `rows` x `cols` cells, halves
    rounded up as the terminal does (SVG coordinates carry 2 decimals: 1e-3 of a cell)."""
    plot = svg.Plot(svg.chart_frame(chart))
    cells = []
    for x, y in svg.point_coordinates(svg.chart_svg(chart)):
        col = (x - plot.left) / plot.width * (cols - 1)
        row = (y - plot.top) / plot.height * (rows - 1)
        cells.append((math.floor(row + 0.5 + 1e-3), math.floor(col + 0.5 + 1e-3)))
    return sorted(cells)


@pytest.mark.parametrize("client", CLIENTS)
def test_svg_and_terminal_chart_place_the_same_points(client: str) -> None:
    """Every entry of every example goal sits in the same cell in the SVG and on the terminal."""
    record = store.load(client, EXAMPLES)
    compared = 0
    for goal in record.goals:
        chart = chart_views.goal_chart(goal, TODAY, 28)
        if not chart.points:
            continue
        drawn, rows, cols = terminal_points(chart, 100)
        assert drawn == svg_cells(chart, rows, cols), f"goal {goal.number}"
        compared += len(drawn)
    assert compared > 0


def test_svg_maps_value_and_date_exactly() -> None:
    """PHQ-9 19 on the first day of c-1042 goal 1 lies at the plot's left edge, 8/27 down."""
    goal = store.load("c-1042", EXAMPLES).require_goal(1)
    points = svg.point_coordinates(svg.chart_svg(chart_views.goal_chart(goal, TODAY, 28)))
    assert points[0] == (44.0, round(14 + (27 - 19) / 27 * 222, 2))
    assert len(points) == 12


def test_svg_has_title_desc_and_role() -> None:
    """The picture names itself for a screen reader: role img, title and description."""
    goal = store.load("c-1042", EXAMPLES).require_goal(1)
    text = svg.chart_svg(chart_views.goal_chart(goal, TODAY, 28), ident="g1")
    assert 'role="img"' in text
    assert '<title id="g1-title">Goal 1: Reduce depressive symptoms</title>' in text
    assert (
        '<desc id="g1-desc">Patient Health Questionnaire-9; '
        "12 entries from 2026-09-01 (19) to 2026-11-17 (8); "
        "target 9; cutoff 10; due 2026-12-15; outlook: target reached.</desc>"
    ) in text


def test_script_in_title_is_text_in_svg(tmp_path: Path) -> None:
    """A goal title holding <script> is escaped text in the SVG, never an element."""
    hostile_client(tmp_path)
    record = store.load("c-9001", tmp_path)
    text = svg.chart_svg(chart_views.goal_chart(record.require_goal(1), TODAY, 28))
    assert "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_progress_svg_writes_a_private_file(tmp_path: Path) -> None:
    """`progress CLIENT GOAL --chart --svg FILE` writes the SVG, mode 0600."""
    out = tmp_path / "goal1.svg"
    result = invoke(
        CliRunner(),
        "--home",
        str(EXAMPLES),
        "progress",
        "c-1042",
        "1",
        "--chart",
        "--svg",
        str(out),
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<svg ") and text.endswith("</svg>\n")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_progress_svg_needs_one_goal(tmp_path: Path) -> None:
    """--svg draws one goal: without GOAL it is refused with exit 1 and writes nothing."""
    out = tmp_path / "all.svg"
    result = invoke(
        CliRunner(), "--home", str(EXAMPLES), "progress", "c-1042", "--chart", "--svg", str(out)
    )
    assert result.exit_code == 1
    assert "--svg draws one goal" in result.output
    assert not out.exists()


def test_progress_svg_never_over_a_client_file(tmp_path: Path) -> None:
    """--svg naming a client file is refused (exit 1) and the client file is unchanged."""
    home = tmp_path / "home"
    (home / "clients").mkdir(parents=True)
    source = (EXAMPLES / "clients" / "c-1042.toml").read_bytes()
    target = home / "clients" / "c-1042.toml"
    target.write_bytes(source)
    result = invoke(
        CliRunner(), "--home", str(home), "progress", "c-1042", "1", "--chart", "--svg", str(target)
    )
    assert result.exit_code == 1
    assert "client file" in result.output
    assert target.read_bytes() == source
