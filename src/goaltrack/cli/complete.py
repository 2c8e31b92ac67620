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

from goaltrack.paths import CLIENT_SUFFIX, is_valid_client_id, resolve_home

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def home_for_completion(explicit: str | os.PathLike[str] | None) -> Path:
    """The home as the store finds it: `--home` > $GOALTRACK_HOME > XDG default."""
    return resolve_home(explicit)


def _clients_dir(ctx: Any) -> Path:
    home = ctx.find_root().params.get("home") if ctx is not None else None
    return home_for_completion(home) / "clients"


def _is_client_id(text: str) -> bool:
    return is_valid_client_id(text)


def client_ids(ctx: Any, incomplete: str) -> list[str]:
    """Client ids that start with what was typed, from the file names in the home."""
    try:
        names = os.listdir(_clients_dir(ctx))  # noqa: PTH208 - names only, fastest
    except Exception:  # completion must never fail loudly
        return []
    ids = (
        name[: -len(CLIENT_SUFFIX)]
        for name in names
        if name.endswith(CLIENT_SUFFIX) and not name.startswith(".")
    )
    return sorted(i for i in ids if i.startswith(incomplete) and _is_client_id(i))


def goal_numbers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Goal numbers of the client named earlier on the line, each with its title as help."""
    try:
        client_id = ctx.params.get("client_id")
        if not isinstance(client_id, str) or not _is_client_id(client_id):
            return []
        path = _clients_dir(ctx) / f"{client_id}{CLIENT_SUFFIX}"
        import tomllib  # only when completing: every command imports this module

        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found = []
        for goal in data.get("goals", []):
            number = goal.get("number")
            if goal.get("status") in ("achieved", "dropped"):  # hidden by default, as in show
                continue
            if isinstance(number, int) and str(number).startswith(incomplete):
                title = _UNPRINTABLE.sub(" ", str(goal.get("title", "")))[:60]
                found.append((number, title))
        return [(str(number), title) for number, title in sorted(found)]
    except Exception:  # completion must never fail loudly
        return []
