"""Client-level outcomes clinicians report: IAPT paired outcomes, PHQ-9 response and remission.

Pure functions over a client's record: no I/O, no presentation. The per-goal classes are in
`outcomes.py`; these judge the *client* from the first and last administrations of a measure,
whichever goals they were logged to, intake screenings included. The rules and their sources
are in docs/outcomes.md.

- **IAPT / NHS Talking Therapies** (NHS England, The IAPT Manual): from the first and last
  *paired* PHQ-9 and anxiety-measure scores (the same date): caseness PHQ-9 >= 10 or GAD-7 >= 8;
  reliable improvement, a reliable improvement on either (PHQ-9 down 6+, GAD-7 down 4+) and a
  reliable deterioration on neither; reliable deterioration, on either; recovery, a case at
  the start and on neither at the end; reliable recovery, both.
- **PHQ-9 response and remission** (US measurement-based care): response is a reduction of
  50% or more from the first PHQ-9; remission is a last PHQ-9 below 5.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from goaltrack.measures.instruments import BUILTINS, Instrument
from goaltrack.records.enums import PHQ9_KEY
from goaltrack.records.model import ClientRecord

Number = int | float

GAD7_KEY = "gad7"
DISPLAY = {PHQ9_KEY: "PHQ-9", GAD7_KEY: "GAD-7"}
RESPONSE_FRACTION = 0.5  # a reduction of 50% or more from baseline
REMISSION_BELOW = 5  # PHQ-9 below 5
RESPONSE_RULE = "PHQ-9 response: >= 50% reduction from the first score; remission: last < 5"
RESPONSE_SOURCE = (
    "US measurement-based care (Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606-613: "
    "PHQ-9 < 5 is none-minimal; response is a 50% reduction, as used in collaborative care)"
)


def scores_by_date(record: ClientRecord, measure: str) -> dict[date, Number]:
    """One score per date for a measure, over the client's screenings and every goal it was
    logged to.

    A screening (the intake questionnaire, taken before any goal) is the client's first
    administration, so it counts; `measure` logs one administration to each active goal it
    measures, so several goals can hold the same score; on a date with several, a goal's
    entry wins over a screening, then the last logged (highest goal number, then entry
    order) is kept.
    """
    found: dict[date, Number] = {}
    for screening in sorted(record.client.screenings, key=lambda s: s.date):
        if screening.instrument == measure:
            found[screening.date] = screening.value
    for goal in sorted(record.goals, key=lambda g: g.number):
        if goal.measure != measure:
            continue
        for entry in goal.entries_in_order():
            found[entry.date] = entry.value
    return found


@dataclass(frozen=True)
class PairedScores:
    """A PHQ-9 and an anxiety-measure score given on the same date."""

    date: date
    phq9: Number
    anxiety: Number


@dataclass(frozen=True)
class IaptOutcome:
    """The IAPT / NHS Talking Therapies outcome of a client, from the first and last pairs."""

    anxiety_measure: str
    first: PairedScores
    last: PairedScores
    pairs: int
    caseness_at_start: bool
    caseness_at_end: bool
    reliable_improvement: bool
    reliable_deterioration: bool
    recovery: bool | None  # None: not a case at the start, so recovery does not apply
    reliable_recovery: bool | None
    rule: str
    rule_source: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers."""
        return asdict(self)

    def summary(self) -> str:
        """One line for people, e.g. "IAPT (PHQ-9 + GAD-7, 2026-09-01 -> 2026-11-10): ..."."""
        words = []
        if self.reliable_recovery:
            words.append("reliably recovered")
        elif self.recovery:
            words.append("recovered (not reliably)")
        elif self.reliable_improvement:
            words.append("reliably improved")
        if self.reliable_deterioration:
            words.append("reliably deteriorated")
        if not words:
            words.append("no reliable change")
        if not self.caseness_at_start:
            words.append("not a case at the start")
        elif self.caseness_at_end:
            words.append("still a case")
        first, last = self.first, self.last
        anxiety = DISPLAY.get(self.anxiety_measure, self.anxiety_measure)
        return (
            f"IAPT outcome (PHQ-9 + {anxiety}): {', '.join(words)}; "
            f"PHQ-9 {first.phq9:g} -> {last.phq9:g}, {anxiety} "
            f"{first.anxiety:g} -> {last.anxiety:g} ({first.date} -> {last.date}, "
            f"{self.pairs} paired)"
        )


def _is_case(value: Number, instrument: Instrument) -> bool:
    threshold = instrument.case_threshold()
    assert threshold is not None
    return value >= threshold


def _reliable_drop(before: Number, after: Number, instrument: Instrument) -> int:
    """+1 for a reliable improvement (a drop), -1 for a reliable deterioration, else 0."""
    points = instrument.reliable_change
    assert points is not None
    if before - after >= points:
        return 1
    if after - before >= points:
        return -1
    return 0


def iapt_outcome(record: ClientRecord, anxiety_measure: str = GAD7_KEY) -> IaptOutcome | None:
    """The client's IAPT paired outcome, or None without two paired dates.

    Pairs are a PHQ-9 and an `anxiety_measure` score on the same date; the first and last
    pairs are compared. Only GAD-7 has IAPT caseness and reliable-change figures here.
    """
    phq9, anxiety = BUILTINS[PHQ9_KEY], BUILTINS[anxiety_measure]
    depression_scores = scores_by_date(record, PHQ9_KEY)
    anxiety_scores = scores_by_date(record, anxiety_measure)
    dates = sorted(set(depression_scores) & set(anxiety_scores))
    if len(dates) < 2:
        return None
    first, last = (
        PairedScores(day, depression_scores[day], anxiety_scores[day])
        for day in (dates[0], dates[-1])
    )
    moves = (
        _reliable_drop(first.phq9, last.phq9, phq9),
        _reliable_drop(first.anxiety, last.anxiety, anxiety),
    )
    deteriorated = -1 in moves
    improved = 1 in moves and not deteriorated
    case_start = _is_case(first.phq9, phq9) or _is_case(first.anxiety, anxiety)
    case_end = _is_case(last.phq9, phq9) or _is_case(last.anxiety, anxiety)
    recovery = (not case_end) if case_start else None
    return IaptOutcome(
        anxiety_measure=anxiety_measure,
        first=first,
        last=last,
        pairs=len(dates),
        caseness_at_start=case_start,
        caseness_at_end=case_end,
        reliable_improvement=improved,
        reliable_deterioration=deteriorated,
        recovery=recovery,
        reliable_recovery=(recovery and improved) if recovery is not None else None,
        rule="IAPT: caseness PHQ-9 >= 10 or GAD-7 >= 8; reliable change PHQ-9 6, GAD-7 4",
        rule_source=BUILTINS[PHQ9_KEY].rule_source or "",
    )


@dataclass(frozen=True)
class Phq9Response:
    """PHQ-9 response and remission from the client's first and last PHQ-9."""

    first_date: date
    first: Number
    last_date: date
    last: Number
    reduction_percent: float | None  # None when the first score is 0
    response: bool
    remission: bool
    rule: str = RESPONSE_RULE
    rule_source: str = RESPONSE_SOURCE

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers."""
        return asdict(self)

    def summary(self) -> str:
        """One line for people."""
        reduction = (
            f"{self.reduction_percent:g}% reduction" if self.reduction_percent is not None else ""
        )
        words = [
            "response" if self.response else "no response",
            "remission" if self.remission else "no remission",
        ]
        return (
            f"PHQ-9 {self.first:g} -> {self.last:g} ({self.first_date} -> {self.last_date}"
            f"{', ' + reduction if reduction else ''}): {', '.join(words)} "
            "(response >= 50% reduction, remission < 5)"
        )


def phq9_response(record: ClientRecord) -> Phq9Response | None:
    """PHQ-9 response (>= 50% reduction) and remission (< 5), or None without two dates."""
    scores = scores_by_date(record, PHQ9_KEY)
    dates = sorted(scores)
    if len(dates) < 2:
        return None
    first, last = scores[dates[0]], scores[dates[-1]]
    reduction = round((first - last) / first * 100, 1) if first > 0 else None
    return Phq9Response(
        first_date=dates[0],
        first=first,
        last_date=dates[-1],
        last=last,
        reduction_percent=reduction,
        response=first > 0 and (first - last) >= RESPONSE_FRACTION * first,
        remission=last < REMISSION_BELOW,
    )


def client_outcomes(record: ClientRecord) -> dict[str, Any]:
    """Both client-level outcomes as plain data (None where there is not enough data)."""
    iapt = iapt_outcome(record)
    response = phq9_response(record)
    return {
        "iapt": iapt.as_dict() if iapt else None,
        "phq9_response": response.as_dict() if response else None,
    }


def outcome_lines(record: ClientRecord) -> list[str]:
    """The client-level outcomes as lines for people (none when there is not enough data)."""
    lines = []
    iapt = iapt_outcome(record)
    if iapt is not None:
        lines.append(iapt.summary())
    response = phq9_response(record)
    if response is not None:
        lines.append(response.summary())
    return lines
