"""The write lock of one client: an flock on the client's lock file (never on the data file,
whose inode each write replaces), taken with a timeout, and the temp files a dead writer left
behind, which only the lock's holder may delete.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from goaltrack.errors import LockTimeoutError
from goaltrack.paths import CLIENT_SUFFIX, list_error
from goaltrack.records.model import is_valid_client_id
from goaltrack.storage.diskio import TEMP_SUFFIX, os_error

#: The temp file of a write: `tempfile.mkstemp(prefix=".ID.toml.", suffix=".tmp")` puts 8
#: characters of a-z, 0-9 and '_' between them. Only a name of exactly this form is ever
#: treated as goaltrack's own (and deleted as an orphan); `.app.toml.build.tmp` is not.
TEMP_NAME = re.compile(
    rf"\.(?P<id>[a-z0-9][a-z0-9_-]{{0,63}}){re.escape(CLIENT_SUFFIX)}\.[a-z0-9_]{{8}}"
    rf"{re.escape(TEMP_SUFFIX)}"
)


def temp_file_client(name: str) -> str | None:
    """The client id whose write made a temp file of this exact name, else None."""
    match = TEMP_NAME.fullmatch(name)
    if match is None or not is_valid_client_id(match.group("id")):
        return None
    return match.group("id")


@contextlib.contextmanager
def flocked(lock_path: Path, client_id: str, timeout: float) -> Iterator[None]:
    """Hold the exclusive flock of a client's lock file (`lock_path`, created 0600 when
    missing) inside the block; LockTimeoutError after `timeout` seconds."""
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
        yield
    finally:
        with contextlib.suppress(OSError):  # the flock is released even if close fails
            os.close(fd)


def remove_orphans(clients_dir: Path, client_id: str) -> tuple[list[str], list[str]]:
    """Delete temp files left by a writer that died (only called while holding the lock);
    the names removed and the names that could not be (`goaltrack check` reports them)."""
    removed: list[str] = []
    kept: list[str] = []
    for path in orphan_paths(clients_dir, client_id):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            kept.append(path.name)
        else:
            removed.append(path.name)
    return removed, kept


def orphan_paths(clients_dir: Path, client_id: str) -> list[Path]:
    """Temp files of a client's writes (orphans unless a writer holds the lock)."""
    try:
        with os.scandir(clients_dir) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if temp_file_client(entry.name) == client_id
                and entry.is_file(follow_symlinks=False)
            )
    except OSError as error:
        raise list_error(clients_dir, error) from None
