"""Trend edges: the fitted line's own values and the limits of a projection."""

from __future__ import annotations

from datetime import date, timedelta

from goaltrack.measures.trend import Trend, fit_trend, projected_date

D0 = date(2026, 9, 1)


def line(*points: tuple[int, float]) -> Trend:
    """The least-squares trend through (days after D0, value) points."""
    trend = fit_trend([(D0 + timedelta(days=day), value) for day, value in points])
    assert trend is not None
    return trend


def test_value_on_a_day_follows_the_line() -> None:
    """Through (0, 10), (10, 8), (20, 6): slope -0.2 a day, so day 5 is 10 - 1 = 9."""
    assert line((0, 10), (10, 8), (20, 6)).value_on(D0 + timedelta(days=5)) == 9.0


def test_value_on_the_origin_is_the_intercept() -> None:
    """Through (0, 10), (10, 8), (20, 6): the value on day 0 is the intercept 10."""
    assert line((0, 10), (10, 8), (20, 6)).value_on(D0) == 10.0


def test_trend_counts_points_and_spans_first_to_last_date() -> None:
    """Four points given out of date order: 4 points, origin day 0, last day 21."""
    trend = line((14, 5), (0, 8), (21, 4), (7, 6))
    assert (trend.points, trend.origin, trend.last) == (4, D0, D0 + timedelta(days=21))


def test_slope_and_intercept_hand_worked() -> None:
    """(0, 18), (9, 17), (18, 16): slope -1/9 a day = -7/9 a week, intercept 18."""
    trend = line((0, 18), (9, 17), (18, 16))
    assert (round(trend.slope_per_day, 12), round(trend.intercept, 12)) == (
        round(-1 / 9, 12),
        18.0,
    )
    assert round(trend.slope_per_week, 4) == -0.7778


def test_unequal_spacing_slope() -> None:
    """(0, 10), (1, 10), (4, 4): mean x 5/3, mean y 8; sxx 26/3, sxy -14: slope -21/13."""
    trend = line((0, 10), (1, 10), (4, 4))
    assert round(trend.slope_per_day, 12) == round(-21 / 13, 12)


def test_latest_on_the_target_has_no_projection() -> None:
    """A falling line whose latest value already equals the target projects nothing."""
    assert projected_date(line((0, 19), (7, 17), (14, 15)), 15, 15) is None


def test_a_gap_of_half_a_point_still_projects() -> None:
    """(0, 1), (1, 2), (2, 3) toward 3.5 from 3: reaches it on day 2.5, reported as day 3."""
    assert projected_date(line((0, 1), (1, 2), (2, 3)), 3.5, 3) == D0 + timedelta(days=3)


def test_a_whole_day_crossing_is_that_day() -> None:
    """(0, 0), (5, 5), (10, 10), slope 1 from 0: reaches 20 on day 20 exactly, not day 21."""
    assert projected_date(line((0, 0), (5, 5), (10, 10)), 20, 10) == D0 + timedelta(days=20)


def test_a_projection_exactly_ten_years_out_is_kept() -> None:
    """Slope 1 from 0, last entry day 10: target 3660 is reached 3650 days after it: kept."""
    trend = line((0, 0), (5, 5), (10, 10))
    assert projected_date(trend, 3660, 10) == D0 + timedelta(days=3660)


def test_a_projection_a_day_past_ten_years_is_dropped() -> None:
    """Slope 1 from 0, last entry day 10: target 3661 is 3651 days after it: not in sight."""
    assert projected_date(line((0, 0), (5, 5), (10, 10)), 3661, 10) is None


def test_ten_years_are_counted_from_the_last_entry() -> None:
    """Entries on days 0..100, slope 1: target 3700 is 3600 days after day 100: kept."""
    trend = line((0, 0), (50, 50), (100, 100))
    assert projected_date(trend, 3700, 100) == D0 + timedelta(days=3700)
