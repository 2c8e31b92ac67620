"""Plausible dates: the rules that catch a mistyped year before it reaches a client's file.

A slip of 1926 for 2026 stretches a chart over a century and makes every trend meaningless,
so the command line refuses, unless told `--force`:

- an entry dated more than a year before today (`check_entry_date`);
- a due date already past when a goal is set (`check_due_date`).

An entry dated before the client's start (`client.created`, shown as "Since") is normal (a
record is often created after the first session): it is accepted, and `before_start` gives
the one-line note the command prints. "Today" is the as-of day (`settings.as_of()`: the clock,
or GOALTRACK_AS_OF), so a documented session stays reproducible; a date in the future of the
clock is refused apart, always. These rules are opt-in (`check_dates=True` in the
operations): an import restores old data as it is and never starts refusing it.
"""

from __future__ import annotations

from datetime import date

from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.records.model import ClientRecord


def year_before(today: date) -> date:
    """The same day one year earlier (29 February gives 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def check_entry_date(on: date, today: date, *, force: bool = False) -> None:
    """Refuse an entry dated more than a year before `today`, unless `force`."""
    earliest = year_before(today)
    if on < earliest and not force:
        raise InvalidValueError(
            f"date {on.isoformat()} is more than a year ago (before {earliest.isoformat()}); "
            "check the year, or add --force to record it"
        )


def check_due_date(due: date | None, today: date, *, force: bool = False) -> None:
    """Refuse a due date already past (before `today`), unless `force`."""
    if due is not None and due < today and not force:
        raise InvalidValueError(
            f"due date {due.isoformat()} is already past (today is {today.isoformat()}); "
            "check the year, or add --force to set it"
        )


def check_since(since: date, today: date) -> None:
    """Refuse a client start date in the future."""
    if since > today:
        raise FieldError("since", f"must not be in the future (today is {today.isoformat()})")


def before_start(record: ClientRecord, on: date) -> str | None:
    """The note for an entry dated before the client's start, naming the way to move the
    start back; None when the entry is on or after it."""
    client = record.client
    if on >= client.since:
        return None
    return (
        f"goaltrack: note: {on.isoformat()} is before {client.id}'s start "
        f"({client.since.isoformat()}, shown as Since); if treatment began earlier: "
        f"goaltrack edit-client {client.id} --since {on.isoformat()}"
    )
