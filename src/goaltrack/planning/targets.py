"""A template's target rule, computed from the facts of the goal's instrument.

The rules are the clinical lines the instrument registry already holds (docs/instruments.md):
below the clinical cutoff (or caseness, where the rule set has one), a reliable improvement
from the baseline (a published reliable-change threshold, Jacobson & Truax from SD and
reliability, else a clinically meaningful change), the expected GAS level 0, and a gain on a
0-10 goal rating (GBO). A rule that an instrument's facts cannot support is refused when the
template is read, never guessed when a goal is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from goaltrack.measures.instruments import Direction, Instrument
from goaltrack.records.enums import GAS_KEY

#: Points a goal rating (GBO, 0-10) is aimed to rise from its first rating: the planning
#: reference's "GBO +3" (docs/clinical-planning.md, template ideas).
RATING_GAIN = 3


class TargetRule(StrEnum):
    """How a template's target is computed from its instrument."""

    BELOW_CUTOFF = "below-cutoff"
    RELIABLE_IMPROVEMENT = "reliable-improvement"
    GAS_EXPECTED = "gas-expected"
    RATING_GAIN = "rating-gain"


@dataclass(frozen=True)
class Target:
    """A computed target: its value (None when it needs a baseline not yet known) and how it
    was reached, in words ("below the caseness 10: 9 or less")."""

    value: int | float | None
    text: str


def rule_problem(rule: TargetRule, instrument: Instrument) -> str | None:
    """Why `rule` cannot be computed from `instrument`'s facts, or None when it can."""
    if rule is TargetRule.BELOW_CUTOFF:
        if instrument.better is not Direction.LOWER or instrument.case_threshold() is None:
            return (
                "below-cutoff needs a measure where lower is better, with a cutoff; "
                f"{instrument.key} is not one"
            )
        if not instrument.integer:
            return f"below-cutoff needs a whole-number measure; {instrument.key} is not"
        return None
    if rule is TargetRule.RELIABLE_IMPROVEMENT:
        rule_of = instrument.change_rule()
        if rule_of is None:
            return (
                f"reliable-improvement needs a reliable or meaningful change for "
                f"{instrument.key} (reliable_change, sd and reliability, or meaningful_change)"
            )
        return None
    if rule is TargetRule.GAS_EXPECTED:
        return None if instrument.key == GAS_KEY else 'gas-expected needs measure = "gas"'
    if instrument.better is not Direction.HIGHER or instrument.max - instrument.min > 10:
        return (
            "rating-gain needs a 0-10 rating where higher is better (gbo, rating); "
            f"{instrument.key} is not one"
        )
    return None


def compute_target(
    rule: TargetRule, instrument: Instrument, baseline: int | float | None
) -> Target:
    """The target `rule` gives on `instrument` from `baseline` (None: not yet known).

    A target never lies on the worse side of the baseline: a client already below the cutoff
    keeps the baseline as the target (a consolidating goal), and a change is cut at the end
    of the scale.
    """
    key = instrument.key
    if rule is TargetRule.BELOW_CUTOFF:
        threshold = instrument.case_threshold()
        assert threshold is not None  # rule_problem refused the template otherwise
        word = "caseness" if instrument.caseness is not None else "cutoff"
        below = _tidy(math.ceil(threshold) - 1)
        if baseline is not None and baseline <= below:
            return Target(
                _tidy(baseline),
                f"{key} already below the {word} {_fmt(threshold)} at {_fmt(baseline)}: "
                "stay at or below it",
            )
        return Target(below, f"{key} below the {word} {_fmt(threshold)}: {_fmt(below)} or less")
    if rule is TargetRule.RELIABLE_IMPROVEMENT:
        change = instrument.change_rule()
        assert change is not None
        points = math.ceil(change.points) if instrument.integer else change.points
        what = f"{change.kind.value} change of {_fmt(points)} points ({change.text})"
        if baseline is None:
            return Target(None, f"{what} from the baseline: set once a baseline is known")
        if instrument.better is Direction.LOWER:
            value = max(instrument.min, baseline - points)
        else:
            value = min(instrument.max, baseline + points)
        return Target(_tidy(value), f"{what} from baseline {_fmt(baseline)}: {_fmt(value)}")
    if rule is TargetRule.GAS_EXPECTED:
        return Target(0, "GAS level 0, the expected outcome (Kiresuk & Sherman 1968)")
    if baseline is None:
        return Target(
            None, f"{RATING_GAIN} points above the first {key} rating: set once it is rated"
        )
    value = min(instrument.max, baseline + RATING_GAIN)
    return Target(
        _tidy(value), f"{RATING_GAIN} points above the first rating {_fmt(baseline)}: {_fmt(value)}"
    )


def _tidy(value: float) -> int | float:
    """A whole float as an int (9.0 -> 9), so files and JSON show 9."""
    return int(value) if float(value).is_integer() else value


def _fmt(value: float) -> str:
    return f"{value:g}"
