"""The data model: a client file holds one client, its goals and their progress entries.

Every invariant of the file format lives in the models, so that a record that validates is a
record that may be written. The models are plain data: no I/O, no clock except defaults for
dates. Schema 2 (docs/formats.md) adds the treatment plan (a goal's concern, objectives and
interventions), the episode of care (since, closed episodes), screenings and risk reviews.
Every list item has a key that never changes and is never reused: entries, screenings and risk
reviews by `id`; goals, objectives, interventions and episodes by `number`; concerns by `name`.
The shared field types are in `fields.py`; the parts of a file in `entry.py`, `plan.py` and
`care.py`; the one-line wording of a failed validation in `validation.py`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator

from goaltrack.errors import GoalNotFoundError
from goaltrack.paths import CLIENT_ID_PATTERN, is_valid_client_id
from goaltrack.records.care import Episode, RiskReview
from goaltrack.records.convert import ENTRY_ID_PATTERN, MEASURE_KEY_PATTERN
from goaltrack.records.entry import ProgressEntry, Screening
from goaltrack.records.enums import (
    GAS_KEY,
    GAS_LEVELS,
    Approach,
    ClientStatus,
    EntryFlag,
    GoalKind,
    GoalStatus,
    Priority,
    Rater,
    Severity,
    gas_level_key,
)
from goaltrack.records.fields import (
    MAGNITUDE_RULE,
    MAX_MAGNITUDE,
    ClientId,
    ItemNumber,
    Line,
    MeasureKey,
    Number,
    RecordModel,
    Schedule,
    TemplateKey,
    Text,
    new_entry_id,
    new_list,
    unique_labels,
)
from goaltrack.records.plan import Intervention, Objective
from goaltrack.records.validation import assign, build, describe_validation_error, refusal

__all__ = [
    "CLIENT_ID_PATTERN",
    "ENTRY_ID_PATTERN",
    "GAS_LEVELS",
    "MAGNITUDE_RULE",
    "MAX_MAGNITUDE",
    "MEASURE_KEY_PATTERN",
    "SCHEMA_VERSION",
    "Approach",
    "Client",
    "ClientRecord",
    "ClientStatus",
    "Concern",
    "EntryFlag",
    "Episode",
    "Goal",
    "GoalKind",
    "GoalStatus",
    "Intervention",
    "Objective",
    "Priority",
    "ProgressEntry",
    "Rater",
    "RiskReview",
    "Screening",
    "Severity",
    "assign",
    "build",
    "describe_validation_error",
    "document_of",
    "gas_level_key",
    "is_valid_client_id",
    "new_entry_id",
    "refusal",
]

#: The schema this program writes. 2 added the plan, the episode of care, screenings and risk
#: reviews (docs/formats.md, "Schema 2"); version 1 files are migrated on read.
SCHEMA_VERSION = 2


def _unique_numbers(items: list[Any], what: str) -> None:
    """Refuse a list whose items repeat a number: numbers are keys."""
    numbers = [item.number for item in items]
    if len(numbers) != len(set(numbers)):
        raise ValueError(f"{what} numbers must be unique")


class Concern(RecordModel):
    """A presenting concern and its severity."""

    name: Line
    severity: Severity = Severity.MODERATE


class Client(RecordModel):
    """Who the file is about, the factors that shape their goals, and their episode of care."""

    #: List fields written only when they hold something (schema 2 added them).
    omit_empty: ClassVar[frozenset[str]] = frozenset(
        {"preferences", "strengths", "screenings", "risk_reviews", "episodes"}
    )

    id: ClientId
    name: Line | None = None
    created: date
    since: date  # start of the current episode (referral or first session); created by default
    status: ClientStatus = ClientStatus.ACTIVE
    approaches: list[Approach] = Field(default_factory=new_list)
    preferences: list[Line] = Field(default_factory=new_list)  # what the client wants and values
    strengths: list[Line] = Field(default_factory=new_list)
    notes: Text | None = None
    concerns: list[Concern] = Field(default_factory=new_list)
    screenings: list[Screening] = Field(default_factory=new_list)  # measures without a goal
    risk_reviews: list[RiskReview] = Field(default_factory=new_list)
    episodes: list[Episode] = Field(default_factory=new_list)  # closed episodes, oldest first

    @model_validator(mode="before")
    @classmethod
    def _since_defaults_to_created(cls, data: Any) -> Any:
        """A client made without a start date started the day the file was made."""
        if isinstance(data, dict) and "since" not in data and "created" in data:
            return {**data, "since": data["created"]}
        return data

    @field_validator("approaches")
    @classmethod
    def _approaches_unique(cls, value: list[Approach]) -> list[Approach]:
        return list(dict.fromkeys(value))

    @field_validator("preferences", "strengths")
    @classmethod
    def _texts_unique(cls, value: list[str]) -> list[str]:
        """The same preference twice is one preference (they merge as a set)."""
        return list(dict.fromkeys(value))

    @field_validator("concerns")
    @classmethod
    def _concern_names_unique(cls, value: list[Concern]) -> list[Concern]:
        """A concern is keyed by its name (goals name the concern they serve)."""
        unique_labels([concern.name for concern in value], "concern name")
        return value

    @field_validator("episodes")
    @classmethod
    def _episode_numbers_unique(cls, value: list[Episode]) -> list[Episode]:
        _unique_numbers(value, "episode")
        return value

    @field_validator("risk_reviews")
    @classmethod
    def _review_ids_unique(cls, value: list[RiskReview]) -> list[RiskReview]:
        ids = [review.id for review in value]
        if len(ids) != len(set(ids)):
            raise ValueError("risk review ids must be unique")
        return value

    def concern(self, name: str) -> Concern | None:
        """The concern with this name (ignoring case), if any."""
        folded = name.casefold()
        return next((c for c in self.concerns if c.name.casefold() == folded), None)

    def current_episode(self) -> int:
        """The number of the current episode: one past the last closed one while the client is
        in care; the last closed one itself once discharged."""
        last = max((episode.number for episode in self.episodes), default=0)
        if self.status is ClientStatus.DISCHARGED and last:
            return last
        return last + 1


class Goal(RecordModel):
    """A therapy goal: what is aimed at, how it is measured, and its progress so far."""

    #: List fields written only when they hold something (schema 2 added them).
    omit_empty: ClassVar[frozenset[str]] = frozenset({"objectives", "interventions"})

    number: ItemNumber
    kind: GoalKind
    title: Line
    concern: Line | None = None  # the name of the client's concern this goal serves
    template: TemplateKey | None = None  # the template it was made from, if any
    measure: MeasureKey | None = None
    baseline: Number | None = None
    target: Number | None = None
    due: date | None = None
    every: Schedule | None = None  # how often it is measured: session, 1w, 2w, 4w, 10d, ...
    priority: Priority = Priority.MEDIUM
    status: GoalStatus = GoalStatus.ACTIVE
    approach: Approach | None = None
    episode: ItemNumber = 1  # the episode of care it belongs to
    created: date
    objectives: list[Objective] = Field(default_factory=new_list)
    interventions: list[Intervention] = Field(default_factory=new_list)
    progress: list[ProgressEntry] = Field(default_factory=new_list)
    gas_levels: dict[str, Line] | None = None  # GAS only: what each level -2..+2 looks like

    @field_validator("objectives")
    @classmethod
    def _objective_numbers_unique(cls, value: list[Objective]) -> list[Objective]:
        _unique_numbers(value, "objective")
        return value

    @field_validator("interventions")
    @classmethod
    def _intervention_numbers_unique(cls, value: list[Intervention]) -> list[Intervention]:
        _unique_numbers(value, "intervention")
        return value

    @field_validator("gas_levels")
    @classmethod
    def _gas_level_keys(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        """Canonical keys in level order (-2 first); an empty table is no table."""
        if not value:
            return None
        levels = {gas_level_key(key): text for key, text in value.items()}
        if len(levels) != len(value):
            raise ValueError("each GAS level may be described once")
        return {key: levels[key] for key in GAS_LEVELS if key in levels}

    @model_validator(mode="after")
    def _gas_levels_only_for_gas(self) -> Goal:
        if self.gas_levels is not None and self.measure != GAS_KEY:
            raise ValueError(
                "GAS level descriptions belong to goals measured by gas; "
                "clear them first (--clear gas_levels)"
            )
        return self

    def matches(self, kind: GoalKind, title: str) -> bool:
        """True when `kind` and `title` name this goal: same kind, same title ignoring case.

        How an import recognises a goal the client already has, from a row or a dump.
        """
        return self.kind is kind and self.title.casefold() == title.casefold()

    def entries_in_order(self) -> list[ProgressEntry]:
        """The progress entries by date (stable for entries on the same day)."""
        return sorted(self.progress, key=lambda entry: entry.date)

    def same_entries(self, on: date, value: int | float) -> list[str]:
        """Ids of the entries with this date and value: logging one more may be a double entry."""
        return [entry.id for entry in self.progress if entry.date == on and entry.value == value]

    def next_objective_number(self) -> int:
        """The number for a new objective: one past the highest ever used."""
        return max((item.number for item in self.objectives), default=0) + 1

    def next_intervention_number(self) -> int:
        """The number for a new intervention: one past the highest ever used."""
        return max((item.number for item in self.interventions), default=0) + 1

    def effective_baseline(self) -> int | float | None:
        """The baseline, or the first logged value when none was set."""
        if self.baseline is not None:
            return self.baseline
        ordered = self.entries_in_order()
        return ordered[0].value if ordered else None


class ClientRecord(RecordModel):
    """The whole content of one client file."""

    schema_version: int = SCHEMA_VERSION
    client: Client
    goals: list[Goal] = Field(default_factory=new_list)

    @model_validator(mode="after")
    def _unique_numbers_and_ids(self) -> ClientRecord:
        numbers = [goal.number for goal in self.goals]
        if len(numbers) != len(set(numbers)):
            raise ValueError("goal numbers must be unique")
        ids = [entry.id for goal in self.goals for entry in goal.progress]
        ids.extend(screening.id for screening in self.client.screenings)
        if len(ids) != len(set(ids)):
            raise ValueError("progress entry and screening ids must be unique within the file")
        return self

    def goal(self, number: int) -> Goal | None:
        """The goal with this number, if any."""
        return next((goal for goal in self.goals if goal.number == number), None)

    def require_goal(self, number: int) -> Goal:
        """The goal with this number, or GoalNotFoundError naming the goals there are."""
        goal = self.goal(number)
        if goal is None:
            known = ", ".join(str(g.number) for g in self.goals) or "none"
            raise GoalNotFoundError(
                f"client {self.client.id!r} has no goal {number} (goals: {known})"
            )
        return goal

    def next_goal_number(self) -> int:
        """The number for a new goal: one past the highest ever used (goals are never deleted)."""
        return max((goal.number for goal in self.goals), default=0) + 1

    def entry_ids(self) -> set[str]:
        """Every progress entry and screening id in the file (they share one id space)."""
        ids = {entry.id for goal in self.goals for entry in goal.progress}
        ids.update(screening.id for screening in self.client.screenings)
        return ids

    def to_document(self) -> dict[str, Any]:
        """The record as plain TOML-ready data: no None values, enums as strings, key order kept.

        The same data as `model_dump(mode="python")` with None values dropped and enums turned
        into their values (tests/test_model.py compares the two), read straight from the
        fields: the models have no custom serialisers, and dumping a large client through
        pydantic and walking the result again cost more than the rest of its write.
        """
        document: dict[str, Any] = _plain(self)
        return document


def document_of(model: BaseModel) -> dict[str, Any]:
    """One part of a record (a goal, the client) as the plain data `to_document` gives for it
    inside the whole record: a write that renders only the parts it changed uses it."""
    document: dict[str, Any] = _plain(model)
    return document


_NOTHING: frozenset[str] = frozenset()
#: Types whose values a document holds as they are.
_LEAF_TYPES = frozenset({str, int, float, bool, date})
#: Per model class: its field names in declaration order, and the fields it omits when empty.
#: Looked up once per class: asking an instance for a missing `omit_empty` goes through
#: pydantic's __getattr__ and an AttributeError, which for 10,000 entries cost a third of
#: a large client's `to_document`.
_SHAPES: dict[type[BaseModel], tuple[tuple[str, ...], frozenset[str]]] = {}


def _shape(model: type[BaseModel]) -> tuple[tuple[str, ...], frozenset[str]]:
    """A model class's field names (declaration order) and its `omit_empty` set, cached."""
    shape = _SHAPES.get(model)
    if shape is None:
        omit = getattr(model, "omit_empty", _NOTHING)
        shape = (tuple(model.model_fields), frozenset(omit))
        _SHAPES[model] = shape
    return shape


def _plain(value: Any) -> Any:
    """A model's fields (in declaration order), dicts and lists as new plain containers,
    recursively: None values (and the empty lists a model omits) dropped, enums turned into
    their string values."""
    kind = type(value)
    if kind in _LEAF_TYPES:
        return value
    if isinstance(value, BaseModel):
        fields = value.__dict__
        names, omit = _shape(kind)
        document = {}
        for name in names:
            item = fields[name]
            if item is not None and not (omit and name in omit and not item):
                document[name] = item if type(item) in _LEAF_TYPES else _plain(item)
        return document
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [item if type(item) in _LEAF_TYPES else _plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value
