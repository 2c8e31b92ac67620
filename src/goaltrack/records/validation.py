"""Turning a failed validation of a record into goaltrack's own one-line words.

Pydantic's messages name its internals ("Value error, ...", "Input should be ..."); these
functions name the field and the rule instead, and never quote the input.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from goaltrack.errors import FieldError, InvalidValueError

M = TypeVar("M", bound=BaseModel)


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
