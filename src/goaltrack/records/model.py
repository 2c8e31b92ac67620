"""The data model: a client file holds one client, its goals and their progress entries.

Every invariant of the file format lives here, so that a record that validates is a record
that may be written. The models are plain data: no I/O, no clock except defaults for dates.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Container
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from goaltrack.errors import FieldError, GoalNotFoundError, InvalidValueError
from goaltrack.paths import CLIENT_ID_PATTERN, is_valid_client_id
from goaltrack.records.convert import (
    CLIENT_ID_RULE,
    ENTRY_ID_PATTERN,
    ENTRY_ID_RULE,
    MEASURE_KEY_PATTERN,
    MEASURE_KEY_RULE,
    is_entry_id,
    is_measure_key,
)
from goaltrack.records.enums import (
    GAS_KEY,
    GAS_LEVELS,
    PHQ9_KEY,
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
    "Goal",
    "GoalKind",
    "GoalStatus",
    "Priority",
    "ProgressEntry",
    "Rater",
    "Severity",
    "assign",
    "build",
    "describe_validation_error",
    "gas_level_key",
    "is_valid_client_id",
    "new_entry_id",
]

SCHEMA_VERSION = 1
_MAGNITUDE_EXPONENT = 12
#: No scale goes near this; the bound keeps sums and slopes finite and TOML ints in 64 bits.
MAX_MAGNITUDE = 10**_MAGNITUDE_EXPONENT
MAGNITUDE_RULE = f"must lie between -1e{_MAGNITUDE_EXPONENT} and 1e{_MAGNITUDE_EXPONENT}"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def new_entry_id(taken: Container[str] = frozenset()) -> str:
    """A fresh 10-character Crockford base32 entry id not in `taken`.

    One read of the system's random source per id: each byte's low 5 bits pick a character
    (256 is a multiple of 32, so every character stays equally likely).
    """
    while True:
        candidate = "".join(_CROCKFORD[byte & 31] for byte in secrets.token_bytes(10))
        if candidate not in taken:
            return candidate


def _new_list() -> list[Any]:
    """A new empty list: the models' default factory for list fields.

    Not the builtin `list` itself: pydantic reads a default factory's signature when it builds
    a model, and `inspect.signature(list)` parses the builtin's text signature with `tokenize`,
    whose regular expressions are then compiled: about half of building these models, paid by
    every command at start-up. A plain function's signature is read from its code.
    """
    return []


def _check_text(value: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text holds characters that cannot be stored (lone surrogates)") from None
    return value


def _check_line(value: str) -> str:
    """A single-line label: no control characters, not blank."""
    _check_text(value)
    if _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _check_number(value: Any) -> Any:
    """A measurement: an int or a finite float, never a bool or a string."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(MAGNITUDE_RULE)
    return value


def _matching(test: Callable[[str], bool], rule: str) -> AfterValidator:
    """A validator refusing text that `test` rejects, with `rule` as the message."""

    def check(value: str) -> str:
        if not test(value):
            raise ValueError(rule)
        return value

    return AfterValidator(check)


Text = Annotated[str, AfterValidator(_check_text)]
ClientId = Annotated[str, _matching(is_valid_client_id, f"client id {CLIENT_ID_RULE}")]
EntryId = Annotated[str, _matching(is_entry_id, f"entry id {ENTRY_ID_RULE}")]
InstrumentKey = Annotated[str, _matching(is_measure_key, f"instrument {MEASURE_KEY_RULE}")]
MeasureKey = Annotated[str, _matching(is_measure_key, f"measure {MEASURE_KEY_RULE}")]
Line = Annotated[str, Field(max_length=200), AfterValidator(_check_line)]
Number = Annotated[int | float, BeforeValidator(_check_number)]


class _Model(BaseModel):
    """Shared configuration: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Concern(_Model):
    """A presenting concern and its severity."""

    name: Line
    severity: Severity = Severity.MODERATE


class Client(_Model):
    """Who the file is about, and the factors that shape their goals."""

    id: ClientId
    name: Line | None = None
    created: date
    status: ClientStatus = ClientStatus.ACTIVE
    approaches: list[Approach] = Field(default_factory=_new_list)
    notes: Text | None = None
    concerns: list[Concern] = Field(default_factory=_new_list)

    @field_validator("approaches")
    @classmethod
    def _approaches_unique(cls, value: list[Approach]) -> list[Approach]:
        return list(dict.fromkeys(value))


class ProgressEntry(_Model):
    """One measurement of a goal, usually taken at a session."""

    id: EntryId
    date: date
    value: Number
    session: Annotated[int, Field(ge=1, le=100_000)] | None = None
    rater: Rater | None = None
    note: Text | None = None
    instrument: InstrumentKey | None = (
        None  # set when the value is the total of an administered form
    )
    responses: list[Annotated[int, Field(ge=0, le=100)]] | None = None  # item answers, in order
    flags: list[EntryFlag] | None = None

    @field_validator("responses", "flags")
    @classmethod
    def _empty_is_none(cls, value: list[Any] | None) -> list[Any] | None:
        """Keep files tidy: an empty list is stored as no key at all."""
        return value or None

    @model_validator(mode="after")
    def _responses_need_instrument(self) -> ProgressEntry:
        if self.responses is not None and self.instrument is None:
            raise ValueError("item responses need the instrument they answer")
        if self.endorses_phq9_item9() and not self.has_flag(EntryFlag.RISK_ITEM9):
            # A safety signal is derived from the answers, never only from a stored mark.
            self.__dict__["flags"] = [*(self.flags or []), EntryFlag.RISK_ITEM9]
        if self.flags is not None:
            self.__dict__["flags"] = list(dict.fromkeys(self.flags))
        return self

    def endorses_phq9_item9(self) -> bool:
        """True when this is a PHQ-9 whose item 9 (thoughts of death or self-harm) is above 0."""
        answers = self.responses or []
        return self.instrument == PHQ9_KEY and len(answers) >= 9 and answers[8] > 0

    def has_flag(self, flag: EntryFlag) -> bool:
        """True when the entry carries `flag`."""
        return bool(self.flags) and flag in (self.flags or [])


class Goal(_Model):
    """A therapy goal: what is aimed at, how it is measured, and its progress so far."""

    number: Annotated[int, Field(ge=1)]
    kind: GoalKind
    title: Line
    measure: MeasureKey | None = None
    baseline: Number | None = None
    target: Number | None = None
    due: date | None = None
    priority: Priority = Priority.MEDIUM
    status: GoalStatus = GoalStatus.ACTIVE
    approach: Approach | None = None
    created: date
    progress: list[ProgressEntry] = Field(default_factory=_new_list)
    gas_levels: dict[str, Line] | None = None  # GAS only: what each level -2..+2 looks like

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

    def effective_baseline(self) -> int | float | None:
        """The baseline, or the first logged value when none was set."""
        if self.baseline is not None:
            return self.baseline
        ordered = self.entries_in_order()
        return ordered[0].value if ordered else None


class ClientRecord(_Model):
    """The whole content of one client file."""

    schema_version: int = SCHEMA_VERSION
    client: Client
    goals: list[Goal] = Field(default_factory=_new_list)

    @model_validator(mode="after")
    def _unique_numbers_and_ids(self) -> ClientRecord:
        numbers = [goal.number for goal in self.goals]
        if len(numbers) != len(set(numbers)):
            raise ValueError("goal numbers must be unique")
        ids = [entry.id for goal in self.goals for entry in goal.progress]
        if len(ids) != len(set(ids)):
            raise ValueError("progress entry ids must be unique within the file")
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
        """Every progress entry id in the file."""
        return {entry.id for goal in self.goals for entry in goal.progress}

    def to_document(self) -> dict[str, Any]:
        """The record as plain TOML-ready data: no None values, enums as strings, key order kept.

        The same data as `model_dump(mode="python")` with None values dropped and enums turned
        into their values (tests/test_model.py compares the two), read straight from the
        fields: the models have no custom serialisers, and dumping a large client through
        pydantic and walking the result again cost more than the rest of its write.
        """
        document: dict[str, Any] = _plain(self)
        return document


#: Types whose values a document holds as they are.
_LEAF_TYPES = frozenset({str, int, float, bool, date})


def _plain(value: Any) -> Any:
    """A model's fields (in declaration order), dicts and lists as new plain containers,
    recursively: None values dropped, enums turned into their string values."""
    kind = type(value)
    if kind in _LEAF_TYPES:
        return value
    if isinstance(value, BaseModel):
        fields = value.__dict__
        document = {}
        for name in type(value).model_fields:
            item = fields[name]
            if item is not None:
                document[name] = item if type(item) in _LEAF_TYPES else _plain(item)
        return document
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def describe_validation_error(error: ValidationError) -> str:
    """A short description of what failed, by field location, never quoting the input."""
    parts = []
    for item in error.errors(include_input=False, include_url=False)[:3]:
        location = _format_location(item.get("loc", ()))
        message = _message(item)
        parts.append(f"{location}: {message}" if location else message)
    more = len(error.errors()) - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def refusal(error: ValidationError) -> InvalidValueError:
    """The domain error for a failed validation: a FieldError when one field broke one rule
    (so an import can say `line N, field F: RULE`), else the whole description."""
    problems = error.errors(include_input=False, include_url=False)
    location = problems[0].get("loc", ()) if len(problems) == 1 else ()
    if len(location) == 1 and isinstance(location[0], str):
        return FieldError(location[0], _message(problems[0]))
    return InvalidValueError(describe_validation_error(error))


def _message(item: Any) -> str:
    """One problem's message; pydantic prefixes our validators' own with "Value error, "."""
    return str(item.get("msg", "invalid")).removeprefix("Value error, ")


M = TypeVar("M", bound=BaseModel)


def build(model: type[M], **fields: Any) -> M:
    """Build a model from fields, refusing invalid ones with a one-line domain error."""
    try:
        return model(**fields)
    except ValidationError as error:
        raise refusal(error) from None


def assign(target: BaseModel, field: str, value: Any) -> None:
    """Set one field of a model (validated on assignment), refusing an invalid value."""
    try:
        setattr(target, field, value)
    except ValidationError as error:
        raise refusal(error) from None


def _format_location(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
