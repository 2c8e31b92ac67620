"""What `goaltrack check --fix` may touch, and how it makes sure: it acts only on a folder
goaltrack made (`home_sign`), chmods only through a descriptor that is still the file checked
and has one link (`fchmod_checked`), and calls a temp file orphaned only while it holds the
client's lock (`orphans_under_lock`). Issue 16, items 4 and 6; storage/check.py reports.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from pathlib import Path

from goaltrack.errors import ClientNotFoundError, DataError, SchemaTooNewError
from goaltrack.paths import HOME_MARKER
from goaltrack.storage.audit import AUDIT_FILE
from goaltrack.storage.store import Store

NOT_A_HOME = (
    "not a goaltrack home (no {marker} file, no audit.log, no client files): --fix changed "
    "nothing here; check --home or GOALTRACK_HOME"
)


def home_sign(home: Path) -> str | None:
    """Why `home` is a goaltrack home, or None: "marker" when it holds HOME_MARKER; "older"
    when it has no marker but an audit log, or a clients folder whose every client file (at
    least one) reads as one (a home made before markers); None for any other folder."""
    if _is_own_regular_file(home / HOME_MARKER):
        return "marker"
    if _is_own_regular_file(home / AUDIT_FILE):
        return "older"
    store = Store(home)
    try:
        ids = store.client_ids()
        for client_id in ids:
            with contextlib.suppress(SchemaTooNewError):  # a client file, of a newer version
                store.read(client_id)
    except (DataError, ClientNotFoundError, OSError):
        return None
    return "older" if ids else None


def _is_own_regular_file(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()


HARD_LINKS = (
    "has {links} hard links: another name for it may be outside the home, so --fix does not "
    "chmod it; remove the other link (the next write of a client file replaces it anyway)"
)


def fchmod_checked(path: Path, mode: int, follow: bool, expected: os.stat_result) -> None:
    """chmod through a descriptor opened without following links, and only if it is still
    the file that was checked (same inode, one link, ours): no race with a swap or a link."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        same = (info.st_dev, info.st_ino) == (expected.st_dev, expected.st_ino)
        linked = not stat.S_ISDIR(info.st_mode) and info.st_nlink != 1
        if not same or linked or info.st_uid != os.geteuid():
            raise OSError(errno.EAGAIN, "the file changed while it was checked; run check again")
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def orphans_under_lock(store: Store, client_id: str) -> list[str]:
    """The client's temp files that exist while `check` holds a shared lock on the client's
    lock file (no writer can hold it then, so each is an orphan). BlockingIOError when a
    writer holds the lock; without a lock file no writer ever ran, so no lock is needed. The
    lock file is opened read-only and never created: a check without --fix writes nothing."""
    try:
        fd = os.open(
            store.lock_path_for(client_id),
            os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
        )
    except FileNotFoundError:
        return [path.name for path in store.orphan_paths(client_id)]
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # BlockingIOError: a write in progress
        return [path.name for path in store.orphan_paths(client_id)]
    finally:
        os.close(fd)  # releases the shared lock
