"""The store: home resolution, the single update path, atomic writes, locks, migrations."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goaltrack import operations as changes
from goaltrack.errors import (
    ClientExistsError,
    ClientNotFoundError,
    CorruptFileError,
    InvalidIdError,
    InvalidValueError,
    LockTimeoutError,
    SchemaTooNewError,
    StoragePermissionError,
)
from goaltrack.measures.instruments import builtin_registry
from goaltrack.paths import resolve_home
from goaltrack.records.model import GoalKind
from goaltrack.storage import fileformat, store
from goaltrack.storage.store import Store

D = date(2026, 9, 1)


def _store(home: Path) -> Store:
    return Store(home, lock_timeout=0.5)


def _new(s: Store, client_id: str = "c-1") -> None:
    s.create(changes.new_client_record(client_id, created=D))


def _add_goal(s: Store, client_id: str = "c-1") -> int:
    fields = changes.GoalFields(kind=GoalKind.COPING, title="Use breathing skills")
    return s.update(
        client_id,
        lambda r: changes.add_goal(r, fields, builtin_registry(), default_measure=False, created=D),
    )


def _log(s: Store, value: float, note: str | None = None, client_id: str = "c-1") -> str:
    entry = changes.EntryFields(value=value, date=D, note=note)
    return s.update(client_id, lambda r: changes.log_value(r, 1, entry, builtin_registry()))


def test_home_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """--home beats GOALTRACK_HOME, which beats XDG_DATA_HOME, which beats ~/.local/share."""
    monkeypatch.setenv("GOALTRACK_HOME", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_home(tmp_path / "flag") == tmp_path / "flag"
    assert resolve_home() == tmp_path / "env"
    monkeypatch.delenv("GOALTRACK_HOME")
    assert resolve_home() == tmp_path / "xdg" / "goaltrack"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert resolve_home() == tmp_path / "user" / ".local" / "share" / "goaltrack"


def test_create_then_load_round_trips(home: Path) -> None:
    """A created client loads back equal."""
    s = _store(home)
    record = changes.new_client_record("c-1", name="Alex", notes="evening", created=D)
    s.create(record)
    assert s.load("c-1") == record


def test_create_refuses_existing(home: Path) -> None:
    """Creating a client twice fails and leaves the first file as it was."""
    s = _store(home)
    _new(s)
    before = s.path_for("c-1").read_bytes()
    with pytest.raises(ClientExistsError):
        _new(s)
    assert s.path_for("c-1").read_bytes() == before


def test_load_unknown_client(home: Path) -> None:
    """Loading a client with no file raises ClientNotFoundError."""
    with pytest.raises(ClientNotFoundError):
        _store(home).load("nobody")


def test_path_for_refuses_hostile_ids(home: Path) -> None:
    """An id that could escape the clients folder never becomes a path."""
    for bad in ("../x", "/etc/passwd", "a/b", "..", ""):
        with pytest.raises(InvalidIdError):
            _store(home).path_for(bad)


def test_file_key_order_matches_design(home: Path) -> None:
    """The file starts with schema_version, then [client] with id first, then goals."""
    s = _store(home)
    _new(s)
    _add_goal(s)
    _log(s, 3)
    text = s.path_for("c-1").read_text()
    assert text.startswith('schema_version = 2\n\n[client]\nid = "c-1"\n')
    assert text.endswith("\n\n# end of c-1\n")  # the end-of-file line comes last
    assert text.index("[[goals]]") < text.index("[[goals.progress]]")
    assert "null" not in text


def test_update_that_raises_writes_nothing(home: Path) -> None:
    """A change that fails half-way leaves the file byte-for-byte unchanged."""
    s = _store(home)
    _new(s)
    before = s.path_for("c-1").read_bytes()

    def half_then_fail(record):  # type: ignore[no-untyped-def]
        record.client.name = "Changed"
        raise InvalidValueError("refused")

    with pytest.raises(InvalidValueError):
        s.update("c-1", half_then_fail)
    assert s.path_for("c-1").read_bytes() == before


def test_update_that_breaks_an_invariant_writes_nothing(home: Path) -> None:
    """A mutation that breaks an invariant is caught by re-validation before the write."""
    s = _store(home)
    _new(s)
    _add_goal(s)
    before = s.path_for("c-1").read_bytes()

    def duplicate_goal(record):  # type: ignore[no-untyped-def]
        record.goals.append(record.goals[0].model_copy())

    with pytest.raises(InvalidValueError):
        s.update("c-1", duplicate_goal)
    assert s.path_for("c-1").read_bytes() == before


def test_corrupt_file_is_never_overwritten(home: Path) -> None:
    """An unparsable file makes updates fail with exit-3 errors and stays byte-identical."""
    s = _store(home)
    _new(s)
    path = s.path_for("c-1")
    path.write_bytes(b"schema_version = 1\n[client\nid = 'c-1'\n")
    before = path.read_bytes()
    with pytest.raises(CorruptFileError) as caught:
        _add_goal(s)
    assert "line 2" in caught.value.message
    assert str(path) in caught.value.message
    assert path.read_bytes() == before


def test_invalid_file_error_names_field_not_content(home: Path) -> None:
    """A file that parses but does not validate names the field, never the content."""
    s = _store(home)
    _new(s)
    path = s.path_for("c-1")
    text = path.read_text().replace('status = "active"', 'status = "SECRET-MARKER"')
    path.write_text(text)
    with pytest.raises(CorruptFileError) as caught:
        s.load("c-1")
    assert "client.status" in caught.value.message
    assert "SECRET-MARKER" not in caught.value.message


def test_non_utf8_file_is_corrupt(home: Path) -> None:
    """Bytes that are not UTF-8 give a clean CorruptFileError."""
    s = _store(home)
    _new(s)
    s.path_for("c-1").write_bytes(b"schema_version = 1\n\xff\xfe")
    with pytest.raises(CorruptFileError):
        s.load("c-1")


def test_file_for_another_id_is_corrupt(home: Path) -> None:
    """A file whose client.id differs from its name is refused (copy-paste accident)."""
    s = _store(home)
    _new(s, "c-1")
    _new(s, "c-2")
    s.path_for("c-2").write_bytes(s.path_for("c-1").read_bytes())
    with pytest.raises(CorruptFileError):
        s.load("c-2")


def test_newer_schema_is_read_only(home: Path) -> None:
    """A file from a newer goaltrack can be read but not written."""
    s = _store(home)
    _new(s)
    path = s.path_for("c-1")
    path.write_text(path.read_text().replace("schema_version = 2", "schema_version = 3"))
    before = path.read_bytes()
    assert s.load("c-1").client.id == "c-1"
    with pytest.raises(SchemaTooNewError):
        _add_goal(s)
    assert path.read_bytes() == before


def test_newer_schema_with_unknown_shape_is_refused(home: Path) -> None:
    """A newer file that our model cannot read at all is reported as too new."""
    s = _store(home)
    _new(s)
    s.path_for("c-1").write_text("schema_version = 9\n[client]\nid = 3\n")
    with pytest.raises(SchemaTooNewError):
        s.load("c-1")


def test_migration_chain_upgrades_a_fake_v0(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A v0 file is migrated in memory by the chain and written back as today's schema on the
    next change."""

    def v0_to_v1(document: dict) -> dict:  # type: ignore[type-arg]
        document["client"] = document.pop("patient")
        return document

    monkeypatch.setitem(fileformat.MIGRATIONS, 0, v0_to_v1)
    s = _store(home)
    _new(s)
    path = s.path_for("c-1")
    path.write_text('schema_version = 0\n[patient]\nid = "c-1"\ncreated = 2026-09-01\n')
    assert s.load("c-1").client.id == "c-1"
    assert path.read_text().startswith("schema_version = 0")  # reading never writes
    _add_goal(s)
    data = tomllib.loads(path.read_text())
    assert data["schema_version"] == 2
    assert data["client"]["since"] == date(2026, 9, 1)  # through v1 -> v2 as well
    assert data["client"]["id"] == "c-1"


def test_missing_migration_is_a_clean_error(home: Path) -> None:
    """A version with no migration step is reported, not guessed at."""
    s = _store(home)
    _new(s)
    s.path_for("c-1").write_text('schema_version = 0\n[client]\nid = "c-1"\n')
    with pytest.raises(CorruptFileError):
        s.load("c-1")


def test_symlinked_client_file_is_refused(home: Path, tmp_path: Path) -> None:
    """A client file that is a symbolic link is neither read nor written through."""
    s = _store(home)
    _new(s)
    target = tmp_path / "elsewhere.toml"
    target.write_bytes(s.path_for("c-1").read_bytes())
    s.path_for("c-1").unlink()
    s.path_for("c-1").symlink_to(target)
    with pytest.raises(StoragePermissionError):
        s.load("c-1")


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 000 the home is 0700, the clients folder 0700, and files 0600."""
    home = tmp_path / "open-umask"
    code = (
        "import os; os.umask(0); from datetime import date;"
        "from goaltrack import operations as changes; from goaltrack.storage.store import Store;"
        f"s = Store(__import__('pathlib').Path({str(home)!r}));"
        "s.create(changes.new_client_record('c-1', created=date(2026, 9, 1)))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "clients").stat().st_mode) == 0o700
    for path in (home / "clients").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_home_open_to_others_is_refused(home: Path) -> None:
    """A home readable by the group or others is not written into."""
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    with pytest.raises(StoragePermissionError) as caught:
        _new(_store(home))
    assert "chmod 700" in caught.value.message
    assert not (home / "clients").exists() or not any((home / "clients").iterdir())


def test_lock_timeout_is_a_data_error(home: Path) -> None:
    """While another process holds the lock, an update gives up with LockTimeoutError."""
    s = _store(home)
    _new(s)
    before = s.path_for("c-1").read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time;"
            "fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX);"
            "print('held', flush=True); time.sleep(9999)",
            str(s.lock_path_for("c-1")),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeoutError):
            _add_goal(s)
    finally:
        holder.kill()
        holder.wait()
    assert s.path_for("c-1").read_bytes() == before


def test_orphaned_temp_files_are_removed_by_the_next_write(home: Path) -> None:
    """A temp file left by a killed writer is cleaned up under the lock by the next write."""
    s = _store(home)
    _new(s)
    orphan = s.clients_dir / ".c-1.toml.abc123de.tmp"
    orphan.write_text("half a file")
    _add_goal(s)
    assert not orphan.exists()


def test_write_leaves_no_temp_files(home: Path) -> None:
    """After many writes the folder holds only the client file and its lock."""
    s = _store(home)
    _new(s)
    _add_goal(s)
    for value in range(5):
        _log(s, value)
    assert sorted(p.name for p in s.clients_dir.iterdir()) == ["c-1.toml", "c-1.toml.lock"]


def test_scan_reports_unreadable_files_and_reads_the_rest(home: Path) -> None:
    """One corrupt file does not hide the others from a listing."""
    s = _store(home)
    _new(s, "c-1")
    _new(s, "c-2")
    s.path_for("c-2").write_text("not toml [")
    records, problems = store.scan(s)
    assert [r.client.id for r in records] == ["c-1"]
    assert len(problems) == 1


HOSTILE = st.lists(
    st.sampled_from(
        [*list("ab \"'\\\r\n\t\x00\x1b\x7f\u2028\u202e\ufeff"), '"""', "'''", "é", "😀"]
    ),
    max_size=40,
).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=HOSTILE)
def test_hostile_notes_round_trip_exactly(home: Path, note: str) -> None:
    """Any note, including control characters and quote runs, is stored and read back exactly."""
    s = _store(home)
    if not s.exists("c-1"):
        _new(s)
        _add_goal(s)
    entry_id = _log(s, 1, note=note)
    stored = {e.id: e.note for e in s.load("c-1").goals[0].progress}
    assert stored[entry_id] == note


@given(st.text(max_size=80))
def test_any_id_is_either_safe_or_refused(candidate: str) -> None:
    """Any text given as an id either stays inside the clients folder or is refused."""
    s = Store(Path("/nonexistent/home"))
    try:
        path = s.path_for(candidate)
    except InvalidIdError:
        return
    assert path.parent == s.clients_dir
    assert path.name == f"{candidate}.toml"
