"""The write path at the cost of the change (issue 10): what `Store.update` still refuses.

The store no longer re-validates every entry of a large file on each write: entries the change
did not touch pass as the validated objects they are (storage/draft.py). Every way a change
can break the record, including behind the model's back, must still be refused with nothing
written, the text must still be proved to parse back before the file is replaced, and the
audit trail must still name exactly what changed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from goaltrack import operations as changes
from goaltrack.errors import InvalidValueError, WriteFailedError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import ClientRecord, ProgressEntry
from goaltrack.storage import tomltext
from goaltrack.storage.draft import Draft
from goaltrack.storage.store import Store
from helpers import client_with_goal

D = date(2025, 1, 6)


@pytest.fixture
def store(home: Path) -> Store:
    """A client c-1 with one goal and three entries."""
    store = Store(home)
    client_with_goal(store)
    for value in (3, 4, 5):
        entry = changes.EntryFields(value=value, date=D)
        store.update("c-1", lambda r, e=entry: changes.log_value(r, 1, e, builtin_registry()))
    return store


def _refused(store: Store, change: Any, message: str) -> None:
    """The change is refused with `message` and the file keeps its bytes."""
    path = store.path_for("c-1")
    before = path.read_bytes()
    with pytest.raises(InvalidValueError) as caught:
        store.update("c-1", change)
    assert message in caught.value.message
    assert path.read_bytes() == before


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns when dumping the bad value
def test_entry_changed_behind_the_models_back_is_refused(store: Store) -> None:
    """An old entry altered without validation (through __dict__) is validated again."""

    def change(record: ClientRecord) -> None:
        record.goals[0].progress[1].__dict__["value"] = "seven"

    _refused(store, change, "goals[0].progress[1].value: must be a number")


def test_list_of_an_old_entry_changed_in_place_is_refused(store: Store) -> None:
    """Appending to the list of an entry read from the file is seen as a change, validated."""
    store.update("c-1", lambda r: setattr(r.goals[0].progress[0], "flags", ["risk-item9"]))

    def change(record: ClientRecord) -> None:
        flags = record.goals[0].progress[0].flags
        assert flags is not None
        flags.append("not-a-flag")  # type: ignore[arg-type]

    _refused(store, change, "goals[0].progress[0].flags[1]: Input should be 'risk-item9'")


def test_unvalidated_new_entry_is_refused(store: Store) -> None:
    """An entry built without validation (model_construct) is validated before writing."""

    def change(record: ClientRecord) -> None:
        bad = ProgressEntry.model_construct(id="bad id!", date=D, value=1)
        record.goals[0].progress.append(bad)

    _refused(store, change, "goals[0].progress[3].id: entry id")


def test_plain_dict_appended_as_an_entry_is_refused(store: Store) -> None:
    """Something that is not an entry at all is validated as one and refused."""

    def change(record: ClientRecord) -> None:
        record.goals[0].progress.append({"id": "ABCDEFGHJK", "date": D})  # type: ignore[arg-type]

    _refused(store, change, "goals[0].progress[3].value: Field required")


def test_the_same_entry_twice_is_refused(store: Store) -> None:
    """An untouched entry added a second time breaks the unique ids of the file."""

    def change(record: ClientRecord) -> None:
        record.goals[0].progress.append(record.goals[0].progress[0])

    _refused(store, change, "progress entry and screening ids must be unique within the file")


def test_a_copy_with_an_existing_id_is_refused(store: Store) -> None:
    """A new, valid entry that reuses an existing id is refused."""

    def change(record: ClientRecord) -> None:
        first = record.goals[0].progress[0]
        record.goals[0].progress.append(first.model_copy(update={"value": 9}))

    _refused(store, change, "progress entry and screening ids must be unique within the file")


def test_duplicate_goal_number_is_refused(store: Store) -> None:
    """Goal numbers stay unique: a goal appended with a taken number is refused."""

    def change(record: ClientRecord) -> None:
        record.goals.append(record.goals[0].model_copy(update={"progress": []}))

    _refused(store, change, "goal numbers must be unique")


def test_goal_field_changed_behind_the_models_back_is_refused(store: Store) -> None:
    """A goal's own fields are always validated again, however they were changed."""

    def change(record: ClientRecord) -> None:
        record.goals[0].__dict__["title"] = "two\nlines"

    _refused(store, change, "goals[0].title: must be a single line")


def test_text_that_would_not_read_back_is_never_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The round-trip proof stays: a writer that loses data makes the write fail, file kept."""
    path = store.path_for("c-1")
    before = path.read_bytes()
    real = tomltext.to_toml
    monkeypatch.setattr(
        tomltext, "to_toml", lambda document: real(document).replace("value = 8", "value = 9")
    )  # the entry being written: whatever part of the text is rendered, it holds that one
    entry = changes.EntryFields(value=8, date=D)
    with pytest.raises(WriteFailedError, match="did not round-trip"):
        store.update("c-1", lambda r: changes.log_value(r, 1, entry, builtin_registry()))
    assert path.read_bytes() == before


def test_audit_names_an_entry_changed_in_place(store: Store, home: Path) -> None:
    """The audit line of an in-place edit names that entry and its goal, and nothing else."""
    entry_id = store.load("c-1").goals[0].progress[1].id

    def change(record: ClientRecord) -> None:
        record.goals[0].progress[1].note = "corrected"

    store.update("c-1", change)
    line = json.loads((home / "audit.log").read_text().splitlines()[-1])
    assert (line["goals"], line["entries"], line["outcome"]) == ([1], [entry_id], "ok")
    assert store.load("c-1").goals[0].progress[1].note == "corrected"


def test_audit_names_a_removed_entry(store: Store, home: Path) -> None:
    """Removing an entry is audited with its id."""
    entry_id = store.load("c-1").goals[0].progress[0].id
    store.update("c-1", lambda r: changes.remove_entry(r, 1, entry_id))
    line = json.loads((home / "audit.log").read_text().splitlines()[-1])
    assert (line["goals"], line["entries"]) == ([1], [entry_id])
    assert [e.value for e in store.load("c-1").goals[0].progress] == [4, 5]


def test_log_value_draws_ids_outside_the_taken_set_it_is_given(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import's id set (built once) is what a new id must avoid, and it is kept up to date."""
    import secrets

    draws = iter([bytes(10), bytes([1] * 10)])  # "0000000000", then "1111111111"
    monkeypatch.setattr(secrets, "token_bytes", lambda size: next(draws))
    record = store.load("c-1")
    taken = {"0000000000"}
    entry = changes.EntryFields(value=1, date=D)
    assert changes.log_value(record, 1, entry, builtin_registry(), taken=taken) == "1111111111"


def _new_record_with_admitted_entry() -> tuple[Draft, ProgressEntry]:
    record = changes.new_client_record("c-9", created=D)
    changes.add_goal(record, changes.GoalFields(kind="coping", title="t"), builtin_registry())
    draft = Draft(record)
    changes.log_value(record, 1, changes.EntryFields(value=4, date=D), builtin_registry())
    entry = record.goals[0].progress[-1]
    draft.admit(entry)
    return draft, entry


def test_admitted_entry_is_passed_on_without_validating_it_again() -> None:
    """An entry admitted as built is the very object in the validated record (no copy made)."""
    draft, entry = _new_record_with_admitted_entry()
    assert draft.revalidated().goals[0].progress[0] is entry


def test_admitted_entry_changed_afterwards_is_validated_again() -> None:
    """An admitted entry changed behind the model's back after admission is refused."""
    draft, entry = _new_record_with_admitted_entry()
    entry.__dict__["value"] = float("nan")
    with pytest.raises(InvalidValueError, match="finite"):
        draft.revalidated()


def test_create_with_the_draft_of_another_record_is_refused(home: Path) -> None:
    """Store.create refuses a draft that is not the one its record was built in."""
    draft, _ = _new_record_with_admitted_entry()
    other = changes.new_client_record("c-8", created=D)
    with pytest.raises(ValueError, match="not the draft of this record"):
        Store(home).create(other, draft)
    assert not Store(home).exists("c-8")


def test_import_validates_each_new_entry_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bulk import into a new client: each entry is validated when built, never again from
    plain data by the import's check or by the write (both see the built entries as they are)."""
    from goaltrack.interop import importing
    from goaltrack.interop.formats import InputFormat

    text = "type,client,goal,kind,title,date,value\nclient,c-1,,,,,\ngoal,c-1,1,coping,t,,\n"
    text += "".join(f"entry,c-1,1,,,2025-01-{day:02d},{day % 10}\n" for day in range(1, 29))
    plain: list[int] = []
    real_validate = ClientRecord.model_validate

    def counting(cls: type[ClientRecord], data: Any, **options: Any) -> ClientRecord:
        goals = data.get("goals", []) if isinstance(data, dict) else []
        plain.append(
            sum(isinstance(entry, dict) for goal in goals for entry in goal.get("progress", []))
        )
        return real_validate(data, **options)

    monkeypatch.setattr(ClientRecord, "model_validate", classmethod(counting))
    store = Store(home)
    importing.commit(store, importing.prepare(store, text, InputFormat.CSV))
    assert len(store.load("c-1").goals[0].progress) == 28
    assert sum(plain) == 28  # only the read back by `load` above validates them from the file
