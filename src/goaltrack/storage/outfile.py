"""Files the user asks for (a report, a chart picture): private, whole, never over a client file.

A report holds mental-health information like the client files do, so it is written the same
way: readable by the owner only (0600), atomically (a reader never sees half a report), and
never in place of a client file: a path in the caseload's clients folder, or any `.toml`
name (a client file's), is refused before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from goaltrack.errors import InvalidValueError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.storage.diskio import atomic_write


def check_output_path(path: Path, home: Path) -> Path:
    """`path`, when a report may be written there; InvalidValueError (exit 1) when it names a
    client file, a file in the clients folder, or a folder."""
    resolved = path.resolve()
    clients = (home / "clients").resolve()
    if (
        resolved.name.lower().endswith(CLIENT_SUFFIX)
        or path.name.lower().endswith(CLIENT_SUFFIX)
        or resolved.parent == clients
    ):
        raise InvalidValueError(
            f"{path} is a client file's name or place; write the report somewhere else"
        )
    if resolved.is_dir():
        raise InvalidValueError(f"{path} is a folder; give a file name")
    return path


def write_private(path: Path, text: str, home: Path) -> None:
    """Write `text` to `path` (UTF-8, mode 0600, atomically) after `check_output_path`."""
    check_output_path(path, home)
    folder = path.parent if str(path.parent) else Path(os.curdir)
    if not folder.is_dir():
        raise InvalidValueError(f"{folder} is not a folder; cannot write {path.name}")
    atomic_write(path, text.encode("utf-8"))
