"""The index refresh after a write costs what the write changed (issue 10): untouched goals'
facts come from the row it replaces, only when that row describes the file the change read."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from goaltrack import operations as changes
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import GoalKind
from goaltrack.storage import caseload, facts, index
from goaltrack.storage.store import Store
from helpers import client_with_goal, refresh_with_reuse

REGISTRY = builtin_registry()
FAKE_POINTS = '[["1999-01-01",42,null]]'


def _log(store: Store, client_id: str, goal: int, value: int, day: str) -> None:
    entry = changes.EntryFields(value=value, date=date.fromisoformat(day))
    store.update(client_id, lambda r: changes.log_value(r, goal, entry, REGISTRY))


def _two_goals(store: Store) -> None:
    """Client c-1: goal 1 with values 5 and 4, goal 2 ("Sleep") with 7 and 6."""
    client_with_goal(store, "c-1")
    fields = changes.GoalFields(kind=GoalKind.COPING, title="Sleep")
    store.update("c-1", lambda r: changes.add_goal(r, fields, REGISTRY, default_measure=False))
    _log(store, "c-1", 1, 5, "2026-09-02")
    _log(store, "c-1", 1, 4, "2026-09-03")
    _log(store, "c-1", 2, 7, "2026-09-02")
    _log(store, "c-1", 2, 6, "2026-09-04")


def _row(home: Path) -> tuple[index.Identity, list[dict[str, object]]]:
    with index.opened(home, create=False) as opened:
        assert opened is not None
        found = opened.goals_of("c-1")
    assert found is not None
    return found[0], json.loads(found[1])


def _plant_points(home: Path, goal: int) -> None:
    """Replace goal `goal`'s points in c-1's row by FAKE_POINTS, keeping the row's identity."""
    with index.opened(home, create=False) as opened:
        assert opened is not None
        found = opened.goals_of("c-1")
        assert found is not None
        lines = found[1][1:-1].split(",\n")
        head = lines[goal - 1].split(',"points":')[0]
        lines[goal - 1] = f'{head},"points":{FAKE_POINTS}}}'
        with opened.connection:
            opened.connection.execute(
                "UPDATE clients SET goals = ? WHERE id = 'c-1'", ("[" + ",\n".join(lines) + "]",)
            )


def _points(goals: list[dict[str, object]], number: int) -> object:
    return next(goal["points"] for goal in goals if goal["number"] == number)


def test_goals_text_is_the_goal_facts_one_goal_per_line(home: Path) -> None:
    """The goals column parses to goal_facts and holds one line per goal, in record order."""
    store = Store(home)
    _two_goals(store)
    record = store.load("c-1")
    text = facts.goals_text(record)
    assert json.loads(text) == facts.goal_facts(record)
    assert [json.loads(line.rstrip(","))["number"] for line in text[1:-1].split("\n")] == [1, 2]


def test_client_facts_count_entries_and_take_the_latest_date_of_any_goal(home: Path) -> None:
    """entries is the sum over goals and last_entry the latest date, whatever goal holds it."""
    store = Store(home)
    _two_goals(store)
    found = facts.client_facts(store.load("c-1"))
    assert (found["entries"], found["last_entry"]) == (4, "2026-09-04")


def test_client_facts_of_goals_without_entries_have_no_last_entry(home: Path) -> None:
    """A client whose goals hold no entry: 0 entries and last_entry None."""
    store = Store(home)
    client_with_goal(store, "c-1")
    found = facts.client_facts(store.load("c-1"))
    assert (found["goals"], found["entries"], found["last_entry"]) == (1, 0, None)


def test_untouched_goal_lines_are_taken_from_the_row_of_the_file_read(home: Path) -> None:
    """With the row of the very file read, an untouched goal's line is the row's, unparsed."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)  # only a reused line can carry these points
    path = store.path_for("c-1")
    read = os.lstat(path)
    reuse = facts.Reuse(index.identity(read), frozenset({2}))
    facts.after_write(home, "c-1", store.load("c-1"), read, reuse)
    _, goals = _row(home)
    assert _points(goals, 2) == json.loads(FAKE_POINTS)
    assert _points(goals, 1) == [["2026-09-02", 5, None], ["2026-09-03", 4, None]]


def test_without_reuse_every_goal_is_derived_again(home: Path) -> None:
    """A refresh given no Reuse derives every goal: nothing of the old row survives."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)
    facts.after_write(home, "c-1", store.load("c-1"), os.lstat(store.path_for("c-1")))
    _, goals = _row(home)
    assert _points(goals, 2) == [["2026-09-02", 7, None], ["2026-09-04", 6, None]]


def test_a_row_of_another_identity_gives_no_goal_line(home: Path) -> None:
    """A Reuse naming another file than the row's: every goal is derived again."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)
    read = os.lstat(store.path_for("c-1"))
    other = (read.st_ino, read.st_size, read.st_mtime_ns, read.st_ctime_ns + 1)
    facts.after_write(home, "c-1", store.load("c-1"), read, facts.Reuse(other, frozenset({2})))
    _, goals = _row(home)
    assert _points(goals, 2) == [["2026-09-02", 7, None], ["2026-09-04", 6, None]]


def test_a_hand_edit_between_two_writes_leaves_no_goal_stale(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value edited by hand in goal 2, then a write to goal 1: goal 2's facts are the edit's."""
    store = Store(home)
    _two_goals(store)
    seen = refresh_with_reuse(monkeypatch)
    path = store.path_for("c-1")
    text = path.read_text()
    assert text.count("value = 6\n") == 1
    path.write_text(text.replace("value = 6\n", "value = 3\n"))  # the same number of entries
    _log(store, "c-1", 1, 2, "2026-09-05")
    _, goals = _row(home)
    assert _points(goals, 2) == [["2026-09-02", 7, None], ["2026-09-04", 3, None]]
    assert [why for _, problem, why in caseload.compare_index(home) if problem] == []
    assert seen.reused_rows == 0  # the row was of the file before the hand edit


def test_a_write_after_a_write_reuses_the_row_and_agrees_with_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes in a row: the second reuses the first's row, and check finds no difference."""
    store = Store(home)
    _two_goals(store)
    seen = refresh_with_reuse(monkeypatch)
    _log(store, "c-1", 1, 2, "2026-09-05")
    store.update("c-1", lambda r: changes.edit_client(r, changes.ClientEdit(name="Kim")))
    assert seen.reused_rows == 2
    assert [why for _, problem, why in caseload.compare_index(home) if problem] == []
    assert _row(home)[1] == facts.goal_facts(store.load("c-1"))


def test_a_touched_goal_is_derived_even_when_it_begins_as_the_row(home: Path) -> None:
    """A goal not in `untouched` is derived, though its fields and entry count are the row's."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)
    read = os.lstat(store.path_for("c-1"))
    record = store.load("c-1")
    record.goals[1].progress[1].value = 3  # an entry's value changed: same count, same head
    facts.after_write(home, "c-1", record, read, facts.Reuse(index.identity(read), frozenset({1})))
    _, goals = _row(home)
    assert _points(goals, 2) == [["2026-09-02", 7, None], ["2026-09-04", 3, None]]


def test_a_goal_called_untouched_whose_entries_changed_is_derived(home: Path) -> None:
    """The row's line is taken only if it begins as the goal's facts now (entry count too)."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)
    read = os.lstat(store.path_for("c-1"))
    record = store.load("c-1")
    entry = changes.EntryFields(value=9, date=date(2026, 9, 6))
    changes.log_value(record, 2, entry, REGISTRY)
    wrong = facts.Reuse(index.identity(read), frozenset({1, 2}))  # goal 2 did change
    facts.after_write(home, "c-1", record, read, wrong)
    _, goals = _row(home)
    assert _points(goals, 2) == [
        ["2026-09-02", 7, None],
        ["2026-09-04", 6, None],
        ["2026-09-06", 9, None],
    ]


def test_a_new_goal_is_derived_and_goals_follow_the_record(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A goal added by the write is derived; the others reused; the order is the record's."""
    store = Store(home)
    _two_goals(store)
    seen = refresh_with_reuse(monkeypatch)
    fields = changes.GoalFields(kind=GoalKind.COPING, title="Walk")
    store.update("c-1", lambda r: changes.add_goal(r, fields, REGISTRY, default_measure=False))
    assert seen.reused_rows == 1
    _, goals = _row(home)
    assert [(goal["number"], goal["title"]) for goal in goals] == [
        (1, "Use breathing skills"),
        (2, "Sleep"),
        (3, "Walk"),
    ]
    assert goals == facts.goal_facts(store.load("c-1"))


def test_an_old_goals_column_is_rebuilt_by_the_version(home: Path) -> None:
    """An index of version 2 (goals as one line) is emptied when opened: no line is reused."""
    store = Store(home)
    _two_goals(store)
    connection = sqlite3.connect(home / index.INDEX_FILE)
    connection.execute("PRAGMA user_version=2")
    connection.commit()
    connection.close()
    with index.opened(home) as opened:
        assert opened is not None
        assert opened.goals_of("c-1") is None


def test_store_update_hands_the_refresh_the_file_it_read(home: Path) -> None:
    """Store.update's own Reuse: a log on goal 1 takes goal 2's line from the row as it was."""
    store = Store(home)
    _two_goals(store)
    _plant_points(home, 2)  # only a line taken from the row can carry these points
    _log(store, "c-1", 1, 2, "2026-09-05")
    _, goals = _row(home)
    assert _points(goals, 2) == json.loads(FAKE_POINTS)
    assert _points(goals, 1)[-1] == ["2026-09-05", 2, None]
