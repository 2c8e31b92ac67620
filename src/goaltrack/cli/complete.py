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


def _client_document(ctx: Any) -> dict[str, Any]:
    """The raw TOML data of the client named earlier on the line ({} when there is none)."""
    client_id = ctx.params.get("client_id")
    if client_id is None:
        client_id = _typed_client_id(ctx)
    if not isinstance(client_id, str) or not _is_client_id(client_id):
        return {}
    import tomllib  # only when completing

    path = _clients_dir(ctx) / f"{client_id}{CLIENT_SUFFIX}"
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return data


def _typed_client_id(ctx: Any) -> str | None:
    """The first word after the command on the line being completed ($COMP_WORDS, which
    Click's bash, zsh and fish scripts set). Click leaves the client id unparsed when an
    option waits for its value at the end of the line (`add-goal c-1 --concern <TAB>`)."""
    import shlex

    words = shlex.split(os.environ.get("COMP_WORDS", ""))
    name = getattr(ctx, "info_name", None)
    if name not in words:
        return None
    for word in words[words.index(name) + 1 :]:
        if not word.startswith("-"):
            return word
    return None


def concern_names(ctx: Any, incomplete: str) -> list[str]:
    """The client's concern names that start with what was typed (ignoring case)."""
    try:
        concerns = _client_document(ctx).get("client", {}).get("concerns", [])
        names = [str(c.get("name", "")) for c in concerns if isinstance(c, dict)]
        return [
            name
            for name in names
            if name.casefold().startswith(incomplete.casefold()) and not _UNPRINTABLE.search(name)
        ]
    except Exception:  # completion must never fail loudly
        return []


def objective_numbers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Objective numbers of the goal named earlier on the line, each with its text as help."""
    try:
        goal_number = ctx.params.get("goal")
        for goal in _client_document(ctx).get("goals", []):
            if goal.get("number") != goal_number:
                continue
            found = []
            for item in goal.get("objectives", []):
                number = item.get("number")
                if isinstance(number, int) and str(number).startswith(incomplete):
                    text = _UNPRINTABLE.sub(" ", str(item.get("text", "")))[:60]
                    found.append((number, text))
            return [(str(number), text) for number, text in sorted(found)]
        return []
    except Exception:  # completion must never fail loudly
        return []


def template_keys(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Template keys (built-in and the user's templates.toml), each with its title as help.

    Read with tomllib, without validation: a broken user file completes the built-ins only.
    """
    import tomllib  # only when completing
    from importlib import resources

    found: dict[str, str] = {}
    try:
        text = resources.files("goaltrack").joinpath("data", "templates.toml").read_text("utf-8")
        found.update(_titles(tomllib.loads(text)))
        home = ctx.find_root().params.get("home") if ctx is not None else None
        user = home_for_completion(home) / "templates.toml"
        if user.is_file():
            found.update(_titles(tomllib.loads(user.read_text(encoding="utf-8"))))
    except Exception:  # completion must never fail loudly: what was read is offered
        found = found or {}
    return [(key, title) for key, title in found.items() if key.startswith(incomplete)]


def _titles(document: dict[str, Any]) -> dict[str, str]:
    return {
        str(key): _UNPRINTABLE.sub(" ", str(table.get("title", "")))[:60]
        for key, table in document.items()
        if isinstance(table, dict)
    }
