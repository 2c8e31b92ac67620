"""The clients folder, as `goaltrack check` sees it: each client file (private, readable,
no duplicate entry ids, an end-of-file line, readable risk answers, values that fit their
instruments), each lock file, and temp files left by an interrupted write.

A repair here only ever chmods a file, adds the end-of-file line a person confirmed whole
(`--fix --whole ID`), or deletes an orphaned temp file while holding the client's lock.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from goaltrack.errors import (
    ClientNotFoundError,
    DataError,
    InputError,
    InstrumentsFileError,
    LockTimeoutError,
    SchemaTooNewError,
)
from goaltrack.measures import safety, scoring
from goaltrack.measures.instruments import USER_FILE as INSTRUMENTS_FILE
from goaltrack.measures.instruments import Registry
from goaltrack.paths import CLIENT_SUFFIX, WINDOWS_RESERVED_NAMES
from goaltrack.records.model import (
    ENTRY_ID_PATTERN,
    SCHEMA_VERSION,
    ClientRecord,
    is_valid_client_id,
)
from goaltrack.storage.diskio import TEMP_SUFFIX
from goaltrack.storage.findings import FIXED, NOTICE, OK, PROBLEM, Checker
from goaltrack.storage.locking import temp_file_client
from goaltrack.storage.repair import orphans_under_lock
from goaltrack.storage.store import LOCK_SUFFIX, Store


def check_clients(checker: Checker) -> None:
    """Every name in the clients folder: client files, lock files, temp files, and what is
    not goaltrack's (left alone); orphaned temp files are checked last, under each lock."""
    clients = checker.home / "clients"
    if not clients.is_dir() or clients.is_symlink():
        return
    try:
        with os.scandir(clients) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        checker.add("clients", PROBLEM, "folder", f"cannot be listed: {error.strerror}")
        return
    present = set(names)
    store = Store(checker.home, lock_timeout=2.0)
    orphans: dict[str, list[str]] = {}
    for name in names:
        label = f"clients/{name}"
        if name.endswith(LOCK_SUFFIX) and is_valid_client_id(name[: -len(LOCK_SUFFIX)]):
            _lock_file(checker, clients / name, label, name[: -len(LOCK_SUFFIX)], present)
        elif name.startswith(".") and name.endswith(TEMP_SUFFIX):
            client_id = temp_file_client(name)  # goaltrack's own names, exactly
            if client_id is not None:
                orphans.setdefault(client_id, []).append(name)
            else:
                checker.add(label, NOTICE, "other", "not a goaltrack file; left alone")
        elif name.endswith(CLIENT_SUFFIX) and not name.startswith("."):
            client_id = name[: -len(CLIENT_SUFFIX)]
            if is_valid_client_id(client_id):
                _client_file(checker, store, clients / name, label, client_id)
            elif client_id in WINDOWS_RESERVED_NAMES:  # made before ids refused these names
                checker.add(
                    label,
                    PROBLEM,
                    "id",
                    f"a client id that is a Windows device name ({client_id}) is not listed "
                    "by goaltrack; rename the file and its client.id to another id",
                )
            else:
                checker.add(
                    label,
                    NOTICE,
                    "other",
                    "not a client file (the name is not a valid client id); ignored",
                )
        else:
            checker.add(label, NOTICE, "other", "not a goaltrack file; left alone")
    for client_id, temp_names in sorted(orphans.items()):
        _temp_files(checker, store, client_id, temp_names)


def _private_regular_file(
    checker: Checker, path: Path, label: str, check: str, if_link: str, if_other: str
) -> bool:
    """A regular file (not a link, FIFO or folder) that is ours and 0600; False if not."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        checker.add(label, PROBLEM, "symlink", if_link)
        return False
    if not stat.S_ISREG(info.st_mode):
        checker.add(label, PROBLEM, check, if_other)
        return False
    checker.private(path, label, info, 0o600)
    return True


def _lock_file(checker: Checker, path: Path, label: str, client_id: str, present: set[str]) -> None:
    if not _private_regular_file(
        checker,
        path,
        label,
        "lock",
        "is a symbolic link, so every write of this client is refused; remove it by hand",
        "is not a regular file; remove it by hand",
    ):
        return
    if f"{client_id}{CLIENT_SUFFIX}" not in present:
        checker.add(
            label,
            NOTICE,
            "lock",
            "stale lock file (no client file); harmless, kept by design",
        )


def _client_file(checker: Checker, store: Store, path: Path, label: str, client_id: str) -> None:
    checker.result.client_files += 1
    if not _private_regular_file(
        checker,
        path,
        label,
        "file",
        "is a symbolic link; goaltrack neither reads nor writes through it",
        "is not a regular file",
    ):
        return
    duplicates = _duplicate_entry_ids(path)
    if duplicates:
        checker.add(label, PROBLEM, "entries", duplicates)
        return
    try:
        loaded = store.read(client_id, note_cut=False)
    except SchemaTooNewError:
        checker.add(
            label,
            NOTICE,
            "schema",
            "written by a newer goaltrack: readable, but read-only to this version",
        )
        return
    except (DataError, ClientNotFoundError) as error:
        checker.add(label, PROBLEM, "parse", error.message.replace(f"{path}: ", ""))
        return
    record = loaded.record
    entries = sum(len(goal.progress) for goal in record.goals)
    if loaded.file_version > SCHEMA_VERSION:
        checker.add(
            label,
            NOTICE,
            "schema",
            f"schema {loaded.file_version}, written by a newer goaltrack: readable, but "
            "read-only to this version",
        )
        return
    if loaded.file_version < SCHEMA_VERSION:
        checker.add(
            label,
            NOTICE,
            "schema",
            f"schema {loaded.file_version}: migrated in memory, rewritten as "
            f"{SCHEMA_VERSION} on the next change",
        )
    if not loaded.whole:
        _end_line(checker, store, label, client_id)
    for message in safety.unreadable_risks(record):
        checker.add(label, PROBLEM, "risk", message)
    for message in measure_problems(record, checker.registry()):
        checker.add(label, PROBLEM, "values", message)
    if not checker.has(label):
        checker.add(
            label,
            OK,
            "client",
            f"valid: schema {SCHEMA_VERSION}, {len(record.goals)} goal(s), {entries} entries",
        )


def _end_line(checker: Checker, store: Store, label: str, client_id: str) -> None:
    """A file without its end-of-file line may have been cut short outside goaltrack: a
    problem until a person confirms it whole (`--fix --whole ID` then adds the line)."""
    if checker.fix and client_id in checker.whole and store.confirm_whole(client_id):
        checker.add(label, FIXED, "end", "end-of-file line added: confirmed whole")
        return
    checker.add(
        label,
        PROBLEM,
        "end",
        "no end-of-file line: the file may have been cut short outside goaltrack; compare "
        f"it with a backup, and if it is whole run `goaltrack check --fix --whole {client_id}`",
    )


def _temp_files(checker: Checker, store: Store, client_id: str, names: list[str]) -> None:
    """Temp files are orphans only if they are still there while `check` holds the
    client's lock (a writer's temp file is renamed before the writer lets go of it)."""
    try:
        removed: list[str] = []
        kept = orphans_under_lock(store, client_id)
        if checker.fix and kept:  # no waiting on a busy client: only when there are orphans
            removed, kept = store.clear_orphans(client_id)
    except (LockTimeoutError, BlockingIOError):
        for name in names:
            checker.add(f"clients/{name}", NOTICE, "orphan", "temp file of a write in progress")
        return
    except (DataError, OSError) as error:
        reason = error.message if isinstance(error, DataError) else error.strerror
        for name in names:
            checker.add(f"clients/{name}", PROBLEM, "orphan", f"not checked: {reason}")
        return
    for name in removed:  # exactly what was deleted, under the lock
        checker.add(f"clients/{name}", FIXED, "orphan", "orphaned temp file removed")
    for name in kept:
        checker.add(
            f"clients/{name}",
            PROBLEM,
            "orphan",
            "orphaned temp file of an interrupted write",
            fixable=True,
        )


def _read_toml(path: Path) -> dict[str, Any] | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            return tomllib.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # undecodable, not TOML, past parser limits
        return None


def _duplicate_entry_ids(path: Path) -> str | None:
    """Name entry ids used twice in a file (ids are random codes, never clinical text)."""
    document = _read_toml(path)
    if not document or not isinstance(document.get("goals"), list):
        return None
    ids = [
        entry.get("id")
        for goal in document["goals"]
        if isinstance(goal, dict) and isinstance(goal.get("progress"), list)
        for entry in goal["progress"]
        if isinstance(entry, dict)
    ]
    repeated = sorted(
        str(entry_id)
        for entry_id, n in Counter(i for i in ids if isinstance(i, str)).items()
        if n > 1
    )
    if not repeated:
        return None
    shown = [entry_id for entry_id in repeated if ENTRY_ID_PATTERN.fullmatch(entry_id)]
    names = ", ".join(shown[:5]) + (" ..." if len(shown) > 5 else "")
    return f"{len(repeated)} duplicate entry id(s): {names or 'not printable'}; fix by hand"


def measure_problems(record: ClientRecord, registry: Registry) -> list[str]:
    """Goals whose measure is unknown or whose values break their instrument (a hand edit,
    say): reported so a clinician can correct them; never changed by --fix."""
    problems = []
    for goal in record.goals:
        prefix = f"goal {goal.number}"
        broken = (
            f"{prefix}: uses an instrument that is broken in {INSTRUMENTS_FILE} (reported "
            "there), so its values cannot be checked"
        )
        try:
            scoring.check_goal(goal, registry, force=True)
        except InputError as error:
            message = error.message
            problems.append(message if message.startswith(prefix) else f"{prefix}: {message}")
        except InstrumentsFileError:
            problems.append(broken)
            continue
        try:
            problems.extend(f"{prefix}: {p}" for p in scoring.answer_problems(goal, registry))
        except InstrumentsFileError:
            problems.append(broken)
    return problems
