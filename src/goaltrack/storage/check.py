"""`goaltrack check`: verify every file of a home, and repair only what is safe to repair.

Findings are plain data. A repair (`fix=True`) only ever changes permissions (chmod 0700 on the
folders, 0600 on files) and deletes orphaned temp files while holding the client's lock; it
never rewrites, moves or deletes a client file, a lock file or the audit log.

A lock file with no client file ("stale lock") is reported as a notice and kept: deleting a
lock file that another process has open would let two writers in at once (docs/design.md), and an
empty lock file costs nothing.

This module walks a home from the top: the folders, instruments.toml, the audit log, the
caseload index, open sync conflicts and the trash. The clients folder is check_clients.py's;
the findings and the Checker that collects them are findings.py's.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from goaltrack.errors import DataError
from goaltrack.measures.instruments import BUILTINS, load_registry
from goaltrack.measures.instruments import USER_FILE as INSTRUMENTS_FILE
from goaltrack.paths import CLIENT_SUFFIX, HOME_MARKER
from goaltrack.storage import caseload
from goaltrack.storage.audit import AUDIT_FILE, read_events
from goaltrack.storage.check_clients import check_clients
from goaltrack.storage.findings import FIXED, NOTICE, OK, PROBLEM, Checker, CheckResult
from goaltrack.storage.index import INDEX_FILE
from goaltrack.storage.repair import NOT_A_HOME, home_sign
from goaltrack.storage.store import write_home_marker


class _HomeChecker(Checker):
    """The checks of the home itself and of what lies at its top."""

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
        if not self.has(INSTRUMENTS_FILE):
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
        elif not self.has(AUDIT_FILE):
            self.add(AUDIT_FILE, OK, "audit", f"{len(log.events)} event(s)")

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
        if not findings and not self.has(INDEX_FILE):
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


def _trash(checker: _HomeChecker) -> None:
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
    checker = _HomeChecker(home, fix, whole)
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
        check_clients(checker)
        checker.caseload_index()
        checker.sync_conflicts()
        _trash(checker)
    return checker.result
