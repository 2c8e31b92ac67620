"""The caseload index: a disposable cache of each client file's derived facts.

`index.sqlite3` in the home holds one row per client: the identity of the file the row was
derived from (inode, size, mtime_ns, ctime_ns) and the facts that commands looking across
clients need (storage/caseload.py derives them). The client TOML files stay the only source of
truth: a row is used only while the file's identity is exactly the one it was derived from,
so a hand edit, a `git pull`, a crash between a file write and its row, or a deleted index all
fall back to reading the file again. `os.utime` can put back a size and an mtime, never a
ctime: the ctime is part of the identity so that a hand edit that restores both is still seen.

Stdlib `sqlite3` in WAL mode: atomic transactions, concurrent readers beside one writer, and
a busy timeout for concurrent writers, with nothing to install; the index is read in one query.
Light on purpose (no Pydantic): a warm `clients` reads it without loading the models.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX_FILE = "index.sqlite3"
#: Bumped whenever the facts or the table change: an index of another version is rebuilt.
INDEX_VERSION = 4  # 2: goal title, schedule, episode, concern; client since, episode
#                    3: the goals column holds one goal per line (storage/facts.goals_text)
#                    4: client `latest` (attention as of a past day)
#: How long a connection waits for another writer of the index (seconds).
BUSY_TIMEOUT = 5.0

Identity = tuple[int, int, int, int]  # st_ino, st_size, st_mtime_ns, st_ctime_ns

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    id TEXT PRIMARY KEY,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    facts TEXT NOT NULL,
    goals TEXT NOT NULL
)
"""


def identity(info: os.stat_result) -> Identity:
    """The identity of a file as the index keys it: inode, size, mtime_ns and ctime_ns."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def index_path(home: Path) -> Path:
    """Where a home's index lives."""
    return home / INDEX_FILE


@dataclass(frozen=True)
class Row:
    """One client's row: the identity of the file it came from, and its facts."""

    client_id: str
    identity: Identity
    facts: dict[str, Any]
    goals_json: str | None = None  # per-goal facts as JSON text (read only when asked for)


class IndexUnavailable(Exception):
    """The index cannot be used (a link, another owner, a broken database): read the files."""


class Index:
    """An open connection to a home's index (use as a context manager)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def rows(self, with_goals: bool = False) -> dict[str, Row]:
        """Every row, by client id."""
        columns = "id, ino, size, mtime_ns, ctime_ns, facts" + (", goals" if with_goals else "")
        found = {}
        for values in self.connection.execute(f"SELECT {columns} FROM clients"):  # noqa: S608
            goals = values[6] if with_goals else None
            key: Identity = (values[1], values[2], values[3], values[4])
            found[values[0]] = Row(values[0], key, json.loads(values[5]), goals)
        return found

    def goals_of(self, client_id: str) -> tuple[Identity, str] | None:
        """One client's row identity and per-goal facts text, or None without a row."""
        values = self.connection.execute(
            "SELECT ino, size, mtime_ns, ctime_ns, goals FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
        if values is None:
            return None
        return (values[0], values[1], values[2], values[3]), values[4]

    def put(self, rows: Iterable[Row]) -> None:
        """Insert or replace rows, in one transaction."""
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO clients VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row.client_id,
                        *row.identity,
                        json.dumps(row.facts, separators=(",", ":")),
                        row.goals_json or "[]",
                    )
                    for row in rows
                ],
            )

    def drop(self, client_ids: Iterable[str]) -> None:
        """Delete the rows of these clients, in one transaction."""
        with self.connection:
            self.connection.executemany(
                "DELETE FROM clients WHERE id = ?", [(client_id,) for client_id in client_ids]
            )

    def clear(self) -> None:
        """Delete every row (a rebuild starts from nothing)."""
        with self.connection:
            self.connection.execute("DELETE FROM clients")


def open_index(home: Path, create: bool = True) -> Index | None:
    """Open (and, if `create`, make) the home's index; None when there is none to open.

    Refuses an index that is not a regular file owned by this user (IndexUnavailable): the
    caller then reads the files. An index of another INDEX_VERSION is emptied and re-stamped.
    """
    path = index_path(home)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create or not (home / "clients").is_dir():
            return None
        info = _create_private(path)
    except OSError as error:
        raise IndexUnavailable(str(error)) from None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        raise IndexUnavailable(f"{path} is not a regular file of this user")
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as error:
        raise IndexUnavailable(str(error)) from None
    try:
        _prepare(connection)
    except sqlite3.Error as error:
        connection.close()
        raise IndexUnavailable(str(error)) from None
    connection.isolation_level = "DEFERRED"  # `with connection:` is then one transaction
    return Index(connection)


def _create_private(path: Path) -> os.stat_result:
    """Create an empty index file 0600 (sqlite3 would create it with the umask's mode)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise IndexUnavailable(str(error)) from None
    try:
        os.fchmod(fd, 0o600)
        return os.fstat(fd)
    finally:
        os.close(fd)


def _prepare(connection: sqlite3.Connection) -> None:
    """WAL mode, and the table of this INDEX_VERSION (rebuilt from nothing if another)."""
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")  # a lost row is only re-derived
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == INDEX_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != INDEX_VERSION:
            connection.execute("DROP TABLE IF EXISTS clients")
            connection.execute(_SCHEMA)
            connection.execute(f"PRAGMA user_version={INDEX_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def opened(home: Path, create: bool = True) -> Iterator[Index | None]:
    """The home's index for the block, or None when there is none or it cannot be used."""
    try:
        index = open_index(home, create)
    except IndexUnavailable:
        index = None
    if index is None:
        yield None
        return
    with index:
        yield index


def remove(home: Path) -> None:
    """Delete the index and its WAL files (a rebuild, or `check --fix`)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{index_path(home)}{suffix}").unlink()
