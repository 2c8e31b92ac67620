"""Store fixes from the reliability review (issue 6): each defect, pinned by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from goaltrack import operations as changes
from goaltrack.errors import ClientNotFoundError, CorruptFileError, InvalidIdError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.storage.store import Store
from helpers import D, client_with_goal


def test_update_of_unknown_client_leaves_no_lock_file(home: Path) -> None:
    """A typo'd client id is refused before any lock file is created."""
    store = Store(home)
    client_with_goal(store)
    with pytest.raises(ClientNotFoundError):
        store.update("c-404", lambda r: None)
    assert not store.lock_path_for("c-404").exists()


def test_invalid_id_creates_no_folder(home: Path) -> None:
    """An invalid id is refused before the home is created."""
    with pytest.raises(InvalidIdError):
        Store(home).update("../x", lambda r: None)
    assert not home.exists()


def test_file_without_final_newline_is_refused_as_truncated(home: Path) -> None:
    """A file cut inside its last line is not trusted; the message says how to fix a hand edit."""
    store = Store(home)
    client_with_goal(store)
    entry = changes.EntryFields(value=17, date=D)
    store.update("c-1", lambda r: changes.log_value(r, 1, entry, builtin_registry()))
    path = store.path_for("c-1")
    full = path.read_bytes()
    cut = full[: full.index(b"value = 17") + len(b"value = 1")]
    assert cut.endswith(b"value = 1")
    path.write_bytes(cut)
    with pytest.raises(CorruptFileError) as caught:
        store.load("c-1")
    assert "does not end with a newline" in caught.value.message
    assert "add a final newline" in caught.value.message
    path.write_bytes(cut + b"\n")  # now cut at a line end: it reads, but not as whole
    assert store.load("c-1").goals[0].progress[0].value == 1
    assert not store.read("c-1").whole


def test_orphan_that_is_a_folder_does_not_break_writes(home: Path) -> None:
    """A folder named like a temp file is left alone, and the write still succeeds."""
    store = Store(home)
    client_with_goal(store)
    (store.clients_dir / ".c-1.toml.weirdone.tmp").mkdir()
    store.update("c-1", lambda r: setattr(r.client, "name", "Sam"))
    assert store.load("c-1").client.name == "Sam"
