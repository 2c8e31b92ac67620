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
from goaltrack.records.model import ClientRecord, EntryFlag, Goal, ProgressEntry, RiskReview


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
    nothing about item 9. (A risk review is the other way a flag stops being open: see
    `acknowledged`.)"""
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


def acknowledged(record: ClientRecord, entry: ProgressEntry) -> RiskReview | None:
    """The risk review that acknowledges a flagged entry, if any: the first review dated on or
    after the entry's day that names its id in `covers`. A review never covers a later entry,
    so an item 9 endorsed after the review opens a new flag."""
    for review in sorted(record.client.risk_reviews, key=lambda r: r.date):
        if review.date >= entry.date and entry.id in review.covers:
            return review
    return None


def flagged_entries(record: ClientRecord) -> list[tuple[Goal | None, ProgressEntry]]:
    """Every entry that raises the flag (see `raises_flag`), by date: intake screenings (goal
    None: a PHQ-9 taken without a goal is a safety record like any other), then goal by goal."""
    found: list[tuple[Goal | None, ProgressEntry]] = [
        (None, screening) for screening in record.client.screenings if raises_flag(screening)
    ]
    # Only an entry with flags or item answers can raise the flag: tested first, so 10,000
    # plain values cost an attribute read each, not a call of the rule.
    found.extend(
        (goal, entry)
        for goal in sorted(record.goals, key=lambda g: g.number)
        for entry in goal.progress
        if (entry.flags or entry.responses) and raises_flag(entry)
    )
    return sorted(found, key=lambda pair: pair[1].date)


def open_flags(record: ClientRecord) -> list[tuple[Goal | None, ProgressEntry]]:
    """The flagged entries still open, oldest first: not cleared by a clearing PHQ-9 (see
    `clears_flag`, in a goal or a screening) dated strictly after them, and not acknowledged
    by a risk review (`acknowledged`).

    When a flag and a clearing form share a day, the flag stays open: clearing a safety
    signal must never depend on an ambiguous order.
    """
    measured: list[ProgressEntry] = [*record.client.screenings]
    # only an entry with item answers can clear (`clears_flag`): the others are not even tested
    measured.extend(entry for goal in record.goals for entry in goal.progress if entry.responses)
    latest_clear = max((entry.date for entry in measured if clears_flag(entry)), default=None)
    return [
        (goal, entry)
        for goal, entry in flagged_entries(record)
        if (latest_clear is None or latest_clear <= entry.date)
        and acknowledged(record, entry) is None
    ]


def open_risk(record: ClientRecord) -> RiskAlert | None:
    """The client's open item-9 flag, if any: the latest open flagged entry (`open_flags`).

    Every entry that raises the flag counts, in any goal or screening; a clearing PHQ-9 dated
    strictly after a flag closes it, and so does a risk review that covers it
    (`acknowledged`): the entry and its flag stay in the history, in `show` and in exports
    all the same.
    """
    still_open = open_flags(record)
    if not still_open:
        return None
    goal, entry = still_open[-1]
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


def reviewed_flags(record: ClientRecord) -> list[dict[str, Any]]:
    """Each flagged entry a risk review acknowledged, with the review (for `show` and
    exports: an acknowledged flag is no longer urgent, never hidden). Oldest first."""
    found = []
    for goal, entry in flagged_entries(record):
        review = acknowledged(record, entry)
        if review is not None:
            found.append(
                {
                    "entry": entry.id,
                    "goal": None if goal is None else goal.number,
                    "date": entry.date,
                    "response": item9_answer(entry),
                    "review": review.id,
                    "reviewed": review.date,
                    "by": review.by,
                    "outcome": review.outcome.value,
                }
            )
    return found


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
