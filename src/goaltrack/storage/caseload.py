"""The caseload: every client's derived facts, through the index or straight from the files.

A client's facts (`client_facts`) are what commands looking across clients need: what
`clients` shows in every format (incl. concern severities and the open item-9 flag) and, per
goal, the inputs of a goal summary (dates and values, never verdicts that depend on the day
they are read: stale and overdue are computed when read). They are derived from a parsed
record only, so the index and a full scan give the same answers by construction.

`read_caseload` lists the clients folder, keeps the index rows whose file identity is
unchanged, and re-reads only the other files (in parallel when there are many), updating their
rows. A file that does not read or validate is reported exactly as a full scan reports it and
never cached. The cold path never holds more than one parsed record per process: each
client's facts are computed and the record dropped.

Light at the top: the models (Pydantic) are imported only when a file has to be read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goaltrack.errors import GoaltrackError, StoragePermissionError
from goaltrack.paths import (
    CLIENT_SUFFIX,
    is_valid_client_id,
    list_error,
    require_usable_folder,
)
from goaltrack.storage import facts, index
from goaltrack.storage.index import Identity, Row

#: Below this many files to read, one process reads them (a pool costs more than it saves).
PARALLEL_MIN = 48
#: At most this many worker processes (and never more than the machine's cores).
MAX_WORKERS = 4
#: Rows written to the index per transaction while rebuilding (bounds what is held at once).
BATCH = 256


@dataclass(frozen=True)
class Derived:
    """One client file read: its facts (and per-goal facts as JSON) or why it could not be."""

    client_id: str
    facts: dict[str, Any] | None = None
    goals_json: str | None = None
    identity: Identity | None = None  # None: the file changed while read, so not cacheable
    error: GoaltrackError | None = None


@dataclass
class Caseload:
    """Every readable client's facts (by client id) and the files that could not be read."""

    facts: list[dict[str, Any]] = field(default_factory=list)
    goals: dict[str, str] = field(default_factory=dict)  # per-goal facts as JSON, when asked
    problems: list[GoaltrackError] = field(default_factory=list)
    from_index: int = 0  # how many rows were used as they were
    read: int = 0  # how many files were parsed


# ---- reading files --------------------------------------------------------------------


def list_clients(home: Path) -> list[tuple[str, os.stat_result | None]]:
    """Every client file's id and lstat (None if it vanished), sorted by id, as Store lists."""
    clients_dir = home / "clients"
    for folder in (home, clients_dir):
        if folder.exists() and not folder.is_dir():
            raise StoragePermissionError(
                f"{folder} is not a folder; check --home or GOALTRACK_HOME"
            )
    if not clients_dir.is_dir():
        return []
    require_usable_folder(clients_dir)
    found = []
    try:
        entries = os.scandir(clients_dir)
    except OSError as error:
        raise list_error(clients_dir, error) from None
    with entries:
        for entry in entries:
            name = entry.name
            if not name.endswith(CLIENT_SUFFIX) or name.startswith("."):
                continue
            client_id = name[: -len(CLIENT_SUFFIX)]
            if not is_valid_client_id(client_id):
                continue
            try:
                info: os.stat_result | None = entry.stat(follow_symlinks=False)
            except OSError:
                info = None
            found.append((client_id, info))
    return sorted(found, key=lambda item: item[0])


def derive(home: Path, client_id: str, with_goals: bool = True) -> Derived:
    """Read one client's file as the store reads it, and derive its facts.

    The identity is kept only when the file's lstat is the same before and after the read,
    so a row never pairs one version's facts with another version's identity.
    """
    from goaltrack.errors import ClientNotFoundError, DataError
    from goaltrack.storage.store import Store

    store = Store(home, lock_timeout=0.0)
    path = store.path_for(client_id)
    try:
        before = index.identity(os.lstat(path))
    except OSError:
        before = None
    try:
        record = store.load(client_id)
    except (DataError, ClientNotFoundError) as error:
        return Derived(client_id, error=error)
    try:
        after = os.lstat(path)
    except OSError:
        after = None
    stable = after is not None and stat.S_ISREG(after.st_mode) and index.identity(after) == before
    return Derived(
        client_id,
        facts=facts.client_facts(record),
        goals_json=facts.goals_text(record) if with_goals else None,
        identity=before if stable else None,
    )


def _derive_with_goals(job: tuple[Path, str]) -> Derived:
    return derive(job[0], job[1], with_goals=True)


def _derive_without_goals(job: tuple[Path, str]) -> Derived:
    return derive(job[0], job[1], with_goals=False)


def derive_many(home: Path, client_ids: Sequence[str], with_goals: bool) -> Iterator[Derived]:
    """`derive` for each client, in order: in a process pool when there are many files.

    Each worker holds one record at a time and sends back only the facts; results come back
    in the order asked, so problems are reported in the order a full scan reports them.
    """
    worker = _derive_with_goals if with_goals else _derive_without_goals
    jobs = [(home, client_id) for client_id in client_ids]
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(jobs) < PARALLEL_MIN or workers < 2:
        yield from map(worker, jobs)
        return
    import multiprocessing  # only a cold read pays for the pool
    from concurrent.futures import ProcessPoolExecutor

    from goaltrack.storage import store as _  # noqa: F401 -- loaded once, before the fork

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(worker, jobs)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(jobs) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(worker, jobs, chunksize=chunk)


# ---- the caseload ------------------------------------------------------------------------


def read_caseload(home: Path, use_index: bool = True, with_goals: bool = False) -> Caseload:
    """Every client's facts, sorted by id, and an error per unreadable file (as a scan).

    `with_goals` adds each client's per-goal facts (JSON text, by client id) for `attention`.

    With `use_index`, rows whose file is unchanged are used as they are; other files are read
    and their rows refreshed; rows of deleted files are dropped. Without it (or when the index
    cannot be used) every file is read and nothing is written.
    """
    listing = list_clients(home)
    if use_index:
        with contextlib.suppress(sqlite3.Error), index.opened(home) as opened:
            if opened is not None:
                return _through_index(home, listing, opened, with_goals)
    result = Caseload()
    for derived in derive_many(home, [client_id for client_id, _ in listing], with_goals):
        _collect(result, derived)
    return result


def _through_index(
    home: Path,
    listing: list[tuple[str, os.stat_result | None]],
    opened: index.Index,
    with_goals: bool = False,
) -> Caseload:
    rows = opened.rows(with_goals)
    present = {client_id for client_id, _ in listing}
    stale = [client_id for client_id in rows if client_id not in present]
    wanted = []
    for client_id, info in listing:
        row = rows.get(client_id)
        if (
            row is None
            or info is None
            or not stat.S_ISREG(info.st_mode)
            or row.identity != index.identity(info)
        ):
            wanted.append(client_id)
    fresh: dict[str, Derived] = {}
    pending: list[Row] = []
    for derived in derive_many(home, wanted, True):
        fresh[derived.client_id] = derived
        if derived.facts is not None and derived.identity is not None:
            pending.append(
                Row(derived.client_id, derived.identity, derived.facts, derived.goals_json)
            )
        else:
            stale.append(derived.client_id)  # unreadable or changing: never cached as good
        if len(pending) >= BATCH:
            opened.put(pending)
            pending = []
    opened.put(pending)
    opened.drop(stale)
    result = Caseload(from_index=len(listing) - len(wanted))
    for client_id, _ in listing:
        read = fresh.get(client_id)
        if read is None:
            row = rows[client_id]
            result.facts.append(row.facts)
            if with_goals and row.goals_json is not None:
                result.goals[client_id] = row.goals_json
        else:
            _collect(result, read)
    return result


def _collect(result: Caseload, derived: Derived) -> None:
    result.read += 1
    if derived.facts is not None:
        result.facts.append(derived.facts)
        if derived.goals_json is not None:
            result.goals[derived.client_id] = derived.goals_json
    elif derived.error is not None:
        result.problems.append(derived.error)


def rebuild(home: Path) -> Caseload:
    """Delete the index and build it again from every file (`check --fix`)."""
    index.remove(home)
    return read_caseload(home, use_index=True)


def compare_index(home: Path) -> list[tuple[str, bool, str]]:
    """How the index differs from the files, for `check`: (client id or "", problem?, why).

    A row whose identity matches its file but whose facts differ is a problem (the index
    would answer wrongly); a row older than its file, a missing row or a row of a deleted
    file is a notice (the next read refreshes it).
    """
    with index.opened(home, create=False) as opened:
        if opened is None:
            return [("", False, "no caseload index yet: built by the next `goaltrack clients`")]
        rows = opened.rows(with_goals=True)
    found: list[tuple[str, bool, str]] = []
    listing = list_clients(home)
    for client_id, info in listing:
        row = rows.get(client_id)
        if row is None or info is None:
            if row is None and info is not None and stat.S_ISREG(info.st_mode):
                found.append((client_id, False, "no index row yet (added on the next read)"))
            continue
        if row.identity != index.identity(info):
            found.append((client_id, False, "index row older than the file (refreshed on read)"))
            continue
        derived = derive(home, client_id, with_goals=True)
        if derived.facts is None:
            found.append((client_id, True, "index row of a file that does not read"))
        elif row.facts != derived.facts or row.goals_json != derived.goals_json:
            found.append((client_id, True, "index row disagrees with the file"))
    present = {client_id for client_id, _ in listing}
    for client_id in sorted(set(rows) - present):
        found.append((client_id, False, "index row of a deleted client (dropped on read)"))
    return found
