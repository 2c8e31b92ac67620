"""The field types every record model shares: labels, text, numbers, ids, and the base model.

Each rule here is one the file format itself imposes (docs/formats.md): a record that holds a
value of these types may be written. The models of a client file are built from them in
`entry.py`, `plan.py`, `care.py` and `model.py`.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Container
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from goaltrack.paths import is_valid_client_id
from goaltrack.records.convert import (
    CLIENT_ID_RULE,
    ENTRY_ID_RULE,
    MEASURE_KEY_RULE,
    RATER_NAME_RULE,
    SCHEDULE_RULE,
    TEMPLATE_KEY_RULE,
    is_entry_id,
    is_measure_key,
    is_rater_name,
    is_schedule,
    is_template_key,
)

_MAGNITUDE_EXPONENT = 12
#: No scale goes near this; the bound keeps sums and slopes finite and TOML ints in 64 bits.
MAX_MAGNITUDE = 10**_MAGNITUDE_EXPONENT
MAGNITUDE_RULE = f"must lie between -1e{_MAGNITUDE_EXPONENT} and 1e{_MAGNITUDE_EXPONENT}"
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


def unique_labels(values: list[str], what: str) -> list[str]:
    """`values` with repeats (ignoring case) refused: list items keyed by their text."""
    seen = {value.casefold() for value in values}
    if len(seen) != len(values):
        raise ValueError(f"each {what} may be listed once")
    return values


Text = Annotated[str, AfterValidator(_check_text)]
ClientId = Annotated[str, _matching(is_valid_client_id, f"client id {CLIENT_ID_RULE}")]
EntryId = Annotated[str, _matching(is_entry_id, f"entry id {ENTRY_ID_RULE}")]
InstrumentKey = Annotated[str, _matching(is_measure_key, f"instrument {MEASURE_KEY_RULE}")]
#: Who rated: a documented rater or a name from the home's config.toml (checked on input).
RaterName = Annotated[str, _matching(is_rater_name, f"rater {RATER_NAME_RULE}")]
MeasureKey = Annotated[str, _matching(is_measure_key, f"measure {MEASURE_KEY_RULE}")]
TemplateKey = Annotated[str, _matching(is_template_key, f"template {TEMPLATE_KEY_RULE}")]
Schedule = Annotated[str, _matching(is_schedule, f"schedule {SCHEDULE_RULE}")]
Line = Annotated[str, Field(max_length=200), AfterValidator(_check_line)]
Number = Annotated[int | float, BeforeValidator(_check_number)]
#: A list item's number (goals, objectives, interventions, episodes): its key, never reused.
ItemNumber = Annotated[int, Field(ge=1, le=1_000_000)]


class RecordModel(BaseModel):
    """Shared configuration: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)
