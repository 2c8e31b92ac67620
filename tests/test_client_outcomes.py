"""Client-level outcomes: IAPT paired PHQ-9 + GAD-7 outcomes, PHQ-9 response and remission.

Every case is worked by hand from the IAPT rules (caseness PHQ-9 >= 10 or GAD-7 >= 8;
reliable change PHQ-9 6, GAD-7 4) and the measurement-based-care rules (response: a
reduction of 50% or more; remission: PHQ-9 < 5).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.measures.client_outcomes import iapt_outcome, phq9_response
from goaltrack.records.model import Client, ClientRecord, Goal, GoalKind, ProgressEntry
from helpers import invoke

D0 = date(2026, 9, 1)


def _goal(number: int, measure: str, values: list[int], every: int = 7) -> Goal:
    entries = [
        ProgressEntry(id=f"{measure}{number}-{i}", date=D0 + timedelta(days=every * i), value=v)
        for i, v in enumerate(values)
    ]
    return Goal(
        number=number,
        kind=GoalKind.SYMPTOM_REDUCTION,
        title=measure,
        measure=measure,
        created=D0,
        progress=entries,
    )


def _client(phq9: list[int], gad7: list[int] | None = None) -> ClientRecord:
    goals = [_goal(1, "phq9", phq9)]
    if gad7 is not None:
        goals.append(_goal(2, "gad7", gad7))
    return ClientRecord(client=Client(id="c-1", created=D0), goals=goals)


def _classes(phq9: list[int], gad7: list[int]) -> tuple[object, ...]:
    outcome = iapt_outcome(_client(phq9, gad7))
    assert outcome is not None
    return (
        outcome.caseness_at_start,
        outcome.reliable_improvement,
        outcome.reliable_deterioration,
        outcome.recovery,
        outcome.reliable_recovery,
    )


@pytest.mark.parametrize(
    ("phq9", "gad7", "expected"),
    [
        # 1. PHQ-9 18 -> 6 (down 12 >= 6), GAD-7 15 -> 5 (down 10 >= 4): case at start (both),
        #    neither at end (6 < 10, 5 < 8): reliable recovery.
        ([18, 6], [15, 5], (True, True, False, True, True)),
        # 2. GAD-7 12 -> 8 only (down 4 = RC 4) with PHQ-9 8 -> 7: reliably improved, but 8 is
        #    still a case (>= 8): no recovery.
        ([8, 7], [12, 8], (True, True, False, False, False)),
        # 3. Same with GAD-7 12 -> 7: 7 < 8 and PHQ-9 7 < 10: reliable recovery.
        ([8, 7], [12, 7], (True, True, False, True, True)),
        # 4. PHQ-9 12 -> 9 (down 3 < 6), GAD-7 9 -> 7 (down 2 < 4): no reliable change, but
        #    a case at start (12 >= 10, 9 >= 8) and on neither at end: recovered, not reliably.
        ([12, 9], [9, 7], (True, False, False, True, False)),
        # 5. PHQ-9 20 -> 12 (down 8) but GAD-7 6 -> 11 (up 5 >= 4): a reliable deterioration
        #    on either rules out reliable improvement; still a case.
        ([20, 12], [6, 11], (True, False, True, False, False)),
        # 6. Not a case at start (PHQ-9 6 < 10, GAD-7 5 < 8): recovery does not apply (None);
        #    PHQ-9 6 -> 13 (up 7 >= 6) is a reliable deterioration.
        ([6, 13], [5, 6], (False, False, True, None, None)),
        # 7. PHQ-9 10 -> 4 (down 6 = RC 6, exactly), GAD-7 8 -> 7: reliable recovery at the
        #    edges (10 and 8 are cases, 4 and 7 are not).
        ([10, 4], [8, 7], (True, True, False, True, True)),
        # 8. PHQ-9 15 -> 10 (down 5 < 6), GAD-7 13 -> 10 (down 3 < 4): no reliable change,
        #    still a case: nothing to report but "no reliable change, still a case".
        ([15, 10], [13, 10], (True, False, False, False, False)),
    ],
)
def test_iapt_paired_outcome_hand_worked(
    phq9: list[int], gad7: list[int], expected: tuple[object, ...]
) -> None:
    """IAPT classes (case at start, RI, RD, recovery, reliable recovery) from first/last pairs."""
    assert _classes(phq9, gad7) == expected


def test_iapt_pairs_by_date_and_uses_first_and_last_pair() -> None:
    """PHQ-9 on days 0, 7, 14, 21; GAD-7 on days 0 and 14 only: the pairs are days 0 and 14."""
    record = _client([19, 17, 12, 5])
    record.goals.append(_goal(2, "gad7", [14, 9], every=14))
    outcome = iapt_outcome(record)
    assert outcome is not None
    first, last = outcome.first, outcome.last
    assert (first.date, first.phq9, first.anxiety) == (D0, 19, 14)
    assert (last.date, last.phq9, last.anxiety) == (D0 + timedelta(days=14), 12, 9)
    assert outcome.pairs == 2


def test_iapt_needs_two_paired_dates() -> None:
    """One paired date, or no GAD-7 at all, gives no IAPT outcome."""
    assert iapt_outcome(_client([19, 12], [14])) is None
    assert iapt_outcome(_client([19, 12])) is None


def test_iapt_summary_names_scores_and_rule() -> None:
    """The line for people: GAD-7 12 -> 8 is reliably improved, still a case."""
    outcome = iapt_outcome(_client([8, 7], [12, 8]))
    assert outcome is not None
    assert outcome.summary() == (
        "IAPT outcome (PHQ-9 + GAD-7): reliably improved, still a case; PHQ-9 8 -> 7, "
        "GAD-7 12 -> 8 (2026-09-01 -> 2026-09-08, 2 paired)"
    )


@pytest.mark.parametrize(
    ("phq9", "percent", "response", "remission"),
    [
        ([20, 10], 50.0, True, False),  # exactly 50%: response; 10 is not < 5
        ([20, 11], 45.0, False, False),  # 45%: no response
        ([12, 4], 66.7, True, True),  # 8/12 = 66.7%; 4 < 5: remission
        ([8, 5], 37.5, False, False),  # 5 is not < 5
        ([6, 4], 33.3, False, True),  # remission without response
        ([0, 0], None, False, True),  # no reduction from 0 is possible
        ([19, 17, 12, 9], 52.6, True, False),  # first and last of four: 10/19
    ],
)
def test_phq9_response_and_remission_hand_worked(
    phq9: list[int], percent: float | None, response: bool, remission: bool
) -> None:
    """Response is a >= 50% reduction from the first PHQ-9; remission a last PHQ-9 below 5."""
    result = phq9_response(_client(phq9))
    assert result is not None
    assert (result.reduction_percent, result.response, result.remission) == (
        percent,
        response,
        remission,
    )


def test_phq9_response_needs_two_dates() -> None:
    """A single PHQ-9 has no response or remission."""
    assert phq9_response(_client([12])) is None


def test_same_administration_on_two_goals_counts_once() -> None:
    """PHQ-9 logged to goals 1 and 3 on the same dates: one score per date, not two."""
    record = _client([20, 9])
    record.goals.append(_goal(3, "phq9", [20, 9]))
    result = phq9_response(record)
    assert result is not None
    assert (result.first, result.last, result.response) == (20, 9, True)


def test_progress_and_show_report_client_outcomes(runner: CliRunner, tmp_path: Path) -> None:
    """Through the CLI: progress JSON carries client_outcomes; show prints the IAPT line."""
    home = ["--home", str(tmp_path)]
    invoke(runner, *home, "new-client", "c-9")
    invoke(runner, *home, "add-goal", "c-9", "symptom-reduction", "Mood", "--measure", "phq9")
    invoke(runner, *home, "add-goal", "c-9", "symptom-reduction", "Worry", "--measure", "gad7")
    days = [(date.today() - timedelta(days=n)).isoformat() for n in (14, 7)]
    for day, phq9, gad7 in ((days[0], 8, 12), (days[1], 7, 8)):
        invoke(runner, *home, "log", "c-9", "1", str(phq9), "--date", day)
        invoke(runner, *home, "log", "c-9", "2", str(gad7), "--date", day)
    document = json.loads(invoke(runner, *home, "progress", "c-9", "--json").stdout)
    iapt = document["client_outcomes"]["iapt"]
    assert (iapt["reliable_improvement"], iapt["recovery"]) == (True, False)
    assert document["client_outcomes"]["phq9_response"]["remission"] is False
    shown = invoke(runner, *home, "show", "c-9").stdout
    assert "IAPT outcome (PHQ-9 + GAD-7): reliably improved, still a case" in shown


@pytest.mark.parametrize(
    ("phq9", "gad7", "line"),
    [
        ([18, 6], [15, 5], "reliably recovered; PHQ-9 18 -> 6, GAD-7 15 -> 5"),
        ([12, 9], [9, 7], "recovered (not reliably); PHQ-9 12 -> 9, GAD-7 9 -> 7"),
        ([20, 12], [6, 11], "reliably deteriorated, still a case; PHQ-9 20 -> 12, GAD-7 6 -> 11"),
        (
            [6, 13],
            [5, 6],
            "reliably deteriorated, not a case at the start; PHQ-9 6 -> 13, GAD-7 5 -> 6",
        ),
        ([15, 10], [13, 10], "no reliable change, still a case; PHQ-9 15 -> 10, GAD-7 13 -> 10"),
    ],
)
def test_iapt_summary_words_for_each_class(phq9: list[int], gad7: list[int], line: str) -> None:
    """The IAPT line names the class worked by hand above (cases 1, 4, 5, 6, 8), word for word."""
    outcome = iapt_outcome(_client(phq9, gad7))
    assert outcome is not None
    assert outcome.summary() == (
        f"IAPT outcome (PHQ-9 + GAD-7): {line} (2026-09-01 -> 2026-09-08, 2 paired)"
    )


@pytest.mark.parametrize(
    ("phq9", "line"),
    [
        ([20, 10], "PHQ-9 20 -> 10 (2026-09-01 -> 2026-09-08, 50% reduction): response, "),
        ([0, 0], "PHQ-9 0 -> 0 (2026-09-01 -> 2026-09-08): no response, "),
        ([12, 4], "PHQ-9 12 -> 4 (2026-09-01 -> 2026-09-08, 66.7% reduction): response, "),
    ],
)
def test_phq9_response_summary_word_for_word(phq9: list[int], line: str) -> None:
    """10/20 = 50% is a response; 0 -> 0 has no reduction; 8/12 = 66.7% and 4 < 5 remits."""
    result = phq9_response(_client(phq9))
    assert result is not None
    remission = "remission" if phq9[-1] < 5 else "no remission"
    assert result.summary() == (f"{line}{remission} (response >= 50% reduction, remission < 5)")
