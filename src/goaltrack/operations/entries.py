"""Logging progress values, recording administered instruments, removing a mistaken entry.

Every new progress entry is built in one place (`_new_entry`): a fresh id (or the one an
import keeps), the date not in the future, the model's invariants, then the goal's list.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from goaltrack.errors import EntryNotFoundError, FieldError, InvalidValueError
from goaltrack.measures.instruments import Instrument, Registry
from goaltrack.measures.safety import raises_flag, risk_facts
from goaltrack.operations.dates import check_entry_date
from goaltrack.records.model import (
    ClientRecord,
    EntryFlag,
    Goal,
    ProgressEntry,
    build,
    new_entry_id,
)
from goaltrack.settings import as_of

if TYPE_CHECKING:
    from goaltrack.measures.scoring import Administration


@dataclass
class EntryFields:
    """A progress entry as given on the command line or in a row."""

    value: int | float
    date: date
    session: int | None = None
    rater: str | None = None  # a rater name, checked against the home's set on input
    note: str | None = None
    # carried by an import of exported rows: the form's answers and the entry's flags
    instrument: str | None = None
    responses: list[int] | None = None
    flags: list[EntryFlag] | None = None


def log_value(
    record: ClientRecord,
    number: int,
    entry: EntryFields,
    registry: Registry,
    *,
    entry_id: str | None = None,
    today: date | None = None,
    taken: Container[str] | None = None,
    check_dates: bool = False,
    force: bool = False,
) -> str:
    """Record a value on goal `number` after checking it against the goal's instrument;
    returns the entry's id: `entry_id` when given (an import keeps ids), else a new one.

    `taken` is the file's entry ids when the caller keeps them (an import logging many rows
    builds them once, and adds each new id); by default they are collected from the record.
    `check_dates` (the command line) refuses a date over a year old unless `force`; an import
    leaves it off and keeps old data as it is.
    """
    goal = record.require_goal(number)
    instrument = _measure_of(goal, registry)
    _refuse_future(entry.date, today)
    if check_dates:
        check_entry_date(entry.date, today or as_of(), force=force)
    new = _new_entry(record, entry, entry_id, taken)
    if instrument is not None:  # after the model's checks: a huge value is refused as such
        instrument.check_value(new.value)
    goal.progress.append(new)
    return new.id


def record_administration(
    record: ClientRecord,
    administration: Administration,
    goal_number: int | None,
    *,
    session: int | None = None,
    rater: str | None = None,
    note: str | None = None,
    today: date | None = None,
    check_dates: bool = False,
    force: bool = False,
) -> Administration:
    """Log a scored administration to its goals (one entry each, same answers and flags);
    `administration.entries` then names them. `check_dates`: as in `log_value`."""
    _refuse_future(administration.date, today)
    if check_dates:
        check_entry_date(administration.date, today or as_of(), force=force)
    from goaltrack.measures.scoring import target_goals  # forms and scoring: not for `log`

    administration.entries = []
    goals = target_goals(record, administration.instrument, goal_number, administration.per_goal)
    given = EntryFields(
        value=administration.total,
        date=administration.date,
        session=session,
        rater=rater,
        note=note,
    )
    for goal in goals:
        entry = _new_entry(
            record,
            given,
            instrument=administration.instrument,
            responses=administration.responses,
            flags=administration.flags,
        )
        goal.progress.append(entry)
        administration.entries.append({"goal": goal.number, "id": entry.id})
    return administration


def remove_entry(
    record: ClientRecord, number: int, entry_id: str, *, force: bool = False
) -> ProgressEntry:
    """Remove a mistaken progress entry from a goal; returns the removed entry.

    An entry that raises the PHQ-9 item-9 flag is a safety record: removing it is refused
    unless `force` (the store's audit line then records that a risk entry went).
    """
    goal = record.require_goal(number)
    for index, entry in enumerate(goal.progress):
        if entry.id == entry_id:
            if raises_flag(entry) and not force:
                raise InvalidValueError(
                    f"entry {entry_id} holds an endorsed PHQ-9 item 9 ({risk_facts(entry)}); "
                    "it was not removed: add --force to remove a risk entry (audited)"
                )
            return goal.progress.pop(index)
    raise EntryNotFoundError(
        f"goal {number} of {record.client.id!r} has no entry with that id (see `goaltrack "
        f"entries {record.client.id} {number}`)"
    )


def risk_entries_removed(
    before: ClientRecord, after: ClientRecord, *, force: bool = False
) -> list[ProgressEntry]:
    """The entries and screenings raising the PHQ-9 item-9 flag that replacing `before` by
    `after` (undo) would remove. A safety record goes only with `force`, as in
    `remove_entry`: without it, any such removal is refused and nothing changes."""
    kept = after.entry_ids()
    gone = [
        entry
        for entry in [
            *(entry for goal in before.goals for entry in goal.progress),
            *before.client.screenings,
        ]
        if entry.id not in kept and raises_flag(entry)
    ]
    if gone and not force:
        facts = "; ".join(f"entry {entry.id}: {risk_facts(entry)}" for entry in gone)
        raise InvalidValueError(
            f"undo would remove a risk entry ({facts}); nothing was changed: add --force to "
            "undo it (audited)"
        )
    return gone


def _measure_of(goal: Goal, registry: Registry) -> Instrument | None:
    """The goal's instrument; a clear error when its measure is no longer known."""
    if goal.measure is None:
        return None
    instrument = registry.get(goal.measure)
    if instrument is None:
        raise InvalidValueError(
            f"goal {goal.number} is measured by {goal.measure!r}, which is not a known "
            "instrument (was it removed from instruments.toml?); restore it or change the "
            "goal's --measure before logging"
        )
    return instrument


def _refuse_future(on: date, today: date | None) -> None:
    today = today or date.today()
    if on > today:  # the rule names today, never the date that was typed
        raise FieldError("date", f"must not be in the future (today is {today.isoformat()})")


def _new_entry(
    record: ClientRecord,
    fields: EntryFields,
    entry_id: str | None = None,
    taken: Container[str] | None = None,
    **extra: Any,
) -> ProgressEntry:
    """A validated entry with a fresh id, or `entry_id` when it is not taken in the file."""
    if taken is None:
        taken = record.entry_ids()
    if entry_id is not None and entry_id in taken:
        raise FieldError("id", f"entry {entry_id} already exists in this client's file")
    return build(ProgressEntry, id=entry_id or new_entry_id(taken), **{**vars(fields), **extra})
