"""The conversion layer: one rule per kind of value, one message per rule, never the value."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from goaltrack.errors import FieldError, InvalidIdError
from goaltrack.records import convert
from goaltrack.records.enums import Approach, Rater, Severity

NUMBER_RULE = "must be a number (use a dot for decimals, e.g. 6.5)"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("14", 14),
        (" -2 ", -2),
        ("+3", 3),
        ("6.5", 6.5),
        (".5", 0.5),
        ("6.0", 6),
        ("1e3", 1000),
        ("1E-05", 1e-05),
        ("1234567890123456789", 1234567890123456789),
        (14, 14),
        (6.0, 6),
        (6.25, 6.25),
    ],
)
def test_numbers_people_and_files_write(given: Any, expected: int | float) -> None:
    """Digits, a dot fraction and an exponent are numbers; whole values become ints."""
    number = convert.parse_number(given, "value")
    assert (number, type(number)) == (expected, type(expected))


@pytest.mark.parametrize(
    "given", ["", "abc", "nan", "inf", "1e400", "1_000", "0x10", "١٢", "1,5", True, None, [1]]
)
def test_what_is_not_a_number(given: Any) -> None:
    """Words, NaN, infinity, separators and non-ASCII digits break the one number rule."""
    with pytest.raises(FieldError) as caught:
        convert.parse_number(given, "baseline")
    assert (caught.value.field, caught.value.rule) == ("baseline", NUMBER_RULE)
    assert caught.value.message == f"baseline: {NUMBER_RULE}"


@pytest.mark.parametrize(("given", "expected"), [("3", 3), ("1.0", 1), (2.0, 2), ("1e2", 100)])
def test_whole_numbers(given: Any, expected: int) -> None:
    """A count is a number that is whole."""
    assert convert.parse_whole_number(given, "session") == expected


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        ("1.5", "must be a whole number"),
        ("x", "must be a whole number"),
        ("0", "must be 1 or more"),
    ],
)
def test_what_is_not_a_count(given: str, rule: str) -> None:
    """A fraction, a word or a zero is not a goal number or a session."""
    with pytest.raises(FieldError) as caught:
        convert.parse_whole_number(given, "goal")
    assert caught.value.message == f"goal: {rule}"


def test_dates_are_iso_or_today_or_yesterday() -> None:
    """YYYY-MM-DD, and the words today and yesterday, relative to the day given."""
    today = date(2026, 3, 1)
    assert convert.parse_date(" 2026-02-03 ", "date", today) == date(2026, 2, 3)
    assert convert.parse_date("Today", "date", today) == today
    assert convert.parse_date("yesterday", "date", today) == date(2026, 2, 28)


@pytest.mark.parametrize("given", ["2026-13-01", "2026-2-3", "20260203", "soon", 20260203])
def test_what_is_not_a_date(given: Any) -> None:
    """Anything but a ten-character ISO date (or today, yesterday) is refused."""
    with pytest.raises(FieldError) as caught:
        convert.parse_date(given, "due")
    assert (
        caught.value.message == "due: must be a date as YYYY-MM-DD, today, yesterday, "
        "tomorrow, or +/-N days, weeks or months (+4w, -3d)"
    )


def test_choices_ignore_case_and_list_every_choice() -> None:
    """A choice is case-insensitive; a wrong one names the field and every allowed value."""
    assert convert.parse_choice(" Therapist ", "rater", Rater) is Rater.THERAPIST
    with pytest.raises(FieldError) as caught:
        convert.parse_choice("mother", "rater", Rater)
    assert caught.value.message == (
        "rater: must be one of: client, therapist, parent, partner, teacher, carer, other"
    )


def test_concerns_as_typed_and_in_rows() -> None:
    """NAME[:SEVERITY] one at a time, or ';'-separated / a JSON list in a row."""
    assert convert.parse_concern("low mood:Severe") == ("low mood", Severity.SEVERE)
    assert convert.parse_concern("grief") == ("grief", None)
    expected = [("anxiety", Severity.MILD), ("grief", None)]
    assert convert.parse_concerns("anxiety:mild; ;grief", "concerns") == expected
    assert convert.parse_concerns(["anxiety:mild", "grief"], "concerns") == expected


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        (":severe", "each concern needs a name: NAME[:SEVERITY]"),
        ("SECRET:fatal", "severity must be one of: mild, moderate, severe, crisis"),
    ],
)
def test_bad_concerns_are_refused_without_their_text(given: str, rule: str) -> None:
    """A nameless concern or an unknown severity is refused; the concern is not quoted."""
    with pytest.raises(FieldError) as caught:
        convert.parse_concern(given)
    assert caught.value.message == f"concern: {rule}"


def test_approaches_in_a_row() -> None:
    """Approaches are ';'-separated or a JSON list of Approach values."""
    assert convert.parse_approaches("CBT;emdr") == [Approach.CBT, Approach.EMDR]
    with pytest.raises(FieldError) as caught:
        convert.parse_approaches(["cbt", 3])
    assert caught.value.message == "approaches: must be text or a list of text"


def test_labels_are_stripped_and_notes_kept_as_given() -> None:
    """A title loses surrounding spaces; a note keeps them, and must be text."""
    assert convert.parse_line("  Sleep better ", "title") == "Sleep better"
    assert convert.parse_line("Sleep\n", "title") == "Sleep\n"  # the model refuses it
    assert convert.parse_note("  first line\n second ") == "  first line\n second "
    with pytest.raises(FieldError) as caught:
        convert.parse_note(12)
    assert caught.value.message == "note: must be text"


def test_client_ids_are_checked_as_path_components() -> None:
    """A row's client id is stripped; an unsafe one is an InvalidIdError (exit 1)."""
    assert convert.parse_client_id(" c-1 ", "client") == "c-1"
    with pytest.raises(InvalidIdError) as caught:
        convert.parse_client_id("../x", "client")
    assert caught.value.message == (
        "client: must be 1-64 characters of a-z, 0-9, '-' or '_', starting with a letter or "
        "digit (e.g. c-1042), and not a Windows device name (con, prn, aux, nul, com0-com9, "
        "lpt0-lpt9)"
    )
    assert caught.value.exit_code == 1


def test_keys_and_entry_ids() -> None:
    """Measure keys are lower-cased; ids and keys outside their pattern are refused."""
    assert convert.parse_measure_key(" PHQ9 ") == "phq9"
    assert convert.parse_entry_id(" LEGACY-0001 ") == "LEGACY-0001"
    with pytest.raises(FieldError) as key:
        convert.parse_measure_key("phq 9")
    assert key.value.message == (
        "measure: must be 1-32 characters of a-z, 0-9, '-' or '_' (e.g. phq9, gad7, gbo)"
    )
    with pytest.raises(FieldError) as entry:
        convert.parse_entry_id("a/b")
    assert entry.value.message == "id: must be 1-64 letters, digits, '-' or '_'"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("tomorrow", date(2026, 2, 1)),
        ("+3d", date(2026, 2, 3)),
        ("-3D", date(2026, 1, 28)),
        ("+4w", date(2026, 2, 28)),
        ("+1m", date(2026, 2, 28)),
        ("+11m", date(2026, 12, 31)),
        ("-2m", date(2025, 11, 30)),
        ("+0d", date(2026, 1, 31)),
    ],
)
def test_relative_dates(given: str, expected: date) -> None:
    """tomorrow and signed days, weeks, months from 2026-01-31 (a month on ends at month end)."""
    assert convert.parse_date(given, "due", date(2026, 1, 31)) == expected


@pytest.mark.parametrize("given", ["4w", "+4", "+4y", "+w", "+99999d", "+12m", "+365d"])
def test_what_is_not_a_relative_date(given: str) -> None:
    """No sign, no unit, an unknown unit, or a date past year 9999: refused."""
    with pytest.raises(FieldError):
        convert.parse_date(given, "due", date(9999, 1, 1))
