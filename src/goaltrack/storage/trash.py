"""The trash: a mistaken client's file moved aside, never deleted, and brought back on demand.

`delete-client ID --yes` renames `clients/ID.toml` to `trash/ID--STAMP.toml` inside the home
(a private 0700 folder; STAMP is the UTC time of the move), under the client's lock, with an
audit line; `restore ID` renames the newest trashed copy back, refusing to overwrite a client
of the same id. A rename within one file system is atomic: the file is either in `clients/`
or in `trash/`, never half in both and never gone. `check` lists what the trash holds.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from goaltrack.errors import ClientExistsError, ClientNotFoundError, StoragePermissionError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.records.convert import check_client_id
from goaltrack.storage import audit, index
from goaltrack.storage.store import Store

TRASH_FOLDER = "trash"
_NAME = re.compile(r"(?P<id>.+)--(?P<stamp>\d{8}T\d{12}Z)" + re.escape(CLIENT_SUFFIX))


@dataclass(frozen=True)
class Trashed:
    """A client file in the trash: whose, when it was moved there, and where it is."""

    client_id: str
    moved: datetime
    path: Path


def trash_dir(home: Path) -> Path:
    """Where a home keeps its trash."""
    return home / TRASH_FOLDER


def trashed(home: Path) -> list[Trashed]:
    """Every client file in the trash, oldest first (nothing when there is no trash)."""
    folder = trash_dir(home)
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            match = _NAME.fullmatch(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            moved = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            found.append(Trashed(match["id"], moved, Path(entry.path)))
    return sorted(found, key=lambda item: (item.moved, item.client_id))


def _private_trash(home: Path) -> Path:
    """The trash folder, created 0700 when missing; refused when it is not a private folder."""
    folder = trash_dir(home)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise StoragePermissionError(f"cannot create {folder}: {error.strerror}") from None
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise StoragePermissionError(f"{folder} is not a folder of this user; refusing to use it")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise StoragePermissionError(
            f"{folder} is open to other users; run: goaltrack check --fix (or: chmod 700 {folder})"
        )
    return folder


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_to_trash(store: Store, client_id: str) -> Path:
    """Move a client's file into the trash (under its lock, audited); returns the new path."""
    check_client_id(client_id)
    if not store.exists(client_id):
        raise ClientNotFoundError(f"no client {client_id!r} in {store.clients_dir}")
    store.ensure_home()
    folder = _private_trash(store.home)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{client_id}--{stamp}{CLIENT_SUFFIX}"
    attempt = audit.Attempt(store.home, client_id)
    try:
        with store.locked(client_id):
            attempt.open_log()
            store.path_for(client_id).rename(target)
            _sync_folder(store.clients_dir)
            _sync_folder(folder)
            attempt.finish(None)
    except BaseException as error:
        if not attempt.done:
            attempt.finish(error)
        raise
    with index.opened(store.home, create=False) as opened:
        if opened is not None:
            opened.drop([client_id])
    return target


def restore(store: Store, client_id: str) -> Trashed:
    """Bring the newest trashed copy of a client back (audited); refuses to overwrite one."""
    check_client_id(client_id)
    copies = [item for item in trashed(store.home) if item.client_id == client_id]
    if not copies:
        raise ClientNotFoundError(f"no client {client_id!r} in the trash ({trash_dir(store.home)})")
    newest = copies[-1]
    store.ensure_home()
    attempt = audit.Attempt(store.home, client_id)
    try:
        with store.locked(client_id):
            if store.exists(client_id):
                raise ClientExistsError(
                    f"client {client_id!r} exists; the trashed copy stays in the trash"
                )
            attempt.open_log()
            os.link(newest.path, store.path_for(client_id))  # never replaces a file
            newest.path.unlink()
            _sync_folder(store.clients_dir)
            _sync_folder(newest.path.parent)
            attempt.finish(None)
    except BaseException as error:
        if not attempt.done:
            attempt.finish(error)
        raise
    return newest
