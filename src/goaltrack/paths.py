"""Where goaltrack's data lives and which names are safe there.

A leaf module with no heavy imports: shell completion and the store both use it, and
completion runs on every TAB press, so it must not load pydantic.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

HOME_ENV = "GOALTRACK_HOME"
CLIENT_SUFFIX = ".toml"
#: The file that marks a folder as a goaltrack home: written when goaltrack first writes to a
#: home, so that `check --fix` (which changes modes and deletes temp files) acts only on a
#: folder goaltrack made, never on a mistyped `--home`.
HOME_MARKER = ".goaltrack-home"
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
