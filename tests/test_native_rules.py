"""The entry's field rules checked by pydantic-core accept, keep and refuse exactly what the
Python validators they replaced did, in the same words (issue 10).

`Reference` below is the model as it was before: one Python validator per rule. Hypothesis
draws values around every edge of every rule and compares the two models' answers: the value
kept (and its type), or the one-line description of the refusal.
"""

from __future__ import annotations

import math
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction
from typing import Annotated, Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from goaltrack.records.convert import (
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
from goaltrack.records.entry import ProgressEntry
from goaltrack.records.fields import (
    MAGNITUDE_RULE,
    MAX_MAGNITUDE,
    EntryId,
    InstrumentKey,
    MeasureKey,
    Number,
    RaterName,
    Schedule,
    TemplateKey,
    Text,
)
from goaltrack.records.validation import describe_validation_error


def _old_text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text holds characters that cannot be stored (lone surrogates)") from None
    return value


def _old_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(MAGNITUDE_RULE)
    return value


def _old_matching(test: Any, rule: str) -> AfterValidator:
    def check(value: str) -> str:
        if not test(value):
            raise ValueError(rule)
        return value

    return AfterValidator(check)


class Reference(BaseModel):
    """The field rules as Python validators, as they were before issue 10."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: Annotated[str, _old_matching(is_entry_id, f"entry id {ENTRY_ID_RULE}")] = "E1"
    value: Annotated[int | float, BeforeValidator(_old_number)] = 1
    rater: Annotated[str, _old_matching(is_rater_name, f"rater {RATER_NAME_RULE}")] | None = None
    note: Annotated[str, AfterValidator(_old_text)] | None = None
    instrument: (
        Annotated[str, _old_matching(is_measure_key, f"instrument {MEASURE_KEY_RULE}")] | None
    ) = None
    measure: Annotated[str, _old_matching(is_measure_key, f"measure {MEASURE_KEY_RULE}")] | None = (
        None
    )
    template: (
        Annotated[str, _old_matching(is_template_key, f"template {TEMPLATE_KEY_RULE}")] | None
    ) = None
    every: Annotated[str, _old_matching(is_schedule, f"schedule {SCHEDULE_RULE}")] | None = None


class Native(BaseModel):
    """The same fields with the field types the records use now."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: EntryId = "E1"
    value: Number = 1
    rater: RaterName | None = None
    note: Text | None = None
    instrument: InstrumentKey | None = None
    measure: MeasureKey | None = None
    template: TemplateKey | None = None
    every: Schedule | None = None


#: Each field of text that must match a rule, and the conversion layer's test of that rule.
MATCHING = {
    "id": is_entry_id,
    "rater": is_rater_name,
    "instrument": is_measure_key,
    "measure": is_measure_key,
    "template": is_template_key,
    "every": is_schedule,
}


def _answer(model: type[BaseModel], fields: dict[str, Any]) -> Any:
    """The fields kept (values with their types), or the refusal's one-line description."""
    try:
        kept = model.model_validate(fields).model_dump()
    except ValidationError as error:
        return describe_validation_error(error)
    return {name: (value, type(value)) for name, value in kept.items()}


def _same(fields: dict[str, Any]) -> None:
    expected, actual = _answer(Reference, fields), _answer(Native, fields)
    if isinstance(expected, dict):  # -0.0 and 0.0 compare equal: compare the written form too
        assert repr(actual) == repr(expected)
    assert actual == expected


class Level(IntEnum):
    """An int subclass (a caller's enum) given as a value."""

    HIGH = 7


class Real(float):
    """A float subclass given as a value."""


class Whole(int):
    """An int subclass given as a value."""


class Floatable:
    """Not a number, but convertible to one."""

    def __float__(self) -> float:
        return 1.5


ID_CHARACTERS = st.sampled_from("aZ09_-. \n\t\u0663\uff10\u00e9\udc80\ud800\x00Kk\u212a")
#: Texts near the id and rater rules: allowed characters, look-alikes (Arabic-Indic and
#: full-width digits, the Kelvin sign), separators, controls and lone surrogates.
NEAR_IDS = st.text(ID_CHARACTERS, max_size=70) | st.text(
    st.sampled_from("abcXYZ019_-"), min_size=60, max_size=70
)
ANY_VALUE = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-MAX_MAGNITUDE - 3, -MAX_MAGNITUDE + 3)
    | st.integers(MAX_MAGNITUDE - 3, MAX_MAGNITUDE + 3)
    | st.floats()
    | st.floats(-1.000001e12, -0.999999e12)
    | st.floats(0.999999e12, 1.000001e12)
    | st.sampled_from(
        [Level.HIGH, Real(2.5), Whole(3), Real("nan"), Whole(2**50), Floatable(), Fraction(1, 2)]
    )
    | st.sampled_from([Decimal("1.5"), b"7", "7", "nan", [7], 2**64, -(2**70), 1j])
    | st.text(max_size=5)
    | st.binary(max_size=5)
)


@pytest.mark.parametrize("field", MATCHING)
@given(text=NEAR_IDS | NEAR_IDS.map(str.lower) | st.sampled_from(["session", "2w", "10d", "0w"]))
@example(text="abc\n")
@example(text="session\n")
@example(text="a" * 32)
@example(text="a" * 33)
@example(text="a" * 48)
@example(text="a" * 49)
@example(text="a" * 64)
@example(text="a" * 65)
def test_text_fields_take_what_the_conversion_layer_accepts(field: str, text: str) -> None:
    """An id, rater, key or schedule is accepted exactly when the conversion layer's test
    (is_entry_id, is_rater_name, ...) accepts it, and refused in the same words as before."""
    assert isinstance(_answer(Native, {field: text}), dict) == MATCHING[field](text)
    _same({field: text})


@given(st.text(st.characters(codec=None), max_size=20) | st.text(max_size=20))
@example("lone \ud800 surrogate")
@example("\udfff")
def test_notes_are_any_text_utf_8_can_store(text: str) -> None:
    """A note is accepted exactly when it can be written as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
        storable = True
    except UnicodeEncodeError:
        storable = False
    assert isinstance(_answer(Native, {"note": text}), dict) == storable
    _same({"note": text})


@given(ANY_VALUE, ANY_VALUE)
@example(float("nan"), None)
@example(float("-inf"), None)
@example(1e12, None)
@example(-0.0, None)
@example(10**12, None)
@example(10**12 + 1, None)
@example(math.nextafter(1e12, math.inf), None)
@example(True, None)
@example(2**1100, None)
@example(-(10**400), None)
def test_values_and_wrong_types_get_the_same_answer(value: Any, other: Any) -> None:
    """Any value, and any value in a text field, is kept or refused alike, in the same words."""
    _same({"value": value})
    for field in ("note", *MATCHING):
        _same({field: other})
    _same({"value": value, **dict.fromkeys(("note", *MATCHING), other)})


@given(ANY_VALUE, NEAR_IDS)
def test_assignment_is_checked_alike(value: Any, text: str) -> None:
    """Setting a field on a built model keeps or refuses the value alike, in the same words."""
    answers = []
    for model in (Reference, Native):
        built = model()
        outcome = []
        for field, new in (("value", value), *((name, text) for name in ("note", *MATCHING))):
            try:
                setattr(built, field, new)
                outcome.append(repr(getattr(built, field)))
            except ValidationError as error:
                outcome.append(describe_validation_error(error))
        answers.append(outcome)
    assert answers[1] == answers[0]


def test_the_file_schema_still_says_a_value_is_an_integer_or_a_number() -> None:
    """The JSON Schema of a value (editors check hand edits with it) is as before."""
    value = ProgressEntry.model_json_schema()["properties"]["value"]
    assert value == {"anyOf": [{"type": "integer"}, {"type": "number"}], "title": "Value"}
