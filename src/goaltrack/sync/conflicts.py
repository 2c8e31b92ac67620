"""The `conflicts/` folder of a home: what a merge could not decide, until it is settled.

One file per client (`conflicts/<client-id>.toml`, 0600 in a 0700 folder), one table per
conflicting field: where it is, both values, and both commit ids. The merge kept ours in the
client file; `check` and `show` report the conflicts until `goaltrack resolve`
settles them. The folder is per machine (git-ignored): the merge that found a conflict ran
here, and the resolution is an ordinary change, committed and synced like any other. The
values may hold clinical text, so the files are as private as client files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goaltrack.errors import CorruptFileError
from goaltrack.paths import CLIENT_SUFFIX

if TYPE_CHECKING:  # the merge itself is loaded only where a conflict is described or recorded:
    # `attention` and `clients` list this folder on every run
    from goaltrack.sync.keys import Path as KeyPath
    from goaltrack.sync.merge import Conflict

CONFLICTS_DIR = "conflicts"


@dataclass(frozen=True)
class Recorded:
    """A conflict as recorded: the field, both values (None: removed) and both commits."""

    path: KeyPath
    ours: Any
    theirs: Any
    ours_commit: str
    theirs_commit: str
    recorded: str

    @property
    def where(self) -> str:
        """The field for people: `goals[1].title`."""
        from goaltrack.sync.keys import describe

        return describe(self.path)


def conflicts_dir(home: Path) -> Path:
    """The conflicts folder of a home."""
    return home / CONFLICTS_DIR


def conflict_path(home: Path, client_id: str) -> Path:
    """The conflicts file of one client."""
    return conflicts_dir(home) / f"{client_id}{CLIENT_SUFFIX}"


def read(home: Path, client_id: str) -> list[Recorded]:
    """The open conflicts of one client (none when it has no file)."""
    from goaltrack.storage.tomltext import TomlError, read_toml

    path = conflict_path(home, client_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise CorruptFileError(f"{path}: cannot be read ({type(error).__name__})") from None
    try:
        document = read_toml(text)
    except TomlError:
        raise CorruptFileError(f"{path}: not valid TOML; settle it by hand or delete it") from None
    found = []
    for table in document.get("conflict", []):
        found.append(
            Recorded(
                path=tuple(table.get("path", [])),
                ours=table.get("ours"),
                theirs=table.get("theirs"),
                ours_commit=str(table.get("ours_commit", "")),
                theirs_commit=str(table.get("theirs_commit", "")),
                recorded=str(table.get("recorded", "")),
            )
        )
    return found


def all_open(home: Path) -> dict[str, list[Recorded]]:
    """Every client with open conflicts, by client id (sorted)."""
    folder = conflicts_dir(home)
    if not folder.is_dir():
        return {}
    found: dict[str, list[Recorded]] = {}
    for name in sorted(entry.name for entry in folder.iterdir()):
        if name.endswith(CLIENT_SUFFIX) and not name.startswith("."):
            client_id = name[: -len(CLIENT_SUFFIX)]
            recorded = read(home, client_id)
            if recorded:
                found[client_id] = recorded
    return found


def record(
    home: Path,
    client_id: str,
    conflicts: list[Conflict],
    ours_commit: str,
    theirs_commit: str,
) -> list[Recorded]:
    """Add conflicts of a merge to a client's file (a newer one of the same field replaces
    the older); returns what the file now holds."""
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    new = [Recorded(c.path, c.ours, c.theirs, ours_commit, theirs_commit, now) for c in conflicts]
    paths = {item.path for item in new}
    kept = [item for item in read(home, client_id) if item.path not in paths]
    _write(home, client_id, kept + new)
    return kept + new


def settle(home: Path, client_id: str, settled: list[Recorded]) -> None:
    """Remove settled conflicts from a client's file (the file goes when none is left)."""
    paths = {item.path for item in settled}
    left = [item for item in read(home, client_id) if item.path not in paths]
    _write(home, client_id, left)


def _write(home: Path, client_id: str, items: list[Recorded]) -> None:
    from goaltrack.storage.diskio import atomic_write
    from goaltrack.storage.tomltext import to_toml

    path = conflict_path(home, client_id)
    if not items:
        path.unlink(missing_ok=True)
        return
    folder = conflicts_dir(home)
    folder.mkdir(mode=0o700, exist_ok=True)
    tables = []
    for item in items:
        table: dict[str, Any] = {"where": item.where, "path": list(item.path)}
        if item.ours is not None:
            table["ours"] = item.ours
        if item.theirs is not None:
            table["theirs"] = item.theirs
        table.update(
            ours_commit=item.ours_commit, theirs_commit=item.theirs_commit, recorded=item.recorded
        )
        tables.append(table)
    atomic_write(path, to_toml({"conflict": tables}).encode("utf-8"))


def snapshot(home: Path) -> dict[str, bytes]:
    """The conflicts files as they are (taken before a merge that may be aborted)."""
    folder = conflicts_dir(home)
    if not folder.is_dir():
        return {}
    return {entry.name: entry.read_bytes() for entry in folder.iterdir() if entry.is_file()}


def restore(home: Path, taken: dict[str, bytes]) -> None:
    """Put the conflicts files back as a snapshot had them (a merge was aborted)."""
    from goaltrack.storage.diskio import atomic_write

    folder = conflicts_dir(home)
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file() and entry.name not in taken:
                entry.unlink()
    for name, data in taken.items():
        atomic_write(folder / name, data)
