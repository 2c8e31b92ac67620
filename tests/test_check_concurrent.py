"""`check` during real concurrent writes never calls a live writer's temp file an orphan, and
`check --fix` reports only what it removed (issue 16, item 6)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from goaltrack.storage.check import check_home
from goaltrack.storage.findings import FIXED, PROBLEM
from goaltrack.storage.store import Store
from helpers import HANG_GUARD, client_with_goal, record, temp_files

#: A writer that keeps each temp file on disk a few milliseconds before renaming it, and pauses
#: between writes, so that `check` often lists a temp file whose write then finishes (and
#: whose lock is free again) before `check` looks at it again.
WRITER = """
import os, sys, time
from pathlib import Path
from goaltrack.storage.store import Store

real_replace = os.replace
def slow_replace(src, dst):
    time.sleep(0.004)
    real_replace(src, dst)
os.replace = slow_replace

store, stop = Store(Path(sys.argv[1])), Path(sys.argv[2])
print("ready", flush=True)
n = 0
while not stop.exists():
    n += 1
    store.update("c-1", lambda record: setattr(record.client, "name", f"n{n}"))
    time.sleep(0.005)  # the lock is free between writes, as between real commands
print(n, flush=True)
"""

RUNS = 40


def _writer(home: Path, stop: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _stop(process: subprocess.Popen[str], stop: Path) -> int:
    stop.touch()
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 0, err
    return int(out.strip())


@pytest.mark.slow
@pytest.mark.parametrize("fix", [False, True], ids=["check", "check --fix"])
def test_no_false_orphan_during_concurrent_writes(
    home: Path, tmp_path: Path, fix: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 checks while a real process writes: no orphan problem, nothing claimed removed."""
    store = Store(home)
    client_with_goal(store)
    real_read = Store.read

    def slow_read(self: Store, client_id: str, **options: Any) -> Any:
        time.sleep(0.03)  # a large caseload: time passes between listing and looking again
        return real_read(self, client_id, **options)

    monkeypatch.setattr(Store, "read", slow_read)
    stop = tmp_path / "stop"
    writer = _writer(home, stop)
    seen_in_progress = 0
    try:
        for _ in range(RUNS):
            result = check_home(home, fix=fix)
            orphans = [f for f in result.findings if f.check == "orphan"]
            assert [f for f in orphans if f.status in (PROBLEM, FIXED)] == [], orphans
            seen_in_progress += len(orphans)
    finally:
        writes = _stop(writer, stop)
    assert writes > 0
    assert temp_files(store) == []
    record("check: runs during concurrent writes without a false orphan", RUNS)
    record("check: temp files of writes in progress seen (notice only)", seen_in_progress)


def test_fix_reports_exactly_the_orphans_it_removed(home: Path) -> None:
    """Two orphans of a dead writer: --fix lists both as removed, and they are gone."""
    store = Store(home)
    client_with_goal(store)
    names = [".c-1.toml.dead0001.tmp", ".c-1.toml.dead0002.tmp"]
    for name in names:
        (store.clients_dir / name).write_text("half")
    result = check_home(home, fix=True)
    removed = sorted(f.path for f in result.findings if f.status == FIXED and f.check == "orphan")
    assert removed == [f"clients/{name}" for name in names]
    assert temp_files(store) == []


def test_plain_check_reports_a_real_orphan(home: Path) -> None:
    """A temp file with no writer holding the lock is an orphan problem (fixable)."""
    store = Store(home)
    client_with_goal(store)
    (store.clients_dir / ".c-1.toml.dead0001.tmp").write_text("half")
    result = check_home(home)
    orphans = [(f.path, f.status, f.fixable) for f in result.findings if f.check == "orphan"]
    assert orphans == [("clients/.c-1.toml.dead0001.tmp", PROBLEM, True)]
    assert temp_files(store) == [".c-1.toml.dead0001.tmp"]
