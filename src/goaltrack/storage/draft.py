"""The draft of one write: what a change did to a record, and the check of what it touched.

`Store.update` reads and fully validates a client's file, lets the change mutate that record,
and must then prove the result valid before it is written. Validating every entry again costs
as much as the file is large (10 goals x 1,000 entries: tens of milliseconds, three times over
before issue 10), while a change touches one entry or one goal. So, before the change, `Draft`
remembers the state of every progress entry (its field values, lists copied); after it,
`revalidated` runs the model's whole validation on the record, except that each entry that is
the very object read from the file, in the very state it was read in, is handed to Pydantic as
the validated instance it already is. Everything else (the client, every goal's own fields,
every new or changed entry, anything that is not a ProgressEntry at all) is validated from its
plain data, and the record's own invariants (unique goal numbers, unique entry ids) run over
all goals and entries: the same rules as validating everything, at the cost of the change.

An entry the change built through the model (validated as it was built) may be `admit`ted:
it is then passed on as it is too, while unchanged since. An import of many rows so
validates each new entry once.

`before` rebuilds the record as it was before the change (for the audit trail's list of what
changed), from copies of the small parts and the remembered entry states.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pydantic import BaseModel, ValidationError

from goaltrack.errors import InvalidValueError
from goaltrack.records.model import ClientRecord, Goal, ProgressEntry, describe_validation_error

#: The fields of an entry that hold a list (which a change could alter in place).
_LIST_FIELDS = tuple(
    name for name, info in ProgressEntry.model_fields.items() if "list" in str(info.annotation)
)


def _state(entry: ProgressEntry) -> dict[str, Any]:
    """An entry's field values, with its lists (responses, flags) copied."""
    state = entry.__dict__.copy()
    for name in _LIST_FIELDS:
        value = state.get(name)
        if value is not None:
            state[name] = list(value)
    return state


class Draft:
    """A record about to be changed in place, with what is needed to check and describe it."""

    def __init__(self, record: ClientRecord) -> None:
        self.record = record
        self._client = record.client.model_copy(deep=True)
        self._goals: list[Goal] = []
        for goal in record.goals:
            copy = goal.model_copy()  # shallow; then every field but the entries, deep
            for key, value in goal.__dict__.items():
                copy.__dict__[key] = list(value) if key == "progress" else deepcopy(value)
            self._goals.append(copy)  # its progress list holds the entries themselves
        # Keyed by identity; the lists above keep every entry alive, so no id is reused.
        self._states = {id(e): _state(e) for goal in record.goals for e in goal.progress}
        self._admitted: list[ProgressEntry] = []  # kept alive for the same reason

    def admit(self, entry: ProgressEntry) -> None:
        """Vouch for an entry the change has just built through the model (so validated, as
        `records.model.build` does): like an entry read from the file, it is passed to the
        final validation as it is, as long as it stays in the state it has now. An import
        adding 10,000 entries so validates each one once, when it is built."""
        if type(entry) is not ProgressEntry:
            raise TypeError("only a ProgressEntry built through the model can be admitted")
        self._states[id(entry)] = _state(entry)
        self._admitted.append(entry)

    def _unchanged(self, entry: object) -> bool:
        """True when `entry` was read from the file (or admitted) and is still in that state."""
        if type(entry) is not ProgressEntry:
            return False
        state = self._states.get(id(entry))
        return state is not None and state == entry.__dict__

    def revalidated(self) -> ClientRecord:
        """The changed record validated by the model (InvalidValueError if it breaks a rule).

        Entries the change did not touch are passed as the validated instances they are;
        everything else is validated from its plain data, as a whole-record validation would.
        """
        record = self.record
        document: dict[str, Any] = _plain(record, exclude={"goals"})
        goals: list[Any] = []
        for goal in record.goals:
            if not isinstance(goal, BaseModel):
                goals.append(goal)
                continue
            plain = _plain(goal, exclude={"progress"})
            progress = goal.__dict__.get("progress", [])
            plain["progress"] = [
                entry if self._unchanged(entry) else _plain(entry) for entry in progress
            ]
            goals.append(plain)
        document["goals"] = goals
        try:
            return ClientRecord.model_validate(document)
        except ValidationError as error:
            raise InvalidValueError(describe_validation_error(error)) from None

    def before(self) -> ClientRecord:
        """The record as it was before the change (for the audit: what differs)."""
        goals = []
        for goal in self._goals:
            copy = goal.model_copy()
            copy.__dict__["progress"] = [self._as_read(entry) for entry in goal.progress]
            goals.append(copy)
        before = self.record.model_copy(update={"client": self._client, "goals": goals})
        return before

    def _as_read(self, entry: ProgressEntry) -> ProgressEntry:
        """The entry as it was read: itself if unchanged, else rebuilt from its state then."""
        if self._unchanged(entry):
            return entry
        return ProgressEntry.model_construct(**self._states[id(entry)])


def _plain(value: Any, exclude: set[str] | None = None) -> Any:
    """A model's plain data (what validation starts from); anything else as it is."""
    if isinstance(value, BaseModel):
        return value.model_dump(exclude=exclude)
    return value
