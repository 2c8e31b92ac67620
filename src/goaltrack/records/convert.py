"""Turning user-typed text (values, dates, concern specs) into typed values, with clear errors."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from goaltrack.errors import InvalidIdError, InvalidValueError
from goaltrack.paths import is_valid_client_id
from goaltrack.records.enums import Severity

_INTEGER = re.compile(r"[+-]?\d+")


def parse_number(text: str, what: str = "value") -> int | float:
    """A number typed by a user: an int when it has no fraction, else a finite float."""
    cleaned = text.strip()
    if _INTEGER.fullmatch(cleaned):
        if len(cleaned.lstrip("+-")) > 18:
            raise InvalidValueError(f"{what} is too large")
        return int(cleaned)
    try:
        number = float(cleaned)
    except ValueError:
        raise InvalidValueError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidValueError(f"{what} {text!r} is not a finite number")
    return int(number) if number.is_integer() and "e" not in cleaned.lower() else number


def parse_date(text: str, what: str = "date", today: date | None = None) -> date:
    """An ISO date (YYYY-MM-DD), or 'today' / 'yesterday'."""
    today = today or date.today()
    cleaned = text.strip().lower()
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        if len(cleaned) != 10:
            raise ValueError
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValueError(f"{what} {text!r} is not a date; use YYYY-MM-DD") from None


def parse_concern(text: str) -> tuple[str, Severity | None]:
    """A concern spec `NAME[:SEVERITY]`, e.g. `depression:severe`."""
    name, _, severity_text = text.rpartition(":") if ":" in text else (text, "", "")
    name = name.strip()
    if not name:
        raise InvalidValueError(f"concern {text!r} has no name; use NAME[:SEVERITY]")
    if not severity_text:
        return name, None
    try:
        return name, Severity(severity_text.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in Severity)
        raise InvalidValueError(
            f"unknown severity {severity_text!r} in concern {name!r}; use one of {choices}"
        ) from None


def check_client_id(client_id: str) -> str:
    """Return `client_id` if it is a safe id, else raise InvalidIdError (exit 1)."""
    if not is_valid_client_id(client_id):
        raise InvalidIdError(
            f"invalid client id {client_id!r}: use 1-64 characters of a-z, 0-9, '-' or '_', "
            "starting with a letter or digit (e.g. c-1042)"
        )
    return client_id
