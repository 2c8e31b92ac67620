"""A client's history in git, undo, and the settling of conflicts: each through the store.

`history` lists the commits that touched a client's file; `undo` writes the version before the
last of them back through the store's one write path (locked, validated, audited, atomic),
which commits it in turn, so an undo is itself undone by the next `undo`. `resolve` settles the
conflicts a merge recorded by writing the chosen value the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goaltrack.errors import ClientNotFoundError, InvalidValueError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.sync import conflicts
from goaltrack.sync.git import SyncError
from goaltrack.sync.keys import set_at
from goaltrack.sync.repo import open_repository

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord, ProgressEntry


@dataclass(frozen=True)
class Revision:
    """One commit that touched a client's file."""

    commit: str
    when: str
    author: str
    message: str


def client_path(client_id: str) -> str:
    """A client file's path in the repository."""
    return f"clients/{client_id}{CLIENT_SUFFIX}"


def history(home: Path, client_id: str, limit: int | None = None) -> list[Revision]:
    """The commits that touched a client's file, newest first."""
    from goaltrack.records.convert import check_client_id

    check_client_id(client_id)
    git = open_repository(home)
    if not git.has_commits():
        return []
    args = ["log", "--format=%H%x00%aI%x00%an%x00%s"]
    if limit:
        args.append(f"--max-count={limit}")
    revisions = []
    for line in git.lines(*args, "--", client_path(client_id)):
        commit, when, author, message = line.split("\0", 3)
        revisions.append(Revision(commit, when, author, message))
    return revisions


@dataclass(frozen=True)
class Undone:
    """What `undo` did: the commit it reverted and the version it wrote back."""

    client_id: str
    reverted: str
    restored_from: str
    risks_removed: tuple[ProgressEntry, ...] = ()  # item-9 entries it removed (--force)


def undo(home: Path, client_id: str, *, force: bool = False) -> Undone:
    """Write back the client's file as it was before its last commit, through the store.
    An undo that would remove an entry raising the PHQ-9 item-9 flag is refused unless
    `force`, as `remove-entry` refuses one."""
    from goaltrack import operations
    from goaltrack.storage.fileformat import parse
    from goaltrack.storage.store import Store

    git = open_repository(home)
    store = Store(home)
    if not store.exists(client_id):
        raise ClientNotFoundError(f"no client {client_id!r} in {store.clients_dir}")
    path = client_path(client_id)
    if git.call("diff", "--quiet", "HEAD", "--", path).code != 0:
        raise SyncError(
            f"client {client_id} has changes not yet committed; run `goaltrack sync` first"
        )
    revisions = history(home, client_id, limit=1)
    if not revisions:
        raise InvalidValueError(f"client {client_id} has no history to undo")
    last = revisions[0].commit
    parent = f"{last}^1"
    shown = git.call("show", f"{parent}:{path}")
    if shown.code != 0:
        raise InvalidValueError(
            f"the last change of client {client_id} created it; undo does not delete a client"
        )
    previous = parse(shown.stdout, f"{path} at {parent[:12]}").record

    def restore(record: ClientRecord) -> list[ProgressEntry]:
        gone = operations.risk_entries_removed(record, previous, force=force)
        operations.replace_record(record, previous)
        return gone

    gone = store.update(client_id, restore)
    return Undone(client_id, last, git.run("rev-parse", parent).strip(), tuple(gone))


@dataclass(frozen=True)
class Settled:
    """What `resolve` did: the fields settled and the side (or value) each took."""

    client_id: str
    fields: list[str]
    took: str


def resolve(home: Path, client_id: str, take: str, where: str | None = None) -> Settled:
    """Settle a client's open conflicts (all, or the one at `where`): `ours` keeps the file as
    it is, `theirs` writes their value, anything else is the value to write (one field)."""
    from goaltrack import operations
    from goaltrack.records.model import ClientRecord
    from goaltrack.storage.store import Store

    items = conflicts.read(home, client_id)
    if where is not None:
        items = [item for item in items if item.where == where]
    if not items:
        known = ", ".join(item.where for item in conflicts.read(home, client_id)) or "none"
        raise InvalidValueError(
            f"client {client_id} has no open conflict{f' at {where}' if where else ''} "
            f"(open: {known})"
        )
    if take not in ("ours", "theirs") and len(items) > 1:
        raise InvalidValueError(
            f"client {client_id} has {len(items)} open conflicts; give --field to set a value"
        )
    if take != "ours":

        def change(record: ClientRecord) -> None:
            document = record.to_document()
            for item in items:
                value = item.theirs if take == "theirs" else _typed(take, item.ours, item.theirs)
                document = set_at(document, item.path, value)
            operations.replace_record(record, ClientRecord.model_validate(document))

        Store(home).update(client_id, change)
    conflicts.settle(home, client_id, items)
    return Settled(client_id, [item.where for item in items], take)


def _typed(text: str, ours: Any, theirs: Any) -> Any:
    """A value typed at the command line, as the kind of value the field holds."""
    from goaltrack.records.convert import parse_date, parse_number

    sample = ours if ours is not None else theirs
    if isinstance(sample, bool):
        if text.lower() not in ("true", "false"):
            raise InvalidValueError(f"{text!r}: must be true or false")
        return text.lower() == "true"
    if isinstance(sample, (int, float)):
        return parse_number(text)
    if isinstance(sample, date):
        return parse_date(text)
    if isinstance(sample, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(sample, dict):
        raise InvalidValueError("this conflict is about a whole item: take ours or theirs")
    return text
