"""The least-squares trend and its projection, against hand-worked values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaltrack.measures.trend import fit_trend, projected_date

D0 = date(2026, 9, 1)


def _points(values: list[float], every: int = 7) -> list[tuple[date, float]]:
    return [(D0 + timedelta(days=every * i), v) for i, v in enumerate(values)]


def test_slope_hand_worked() -> None:
    """x 0,7,14; y 19,17,14: Sxy = -35, Sxx = 98, slope -0.357/day = -2.5/week, a = 19.1667."""
    trend = fit_trend(_points([19, 17, 14]))
    assert trend is not None
    assert trend.slope_per_week == pytest.approx(-2.5)
    assert trend.intercept == pytest.approx(19.166667, abs=1e-6)


def test_projection_hand_worked() -> None:
    """Line 19.1667 - 0.35714 d reaches 9 at d = 28.47: the first whole day is day 29."""
    trend = fit_trend(_points([19, 17, 14]))
    assert trend is not None
    assert projected_date(trend, 9, 14) == date(2026, 9, 30)


def test_fewer_than_three_points_have_no_trend() -> None:
    """Two points always fit a line exactly; the trend starts at three."""
    assert fit_trend(_points([19, 17])) is None


def test_points_all_on_one_day_have_no_trend() -> None:
    """Three entries on the same day have no slope."""
    assert fit_trend(_points([19, 17, 14], every=0)) is None


def test_same_day_entries_count_as_points() -> None:
    """x 0,0,7; y 10,12,14: mean x 7/3, Sxx = 294/9, Sxy = 14: slope 3/7 per day."""
    points = [(D0, 10.0), (D0, 12.0), (D0 + timedelta(days=7), 14.0)]
    trend = fit_trend(points)
    assert trend is not None
    assert trend.slope_per_day == pytest.approx(3 / 7)


def test_flat_trend_has_no_projection() -> None:
    """10, 10, 10 never reaches 9."""
    trend = fit_trend(_points([10, 10, 10]))
    assert trend is not None
    assert projected_date(trend, 9, 10) is None


def test_moving_away_has_no_projection() -> None:
    """Lower is better, 12, 13, 14 heading up, target 9: no projected date."""
    trend = fit_trend(_points([12, 13, 14]))
    assert trend is not None
    assert projected_date(trend, 9, 14) is None


def test_projection_never_before_last_entry() -> None:
    """20, 10, 12: line 18 - 4/7 d crossed 11 on day 12.25, before day 14, while the latest
    value (12) has not reached 11: no projection (issue 13; it was clamped to day 14)."""
    trend = fit_trend(_points([20, 10, 12]))
    assert trend is not None
    assert projected_date(trend, 11, 12) is None


def test_projection_never_before_the_as_of_date() -> None:
    """19, 17, 14 weekly: line reaches 9 on day 29 (30 Sep from D0); as of 1 Oct: none."""
    trend = fit_trend(_points([19, 17, 14]))
    assert trend is not None
    assert projected_date(trend, 9, 14, today=D0 + timedelta(days=29)) == D0 + timedelta(29)
    assert projected_date(trend, 9, 14, today=D0 + timedelta(days=30)) is None


def test_projection_beyond_ten_years_is_none() -> None:
    """(0,20), (1000,20), (2000,19): -0.0005/day needs 22,000 days to reach 9: none."""
    points = [(D0, 20.0), (D0 + timedelta(1000), 20.0), (D0 + timedelta(2000), 19.0)]
    trend = fit_trend(points)
    assert trend is not None
    assert projected_date(trend, 9, 19) is None


@given(
    st.lists(st.integers(min_value=0, max_value=27), min_size=3, max_size=200),
    st.integers(min_value=0, max_value=27),
)
def test_projection_is_never_before_the_data(values: list[int], target: int) -> None:
    """Whatever the series, a projected date is on or after the last entry."""
    points = _points([float(v) for v in values], every=3)
    trend = fit_trend(points)
    assert trend is not None
    projected = projected_date(trend, target, values[-1])
    assert projected is None or projected >= points[-1][0]


def test_projection_past_the_last_representable_date_is_none() -> None:
    """Entries in the year 9999 heading slowly to target: no date exists, so none."""
    start = date(9999, 1, 1)
    points = [(start, 20.0), (start + timedelta(100), 19.0), (start + timedelta(200), 18.0)]
    trend = fit_trend(points)
    assert trend is not None
    assert projected_date(trend, 9, 18) is None
