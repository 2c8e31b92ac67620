"""Client-level outcomes at their edges: exact thresholds, more than two dates, the texts."""

from __future__ import annotations

from datetime import date, timedelta

from goaltrack.measures.client_outcomes import (
    IaptOutcome,
    PairedScores,
    iapt_outcome,
    outcome_lines,
    phq9_response,
)
from goaltrack.records.model import Client, ClientRecord, Goal, GoalKind, ProgressEntry

D0 = date(2026, 9, 1)


def client(phq9: list[int], gad7: list[int] | None = None) -> ClientRecord:
    """Client c-1: goal 1 measured by PHQ-9, goal 2 by GAD-7, one score a week from D0."""
    measures = [("phq9", phq9)] + ([("gad7", gad7)] if gad7 is not None else [])
    goals = [
        Goal(
            number=number,
            kind=GoalKind.SYMPTOM_REDUCTION,
            title=measure,
            measure=measure,
            created=D0,
            progress=[
                ProgressEntry(id=f"{measure}-{i}", date=D0 + timedelta(days=7 * i), value=v)
                for i, v in enumerate(values)
            ],
        )
        for number, (measure, values) in enumerate(measures, start=1)
    ]
    return ClientRecord(client=Client(id="c-1", created=D0), goals=goals)


def test_iapt_rise_of_exactly_the_reliable_change_is_a_deterioration() -> None:
    """GAD-7 3 -> 7 rises by 4, GAD-7's reliable change exactly: a reliable deterioration."""
    outcome = iapt_outcome(client([5, 5], [3, 7]))
    assert outcome is not None
    assert (outcome.reliable_deterioration, outcome.reliable_improvement) == (True, False)


def test_iapt_of_three_pairs_compares_the_first_with_the_last() -> None:
    """Pairs on days 0, 7 and 14: the last pair is day 14 (PHQ-9 6, GAD-7 5), not day 7."""
    outcome = iapt_outcome(client([20, 18, 6], [15, 14, 5]))
    assert outcome is not None
    assert (outcome.last, outcome.pairs) == (PairedScores(D0 + timedelta(days=14), 6, 5), 3)


def test_iapt_names_its_rule_and_the_iapt_manual() -> None:
    """The IAPT outcome carries its rule word for word and the IAPT Manual as its source."""
    outcome = iapt_outcome(client([18, 6], [15, 5]))
    assert outcome is not None
    assert (outcome.rule, outcome.rule_source) == (
        "IAPT: caseness PHQ-9 >= 10 or GAD-7 >= 8; reliable change PHQ-9 6, GAD-7 4",
        "NHS England, The Improving Access to Psychological Therapies (IAPT) Manual: reliable "
        "change PHQ-9 6, GAD-7 4 points; caseness PHQ-9 >= 10, GAD-7 >= 8",
    )


def test_iapt_summary_shows_an_unnamed_anxiety_measure_by_its_key() -> None:
    """An anxiety measure without a display name is shown by its key."""
    outcome = IaptOutcome(
        anxiety_measure="pcl5",
        first=PairedScores(D0, 12, 40),
        last=PairedScores(D0 + timedelta(days=7), 11, 39),
        pairs=2,
        caseness_at_start=True,
        caseness_at_end=True,
        reliable_improvement=False,
        reliable_deterioration=False,
        recovery=False,
        reliable_recovery=False,
        rule="",
        rule_source="",
    )
    assert outcome.summary() == (
        "IAPT outcome (PHQ-9 + pcl5): no reliable change, still a case; PHQ-9 12 -> 11, "
        "pcl5 40 -> 39 (2026-09-01 -> 2026-09-08, 2 paired)"
    )


def test_phq9_response_from_a_first_score_of_one() -> None:
    """PHQ-9 1 -> 0 is a 100% reduction: a response (the first score is above 0)."""
    result = phq9_response(client([1, 0]))
    assert result is not None
    assert (result.reduction_percent, result.response) == (100.0, True)


def test_phq9_response_of_three_scores_ends_on_the_last_date() -> None:
    """PHQ-9 on days 0, 7 and 14: the last date is day 14."""
    result = phq9_response(client([12, 10, 4]))
    assert result is not None
    assert (result.last_date, result.last) == (D0 + timedelta(days=14), 4)


def test_outcome_lines_give_the_iapt_line_then_the_phq9_line() -> None:
    """With two paired dates both outcomes are listed, IAPT first."""
    assert outcome_lines(client([18, 6], [15, 5])) == [
        "IAPT outcome (PHQ-9 + GAD-7): reliably recovered; PHQ-9 18 -> 6, GAD-7 15 -> 5 "
        "(2026-09-01 -> 2026-09-08, 2 paired)",
        "PHQ-9 18 -> 6 (2026-09-01 -> 2026-09-08, 66.7% reduction): response, no remission "
        "(response >= 50% reduction, remission < 5)",
    ]
