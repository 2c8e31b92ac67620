"""The safety flag: PHQ-9 item 9 endorsed, open until a later PHQ-9 clears it.

Pure logic over a client record (no I/O), so `show`, `progress`, `clients` and any exporter
agree on whether a client has an open flag. Kept apart from the instrument registry so that
read commands need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from goaltrack.records.enums import PHQ9_KEY
from goaltrack.records.model import ClientRecord, EntryFlag, Goal, ProgressEntry


@dataclass(frozen=True)
class RiskAlert:
    """An open safety flag: PHQ-9 item 9 endorsed and not cleared by a later administration."""

    client: str
    date: date
    entry: str
    goal: int
    response: int
    flag: EntryFlag = EntryFlag.RISK_ITEM9

    def message(self) -> str:
        """One line for people: what, when, where, and what to do."""
        return (
            f"RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
            f"on {self.date.isoformat()} (answer {self.response}, entry {self.entry}, goal "
            f"{self.goal}) — follow up"
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (a stable contract: fields may be added, never renamed)."""
        return {
            "flag": self.flag.value,
            "instrument": PHQ9_KEY,
            "item": 9,
            "response": self.response,
            "date": self.date,
            "entry": self.entry,
            "goal": self.goal,
            "message": self.message(),
        }


def open_risk(record: ClientRecord) -> RiskAlert | None:
    """The client's open item-9 flag, if any.

    Only PHQ-9 administrations with item answers count (a bare total says nothing about item
    9). The latest date decides; when several administrations share it and any was flagged,
    the flag stays open: clearing a safety flag must never depend on an ambiguous order.
    """
    latest: date | None = None
    flagged: list[tuple[Goal, ProgressEntry]] = []
    for goal in record.goals:
        for entry in goal.progress:
            answers = entry.responses or []
            # Only a complete, well-formed PHQ-9 can clear a flag: a malformed (hand-edited)
            # entry must never silence a safety signal.
            if (
                entry.instrument != PHQ9_KEY
                or len(answers) != 9
                or not all(0 <= a <= 3 for a in answers)
            ):
                continue
            if latest is None or entry.date > latest:
                latest, flagged = entry.date, []
            if entry.date == latest and entry.has_flag(EntryFlag.RISK_ITEM9):
                flagged.append((goal, entry))
    if not flagged:
        return None
    goal, entry = flagged[-1]
    responses = entry.responses or []
    return RiskAlert(
        client=record.client.id,
        date=entry.date,
        entry=entry.id,
        goal=goal.number,
        response=responses[8] if len(responses) >= 9 else 0,
    )


def alerts(record: ClientRecord) -> list[RiskAlert]:
    """Every open safety alert of a client (at most one today; a list keeps JSON stable)."""
    risk = open_risk(record)
    return [risk] if risk is not None else []
