"""The changes a command can make to a client record.

Each function mutates the record it is given (a private draft inside `Store.update`) and
returns what the caller needs to report. Invariants are re-checked by the store before
anything is written, so a change that breaks one is refused whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from goaltrack.errors import EntryNotFoundError, GoalNotFoundError, InvalidValueError
from goaltrack.records.convert import check_client_id
from goaltrack.records.model import (
    Approach,
    Client,
    ClientRecord,
    ClientStatus,
    Concern,
    Goal,
    GoalKind,
    GoalStatus,
    Priority,
    ProgressEntry,
    Rater,
    Severity,
    describe_validation_error,
    new_entry_id,
)


def _validated(model: type[Any], **fields: Any) -> Any:
    """Build a model, turning validation errors into a one-line InvalidValueError."""
    try:
        return model(**fields)
    except ValidationError as error:
        raise InvalidValueError(describe_validation_error(error)) from None


def _assign(target: Any, field: str, value: Any) -> None:
    """Set a validated field, turning validation errors into InvalidValueError."""
    try:
        setattr(target, field, value)
    except ValidationError as error:
        raise InvalidValueError(describe_validation_error(error)) from None


def new_client_record(
    client_id: str,
    *,
    name: str | None = None,
    concerns: Iterable[tuple[str, Severity | None]] = (),
    approaches: Iterable[Approach] = (),
    notes: str | None = None,
    created: date | None = None,
) -> ClientRecord:
    """A new client's record, validated but not yet written."""
    check_client_id(client_id)
    concern_models = [
        _validated(Concern, name=cname, severity=severity or Severity.MODERATE)
        for cname, severity in concerns
    ]
    client = _validated(
        Client,
        id=client_id,
        name=name,
        created=created or date.today(),
        approaches=list(approaches),
        notes=notes,
        concerns=concern_models,
    )
    return ClientRecord(client=client)


@dataclass
class ClientEdit:
    """What `edit-client` may change; None means leave as is."""

    name: str | None = None
    status: ClientStatus | None = None
    notes: str | None = None
    set_concerns: tuple[tuple[str, Severity | None], ...] = ()
    remove_concerns: tuple[str, ...] = ()
    add_approaches: tuple[Approach, ...] = ()
    remove_approaches: tuple[Approach, ...] = ()
    clear: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when the edit would change nothing."""
        return not any(
            (
                self.name is not None,
                self.status is not None,
                self.notes is not None,
                self.set_concerns,
                self.remove_concerns,
                self.add_approaches,
                self.remove_approaches,
                self.clear,
            )
        )


CLIENT_CLEARABLE = ("name", "notes")


def edit_client(record: ClientRecord, edit: ClientEdit) -> None:
    """Apply an edit to the client's details, concerns and approaches."""
    if edit.is_empty():
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    client = record.client
    for field in edit.clear:
        if field not in CLIENT_CLEARABLE:
            raise InvalidValueError(f"cannot clear {field!r}; clearable: name, notes")
        _assign(client, field, None)
    if edit.name is not None:
        _assign(client, "name", edit.name)
    if edit.status is not None:
        client.status = edit.status
    if edit.notes is not None:
        _assign(client, "notes", edit.notes)
    concerns = list(client.concerns)
    for removed in edit.remove_concerns:
        kept = [c for c in concerns if c.name.casefold() != removed.casefold()]
        if len(kept) == len(concerns):
            raise InvalidValueError(f"client has no concern named {removed!r}")
        concerns = kept
    for cname, severity in edit.set_concerns:
        existing = next((c for c in concerns if c.name.casefold() == cname.casefold()), None)
        if existing is None:
            concerns.append(_validated(Concern, name=cname, severity=severity or Severity.MODERATE))
        elif severity is not None:
            existing.severity = severity
    client.concerns = concerns
    approaches = [a for a in client.approaches if a not in edit.remove_approaches]
    approaches.extend(a for a in edit.add_approaches if a not in approaches)
    client.approaches = approaches


@dataclass
class GoalFields:
    """Fields of a goal as given on the command line; None means not given."""

    kind: GoalKind | None = None
    title: str | None = None
    measure: str | None = None
    baseline: int | float | None = None
    target: int | float | None = None
    due: date | None = None
    priority: Priority | None = None
    status: GoalStatus | None = None
    approach: Approach | None = None

    def given(self) -> dict[str, Any]:
        """The fields that were given."""
        return {key: value for key, value in vars(self).items() if value is not None}


GOAL_CLEARABLE = ("measure", "baseline", "target", "due", "approach")


def add_goal(record: ClientRecord, fields: GoalFields, created: date | None = None) -> int:
    """Add a goal to the client; returns its number (never a number used before)."""
    if fields.kind is None or fields.title is None:
        raise InvalidValueError("a goal needs a kind and a title")
    number = record.next_goal_number()
    goal = _validated(Goal, number=number, created=created or date.today(), **fields.given())
    record.goals.append(goal)
    return number


def find_goal(record: ClientRecord, number: int) -> Goal:
    """The goal with this number, or GoalNotFoundError."""
    goal = record.goal(number)
    if goal is None:
        known = ", ".join(str(g.number) for g in record.goals) or "none"
        raise GoalNotFoundError(
            f"client {record.client.id!r} has no goal {number} (goals: {known})"
        )
    return goal


def edit_goal(
    record: ClientRecord, number: int, fields: GoalFields, clear: Iterable[str] = ()
) -> None:
    """Change a goal's fields (including its status)."""
    goal = find_goal(record, number)
    clear = tuple(clear)
    if not fields.given() and not clear:
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    for field in clear:
        if field not in GOAL_CLEARABLE:
            raise InvalidValueError(
                f"cannot clear {field!r}; clearable: {', '.join(GOAL_CLEARABLE)}"
            )
        _assign(goal, field, None)
    for field, value in fields.given().items():
        _assign(goal, field, value)


@dataclass
class EntryFields:
    """A progress entry as given on the command line."""

    value: int | float
    date: date
    session: int | None = None
    rater: Rater | None = None
    note: str | None = None


def log_entry(
    record: ClientRecord, number: int, entry: EntryFields, today: date | None = None
) -> str:
    """Record a progress value on a goal; returns the new entry's id."""
    goal = find_goal(record, number)
    today = today or date.today()
    if entry.date > today:
        raise InvalidValueError(f"date {entry.date.isoformat()} is in the future")
    entry_id = new_entry_id(record.entry_ids())
    goal.progress.append(
        _validated(
            ProgressEntry,
            id=entry_id,
            date=entry.date,
            value=entry.value,
            session=entry.session,
            rater=entry.rater,
            note=entry.note,
        )
    )
    return entry_id


def remove_entry(record: ClientRecord, number: int, entry_id: str) -> ProgressEntry:
    """Remove a mistaken progress entry from a goal; returns the removed entry."""
    goal = find_goal(record, number)
    for index, entry in enumerate(goal.progress):
        if entry.id == entry_id:
            return goal.progress.pop(index)
    raise EntryNotFoundError(f"goal {number} of {record.client.id!r} has no entry {entry_id!r}")
