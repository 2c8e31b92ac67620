"""Model invariants added for instruments: item answers, flags and GAS level texts."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from goaltrack.records.model import EntryFlag, Goal, GoalKind, ProgressEntry, gas_level_key


def entry(**fields: object) -> ProgressEntry:
    return ProgressEntry.model_validate(
        {"id": "E1", "date": date(2026, 11, 1), "value": 5, **fields}
    )


def gas_goal(**fields: object) -> Goal:
    base = {"number": 1, "kind": GoalKind.COPING, "title": "T", "created": date(2026, 11, 1)}
    return Goal.model_validate({**base, **fields})


def test_responses_need_the_instrument_they_answer() -> None:
    """Item answers without an instrument key are refused."""
    with pytest.raises(ValidationError, match="need the instrument"):
        entry(responses=[1, 2])


def test_empty_responses_and_flags_are_not_stored() -> None:
    """Empty lists become absent keys, so files stay tidy."""
    stored = entry(instrument="phq9", responses=[], flags=[])
    assert (stored.responses, stored.flags) == (None, None)


def test_flags_are_known_and_deduplicated() -> None:
    """Only known flags are accepted, each once."""
    stored = entry(instrument="phq9", flags=["risk-item9", "risk-item9"])
    assert stored.flags == [EntryFlag.RISK_ITEM9]
    with pytest.raises(ValidationError):
        entry(flags=["whatever"])


def test_gas_levels_only_on_gas_goals() -> None:
    """Level descriptions on a goal measured by something else are refused."""
    with pytest.raises(ValidationError, match="belong to goals measured by gas"):
        gas_goal(measure="gbo", gas_levels={"0": "Expected"})


def test_gas_level_keys_are_canonical_and_ordered() -> None:
    """Keys 2, -1, +0 become "+2", "-1", "0" and are kept in level order."""
    goal = gas_goal(measure="gas", gas_levels={"2": "Best", "-1": "Less", "+0": "Expected"})
    assert goal.gas_levels == {"-1": "Less", "0": "Expected", "+2": "Best"}


@pytest.mark.parametrize("bad", ["3", "-3", "x", "1.5", ""])
def test_gas_level_key_refuses_other_levels(bad: str) -> None:
    """Only -2..+2 are GAS levels."""
    with pytest.raises(ValueError, match="GAS level must be one of"):
        gas_level_key(bad)
