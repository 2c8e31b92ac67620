"""The parts of `show`'s page that are text made from a client's data: each concern with its
severity, a closed episode in one line, the item-9 flags a risk review acknowledged, open sync
conflicts (the fields, never their values), and a table of levels for each GAS goal. Plain
strings and sections; the command (cli/clients.py) builds the read model and hands these to the
report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from goaltrack.records.enums import GoalStatus
from goaltrack.render.report import Column, Section

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord
    from goaltrack.sync import conflicts


def concern_labels(concerns: list[dict[str, Any]]) -> list[str]:
    """Each presenting concern as `name (severity)`, as `show` lists them."""
    return [f"{c['name']} ({c['severity']})" for c in concerns]


def episode_line(episode: dict[str, Any]) -> str:
    """A closed episode in one line: number, dates, reason (never its note)."""
    return (
        f"{episode['number']}: {episode['since'].isoformat()} to {episode['until'].isoformat()} "
        f"({episode['reason']})"
    )


def reviewed_lines(reviewed: list[dict[str, Any]]) -> list[str]:
    """One line per item-9 flag a risk review acknowledged: no longer urgent, never hidden."""
    return [
        f"item-9 flag of {item['date'].isoformat()} (entry {item['entry']}, "
        + ("a screening" if item["goal"] is None else f"goal {item['goal']}")
        + f") reviewed on {item['reviewed'].isoformat()}"
        + (f" by {item['by']}" if item["by"] else "")
        + f": {item['outcome']}"
        for item in reviewed
    ]


def conflict_lines(client: str, items: list[conflicts.Recorded]) -> list[str]:
    """What `show` says of a client's open sync conflicts (the fields, never their values)."""
    return [
        f"sync conflict: {item.where} was changed on two machines; this machine's value is "
        f"kept until `goaltrack resolve {client} --take ours|theirs|VALUE`"
        for item in items
    ]


def gas_sections_of(record: ClientRecord) -> list[Section]:
    """A table for each GAS goal that describes its levels, in the order of the goals.

    A dropped goal's levels are no longer worked towards: they are left out.
    """
    sections = []
    for goal in record.goals:
        if not goal.gas_levels or goal.status is GoalStatus.DROPPED:
            continue
        rows = [{"level": level, "text": text} for level, text in goal.gas_levels.items()]
        sections.append(
            Section(
                f"GAS levels of goal {goal.number}",
                [Column("level", "Level", numeric=True), Column("text", "Looks like", wrap=True)],
                rows,
            )
        )
    return sections
