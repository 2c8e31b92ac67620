"""What views show of a client's episodes of care, as plain data: which goals a view lists
by default (the current episode, without achieved and dropped goals), and the end-of-treatment
summary a discharge prints. Kept apart from views.py (one concern each)."""

from __future__ import annotations

from datetime import date
from typing import Any

from goaltrack.measures import client_outcomes
from goaltrack.measures.instruments import Registry
from goaltrack.records.asof import snapshot
from goaltrack.records.enums import ClientStatus
from goaltrack.records.model import ClientRecord, Goal, GoalStatus
from goaltrack.views import summarize

#: Goal statuses hidden by default from `show`, `progress` and completion (`--all` shows them).
CLOSED_STATUSES = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)


def visible_goals(
    record: ClientRecord, everything: bool = False, all_episodes: bool = False
) -> list[Goal]:
    """The goals a view shows, in number order: those of the current episode, without achieved
    and dropped ones while the client is in care (`everything`: with them; a discharged
    client's closing goals are shown); `all_episodes` adds every goal of earlier episodes."""
    episode = record.client.current_episode()
    closed_too = everything or record.client.status is ClientStatus.DISCHARGED
    return sorted(
        (
            goal
            for goal in record.goals
            if (goal.episode != episode and all_episodes)
            or (goal.episode == episode and (closed_too or goal.status not in CLOSED_STATUSES))
        ),
        key=lambda goal: goal.number,
    )


def hidden_note(record: ClientRecord, shown: list[Goal]) -> list[str]:
    """The footnote naming goals a view left out, and how to see them."""
    hidden = len(record.goals) - len(shown)
    if not hidden:
        return []
    return [
        f"{hidden} goal(s) of other episodes or achieved/dropped not shown; "
        "use --all (achieved and dropped) or --all-episodes"
    ]


def end_of_treatment(
    record: ClientRecord, episode: int, until: date, registry: Registry | None = None
) -> dict[str, Any]:
    """The end-of-treatment summary of an episode: per goal its first and last values, the
    change, and the reliable and clinically significant change (against the goal's baseline,
    as `progress` judges them); for the client, the paired PHQ-9/GAD-7 outcome of the episode's
    entries when there is one. Entries after `until` (the discharge) are not counted."""
    goals = [goal for goal in record.goals if goal.episode == episode]
    rows = []
    for goal in goals:
        seen = [entry for entry in goal.entries_in_order() if entry.date <= until]
        summary = summarize(goal, until, registry=registry)
        rows.append(
            {
                "goal": goal.number,
                "title": goal.title,
                "measure": goal.measure,
                "status": goal.status.value,
                "baseline": summary.baseline,
                "first": seen[0].value if seen else None,
                "first_date": seen[0].date if seen else None,
                "last": seen[-1].value if seen else None,
                "last_date": seen[-1].date if seen else None,
                "change": summary.change,
                "reliable_change": summary.reliable_change,
                "clinical_significance": summary.clinical_significance,
                "entries": len(seen),
            }
        )
    part = snapshot(_episode_part(record, episode, goals), until)
    return {
        "client": record.client.id,
        "episode": episode,
        "until": until,
        "goals": rows,
        "client_outcomes": client_outcomes.client_outcomes(part),
        "outcome_lines": client_outcomes.outcome_lines(part),
    }


def _episode_part(record: ClientRecord, episode: int, goals: list[Goal]) -> ClientRecord:
    """The record with only an episode's goals and the screenings taken since it began, so
    an earlier episode's intake screening is not counted as this one's first score."""
    closed = {item.number: item.since for item in record.client.episodes}
    began = closed.get(episode, record.client.since)
    screenings = [s for s in record.client.screenings if s.date >= began]
    client = record.client.model_copy(update={"screenings": screenings})
    return record.model_copy(update={"goals": goals, "client": client})
