"""The store's calls to the file system, made safe: a file replaced atomically and durably
(temp file, fsync, rename, fsync of the folder), private folders created 0700, and an OSError
turned into a domain error that names the file and the reason only.

Bytes only: what a client file means is storage/fileformat.py, the write path storage/store.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from goaltrack.errors import StoragePermissionError, WriteFailedError

#: The ending of a temp file a write makes next to the file it replaces.
TEMP_SUFFIX = ".tmp"


def make_folder(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700, each entry made durable.

    `Path.mkdir(parents=True)` gives the parents the umask's mode (0777 under umask 000), and
    another user could then move the new home away; here every folder goaltrack creates is
    private. Folders that exist already are left exactly as they are.
    """
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    for new in reversed(missing):
        try:
            os.mkdir(new, 0o700)
        except FileExistsError:
            continue  # made meanwhile by another goaltrack process: checked by the caller
        fsync_folder(new.parent)  # make the new folder's own entry durable, as writes are


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (best effort: some file systems refuse it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes) -> os.stat_result:
    """Replace `path` with `data` durably: temp file, fsync, rename, fsync the folder.

    Returns the fstat of the file as written (before the rename), so the caseload index can
    tell that the file now in place is the one written."""
    folder = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise os_error(str(path), "write", error) from None
    try:
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:  # never loop forever on a device that accepts nothing
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
                view = view[written:]
            os.fsync(fd)
            info = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise os_error(str(path), "write", error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as error:
        # The new file is in place (readers see it) but may not survive a power loss.
        reason = error.strerror or type(error).__name__
        raise WriteFailedError(
            f"cannot sync {folder}: {reason}; the change was written but may not survive "
            "a power loss"
        ) from None
    return info


def os_error(source: str, action: str, error: OSError) -> StoragePermissionError | WriteFailedError:
    """Turn an OSError into a domain error that names the file and the reason only."""
    reason = error.strerror or type(error).__name__
    if error.errno == errno.ELOOP or isinstance(error, IsADirectoryError):
        return StoragePermissionError(f"{source}: not a regular file (symbolic link?); refusing")
    if isinstance(error, PermissionError):
        return StoragePermissionError(f"cannot {action} {source}: {reason}")
    return WriteFailedError(f"cannot {action} {source}: {reason}; the old file is intact")
