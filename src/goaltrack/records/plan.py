"""The parts of a treatment plan below a goal: objectives (observable steps) and interventions
(what the therapist does, and the approach it comes from). Each is keyed by its number within
its goal; a number is never reused, so history and the merge driver can rely on it."""

from __future__ import annotations

from datetime import date

from goaltrack.records.enums import Approach, ObjectiveStatus
from goaltrack.records.fields import ItemNumber, Line, RecordModel


class Objective(RecordModel):
    """A short, observable step towards a goal ("schedule three valued activities a week")."""

    number: ItemNumber
    text: Line
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE
    due: date | None = None


class Intervention(RecordModel):
    """A technique used towards a goal and the approach it comes from."""

    number: ItemNumber
    technique: Line
    approach: Approach | None = None
