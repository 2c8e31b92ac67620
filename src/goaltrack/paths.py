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
CLIENT_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `--home` > $GOALTRACK_HOME > $XDG_DATA_HOME/goaltrack > ~/.local/share."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "goaltrack"


def is_valid_client_id(value: object) -> bool:
    """True when `value` is a safe client id (also a safe file name): re.fullmatch, ASCII only."""
    return isinstance(value, str) and CLIENT_ID_PATTERN.fullmatch(value) is not None
