"""Whose ratings a goal's figures are computed on, when several people rate it.

In family work a goal is rated by the client, the therapist, a parent, a teacher...: one
series per rater. Mixing them in one trend would read a parent's 3 after a client's 7 as a
deterioration. So a goal's outcome figures use one rater's series: the one asked for, else
the goal's own (the client's ratings, an entry without a rater counting as the client's; for a
goal the client never rated, e.g. GAS scored by the therapist, its first rater in the
documented order). Safety flags never depend on this: they read every entry.
"""

from __future__ import annotations

from goaltrack.records.enums import Rater
from goaltrack.records.model import Goal, ProgressEntry

#: Whose an entry without a rater is: the client's own rating.
UNRATED = Rater.CLIENT.value
_ORDER = {rater.value: position for position, rater in enumerate(Rater)}


def rater_of(entry: ProgressEntry) -> str:
    """Who gave this rating; an entry without a rater is the client's own."""
    return entry.rater or UNRATED


def raters_of(goal: Goal) -> list[str]:
    """The raters of a goal's entries: documented ones in their order, then others by name."""
    present = {rater_of(entry) for entry in goal.progress}
    return sorted(present, key=lambda name: (_ORDER.get(name, len(_ORDER)), name))


def own_rater(goal: Goal) -> str | None:
    """Whose series the goal's figures use by default: the client's, else its first rater;
    None for a goal without entries."""
    raters = raters_of(goal)
    return raters[0] if raters else None


def rated_by(goal: Goal, rater: str) -> Goal:
    """The goal with only `rater`'s entries: a copy for reading, the record is untouched."""
    return goal.model_copy(
        update={"progress": [entry for entry in goal.progress if rater_of(entry) == rater]}
    )
