"""Outcome figures at their edges: each expected value is worked by hand in the docstring."""

from __future__ import annotations

from datetime import date, timedelta

from goaltrack.measures import instruments
from goaltrack.measures.change import (
    ClinicalChange,
    Movement,
    change_from_baseline,
    clinical_significance,
    improvement,
    in_clinical_range,
    percent_to_target,
    reliable_change,
)
from goaltrack.measures.instruments import Direction, Instrument
from goaltrack.measures.outcomes import (
    is_overdue,
    on_track,
    summarize_goal,
    target_reached,
)
from goaltrack.measures.trend import fit_trend
from goaltrack.records.model import Goal, GoalKind, GoalStatus, ProgressEntry

D0 = date(2026, 9, 1)
D7 = date(2026, 9, 8)


def phq9() -> Instrument:
    """The built-in PHQ-9: lower is better, cutoff 10, reliable change 6 points."""
    found = instruments.get("phq9")
    assert found is not None
    return found


def scale(**fields: object) -> Instrument:
    """A user scale 0-40 (fractions allowed), higher is better, with the given fields."""
    spec: dict[str, object] = {
        "key": "s",
        "name": "S",
        "min": 0,
        "max": 40,
        "integer": False,
        "better": Direction.HIGHER,
    }
    return Instrument.model_validate(spec | fields)


def goal(
    points: list[tuple[int, float]],
    *,
    measure: str | None = "phq9",
    baseline: float | None = None,
    target: float | None = 9,
    due: date | None = None,
    status: GoalStatus = GoalStatus.ACTIVE,
) -> Goal:
    """Goal 4 with entries at (days after D0, value)."""
    return Goal(
        number=4,
        kind=GoalKind.SYMPTOM_REDUCTION,
        title="Sleep through the night",
        measure=measure,
        baseline=baseline,
        target=target,
        due=due,
        status=status,
        created=D0,
        progress=[
            ProgressEntry(id=f"E{i}", date=D0 + timedelta(days=day), value=value)
            for i, (day, value) in enumerate(points)
        ],
    )


# --- plain figures -------------------------------------------------------------------------


def test_change_needs_both_values() -> None:
    """No baseline or no latest value: no change at all (never a crash)."""
    assert (change_from_baseline(None, 14), change_from_baseline(19, None)) == (None, None)


def test_change_keeps_its_sign() -> None:
    """19 -> 14 is a change of -5 in the measure's units, whatever the direction."""
    assert change_from_baseline(19, 14) == -5


def test_percent_to_target_rounds_to_one_decimal() -> None:
    """19 -> 16 toward 10: (16-19)/(10-19) = 3/9 = 33.33...% -> 33.3."""
    assert percent_to_target(19, 10, 16) == 33.3


def test_improvement_needs_both_values() -> None:
    """No earlier or no later value: no improvement (never a crash)."""
    assert improvement(None, 14, Direction.LOWER) is None
    assert improvement(19, None, Direction.LOWER) is None


def test_improvement_rounds_to_six_decimals() -> None:
    """0 -> 0.1234567 on a higher-is-better scale is 0.123457 (float noise rounded away)."""
    assert improvement(0, 0.1234567, Direction.HIGHER) == 0.123457


def test_whole_float_improvement_is_an_int() -> None:
    """19.5 -> 17.5 is an improvement of 2, written "2" rather than "2.0"."""
    assert repr(improvement(19.5, 17.5, Direction.LOWER)) == "2"


# --- reliable change -----------------------------------------------------------------------


def test_reliable_change_needs_both_values() -> None:
    """No earlier or no later value: no reliable-change verdict."""
    assert reliable_change(None, 14, phq9()) is None
    assert reliable_change(19, None, phq9()) is None


def test_one_point_on_a_one_point_criterion_is_a_reliable_improvement() -> None:
    """Criterion 1 point: 5 -> 6 on a higher-is-better scale is +1 >= 1: improved."""
    assert reliable_change(5, 6, scale(reliable_change=1)) is Movement.IMPROVED


def test_one_point_worse_on_a_one_point_criterion_is_a_reliable_deterioration() -> None:
    """Criterion 1 point: 6 -> 5 on a higher-is-better scale is -1: deteriorated."""
    assert reliable_change(6, 5, scale(reliable_change=1)) is Movement.DETERIORATED


def test_no_change_is_never_reliable_movement() -> None:
    """Even with a vanishing criterion (1e-10 points), 5 -> 5 is no movement."""
    assert reliable_change(5, 5, scale(reliable_change=1e-10)) is Movement.NONE


def test_rci_of_exactly_1_96_is_not_reliable() -> None:
    """SD 2, r .5: S_E = 2*sqrt(.5), S_diff = sqrt(2*2) = 2; 0 -> 3.92: RCI 1.96, not > 1.96."""
    assert reliable_change(0, 3.92, scale(sd=2, reliability=0.5)) is Movement.NONE


def test_rci_just_above_1_96_is_reliable() -> None:
    """SD 2, r .5: 0 -> 3.93 gives RCI 1.965 > 1.96: a reliable improvement."""
    assert reliable_change(0, 3.93, scale(sd=2, reliability=0.5)) is Movement.IMPROVED


def test_sd_without_reliability_gives_no_verdict() -> None:
    """Jacobson & Truax needs both SD and reliability: SD alone gives no verdict."""
    assert reliable_change(0, 30, scale(sd=2)) is None


def test_reliability_without_sd_gives_no_verdict() -> None:
    """Reliability alone gives no verdict either."""
    assert reliable_change(0, 30, scale(reliability=0.9)) is None


# --- cutoff and clinical significance ------------------------------------------------------


def test_phq9_cutoff_itself_is_clinical() -> None:
    """PHQ-9 (lower is better): 10 is in the clinical range, 9 is not."""
    assert (in_clinical_range(10, phq9()), in_clinical_range(9, phq9())) == (True, False)


def test_higher_is_better_below_cutoff_is_clinical() -> None:
    """Cutoff 25, higher is better: 24.5 is clinical, 25 is not."""
    ors_like = scale(cutoff=25)
    assert (in_clinical_range(24.5, ors_like), in_clinical_range(25, ors_like)) == (True, False)


def test_no_cutoff_means_no_clinical_range() -> None:
    """Without a cutoff the clinical range is unknown."""
    assert in_clinical_range(30, scale()) is None


def test_phq9_10_to_4_crosses_the_cutoff_and_recovers() -> None:
    """PHQ-9 10 -> 4: 6 points (reliable) from clinical (10 >= 10) to 4 < 10: recovered."""
    assert clinical_significance(10, 4, phq9()) is ClinicalChange.RECOVERED


def test_phq9_15_to_9_recovers_by_ending_just_below_the_cutoff() -> None:
    """PHQ-9 15 -> 9: 6 points, and 9 is below the cutoff 10: recovered."""
    assert clinical_significance(15, 9, phq9()) is ClinicalChange.RECOVERED


def test_phq9_16_to_10_ends_on_the_cutoff_and_only_improves() -> None:
    """PHQ-9 16 -> 10: 6 points, but 10 is still clinical: improved, not recovered."""
    assert clinical_significance(16, 10, phq9()) is ClinicalChange.IMPROVED


def test_reliable_change_without_cutoff_has_no_clinical_significance() -> None:
    """A 5-point criterion but no cutoff: 10 -> 20 gets no clinical-significance class."""
    assert clinical_significance(10, 20, scale(reliable_change=5)) is None


def test_clinical_significance_needs_both_values() -> None:
    """PHQ-9 with a missing value: no class."""
    assert clinical_significance(None, 4, phq9()) is None
    assert clinical_significance(19, None, phq9()) is None


def test_cutoff_without_criterion_has_no_clinical_significance() -> None:
    """A cutoff but no reliable-change criterion: no class (reliability cannot be judged)."""
    assert clinical_significance(10, 30, scale(cutoff=25)) is None


# --- target, due date ----------------------------------------------------------------------


def test_landing_exactly_on_a_lower_target_reaches_it() -> None:
    """Lower is better, target 9: a latest value of 9 reaches it."""
    assert target_reached(9, 9, Direction.LOWER) is True


def test_projection_on_the_due_date_is_on_track() -> None:
    """A trend that reaches the target on the due date itself is on track."""
    trend = fit_trend([(D0, 19), (D0 + timedelta(7), 17), (D0 + timedelta(14), 14)])
    due = date(2026, 12, 15)
    assert on_track(due, False, trend, due) is True


def test_projection_a_day_after_the_due_date_is_off_track() -> None:
    """A trend that reaches the target the day after the due date is off track."""
    trend = fit_trend([(D0, 19), (D0 + timedelta(7), 17), (D0 + timedelta(14), 14)])
    due = date(2026, 12, 15)
    assert on_track(due, False, trend, due + timedelta(days=1)) is False


def test_due_date_passed_without_reached_flag_is_overdue() -> None:
    """Due 10-01, today 10-02, reached unknown: overdue."""
    assert is_overdue(date(2026, 10, 1), None, date(2026, 10, 2)) is True


# --- the whole summary ---------------------------------------------------------------------


def test_summary_of_a_hand_worked_goal() -> None:
    """PHQ-9 19 -> 17, 16, 15 on days 0, 9, 18; target 9 due 12-15; today day 19.

    change 15-19 = -4; percent (15-19)/(9-19) = 40.0; improvement 4 < 6: reliable "none",
    "unchanged"; band of 15: moderately severe. Line: mean x 9, mean y 16, slope -1/9 a day
    = -0.7778 a week -> -0.78; intercept 17; reaches 9 on day 72 = 11-12, before the due
    date: on track.
    """
    summary = summarize_goal(
        goal([(0, 17), (9, 16), (18, 15)], baseline=19, due=date(2026, 12, 15)),
        phq9(),
        today=date(2026, 9, 20),
    )
    assert summary.as_dict() == {
        "goal": 4,
        "title": "Sleep through the night",
        "kind": "symptom-reduction",
        "measure": "phq9",
        "baseline": 19,
        "target": 9,
        "due": date(2026, 12, 15),
        "latest": 15,
        "latest_date": date(2026, 9, 19),
        "change": -4,
        "percent_to_target": 40.0,
        "entries": 3,
        "status": "active",
        "improvement": 4,
        "better": "lower",
        "reliable_change": "none",
        "clinical_significance": "unchanged",
        "band": "moderately severe",
        "slope_per_week": -0.78,
        "projected_date": date(2026, 11, 12),
        "on_track": True,
        "target_reached": False,
        "overdue": False,
        "stale": False,
        "days_since_entry": 1,
        "status_word": "on track",
        "meaningful_change": None,
        "rule": "IAPT: reliable change >= 6, caseness >= 10",
        "rule_source": "NHS England, The Improving Access to Psychological Therapies (IAPT) "
        "Manual: reliable change PHQ-9 6, GAD-7 4 points; caseness PHQ-9 >= 10, GAD-7 >= 8",
    }


def test_summary_direction_comes_from_the_instrument() -> None:
    """A PHQ-9 goal without a target is still lower-is-better, from the instrument."""
    summary = summarize_goal(goal([(0, 19), (7, 15)], target=None), phq9(), today=D7)
    assert (summary.better, summary.improvement) == ("lower", 4)


def test_summary_without_a_trend_has_no_projection() -> None:
    """Two entries fit no trend: no slope and no projected date (None, not empty)."""
    summary = summarize_goal(goal([(0, 19), (7, 15)]), phq9(), today=D7)
    assert (summary.slope_per_week, summary.projected_date) == (None, None)


def test_summary_of_an_overdue_goal_sets_the_overdue_flag() -> None:
    """Due 09-10, today 09-20, at 15 of target 9: overdue is True in the summary."""
    summary = summarize_goal(
        goal([(0, 19), (7, 17), (14, 15)], due=date(2026, 9, 10)), phq9(), today=date(2026, 9, 20)
    )
    assert (summary.overdue, summary.status_word) == (True, "overdue")


def test_summary_of_a_reached_goal_past_due_is_not_overdue() -> None:
    """Due 09-10, today 09-20, at 8 of target 9: reached, so not overdue."""
    summary = summarize_goal(
        goal([(0, 19), (7, 12), (14, 8)], due=date(2026, 9, 10)), phq9(), today=date(2026, 9, 20)
    )
    assert (summary.overdue, summary.target_reached) == (False, True)


def test_paused_goal_has_no_on_track_verdict() -> None:
    """A paused goal with a due date and a trend is neither on nor off track."""
    summary = summarize_goal(
        goal([(0, 19), (7, 17), (14, 14)], due=date(2026, 12, 15), status=GoalStatus.PAUSED),
        phq9(),
        today=date(2026, 9, 16),
    )
    assert (summary.on_track, summary.status_word) == (None, "paused")


def test_one_point_gain_without_criterion_is_improving() -> None:
    """GBO (no reliable-change figure) 4 -> 5 toward 8: direction only, +1: better."""
    summary = summarize_goal(
        goal([(0, 4), (7, 5)], measure="gbo", target=8), instruments.get("gbo"), today=D7
    )
    assert summary.status_word == "better"


def test_back_at_baseline_without_criterion_is_no_change() -> None:
    """GBO 4 -> 4 toward 8: a change of 0 is no change, neither better nor worse."""
    summary = summarize_goal(
        goal([(0, 4), (7, 4)], measure="gbo", target=8), instruments.get("gbo"), today=D7
    )
    assert summary.status_word == "no change"


def test_half_point_loss_without_criterion_is_worse() -> None:
    """A user scale without criterion, 4 -> 3.5 toward 8: -0.5 is worse, not deteriorating."""
    summary = summarize_goal(goal([(0, 4), (7, 3.5)], measure="s", target=8), scale(), today=D7)
    assert summary.status_word == "worse"


def test_half_point_gain_without_criterion_is_improving() -> None:
    """A user scale without criterion, 4 -> 4.5 toward 8: +0.5 is better, not improving."""
    summary = summarize_goal(goal([(0, 4), (7, 4.5)], measure="s", target=8), scale(), today=D7)
    assert summary.status_word == "better"
