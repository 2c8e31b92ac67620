"""The model's invariants: ids, enums, numbers, uniqueness, text."""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum
from types import BuiltinFunctionType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from goaltrack.records.model import (
    Client,
    ClientRecord,
    Concern,
    Goal,
    GoalKind,
    ProgressEntry,
    is_valid_client_id,
    new_entry_id,
)
from helpers import records

D = date(2026, 9, 1)


def _goal(number: int, entries: list[ProgressEntry] | None = None) -> Goal:
    return Goal(number=number, kind=GoalKind.COPING, title="t", created=D, progress=entries or [])


@pytest.mark.parametrize(
    "bad",
    ["", "../x", "A/B", "a/b", ".", "..", "abc\n", "a\x00b", "Ａbc", "-rf", "_a", "a" * 65, "C-1"],
)
def test_hostile_client_ids_are_refused(bad: str) -> None:
    """Ids that could escape the folder or confuse a shell do not validate."""
    assert not is_valid_client_id(bad)
    with pytest.raises(ValidationError):
        Client(id=bad, created=D)


@pytest.mark.parametrize("good", ["c-1042", "a", "0", "x_y-z", "a" * 64])
def test_pseudonymous_ids_are_accepted(good: str) -> None:
    """Lower-case letters, digits, '-' and '_' up to 64 characters are ids."""
    assert Client(id=good, created=D).id == good


@pytest.mark.parametrize("bad", [True, "3", float("nan"), float("inf"), None])
def test_entry_value_must_be_a_finite_number(bad: object) -> None:
    """Bools, strings, NaN and infinity are not measurements."""
    with pytest.raises(ValidationError):
        ProgressEntry(id="E1", date=D, value=bad)  # type: ignore[arg-type]


def test_integral_values_stay_integers() -> None:
    """17 is stored as an int and 6.5 as a float, so the file reads naturally."""
    assert type(ProgressEntry(id="E1", date=D, value=17).value) is int
    assert ProgressEntry(id="E1", date=D, value=6.5).value == 6.5


def test_unknown_kind_is_refused() -> None:
    """A goal kind outside the six of docs/design.md does not validate."""
    with pytest.raises(ValidationError):
        Goal(number=1, kind="happiness", title="t", created=D)  # type: ignore[arg-type]


def test_goal_numbers_are_unique() -> None:
    """Two goals with one number make the record invalid."""
    with pytest.raises(ValidationError):
        ClientRecord(client=Client(id="c", created=D), goals=[_goal(1), _goal(1)])


def test_entry_ids_are_unique_across_goals() -> None:
    """An entry id may appear once in the whole file."""
    entry = ProgressEntry(id="E1", date=D, value=1)
    with pytest.raises(ValidationError):
        ClientRecord(client=Client(id="c", created=D), goals=[_goal(1, [entry]), _goal(2, [entry])])


def test_next_goal_number_is_past_the_highest() -> None:
    """A new goal's number is one past the highest, even with gaps."""
    record = ClientRecord(client=Client(id="c", created=D), goals=[_goal(1), _goal(5)])
    assert record.next_goal_number() == 6


def test_unknown_keys_are_refused() -> None:
    """A typo in a hand-edited file is an error, not silently dropped."""
    with pytest.raises(ValidationError):
        Client.model_validate({"id": "c", "created": D, "nmae": "x"})


def test_lone_surrogates_in_notes_are_refused() -> None:
    """Text that cannot be encoded as UTF-8 is refused before it reaches the disk."""
    with pytest.raises(ValidationError):
        ProgressEntry(id="E1", date=D, value=1, note="bad \ud800 text")


def test_titles_are_single_lines() -> None:
    """A title with a newline would break every table; it is refused."""
    with pytest.raises(ValidationError):
        Goal(number=1, kind=GoalKind.COPING, title="two\nlines", created=D)


def test_to_document_omits_none() -> None:
    """TOML has no null: absent optional fields are left out."""
    record = ClientRecord(client=Client(id="c", created=D), goals=[_goal(1)])
    document = record.to_document()
    assert "name" not in document["client"]
    assert "measure" not in document["goals"][0]


def test_new_entry_ids_avoid_taken_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A drawn id that is taken is drawn again: the first free one, 10 Crockford characters."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    # Each random byte picks alphabet[byte % 32]: the high bits (here 0, 32, 64, ...) are dropped.
    draws = iter(
        bytes(alphabet.index(char) + 32 * (place % 8) for place, char in enumerate(word))
        for word in ("0000000000", "ZZZZZZZZZZ", "7K3M9XQ2PA")
    )
    sizes = []

    def token_bytes(size: int) -> bytes:
        sizes.append(size)
        return next(draws)

    monkeypatch.setattr(secrets, "token_bytes", token_bytes)
    assert new_entry_id({"0000000000", "ZZZZZZZZZZ"}) == "7K3M9XQ2PA"
    assert sizes == [10, 10, 10]


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_any_unicode_note_is_accepted(note: str) -> None:
    """Notes may hold any Unicode text except lone surrogates."""
    assert ProgressEntry(id="E1", date=D, value=1, note=note).note == note


#: The list fields schema 2 added, which a file leaves out while they are empty.
_OMITTED_WHEN_EMPTY = Client.omit_empty | Goal.omit_empty


def _dumped(value: object) -> object:
    """What to_document gave before issue 10: model_dump's data without None, enums as values
    (and without the empty schema-2 lists a file leaves out)."""
    if isinstance(value, dict):
        return {
            key: _dumped(item)
            for key, item in value.items()
            if item is not None and not (key in _OMITTED_WHEN_EMPTY and item == [])
        }
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


@settings(max_examples=150, deadline=None)
@given(records())
def test_to_document_is_model_dump_without_none_and_enums(record: ClientRecord) -> None:
    """to_document reads the fields directly, giving model_dump's data, key order and types."""
    document = record.to_document()
    expected = _dumped(record.model_dump(mode="python"))
    assert document == expected
    assert repr(document) == repr(expected)  # the same key order and types (1 is not 1.0)


def test_to_document_shares_no_list_with_the_record() -> None:
    """The document's lists are its own: changing them leaves the record as it was."""
    entry = ProgressEntry(id="A000000001", date=D, value=3, instrument="phq9", responses=[1] * 9)
    record = ClientRecord(client=Client(id="c", created=D), goals=[_goal(1, [entry])])
    record.to_document()["goals"][0]["progress"][0]["responses"].append(5)
    assert entry.responses == [1] * 9


def test_same_entries_are_those_of_that_date_and_value() -> None:
    """A goal's entries with the same date and value (1 == 1.0), none of another date or value."""
    entries = [
        ProgressEntry(id="A000000001", date=D, value=3),
        ProgressEntry(id="A000000002", date=D, value=3.0),
        ProgressEntry(id="A000000003", date=D, value=4),
        ProgressEntry(id="A000000004", date=date(2026, 9, 2), value=3),
    ]
    assert _goal(1, entries).same_entries(D, 3) == ["A000000001", "A000000002"]


@pytest.mark.parametrize("model", [Concern, Client, ProgressEntry, Goal, ClientRecord])
def test_no_default_factory_is_a_builtin(model: type[BaseModel]) -> None:
    """A list field defaults through a plain function: pydantic reads a builtin's signature
    (`list`) through tokenize, which cost every command start-up time."""
    for name, info in model.model_fields.items():
        factory = info.default_factory
        assert factory is None or not isinstance(factory, type | BuiltinFunctionType), name
        if factory is not None:
            assert factory() == []  # type: ignore[call-arg]
