"""A measurement: a goal's progress entry, and a screening taken without a goal (intake).

Both carry the item answers of an administered questionnaire when there were any, and the
safety flag those answers raise (a PHQ-9 with item 9 above 0), derived from the answers
themselves, never only from a stored mark.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from goaltrack.records.enums import PHQ9_KEY, EntryFlag
from goaltrack.records.fields import EntryId, InstrumentKey, Number, RaterName, RecordModel, Text


class ProgressEntry(RecordModel):
    """One measurement of a goal, usually taken at a session."""

    id: EntryId
    date: date
    value: Number
    session: Annotated[int, Field(ge=1, le=100_000)] | None = None
    rater: RaterName | None = None
    note: Text | None = None
    instrument: InstrumentKey | None = (
        None  # set when the value is the total of an administered form
    )
    responses: list[Annotated[int, Field(ge=0, le=100)]] | None = None  # item answers, in order
    flags: list[EntryFlag] | None = None

    @field_validator("responses", "flags")
    @classmethod
    def _empty_is_none(cls, value: list[Any] | None) -> list[Any] | None:
        """Keep files tidy: an empty list is stored as no key at all."""
        return value or None

    @model_validator(mode="after")
    def _responses_need_instrument(self) -> ProgressEntry:
        if self.responses is None and self.flags is None:
            return self  # most entries: no answers to check or derive a flag from, no flags
        if self.responses is not None and self.instrument is None:
            raise ValueError("item responses need the instrument they answer")
        if self.endorses_phq9_item9() and not self.has_flag(EntryFlag.RISK_ITEM9):
            # A safety signal is derived from the answers, never only from a stored mark.
            self.__dict__["flags"] = [*(self.flags or []), EntryFlag.RISK_ITEM9]
        if self.flags is not None:
            self.__dict__["flags"] = list(dict.fromkeys(self.flags))
        return self

    def endorses_phq9_item9(self) -> bool:
        """True when this is a PHQ-9 whose item 9 (thoughts of death or self-harm) is above 0."""
        answers = self.responses or []
        return self.instrument == PHQ9_KEY and len(answers) >= 9 and answers[8] > 0

    def has_flag(self, flag: EntryFlag) -> bool:
        """True when the entry carries `flag`."""
        return bool(self.flags) and flag in (self.flags or [])


class Screening(ProgressEntry):
    """A questionnaire taken without a goal (at intake, say): it suggests a concern's severity
    and gives the baseline of a goal made from it. Its id shares the entries' id space."""

    @model_validator(mode="after")
    def _needs_instrument(self) -> Screening:
        if self.instrument is None:
            raise ValueError("a screening names the instrument it was taken with")
        return self
