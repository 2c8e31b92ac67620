"""Where goaltrack's data lives and which names are safe there.

A leaf module with no heavy imports: shell completion and the store both use it, and
completion runs on every TAB press, so it must not load pydantic.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from goaltrack.errors import StoragePermissionError

HOME_ENV = "GOALTRACK_HOME"
CLIENT_SUFFIX = ".toml"
#: The file that marks a folder as a goaltrack home: written when goaltrack first writes to a
#: home, so that `check --fix` (which changes modes and deletes temp files) acts only on a
#: folder goaltrack made, never on a mistyped `--home`.
HOME_MARKER = ".goaltrack-home"
#: The home's own settings files, beside the clients: a dump carries each one present, since
#: client files depend on them (a goal measured by a user instrument, a goal's template).
HOME_FILES = ("instruments.toml", "templates.toml", "config.toml")
HOME_MARKER_TEXT = (
    "# This folder is a goaltrack home: goaltrack wrote this file when it first wrote here.\n"
    "# `goaltrack check --fix` repairs only a folder that holds it. Keep it.\n"
)
#: Names Windows reserves for devices in every folder (`con`, `nul`, `com1`, ...): a client
#: file named so could not be copied to, or opened on, a Windows system.
WINDOWS_RESERVED_NAMES: frozenset[str] = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)
#: A client id (also its file name). One rule for every check: the lookahead refuses the
#: Windows device names, so the model, the converters, the store and the JSON Schema agree.
CLIENT_ID_PATTERN = re.compile(
    rf"(?!(?:{'|'.join(sorted(WINDOWS_RESERVED_NAMES))})$)[a-z0-9][a-z0-9_-]{{0,63}}"
)


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `--home` > $GOALTRACK_HOME > $XDG_DATA_HOME/goaltrack > ~/.local/share.

    A relative `XDG_DATA_HOME` is ignored, as the XDG Base Directory spec says: it would put
    the caseload wherever the command happens to be run from.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else None
    if base is None or not base.is_absolute():
        base = Path.home() / ".local" / "share"
    return base / "goaltrack"


def is_valid_client_id(value: object) -> bool:
    """True when `value` is a safe client id (also a safe file name on any system):
    re.fullmatch, ASCII only, not a Windows device name."""
    return isinstance(value, str) and CLIENT_ID_PATTERN.fullmatch(value) is not None


def require_usable_folder(folder: Path, info: os.stat_result | None = None) -> None:
    """Refuse (StoragePermissionError, exit 3) a folder its owner may not list, enter and
    write (mode 0300, 0500): every write would fail, and a list would miss clients.

    Decided by the mode bits, not by trying, so the answer is the same for root (whom the
    kernel lets through) as for the user who will run the next command.
    """
    try:
        mode = stat.S_IMODE((info or folder.stat()).st_mode)
    except OSError as error:
        raise list_error(folder, error) from None
    if mode & 0o700 != 0o700:
        raise StoragePermissionError(
            f"{folder} cannot be listed and written by you (mode {mode:04o}); "
            f"run: chmod 700 {folder}"
        )


def list_error(folder: Path, error: OSError) -> StoragePermissionError:
    """The one-line error (exit 3) for a folder that cannot be read or listed."""
    return StoragePermissionError(f"cannot list {folder}: {error.strerror or type(error).__name__}")
