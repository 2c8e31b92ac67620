"""Concurrency: parallel writers through the store and the CLI lose nothing (issue 6).

Two deliberately broken stores (no lock; a lock on the data file instead of the lock file)
run through the same procedure and are shown to LOSE updates: the check can fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goaltrack.errors import GoaltrackError
from goaltrack.storage.fileformat import LoadedRecord
from goaltrack.storage.store import Store
from helpers import (
    HANG_GUARD,
    SECRET,
    assert_private,
    client_with_goal,
    entry_ids_on_disk,
    fork,
    log_and_ack,
    read_acks,
    record,
    run_while_progressing,
    temp_files,
    wait_all,
)

pytestmark = (
    pytest.mark.slow
)  # 8 processes x 50 store updates, broken-lock controls, the CLI hammer

WORKERS = 8
UPDATES = 50


class SlowReadStore(Store):
    """The real store, with a pause between reading the file and writing it back."""

    def read(self, client_id: str) -> LoadedRecord:
        loaded = super().read(client_id)
        time.sleep(0.003)
        return loaded


class NoLockStore(SlowReadStore):
    """Broken: no lock at all around read-modify-write."""

    @contextlib.contextmanager
    def locked(self, client_id: str) -> Iterator[None]:
        yield


class DataFileLockStore(SlowReadStore):
    """Broken: flocks the data file itself, whose inode os.replace swaps under the lock."""

    @contextlib.contextmanager
    def locked(self, client_id: str) -> Iterator[None]:
        fd = os.open(self.path_for(client_id), os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _hammer(store_class: type[Store], home: Path, workers: int, updates: int) -> dict[str, int]:
    """Run `workers` processes of `updates` logs each; count acknowledged, present, lost."""
    store = Store(home)
    client_with_goal(store)
    acks = [home / f"acks-{n}.txt" for n in range(workers)]

    def work(n: int) -> None:
        worker_store = store_class(home, lock_timeout=HANG_GUARD)
        fd = os.open(acks[n], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for i in range(updates):
            with contextlib.suppress(GoaltrackError):
                log_and_ack(worker_store, "c-1", i, f"{SECRET} worker {n} update {i}", fd)

    codes = wait_all([fork(lambda n=n: work(n)) for n in range(workers)])
    assert codes == [0] * workers
    acked = [entry_id for path in acks for entry_id in read_acks(path)]
    present = entry_ids_on_disk(store)
    return {
        "acked": len(acked),
        "unique_acked": len(set(acked)),
        "present": len(present),
        "unique_present": len(set(present)),
        "lost": len(set(acked) - set(present)),
        "temp_files": len(temp_files(store)),
    }


def test_parallel_store_updates_lose_nothing(home: Path) -> None:
    """8 processes x 50 updates through Store.update: all present, ids unique, no temp files."""
    result = _hammer(Store, home, WORKERS, UPDATES)
    record("concurrency: store updates by 8 processes", result["acked"])
    assert result == {
        "acked": WORKERS * UPDATES,
        "unique_acked": WORKERS * UPDATES,
        "present": WORKERS * UPDATES,
        "unique_present": WORKERS * UPDATES,
        "lost": 0,
        "temp_files": 0,
    }
    events = [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]
    logged = [e for e in events if e["outcome"] == "ok" and e["entries"]]
    assert len(logged) == WORKERS * UPDATES


def test_slow_but_correct_store_loses_nothing(home: Path) -> None:
    """Control: the same pause between read and write is harmless with the real lock."""
    result = _hammer(SlowReadStore, home, WORKERS, 12)
    assert result["lost"] == 0 and result["present"] == WORKERS * 12


@pytest.mark.parametrize("broken", [NoLockStore, DataFileLockStore], ids=lambda c: c.__name__)
def test_broken_stores_lose_updates(broken: type[Store], tmp_path: Path) -> None:
    """The concurrency check can fail: each broken lock loses acknowledged updates."""
    losses = []
    for attempt in range(4):
        result = _hammer(broken, tmp_path / f"attempt-{attempt}", WORKERS, 12)
        losses.append(result["lost"])
        if result["lost"]:
            break
    record(f"concurrency: updates lost by broken {broken.__name__}", losses[-1])
    assert losses[-1] > 0, f"{broken.__name__} lost nothing in {len(losses)} attempts"


#: `goaltrack log` processes of the CLI hammer. With the lock removed from the store, 16 of them
#: through xargs -P8 already lost half their entries; 32 keep that margin at a third of the cost.
CLI_LOGS = 32


def test_parallel_cli_logs_through_xargs(home: Path) -> None:
    """32 `goaltrack log` processes via xargs -P8: every entry once, values and notes exact."""
    store = Store(home)
    client_with_goal(store)
    script = (
        f"seq {CLI_LOGS} | xargs -P8 -I{{}} {sys.executable} -m goaltrack log c-1 1 {{}} "
        f"--date 2026-10-01 --note '{SECRET} entry {{}}'"
    )
    # Progress-based: a loaded machine may take minutes; only a stall fails. Nor may a lock
    # wait decide the outcome, so the writers wait as long as it takes.
    done = run_while_progressing(["sh", "-c", script], env={"GOALTRACK_LOCK_TIMEOUT": "86400"})
    assert_private(done.stderr)
    assert done.returncode == 0, done.stderr[-500:]
    printed = done.stdout.split()
    present = entry_ids_on_disk(store)
    record("concurrency: goaltrack log processes via xargs -P8", len(printed))
    assert len(printed) == CLI_LOGS and len(set(printed)) == CLI_LOGS
    assert sorted(present) == sorted(printed)
    entries = store.load("c-1").goals[0].progress
    assert sorted(e.value for e in entries) == list(range(1, CLI_LOGS + 1))
    assert sorted(e.note or "" for e in entries) == sorted(
        f"{SECRET} entry {n}" for n in range(1, CLI_LOGS + 1)
    )
    assert sorted(p.name for p in store.clients_dir.iterdir()) == ["c-1.toml", "c-1.toml.lock"]
