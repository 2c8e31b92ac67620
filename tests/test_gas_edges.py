"""GAS T-score edges: the rho range, refusals with their messages, and weighting choices."""

from __future__ import annotations

from datetime import date

import pytest

from goaltrack.measures.gas import client_gas, gas_t_score
from goaltrack.records.model import Goal, GoalKind, Priority, ProgressEntry

D = date(2026, 9, 1)


def gas_goal(number: int, levels: list[int], priority: Priority = Priority.MEDIUM) -> Goal:
    """A GAS goal whose entries are `levels`, one a day from 09-01."""
    return Goal(
        number=number,
        kind=GoalKind.AUTONOMY,
        title=f"goal {number}",
        measure="gas",
        priority=priority,
        created=D,
        progress=[
            ProgressEntry(id=f"G{number}-{i}", date=date(2026, 9, 1 + i), value=level)
            for i, level in enumerate(levels)
        ],
    )


def test_rho_zero_is_allowed() -> None:
    """rho 0, one goal at +1: T = 50 + 10 * 1 / sqrt(1 * 1 + 0) = 60."""
    assert gas_t_score([1], rho=0) == 60.0


def test_rho_zero_two_goals() -> None:
    """rho 0, two goals at +1: T = 50 + 10 * 2 / sqrt(2) = 64.142."""
    assert gas_t_score([1, 1], rho=0) == pytest.approx(64.142136, abs=1e-6)


def test_rho_changes_the_score() -> None:
    """rho .5, two goals at +1: T = 50 + 20 / sqrt(.5 * 2 + .5 * 4) = 50 + 20/sqrt(3)."""
    assert gas_t_score([1, 1], rho=0.5) == pytest.approx(61.547005, abs=1e-6)


@pytest.mark.parametrize("rho", [1.0, 1.5, -0.1])
def test_rho_outside_zero_to_one_is_refused(rho: float) -> None:
    """rho must lie in [0, 1): 1, 1.5 and -0.1 are refused with that message."""
    with pytest.raises(ValueError) as refused:
        gas_t_score([1], rho=rho)
    assert str(refused.value) == "rho must lie in [0, 1)"


def test_no_levels_message() -> None:
    """No scored goal: the message says a T-score needs one."""
    with pytest.raises(ValueError) as refused:
        gas_t_score([])
    assert str(refused.value) == "a GAS T-score needs at least one scored goal"


def test_weight_count_mismatch_message() -> None:
    """Two levels with one weight: the message asks for one weight per goal."""
    with pytest.raises(ValueError) as refused:
        gas_t_score([1, 0], [1.0])
    assert str(refused.value) == "one weight per goal is needed"


@pytest.mark.parametrize("weight", [0.0, -1.0])
def test_non_positive_weight_message(weight: float) -> None:
    """A weight of 0 or below is refused: weights must be positive."""
    with pytest.raises(ValueError) as refused:
        gas_t_score([1, 0], [1.0, weight])
    assert str(refused.value) == "GAS weights must be positive"


def test_unknown_weighting_message() -> None:
    """client_gas refuses a weighting other than equal or priority, naming both."""
    with pytest.raises(ValueError) as refused:
        client_gas([gas_goal(1, [1])], "by-hand")
    assert str(refused.value) == "weighting must be 'equal' or 'priority'"


def test_equal_weighting_ignores_priorities() -> None:
    """Equal weighting: high and low goals both weigh 1 and the summary says "equal"."""
    summary = client_gas([gas_goal(1, [1], Priority.HIGH), gas_goal(2, [0], Priority.LOW)])
    assert summary is not None
    assert (summary.weights, summary.weighting) == ([1.0, 1.0], "equal")


def test_priority_weighting_is_three_two_one() -> None:
    """Priority weighting: high 3, medium 2, low 1, and the summary says "priority"."""
    goals = [
        gas_goal(1, [0], Priority.LOW),
        gas_goal(2, [0], Priority.MEDIUM),
        gas_goal(3, [0], Priority.HIGH),
    ]
    summary = client_gas(goals, "priority")
    assert summary is not None
    assert (summary.weights, summary.weighting, summary.t_score) == (
        [1.0, 2.0, 3.0],
        "priority",
        50.0,
    )


def test_an_unscored_goal_does_not_stop_the_count() -> None:
    """Goal 1 has no entry yet, goal 2 is at -1: goal 2 is still scored (T = 40)."""
    summary = client_gas([gas_goal(1, []), gas_goal(2, [-1])])
    assert summary is not None
    assert (summary.goals, summary.unscored, summary.t_score) == ([2], [1], 40.0)


def test_goals_are_scored_in_number_order() -> None:
    """Goals given as 3, 1 are listed 1, 3 with their levels in that order."""
    summary = client_gas([gas_goal(3, [2]), gas_goal(1, [-1])])
    assert summary is not None
    assert (summary.goals, summary.levels) == ([1, 3], [-1, 2])


def test_summary_as_dict() -> None:
    """as_dict is the plain data of the summary: one goal at +2 gives T = 70."""
    summary = client_gas([gas_goal(1, [0, 2])])
    assert summary is not None
    assert summary.as_dict() == {
        "t_score": 70.0,
        "goals": [1],
        "levels": [2],
        "weights": [1.0],
        "weighting": "equal",
        "unscored": [],
    }
