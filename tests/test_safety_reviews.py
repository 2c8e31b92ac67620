"""Risk reviews and the item-9 flag: a review acknowledges the flags it covers, never later ones."""

from __future__ import annotations

from datetime import date

from goaltrack.measures.safety import (
    acknowledged,
    flagged_entries,
    open_flags,
    open_risk,
    reviewed_flags,
)
from goaltrack.records.enums import RiskOutcome
from goaltrack.records.model import (
    Client,
    ClientRecord,
    Goal,
    GoalKind,
    ProgressEntry,
    RiskReview,
)

D1 = date(2026, 9, 1)
D2 = date(2026, 9, 8)
D3 = date(2026, 9, 15)
D4 = date(2026, 9, 22)


def phq9(entry_id: str, day: date, item9: int) -> ProgressEntry:
    """A complete PHQ-9 with item 9 answered `item9` (flagged by the model when above 0)."""
    answers = [1, 1, 1, 1, 1, 1, 1, 1, item9]
    return ProgressEntry(
        id=entry_id, date=day, value=sum(answers), instrument="phq9", responses=answers
    )


def review(review_id: str, day: date, covers: list[str], by: str | None = None) -> RiskReview:
    """A risk review covering these entry ids."""
    return RiskReview(id=review_id, date=day, outcome=RiskOutcome.SAFETY_PLAN, covers=covers, by=by)


def record(entries: list[ProgressEntry], reviews: list[RiskReview]) -> ClientRecord:
    """Client c-7 with one PHQ-9 goal holding `entries`, and `reviews`."""
    return ClientRecord(
        client=Client(id="c-7", created=D1, risk_reviews=reviews),
        goals=[
            Goal(
                number=1,
                kind=GoalKind.SYMPTOM_REDUCTION,
                title="Mood",
                measure="phq9",
                created=D1,
                progress=entries,
            )
        ],
    )


def test_a_covering_review_on_the_same_day_acknowledges_the_flag() -> None:
    """A review dated the flag's day and naming it closes it: no open flag, no alert."""
    made = record([phq9("E1", D2, 2)], [review("R1", D2, ["E1"])])
    assert (open_flags(made), open_risk(made)) == ([], None)


def test_a_review_dated_before_the_flag_does_not_acknowledge_it() -> None:
    """A review never covers an entry dated after it, even if it names the id."""
    made = record([phq9("E1", D2, 2)], [review("R1", D1, ["E1"])])
    assert acknowledged(made, made.goals[0].progress[0]) is None
    risk = open_risk(made)
    assert risk is not None and risk.entry == "E1"


def test_a_review_that_does_not_name_the_entry_does_not_acknowledge_it() -> None:
    """Only the entries a review covers are acknowledged."""
    made = record([phq9("E1", D2, 2)], [review("R1", D3, ["E9"])])
    assert [entry.id for _, entry in open_flags(made)] == ["E1"]


def test_a_later_flag_stays_open_after_an_earlier_review() -> None:
    """E1 reviewed, E2 endorsed later: E2 is the open flag."""
    made = record([phq9("E1", D2, 2), phq9("E2", D4, 1)], [review("R1", D3, ["E1"])])
    risk = open_risk(made)
    assert risk is not None and (risk.entry, risk.date, risk.response) == ("E2", D4, 1)
    assert [entry.id for _, entry in open_flags(made)] == ["E2"]


def test_an_unreviewed_earlier_flag_stays_open_when_a_later_one_is_reviewed() -> None:
    """E2 reviewed, E1 not (and not cleared): E1 is still open."""
    made = record([phq9("E1", D2, 2), phq9("E2", D3, 1)], [review("R1", D4, ["E2"])])
    risk = open_risk(made)
    assert risk is not None and risk.entry == "E1"


def test_a_clearing_form_after_a_flag_closes_it_without_review() -> None:
    """A later PHQ-9 with item 9 at 0 clears the flag as before."""
    made = record([phq9("E1", D2, 2), phq9("E2", D3, 0)], [])
    assert open_flags(made) == []


def test_a_clearing_form_on_the_flag_day_does_not_close_it() -> None:
    """Same day: the flag stays open (an ambiguous order never clears a safety signal)."""
    made = record([phq9("E1", D2, 2), phq9("E2", D2, 0)], [])
    assert [entry.id for _, entry in open_flags(made)] == ["E1"]


def test_flagged_entries_are_listed_by_date_whatever_their_review() -> None:
    """Every flagged entry stays listed, oldest first (the history is never hidden)."""
    made = record([phq9("E2", D3, 1), phq9("E1", D2, 2)], [review("R1", D4, ["E1", "E2"])])
    assert [entry.id for _, entry in flagged_entries(made)] == ["E1", "E2"]


def test_reviewed_flags_name_the_entry_and_the_review() -> None:
    """An acknowledged flag is reported with its review: who, when, what was done."""
    made = record([phq9("E1", D2, 2)], [review("R1", D3, ["E1"], by="Dr K")])
    assert reviewed_flags(made) == [
        {
            "entry": "E1",
            "goal": 1,
            "date": D2,
            "response": 2,
            "review": "R1",
            "reviewed": D3,
            "by": "Dr K",
            "outcome": "safety-plan",
        }
    ]


def test_the_earliest_covering_review_is_the_one_named() -> None:
    """Two reviews cover a flag: the earlier one acknowledged it."""
    made = record([phq9("E1", D2, 2)], [review("R2", D4, ["E1"]), review("R1", D3, ["E1"])])
    found = acknowledged(made, made.goals[0].progress[0])
    assert found is not None and found.id == "R1"


def test_an_unflagged_entry_is_never_in_the_reviewed_list() -> None:
    """A review naming an entry without a flag lists nothing."""
    made = record([phq9("E1", D2, 0)], [review("R1", D3, ["E1"])])
    assert reviewed_flags(made) == []
