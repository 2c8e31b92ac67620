"""The episode-of-care parts of a client file: closed episodes and risk reviews.

A discharge closes the current episode (its dates and reason move to `client.episodes`); a risk
review acknowledges the open item-9 flags it covers. Neither rewrites history: the entries and
their flags stay as they were.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from goaltrack.records.enums import EndReason, RiskOutcome
from goaltrack.records.fields import EntryId, ItemNumber, Line, RecordModel, Text, new_list


class Episode(RecordModel):
    """A closed episode of care: from referral or first session to discharge."""

    number: ItemNumber
    since: date
    until: date
    reason: EndReason = EndReason.PLANNED
    note: Text | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Episode:
        if self.until < self.since:
            raise ValueError("an episode cannot end before it starts")
        return self


class RiskReview(RecordModel):
    """A clinician's assessment acknowledging the flagged entries it covers: who, when, what."""

    id: EntryId
    date: date
    by: Line | None = None
    outcome: RiskOutcome
    covers: list[EntryId] = Field(default_factory=new_list)
    note: Text | None = None
