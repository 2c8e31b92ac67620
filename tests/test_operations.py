"""The operations that change a record: numbers and ids an import keeps, one goal identity."""

from __future__ import annotations

from datetime import date

import pytest

from goaltrack import operations
from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import ClientRecord, GoalKind

D = date(2026, 9, 1)
REGISTRY = builtin_registry()


def _record() -> ClientRecord:
    record = operations.new_client_record("c-1", created=D)
    fields = operations.GoalFields(kind=GoalKind.COPING, title="Walk more")
    operations.add_goal(record, fields, REGISTRY, created=D)
    return record


def test_add_goal_keeps_a_given_number_and_defaults_the_measure() -> None:
    """A given number is used as is; a coping goal without a measure is measured by gbo."""
    record = _record()
    fields = operations.GoalFields(kind=GoalKind.COPING, title="Sleep")
    assert operations.add_goal(record, fields, REGISTRY, number=7, created=D) == 7
    assert [(g.number, g.measure) for g in record.goals] == [(1, "gbo"), (7, "gbo")]
    assert record.next_goal_number() == 8


def test_add_goal_refuses_a_number_in_use() -> None:
    """A given number that a goal already has is a field error; nothing is added."""
    record = _record()
    fields = operations.GoalFields(kind=GoalKind.COPING, title="Sleep")
    with pytest.raises(FieldError) as caught:
        operations.add_goal(record, fields, REGISTRY, number=1)
    assert caught.value.message == "goal: goal 1 of 'c-1' already exists"
    assert len(record.goals) == 1


def test_add_goal_without_default_measure_leaves_the_measure_empty() -> None:
    """default_measure=False keeps a goal without an instrument (as older files hold)."""
    record = operations.new_client_record("c-1", created=D)
    fields = operations.GoalFields(kind=GoalKind.COPING, title="Walk more")
    operations.add_goal(record, fields, REGISTRY, default_measure=False, created=D)
    assert record.goals[0].measure is None


def test_a_refused_goal_is_not_left_in_the_record() -> None:
    """A goal whose baseline breaks its instrument is refused before it is added."""
    record = operations.new_client_record("c-1", created=D)
    fields = operations.GoalFields(kind=GoalKind.COPING, title="Walk more", baseline=30)
    with pytest.raises(InvalidValueError):
        operations.add_goal(record, fields, REGISTRY)
    assert record.goals == []


def test_log_value_keeps_a_given_entry_id_once() -> None:
    """An entry id an import keeps is used; the same id a second time is a field error."""
    record = _record()
    entry = operations.EntryFields(value=4, date=D)
    assert operations.log_value(record, 1, entry, REGISTRY, entry_id="LEGACY-1") == "LEGACY-1"
    with pytest.raises(FieldError) as caught:
        operations.log_value(record, 1, entry, REGISTRY, entry_id="LEGACY-1")
    assert caught.value.message == "id: entry LEGACY-1 already exists in this client's file"
    assert [e.id for e in record.goals[0].progress] == ["LEGACY-1"]


def test_a_value_beyond_the_bound_is_refused_by_the_model_first() -> None:
    """A huge value gets the model's bound as its answer, not a range quoting its digits."""
    record = _record()
    entry = operations.EntryFields(value=10**18, date=D)
    with pytest.raises(FieldError) as caught:
        operations.log_value(record, 1, entry, REGISTRY)
    assert caught.value.message == "value: must lie between -1e12 and 1e12"


def test_goal_identity_ignores_case_but_not_kind() -> None:
    """Goal.matches: same kind, same title ignoring case."""
    goal = _record().goals[0]
    assert goal.matches(GoalKind.COPING, "WALK MORE")
    assert not goal.matches(GoalKind.AUTONOMY, "Walk more")
    assert not goal.matches(GoalKind.COPING, "Walk")


def test_replace_record_takes_every_field_of_the_replacement() -> None:
    """undo and resolve: the record ends up holding exactly the replacement's data."""
    record, replacement = _record(), _record()
    breathe = operations.GoalFields(kind=GoalKind.COPING, title="Breathe")
    operations.add_goal(replacement, breathe, REGISTRY, created=D)
    operations.replace_record(record, replacement)
    assert record.to_document() == replacement.to_document()


def test_replace_record_refuses_another_client() -> None:
    """A replacement must be the same client: nothing is changed otherwise."""
    record = _record()
    other = ClientRecord.model_validate(
        {**_record().to_document(), "client": {**_record().to_document()["client"], "id": "c-2"}}
    )
    with pytest.raises(InvalidValueError, match="the replacement is client 'c-2'"):
        operations.replace_record(record, other)
    assert record.client.id == _record().client.id
