"""Issue 13, honest trends: each case through the CLI with hand-worked values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import invoke


def _goal(runner: CliRunner, *options: str, kind: str = "symptom-reduction") -> None:
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", kind, "Goal", *options)
    assert result.exit_code == 0, result.stderr


def _log(runner: CliRunner, *pairs: tuple[str, str]) -> None:
    for on, value in pairs:
        result = invoke(runner, "log", "c-1", "1", value, "--date", on)
        assert result.exit_code == 0, result.stderr


def _summary(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, as_of: str) -> dict[str, Any]:
    monkeypatch.setenv("GOALTRACK_AS_OF", as_of)
    result = invoke(runner, "progress", "c-1", "--json")
    assert result.exit_code == 0, result.stderr
    goals: list[dict[str, Any]] = json.loads(result.stdout)["goals"]
    return goals[0]


# --force: the due date stays fixed once the clock passes it
PHQ9 = ("--measure", "phq9", "--baseline", "19", "--target", "9", "--due", "2026-12-15", "--force")
WEEKLY = (("2026-09-01", "19"), ("2026-09-08", "17"), ("2026-09-15", "14"))


def _verdict(goal: dict[str, Any]) -> tuple[Any, ...]:
    return (goal["slope_per_week"], goal["projected_date"], goal["on_track"], goal["status_word"])


def test_three_points_within_a_day_give_no_slope(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """19, 17, 14 within one day (14-15 Sep): no slope, projection or verdict (was -24.5 points
    a week and "on track": the line falls 3.5 points a day)."""
    _goal(runner, *PHQ9)
    _log(runner, ("2026-09-14", "19"), ("2026-09-15", "17"), ("2026-09-15", "14"))
    assert _verdict(_summary(runner, monkeypatch, "2026-09-16")) == (
        None,
        None,
        None,
        "no change",
    )


def test_three_dates_over_thirteen_days_give_no_slope(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three dates spanning 13 days are short of the 14-day minimum: no slope."""
    _goal(runner, *PHQ9)
    _log(runner, ("2026-09-01", "19"), ("2026-09-08", "17"), ("2026-09-14", "14"))
    assert _summary(runner, monkeypatch, "2026-09-15")["slope_per_week"] is None


def test_weekly_points_project_hand_worked(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """19, 17, 14 weekly: slope -2.5/week, the line reaches 9 on day 28.47 -> 30 Sep: on track."""
    _goal(runner, *PHQ9)
    _log(runner, *WEEKLY)
    assert _verdict(_summary(runner, monkeypatch, "2026-09-29")) == (
        -2.5,
        "2026-09-30",
        True,
        "on track",
    )


def test_no_projection_into_the_past_of_the_as_of_date(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same series as of 1 Oct: the line met 9 on 30 Sep, 14 is not 9: no date, no verdict
    (19 -> 14 is 5 points, short of the reliable 6: "no change")."""
    _goal(runner, *PHQ9)
    _log(runner, *WEEKLY)
    assert _verdict(_summary(runner, monkeypatch, "2026-10-01")) == (
        -2.5,
        None,
        None,
        "no change",
    )


def test_line_crossed_before_the_last_entry_is_not_on_track(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GBO 0, 10, 8 weekly, target 9: line 2 + 4/7 d met 9 on day 12.25; 8 is not 9."""
    _goal(runner, "--measure", "gbo", "--baseline", "0", "--target", "9", "--due", "2026-12-15")
    _log(runner, ("2026-09-01", "0"), ("2026-09-08", "10"), ("2026-09-15", "8"))
    goal = _summary(runner, monkeypatch, "2026-09-15")
    assert (goal["projected_date"], goal["on_track"]) == (None, None)


def test_stale_suppresses_on_track_and_projection(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As of 29 Sep with stale after 10 days (14 days since the last entry): both null."""
    _goal(runner, *PHQ9)
    _log(runner, *WEEKLY)
    monkeypatch.setenv("GOALTRACK_STALE_DAYS", "10")
    goal = _summary(runner, monkeypatch, "2026-09-29")
    assert (goal["stale"], goal["projected_date"], goal["on_track"]) == (True, None, None)


def test_gas_goal_without_target_aims_at_zero(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GAS -2, 0, +2 weekly without --target: target 0, reached, on track (was off track)."""
    _goal(runner, "--measure", "gas", "--due", "2026-12-15", kind="coping")
    _log(runner, ("2026-09-01", "-2"), ("2026-09-08", "0"), ("2026-09-15", "2"))
    goal = _summary(runner, monkeypatch, "2026-09-16")
    assert (goal["target"], goal["target_reached"], goal["on_track"], goal["status_word"]) == (
        0,
        True,
        True,
        "target reached",
    )


def test_goal_without_target_has_on_track_null(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GBO goal with a due date but no target, 3, 5, 6 weekly: on_track null, never false."""
    _goal(runner, "--measure", "gbo", "--due", "2026-12-15", kind="coping")
    _log(runner, ("2026-09-01", "3"), ("2026-09-08", "5"), ("2026-09-15", "6"))
    goal = _summary(runner, monkeypatch, "2026-09-16")
    assert (goal["target"], goal["on_track"]) == (None, None)


def test_as_of_is_a_snapshot(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """19, 17, 8: as of 10 Sep the 8 of 15 Sep is not counted: latest 17, 2 days, not reached."""
    _goal(runner, *PHQ9)
    _log(runner, ("2026-09-01", "19"), ("2026-09-08", "17"), ("2026-09-15", "8"))
    goal = _summary(runner, monkeypatch, "2026-09-10")
    assert (goal["latest"], goal["entries"], goal["days_since_entry"], goal["target_reached"]) == (
        17,
        2,
        2,
        False,
    )
