"""`goaltrack check`: verify every file of a home, and repair only what is safe to repair.

Findings are plain data. A repair (`fix=True`) only ever changes permissions (chmod 0700 on the
folders, 0600 on files) and deletes orphaned temp files while holding the client's lock; it
never rewrites, moves or deletes a client file, a lock file or the audit log.

A lock file with no client file ("stale lock") is reported as a notice and kept: deleting a
lock file that another process has open would let two writers in at once (docs/design.md), and an
empty lock file costs nothing.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from collections import Counter
from dataclasses import dataclass, field
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
from goaltrack.measures.instruments import BUILTINS, Registry, load_registry
from goaltrack.paths import CLIENT_SUFFIX, HOME_MARKER, WINDOWS_RESERVED_NAMES
from goaltrack.records.model import (
    ENTRY_ID_PATTERN,
    SCHEMA_VERSION,
    ClientRecord,
    is_valid_client_id,
)
from goaltrack.storage import caseload
from goaltrack.storage.audit import AUDIT_FILE, read_events
from goaltrack.storage.diskio import TEMP_SUFFIX
from goaltrack.storage.index import INDEX_FILE
from goaltrack.storage.locking import temp_file_client
from goaltrack.storage.repair import (
    HARD_LINKS,
    NOT_A_HOME,
    fchmod_checked,
    home_sign,
    orphans_under_lock,
)
from goaltrack.storage.store import LOCK_SUFFIX, Store, write_home_marker

OK = "ok"
PROBLEM = "problem"
FIXED = "fixed"
NOTICE = "notice"

INSTRUMENTS_FILE = "instruments.toml"


@dataclass(frozen=True)
class Finding:
    """One thing `check` found about one path (relative to the home)."""

    path: str
    status: str  # ok | problem | fixed | notice
    check: str  # a short code: folder, mode, owner, symlink, parse, orphan, lock, ...
    message: str
    fixable: bool = False

    def as_row(self) -> dict[str, Any]:
        """The finding as a flat row for every output format."""
        return dataclasses.asdict(self)


@dataclass
class CheckResult:
    """Everything `check` found under one home."""

    home: Path
    fixed_run: bool
    findings: list[Finding] = field(default_factory=list)
    client_files: int = 0

    def count(self, status: str) -> int:
        """How many findings have this status."""
        return sum(1 for finding in self.findings if finding.status == status)

    @property
    def clean(self) -> bool:
        """True when no problem remains."""
        return self.count(PROBLEM) == 0


class _Checker:
    def __init__(self, home: Path, fix: bool, whole: frozenset[str] = frozenset()) -> None:
        self.home = home
        self.fix = fix
        self.whole = whole  # clients a person confirmed whole: --fix adds their end line
        self.result = CheckResult(home=home, fixed_run=fix)
        self.euid = os.geteuid()
        self._registry: Registry | None = None
        self.ours = True  # False for a folder that is not a goaltrack home (see home_sign)

    def registry(self) -> Registry:
        """The home's instruments: the valid ones (what is broken is reported apart)."""
        if self._registry is None:
            self._registry = load_registry(self.home)
        return self._registry

    def add(self, path: str, status: str, check: str, message: str, fixable: bool = False) -> None:
        fixable = fixable and self.ours  # --fix touches nothing in a folder that is not a home
        self.result.findings.append(Finding(path, status, check, message, fixable))

    # ---- permissions ------------------------------------------------------------------

    def private(self, path: Path, label: str, info: os.stat_result, mode: int) -> bool:
        """Check owner and mode of a folder or file; chmod with --fix. False on a problem."""
        if info.st_uid != self.euid:
            self.add(label, PROBLEM, "owner", f"belongs to another user (uid {info.st_uid})")
            return False
        if not stat.S_ISDIR(info.st_mode) and info.st_nlink > 1:
            self.add(label, PROBLEM, "links", HARD_LINKS.format(links=info.st_nlink))
            return False
        current = stat.S_IMODE(info.st_mode)
        if current & 0o077:
            what = f"open to other users (mode {current:04o}, should be {mode:04o})"
        elif stat.S_ISDIR(info.st_mode) and current & 0o700 != 0o700:
            what = (
                f"cannot be listed and written by you (mode {current:04o}, should be "
                f"{mode:04o}): every write fails"
            )
        else:
            return True
        if not self.fix:
            self.add(label, PROBLEM, "mode", what, fixable=True)
            return False
        try:
            fchmod_checked(path, mode, follow=label == ".", expected=info)
        except OSError as error:
            self.add(label, PROBLEM, "mode", f"{what}; chmod failed: {error.strerror}", True)
            return False
        self.add(label, FIXED, "mode", f"was {current:04o}, now {mode:04o}")
        return True

    # ---- the folders --------------------------------------------------------------------

    def folders(self) -> bool:
        """Check the home and clients folders; False when there is nothing more to check."""
        try:
            info = os.lstat(self.home)
        except FileNotFoundError:
            self.add(".", NOTICE, "folder", "no data folder yet: nothing to check")
            return False
        if stat.S_ISLNK(info.st_mode):
            self.add(".", NOTICE, "symlink", "the data folder is a symbolic link (followed)")
            try:
                info = self.home.stat()
            except OSError as error:
                self.add(".", PROBLEM, "folder", f"cannot follow the link: {error.strerror}")
                return False
        if not stat.S_ISDIR(info.st_mode):
            self.add(".", PROBLEM, "folder", "the data folder is not a folder")
            return False
        self.private(self.home, ".", info, 0o700)
        clients = self.home / "clients"
        try:
            info = os.lstat(clients)
        except FileNotFoundError:
            self.add("clients", NOTICE, "folder", "no clients folder yet")
            return True
        if stat.S_ISLNK(info.st_mode):
            self.add("clients", PROBLEM, "symlink", "is a symbolic link; goaltrack refuses it")
            return True
        if not stat.S_ISDIR(info.st_mode):
            self.add("clients", PROBLEM, "folder", "is not a folder")
            return True
        self.private(clients, "clients", info, 0o700)
        return True

    # ---- files at the top of the home --------------------------------------------------

    def top_file(self, name: str) -> os.stat_result | None:
        try:
            info = os.lstat(self.home / name)
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(info.st_mode):
            self.add(name, PROBLEM, "symlink", "is a symbolic link; goaltrack refuses it")
            return None
        if not stat.S_ISREG(info.st_mode):
            self.add(name, PROBLEM, "file", "is not a regular file")
            return None
        self.private(self.home / name, name, info, 0o600)
        return info

    def instruments(self) -> None:
        """The user's instruments.toml: private, and it must parse (errors name table, not text)."""
        if self.top_file(INSTRUMENTS_FILE) is None:
            return
        registry = load_registry(self.home)
        for problem in registry.problems():  # each broken table, or the file as a whole
            message = problem.replace(f"{self.home / INSTRUMENTS_FILE}: ", "")
            self.add(INSTRUMENTS_FILE, PROBLEM, "parse", message)
        if not self._has(INSTRUMENTS_FILE):
            own = len(set(registry.instruments) - set(BUILTINS))
            self.add(INSTRUMENTS_FILE, OK, "instruments", f"valid: {own} user instrument(s)")

    def audit_log(self) -> None:
        info = self.top_file(AUDIT_FILE)
        if info is None:
            return
        try:
            log = read_events(self.home)
        except DataError as error:
            self.add(AUDIT_FILE, PROBLEM, "audit", error.message)
            return
        if log.unreadable:
            self.add(
                AUDIT_FILE,
                PROBLEM,
                "audit",
                f"{log.unreadable} line(s) cannot be read (never rewritten by goaltrack)",
            )
        elif not self._has(AUDIT_FILE):
            self.add(AUDIT_FILE, OK, "audit", f"{len(log.events)} event(s)")

    def _has(self, path: str) -> bool:
        return any(f.path == path and f.status != FIXED for f in self.result.findings)

    # ---- the clients folder ---------------------------------------------------------------

    def clients(self) -> None:
        clients = self.home / "clients"
        if not clients.is_dir() or clients.is_symlink():
            return
        try:
            with os.scandir(clients) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            self.add("clients", PROBLEM, "folder", f"cannot be listed: {error.strerror}")
            return
        present = set(names)
        store = Store(self.home, lock_timeout=2.0)
        orphans: dict[str, list[str]] = {}
        for name in names:
            label = f"clients/{name}"
            if name.endswith(LOCK_SUFFIX) and is_valid_client_id(name[: -len(LOCK_SUFFIX)]):
                self.lock_file(clients / name, label, name[: -len(LOCK_SUFFIX)], present)
            elif name.startswith(".") and name.endswith(TEMP_SUFFIX):
                client_id = temp_file_client(name)  # goaltrack's own names, exactly
                if client_id is not None:
                    orphans.setdefault(client_id, []).append(name)
                else:
                    self.add(label, NOTICE, "other", "not a goaltrack file; left alone")
            elif name.endswith(CLIENT_SUFFIX) and not name.startswith("."):
                client_id = name[: -len(CLIENT_SUFFIX)]
                if is_valid_client_id(client_id):
                    self.client_file(store, clients / name, label, client_id)
                elif client_id in WINDOWS_RESERVED_NAMES:  # made before ids refused these names
                    self.add(
                        label,
                        PROBLEM,
                        "id",
                        f"a client id that is a Windows device name ({client_id}) is not listed "
                        "by goaltrack; rename the file and its client.id to another id",
                    )
                else:
                    self.add(
                        label,
                        NOTICE,
                        "other",
                        "not a client file (the name is not a valid client id); ignored",
                    )
            else:
                self.add(label, NOTICE, "other", "not a goaltrack file; left alone")
        for client_id, temp_names in sorted(orphans.items()):
            self.temp_files(store, client_id, temp_names)

    def private_regular_file(
        self, path: Path, label: str, check: str, if_link: str, if_other: str
    ) -> bool:
        """A regular file (not a link, FIFO or folder) that is ours and 0600; False if not."""
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            self.add(label, PROBLEM, "symlink", if_link)
            return False
        if not stat.S_ISREG(info.st_mode):
            self.add(label, PROBLEM, check, if_other)
            return False
        self.private(path, label, info, 0o600)
        return True

    def lock_file(self, path: Path, label: str, client_id: str, present: set[str]) -> None:
        if not self.private_regular_file(
            path,
            label,
            "lock",
            "is a symbolic link, so every write of this client is refused; remove it by hand",
            "is not a regular file; remove it by hand",
        ):
            return
        if f"{client_id}{CLIENT_SUFFIX}" not in present:
            self.add(
                label,
                NOTICE,
                "lock",
                "stale lock file (no client file); harmless, kept by design",
            )

    def client_file(self, store: Store, path: Path, label: str, client_id: str) -> None:
        self.result.client_files += 1
        if not self.private_regular_file(
            path,
            label,
            "file",
            "is a symbolic link; goaltrack neither reads nor writes through it",
            "is not a regular file",
        ):
            return
        duplicates = _duplicate_entry_ids(path)
        if duplicates:
            self.add(label, PROBLEM, "entries", duplicates)
            return
        try:
            loaded = store.read(client_id, note_cut=False)
        except SchemaTooNewError:
            self.add(
                label,
                NOTICE,
                "schema",
                "written by a newer goaltrack: readable, but read-only to this version",
            )
            return
        except (DataError, ClientNotFoundError) as error:
            self.add(label, PROBLEM, "parse", error.message.replace(f"{path}: ", ""))
            return
        record = loaded.record
        entries = sum(len(goal.progress) for goal in record.goals)
        if loaded.file_version > SCHEMA_VERSION:
            self.add(
                label,
                NOTICE,
                "schema",
                f"schema {loaded.file_version}, written by a newer goaltrack: readable, but "
                "read-only to this version",
            )
            return
        if loaded.file_version < SCHEMA_VERSION:
            self.add(
                label,
                NOTICE,
                "schema",
                f"schema {loaded.file_version}: migrated in memory, rewritten as "
                f"{SCHEMA_VERSION} on the next change",
            )
        if not loaded.whole:
            self.end_line(store, label, client_id)
        for message in safety.unreadable_risks(record):
            self.add(label, PROBLEM, "risk", message)
        for message in measure_problems(record, self.registry()):
            self.add(label, PROBLEM, "values", message)
        if not self._has(label):
            self.add(
                label,
                OK,
                "client",
                f"valid: schema {SCHEMA_VERSION}, {len(record.goals)} goal(s), {entries} entries",
            )

    def end_line(self, store: Store, label: str, client_id: str) -> None:
        """A file without its end-of-file line may have been cut short outside goaltrack: a
        problem until a person confirms it whole (`--fix --whole ID` then adds the line)."""
        if self.fix and client_id in self.whole and store.confirm_whole(client_id):
            self.add(label, FIXED, "end", "end-of-file line added: confirmed whole")
            return
        self.add(
            label,
            PROBLEM,
            "end",
            "no end-of-file line: the file may have been cut short outside goaltrack; compare "
            f"it with a backup, and if it is whole run `goaltrack check --fix --whole {client_id}`",
        )

    def temp_files(self, store: Store, client_id: str, names: list[str]) -> None:
        """Temp files are orphans only if they are still there while `check` holds the
        client's lock (a writer's temp file is renamed before the writer lets go of it)."""
        try:
            removed: list[str] = []
            kept = orphans_under_lock(store, client_id)
            if self.fix and kept:  # no waiting on a busy client: only when there are orphans
                removed, kept = store.clear_orphans(client_id)
        except (LockTimeoutError, BlockingIOError):
            for name in names:
                self.add(f"clients/{name}", NOTICE, "orphan", "temp file of a write in progress")
            return
        except (DataError, OSError) as error:
            reason = error.message if isinstance(error, DataError) else error.strerror
            for name in names:
                self.add(f"clients/{name}", PROBLEM, "orphan", f"not checked: {reason}")
            return
        for name in removed:  # exactly what was deleted, under the lock
            self.add(f"clients/{name}", FIXED, "orphan", "orphaned temp file removed")
        for name in kept:
            self.add(
                f"clients/{name}",
                PROBLEM,
                "orphan",
                "orphaned temp file of an interrupted write",
                fixable=True,
            )

    # ---- the caseload index -----------------------------------------------------------------

    def caseload_index(self) -> None:
        """Private, and each row agrees with its file; --fix rebuilds it from the files."""
        exists = self.top_file(INDEX_FILE) is not None
        if not exists and not (self.home / "clients").is_dir():
            return
        try:
            findings = caseload.compare_index(self.home)
            rebuilt = caseload.rebuild(self.home) if self.fix else None
        except DataError:  # the clients folder cannot be listed: reported as a problem above
            self.add(INDEX_FILE, NOTICE, "index", "not compared: the clients folder is unusable")
            return
        wrong = [finding for finding in findings if finding[1]]
        if rebuilt is not None:
            status = FIXED if wrong else OK
            why = f"{len(wrong)} row(s) disagreed; " if wrong else ""
            rows = len(rebuilt.facts)
            self.add(INDEX_FILE, status, "index", f"{why}rebuilt from the files: {rows} row(s)")
            return
        for client_id, problem, why in findings:
            label = f"{INDEX_FILE}: {client_id}" if client_id else INDEX_FILE
            self.add(label, PROBLEM if problem else NOTICE, "index", why, fixable=problem)
        if not findings and not self._has(INDEX_FILE):
            self.add(INDEX_FILE, OK, "index", "every row agrees with its file")

    def sync_conflicts(self) -> None:
        """Conflicts a sync merge recorded and no one has settled yet (conflicts/)."""
        from goaltrack.sync import conflicts

        try:
            found = conflicts.all_open(self.home)
        except DataError as error:
            self.add(conflicts.CONFLICTS_DIR, PROBLEM, "conflict", error.message)
            return
        for client_id, items in found.items():
            fields = ", ".join(item.where for item in items)
            self.add(
                f"{conflicts.CONFLICTS_DIR}/{client_id}{CLIENT_SUFFIX}",
                PROBLEM,
                "conflict",
                f"{len(items)} sync conflict(s) of client {client_id} kept this machine's value: "
                f"{fields}; settle with `goaltrack resolve {client_id} --take ours|theirs|VALUE`",
            )


def _trash(checker: _Checker) -> None:
    """The trash folder (private, 0700) and each client file it holds, as a notice."""
    from goaltrack.storage.trash import TRASH_FOLDER, trash_dir, trashed

    folder = trash_dir(checker.home)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        checker.add(TRASH_FOLDER, PROBLEM, "folder", "is not a folder")
        return
    checker.private(folder, TRASH_FOLDER, info, 0o700)
    for item in trashed(checker.home):
        moved = item.moved.strftime("%Y-%m-%d %H:%M UTC")
        checker.add(
            f"{TRASH_FOLDER}/{item.path.name}",
            NOTICE,
            "trash",
            f"client {item.client_id} moved to the trash on {moved}; "
            f"`goaltrack restore {item.client_id}` brings it back",
        )


def check_home(home: Path, fix: bool = False, whole: frozenset[str] = frozenset()) -> CheckResult:
    """Verify a home: folders, client files, locks, temp files, the audit log; repair if `fix`.

    `whole` names clients whose files a person confirmed whole: with `fix`, the end-of-file
    line is added to those that lack it.

    `fix` acts only on a folder goaltrack made (see `home_sign`): on any other folder (a
    mistyped `--home`) nothing is changed, created or deleted, and a problem says so. A home
    made before markers gets its marker. Returns the findings; the caller decides how to show
    them. Never changes clinical content.
    """
    checker = _Checker(home, fix, whole)
    sign = home_sign(home) if home.is_dir() else "none yet"
    if sign is None:
        checker.fix = checker.ours = False
        checker.result.fixed_run = False
        if fix:
            checker.add(".", PROBLEM, "home", NOT_A_HOME.format(marker=HOME_MARKER))
        else:
            checker.add(
                ".",
                NOTICE,
                "home",
                "not recognised as a goaltrack home: --fix will change nothing here",
            )
    elif sign == "older" and fix and write_home_marker(home):
        checker.add(HOME_MARKER, FIXED, "home", "a home made by an older goaltrack: marked")
    if checker.folders():
        checker.instruments()
        checker.audit_log()
        checker.clients()
        checker.caseload_index()
        checker.sync_conflicts()
        _trash(checker)
    return checker.result


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
