"""A write renders only what the change touched (storage/splice.py), with the same result.

On a file goaltrack wrote, the spliced text must be exactly the whole record's rendering; on a
hand-edited file the untouched parts keep their bytes, and any layout in which a part of the
old text might not map onto one goal falls back to rendering the whole record.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goaltrack import operations as changes
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import ClientRecord, GoalKind
from goaltrack.storage import fileformat
from goaltrack.storage.draft import Draft
from goaltrack.storage.splice import spliced
from goaltrack.storage.store import Store
from helpers import records

D = date(2025, 1, 6)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A client c-1 with goals 1, 2 and 3, two entries each."""
    store = Store(tmp_path / "home")
    store.create(changes.new_client_record("c-1", created=D, name="Ada"))
    for title in ("Sleep through the night", "Walk daily", "Call a friend weekly"):
        fields = changes.GoalFields(kind=GoalKind.COPING, title=title)
        store.update(
            "c-1",
            lambda r, f=fields: changes.add_goal(
                r, f, builtin_registry(), default_measure=False, created=D
            ),
        )
    for goal in (1, 2, 3):
        for value in (3, 4):
            _log(store, goal, value)
    return store


def _log(store: Store, goal: int, value: float, note: str | None = None) -> None:
    """Log `value` on `goal` of c-1 through the store."""
    entry = changes.EntryFields(value=value, date=D, note=note)
    store.update("c-1", lambda r: changes.log_value(r, goal, entry, builtin_registry()))


def _canonical(store: Store) -> bool:
    """True when c-1's file is exactly what rendering its record whole gives."""
    text = store.path_for("c-1").read_text(encoding="utf-8")
    return fileformat.render(fileformat.parse(text, "c-1").record) == text


def _splice_of(text: str, change: object) -> tuple[str | None, ClientRecord]:
    """What `spliced` makes of `text` after `change`, and the changed record."""
    loaded = fileformat.parse(text, "test")
    draft = Draft(loaded.record)
    change(loaded.record)  # type: ignore[operator]
    final = draft.revalidated()
    touched = draft.touched()
    return spliced(final, text, touched), final


def test_a_log_is_spliced_into_the_text_and_equals_the_whole_rendering(store: Store) -> None:
    """Logging on goal 2 of a file goaltrack wrote splices: the text is the whole rendering."""
    text = store.path_for("c-1").read_text(encoding="utf-8")
    entry = changes.EntryFields(value=7, date=D)
    result, final = _splice_of(text, lambda r: changes.log_value(r, 2, entry, builtin_registry()))
    assert result is not None
    assert result == fileformat.render(final)


def test_a_change_to_the_client_renders_its_part_and_keeps_the_goals(store: Store) -> None:
    """Renaming the client re-renders the part before the goals; the goals' bytes are kept."""
    text = store.path_for("c-1").read_text(encoding="utf-8")
    result, final = _splice_of(text, lambda r: setattr(r.client, "name", "Grace"))
    assert result is not None
    assert result == fileformat.render(final)
    assert result[result.index("[[goals]]") :] == text[text.index("[[goals]]") :]


def test_adding_a_goal_renders_the_whole_record(store: Store) -> None:
    """A change that adds a goal is not spliced (no old part maps onto the new goal)."""
    text = store.path_for("c-1").read_text(encoding="utf-8")
    fields = changes.GoalFields(kind=GoalKind.COPING, title="Breathe")
    result, _ = _splice_of(
        text,
        lambda r: changes.add_goal(r, fields, builtin_registry(), default_measure=False, created=D),
    )
    assert result is None


def test_a_comment_in_an_untouched_goal_survives_a_write(store: Store) -> None:
    """A hand edit's comment in goal 1 keeps its bytes when a log touches goal 3."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    marked = text.replace("[[goals]]\n", "[[goals]]\n# reviewed with supervisor\n", 1)
    path.write_text(marked, encoding="utf-8")
    _log(store, 3, 9)
    after = path.read_text(encoding="utf-8")
    assert "# reviewed with supervisor" in after
    record = store.load("c-1")
    assert [e.value for e in record.goals[2].progress] == [3, 4, 9]
    assert [len(g.progress) for g in record.goals] == [2, 2, 3]


def test_a_client_table_after_the_goals_falls_back_to_the_whole_rendering(
    store: Store,
) -> None:
    """[client] moved by hand after the goals: a log on the last goal keeps the client."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    body, end = text.rsplit("\n# end of c-1\n", 1)
    head, goals = body.split("\n[[goals]]\n", 1)
    top, client = head.split("\n[client]\n", 1)
    moved = f"{top}\n[[goals]]\n{goals}\n[client]\n{client}\n# end of c-1\n{end}"
    path.write_text(moved, encoding="utf-8")
    assert store.load("c-1").client.name == "Ada"
    _log(store, 3, 9)
    record = store.load("c-1")
    assert record.client.name == "Ada"
    assert [e.value for e in record.goals[2].progress] == [3, 4, 9]
    assert _canonical(store)


def test_a_multiline_note_holding_a_goal_header_falls_back(store: Store) -> None:
    """A hand-written multi-line note with a `[[goals]]` line is kept whole by a write."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    note = 'note = """first line\n[[goals]]\nlast line"""\n'
    marked = text.replace("value = 3\n", "value = 3\n" + note, 1)
    path.write_text(marked, encoding="utf-8")
    _log(store, 2, 9)
    record = store.load("c-1")
    assert record.goals[0].progress[0].note == "first line\n[[goals]]\nlast line"
    assert [len(g.progress) for g in record.goals] == [2, 3, 2]
    assert _canonical(store)


def test_a_multiline_note_and_a_spaced_header_cannot_fool_the_count(store: Store) -> None:
    """A `[[goals]]` line inside a note while goal 2's header is `[[goals]] `: the count of
    goal lines matches, the parts would not; a log on goal 2 keeps the note and goal 2."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    note = 'note = """first line\n[[goals]]\nlast line"""\n'
    marked = text.replace("value = 3\n", "value = 3\n" + note, 1)
    second = marked.index("[[goals]]\nnumber = 2")
    marked = marked[:second] + "[[goals]] " + marked[second + len("[[goals]]") :]
    path.write_text(marked, encoding="utf-8")
    _log(store, 2, 9)
    record = store.load("c-1")
    assert record.goals[0].progress[0].note == "first line\n[[goals]]\nlast line"
    assert [len(g.progress) for g in record.goals] == [2, 3, 2]


def test_a_goal_header_with_spaces_falls_back(store: Store) -> None:
    """`[[ goals ]]` written by hand is a goal the splice cannot see: the whole is rendered."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[[goals]]\n", "[[ goals ]]\n", 1), encoding="utf-8")
    _log(store, 1, 9)
    record = store.load("c-1")
    assert [len(g.progress) for g in record.goals] == [3, 2, 2]
    assert _canonical(store)


_EDITS = st.sampled_from(["log", "note", "remove", "rename", "title"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(), edit=_EDITS, pick=st.integers(0, 1000), note=st.text(max_size=30))
def test_any_change_to_a_written_file_gives_the_whole_rendering(
    record: ClientRecord, edit: str, pick: int, note: str
) -> None:
    """Random records and changes: whenever the text is spliced, it is the whole rendering."""
    text = fileformat.render(record)
    goals = record.goals
    entries = [(g.number, e.id) for g in goals for e in g.progress]

    def change(target: ClientRecord) -> None:
        if edit == "rename" or not goals:
            target.client.name = f"N{pick}"
        elif edit == "title":
            target.goals[pick % len(goals)].title = f"Goal {pick}"
        elif edit == "log" or not entries:
            goal = target.goals[pick % len(goals)]
            value = goal.progress[0].value if goal.progress else 0
            fields = changes.EntryFields(value=value, date=D, note=note.strip() or None)
            changes.log_value(target, goal.number, fields, builtin_registry())
        elif edit == "note":
            number, entry_id = entries[pick % len(entries)]
            goal = target.require_goal(number)
            next(e for e in goal.progress if e.id == entry_id).note = note or None
        else:
            number, entry_id = entries[pick % len(entries)]
            changes.remove_entry(target, number, entry_id, force=True)

    try:
        result, final = _splice_of(text, change)
    except Exception as error:  # a change the record refuses (a note it cannot hold)
        assume_refused(error)
        return
    if goals and "'''" not in text:  # three quotes in a note: the splice stands aside
        assert result is not None
    if result is not None:
        assert result == fileformat.render(final)


def assume_refused(error: Exception) -> None:
    """Only the store's own refusals may end a generated change."""
    from goaltrack.errors import GoaltrackError

    assert isinstance(error, GoaltrackError | ValueError), error


def test_a_log_keeps_the_part_of_its_own_goal_and_adds_the_entry(store: Store) -> None:
    """A log on goal 2 keeps goal 2's part byte for byte (a hand edit's comment in it too)
    and adds the new entry's table after its last one."""
    path = store.path_for("c-1")
    text = path.read_text(encoding="utf-8")
    second = text.index("[[goals]]\nnumber = 2")
    marked = text[:second] + "[[goals]]\n# goal two, by hand\n" + text[second + 10 :]
    path.write_text(marked, encoding="utf-8")
    _log(store, 2, 9, note="new")
    after = path.read_text(encoding="utf-8")
    assert "# goal two, by hand" in after
    record = store.load("c-1")
    assert [(e.value, e.note) for e in record.goals[1].progress] == [
        (3, None),
        (4, None),
        (9, "new"),
    ]


def test_a_new_entry_goes_before_a_goals_later_tables(tmp_path: Path) -> None:
    """A GAS goal's level descriptions follow its entries: a log puts the new entry's table
    before them, exactly as the whole rendering does."""
    store = Store(tmp_path / "home")
    store.create(changes.new_client_record("c-1", created=D))
    fields = changes.GoalFields(kind=GoalKind.AUTONOMY, title="Cook", measure="gas")
    store.update("c-1", lambda r: changes.add_goal(r, fields, builtin_registry(), created=D))
    store.update("c-1", lambda r: setattr(r.goals[0], "gas_levels", {"0": "Twice a week"}))
    _log(store, 1, 0)
    text = store.path_for("c-1").read_text(encoding="utf-8")
    assert "[goals.gas_levels]" in text
    entry = changes.EntryFields(value=1, date=D)
    result, final = _splice_of(text, lambda r: changes.log_value(r, 1, entry, builtin_registry()))
    assert result is not None
    assert result == fileformat.render(final)
    assert result.index("value = 1") < result.index("[goals.gas_levels]")
