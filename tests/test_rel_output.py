"""A change on disk is never reported as "no file was changed": stdout to a full device."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from goaltrack.storage.store import Store
from helpers import HANG_GUARD, client_with_goal, entry_ids_on_disk

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


def _to_full_device(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run goaltrack as a real process whose stdout is /dev/full (every write: ENOSPC)."""
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "goaltrack", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "GOALTRACK_HOME": str(home)},
            timeout=HANG_GUARD,
            check=False,
        )


def test_log_to_a_full_stdout_says_the_entry_was_written(home: Path) -> None:
    """`log > /dev/full`: the entry is stored once, exit 5, one line naming the entry."""
    store = Store(home)
    client_with_goal(store)
    result = _to_full_device(home, "log", "c-1", "1", "3")
    ids = entry_ids_on_disk(store)
    assert len(ids) == 1
    assert result.returncode == 5
    assert result.stderr == (
        f"goaltrack: error: entry {ids[0]} on goal 1 of c-1 was written; "
        "printing its id failed (No space left on device)\n"
    )


def test_add_goal_to_a_full_stdout_says_the_goal_was_written(home: Path) -> None:
    """`add-goal > /dev/full`: the goal is stored once, exit 5, one line naming the goal."""
    store = Store(home)
    client_with_goal(store)
    result = _to_full_device(home, "add-goal", "c-1", "coping", "Sleep")
    assert [goal.title for goal in Store(home).load("c-1").goals] == [
        "Use breathing skills",
        "Sleep",
    ]
    assert result.returncode == 5
    assert result.stderr == (
        "goaltrack: error: goal 2 of c-1 was written; "
        "printing its id failed (No space left on device)\n"
    )
