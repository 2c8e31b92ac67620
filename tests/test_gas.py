"""GAS T-score (Kiresuk & Sherman 1968), against hand-worked examples."""

from __future__ import annotations

from datetime import date

import pytest

from goaltrack.measures.gas import client_gas, gas_t_score
from goaltrack.records.model import Goal, GoalKind, GoalStatus, Priority, ProgressEntry

D = date(2026, 9, 1)


def test_goals_met_as_expected_score_50() -> None:
    """All goals at 0: the numerator is 0, T = 50."""
    assert gas_t_score([0, 0, 0]) == 50


def test_unweighted_hand_worked() -> None:
    """Levels +1,+1,0,-1 (n=4): T = 50 + 10*1/sqrt(0.7*4 + 0.3*16) = 50 + 10/2.7568 = 53.627."""
    assert gas_t_score([1, 1, 0, -1]) == pytest.approx(53.627381, abs=1e-6)


def test_three_goals_at_plus_one() -> None:
    """Levels +1 x3: T = 50 + 30/sqrt(2.1 + 2.7) = 50 + 30/2.1909 = 63.693."""
    assert gas_t_score([1, 1, 1]) == pytest.approx(63.693064, abs=1e-6)


def test_weighted_hand_worked() -> None:
    """w 3,2,1; x 1,0,-1: sum wx = 2; 0.7*14 + 0.3*36 = 20.6; T = 50 + 20/4.5387 = 54.407."""
    assert gas_t_score([1, 0, -1], [3, 2, 1]) == pytest.approx(54.406526, abs=1e-6)


def test_single_goal_at_minus_two() -> None:
    """n = 1: the denominator is sqrt(0.7 + 0.3) = 1, so -2 gives T = 30."""
    assert gas_t_score([-2]) == 30


@pytest.mark.parametrize(("levels", "weights"), [([], None), ([1, 0], [1]), ([1], [0])])
def test_invalid_input_is_refused(levels: list[int], weights: list[float] | None) -> None:
    """No goals, a missing weight, or a zero weight is an error, not a number."""
    with pytest.raises(ValueError):
        gas_t_score(levels, weights)


def _gas_goal(
    number: int,
    values: list[int],
    priority: Priority = Priority.MEDIUM,
    status: GoalStatus = GoalStatus.ACTIVE,
    measure: str = "gas",
) -> Goal:
    entries = [
        ProgressEntry(id=f"G{number}-{i}", date=date(2026, 9, 1 + i), value=v)
        for i, v in enumerate(values)
    ]
    return Goal(
        number=number,
        kind=GoalKind.AUTONOMY,
        title="g",
        measure=measure,
        priority=priority,
        status=status,
        created=D,
        progress=entries,
    )


def test_client_gas_uses_latest_levels() -> None:
    """Goals at latest +1 and 0 (the c-3150 example): T = 50 + 10/sqrt(2.6) = 56.2."""
    summary = client_gas([_gas_goal(2, [-1, 0, 1]), _gas_goal(3, [-2, 0])])
    assert summary is not None
    assert summary.t_score == 56.2
    assert summary.goals == [2, 3]
    assert summary.levels == [1, 0]


def test_client_gas_skips_dropped_unscored_and_other_measures() -> None:
    """A dropped GAS goal, a GBO goal and an unscored GAS goal do not count; one -1 gives 40."""
    goals = [
        _gas_goal(1, [-1]),
        _gas_goal(2, [2], status=GoalStatus.DROPPED),
        _gas_goal(3, [9], measure="gbo"),
        _gas_goal(4, []),
    ]
    summary = client_gas(goals)
    assert summary is not None
    assert (summary.t_score, summary.goals, summary.unscored) == (40.0, [1], [4])


def test_client_gas_priority_weights() -> None:
    """High (3) at +1, low (1) at -1: sum wx = 2; 0.7*10 + 0.3*16 = 11.8; T = 55.822."""
    summary = client_gas(
        [_gas_goal(1, [1], Priority.HIGH), _gas_goal(2, [-1], Priority.LOW)], "priority"
    )
    assert summary is not None
    assert summary.t_score == 55.8
    assert summary.weights == [3.0, 1.0]


def test_client_without_gas_goals_has_no_score() -> None:
    """No GAS goal: no T-score at all (not 50)."""
    assert client_gas([_gas_goal(1, [5], measure="gbo")]) is None
