"""Shell completion of client ids and goal numbers from the data (Typer `autocompletion=`).

Completers run on every TAB press, so they stay cheap: client ids come from a directory
listing, goal numbers from one client file parsed with tomllib (no model validation). They
never raise and never print: a broken file or a missing folder simply completes nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
_CLIENT_SUFFIX = ".toml"
#: Same as goaltrack.model.CLIENT_ID_PATTERN (a test pins them equal); repeated here because
#: importing the model loads pydantic, which would double the time of every TAB press.
_CLIENT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def home_for_completion(explicit: str | os.PathLike[str] | None) -> Path:
    """The home as goaltrack.store.resolve_home finds it (a test pins them equal), without
    importing the store: `--home` > $GOALTRACK_HOME > $XDG_DATA_HOME/goaltrack > ~/.local/share.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("GOALTRACK_HOME")
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "goaltrack"


def _clients_dir(ctx: Any) -> Path:
    home = ctx.find_root().params.get("home") if ctx is not None else None
    return home_for_completion(home) / "clients"


def _is_client_id(text: str) -> bool:
    return _CLIENT_ID.fullmatch(text) is not None


def client_ids(ctx: Any, incomplete: str) -> list[str]:
    """Client ids that start with what was typed, from the file names in the home."""
    try:
        names = os.listdir(_clients_dir(ctx))  # noqa: PTH208 - names only, fastest
    except Exception:  # completion must never fail loudly
        return []
    ids = (
        name[: -len(_CLIENT_SUFFIX)]
        for name in names
        if name.endswith(_CLIENT_SUFFIX) and not name.startswith(".")
    )
    return sorted(i for i in ids if i.startswith(incomplete) and _is_client_id(i))


def goal_numbers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Goal numbers of the client named earlier on the line, each with its title as help."""
    try:
        import tomllib

        client_id = ctx.params.get("client_id")
        if not isinstance(client_id, str) or not _is_client_id(client_id):
            return []
        path = _clients_dir(ctx) / f"{client_id}{_CLIENT_SUFFIX}"
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found = []
        for goal in data.get("goals", []):
            number = goal.get("number")
            if isinstance(number, int) and str(number).startswith(incomplete):
                title = _UNPRINTABLE.sub(" ", str(goal.get("title", "")))[:60]
                found.append((number, title))
        return [(str(number), title) for number, title in sorted(found)]
    except Exception:  # completion must never fail loudly
        return []
