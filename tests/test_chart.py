"""The progress chart: snapshots of the example caseload, and the awkward series."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goaltrack import chart_views
from goaltrack.measures import instruments
from goaltrack.records.model import ClientRecord, Goal, GoalKind, ProgressEntry
from goaltrack.render.chart import chart_lines, write_charts
from goaltrack.storage import store
from helpers import EXAMPLES, HANG_GUARD, invoke, run_cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
TODAY = date(2026, 11, 28)
CLIENTS = ["c-1042", "c-2077", "c-3150", "c-4208"]
WIDTHS = [60, 100, 160]


def render(
    record: ClientRecord,
    goals: list[Goal],
    width: int,
    monkeypatch: pytest.MonkeyPatch,
    since: date | None = None,
) -> str:
    """The plain chart text the CLI writes to a pipe at this width."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = io.StringIO()
    write_charts([chart_views.goal_chart(goal, TODAY, 28, since=since) for goal in goals], out)
    return out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("client", CLIENTS)
def test_example_caseload_snapshot(
    client: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain chart of each example client matches its snapshot (UPDATE_SNAPSHOTS=1)."""
    record = store.load(client, EXAMPLES)
    text = render(record, sorted(record.goals, key=lambda g: g.number), width, monkeypatch)
    path = SNAPSHOTS / f"chart-{client}-{width}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
def test_plain_chart_fits_width_and_is_ascii(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line of the plain chart fits the width and is plain ASCII."""
    for client in CLIENTS:
        record = store.load(client, EXAMPLES)
        for line in render(record, record.goals, width, monkeypatch).splitlines():
            assert len(line) <= width
            assert line.isascii()


@pytest.mark.parametrize("width", [40, 60, 100, 160, 237])
def test_unicode_chart_fits_width(width: int) -> None:
    """With Unicode and colour, every line still fits the width."""
    for client in CLIENTS:
        record = store.load(client, EXAMPLES)
        for goal in record.goals:
            lines = chart_lines(chart_views.goal_chart(goal, TODAY), width=width, unicode=True)
            assert all(len(line) <= width for line in lines)


def _goal(
    points: list[tuple[date, float]], measure: str | None = "phq9", target: float | None = 9
) -> Goal:
    entries = [ProgressEntry(id=f"E{i}", date=d, value=v) for i, (d, v) in enumerate(points)]
    return Goal(
        number=1,
        kind=GoalKind.SYMPTOM_REDUCTION,
        title="Mood",
        measure=measure,
        target=target,
        due=date(2026, 12, 15),
        created=date(2026, 9, 1),
        progress=entries,
    )


def _plain(goal: Goal, width: int = 60, since: date | None = None) -> list[str]:
    lines = chart_lines(
        chart_views.goal_chart(goal, TODAY, since=since), width=width, unicode=False
    )
    return [line.plain.rstrip() for line in lines]


PLOT_ROW = re.compile(r"\s*(-?[\d.]+ \+|\s+\|)")  # labelled or plain rows, not the axis


def _plot_rows(lines: list[str]) -> list[str]:
    return [line for line in lines if PLOT_ROW.match(line)]


def test_single_entry_sits_in_the_middle_with_its_date() -> None:
    """One entry: one point mid-plot, and its date as the only x label."""
    lines = _plain(_goal([(date(2026, 10, 1), 14)]))
    points = [line for line in _plot_rows(lines) if "*" in line]
    assert len(points) == 1
    assert any(line.strip() == "2026-10-01" for line in lines)


def test_same_day_entries_share_a_column() -> None:
    """Two values on one day are drawn one above the other in the same column."""
    day = date(2026, 10, 1)
    lines = _plain(_goal([(date(2026, 9, 1), 20), (day, 15), (day, 5)]))
    rows = [line for line in _plot_rows(lines) if "*" in line]
    last_col = max(line.rindex("*") for line in rows)
    assert sum(1 for line in rows if len(line) > last_col and line[last_col] == "*") == 2


def test_range_ends_are_drawn_on_the_first_and_last_rows() -> None:
    """PHQ-9 values 27 and 0 land on the top and bottom rows, labelled 27 and 0."""
    lines = _plain(_goal([(date(2026, 9, 1), 27), (date(2026, 9, 8), 0)]))
    rows = _plot_rows(lines)
    assert rows[0].startswith("27 +") and "*" in rows[0]
    assert rows[-1].startswith(" 0 +") and "*" in rows[-1]


def test_hundreds_of_entries_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 daily entries draw within 60 columns, with every column of the data used."""
    start = date(2025, 1, 1)
    points = [(start + timedelta(days=i), float((i * 7) % 28)) for i in range(400)]
    goal = _goal(points, target=None)
    lines = _plain(goal, 60)
    assert all(len(line) <= 60 for line in lines)
    unicode = chart_lines(chart_views.goal_chart(goal, TODAY), width=60, unicode=True)
    assert all(len(line) <= 60 for line in unicode)


def test_since_limits_the_window() -> None:
    """--since 2026-10-01 leaves out earlier entries: the axis starts at the first kept one."""
    goal = _goal([(date(2026, 9, 1), 20), (date(2026, 10, 6), 15), (date(2026, 11, 3), 10)])
    lines = _plain(goal, since=date(2026, 10, 1))
    assert any(line.strip().startswith("2026-10-06") for line in lines)
    assert not any("2026-09-01" in line for line in lines)


def test_since_after_every_entry_says_so() -> None:
    """A window with no entries says there are none since that date."""
    goal = _goal([(date(2026, 9, 1), 20)])
    assert _plain(goal, since=date(2026, 11, 1))[-1] == "no entries since 2026-11-01"


def test_goal_without_entries() -> None:
    """A goal with no entries says how to log one instead of drawing an empty plot."""
    assert "no entries yet" in _plain(_goal([]))[-1]


def test_unknown_measure_uses_the_data_range() -> None:
    """No instrument: the y axis spans the data, target included, on round numbers."""
    goal = _goal([(date(2026, 9, 1), 120), (date(2026, 9, 8), 180)], measure=None, target=200)
    rows = _plot_rows(_plain(goal))
    assert rows[0].startswith("200")
    assert rows[-1].startswith("120 +*")


def test_target_and_cutoff_lines_and_legend() -> None:
    """PHQ-9: a '=' target line on the row labelled 9; the '-' cutoff line (10) on the row of
    10.5 just above it, unlabelled (rows are 1.5 apart: a label says its row's value only);
    both in the legend."""
    lines = _plain(_goal([(date(2026, 9, 1), 19), (date(2026, 9, 8), 15)]), 100)
    target = next(i for i, line in enumerate(lines) if line.startswith(" 9 +==="))
    assert lines[target - 1].startswith("   |---")
    assert lines[target - 2].startswith("12 +")
    assert any("= target 9" in line and "- cutoff 10" in line for line in lines)


def test_severity_bands_are_labelled() -> None:
    """PHQ-9 at 100 columns shows every Kroenke band label in the gutter."""
    text = "\n".join(_plain(_goal([(date(2026, 9, 1), 19)]), 100))
    for label in ("minimal", "mild", "moderate", "moderately severe", "severe"):
        assert label in text


def test_cli_chart_through_a_pipe_is_plain(home: Path) -> None:
    """`progress --chart` piped to another program writes ASCII at COLUMNS width."""
    result = run_cli(
        "--home",
        str(EXAMPLES),
        "progress",
        "c-1042",
        "1",
        "--chart",
        env={"COLUMNS": "60", "NO_COLOR": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Goal 1: Reduce depressive symptoms")
    assert all(line.isascii() and len(line) <= 60 for line in result.stdout.splitlines())


def test_cli_chart_refuses_machine_formats(runner: CliRunner) -> None:
    """--chart with --json is an input error (exit 1) with one line on stderr."""
    result = runner.invoke(
        __import__("goaltrack.cli.app", fromlist=["app"]).app,
        ["--home", str(EXAMPLES), "progress", "c-1042", "--chart", "--json"],
    )
    assert result.exit_code == 1
    assert "--chart" in result.stderr


def test_cli_since_needs_chart(runner: CliRunner) -> None:
    """--since without --chart is refused rather than silently ignored."""
    result = invoke(runner, "--home", str(EXAMPLES), "progress", "c-1042", "--since", "2026-10-01")
    assert result.exit_code == 1


@settings(max_examples=150, deadline=None)
@given(
    measure=st.sampled_from(["phq9", "gad7", "pcl5", "rses", "core10", "gbo", "suds", "gas", None]),
    offsets=st.lists(st.integers(min_value=0, max_value=900), min_size=0, max_size=60),
    fractions=st.lists(st.floats(min_value=0, max_value=1), min_size=60, max_size=60),
    width=st.integers(min_value=20, max_value=240),
    unicode=st.booleans(),
    target_fraction=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
)
def test_any_series_draws_within_width(
    measure: str | None,
    offsets: list[int],
    fractions: list[float],
    width: int,
    unicode: bool,
    target_fraction: float | None,
) -> None:
    """Any dates and in-range values, any width from 20: no crash, no line wider than allowed."""
    instrument = instruments.get(measure) if measure else None
    low, high = (instrument.min, instrument.max) if instrument else (-50.0, 500.0)

    def value(fraction: float) -> float:
        raw = low + fraction * (high - low)
        return float(round(raw)) if instrument is None or instrument.integer else raw

    start = date(2026, 1, 1)
    points = [
        (start + timedelta(days=o), value(f)) for o, f in zip(offsets, fractions, strict=False)
    ]
    target = value(target_fraction) if target_fraction is not None else None
    goal = _goal(points, measure=measure, target=target)
    lines = chart_lines(chart_views.goal_chart(goal, TODAY), width=width, unicode=unicode)
    assert all(len(line) <= max(width, 40) for line in lines)
    if not unicode:
        assert all(line.plain.isascii() for line in lines)


def test_analytics_modules_do_not_import_rich_or_typer() -> None:
    """outcomes, trend and gas are core: importing them loads neither rich nor typer."""
    code = (
        "import sys, goaltrack.measures.outcomes, goaltrack.measures.trend, "
        "goaltrack.measures.gas, goaltrack.views, goaltrack.chart_views; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_points_stay_on_the_correct_side_of_the_cutoff() -> None:
    """GAD-7 at 100 columns: the cutoff 10 is drawn on the row of 10.5; 9 is drawn below it."""
    goal = _goal(
        [(date(2026, 9, 1), 9), (date(2026, 9, 8), 9), (date(2026, 9, 15), 9)],
        measure="gad7",
        target=5,
    )
    rows = _plot_rows(_plain(goal, 100))
    cutoff = next(i for i, line in enumerate(rows) if "|---" in line)
    assert "*" not in rows[cutoff]
    assert "*" in rows[cutoff + 1]


def test_points_not_at_target_stay_off_the_target_line() -> None:
    """PHQ-9 target 9 at 60 columns: 10 is drawn above the target line, 9 on it."""
    goal = _goal([(date(2026, 9, 1), 10), (date(2026, 9, 8), 9)])
    rows = _plot_rows(_plain(goal, 60))
    target = next(i for i, line in enumerate(rows) if line.startswith(" 9 +"))
    assert rows[target].count("*") == 1
    assert any("*" in line for line in rows[:target])


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _on_terminal(columns: int, no_color: str = "") -> str:
    """Run `progress c-1042 1 --chart` on a pseudo-terminal; the text without ANSI codes."""
    import pexpect

    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": no_color, "TERM": "xterm-256color",
           "GOALTRACK_AS_OF": "2026-11-28", "LANG": "C.UTF-8"}  # fmt: skip
    child = pexpect.spawn(
        sys.executable, ["-m", "goaltrack", "--home", str(EXAMPLES), "progress", "c-1042", "1",
                         "--chart"],
        env=env, encoding="utf-8", timeout=HANG_GUARD, dimensions=(60, columns),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    text = child.before or ""
    child.close()
    assert child.exitstatus == 0
    return ANSI.sub("", text).replace("\r", "")


def test_terminal_chart_uses_braille_and_fits() -> None:
    """On a terminal the chart uses Braille dots, markers and box lines, within 60 columns."""
    text = _on_terminal(60)
    assert "●" in text and "━" in text and "┄" in text
    assert any("\u2800" < char <= "\u28ff" for char in text)
    assert all(len(line) <= 60 for line in text.splitlines())


def test_terminal_chart_with_no_color_is_plain() -> None:
    """NO_COLOR on a terminal gives the plain ASCII chart."""
    text = _on_terminal(60, no_color="1")
    assert text.isascii()
    assert "= target 9" in text


def test_unicode_chart_projects_the_trend_to_the_target() -> None:
    """c-1042 goal 2 (on track, target by 12-07, due shown): a dotted trend in the legend;
    goal 1 (target reached) has none."""
    record = store.load("c-1042", EXAMPLES)

    def legend(number: int) -> str:
        goal = record.goal(number)
        assert goal is not None
        lines = chart_lines(chart_views.goal_chart(goal, TODAY), width=100, unicode=True)
        return lines[-1].plain

    assert "trend" in legend(2)
    assert "trend" not in legend(1)


LABELLED_ROW = re.compile(r"\s*(-?[\d.]+) \+")
PCL5_POINTS = [("-10w", 64), ("-8w", 58), ("-6w", 47), ("-4w", 41), ("-2w", 33), ("-1d", 26)]


def _read_back(text: str) -> tuple[list[float], list[tuple[int, int]]]:
    """From a plain chart: each plot row's value (from the labels, which must lie on one
    straight line) and each point's (row, column)."""
    rows = _plot_rows(text.splitlines())
    labelled = {
        index: float(match.group(1))
        for index, line in enumerate(rows)
        if (match := LABELLED_ROW.match(line))
    }
    (first, top), (last, bottom) = min(labelled.items()), max(labelled.items())
    step = (top - bottom) / (last - first)
    values = [top - (index - first) * step for index in range(len(rows))]
    assert all(abs(values[index] - value) < 1e-9 for index, value in labelled.items())
    stars = [(row, col) for row, line in enumerate(rows) for col, char in enumerate(line)
             if char == "*"]  # fmt: skip
    return values, stars


def test_chart_height_and_rows_are_the_same_at_every_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PCL-5 at 60, 100 and 160 columns: the same height, every label its row's value, and
    each point on the row whose value is nearest its own (64 on the row of 65, not of 60)."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "trauma-resolution", "Fewer flashbacks",
           "--baseline", "64", "--target", "20")  # fmt: skip
    for day, value in PCL5_POINTS:
        invoke(runner, "log", "c-1", "1", str(value), "--date", day)
    seen = []
    for width in (60, 100, 160):
        monkeypatch.setenv("COLUMNS", str(width))
        result = invoke(runner, "progress", "c-1", "1", "--chart")
        assert result.exit_code == 0, result.output
        values, stars = _read_back(result.stdout)
        seen.append(values)
        assert len(stars) == len(PCL5_POINTS)
        for (row, _), (_, value) in zip(
            sorted(stars, key=lambda s: s[1]), PCL5_POINTS, strict=True
        ):
            nearest = min(range(len(values)), key=lambda r: abs(values[r] - value))
            assert row == nearest, (width, value, values[row])
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0]) == 17 and seen[0][0] == 80 and seen[0][-1] == 0


def test_unicode_chart_projects_a_trend_that_misses_the_target() -> None:
    """A trend too slow to reach the target by the due date is still drawn, up to the due
    date, whatever the due date's distance (issue 17: not only when the due date is near)."""
    start = date(2026, 9, 1)
    goal = _goal([(start + timedelta(weeks=i), 20 - i * 0.5) for i in range(6)], target=5)
    goal.due = date(2026, 12, 20)
    lines = chart_lines(chart_views.goal_chart(goal, date(2026, 10, 10)), width=100, unicode=True)
    assert "trend" in lines[-1].plain
    assert "due" not in lines[-1].plain  # beyond the frame: the trend stops at its edge


# ---- the projection in plain ASCII (issue 17) ---------------------------------------------------


def test_ascii_chart_projects_the_trend_with_a_mark_and_a_legend() -> None:
    """Plain ASCII: c-1042 goal 2 (on track) draws `~` after its last entry and "~ trend" in
    the legend; goal 1 (target reached) draws neither."""
    record = store.load("c-1042", EXAMPLES)

    def plain(number: int) -> list[str]:
        goal = record.goal(number)
        assert goal is not None
        lines = chart_lines(chart_views.goal_chart(goal, TODAY), width=100, unicode=False)
        return [line.plain.rstrip() for line in lines]

    on_track = plain(2)
    assert "~ trend" in on_track[-1]
    [row] = [row for row in _plot_rows(on_track) if "~" in row]
    assert row.startswith(" 9 +" + " " * 33 + "..*...*...*~~~~~ ")
    assert "~" not in "".join(plain(1))


def test_ascii_projection_leaves_the_target_and_cutoff_lines_whole() -> None:
    """`~` is drawn on blank cells only: the target row stays `=` across the plot."""
    start = TODAY - timedelta(weeks=6)
    goal = _goal([(start + timedelta(weeks=i), 22 - 2 * i) for i in range(6)], target=6)
    goal.due = date(2027, 3, 1)
    rows = _plot_rows(_plain(goal, width=100))
    target_rows = [row for row in rows if "=" in row]
    assert len(target_rows) == 1 and "~" not in target_rows[0]
    assert any("~" in row for row in rows)


def test_projection_stops_at_the_target() -> None:
    """c-2077 goal 2 (SUDS 40, target 30, due 2027-01-15, its projected date already past):
    the `~` line ends where it meets the target, never on the rows beyond it (up to the due
    date or the target, whichever comes first)."""
    goal = store.load("c-2077", EXAMPLES).goal(2)
    assert goal is not None
    rows = _plot_rows(_plain(goal, width=100))
    target_row = next(index for index, row in enumerate(rows) if "=" in row)
    trend_rows = [index for index, row in enumerate(rows) if "~" in row]
    assert trend_rows and max(trend_rows) < target_row


def test_no_projection_once_the_trend_line_is_past_the_target() -> None:
    """c-2077 goal 1: its fitted line is already below the PCL-5 target (latest 33 of 32), so
    nothing is projected, in ASCII or Unicode, and the axis is not stretched for it."""
    record = store.load("c-2077", EXAMPLES)
    goal = record.goal(1)
    assert goal is not None
    for unicode in (False, True):
        lines = chart_lines(chart_views.goal_chart(goal, TODAY), width=100, unicode=unicode)
        assert "trend" not in lines[-1].plain
