"""The home's own settings files beside the clients (instruments.toml, templates.toml,
config.toml): read exactly, as a dump carries them, and written back when a dump is restored
(issue 16, item 1). Read as client files are, written through the store's atomic write.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from goaltrack.errors import CorruptFileError, StoragePermissionError
from goaltrack.paths import HOME_FILES
from goaltrack.storage.diskio import atomic_write, os_error


def read_home_file(home: Path, name: str) -> str | None:
    """The exact text of one of the home's settings files (HOME_FILES), None when absent.

    Read as client files are: never through a link, a regular file only, UTF-8 (else a
    DataError naming the file)."""
    if name not in HOME_FILES:
        raise ValueError(f"not a home settings file: {name}")
    path = home / name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise os_error(str(path), "read", error) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StoragePermissionError(f"{path}: not a regular file; refusing")
            raw = handle.read()
    except OSError as error:
        raise os_error(str(path), "read", error) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFileError(f"{path}: not valid UTF-8") from None


def write_home_file(home: Path, name: str, text: str) -> None:
    """Write one of the home's settings files (a restore), atomically and 0600."""
    if name not in HOME_FILES:
        raise ValueError(f"not a home settings file: {name}")
    atomic_write(home / name, text.encode("utf-8"))
