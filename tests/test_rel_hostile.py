"""Hostile ids and paths: traversal, control characters, symlinks, FIFOs, open homes (issue 6)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import (
    HANG_GUARD,
    SECRET,
    assert_private,
    client_with_goal,
    invoke,
    record,
    snapshot,
)

HOSTILE_IDS = [
    "../x",
    "/etc/passwd",
    "a/b",
    "",
    ".",
    "..",
    "abc\n",
    "a\x00b",
    "ｃ-1",  # full-width letter
    "-rf",
    "x" * 65,
    "C-1",
    "c-1\x1b[2J",
    "c-1\u202e",
    "c 1",
    "~",
]


@pytest.mark.parametrize("client_id", HOSTILE_IDS, ids=repr)
def test_hostile_ids_are_refused_everywhere(
    home: Path, runner: CliRunner, tmp_path: Path, client_id: str
) -> None:
    """Every command refuses the id with exit 1 (2 for an option-like one), creating nothing."""
    store = Store(home)
    client_with_goal(store)
    before = snapshot(tmp_path)
    for args in (
        ("new-client", "--", client_id),
        ("show", "--", client_id),
        ("log", "--", client_id, "1", "5"),
        ("edit-client", "--name", "X", "--", client_id),
        ("remove-entry", "--", client_id, "1", "ABC"),
        ("audit", "--", client_id),
    ):
        result = invoke(runner, *args)
        assert_private(result.stderr)
        assert result.exit_code == 1, (args, result.stderr)
        assert result.stderr.count("\n") == 1
        assert "\x00" not in result.stderr and "\x1b" not in result.stderr
        assert "\u202e" not in result.stderr
        record("hostile: id x command refusals")
    assert snapshot(tmp_path) == before


def test_option_like_id_is_a_usage_error(home: Path, runner: CliRunner) -> None:
    """`new-client -rf` is read as an unknown option (exit 2), never as a client id."""
    result = invoke(runner, "new-client", "-rf")
    assert result.exit_code == 2
    assert not (home / "clients").exists()


def test_symlinked_client_file_is_neither_read_nor_written(
    home: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """A client file that is a symlink: show and log exit 3, the target is untouched."""
    store = Store(home)
    client_with_goal(store)
    target = tmp_path / "elsewhere.toml"
    target.write_bytes(store.path_for("c-1").read_bytes())
    store.path_for("c-1").unlink()
    store.path_for("c-1").symlink_to(target)
    before = target.read_bytes()
    for args in (("show", "c-1"), ("log", "c-1", "1", "5"), ("new-client", "c-1")):
        result = invoke(runner, *args)
        assert result.exit_code in (1, 3), args
        assert_private(result.stderr)
    assert target.read_bytes() == before


def test_symlinked_lock_file_refuses_writes(home: Path, runner: CliRunner, tmp_path: Path) -> None:
    """A lock file replaced by a symlink is never followed: the write is refused with exit 3."""
    store = Store(home)
    client_with_goal(store)
    victim = tmp_path / "victim"
    victim.write_text("do not touch")
    store.lock_path_for("c-1").unlink()
    store.lock_path_for("c-1").symlink_to(victim)
    result = invoke(runner, "log", "c-1", "1", "5")
    assert result.exit_code == 3
    assert victim.read_text() == "do not touch"


def test_symlinked_clients_folder_is_refused(home: Path, runner: CliRunner, tmp_path: Path) -> None:
    """A clients folder that is a symlink is refused for writing (exit 3)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    home.mkdir(mode=0o700)
    (home / "clients").symlink_to(elsewhere)
    result = invoke(runner, "new-client", "c-1")
    assert result.exit_code == 3
    assert list(elsewhere.iterdir()) == []


def test_symlinked_home_is_followed_and_checked(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home that is a link (e.g. to an encrypted volume) works; its target must be private."""
    target = tmp_path / "volume"
    target.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(target)
    monkeypatch.setenv("GOALTRACK_HOME", str(link))
    assert invoke(runner, "new-client", "c-1").exit_code == 0
    assert (target / "clients" / "c-1.toml").is_file()
    target.chmod(0o755)
    result = invoke(runner, "new-client", "c-2")
    assert result.exit_code == 3
    assert "open to other users" in result.stderr


def test_symlinked_audit_log_refuses_the_change(
    home: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """An audit.log that is a symlink is never followed; the change is refused, nothing written."""
    store = Store(home)
    client_with_goal(store)
    victim = tmp_path / "victim"
    victim.write_text("do not touch")
    (home / "audit.log").unlink()
    (home / "audit.log").symlink_to(victim)
    before = store.path_for("c-1").read_bytes()
    result = invoke(runner, "log", "c-1", "1", "5")
    assert result.exit_code == 3
    assert "audit log" in result.stderr and "no change was made" in result.stderr
    assert store.path_for("c-1").read_bytes() == before
    assert victim.read_text() == "do not touch"


def test_fifo_as_client_file_does_not_hang(home: Path) -> None:
    """A FIFO planted under a client's name gives exit 3 at once instead of blocking."""
    store = Store(home)
    client_with_goal(store)
    store.path_for("c-1").unlink()
    os.mkfifo(store.path_for("c-1"))
    done = subprocess.run(
        [sys.executable, "-m", "goaltrack", "show", "c-1"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode == 3
    assert "not a regular file" in done.stderr


@pytest.mark.parametrize("mode", [0o750, 0o705, 0o777])
def test_home_open_to_others_is_refused_with_the_fix_named(
    home: Path, runner: CliRunner, mode: int
) -> None:
    """A group- or world-readable home gets no files; the message names `check --fix`."""
    home.mkdir()
    home.chmod(mode)
    result = invoke(runner, "new-client", "c-1")
    assert result.exit_code == 3
    assert "goaltrack check --fix" in result.stderr
    assert not (home / "clients").exists()
    assert invoke(runner, "check", "--fix").exit_code == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert invoke(runner, "new-client", "c-1").exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the home to another user")
def test_home_owned_by_another_user_is_refused(home: Path, runner: CliRunner) -> None:
    """A home that belongs to someone else is not written into."""
    home.mkdir(mode=0o700)
    os.chown(home, 65534, 65534)
    result = invoke(runner, "new-client", "c-1")
    assert result.exit_code == 3
    assert "belongs to another user" in result.stderr


def test_error_messages_escape_control_characters(home: Path, runner: CliRunner) -> None:
    """A hostile key in a client file reaches stderr escaped: no raw ESC, one line."""
    store = Store(home)
    client_with_goal(store)
    path = store.path_for("c-1")
    path.write_text(path.read_text().replace("[client]\n", '[client]\n"\\u001b[2J\\n" = 1\n'))
    result = invoke(runner, "show", "c-1")
    assert result.exit_code == 3
    assert "\x1b" not in result.stderr and result.stderr.count("\n") == 1
    assert "\\u001b" in result.stderr


def test_note_with_secret_never_reaches_stderr_on_refusal(home: Path, runner: CliRunner) -> None:
    """A refused log (bad goal, bad text) names fields, never the note."""
    store = Store(home)
    client_with_goal(store)
    for args in (
        ("log", "c-1", "9", "5", "--note", f"{SECRET} note"),
        ("log", "c-1", "1", "5", "--note", f"{SECRET} \ud800"),
        ("edit-client", "c-1", "--name", f"{SECRET}\n"),
    ):
        result = invoke(runner, *args)
        assert result.exit_code == 1, args
        assert_private(result.stderr)
