"""A client's record as it stood on a day (GOALTRACK_AS_OF): what every view as of a past day
reads, and what `attention` reads for a client with something dated after that day."""

from __future__ import annotations

from datetime import date

from goaltrack.records.model import ClientRecord


def snapshot(record: ClientRecord, as_of: date) -> ClientRecord:
    """The record as it stood on `as_of` (GOALTRACK_AS_OF): each goal keeps only the entries
    dated on or before it, and the client only such screenings and risk reviews, so alerts
    (a later review must not hide a flag that was open then), the GAS T-score, client outcomes
    and chart points all see the same snapshot as the goal summaries. A copy for reading; the
    file is untouched."""
    goals = [
        goal.model_copy(update={"progress": [e for e in goal.progress if e.date <= as_of]})
        for goal in record.goals
    ]
    client = record.client.model_copy(
        update={
            "screenings": [s for s in record.client.screenings if s.date <= as_of],
            "risk_reviews": [r for r in record.client.risk_reviews if r.date <= as_of],
        }
    )
    return record.model_copy(update={"goals": goals, "client": client})
