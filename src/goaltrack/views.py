"""What each read command shows, as plain data: the core's answer before any rendering."""

from __future__ import annotations

from datetime import date
from typing import Any

from goaltrack.measures import instruments
from goaltrack.measures.gas import client_gas
from goaltrack.measures.instruments import Instrument, Registry
from goaltrack.measures.outcomes import DEFAULT_STALE_DAYS, GoalSummary, summarize_goal
from goaltrack.records.model import ClientRecord, Goal, GoalKind, GoalStatus

CLIENT_FIELDS = [
    "id",
    "name",
    "status",
    "created",
    "concerns",
    "goals",
    "active_goals",
    "last_entry",
]
GOAL_FIELDS = [
    "client",
    "goal",
    "kind",
    "title",
    "measure",
    "baseline",
    "target",
    "due",
    "priority",
    "status",
    "approach",
    "created",
    "entries",
]


def progress_fields() -> list[str]:
    """The keys of a progress row, in order (CSV header even when there are no rows)."""
    from dataclasses import fields

    return ["client", *(item.name for item in fields(GoalSummary))]


def instrument_for(goal: Goal, registry: Registry | None = None) -> Instrument | None:
    """The instrument a goal is measured with: from `registry` (built-ins plus the user's
    instruments.toml), else from the built-ins; None for an unknown or missing measure."""
    if not goal.measure:
        return None
    return registry.get(goal.measure) if registry is not None else instruments.get(goal.measure)


def summarize(
    goal: Goal,
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
) -> GoalSummary:
    """A goal's summary against its own instrument."""
    instrument = instrument_for(goal, registry)
    return summarize_goal(goal, instrument, today=today, stale_days=stale_days)


def gas_detail(record: ClientRecord, weighting: str = "equal") -> dict[str, Any] | None:
    """The client's GAS T-score as plain data, or None when no GAS goal has an entry."""
    summary = client_gas(record.goals, weighting)
    return summary.as_dict() if summary else None


def client_row(record: ClientRecord) -> dict[str, Any]:
    """One line of the `clients` list."""
    client = record.client
    dates = [entry.date for goal in record.goals for entry in goal.progress]
    return {
        "id": client.id,
        "name": client.name,
        "status": client.status.value,
        "created": client.created,
        "concerns": [concern.name for concern in client.concerns],
        "goals": len(record.goals),
        "active_goals": sum(1 for goal in record.goals if goal.status is GoalStatus.ACTIVE),
        "last_entry": max(dates) if dates else None,
    }


def client_detail(
    record: ClientRecord,
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Everything `show` tells about a client: details, concerns, goals with their latest status."""
    client = record.client
    return {
        "id": client.id,
        "name": client.name,
        "status": client.status.value,
        "created": client.created,
        "approaches": [approach.value for approach in client.approaches],
        "notes": client.notes,
        "concerns": [
            {"name": concern.name, "severity": concern.severity.value}
            for concern in client.concerns
        ],
        "goals": [summarize(goal, today, stale_days, registry).as_dict() for goal in record.goals],
        "gas": gas_detail(record),
    }


def goal_row(goal: Goal) -> dict[str, Any]:
    """One line of the `goals` list."""
    return {
        "goal": goal.number,
        "kind": goal.kind.value,
        "title": goal.title,
        "measure": goal.measure,
        "baseline": goal.effective_baseline(),
        "target": goal.target,
        "due": goal.due,
        "priority": goal.priority.value,
        "status": goal.status.value,
        "approach": goal.approach.value if goal.approach else None,
        "created": goal.created,
        "entries": len(goal.progress),
        "gas_levels": goal.gas_levels,
    }


def select_goals(
    record: ClientRecord, kind: GoalKind | None = None, status: GoalStatus | None = None
) -> list[Goal]:
    """The client's goals, optionally filtered by kind and status, in number order."""
    return sorted(
        (
            goal
            for goal in record.goals
            if (kind is None or goal.kind is kind) and (status is None or goal.status is status)
        ),
        key=lambda goal: goal.number,
    )


def progress_rows(
    record: ClientRecord,
    goals: list[Goal],
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """Where each goal stands, one row per goal, with the client id first."""
    return [
        {"client": record.client.id, **summarize(goal, today, stale_days, registry).as_dict()}
        for goal in goals
    ]


def entry_rows(record: ClientRecord, goals: list[Goal]) -> list[dict[str, Any]]:
    """Tidy progress data: one row per entry, in date order per goal."""
    rows = []
    for goal in goals:
        for entry in goal.entries_in_order():
            rows.append(
                {
                    "client": record.client.id,
                    "goal": goal.number,
                    "measure": goal.measure,
                    "id": entry.id,
                    "date": entry.date,
                    "value": entry.value,
                    "session": entry.session,
                    "rater": entry.rater.value if entry.rater else None,
                    "note": entry.note,
                }
            )
    return rows
