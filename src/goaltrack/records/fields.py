"""The field types every record model shares: labels, text, numbers, ids, and the base model.

Each rule here is one the file format itself imposes (docs/formats.md): a record that holds a
value of these types may be written. The models of a client file are built from them in
`entry.py`, `plan.py`, `care.py` and `model.py`. The rules a client file's entries carry by
the ten thousand (ids, raters, keys, values, notes) are core schemas pydantic-core checks
itself, in goaltrack's own words; the rest are Python validators.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Container
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from goaltrack.paths import is_valid_client_id
from goaltrack.records.convert import (
    CLIENT_ID_RULE,
    ENTRY_ID_PATTERN,
    ENTRY_ID_RULE,
    MEASURE_KEY_PATTERN,
    MEASURE_KEY_RULE,
    RATER_NAME_RULE,
    RATER_PATTERN,
    SCHEDULE_PATTERN,
    SCHEDULE_RULE,
    TEMPLATE_KEY_PATTERN,
    TEMPLATE_KEY_RULE,
)

_MAGNITUDE_EXPONENT = 12
#: No scale goes near this; the bound keeps sums and slopes finite and TOML ints in 64 bits.
MAX_MAGNITUDE = 10**_MAGNITUDE_EXPONENT
MAGNITUDE_RULE = f"must lie between -1e{_MAGNITUDE_EXPONENT} and 1e{_MAGNITUDE_EXPONENT}"
NUMBER_TYPE_RULE = "must be a number"
FINITE_RULE = "must be a finite number"
STORABLE_TEXT_RULE = "text holds characters that cannot be stored (lone surrogates)"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
#: Each byte value to the Crockford character of its low 5 bits (a table for bytes.translate:
#: an import of 10,000 rows draws 10,000 ids).
_CROCKFORD_BYTES = bytes(ord(_CROCKFORD[byte & 31]) for byte in range(256))


def new_entry_id(taken: Container[str] = frozenset()) -> str:
    """A fresh 10-character Crockford base32 entry id not in `taken`.

    One read of the system's random source per id: each byte's low 5 bits pick a character
    (256 is a multiple of 32, so every character stays equally likely).
    """
    while True:
        candidate = secrets.token_bytes(10).translate(_CROCKFORD_BYTES).decode("ascii")
        if candidate not in taken:
            return candidate


def new_list() -> list[Any]:
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
        raise ValueError(STORABLE_TEXT_RULE) from None
    return value


def _check_line(value: str) -> str:
    """A single-line label: no control characters, not blank."""
    _check_text(value)
    if _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _matching(test: Callable[[str], bool], rule: str) -> AfterValidator:
    """A validator refusing text that `test` rejects, with `rule` as the message."""

    def check(value: str) -> str:
        if not test(value):
            raise ValueError(rule)
        return value

    return AfterValidator(check)


def unique_labels(values: list[str], what: str) -> list[str]:
    """`values` with repeats (ignoring case) refused: list items keyed by their text."""
    seen = {value.casefold() for value in values}
    if len(seen) != len(values):
        raise ValueError(f"each {what} may be listed once")
    return values


class _Native:
    """A field type whose rule pydantic-core checks itself, without calling back into Python.

    Reading a client validates every entry: a Python validator per id, rater, value and note
    was about a third of reading a large client (issue 10). A rule that pydantic-core can
    state is stated here instead, in a core schema, with goaltrack's own words as its errors.
    The schema is built afresh for each field (pydantic may annotate the one it is given).
    Model configuration (str_strip_whitespace and the like) does not reach these fields.
    """

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], core_schema.CoreSchema]) -> None:
        self.build = build

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """The field's core schema (pydantic's hook for a type's own schema)."""
        return self.build()


def _refused_as(schema: core_schema.CoreSchema, kind: str, rule: str) -> core_schema.CoreSchema:
    """`schema` with every refusal reported as `rule` (error type `goaltrack_KIND`), just as a
    validator raising ValueError(rule) was: describe_validation_error shows the message."""
    return core_schema.custom_error_schema(
        schema, custom_error_type=f"goaltrack_{kind}", custom_error_message=rule
    )


def _storable(**constraints: Any) -> core_schema.CoreSchema:
    """A string pydantic-core reads as UTF-8, which fails exactly on lone surrogates.

    pydantic-core checks a constrained string in its UTF-8 form; with no constraint given,
    the empty pattern (which matches at once) is the cheapest that makes it do so.
    """
    constraints.setdefault("pattern", "")
    return core_schema.str_schema(regex_engine="rust-regex", **constraints)


def _text_schema() -> core_schema.CoreSchema:
    """Any text UTF-8 can store: what `_check_text` accepts."""
    return core_schema.chain_schema(
        [core_schema.str_schema(), _refused_as(_storable(), "text", STORABLE_TEXT_RULE)]
    )


def _native_matching(pattern: re.Pattern[str], kind: str, rule: str) -> _Native:
    """A field type of text that `pattern` matches whole, checked by pydantic-core."""
    return _Native(lambda: _matching_schema(pattern, kind, rule))


def _matching_schema(pattern: re.Pattern[str], kind: str, rule: str) -> core_schema.CoreSchema:
    """Text that `pattern` matches whole (what `pattern.fullmatch` accepts), else `rule`.

    A value that is no text at all keeps pydantic's own "Input should be a valid string", as
    before. Anchored for the Rust engine, whose `$` is the end of the text only (Python's also
    matches before a final newline); `fullmatch` and this agree (tests/test_native_rules.py).
    """
    whole = _storable(pattern=f"^(?:{pattern.pattern})$")
    return core_schema.chain_schema([core_schema.str_schema(), _refused_as(whole, kind, rule)])


def _number_schema() -> core_schema.CoreSchema:
    """A measurement: an int (kept an int) or a float, never a bool, a string or another kind of
    number (pydantic's strict float takes a Decimal or a Fraction); finite; within the
    magnitude bound. Three steps, so that each rule keeps its own words."""

    def int_or(number: core_schema.CoreSchema, bound: int | None = None) -> core_schema.CoreSchema:
        low = None if bound is None else -bound
        whole = core_schema.int_schema(strict=True, ge=low, le=bound)
        return core_schema.union_schema([whole, number], mode="left_to_right")

    # A float itself (or a subclass), kept as it is: JSON has nothing else that reads as one.
    a_float = core_schema.json_or_python_schema(
        json_schema=core_schema.float_schema(strict=True),
        python_schema=core_schema.is_instance_schema(float),
    )
    finite = core_schema.float_schema(strict=True, allow_inf_nan=False)
    within = core_schema.float_schema(strict=True, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)
    return core_schema.chain_schema(
        [
            _refused_as(int_or(a_float), "number", NUMBER_TYPE_RULE),
            _refused_as(int_or(finite), "finite_number", FINITE_RULE),
            _refused_as(int_or(within, MAX_MAGNITUDE), "magnitude", MAGNITUDE_RULE),
        ]
    )


Text = Annotated[str, _Native(_text_schema)]
ClientId = Annotated[str, _matching(is_valid_client_id, f"client id {CLIENT_ID_RULE}")]
EntryId = Annotated[
    str, _native_matching(ENTRY_ID_PATTERN, "entry_id", f"entry id {ENTRY_ID_RULE}")
]
InstrumentKey = Annotated[
    str, _native_matching(MEASURE_KEY_PATTERN, "instrument", f"instrument {MEASURE_KEY_RULE}")
]
#: Who rated: a documented rater or a name from the home's config.toml (checked on input).
RaterName = Annotated[str, _native_matching(RATER_PATTERN, "rater", f"rater {RATER_NAME_RULE}")]
MeasureKey = Annotated[
    str, _native_matching(MEASURE_KEY_PATTERN, "measure", f"measure {MEASURE_KEY_RULE}")
]
TemplateKey = Annotated[
    str, _native_matching(TEMPLATE_KEY_PATTERN, "template", f"template {TEMPLATE_KEY_RULE}")
]
Schedule = Annotated[
    str, _native_matching(SCHEDULE_PATTERN, "schedule", f"schedule {SCHEDULE_RULE}")
]
Line = Annotated[str, Field(max_length=200), AfterValidator(_check_line)]
Number = Annotated[int | float, _Native(_number_schema)]
#: A list item's number (goals, objectives, interventions, episodes): its key, never reused.
ItemNumber = Annotated[int, Field(ge=1, le=1_000_000)]


class RecordModel(BaseModel):
    """Shared configuration: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)
