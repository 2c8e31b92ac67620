"""The merge driver's work on files: read three versions, merge them by meaning, write ours.

git calls `goaltrack merge-file --driver %O %A %B %P` for every client file both sides
changed (.gitattributes, set up by `goaltrack sync init`); it can also be run by hand. The
merged text (validated, rendered by the one renderer) replaces OURS atomically; conflicts go
to the home's conflicts/ folder with both commit ids, and the outcome tells the caller to exit
non-zero so that git reports the file. A side that cannot be merged (a newer schema, a broken
file) leaves OURS exactly as it was, is noted for `goaltrack sync` in `.git/` and raises.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from goaltrack.errors import CorruptFileError, GoaltrackError, StoragePermissionError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.sync import conflicts
from goaltrack.sync.merge import Conflict, Renumbering
from goaltrack.sync.mergetext import merge_texts

#: Set by `goaltrack sync` for the driver: the commits being merged (ours, theirs).
OURS_ENV = "GOALTRACK_OURS_COMMIT"
THEIRS_ENV = "GOALTRACK_THEIRS_COMMIT"
#: Where the driver notes what `goaltrack sync` reports: files it refused, items it renumbered
#: (in .git/, one `KIND<TAB>TEXT` line each).
NOTES_FILE = "goaltrack-merge-notes"


@dataclass
class FileMerge:
    """What a merge of one client file did."""

    client_id: str | None
    conflicts: list[Conflict]
    renumbered: list[Renumbering]


def merge_file(
    base: Path, ours: Path, theirs: Path, label: str | None, home: Path | None
) -> FileMerge:
    """Merge THEIRS into OURS against BASE; write the result into OURS; record conflicts in
    `home`'s conflicts/ folder (when a home is given). Raises when a side cannot be merged,
    leaving OURS untouched."""
    from goaltrack.storage.diskio import atomic_write

    source = label or str(ours)
    try:
        merged = merge_texts(_read(base), _read(ours), _read(theirs), source=source)
    except GoaltrackError as error:
        if home is not None:
            _note(home, "refused", error.message)
        raise
    client_id = _client_id(label)
    atomic_write(ours, merged.text.encode("utf-8"))
    if home is not None:
        for change in merged.renumbered:
            _note(
                home,
                "renumbered",
                f"{client_id}: both sides added {change.where} {change.old}; one is now "
                f"{change.new}",
            )
    if merged.conflicts and home is not None and client_id is not None:
        ours_commit, theirs_commit = commit_ids(home)
        conflicts.record(home, client_id, merged.conflicts, ours_commit, theirs_commit)
        for conflict in merged.conflicts:
            _note(home, "conflict", f"{client_id}\t{conflict.where}")
    return FileMerge(client_id, merged.conflicts, merged.renumbered)


def _read(path: Path) -> str:
    """The text of one version (git hands the driver temp files; empty: no ancestor)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFileError(f"{path}: not valid UTF-8; nothing was merged") from None
    except OSError as error:
        raise StoragePermissionError(f"cannot read {path}: {error.strerror}") from None


def _client_id(label: str | None) -> str | None:
    """The client the file is about: its name under clients/ (git's %P), if it is one."""
    if label is None:
        return None
    name = Path(label).name
    if not name.endswith(CLIENT_SUFFIX):
        return None
    return name[: -len(CLIENT_SUFFIX)]


def commit_ids(home: Path) -> tuple[str, str]:
    """The commits being merged: from `goaltrack sync`, else HEAD and MERGE_HEAD as git has
    them (an unknown one is given as '')."""
    ours, theirs = os.environ.get(OURS_ENV, ""), os.environ.get(THEIRS_ENV, "")
    if ours and theirs:
        return ours, theirs
    from goaltrack.sync.git import Git, SyncError

    try:
        git = Git(home)
        ours = ours or git.call("rev-parse", "--verify", "--quiet", "HEAD").stdout.strip()
        theirs = theirs or git.call("rev-parse", "--verify", "--quiet", "MERGE_HEAD").stdout.strip()
    except SyncError:
        pass
    return ours, theirs


def notes_path(home: Path) -> Path:
    """The driver's notes in a home's .git folder."""
    return home / ".git" / NOTES_FILE


def _note(home: Path, kind: str, message: str) -> None:
    path = notes_path(home)
    if not path.parent.is_dir():
        return
    line = f"{kind}\t{' '.join(message.splitlines())}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def take_notes(home: Path) -> list[tuple[str, str]]:
    """The driver's notes since the last call, as (kind, text); the file is emptied."""
    path = notes_path(home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    path.unlink(missing_ok=True)
    notes = []
    for line in text.splitlines():
        kind, _, message = line.partition("\t")  # a conflict's message is CLIENT<TAB>FIELD
        if message:
            notes.append((kind, message))
    return notes
