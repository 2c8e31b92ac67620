"""The write lock of one client: an flock on the client's lock file (never on the data file,
whose inode each write replaces), taken with a timeout, and the temp files a dead writer left
behind, which only the lock's holder may delete.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from goaltrack.errors import LockTimeoutError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.storage.diskio import TEMP_SUFFIX, os_error


@contextlib.contextmanager
def client_lock(
    lock_path: Path, client_id: str, timeout: float, clients_dir: Path
) -> Iterator[None]:
    """Hold the client's write lock (the flock of `lock_path`) inside the block;
    LockTimeoutError after `timeout` seconds.

    Once it is held, temp files that a dead writer left behind in `clients_dir` are deleted:
    no live writer can own them.
    """
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise os_error(str(lock_path), "lock", error) from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"client {client_id!r} is locked by another goaltrack process; try again"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        remove_orphans(clients_dir, client_id)
        yield
    finally:
        with contextlib.suppress(OSError):  # the flock is released even if close fails
            os.close(fd)


def remove_orphans(clients_dir: Path, client_id: str) -> None:
    """Delete temp files left by a writer that died (only called while holding the lock)."""
    for path in orphan_paths(clients_dir, client_id):
        with contextlib.suppress(OSError):  # `goaltrack check` reports what could not go
            path.unlink()


def orphan_paths(clients_dir: Path, client_id: str) -> list[Path]:
    """Temp files of a client's writes (orphans unless a writer holds the lock)."""
    prefix = f".{client_id}{CLIENT_SUFFIX}."
    with os.scandir(clients_dir) as entries:
        return sorted(
            Path(entry.path)
            for entry in entries
            if entry.name.startswith(prefix)
            and entry.name.endswith(TEMP_SUFFIX)
            and entry.is_file(follow_symlinks=False)
        )
