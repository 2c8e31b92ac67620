"""Settings read from the environment, each parsed and checked in one place.

A light module (no pydantic, no rich): the CLI reads it to build help texts, the core reads it
for defaults. Every value goes through the conversion layer, so a bad setting gives the same
one-line error, exit 1, wherever it is read.
"""

from __future__ import annotations

import os
from datetime import date

from goaltrack.errors import FieldError
from goaltrack.records.convert import parse_date, parse_number, parse_whole_number

STALE_DAYS_ENV = "GOALTRACK_STALE_DAYS"
AS_OF_ENV = "GOALTRACK_AS_OF"
LOCK_TIMEOUT_ENV = "GOALTRACK_LOCK_TIMEOUT"
DEBUG_ENV = "GOALTRACK_DEBUG"
NO_INDEX_ENV = "GOALTRACK_NO_INDEX"

#: A goal is stale after this many days without an entry, unless told otherwise.
DEFAULT_STALE_DAYS = 28
#: How long a writer waits for a client's lock before giving up (seconds).
DEFAULT_LOCK_TIMEOUT = 30.0


def stale_days(option: int | None = None) -> int:
    """The stale threshold: the option when given, else $GOALTRACK_STALE_DAYS, else 28."""
    if option is not None:
        return option
    text = os.environ.get(STALE_DAYS_ENV, "").strip()
    return parse_whole_number(text, STALE_DAYS_ENV) if text else DEFAULT_STALE_DAYS


def as_of() -> date:
    """The day stale, overdue and on-track are judged against: $GOALTRACK_AS_OF, else today.

    Setting it makes reports reproducible (documentation, tests, a supervision snapshot).
    """
    text = os.environ.get(AS_OF_ENV, "").strip()
    return parse_date(text, AS_OF_ENV) if text else date.today()


def lock_timeout() -> float:
    """$GOALTRACK_LOCK_TIMEOUT in seconds (0-86400), else 30; anything else is an input error."""
    text = os.environ.get(LOCK_TIMEOUT_ENV)
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    rule = FieldError(LOCK_TIMEOUT_ENV, "must be a number of seconds (0-86400)")
    try:
        seconds = float(parse_number(text, LOCK_TIMEOUT_ENV))
    except FieldError:
        raise rule from None
    if not 0 <= seconds <= 86_400:
        raise rule
    return seconds


def debug() -> bool:
    """True when $GOALTRACK_DEBUG=1: errors then show a developer traceback."""
    return os.environ.get(DEBUG_ENV) == "1"


def no_index() -> bool:
    """True when $GOALTRACK_NO_INDEX=1: caseload commands read every file, not the index."""
    return os.environ.get(NO_INDEX_ENV) == "1"
