"""Outcome analytics: every figure checked against a value worked by hand (see docstrings)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaltrack.measures import instruments
from goaltrack.measures.change import (
    ClinicalChange,
    Movement,
    better_direction,
    clinical_significance,
    improvement,
    jacobson_truax_rci,
    percent_to_target,
    reliable_change,
)
from goaltrack.measures.instruments import Direction, Instrument
from goaltrack.measures.outcomes import (
    StatusWord,
    is_overdue,
    is_stale,
    on_track,
    summarize_goal,
    target_reached,
)
from goaltrack.measures.trend import fit_trend
from goaltrack.records.model import Goal, GoalKind, GoalStatus, ProgressEntry

PHQ9 = instruments.get("phq9")
GAD7 = instruments.get("gad7")
GBO = instruments.get("gbo")
D0 = date(2026, 9, 1)
TODAY = date(2026, 11, 28)
# A user scale with only SD and reliability (for Jacobson & Truax), higher is better.
JT_SCALE = Instrument(
    key="jt", name="JT scale", min=0, max=30, better=Direction.HIGHER, sd=7.5, reliability=0.9
)
# A higher-is-better scale with a cutoff (clinical below 25) and a 5-point threshold.
ORS_LIKE = Instrument(
    key="orsx",
    name="ORS-like",
    min=0,
    max=40,
    better=Direction.HIGHER,
    cutoff=25,
    reliable_change=5,
)


def _goal(
    values: list[float],
    *,
    measure: str | None = "phq9",
    baseline: float | None = None,
    target: float | None = 9,
    due: date | None = None,
    every: int = 7,
    status: GoalStatus = GoalStatus.ACTIVE,
    start: date = D0,
) -> Goal:
    entries = [
        ProgressEntry(id=f"E{i}", date=start + timedelta(days=every * i), value=value)
        for i, value in enumerate(values)
    ]
    return Goal(
        number=1,
        kind=GoalKind.SYMPTOM_REDUCTION,
        title="t",
        measure=measure,
        baseline=baseline,
        target=target,
        due=due,
        status=status,
        created=start,
        progress=entries,
    )


# --- the three cases the issue names -------------------------------------------------------


def test_phq9_19_to_8_is_recovered() -> None:
    """PHQ-9 19 -> 8: change 11 >= 6 (reliable) and crosses the cutoff 10: recovered."""
    assert reliable_change(19, 8, PHQ9) is Movement.IMPROVED
    assert clinical_significance(19, 8, PHQ9) is ClinicalChange.RECOVERED


def test_phq9_19_to_15_is_unchanged() -> None:
    """PHQ-9 19 -> 15: change 4 < 6, not reliable: unchanged."""
    assert reliable_change(19, 15, PHQ9) is Movement.NONE
    assert clinical_significance(19, 15, PHQ9) is ClinicalChange.UNCHANGED


def test_phq9_12_to_19_is_deteriorated() -> None:
    """PHQ-9 12 -> 19: 7 points worse, >= 6: deteriorated."""
    assert reliable_change(12, 19, PHQ9) is Movement.DETERIORATED
    assert clinical_significance(12, 19, PHQ9) is ClinicalChange.DETERIORATED


def test_phq9_change_of_exactly_six_is_reliable_but_not_recovered() -> None:
    """PHQ-9 19 -> 13: 6 >= 6 is reliable (IAPT), but 13 is still >= 10: improved."""
    assert clinical_significance(19, 13, PHQ9) is ClinicalChange.IMPROVED


def test_starting_below_cutoff_can_only_improve_not_recover() -> None:
    """PHQ-9 9 -> 2: reliable (7), but 9 was never clinical: improved, not recovered."""
    assert clinical_significance(9, 2, PHQ9) is ClinicalChange.IMPROVED


def test_higher_is_better_cutoff_recovery() -> None:
    """ORS-like (clinical below 25, RC 5): 20 -> 28 is +8 reliable and crosses: recovered."""
    assert clinical_significance(20, 28, ORS_LIKE) is ClinicalChange.RECOVERED


def test_higher_is_better_cutoff_value_itself_is_non_clinical() -> None:
    """ORS-like: 25 is at the cutoff, so non-clinical; 25 -> 30 (+5) is improved."""
    assert clinical_significance(25, 30, ORS_LIKE) is ClinicalChange.IMPROVED


def test_no_cutoff_means_no_clinical_significance() -> None:
    """GBO has no cutoff and no reliable-change figure: both answers are None."""
    assert clinical_significance(3, 8, GBO) is None
    assert reliable_change(3, 8, GBO) is None


# --- Jacobson & Truax ----------------------------------------------------------------------


def test_jacobson_truax_rci_hand_worked() -> None:
    """SD 7.5, r .9: S_E = 7.5*sqrt(.1) = 2.3717, S_diff = 3.3541; 11 -> 20 gives 9/3.3541."""
    assert jacobson_truax_rci(11, 20, 7.5, 0.9) == pytest.approx(2.683282, abs=1e-6)


def test_jacobson_truax_decides_reliable_change_without_published_points() -> None:
    """JT scale: RCI 2.68 > 1.96 is reliable; 11 -> 17 gives RCI 1.79, not reliable."""
    assert reliable_change(11, 20, JT_SCALE) is Movement.IMPROVED
    assert reliable_change(11, 17, JT_SCALE) is Movement.NONE
    assert reliable_change(20, 11, JT_SCALE) is Movement.DETERIORATED


# --- change, percent, direction ------------------------------------------------------------


def test_improvement_is_signed_by_direction() -> None:
    """GAD-7 14 -> 9 is +5 (lower is better); RSES 11 -> 18 is +7 (higher is better)."""
    assert improvement(14, 9, Direction.LOWER) == 5
    assert improvement(11, 18, Direction.HIGHER) == 7
    assert improvement(12, 19, Direction.LOWER) == -7


def test_improvement_tidies_float_noise() -> None:
    """19.1 -> 17 on a lower-is-better scale is 2.1 better, not 2.1000000000000014."""
    assert improvement(19.1, 17, Direction.LOWER) == 2.1


def test_direction_inferred_from_target_without_instrument() -> None:
    """No known measure: baseline 3, target 8 means higher is better; 8 -> 3 lower."""
    assert better_direction(None, 3, 8) is Direction.HIGHER
    assert better_direction(None, 8, 3) is Direction.LOWER
    assert better_direction(None, 5, 5) is None
    assert better_direction(GAD7, 3, 8) is Direction.LOWER


def test_percent_to_target_may_exceed_100_and_go_negative() -> None:
    """19 -> 8 toward 9 is (8-19)/(9-19) = 110%; CORE-10 17 -> 24 toward 10 is -100%."""
    assert percent_to_target(19, 9, 8) == 110.0
    assert percent_to_target(17, 10, 24) == -100.0
    assert percent_to_target(5, 5, 4) is None


def test_percent_to_target_without_progress_is_plain_zero() -> None:
    """No change from baseline is 0.0, never -0.0 (JSON and CSV would print the sign)."""
    assert str(percent_to_target(17, 10, 17)) == "0.0"


def test_target_reached_by_direction() -> None:
    """Lower is better: 8 <= 9 reached, 10 not; higher: 8 >= 8 reached."""
    assert target_reached(8, 9, Direction.LOWER) is True
    assert target_reached(10, 9, Direction.LOWER) is False
    assert target_reached(8, 8, Direction.HIGHER) is True
    assert target_reached(8, None, Direction.HIGHER) is None


# --- flags ---------------------------------------------------------------------------------


def test_on_track_compares_projection_with_due() -> None:
    """Projected 12-07 before due 12-15: on track; 2027-01-01: off; no projection: off."""
    trend = fit_trend([(D0, 19), (D0 + timedelta(7), 17), (D0 + timedelta(14), 14)])
    due = date(2026, 12, 15)
    assert on_track(due, False, trend, date(2026, 12, 7)) is True
    assert on_track(due, False, trend, date(2027, 1, 1)) is False
    assert on_track(due, False, trend, None) is False
    assert on_track(due, True, None, None) is True
    assert on_track(due, False, None, None) is None
    assert on_track(None, False, trend, date(2026, 12, 7)) is None


def test_overdue_is_strictly_after_due_and_not_reached() -> None:
    """Due 11-01, today 11-28, not reached: overdue; reached or due today: not."""
    assert is_overdue(date(2026, 11, 1), False, TODAY) is True
    assert is_overdue(date(2026, 11, 1), None, TODAY) is True
    assert is_overdue(date(2026, 11, 1), True, TODAY) is False
    assert is_overdue(TODAY, False, TODAY) is False
    assert is_overdue(None, False, TODAY) is False


def test_stale_after_more_than_n_days() -> None:
    """Last entry 10-20, today 11-28 = 39 days > 28: stale; 28 days exactly is not."""
    assert is_stale(date(2026, 10, 20), TODAY) is True
    assert is_stale(TODAY - timedelta(days=28), TODAY) is False
    assert is_stale(date(2026, 10, 20), TODAY, stale_days=40) is False


# --- the summary and its status word -------------------------------------------------------


def test_summary_of_the_example_phq9_goal() -> None:
    """19..8 over 12 weekly entries: +11 better, recovered, mild band, target reached."""
    values = [19, 18, 17, 17, 15, 14, 13, 12, 11, 10, 9, 8]
    summary = summarize_goal(_goal(values, baseline=19, due=date(2026, 12, 15)), PHQ9, today=TODAY)
    assert summary.improvement == 11
    assert summary.change == -11
    assert summary.reliable_change == "improved"
    assert summary.clinical_significance == "recovered"
    assert summary.band == "mild"
    assert summary.target_reached is True
    assert summary.on_track is True
    assert summary.days_since_entry == (TODAY - date(2026, 11, 17)).days == 11
    assert summary.status_word == "target reached"


def test_slope_and_projection_hand_worked() -> None:
    """19, 17, 14 weekly: slope -35/98 per day = -2.5/week; line reaches 9 on day 28.47."""
    summary = summarize_goal(
        _goal([19, 17, 14], due=date(2026, 10, 15)), PHQ9, today=date(2026, 9, 16)
    )
    assert summary.slope_per_week == -2.5
    assert summary.projected_date == D0 + timedelta(days=29) == date(2026, 9, 30)
    assert summary.on_track is True
    assert summary.status_word == "on track"


def test_off_track_when_projection_is_after_due() -> None:
    """19, 17, 14 weekly reaches 9 on 09-30, after a due date of 09-25: off track."""
    summary = summarize_goal(
        _goal([19, 17, 14], due=date(2026, 9, 25)), PHQ9, today=date(2026, 9, 16)
    )
    assert summary.on_track is False
    assert summary.status_word == "off track"


@pytest.mark.parametrize(
    ("status", "word"),
    [
        (GoalStatus.ACHIEVED, "achieved"),
        (GoalStatus.DROPPED, "dropped"),
        (GoalStatus.PAUSED, "paused"),
    ],
)
def test_clinician_status_comes_first(status: GoalStatus, word: str) -> None:
    """A goal the clinician marked achieved, dropped or paused says so, whatever the data."""
    summary = summarize_goal(_goal([19, 20, 25], status=status), PHQ9, today=TODAY)
    assert summary.status_word == word
    assert summary.overdue is False and summary.stale is False


def test_no_entries_is_not_enough_data() -> None:
    """A goal without entries has nothing to judge."""
    assert summarize_goal(_goal([]), PHQ9, today=D0).status_word == "not enough data"


def test_one_entry_without_reliable_change_is_not_enough_data() -> None:
    """One entry, no set baseline: the entry is its own baseline; nothing to judge yet."""
    assert summarize_goal(_goal([15]), PHQ9, today=D0).status_word == "not enough data"


def test_one_entry_with_reliable_improvement_is_improving() -> None:
    """Baseline 19 set, one entry of 12: 7 >= 6 reliable: improving already."""
    summary = summarize_goal(_goal([12], baseline=19), PHQ9, today=D0)
    assert summary.status_word == "improving"


def test_deterioration_outranks_staleness() -> None:
    """CORE-10 17 -> 24 last logged 39 days ago: worse (no reliable-change rule), and stale."""
    core10 = instruments.get("core10")
    goal = _goal([17, 20, 24], measure="core10", target=10, start=date(2026, 10, 6))
    summary = summarize_goal(goal, core10, today=TODAY)
    assert summary.stale is True
    assert summary.status_word == "worse"


def test_stale_goal() -> None:
    """PHQ-9 19, 17 and nothing for 39 days: stale."""
    goal = _goal([19, 17], start=date(2026, 10, 13))
    assert summarize_goal(goal, PHQ9, today=TODAY).status_word == "stale"


def test_stale_days_is_configurable() -> None:
    """The same goal with a 60-day threshold is not stale (19 -> 17: no change)."""
    goal = _goal([19, 17], start=date(2026, 10, 13))
    summary = summarize_goal(goal, PHQ9, today=TODAY, stale_days=60)
    assert summary.stale is False
    assert summary.status_word == "no change"


def test_overdue_goal() -> None:
    """Due 11-20, today 11-28, at 14 of a target 9: overdue."""
    goal = _goal([19, 17, 14], due=date(2026, 11, 20), start=date(2026, 11, 5))
    assert summarize_goal(goal, PHQ9, today=TODAY).status_word == "overdue"


def test_improving_without_due_date() -> None:
    """GBO 3 -> 6 without a due date (no reliable criterion: direction only): better."""
    goal = _goal([3, 4, 6], measure="gbo", target=8, start=date(2026, 11, 10))
    assert summarize_goal(goal, GBO, today=TODAY).status_word == "better"


def test_no_change() -> None:
    """GAD-7 14 -> 12 (2 < 4) without a due date: no change."""
    goal = _goal([14, 13, 12], measure="gad7", target=7, start=date(2026, 11, 10))
    assert summarize_goal(goal, GAD7, today=TODAY).status_word == "no change"


def test_unknown_measure_without_target_has_no_direction() -> None:
    """Values on an unknown measure with no target: better is unknown: 'no target'."""
    goal = _goal([3, 4, 6], measure="custom", target=None, start=date(2026, 11, 10))
    summary = summarize_goal(goal, None, today=TODAY)
    assert summary.better is None and summary.improvement is None
    assert summary.status_word == "no target"


def test_unknown_measure_with_target_infers_direction() -> None:
    """Unknown measure, baseline 3, target 8, now 6: 3 points better, "better" (no rule)."""
    goal = _goal([3, 4, 6], measure="custom", target=8, start=date(2026, 11, 10))
    summary = summarize_goal(goal, None, today=TODAY)
    assert (summary.better, summary.improvement, summary.status_word) == ("higher", 3, "better")


def test_summary_keeps_the_original_fields_first() -> None:
    """The machine contract: the original keys come first, in their original order."""
    keys = list(summarize_goal(_goal([19]), PHQ9, today=D0).as_dict())
    assert keys[:13] == [
        "goal",
        "title",
        "kind",
        "measure",
        "baseline",
        "target",
        "due",
        "latest",
        "latest_date",
        "change",
        "percent_to_target",
        "entries",
        "status",
    ]


@given(
    st.lists(st.integers(min_value=0, max_value=27), min_size=0, max_size=30),
    st.integers(min_value=0, max_value=27),
)
def test_status_word_is_always_a_known_word(values: list[int], target: int) -> None:
    """Any PHQ-9 series and target gives one of the documented words, and never crashes."""
    summary = summarize_goal(_goal(values, target=target, due=date(2026, 12, 1)), PHQ9, today=TODAY)
    assert summary.status_word in {word.value for word in StatusWord}
