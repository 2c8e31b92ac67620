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

A goal the change did not touch at all (its own fields and every entry as read) is passed as
the validated instance it is, and `touched` tells the store which parts of the file the change
touched, so that only those are rendered again (storage/splice.py).

`before` rebuilds the record as it was before the change (for the audit trail's list of what
changed), from copies of the small parts and the remembered entry states.
"""

from __future__ import annotations

import operator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from goaltrack.errors import InvalidValueError
from goaltrack.records.model import ClientRecord, Goal, ProgressEntry, describe_validation_error

#: The fields of an entry that hold a list (which a change could alter in place).
_LIST_FIELDS = tuple(
    name for name, info in ProgressEntry.model_fields.items() if "list" in str(info.annotation)
)


def _states(entries: list[ProgressEntry]) -> list[dict[str, Any]]:
    """The states of `entries` (as `_state` gives each), in one pass: copying every entry's
    fields, then only the lists that are there (most entries hold none)."""
    states = [entry.__dict__.copy() for entry in entries]
    for state in states:
        for name in _LIST_FIELDS:
            value = state[name]
            if value is not None:
                state[name] = list(value)
    return states


def _state(entry: ProgressEntry) -> dict[str, Any]:
    """An entry's field values, with its lists (responses, flags) copied."""
    state = entry.__dict__.copy()
    for name in _LIST_FIELDS:
        value = state.get(name)
        if value is not None:
            state[name] = list(value)
    return state


@dataclass(frozen=True)
class Touched:
    """What a change touched of the record it was given, part by part of its file."""

    #: The client or a top-level field differs from what was read.
    head: bool
    #: The goal numbers in the order read, or None when the change added, removed or
    #: reordered goals (then no part of the old file maps onto the new record goal by goal).
    order: tuple[int, ...] | None
    #: Numbers of the goals whose own fields or entries differ from what was read.
    goals: frozenset[int]
    #: Of those, the goals whose change only added entries after the ones read (a `log`):
    #: the number of entries read, which the goal still holds first, as they were.
    appended: dict[int, int] = field(default_factory=dict)


class Draft:
    """A record about to be changed in place, with what is needed to check and describe it."""

    def __init__(self, record: ClientRecord) -> None:
        self.record = record
        self._client = record.client.model_copy(deep=True)
        self._top = {k: v for k, v in record.__dict__.items() if k not in ("client", "goals")}
        self._read_goals = list(record.goals)  # the very goal objects read, in order
        self._goals: list[Goal] = []
        for goal in record.goals:
            copy = goal.model_copy()  # shallow; then every field but the entries, deep
            for key, value in goal.__dict__.items():
                copy.__dict__[key] = list(value) if key == "progress" else deepcopy(value)
            self._goals.append(copy)  # its progress list holds the entries themselves
        #: Per goal read, the states of its entries in order (compared as one list).
        self._goal_states = [_states(goal.progress) for goal in record.goals]
        # Keyed by identity; the lists above keep every entry alive, so no id is reused.
        self._states = {
            id(entry): state
            for goal, states in zip(record.goals, self._goal_states, strict=True)
            for entry, state in zip(goal.progress, states, strict=True)
        }
        self._admitted: list[ProgressEntry] = []  # kept alive for the same reason
        self._touched: Touched | None = None
        self._whole: set[int] = set()  # positions of goals passed on whole (untouched)

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

        Entries the change did not touch are passed as the validated instances they are, and
        so is a goal the change did not touch at all (its own fields and every entry as read);
        everything else is validated from its plain data, as a whole-record validation would.
        `touched` then says which parts of the file the change touched.
        """
        record = self.record
        document: dict[str, Any] = _plain(record, exclude={"goals"})
        goals: list[Any] = []
        changed: set[int] = set()
        whole: set[int] = set()
        appended: dict[int, int] = {}
        for position, goal in enumerate(record.goals):
            if not isinstance(goal, BaseModel):
                goals.append(goal)
                continue
            kept = self._kept_as_read(position, goal)
            if kept is not None and kept == len(goal.progress):
                goals.append(goal)
                whole.add(position)
                continue
            changed.add(goal.number)
            if kept:
                appended[goal.number] = kept
            plain = _plain(goal, exclude={"progress"})
            progress = goal.__dict__.get("progress", [])
            plain["progress"] = [
                entry if self._unchanged(entry) else _plain(entry) for entry in progress
            ]
            goals.append(plain)
        document["goals"] = goals
        try:
            final = ClientRecord.model_validate(document)
        except ValidationError as error:
            raise InvalidValueError(describe_validation_error(error)) from None
        # a goal passed on whole is the same object in the new record (never copied)
        self._whole = {p for p in whole if final.goals[p] is self._read_goals[p]}
        same_order = [goal.number for goal in final.goals] == [g.number for g in self._goals]
        self._touched = Touched(
            head=final.client != self._client
            or any(final.__dict__.get(key) != value for key, value in self._top.items()),
            order=tuple(goal.number for goal in final.goals) if same_order else None,
            goals=frozenset(changed),
            appended=appended,
        )
        return final

    def touched(self) -> Touched:
        """What the change touched (after `revalidated`): the client or top-level fields,
        and which goals, by the goal numbers as read."""
        if self._touched is None:
            raise RuntimeError("touched() is known once the draft is revalidated")
        return self._touched

    def _kept_as_read(self, position: int, goal: Goal) -> int | None:
        """When `goal` is the goal read at this position, its own fields as read and its first
        entries the very entries read there, each in the state it was read in: how many
        entries were read (so it is untouched when it holds no more, and only gained entries
        when it holds more); None otherwise."""
        if position >= len(self._read_goals) or goal is not self._read_goals[position]:
            return None
        copy, fields = self._goals[position].__dict__, goal.__dict__
        if len(fields) != len(copy) or any(
            fields.get(key) != value for key, value in copy.items() if key != "progress"
        ):
            return None
        read, now = copy["progress"], fields["progress"]
        count = len(read)
        # the very entry objects read (compared up to the shorter list), then their states in
        # one comparison of two lists of dicts
        if len(now) < count or not all(map(operator.is_, now, read)):
            return None
        if [entry.__dict__ for entry in now[:count]] != self._goal_states[position]:
            return None
        return count

    def before(self) -> ClientRecord:
        """The record as it was before the change (for the audit: what differs). A goal the
        change did not touch is the very object the new record holds (after `revalidated`),
        so comparing the two skips it at once."""
        goals = []
        for position, goal in enumerate(self._goals):
            if position in self._whole:
                goals.append(self._read_goals[position])
                continue
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
