"""Recording a clinician's risk review: the assessment that acknowledges open item-9 flags."""

from __future__ import annotations

from datetime import date

from goaltrack.errors import InvalidValueError
from goaltrack.measures.safety import open_flags
from goaltrack.records.enums import RiskOutcome
from goaltrack.records.model import ClientRecord, RiskReview, build, new_entry_id


def record_risk_review(
    record: ClientRecord,
    *,
    on: date,
    today: date,
    outcome: RiskOutcome,
    by: str | None = None,
    note: str | None = None,
) -> RiskReview:
    """Add a risk review dated `on` covering every item-9 flag open on that day (dated on or
    before it). The flagged entries stay as they are: the review acknowledges them, so they
    stop being urgent; an item 9 endorsed later opens a new flag."""
    if on > today:
        raise InvalidValueError(f"review date {on.isoformat()} is in the future")
    covers = [entry.id for _, entry in open_flags(record) if entry.date <= on]
    taken = {review.id for review in record.client.risk_reviews} | record.entry_ids()
    review = build(
        RiskReview,
        id=new_entry_id(taken),
        date=on,
        by=by,
        outcome=outcome,
        covers=covers,
        note=note,
    )
    record.client.risk_reviews = [*record.client.risk_reviews, review]
    return review
