"""Commit each change of a sync-enabled home: the write's client file and the audit log.

The store calls `after_write` after every successful write, still under the client's lock, so
commits follow the order of the writes. A home that does not use sync pays one `stat` (is
there a `.git` folder?) and starts no process. A sync-enabled home (`goaltrack sync init` set
`goaltrack.sync = true` in its git config; `goaltrack.autocommit = false` opts out) gets one
commit per change, whose message is built from what the write touched only: the command, the
client id, goal numbers and counts (`log c-1042 goal 1: 1 entry`), never a name, title, note or
concern. A commit that fails leaves the change in place (it is written, audited and valid): a
warning says so, and the next `goaltrack sync` commits it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from goaltrack.paths import CLIENT_SUFFIX

if TYPE_CHECKING:
    from goaltrack.sync.git import Git

#: Held around goaltrack's own git commands in a home: git's index admits one writer at once.
COMMIT_LOCK = "goaltrack-commit.lock"
#: Seconds a write waits for a running `sync` before it leaves its commit to the next sync
#: (the write holds its client's lock meanwhile, and sync may be waiting for that lock).
COMMIT_WAIT = 5.0


def commit_message(command: str, client_id: str, goals: Sequence[int], entries: int) -> str:
    """The message of a change's commit: command, client id, goal numbers, entry count."""
    message = f"{command} {client_id}"
    if goals:
        label = "goal" if len(goals) == 1 else "goals"
        message += f" {label} {','.join(str(number) for number in goals)}"
    if entries:
        message += f": {entries} {'entry' if entries == 1 else 'entries'}"
    return message


def after_write(
    home: Path, client_id: str, command: str, goals: Sequence[int], entries: int
) -> None:
    """Commit a client's file and the audit log when the home syncs (else: one stat, no more).

    Never raises for a git failure: the write stands, a warning is queued, sync catches up.
    """
    if not (home / ".git").is_dir():
        return
    from goaltrack.storage import audit
    from goaltrack.sync.git import Git, SyncError

    try:
        git = Git(home)
        settings = _settings(git)
        if settings.get("goaltrack.sync") != "true" or settings.get("goaltrack.autocommit") in (
            "false",
            "no",
            "off",
            "0",
        ):
            return
        message = commit_message(command, client_id, goals, entries)
        with git_lock(home, timeout=COMMIT_WAIT):
            git.commit_paths(message, [f"clients/{client_id}{CLIENT_SUFFIX}", "audit.log"])
    except (SyncError, OSError, TimeoutError) as error:
        audit.add_warning(
            f"the change was written but not committed to git ({error}); "
            "`goaltrack sync` will commit it"
        )


def _settings(git: Git) -> dict[str, str]:
    """The repository's goaltrack.* settings, in one git call."""
    done = git.call("config", "--get-regexp", r"^goaltrack\.")
    found = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(" ")
        found[key.lower()] = value.strip().lower()
    return found


@contextlib.contextmanager
def git_lock(home: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the home's goaltrack git lock (in .git, so it is never committed or synced);
    TimeoutError when `timeout` seconds pass first (None: wait as long as it takes)."""
    fd = os.open(
        home / ".git" / COMMIT_LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
    )
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError("a sync is running") from None
                    time.sleep(0.02)
        yield
    finally:
        os.close(fd)
