"""The closed vocabularies of the file format (docs/design.md): kinds, statuses, severities.

Kept apart from the Pydantic models so that the CLI can list the choices in its help
without paying for model construction at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How severe a presenting concern is; shapes how goals are prioritised."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRISIS = "crisis"


class Approach(StrEnum):
    """Therapeutic approaches that frame a client's goals."""

    CBT = "cbt"
    PSYCHODYNAMIC = "psychodynamic"
    HUMANISTIC = "humanistic"
    FAMILY = "family"
    MINDFULNESS = "mindfulness"
    EMDR = "emdr"
    OTHER = "other"


class ClientStatus(StrEnum):
    """Where a client is in treatment."""

    ACTIVE = "active"
    PAUSED = "paused"
    DISCHARGED = "discharged"


class GoalKind(StrEnum):
    """The kinds of therapy goal goaltrack models (docs/design.md, 'The goals it models')."""

    SYMPTOM_REDUCTION = "symptom-reduction"
    TRAUMA_RESOLUTION = "trauma-resolution"
    SELF_ESTEEM = "self-esteem"
    COPING = "coping"
    AUTONOMY = "autonomy"
    RELATIONSHIPS = "relationships"


class Priority(StrEnum):
    """A goal's priority, usually following the severity of the concern it addresses."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class GoalStatus(StrEnum):
    """A goal's lifecycle status, set by the clinician."""

    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class Rater(StrEnum):
    """Who gave a progress rating: the documented raters. A home may name more in its
    config.toml (`[raters] extra = [...]`), so a stored rater is any well-formed name."""

    CLIENT = "client"
    THERAPIST = "therapist"
    PARENT = "parent"
    PARTNER = "partner"
    TEACHER = "teacher"
    CARER = "carer"
    OTHER = "other"


class ObjectiveStatus(StrEnum):
    """Where one objective (a short, observable step towards a goal) stands."""

    ACTIVE = "active"
    MET = "met"
    DROPPED = "dropped"


class RiskOutcome(StrEnum):
    """What a clinician's risk review decided about the open item-9 flags it covers."""

    SAFETY_PLAN = "safety-plan"
    REFERRED = "referred"
    NO_ACTION = "no-action"
    OTHER = "other"


class EndReason(StrEnum):
    """Why an episode of care ended (discharge)."""

    PLANNED = "planned"
    DROPPED_OUT = "dropped-out"
    REFERRED = "referred"
    OTHER = "other"


class EntryFlag(StrEnum):
    """A mark on a progress entry that a clinician must see."""

    RISK_ITEM9 = "risk-item9"  # PHQ-9 item 9 (thoughts of death or self-harm) answered above 0
    # a PHQ-9 recorded as a total only: item 9 was not assessed (not the same as answered 0)
    ITEM9_NOT_ASSESSED = "item9-not-assessed"


#: Keys of the two instruments the record itself knows about: a PHQ-9 with item 9 above 0
#: raises the risk flag, and only a goal measured by GAS may describe its levels.
PHQ9_KEY = "phq9"
GAS_KEY = "gas"

#: The five Goal Attainment Scaling levels, as written in a goal's `gas_levels` table.
GAS_LEVELS = ("-2", "-1", "0", "+1", "+2")


def gas_level_key(level: int | str) -> str:
    """The canonical key of a GAS level (-2..+2), e.g. 1 -> "+1"; ValueError otherwise."""
    text = str(level).strip()
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"GAS level must be one of {', '.join(GAS_LEVELS)}") from None
    if not -2 <= number <= 2:
        raise ValueError(f"GAS level must be one of {', '.join(GAS_LEVELS)}")
    return f"{number:+d}" if number else "0"


#: The fields of a goal, in order: the columns of `goals -f csv` (after `client`, before
#: `entries`) and what a `type=goal` import row may fill.
GOAL_COLUMNS: tuple[str, ...] = (
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
)


#: The fields of a progress entry as a tidy row, in order: `entries` and `export -f csv`
#: columns. `flags` carries the PHQ-9 item-9 flag (a safety signal is never left out).
ENTRY_COLUMNS: tuple[str, ...] = (
    *("client", "goal", "measure", "id", "date", "value", "session", "rater", "note"),
    "flags",
)

__all__ = [
    "ENTRY_COLUMNS",
    "GAS_KEY",
    "GAS_LEVELS",
    "GOAL_COLUMNS",
    "PHQ9_KEY",
    "Approach",
    "ClientStatus",
    "EndReason",
    "EntryFlag",
    "GoalKind",
    "GoalStatus",
    "ObjectiveStatus",
    "Priority",
    "Rater",
    "RiskOutcome",
    "Severity",
    "gas_level_key",
]


class AttentionReason(StrEnum):
    """Why `attention` lists a client or goal, worst first (docs/attention.md has each rule)."""

    RISK_ITEM9 = "risk-item9"
    SYNC_CONFLICT = "sync-conflict"
    DETERIORATED = "deteriorated"
    OFF_TRACK = "off-track"
    OVERDUE = "overdue"
    MEASURE_DUE = "measure-due"
    STALE = "stale"
    NO_CONTACT = "no-contact"
    CONCERN_WITHOUT_GOAL = "concern-without-goal"
    GOAL_WITHOUT_MEASURE = "goal-without-measure"
