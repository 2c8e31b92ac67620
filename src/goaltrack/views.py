"""What each read command shows, as plain data: the core's answer before any rendering.

This module holds the shared pieces (a goal's summary on one rater's series; the record as
of a day is records/asof.py) and the read models of `clients`, `show`, `goals`, `progress`
and `entries`; the charts' read model is `chart_views.py`, that of `instruments` and `items`
is `instrument_views.py`."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from goaltrack import roster, settings
from goaltrack.measures import client_outcomes, instruments, safety
from goaltrack.measures.gas import client_gas
from goaltrack.measures.instruments import Instrument, Registry
from goaltrack.measures.outcomes import DEFAULT_STALE_DAYS, GoalSummary, summarize_goal
from goaltrack.measures.raters import UNRATED, own_rater, rated_by, raters_of
from goaltrack.records.enums import GOAL_COLUMNS
from goaltrack.records.model import ClientRecord, Goal, GoalKind, GoalStatus
from goaltrack.storage import facts

Number = int | float

CLIENT_FIELDS = roster.CLIENT_FIELDS
GOAL_FIELDS = ["client", *GOAL_COLUMNS, "entries"]


def progress_fields() -> list[str]:
    """The keys of a progress row, in order (CSV header even when there are no rows)."""
    return ["client", *(item.name for item in fields(GoalSummary)), "rater"]


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
    rater: str | None = None,
) -> GoalSummary:
    """A goal's summary against its own instrument, on one rater's series: `rater`'s, else
    the goal's own (the client's ratings; see measures/raters.py)."""
    instrument = instrument_for(goal, registry)
    return summarize_goal(
        rating_series(goal, rater), instrument, today=today, stale_days=stale_days
    )


def rating_series(goal: Goal, rater: str | None = None) -> Goal:
    """The goal with only the entries its figures are computed on: `rater`'s, else the
    goal's own rater's. The goal itself when it has a single rater and none is asked for."""
    if rater is None and len(raters_of(goal)) <= 1:
        return goal
    chosen = rater or own_rater(goal)
    return rated_by(goal, chosen) if chosen is not None else goal


def gas_detail(record: ClientRecord, weighting: str = "equal") -> dict[str, Any] | None:
    """The client's GAS T-score as plain data, or None when no GAS goal has an entry."""
    summary = client_gas(record.goals, weighting)
    return summary.as_dict() if summary else None


def _client_identity(record: ClientRecord) -> dict[str, Any]:
    """Who the client is: the first fields of every client row and detail."""
    client = record.client
    return {
        "id": client.id,
        "name": client.name,
        "status": client.status.value,
        "created": client.created,
    }


def client_row(record: ClientRecord) -> dict[str, Any]:
    """One line of the `clients` list (without the item-9 column)."""
    row = roster.client_row(facts.client_facts(record))
    del row["risk_item9"]
    del row["concern_severities"]
    return row


def client_rows(records: list[ClientRecord]) -> list[dict[str, Any]]:
    """The `clients` list: one line per client, with the date of an open PHQ-9 item-9 flag.

    Built from the same facts as the caseload index holds, so both give the same rows."""
    return [roster.client_row(facts.client_facts(record)) for record in records]


def client_detail(
    record: ClientRecord,
    today: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
    goals: list[Goal] | None = None,
) -> dict[str, Any]:
    """Everything `show` tells about a client: details, concerns, goals (`goals`, else every
    goal) with their latest status,
    when each goal's next measure is due, and the client's rows of the attention list."""
    from goaltrack.attention import record_attention
    from goaltrack.measures.attention import next_measure_due

    client = record.client
    day = today or settings.as_of()
    known = registry or instruments.builtin_registry()
    flags = record_attention(record, day, stale_days, known)

    def scheduled(goal: Goal) -> dict[str, Any]:
        seen = [entry.date for entry in goal.progress if entry.date <= day]
        return {
            "every": goal.every,
            "next_measure_due": next_measure_due(goal.every, max(seen, default=None), goal.created)
            if goal.status is GoalStatus.ACTIVE
            else None,
        }

    return {
        **_client_identity(record),
        "since": client.since,
        "episode": client.current_episode(),
        "episodes": [
            {
                "number": episode.number,
                "since": episode.since,
                "until": episode.until,
                "reason": episode.reason.value,
                "note": episode.note,
            }
            for episode in client.episodes
        ],
        "approaches": [approach.value for approach in client.approaches],
        "preferences": list(client.preferences),
        "strengths": list(client.strengths),
        "notes": client.notes,
        "concerns": [
            {"name": concern.name, "severity": concern.severity.value}
            for concern in client.concerns
        ],
        "goals": [
            {
                **_with_gas_levels(
                    {
                        **summarize(goal, today, stale_days, registry).as_dict(),
                        "rater": own_rater(goal),
                    },
                    goal,
                ),
                **scheduled(goal),
            }
            for goal in (record.goals if goals is None else goals)
        ],
        "gas": gas_detail(record),
        "client_outcomes": client_outcomes.client_outcomes(record),
        "attention": [flag.as_dict() for flag in flags],
        "reviewed_risks": safety.reviewed_flags(record),
    }


def outcome_detail(record: ClientRecord) -> dict[str, Any]:
    """The client-level outcomes (IAPT paired, PHQ-9 response/remission) as plain data."""
    return client_outcomes.client_outcomes(record)


def rule_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One line per measure naming the rule its change classes were judged by."""
    seen: dict[str, str] = {}
    for row in rows:
        if row.get("rule") and row.get("measure"):
            seen.setdefault(row["measure"], row["rule"])
    return [f"{measure}: judged by {rule}" for measure, rule in seen.items()]


def outcome_lines(record: ClientRecord) -> list[str]:
    """The client-level outcomes as lines under a table (none without enough data)."""
    return client_outcomes.outcome_lines(record)


def _with_gas_levels(summary: dict[str, Any], goal: Goal) -> dict[str, Any]:
    """A goal's summary, with what each GAS level looks like when the goal describes them."""
    return {**summary, "gas_levels": dict(goal.gas_levels)} if goal.gas_levels else summary


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
        "every": goal.every,
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
    rater: str | None = None,
    by_rater: bool = False,
) -> list[dict[str, Any]]:
    """Where each goal stands, one row per goal with the client id first and, last, the rater
    whose ratings the figures use (`rater`, else the goal's own). `by_rater`: one row per
    goal and rater instead, each on that rater's ratings only."""
    rows = []
    for goal in goals:
        raters = raters_of(goal) if by_rater else [rater or own_rater(goal)]
        for name in raters or [None]:
            summary = summarize(goal, today, stale_days, registry, name)
            rows.append({"client": record.client.id, **summary.as_dict(), "rater": name})
    return rows


def rater_lines(goals: list[Goal], rater: str | None, by_rater: bool) -> list[str]:
    """Lines saying whose ratings the figures use, for a table's footnotes: always when a
    rater was chosen or each shown apart, else for each goal rated by several people."""
    if by_rater:
        return ["One row per rater: each row's figures use that rater's ratings only."]
    if rater is not None:
        return [f"Figures use {_whose(rater)} ratings only (--rater {rater})."]
    lines = []
    for goal in goals:
        raters = raters_of(goal)
        if len(raters) > 1:
            lines.append(
                f"Goal {goal.number}: figures use {_whose(raters[0])} ratings; also rated by "
                f"{', '.join(raters[1:])} (--by-rater shows each, --rater NAME uses one)."
            )
    return lines


def _whose(rater: str) -> str:
    """A rater as the owner of ratings: "the client's own", "the parent's"."""
    return "the client's own" if rater == UNRATED else f"the {rater}'s"


def entry_history(
    record: ClientRecord, goals: list[Goal], since: date | None = None
) -> list[dict[str, Any]]:
    """The `entries` list: every entry (on or after `since`) with its flags, goal by goal."""
    flags = {
        entry.id: [flag.value for flag in entry.flags or []] for g in goals for entry in g.progress
    }
    return [
        {**row, "flags": flags.get(row["id"], [])}
        for row in entry_rows(record, goals)
        if since is None or row["date"] >= since
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
                    "rater": entry.rater,
                    "note": entry.note,
                }
            )
    return rows
