"""Crash: writers SIGKILLed at random moments never leave a broken or incomplete file (issue 6).

After each kill the file parses, holds every entry the writer acknowledged, and the next write
clears any orphaned temp file.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from goaltrack.storage.store import Store
from helpers import (
    HANG_GUARD,
    SECRET,
    assert_private,
    client_with_goal,
    entry_ids_on_disk,
    fork,
    kill,
    log_and_ack,
    read_acks,
    record,
    temp_files,
)

pytestmark = pytest.mark.slow  # 200 forked writers and 12 CLI processes SIGKILLed

CYCLES = 200
CLIENTS = 10  # the kills rotate over ten clients, so no file grows without bound


def _writer(home: Path, client_id: str, ack: Path) -> None:
    store = Store(home, lock_timeout=HANG_GUARD)
    fd = os.open(ack, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for i in range(10_000):
        log_and_ack(store, client_id, i, f"{SECRET} crash test {i}", fd)


def test_sigkill_at_random_moments_loses_no_acknowledged_entry(home: Path) -> None:
    """200 writers SIGKILLed at random: file parses, acked entries kept, orphans cleared."""
    rng = random.Random(6)
    store = Store(home)
    ids = [f"c-{n}" for n in range(CLIENTS)]
    for client_id in ids:
        client_with_goal(store, client_id)
    acked: dict[str, set[str]] = {client_id: set() for client_id in ids}
    orphans = 0
    for cycle in range(CYCLES):
        client_id = ids[cycle % CLIENTS]
        ack = home / f"ack-{cycle}.txt"
        pid = fork(lambda c=client_id, a=ack: _writer(home, c, a))
        time.sleep(rng.uniform(0.0, 0.05))
        kill(pid)
        acked[client_id].update(read_acks(ack))
        present = entry_ids_on_disk(store, client_id)  # parses and validates
        assert len(present) == len(set(present))
        assert acked[client_id] <= set(present), f"cycle {cycle} lost an acknowledged entry"
        if temp_files(store):
            orphans += 1
            log_and_ack(store, client_id, 0, "after the crash", os.open(os.devnull, os.O_WRONLY))
            assert temp_files(store) == [], "the next write did not clear the orphan"
    record("crash: writers SIGKILLed at a random moment", CYCLES)
    record("crash: kills that left an orphaned temp file (cleared by the next write)", orphans)
    record("crash: acknowledged entries verified after kills", sum(map(len, acked.values())))


def test_sigkill_of_cli_log_processes(home: Path) -> None:
    """`goaltrack log` processes killed at random moments: file parses, no traceback."""
    rng = random.Random(7)
    store = Store(home)
    client_with_goal(store)
    acked: set[str] = set()
    for _ in range(12):
        process = subprocess.Popen(
            [sys.executable, "-m", "goaltrack", "log", "c-1", "1", "5", "--note", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdin is not None and process.stdout and process.stderr
        process.stdin.write(f"{SECRET} killed note".encode())
        process.stdin.close()
        time.sleep(rng.uniform(0.1, 0.5))
        process.kill()
        process.wait()
        out, err = process.stdout.read(), process.stderr.read()
        assert_private(err)
        if process.returncode == 0:
            acked.add(out.decode().strip())
        present = entry_ids_on_disk(store)
        assert acked <= set(present)
    record("crash: goaltrack log processes SIGKILLed", 12)
    store.update("c-1", lambda r: None)
    assert temp_files(store) == []
