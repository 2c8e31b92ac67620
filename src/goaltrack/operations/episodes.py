"""Episodes of care: discharge (closing the current episode and its open goals), reopening a
discharged client in a new episode, and the guard that keeps new entries out of a closed one.

An episode's history is never rewritten: a discharge records its dates and reason in
`client.episodes`; the goals and entries of the episode stay as they were (only the status of
its open goals changes, as the clinician chose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from goaltrack.errors import InvalidValueError
from goaltrack.records.enums import EndReason
from goaltrack.records.model import ClientRecord, ClientStatus, Episode, GoalStatus, build


class OpenGoals(StrEnum):
    """What a discharge does with the episode's goals still open (active or paused)."""

    ACHIEVED = "achieved"
    DROPPED = "dropped"
    KEEP = "keep"


@dataclass(frozen=True)
class Discharge:
    """What a discharge changed: the episode it closed and the goals it closed."""

    episode: int
    since: date
    until: date
    closed_goals: list[int]


def open_goals(record: ClientRecord) -> list[int]:
    """The numbers of the current episode's goals still open (active or paused)."""
    episode = record.client.current_episode()
    return [
        goal.number
        for goal in record.goals
        if goal.episode == episode and goal.status in (GoalStatus.ACTIVE, GoalStatus.PAUSED)
    ]


def discharge(
    record: ClientRecord,
    *,
    on: date,
    today: date,
    reason: EndReason = EndReason.PLANNED,
    note: str | None = None,
    goals: OpenGoals | None = None,
) -> Discharge:
    """End the client's current episode on `on`: its open goals become `goals` (achieved or
    dropped; `keep` leaves them open for a return), the episode is recorded with its dates,
    reason and note, and the client is discharged. `goals` may be omitted only when no goal
    is open."""
    client = record.client
    if client.status is ClientStatus.DISCHARGED:
        raise InvalidValueError(
            f"client {client.id!r} is already discharged; `goaltrack reopen {client.id}` "
            "starts a new episode"
        )
    if on > today:
        raise InvalidValueError(f"discharge date {on.isoformat()} is in the future")
    if on < client.since:
        raise InvalidValueError(
            f"discharge date {on.isoformat()} is before the episode's start "
            f"({client.since.isoformat()})"
        )
    still_open = open_goals(record)
    if still_open and goals is None:
        numbers = ", ".join(str(number) for number in still_open)
        raise InvalidValueError(
            f"goal(s) {numbers} are still open: say what becomes of them with "
            "--goals achieved|dropped|keep"
        )
    number = client.current_episode()
    closed = []
    if goals is not None and goals is not OpenGoals.KEEP:
        for goal in record.goals:
            if goal.number in still_open:
                goal.status = GoalStatus(goals.value)
                closed.append(goal.number)
    episode = build(Episode, number=number, since=client.since, until=on, reason=reason, note=note)
    client.episodes = [*client.episodes, episode]
    client.status = ClientStatus.DISCHARGED
    return Discharge(number, client.since, on, closed)


def reopen(record: ClientRecord, *, on: date, today: date) -> int:
    """Start a new episode for a discharged client on `on`; returns its number. Goals kept
    open at discharge move to the new episode; every other goal stays with the episode it
    belongs to (its history kept apart)."""
    client = record.client
    if client.status is not ClientStatus.DISCHARGED:
        raise InvalidValueError(f"client {client.id!r} is not discharged: nothing to reopen")
    if on > today:
        raise InvalidValueError(f"start date {on.isoformat()} is in the future")
    last = max(client.episodes, key=lambda episode: episode.number, default=None)
    if last is None:  # discharged by `edit-client --status` before episodes were recorded
        client.status = ClientStatus.ACTIVE
        client.since = on
        return client.current_episode()
    if on < last.until:
        raise InvalidValueError(
            f"a new episode cannot start before the last one ended ({last.until.isoformat()})"
        )
    number = last.number + 1
    for goal in record.goals:
        if goal.episode == last.number and goal.status in (GoalStatus.ACTIVE, GoalStatus.PAUSED):
            goal.episode = number
    client.status = ClientStatus.ACTIVE
    client.since = on
    return number


def require_in_care(record: ClientRecord, force: bool, done: str = "logged") -> None:
    """Refuse a new entry (or goal: `done` is "added") for a discharged client unless
    `force` (then it joins the closed episode's history): a discharge means the episode is
    over."""
    client = record.client
    if client.status is ClientStatus.DISCHARGED and not force:
        ended = max(client.episodes, key=lambda episode: episode.number, default=None)
        when = f" on {ended.until.isoformat()}" if ended is not None else ""
        raise InvalidValueError(
            f"client {client.id!r} was discharged{when}; nothing was {done}: "
            f"`goaltrack reopen {client.id}` starts a new episode, or add --force to add "
            "it to the closed one"
        )
