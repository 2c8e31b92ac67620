"""Property-based: random add/log/edit/remove sequences with hostile text (issue 6).

A Hypothesis state machine drives the store with notes and titles drawn from a hostile
alphabet (CR, LF, NUL, ESC, DEL, U+2028, U+202E, BOM, quotes, triple quotes, backslashes,
lone surrogates) and checks after every step that what is on disk equals the model. Text
the file format cannot hold (lone surrogates; control characters in one-line titles) must be
refused cleanly: an exit-1 error that quotes nothing, and no change on disk.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from goaltrack import operations as changes
from goaltrack.errors import InvalidValueError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import GoalKind
from goaltrack.storage.store import Store
from helpers import SECRET, record

pytestmark = pytest.mark.slow  # 100 Hypothesis programs of up to 25 steps against the disk

D = date(2026, 9, 1)
PIECES = [
    "a",
    "Z",
    " ",
    "é",
    "😀",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\x1b",
    "\x1b[2J",
    "\x7f",
    "\u2028",
    "\u202e",
    "\ufeff",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\ud800",
    "\udfff",
    "=",
    "[",
    "#",
    SECRET,
]
SURROGATES = ("\ud800", "\udfff")
CONTROLS = ("\r", "\n", "\r\n", "\x00", "\x1b", "\x1b[2J", "\x7f", "\u2028")
_ANY = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
_NO_SURROGATE = st.lists(
    st.sampled_from([p for p in PIECES if p not in SURROGATES]), max_size=12
).map("".join)
_ONE_LINE = st.lists(
    st.sampled_from([p for p in PIECES if p not in SURROGATES + CONTROLS]), min_size=1, max_size=12
).map("".join)
#: Mostly storable text, sometimes text that must be refused.
HOSTILE = st.one_of(_NO_SURROGATE, _NO_SURROGATE, _ANY)
TITLES = st.one_of(_ONE_LINE, _ONE_LINE, _ANY)
# A RAM disk when there is one: this suite checks content (disk equals model), and 2,500
# fsync'ed writes on a real disk would take most of the time budget. Durability is what the
# crash and fault-injection suites check, on the ordinary temp folder.
_FAST_DIR = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_LINE_BAD = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _note_ok(text: str) -> bool:
    return not _has_surrogate(text)


def _title_ok(text: str) -> bool:
    return not _has_surrogate(text) and not _LINE_BAD.search(text) and bool(text.strip())


class StoreMachine(RuleBasedStateMachine):
    """The store against a plain-dict model of one client."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="goaltrack-stateful-", dir=_FAST_DIR))
        self.store = Store(self.folder / "home", lock_timeout=5)
        self.store.create(changes.new_client_record("c-1", created=D))
        self.notes: str | None = None
        self.goals: dict[int, dict[str, Any]] = {}
        self.next_number = 1
        record("stateful: Hypothesis examples (settings: 100 x up to 25 steps)")

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _refused(self, change: Any) -> None:
        path = self.store.path_for("c-1")
        before = path.read_bytes()
        try:
            self.store.update("c-1", change)
        except InvalidValueError as error:
            assert SECRET not in error.message and "\n" not in error.message
        else:
            raise AssertionError("text the format cannot hold was accepted")
        assert path.read_bytes() == before
        record("stateful: hostile texts refused cleanly")

    @rule(title=TITLES)
    def add_goal(self, title: str) -> None:
        fields = changes.GoalFields(kind=GoalKind.COPING, title=title)
        known = builtin_registry()
        change = lambda r: changes.add_goal(r, fields, known, default_measure=False, created=D)  # noqa: E731
        if not _title_ok(title):
            self._refused(change)
            return
        number = self.store.update("c-1", change)
        assert number == self.next_number
        self.goals[number] = {"title": title, "entries": {}}
        self.next_number += 1

    @precondition(lambda self: bool(self.goals))
    @rule(
        data=st.data(),
        value=st.integers(0, 27) | st.floats(0, 10, allow_nan=False),
        note=HOSTILE | st.none(),
    )
    def log(self, data: st.DataObject, value: float, note: str | None) -> None:
        number = data.draw(st.sampled_from(sorted(self.goals)))
        entry = changes.EntryFields(value=value, date=D, note=note)
        change = lambda r: changes.log_value(r, number, entry, builtin_registry())  # noqa: E731
        if note is not None and not _note_ok(note):
            self._refused(change)
            return
        entry_id = self.store.update("c-1", change)
        self.goals[number]["entries"][entry_id] = (value, note)

    @rule(note=HOSTILE)
    def edit_client_notes(self, note: str) -> None:
        edit = changes.ClientEdit(notes=note)
        change = lambda r: changes.edit_client(r, edit)  # noqa: E731
        if not _note_ok(note):
            self._refused(change)
            return
        self.store.update("c-1", change)
        self.notes = note

    @precondition(lambda self: bool(self.goals))
    @rule(data=st.data(), title=TITLES)
    def edit_goal_title(self, data: st.DataObject, title: str) -> None:
        number = data.draw(st.sampled_from(sorted(self.goals)))
        fields = changes.GoalFields(title=title)
        change = lambda r: changes.edit_goal(r, number, fields, builtin_registry())  # noqa: E731
        if not _title_ok(title):
            self._refused(change)
            return
        self.store.update("c-1", change)
        self.goals[number]["title"] = title

    @precondition(lambda self: any(g["entries"] for g in self.goals.values()))
    @rule(data=st.data())
    def remove_entry(self, data: st.DataObject) -> None:
        number = data.draw(
            st.sampled_from(sorted(n for n, g in self.goals.items() if g["entries"]))
        )
        entry_id = data.draw(st.sampled_from(sorted(self.goals[number]["entries"])))
        self.store.update("c-1", lambda r: changes.remove_entry(r, number, entry_id))
        del self.goals[number]["entries"][entry_id]

    @invariant()
    def disk_equals_model(self) -> None:
        record("stateful: steps checked against the disk")
        raw = self.store.path_for("c-1").read_bytes()
        record_on_disk = Store(self.store.home).load("c-1")
        assert tomllib.loads(raw.decode("utf-8")) == record_on_disk.to_document()
        assert record_on_disk.client.notes == self.notes
        assert {g.number: g.title for g in record_on_disk.goals} == {
            n: g["title"] for n, g in self.goals.items()
        }
        for goal in record_on_disk.goals:
            assert {e.id: (e.value, e.note) for e in goal.progress} == self.goals[goal.number][
                "entries"
            ]


StoreMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


TestStoreMachine = StoreMachine.TestCase
