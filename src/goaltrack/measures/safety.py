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
    """An open safety flag: PHQ-9 item 9 endorsed and not cleared by a later administration.

    `response` is the answer given to item 9, or None when the entry carries the flag without
    item answers (a dump from elsewhere); `malformed` is True when the stored answers do not
    form a valid PHQ-9 (a hand edit): the alert stands all the same.
    """

    client: str
    date: date
    entry: str
    goal: int | None  # None: an intake screening, taken without a goal
    response: int | None
    flag: EntryFlag = EntryFlag.RISK_ITEM9
    malformed: bool = False

    def message(self) -> str:
        """One line for people: what, when, where, and what to do."""
        if self.response is None:
            answer = "item-9 answer not stored"
        elif self.malformed:
            answer = f"answer {self.response}, in answers that are not a valid PHQ-9"
        else:
            answer = f"answer {self.response}"
        where = "screening" if self.goal is None else f"goal {self.goal}"
        return (
            f"RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
            f"on {self.date.isoformat()} ({answer}, entry {self.entry}, {where}) — follow up"
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
            "malformed": self.malformed,
        }


def is_wellformed_phq9(entry: ProgressEntry) -> bool:
    """True for a PHQ-9 entry with exactly nine answers, each 0-3."""
    answers = entry.responses or []
    return entry.instrument == PHQ9_KEY and len(answers) == 9 and all(0 <= a <= 3 for a in answers)


def raises_flag(entry: ProgressEntry) -> bool:
    """True when an entry is a safety signal: it carries the item-9 flag, or its stored
    answers endorse PHQ-9 item 9, well-formed or not (a hand edit must never hide one)."""
    return entry.has_flag(EntryFlag.RISK_ITEM9) or entry.endorses_phq9_item9()


def clears_flag(entry: ProgressEntry) -> bool:
    """True when an entry closes earlier flags: a well-formed PHQ-9 with item 9 at 0 and no
    flag. Nothing else does: a bare total, another instrument or malformed answers say
    nothing about item 9. (Risk reviews, issue 12, will be the second way to close one:
    they belong in `open_risk` next to this test.)"""
    answers = entry.responses or []
    return is_wellformed_phq9(entry) and answers[8] == 0 and not raises_flag(entry)


def item9_answer(entry: ProgressEntry) -> int | None:
    """The answer stored for PHQ-9 item 9 (None when the entry holds no such answer)."""
    answers = entry.responses or []
    return answers[8] if entry.instrument == PHQ9_KEY and len(answers) >= 9 else None


def risk_facts(entry: ProgressEntry) -> str:
    """The facts of a risk entry in a few words (date, total, item-9 answer; never a note)."""
    answer = item9_answer(entry)
    said = "not stored" if answer is None else str(answer)
    return f"{entry.date.isoformat()}, total {entry.value:g}, item-9 answer {said}"


def open_risk(record: ClientRecord) -> RiskAlert | None:
    """The client's open item-9 flag, if any.

    Every entry that raises the flag (see `raises_flag`) counts, in any goal or screening
    (an intake PHQ-9 taken without a goal is a safety record like any other); only a clearing
    PHQ-9 (see `clears_flag`) dated strictly after the latest flag closes it. When a flag and
    a clearing form share the latest day, the flag stays open: clearing a safety signal must
    never depend on an ambiguous order.
    """
    latest_clear: date | None = None
    latest: date | None = None
    flagged: list[tuple[Goal | None, ProgressEntry]] = []
    measured: list[tuple[Goal | None, ProgressEntry]] = [
        (None, screening) for screening in record.client.screenings
    ]
    measured.extend((goal, entry) for goal in record.goals for entry in goal.progress)
    for goal, entry in measured:
        if clears_flag(entry):
            latest_clear = max(latest_clear or entry.date, entry.date)
        elif raises_flag(entry):
            if latest is None or entry.date > latest:
                latest, flagged = entry.date, []
            if entry.date == latest:
                flagged.append((goal, entry))
    if not flagged or (latest_clear is not None and latest is not None and latest_clear > latest):
        return None
    goal, entry = flagged[-1]
    responses = entry.responses or []
    return RiskAlert(
        client=record.client.id,
        date=entry.date,
        entry=entry.id,
        goal=None if goal is None else goal.number,
        response=item9_answer(entry),
        malformed=entry.instrument == PHQ9_KEY
        and bool(responses)
        and not is_wellformed_phq9(entry),
    )


def alerts(record: ClientRecord) -> list[RiskAlert]:
    """Every open safety alert of a client (at most one today; a list keeps JSON stable)."""
    risk = open_risk(record)
    return [risk] if risk is not None else []


def unreadable_risks(record: ClientRecord) -> list[str]:
    """Entries that raise the flag but are no readable PHQ-9 (malformed answers, or a flag
    without answers), one line each: `check` names them as risks, for a clinician to follow
    up and correct by hand. A well-formed flagged PHQ-9 is not listed (`show` carries it)."""
    found = []
    for goal in sorted(record.goals, key=lambda g: g.number):
        for entry in goal.entries_in_order():
            if not raises_flag(entry) or is_wellformed_phq9(entry):
                continue
            answers = entry.responses or []
            where = f"goal {goal.number}: entry {entry.id} ({entry.date.isoformat()})"
            if entry.instrument == PHQ9_KEY and len(answers) >= 9:
                what = (
                    f"PHQ-9 item 9 endorsed (answer {answers[8]}) in answers that are not a "
                    f"valid PHQ-9 ({len(answers)} answers; a PHQ-9 has 9, each 0-3)"
                )
            else:
                what = "carries the PHQ-9 item-9 flag without readable PHQ-9 answers"
            found.append(f"RISK: {where}: {what}; follow up, then correct the entry by hand")
    return found
