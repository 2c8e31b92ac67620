"""Where client files live, and the one way a change reaches the disk.

Every write takes the client's lock, re-reads and validates the file, applies the change to
the model, checks that the serialised text parses back to the same data, and replaces the file
atomically and durably (docs/design.md, 'How a change reaches the disk'). Readers take no lock: a
reader sees the old file or the new one, never a half.

What the text of a file means (parsing, migrations, the exact layout written) is the file
format's concern (storage/fileformat.py). This module is the write path and the read API;
the checks of a file read are storage/reading.py, the client's lock and orphaned temp files
storage/locking.py, the atomic write and private folders storage/diskio.py.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from goaltrack import settings
from goaltrack.errors import (
    ClientExistsError,
    ClientNotFoundError,
    CorruptFileError,
    DataError,
    GoaltrackError,
    InvalidValueError,
    SchemaTooNewError,
    StoragePermissionError,
    WriteFailedError,
)
from goaltrack.paths import (
    CLIENT_SUFFIX,
    HOME_MARKER,
    HOME_MARKER_TEXT,
    list_error,
    require_usable_folder,
    resolve_home,
)
from goaltrack.records.convert import check_client_id
from goaltrack.records.model import (
    SCHEMA_VERSION,
    ClientRecord,
    describe_validation_error,
    is_valid_client_id,
)
from goaltrack.storage import audit, facts
from goaltrack.storage.diskio import atomic_write, make_folder, os_error
from goaltrack.storage.draft import Draft, Touched
from goaltrack.storage.fileformat import LoadedRecord, end_line, parse, render
from goaltrack.storage.index import identity as index_identity
from goaltrack.storage.locking import flocked, orphan_paths, remove_orphans
from goaltrack.storage.memory import keep_until_exit
from goaltrack.storage.reading import cut_short_message, read_client_file
from goaltrack.storage.splice import spliced
from goaltrack.sync import commits

T = TypeVar("T")

LOCK_SUFFIX = ".toml.lock"


class Store:
    """The client files under one home folder."""

    def __init__(self, home: Path, lock_timeout: float | None = None) -> None:
        self.home = home
        self.clients_dir = home / "clients"
        if lock_timeout is None:
            lock_timeout = settings.lock_timeout()
        self.lock_timeout = lock_timeout

    @classmethod
    def at(cls, home: str | os.PathLike[str] | None = None) -> Store:
        """The store at `home`, or at the resolved default home."""
        return cls(resolve_home(home))

    # ---- paths -------------------------------------------------------------------------

    def path_for(self, client_id: str) -> Path:
        """The file of a client (the id is checked, so the path cannot escape the folder)."""
        return self.clients_dir / f"{check_client_id(client_id)}{CLIENT_SUFFIX}"

    def lock_path_for(self, client_id: str) -> Path:
        """The lock file of a client: never deleted, flock'd around every write."""
        return self.clients_dir / f"{check_client_id(client_id)}{LOCK_SUFFIX}"

    def exists(self, client_id: str) -> bool:
        """True when the client has a file."""
        return os.path.lexists(self.path_for(client_id))

    def client_ids(self) -> list[str]:
        """Ids of every client file, sorted; a home that is not a folder, or a clients folder
        that cannot be listed and written, is an error (StoragePermissionError, exit 3)."""
        for folder in (self.home, self.clients_dir):
            if folder.exists() and not folder.is_dir():
                raise StoragePermissionError(
                    f"{folder} is not a folder; check --home or GOALTRACK_HOME"
                )
        if not self.clients_dir.is_dir():
            return []
        require_usable_folder(self.clients_dir)
        ids = []
        try:
            with os.scandir(self.clients_dir) as entries:
                for entry in entries:
                    if entry.name.endswith(CLIENT_SUFFIX) and not entry.name.startswith("."):
                        client_id = entry.name[: -len(CLIENT_SUFFIX)]
                        if is_valid_client_id(client_id):
                            ids.append(client_id)
        except OSError as error:
            raise list_error(self.clients_dir, error) from None
        return sorted(ids)

    # ---- reading -----------------------------------------------------------------------

    def load(self, client_id: str) -> ClientRecord:
        """Read and validate a client's file (no lock needed: writes are atomic)."""
        return self.read(client_id).record

    def read(self, client_id: str, note_cut: bool = True) -> LoadedRecord:
        """Read and validate a client's file, with the schema version the file carries.

        Refuses what cannot be trusted: a link, a FIFO or other non-regular file, bytes that
        are not UTF-8, a file cut short (no final newline), a `client.id` that is not the
        file's name. Takes no lock: writes replace the file atomically.
        """
        return read_client_file(self.path_for(client_id), client_id, self.clients_dir, note_cut)

    # ---- writing -----------------------------------------------------------------------

    def create(
        self, record: ClientRecord, draft: Draft | None = None, text: str | None = None
    ) -> None:
        """Write a new client's file; refuse if one exists already.

        `draft`, when given, is the Draft the record was built in (`draft.record is record`):
        the entries it admitted, still unchanged, are not validated again; all else is.
        `text`, when given, is the exact text to write (a dump's copy of the file, so that a
        restore is byte-identical, hand edits included): it must parse to this very record,
        else nothing is written (WriteFailedError).
        """
        client_id = check_client_id(record.client.id)
        if draft is not None and draft.record is not record:
            raise ValueError("the draft given is not the draft of this record")
        self.ensure_home()
        with self._audited(client_id) as attempt, self.locked(client_id):
            if self.exists(client_id):
                raise ClientExistsError(f"client {client_id!r} already exists")
            final = draft.revalidated() if draft is not None else _revalidate(record)
            if text is None:
                text = render(final)
            else:
                require_text_of(text, final, str(self.path_for(client_id)))
            attempt.describe(None, final)
            attempt.open_log()
            written = self._write_text(client_id, text)
            attempt.finish(None)  # under the lock, so the log follows the order of the writes
            facts.after_write(self.home, client_id, final, written)  # still under the lock
            commits.after_write(  # a sync-enabled home commits the change, still locked
                self.home, client_id, audit.current_command(), attempt.goals, len(attempt.entries)
            )

    def update(self, client_id: str, change: Callable[[ClientRecord], T]) -> T:
        """Apply `change` to a client under its lock and write the result atomically.

        `change` receives the record just read under the lock (private to this call),
        mutates it and may return a value, which is returned. If it raises, or the result
        does not validate, nothing is written.
        """
        check_client_id(client_id)
        if not self.exists(client_id):  # before locking: a typo must not leave a lock file
            raise ClientNotFoundError(f"no client {client_id!r} in {self.clients_dir}")
        self.ensure_home()
        with self._audited(client_id) as attempt, self.locked(client_id):
            loaded = self.read(client_id)
            if not loaded.whole:
                raise CorruptFileError(
                    cut_short_message(str(self.path_for(client_id)), client_id, "nothing written")
                )
            if loaded.file_version > SCHEMA_VERSION:
                raise SchemaTooNewError(
                    f"{self.path_for(client_id)}: schema_version {loaded.file_version} is newer "
                    f"than this goaltrack understands ({SCHEMA_VERSION}); the file is read-only"
                )
            # The change mutates the record read; Draft remembers what it was, so only what
            # the change touched is validated again (storage/draft.py), and the audit still
            # compares before with after. render() proves the text parses back to the data.
            draft = Draft(loaded.record)
            result = change(loaded.record)
            final = draft.revalidated()
            touched = draft.touched()
            text = _text_after(final, loaded, touched)
            attempt.describe(draft.before(), final)
            attempt.open_log()
            written = self._write_text(client_id, text)
            attempt.finish(None)  # under the lock, so the log follows the order of the writes
            facts.after_write(  # still under the lock
                self.home, client_id, final, written, _reuse(loaded, final, touched)
            )
            commits.after_write(  # a sync-enabled home commits the change, still locked
                self.home, client_id, audit.current_command(), attempt.goals, len(attempt.entries)
            )
            keep_until_exit(loaded, draft, final)  # freed whole at exit, not object by object
            return result

    def confirm_whole(self, client_id: str) -> bool:
        """Add the end-of-file line to a client file a person has confirmed is whole (after a
        hand edit without it, or a comparison with a backup). The text is otherwise kept byte
        for byte; False when the file already had the line. Locked and atomic as every write."""
        check_client_id(client_id)
        if not self.exists(client_id):
            raise ClientNotFoundError(f"no client {client_id!r} in {self.clients_dir}")
        with self.locked(client_id):
            loaded = self.read(client_id, note_cut=False)  # refuses what does not parse
            if loaded.whole:
                return False
            # the text just read and parsed under this lock, not a second read of the file
            written = self._write_text(client_id, f"{loaded.text}\n{end_line(client_id)}\n")
            facts.after_write(self.home, client_id, loaded.record, written)
            commits.after_write(self.home, client_id, audit.current_command(), [], 0)
            return True

    @contextlib.contextmanager
    def many_writes(self) -> Iterator[None]:
        """Make a run of writes (an import's) share what each would set up alone: the caseload
        index stays open between them (storage/facts.kept_open). Every write still takes its
        own lock, validates, proves its text and syncs its file exactly as a lone write."""
        with facts.kept_open(self.home):
            yield

    @contextlib.contextmanager
    def _audited(self, client_id: str) -> Iterator[audit.Attempt]:
        """Append one audit line for the change made inside, whatever its outcome."""
        attempt = audit.Attempt(self.home, client_id)
        try:
            yield attempt
        except BaseException as error:
            if not attempt.done:
                attempt.finish(error)
            raise
        if not attempt.done:
            attempt.finish(None)

    def ensure_home(self) -> None:
        """Create the home and clients folders 0700, and refuse folders others can read."""
        for folder in (self.home, self.clients_dir):
            try:
                make_folder(folder)
                info = os.lstat(folder)
                if stat.S_ISLNK(info.st_mode) and folder is self.home:
                    info = folder.stat()  # a home may be a link (e.g. to an encrypted volume)
            except OSError as error:
                raise os_error(str(folder), "create", error) from None
            if stat.S_ISLNK(info.st_mode):
                raise StoragePermissionError(f"{folder} is a symbolic link; refusing to write")
            if not stat.S_ISDIR(info.st_mode):
                raise StoragePermissionError(f"{folder} is not a folder; refusing to write")
            if info.st_uid != os.geteuid():
                raise StoragePermissionError(
                    f"{folder} belongs to another user (uid {info.st_uid}); refusing to write"
                )
            if stat.S_IMODE(info.st_mode) & 0o077:
                if folder is self.home and _is_empty(folder):
                    write_home_marker(folder)  # an empty folder made for goaltrack: its fix
                raise StoragePermissionError(
                    f"{folder} is open to other users (mode {stat.S_IMODE(info.st_mode):04o}); "
                    f"run: goaltrack check --fix (or: chmod 700 {folder})"
                )
            require_usable_folder(folder, info)
        write_home_marker(self.home)

    @contextlib.contextmanager
    def locked(self, client_id: str) -> Iterator[None]:
        """Hold the client's write lock inside the block (LockTimeoutError after the timeout).

        The lock is an flock on the client's lock file, never on the data file (whose inode
        each write replaces). Once it is held, temp files that a dead writer left behind are
        deleted: no live writer can own them.
        """
        with flocked(self.lock_path_for(client_id), client_id, self.lock_timeout):
            remove_orphans(self.clients_dir, client_id)
            yield

    def clear_orphans(self, client_id: str) -> tuple[list[str], list[str]]:
        """Take the client's lock and delete the temp files a dead writer left: the names
        removed, and the names that could not be removed (`check --fix` reports exactly these;
        a temp file whose write finished meanwhile is in neither)."""
        with flocked(self.lock_path_for(client_id), client_id, self.lock_timeout):
            return remove_orphans(self.clients_dir, client_id)

    def orphan_paths(self, client_id: str) -> list[Path]:
        """Temp files of a client's writes (orphans unless a writer holds the lock)."""
        return orphan_paths(self.clients_dir, client_id)

    def _write_text(self, client_id: str, text: str) -> os.stat_result:
        return atomic_write(self.path_for(client_id), text.encode("utf-8"))


def _text_after(final: ClientRecord, loaded: LoadedRecord, touched: Touched) -> str:
    """The text to write for `final`, changed from the file `loaded`: only the touched parts
    rendered anew when the file's layout allows it (storage/splice.py), else all of it; proven
    to parse back to the new data either way."""
    if loaded.file_version == SCHEMA_VERSION:
        text = spliced(final, loaded.text, touched)
        if text is not None:
            return text
    return render(final)


def _reuse(loaded: LoadedRecord, final: ClientRecord, touched: Touched) -> facts.Reuse | None:
    """What the index refresh may take from the client's row: the facts of the goals the
    change left as read, when the file read is known (not changed while it was read)."""
    if loaded.read_as is None:
        return None
    untouched = frozenset(goal.number for goal in final.goals) - touched.goals
    return facts.Reuse(index_identity(loaded.read_as), untouched)


def write_home_marker(home: Path) -> bool:
    """Mark `home` as a goaltrack home (HOME_MARKER) unless it is marked; True if written.

    Best effort: a home that cannot take the marker still works, and `check` recognises a
    home made before markers by its client files or its audit log.
    """
    marker = home / HOME_MARKER
    if os.path.lexists(marker):  # the usual case: one lstat, no open
        return False
    try:
        fd = os.open(
            marker,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
    except OSError:  # there already (the usual case), or not writable
        return False
    try:
        os.write(fd, HOME_MARKER_TEXT.encode("utf-8"))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _is_empty(folder: Path) -> bool:
    """True when `folder` can be listed and holds nothing."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def require_text_of(text: str, record: ClientRecord, source: str) -> None:
    """Refuse (WriteFailedError) a file text that does not parse to `record`, or does not end
    with a line end: only a text that reads back as the record it stands for is written."""
    try:
        loaded = parse(text, source)
    except DataError:
        loaded = None
    if (
        loaded is None
        or not text.endswith("\n")
        or loaded.record.to_document() != record.to_document()
    ):
        raise WriteFailedError(
            f"client {record.client.id}: the file text does not read back as its record; "
            "nothing was written"
        )


def _revalidate(record: ClientRecord) -> ClientRecord:
    """Run every model invariant again on a (possibly mutated) record."""
    try:
        return ClientRecord.model_validate(record.model_dump())
    except ValidationError as error:
        raise InvalidValueError(describe_validation_error(error)) from None


def load(client_id: str, home: str | os.PathLike[str] | None = None) -> ClientRecord:
    """Read one client from the default (or given) home: handy from a notebook."""
    return Store.at(home).load(client_id)


def scan(store: Store) -> tuple[list[ClientRecord], list[GoaltrackError]]:
    """Every readable client record, and an error for each file that could not be read."""
    records: list[ClientRecord] = []
    problems: list[GoaltrackError] = []
    for client_id in store.client_ids():
        try:
            records.append(store.load(client_id))
        except (DataError, ClientNotFoundError) as error:
            problems.append(error)
    return records, problems
