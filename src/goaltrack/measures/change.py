"""Change between two values of a measure: how far, which way is better, and whether it is
reliable (Jacobson & Truax, or the instrument's published threshold), clinically meaningful
(PCL-5) or clinically significant (recovered, improved, unchanged, deteriorated).

Pure functions of two values and an `Instrument` (or None); a goal's series and where it
stands are `measures/outcomes.py`. The rules and their sources are in docs/outcomes.md.
"""

from __future__ import annotations

from enum import StrEnum

from goaltrack.measures.instruments import (
    Z_RELIABLE,
    Direction,
    Instrument,
    RuleKind,
    standard_error_of_difference,
)

Number = int | float

_EPSILON = 1e-9


class Movement(StrEnum):
    """Change from baseline: reliable (beyond measurement error) or plain, and which way.

    IMPROVED and DETERIORATED are reliable changes only; BETTER and WORSE are movements
    judged without a reliable-change rule (a clinically meaningful threshold, or none).
    """

    IMPROVED = "improved"
    DETERIORATED = "deteriorated"
    NONE = "none"
    BETTER = "better"
    WORSE = "worse"


class ClinicalChange(StrEnum):
    """Clinically significant change (Jacobson & Truax 1991)."""

    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"
    WORSE = "worse"  # a clinically meaningful change for the worse, not a reliable one


def change_from_baseline(baseline: Number | None, latest: Number | None) -> Number | None:
    """Latest minus baseline, in the measure's own units (not signed by direction)."""
    if baseline is None or latest is None:
        return None
    return _tidy(latest - baseline)


def percent_to_target(
    baseline: Number | None, target: Number | None, latest: Number | None
) -> float | None:
    """How far the latest value has come from baseline toward target, in percent.

    100 means the target is reached; the figure may exceed 100 or go negative. None when
    there is no target, no baseline, no entry, or the target equals the baseline.
    """
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    # + 0.0: no progress is 0.0, never -0.0 (which JSON and CSV would print as "-0.0")
    return round((latest - baseline) / (target - baseline) * 100, 1) + 0.0


def better_direction(
    instrument: Instrument | None, baseline: Number | None, target: Number | None
) -> Direction | None:
    """Which way is better: the instrument's, else inferred from baseline toward target."""
    if instrument is not None:
        return instrument.better
    if baseline is None or target is None or baseline == target:
        return None
    return Direction.LOWER if target < baseline else Direction.HIGHER


def improvement(
    before: Number | None, after: Number | None, direction: Direction | None
) -> Number | None:
    """Change from `before` to `after`, signed so that positive means better."""
    if before is None or after is None or direction is None:
        return None
    change = after - before if direction is Direction.HIGHER else before - after
    return _tidy(change)


def jacobson_truax_rci(before: float, after: float, sd: float, reliability: float) -> float:
    """The Reliable Change Index (Jacobson & Truax 1991): (after - before) / S_diff.

    S_diff is `standard_error_of_difference`. Reliable when |RCI| > 1.96.
    """
    return (after - before) / standard_error_of_difference(sd, reliability)


def reliable_change(
    before: Number | None, after: Number | None, instrument: Instrument | None
) -> Movement | None:
    """Whether `before` -> `after` is a reliable improvement, deterioration, or neither.

    Uses the instrument's published threshold in points (a change of at least that many
    points is reliable, as in the IAPT manual), else the Jacobson & Truax RCI from its SD and
    reliability (|RCI| > 1.96). None when the measure has neither, or a value is missing: a
    clinically meaningful threshold (PCL-5) is not a reliable change (`meaningful_change`).
    """
    if before is None or after is None or instrument is None:
        return None
    gain = improvement(before, after, instrument.better)
    assert gain is not None
    if instrument.reliable_change is not None:
        reliable = abs(gain) >= instrument.reliable_change - _EPSILON
    elif instrument.sd is not None and instrument.reliability is not None:
        rci = jacobson_truax_rci(before, after, instrument.sd, instrument.reliability)
        reliable = abs(rci) > Z_RELIABLE
    else:
        return None
    if not reliable or gain == 0:
        return Movement.NONE
    return Movement.IMPROVED if gain > 0 else Movement.DETERIORATED


def meaningful_change(
    before: Number | None, after: Number | None, instrument: Instrument | None
) -> Movement | None:
    """Whether `before` -> `after` is a clinically meaningful change (PCL-5: 10 points, NCPTSD).

    BETTER or WORSE when |change| reaches the instrument's `meaningful_change`, NONE below it;
    None when the instrument has no such threshold, or has a reliable-change rule (which wins).
    """
    if before is None or after is None or instrument is None:
        return None
    rule = instrument.change_rule()
    if rule is None or rule.kind is not RuleKind.MEANINGFUL:
        return None
    gain = improvement(before, after, instrument.better)
    assert gain is not None
    if gain == 0 or abs(gain) < rule.points - _EPSILON:
        return Movement.NONE
    return Movement.BETTER if gain > 0 else Movement.WORSE


def in_clinical_range(value: Number, instrument: Instrument) -> bool | None:
    """Whether `value` is a case: at or beyond the rule set's caseness (else the cutoff).

    Lower-is-better measures: the threshold and above are clinical (PHQ-9 >= 10, GAD-7 >= 8
    under IAPT). Higher-is-better measures: below it is clinical. None without a threshold.
    """
    threshold = instrument.case_threshold()
    if threshold is None:
        return None
    if instrument.better is Direction.LOWER:
        return value >= threshold
    return value < threshold


def clinical_significance(
    before: Number | None, after: Number | None, instrument: Instrument | None
) -> ClinicalChange | None:
    """Jacobson & Truax classes against the rule set's caseness (else the cutoff).

    recovered: improvement from the clinical into the non-clinical range; improved:
    improvement without that crossing (GAD-7 12 -> 8 under IAPT: still a case); unchanged:
    no change by the rule; deteriorated: reliable change for the worse, "worse" for a
    clinically meaningful one (PCL-5). The rule is `Instrument.change_rule`. None without a
    case threshold or a change rule.
    """
    if instrument is None or instrument.case_threshold() is None:
        return None
    if before is None or after is None:
        return None
    movement = reliable_change(before, after, instrument) or meaningful_change(
        before, after, instrument
    )
    if movement is None:
        return None
    if movement is Movement.DETERIORATED:
        return ClinicalChange.DETERIORATED
    if movement is Movement.WORSE:
        return ClinicalChange.WORSE
    if movement is Movement.NONE:
        return ClinicalChange.UNCHANGED
    crossed = in_clinical_range(before, instrument) and not in_clinical_range(after, instrument)
    return ClinicalChange.RECOVERED if crossed else ClinicalChange.IMPROVED


def _tidy(value: Number) -> Number:
    """Round away float noise (19.1 - 17 = 2.1000000000000014)."""
    if isinstance(value, float):
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() else rounded
    return value
