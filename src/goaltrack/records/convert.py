"""The one way in: text (or a JSON value) from a person or a file, turned into a typed value.

Every value goaltrack is given goes through these converters, whether it was typed as an
argument or option, read from an environment variable, or found in a CSV cell or a JSON
Lines row: one rule per kind of value, one message per rule. Each converter takes the raw
value (`str` from argv, CSV and the environment; `str`, `int`, `float` or `bool` from JSON)
and the name of the field, and raises `FieldError(field, rule)` (exit 1). The command line
shows `FIELD: RULE`, an import `line N, field FIELD: RULE`.

A rule never quotes the value: a shifted CSV column can put note text where a number was
expected, and stderr often ends up in logs.

What a converter does not check: domain invariants (the 1e12 bound, blank titles, control
characters) stay in `goaltrack.records.model`; instrument ranges stay in the registry. Those
are checked when the typed value reaches the record, once, whatever its path.

A light module (no pydantic): the CLI imports it at start-up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, timedelta
from enum import Enum
from typing import TypeVar

from goaltrack.errors import FieldError, InvalidClientIdError
from goaltrack.paths import is_valid_client_id
from goaltrack.records.enums import Approach, EntryFlag, Rater, Severity

E = TypeVar("E", bound=Enum)

#: A number as people and files write it: digits, an optional fraction after a dot, an
#: optional exponent (`1e3`; CSV and JSON writers use it for small values such as 1e-05).
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
#: A date relative to today: a sign, a count and a unit (days, weeks, months), e.g. +4w.
_RELATIVE_DATE = re.compile(r"([+-])([0-9]{1,4})([dwm])")

ENTRY_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
MEASURE_KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
TEMPLATE_KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,47}")
#: A measurement schedule: at every session, or every N days or weeks (`1w`, `2w`, `10d`).
SCHEDULE_PATTERN = re.compile(r"session|[1-9][0-9]{0,2}[dw]")
#: A rater's name: a documented rater (client, therapist, parent, ...) or one from config.toml.
RATER_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}")

NUMBER_RULE = "must be a number (use a dot for decimals, e.g. 6.5)"
WHOLE_NUMBER_RULE = "must be a whole number"
AT_LEAST_ONE_RULE = "must be 1 or more"
#: The date forms every date option and cell takes, as the options' --help says them.
DATE_FORMS = "YYYY-MM-DD, today, yesterday, tomorrow, or +/-N days, weeks or months (+4w, -3d)"
DATE_RULE = f"must be a date as {DATE_FORMS}"
#: A date read from a file: a calendar date only, so a file means the same days whenever it is
#: read (a relative `today` or `+4w` would make re-importing it add the rows again).
ISO_DATE_RULE = "must be a date as YYYY-MM-DD (relative dates are for the command line)"
TEXT_RULE = "must be text"
TEXT_LIST_RULE = "must be text or a list of text"
CLIENT_ID_RULE = (
    "must be 1-64 characters of a-z, 0-9, '-' or '_', starting with a letter or digit (e.g. "
    "c-1042), and not a Windows device name (con, prn, aux, nul, com0-com9, lpt0-lpt9)"
)
ENTRY_ID_RULE = "must be 1-64 letters, digits, '-' or '_'"
MEASURE_KEY_RULE = "must be 1-32 characters of a-z, 0-9, '-' or '_' (e.g. phq9, gad7, gbo)"
TEMPLATE_KEY_RULE = "must be 1-48 characters of a-z, 0-9, '-' or '_' (e.g. depression-activation)"
SCHEDULE_RULE = "must be session, or every N days or weeks as Nd or Nw (e.g. 1w, 2w, 4w, 10d)"
RATER_NAME_RULE = "must be 1-32 characters of a-z, 0-9, '-' or '_', starting with a letter"
CONCERN_RULE = "each concern needs a name: NAME[:SEVERITY]"
#: The most a note (an entry's note, a client's notes) may hold, in bytes of UTF-8. A note is
#: a clinician's words, not a document: a 10 MB note made every later read and write of the
#: client take seconds. The store's files read back whatever they hold; new text is checked.
NOTE_MAX_BYTES = 64 * 1024
NOTE_SIZE_RULE = "must be at most 64 KiB (65,536 bytes of UTF-8)"


def choices(enum: type[Enum]) -> str:
    """The allowed values of an enum, comma-separated, for help texts and errors."""
    return ", ".join(str(member.value) for member in enum)


def choice_rule(enum: type[Enum]) -> str:
    """The rule a choice breaks: it names every allowed value."""
    return f"must be one of: {choices(enum)}"


def _text(value: object, field: str) -> str:
    """A value that stands for text: a string, or a JSON number written where text belongs."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FieldError(field, TEXT_RULE)


def parse_number(value: object, field: str = "value") -> int | float:
    """A measurement: an int when it is whole (6.0 and 1e3 become 6 and 1000), else a float.

    Accepts what people and CSV/JSON writers write (14, -2, 6.5, .5, 1e3, 1e-05); refuses
    anything else, including NaN and infinity. How large a value may be is the model's rule.
    """
    if isinstance(value, bool):
        raise FieldError(field, NUMBER_RULE)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        number = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        if _NUMBER.fullmatch(text) is None:
            raise FieldError(field, NUMBER_RULE)
        try:
            return int(text) if _INTEGER.fullmatch(text) else _whole(float(text), field)
        except ValueError:  # more digits than Python converts
            raise FieldError(field, NUMBER_RULE) from None
    return _whole(number, field)


def _whole(number: float, field: str) -> int | float:
    if not math.isfinite(number):
        raise FieldError(field, NUMBER_RULE)
    return int(number) if number.is_integer() else number


def parse_whole_number(value: object, field: str) -> int:
    """A count such as a goal number or a session: a whole number, 1 or more."""
    try:
        number = parse_number(value, field)
    except FieldError:
        raise FieldError(field, WHOLE_NUMBER_RULE) from None
    if not isinstance(number, int):
        raise FieldError(field, WHOLE_NUMBER_RULE)
    if number < 1:
        raise FieldError(field, AT_LEAST_ONE_RULE)
    return number


def parse_date(value: object, field: str = "date", today: date | None = None) -> date:
    """An ISO date (YYYY-MM-DD); or, relative to `today` (default: the clock's), 'today',
    'yesterday', 'tomorrow', or a signed count of days, weeks or months: +3d, +4w, -2m.

    A month later is the same day of the month, or the month's last day when it has fewer
    (2026-01-31 +1m is 2026-02-28). The sign is required, so `4w` is not taken for a date.
    """
    if isinstance(value, date):
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    shift = _RELATIVE_DAYS.get(text)
    if shift is not None:
        return (today or date.today()) + timedelta(days=shift)
    relative = _RELATIVE_DATE.fullmatch(text)
    if relative:
        sign, count, unit = relative.groups()
        amount = int(count) * (-1 if sign == "-" else 1)
        try:
            return _shifted(today or date.today(), amount, unit)
        except (OverflowError, ValueError):  # beyond the years 1..9999
            raise FieldError(field, DATE_RULE) from None
    return _iso_date(text, field, DATE_RULE)


def parse_file_date(value: object, field: str = "date") -> date:
    """A date from a file (an import row): YYYY-MM-DD only, never relative to the day it is
    read, so importing the same file twice adds nothing the second time."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    return _iso_date(text, field, ISO_DATE_RULE)


def _iso_date(text: str, field: str, rule: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, rule) from None


_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _shifted(day: date, amount: int, unit: str) -> date:
    """`day` moved by `amount` days (d), weeks (w) or calendar months (m)."""
    if unit == "d":
        return day + timedelta(days=amount)
    if unit == "w":
        return day + timedelta(weeks=amount)
    months = day.year * 12 + day.month - 1 + amount
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise OverflowError
    # the month's last day without `calendar`, whose import costs start-up time
    first_of_next = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def parse_choice(value: object, field: str, enum: type[E]) -> E:
    """One of an enum's values, case-insensitive; the error lists every choice."""
    text = _text(value, field).strip().lower()
    try:
        return enum(text)
    except ValueError:
        raise FieldError(field, choice_rule(enum)) from None


def parse_line(value: object, field: str) -> str:
    """A single-line label (title, name): text without surrounding spaces. A line break or
    other control character is kept, for the model to refuse, as it refuses a blank label."""
    return _text(value, field).strip(" ")


def parse_note(value: object, field: str = "note") -> str | None:
    """Free text, kept exactly as given (a note may hold line breaks and leading spaces);
    an empty or blank note is no note (None), never stored as `note = ""`. A note longer than
    NOTE_MAX_BYTES is refused (FieldError), typed, piped or imported."""
    if not isinstance(value, str):
        raise FieldError(field, TEXT_RULE)
    if len(value) > NOTE_MAX_BYTES or len(value.encode("utf-8", "surrogatepass")) > NOTE_MAX_BYTES:
        raise FieldError(field, NOTE_SIZE_RULE)
    return value if value.strip() else None


def parse_client_id(value: object, field: str = "client id") -> str:
    """A client id in a row (surrounding spaces dropped): safe as a file name."""
    return check_client_id(_text(value, field).strip(), field)


def check_client_id(client_id: str, field: str = "client id") -> str:
    """Return `client_id` if it is a safe id (also a safe file name), exactly as given;
    else raise InvalidClientIdError (exit 1). The store checks every id it turns into a path."""
    if not is_valid_client_id(client_id):
        raise InvalidClientIdError(field, CLIENT_ID_RULE)
    return client_id


def parse_entry_id(value: object, field: str = "id") -> str:
    """A progress entry id, as `log` prints it (or an id kept from another system)."""
    text = _text(value, field).strip()
    if not is_entry_id(text):
        raise FieldError(field, ENTRY_ID_RULE)
    return text


def is_entry_id(text: str) -> bool:
    """True when `text` may be a progress entry id (the model's rule too)."""
    return ENTRY_ID_PATTERN.fullmatch(text) is not None


def parse_measure_key(value: object, field: str = "measure") -> str:
    """An instrument key, case-insensitive (PHQ9 is phq9); whether it is known is the
    registry's question."""
    text = _text(value, field).strip().lower()
    if not is_measure_key(text):
        raise FieldError(field, MEASURE_KEY_RULE)
    return text


def is_template_key(text: str) -> bool:
    """True when `text` has the shape of a template key."""
    return TEMPLATE_KEY_PATTERN.fullmatch(text) is not None


def parse_template_key(value: object, field: str = "template") -> str:
    """A template key, case-insensitive; whether it is known is the library's question."""
    text = _text(value, field).strip().lower()
    if not is_template_key(text):
        raise FieldError(field, TEMPLATE_KEY_RULE)
    return text


def is_schedule(text: str) -> bool:
    """True when `text` is a measurement schedule (`session`, `2w`, `10d`)."""
    return SCHEDULE_PATTERN.fullmatch(text) is not None


def parse_schedule(value: object, field: str = "every") -> str:
    """A measurement schedule from a person or a file: `session`, `Nw` or `Nd`, lower-cased."""
    text = _text(value, field).strip().lower()
    if not is_schedule(text):
        raise FieldError(field, SCHEDULE_RULE)
    return text


def schedule_days(schedule: str) -> int | None:
    """The days between measures a schedule asks for; None for `session` (every session)."""
    if schedule == "session":
        return None
    count = int(schedule[:-1])
    return count * 7 if schedule.endswith("w") else count


def is_rater_name(text: str) -> bool:
    """True when `text` may name a rater (the model's rule: the set a home knows is wider)."""
    return RATER_PATTERN.fullmatch(text) is not None


def rater_choices(extra: Iterable[str] = ()) -> list[str]:
    """Every rater a home knows: the documented ones, then its config's extra names."""
    return list(dict.fromkeys([*(rater.value for rater in Rater), *extra]))


def parse_rater(value: object, field: str = "rater", extra: Iterable[str] = ()) -> str:
    """A rater, case-insensitive: a documented one (client, therapist, parent, partner,
    teacher, carer, other) or one of `extra` (the home's config.toml); the error lists them."""
    text = _text(value, field).strip().lower()
    known = rater_choices(extra)
    if text not in known:
        raise FieldError(field, f"must be one of: {', '.join(known)}")
    return text


def is_measure_key(text: str) -> bool:
    """True when `text` may be an instrument key (the model's and the registry's rule too)."""
    return MEASURE_KEY_PATTERN.fullmatch(text) is not None


def parse_concern(value: object, field: str = "concern") -> tuple[str, Severity | None]:
    """A concern spec `NAME[:SEVERITY]`, e.g. `depression:severe`."""
    text = _text(value, field)
    name, _, severity = text.rpartition(":") if ":" in text else (text, "", "")
    if not name.strip():
        raise FieldError(field, CONCERN_RULE)
    if not severity.strip():
        return name.strip(), None
    try:
        return name.strip(), Severity(severity.strip().lower())
    except ValueError:
        raise FieldError(field, f"severity {choice_rule(Severity)}") from None


def _items(value: object, field: str) -> list[object]:
    """A list in a row: a JSON list, or text separated by ';'. Empty items are dropped."""
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise FieldError(field, TEXT_LIST_RULE)
        items: Iterable[str] = value
    else:
        items = _text(value, field).split(";")
    return [item.strip() for item in items if item.strip()]


def parse_concerns(value: object, field: str = "concerns") -> list[tuple[str, Severity | None]]:
    """Concerns in a row: `NAME[:SEVERITY]` items, `;`-separated or a JSON list."""
    return [parse_concern(item, field) for item in _items(value, field)]


def parse_approaches(value: object, field: str = "approaches") -> list[Approach]:
    """Approaches in a row: `;`-separated or a JSON list, each one of the Approach values."""
    return [parse_choice(item, field, Approach) for item in _items(value, field)]


def parse_flags(value: object, field: str = "flags") -> list[EntryFlag]:
    """Entry flags in a row (as `export` writes them): `;`-separated or a JSON list."""
    return [parse_choice(item, field, EntryFlag) for item in _items(value, field)]


ANSWERS_RULE = "must be item answers: whole numbers 0-100, ';'-separated or a JSON list"


def parse_answers(value: object, field: str = "answers") -> list[int]:
    """Item answers in a row (as `export -f jsonl` writes them): a JSON list of whole
    numbers, or text such as `1;0;2`."""
    if isinstance(value, list):
        items: list[object] = value
    else:
        items = [item for item in _text(value, field).split(";") if item.strip()]
    answers = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise FieldError(field, ANSWERS_RULE)
        text = str(item).strip()
        if not _INTEGER.fullmatch(text) or not 0 <= int(text) <= 100:
            raise FieldError(field, ANSWERS_RULE)
        answers.append(int(text))
    return answers


_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def toml_error_line(error: Exception, text: str) -> int | None:
    """The line a TOML parser stopped at, for a message that names file and line.

    tomllib gives `lineno` (Python 3.14) or "at line N" in its message, rtoml "at line N";
    for a construct left open at the end of the file (an unterminated array or string)
    tomllib says only "at end of document": that is the last line holding any text.
    """
    line = getattr(error, "lineno", None)
    if isinstance(line, int) and line > 0:
        return line
    message = str(error)
    match = _LINE_IN_MESSAGE.search(message)
    if match:
        return int(match.group(1))
    if "end of document" in message:
        return text.rstrip().count("\n") + 1
    return None
