"""Fault injection: every I/O step of a write fails in turn (issue 6).

Each os.open, mkstemp, fchmod, write, fsync, close and replace of a `goaltrack log` is made to
fail with ENOSPC, EIO, EACCES and EROFS in turn. Whatever fails, the old file is intact or the
new one complete, no temp file remains, a failed command exits 3 with one line that quotes no
client text, and an exit 0 means the entry is on disk.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    temp_files,
)

ERRNOS = (errno.ENOSPC, errno.EIO, errno.EACCES, errno.EROFS)
STEPS = ("open", "mkstemp", "fchmod", "write", "fsync", "close", "replace")
LOG = ("log", "c-1", "1", "5", "--note", f"{SECRET} fault note")


class Injector:
    """Wraps the I/O functions the store uses; fails the k-th call of one of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        self.trace: list[tuple[str, Any]] = []
        self.fail: tuple[str, int, int] | None = None
        self.replaced = False
        self.fault_after_replace: bool | None = None
        self.temp_fds: set[int] = set()
        self.fd_label: dict[int, str] = {}
        for name in STEPS:
            module: Any = tempfile if name == "mkstemp" else os
            monkeypatch.setattr(module, name, self._wrap(name, getattr(module, name)))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if self.fail and self.fail[0] == name and self.fail[1] == self.calls[name]:
                self.fault_after_replace = self.replaced
                if name == "close":
                    real(*args, **kwargs)  # a failed close still closes the descriptor
                raise OSError(self.fail[2], os.strerror(self.fail[2]))
            target = args[0] if args else None
            if name in ("write", "fsync"):
                target = self.fd_label.get(target, "other")
            result = real(*args, **kwargs)
            if name == "mkstemp":
                self.temp_fds.add(result[0])
                self.fd_label[result[0]] = "temp"
            if name == "open":
                self.fd_label[result] = str(target)
            if name == "replace":
                self.replaced = True
            self.trace.append((name, target))
            return result

        return wrapper

    def reset(self, fail: tuple[str, int, int] | None) -> None:
        self.calls.clear()
        self.trace.clear()
        self.fail = fail
        self.replaced = False
        self.fault_after_replace = None
        self.temp_fds.clear()
        self.fd_label.clear()


def test_every_io_step_failing_leaves_old_or_new_file(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each I/O call of a write fails in turn with 4 errnos: old intact or new complete."""
    store = Store(home)
    client_with_goal(store)
    path = store.path_for("c-1")
    injector = Injector(monkeypatch)
    injector.reset(None)
    assert invoke(runner, *LOG).exit_code == 0
    counts = dict(injector.calls)
    assert counts["replace"] == 1 and counts["mkstemp"] == 1
    faults = 0
    for step, total in sorted(counts.items()):
        for k in range(1, total + 1):
            for code in ERRNOS:
                before = path.read_bytes()
                entries_before = len(store.load("c-1").goals[0].progress)
                injector.reset((step, k, code))
                result = invoke(runner, *LOG)
                after_replace = injector.fault_after_replace
                injector.reset(None)
                faults += 1
                case = f"{step} #{k} {errno.errorcode[code]}"
                assert_private(result.stderr)
                assert temp_files(store) == [], case
                entries_after = len(store.load("c-1").goals[0].progress)  # parses
                assert after_replace is not None, f"{case}: the fault never fired"
                if not after_replace:
                    assert path.read_bytes() == before, case
                    assert result.exit_code == 3, case
                else:
                    assert entries_after == entries_before + 1, case
                    assert "old file is intact" not in result.stderr, case
                    assert result.exit_code in (0, 3), case
                if result.exit_code == 0:
                    assert result.stdout.strip() in store.load("c-1").entry_ids(), case
                else:
                    assert result.stderr.count("\n") == 1, case
                    assert result.stderr.startswith("goaltrack: error: "), case
    record("faults injected into I/O steps of a write (CLI in-process)", faults)
    assert faults >= 4 * 12


def test_write_path_syscall_order(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The write path is: write temp, fsync temp, replace, fsync folder — in that order."""
    store = Store(home)
    client_with_goal(store)
    injector = Injector(monkeypatch)
    injector.reset(None)
    store.update("c-1", lambda r: setattr(r.client, "name", "Sam"))
    folder = str(store.clients_dir)
    order = []
    for name, target in injector.trace:
        if name == "write" and target == "temp":
            order.append("write")
        elif name == "fsync" and target in ("temp", folder):
            order.append({"temp": "fsync(file)", folder: "fsync(dir)"}[target])
        elif name == "replace":
            order.append("replace")
    assert order == ["write", "fsync(file)", "replace", "fsync(dir)"]


def test_short_writes_still_write_the_whole_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An os.write that takes 7 bytes at a time still produces the complete file."""
    store = Store(home)
    client_with_goal(store)
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:7])))
    store.update("c-1", lambda r: setattr(r.client, "notes", "x" * 500))
    monkeypatch.undo()
    assert store.load("c-1").client.notes == "x" * 500


def test_a_write_that_accepts_nothing_fails_instead_of_hanging(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.write returning 0 forever is an I/O error, not an endless loop."""
    store = Store(home)
    client_with_goal(store)
    before = store.path_for("c-1").read_bytes()
    monkeypatch.setattr(os, "write", lambda fd, data: 0)
    with pytest.raises(Exception) as caught:
        store.update("c-1", lambda r: setattr(r.client, "notes", "y"))
    monkeypatch.undo()
    assert getattr(caught.value, "exit_code", None) == 3
    assert store.path_for("c-1").read_bytes() == before
    assert temp_files(store) == []


FAULT_SCRIPT = """
import errno, os, sys
step, code = sys.argv[1], getattr(errno, sys.argv[2])
real = getattr(os, step)
def failing(*args, **kwargs):
    if step != "fsync" or failing.seen:
        raise OSError(code, os.strerror(code))
    failing.seen = True
    return real(*args, **kwargs)
failing.seen = step != "fsync" or sys.argv[3] == "file"
setattr(os, step, failing)
from goaltrack.cli.app import main
sys.argv = ["goaltrack", *sys.argv[4:]]
main()
"""


@pytest.mark.parametrize(
    ("step", "code", "which", "changed"),
    [
        ("replace", "EROFS", "-", False),
        ("replace", "ENOSPC", "-", False),
        ("fsync", "EIO", "file", False),
        ("fsync", "EIO", "dir", True),
    ],
)
def test_fault_in_a_real_process(
    home: Path, step: str, code: str, which: str, changed: bool
) -> None:
    """In a real `goaltrack log` process a failing step gives exit 3 and one clean line."""
    store = Store(home)
    client_with_goal(store)
    before = store.path_for("c-1").read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", FAULT_SCRIPT, step, code, which, *LOG],
        capture_output=True,
        text=True,
        check=False,
        timeout=HANG_GUARD,
    )
    assert_private(done.stderr)
    assert done.returncode == 3
    # one error line; the failing disk may also cost the audit line, which is a warning
    first, *others = done.stderr.splitlines()
    assert first.startswith("goaltrack: error: ")
    assert all(line.startswith("goaltrack: warning: ") for line in others)
    assert (store.path_for("c-1").read_bytes() != before) is changed
    assert temp_files(store) == []
    record("faults injected in real goaltrack processes", 1)
