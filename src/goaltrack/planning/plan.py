"""The treatment plan as a tree: concerns -> goals -> objectives -> interventions, each goal
with its outlook; the concerns no active goal serves, and the goals that serve no concern.

A read model of plain data (dates stay dates; the renderers write them). Only the goals of
the current episode of care are in the plan: earlier episodes are history (`goals` lists
them). `PLAN_SCHEMA` is the JSON Schema of `plan -f json`, published by `goaltrack schema
plan`; tests validate the output against it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from goaltrack.measures.instruments import Registry
from goaltrack.measures.outcomes import summarize_goal
from goaltrack.records.enums import ClientStatus, GoalStatus
from goaltrack.records.model import ClientRecord, Goal

#: Flat rows of `plan -f csv|jsonl`: one per concern, goal, objective and intervention.
PLAN_ROW_FIELDS = [
    "client",
    "level",
    "concern",
    "goal",
    "number",
    "text",
    "status",
    "approach",
    "due",
    "outlook",
]


def goal_node(goal: Goal, registry: Registry, today: date, stale_days: int) -> dict[str, Any]:
    """One goal of the plan: its figures, outlook, objectives and interventions."""
    summary = summarize_goal(
        goal,
        registry.get(goal.measure) if goal.measure else None,
        today=today,
        stale_days=stale_days,
    )
    return {
        "goal": goal.number,
        "title": goal.title,
        "kind": goal.kind.value,
        "status": goal.status.value,
        "priority": goal.priority.value,
        "concern": goal.concern,
        "template": goal.template,
        "approach": goal.approach.value if goal.approach else None,
        "measure": goal.measure,
        "baseline": goal.effective_baseline(),
        "latest": summary.latest,
        "target": goal.target,
        "due": goal.due,
        "every": goal.every,
        "outlook": summary.status_word,
        "objectives": [
            {
                "number": item.number,
                "text": item.text,
                "status": item.status.value,
                "due": item.due,
            }
            for item in goal.objectives
        ],
        "interventions": [
            {
                "number": item.number,
                "technique": item.technique,
                "approach": item.approach.value if item.approach else None,
            }
            for item in goal.interventions
        ],
    }


def plan_tree(
    record: ClientRecord, registry: Registry, today: date, stale_days: int
) -> dict[str, Any]:
    """The client's plan for the current episode of care (see the module docstring)."""
    client = record.client
    episode = client.current_episode()
    goals = sorted(
        (goal for goal in record.goals if goal.episode == episode), key=lambda g: g.number
    )
    names = {concern.name.casefold(): concern.name for concern in client.concerns}
    concerns = []
    for concern in client.concerns:
        serving = [
            goal
            for goal in goals
            if goal.concern is not None and goal.concern.casefold() == concern.name.casefold()
        ]
        concerns.append(
            {
                "name": concern.name,
                "severity": concern.severity.value,
                "served": any(goal.status is GoalStatus.ACTIVE for goal in serving),
                "goals": [goal_node(goal, registry, today, stale_days) for goal in serving],
            }
        )
    loose = [
        goal_node(goal, registry, today, stale_days)
        for goal in goals
        if goal.concern is None or goal.concern.casefold() not in names
    ]
    return {
        "client": client.id,
        "name": client.name,
        "episode": episode,
        "since": client.since,
        "until": _ended(record),
        "approaches": [approach.value for approach in client.approaches],
        "preferences": list(client.preferences),
        "strengths": list(client.strengths),
        "screenings": screening_rows(record, registry),
        "concerns": concerns,
        "unserved_concerns": [c["name"] for c in concerns if not c["served"]],
        "goals_without_concern": loose,
    }


def _ended(record: ClientRecord) -> date | None:
    """The discharge date of a discharged client's episode (None while in care), so a plan
    read after discharge does not look like a plan still running."""
    client = record.client
    if client.status is not ClientStatus.DISCHARGED or not client.episodes:
        return None
    return max(client.episodes, key=lambda episode: episode.number).until


def screening_rows(record: ClientRecord, registry: Registry) -> list[dict[str, Any]]:
    """The latest screening with each instrument, in the order first taken: what the plan's
    severities and baselines rest on."""
    latest: dict[str, Any] = {}
    for screening in record.client.screenings:
        key = screening.instrument or ""
        if key not in latest or screening.date >= latest[key].date:
            latest[key] = screening
    rows = []
    for key, screening in latest.items():
        instrument = registry.get(key)
        rows.append(
            {
                "instrument": key,
                "date": screening.date,
                "value": screening.value,
                "band": instrument.band_for(screening.value) if instrument else None,
                "flags": [flag.value for flag in screening.flags or []],
            }
        )
    return rows


def plan_rows(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan as flat rows (CSV, JSON Lines): a concern, then its goals, each followed by
    its objectives and interventions; then the goals that serve no concern."""
    rows: list[dict[str, Any]] = []
    client = tree["client"]

    def row(level: str, concern: str | None, goal: int | None, **fields: Any) -> None:
        rows.append(
            {key: None for key in PLAN_ROW_FIELDS}
            | {"client": client, "level": level, "concern": concern, "goal": goal, **fields}
        )

    def goal_rows(concern: str | None, node: dict[str, Any]) -> None:
        number = node["goal"]
        row(
            "goal",
            concern,
            number,
            number=number,
            text=node["title"],
            status=node["status"],
            approach=node["approach"],
            due=node["due"],
            outlook=node["outlook"],
        )
        for item in node["objectives"]:
            row(
                "objective",
                concern,
                number,
                number=item["number"],
                text=item["text"],
                status=item["status"],
                due=item["due"],
            )
        for item in node["interventions"]:
            row(
                "intervention",
                concern,
                number,
                number=item["number"],
                text=item["technique"],
                approach=item["approach"],
            )

    for concern in tree["concerns"]:
        row("concern", concern["name"], None, text=concern["name"], status=concern["severity"])
        for node in concern["goals"]:
            goal_rows(concern["name"], node)
    for node in tree["goals_without_concern"]:
        goal_rows(node["concern"], node)
    return rows


_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_MAYBE_NUMBER = {"type": ["number", "null"]}
_MAYBE_DATE = {"type": ["string", "null"], "format": "date"}
_OBJECTIVE = {
    "type": "object",
    "required": ["number", "text", "status", "due"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "text": _TEXT,
        "status": {"enum": ["active", "met", "dropped"]},
        "due": _MAYBE_DATE,
    },
}
_INTERVENTION = {
    "type": "object",
    "required": ["number", "technique", "approach"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "technique": _TEXT,
        "approach": _MAYBE_TEXT,
    },
}
_GOAL = {
    "type": "object",
    "required": ["goal", "title", "kind", "status", "outlook", "objectives", "interventions"],
    "additionalProperties": False,
    "properties": {
        "goal": {"type": "integer", "minimum": 1},
        "title": _TEXT,
        "kind": _TEXT,
        "status": {"enum": ["active", "paused", "achieved", "dropped"]},
        "priority": {"enum": ["high", "medium", "low"]},
        "concern": _MAYBE_TEXT,
        "template": _MAYBE_TEXT,
        "approach": _MAYBE_TEXT,
        "measure": _MAYBE_TEXT,
        "baseline": _MAYBE_NUMBER,
        "latest": _MAYBE_NUMBER,
        "target": _MAYBE_NUMBER,
        "due": _MAYBE_DATE,
        "every": _MAYBE_TEXT,
        "outlook": _TEXT,
        "objectives": {"type": "array", "items": {"$ref": "#/$defs/Objective"}},
        "interventions": {"type": "array", "items": {"$ref": "#/$defs/Intervention"}},
    },
}

#: The JSON Schema (draft 2020-12) of `goaltrack plan CLIENT -f json`.
PLAN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "goaltrack treatment plan",
    "description": "The output of `goaltrack plan CLIENT -f json`: concerns -> goals -> "
    "objectives -> interventions; generated by `goaltrack schema plan`.",
    "type": "object",
    "required": ["format_version", "plan", "alerts"],
    "additionalProperties": False,
    "properties": {
        # the read commands' format_version (render/output.FORMAT_VERSION; 2 since issue 17's
        # one client-id key); tests/test_planning_cli.py validates real output against this
        "format_version": {"type": "integer", "const": 2},
        "plan": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "client",
                "episode",
                "concerns",
                "unserved_concerns",
                "goals_without_concern",
            ],
            "properties": {
                "client": _TEXT,
                "name": _MAYBE_TEXT,
                "episode": {"type": "integer", "minimum": 1},
                "since": {"type": "string", "format": "date"},
                "until": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                "approaches": {"type": "array", "items": _TEXT},
                "preferences": {"type": "array", "items": _TEXT},
                "strengths": {"type": "array", "items": _TEXT},
                "screenings": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["instrument", "date", "value", "band", "flags"],
                        "additionalProperties": False,
                        "properties": {
                            "instrument": _TEXT,
                            "date": {"type": "string", "format": "date"},
                            "value": {"type": "number"},
                            "band": _MAYBE_TEXT,
                            "flags": {"type": "array", "items": _TEXT},
                        },
                    },
                },
                "concerns": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "severity", "served", "goals"],
                        "additionalProperties": False,
                        "properties": {
                            "name": _TEXT,
                            "severity": {"enum": ["mild", "moderate", "severe", "crisis"]},
                            "served": {"type": "boolean"},
                            "goals": {"type": "array", "items": {"$ref": "#/$defs/Goal"}},
                        },
                    },
                },
                "unserved_concerns": {"type": "array", "items": _TEXT},
                "goals_without_concern": {"type": "array", "items": {"$ref": "#/$defs/Goal"}},
            },
        },
        "alerts": {"type": "array", "items": {"type": "object"}},
    },
    "$defs": {"Goal": _GOAL, "Objective": _OBJECTIVE, "Intervention": _INTERVENTION},
}
