"""Where client files live, and the one way a change reaches the disk.

Every write takes the client's lock, re-reads and validates the file, applies the change to
the model, checks that the serialised text parses back to the same data, and replaces the file
atomically and durably (DESIGN.md, 'How a change reaches the disk'). Readers take no lock: a
reader sees the old file or the new one, never a half.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import ValidationError

from goaltrack import settings
from goaltrack.errors import (
    ClientExistsError,
    ClientNotFoundError,
    CorruptFileError,
    DataError,
    GoaltrackError,
    InvalidValueError,
    LockTimeoutError,
    SchemaTooNewError,
    StoragePermissionError,
    WriteFailedError,
)
from goaltrack.paths import CLIENT_SUFFIX as CLIENT_SUFFIX
from goaltrack.paths import resolve_home as resolve_home
from goaltrack.records.convert import check_client_id as check_client_id
from goaltrack.records.model import (
    SCHEMA_VERSION,
    ClientRecord,
    describe_validation_error,
    is_valid_client_id,
)
from goaltrack.storage import audit

T = TypeVar("T")

LOCK_SUFFIX = ".toml.lock"
TEMP_SUFFIX = ".tmp"

Migration = Callable[[dict[str, Any]], dict[str, Any]]
#: vN -> vN+1 migrations of a parsed document, keyed by the version they read.
MIGRATIONS: dict[int, Migration] = {}

_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def migrate(document: dict[str, Any], source: str = "client file") -> dict[str, Any]:
    """Bring a parsed document up to SCHEMA_VERSION through the vN -> vN+1 chain."""
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CorruptFileError(f"{source}: schema_version is missing or not an integer")
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise CorruptFileError(f"{source}: no migration from schema_version {version}")
        document = step(dict(document))
        version += 1
        document["schema_version"] = version
    return document


@dataclass(frozen=True)
class LoadedRecord:
    """A record together with the schema version its file carries."""

    record: ClientRecord
    file_version: int


def parse_document(text: str, source: str) -> LoadedRecord:
    """Parse, migrate and validate the text of a client file; errors name `source` and line."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            match = _LINE_IN_MESSAGE.search(str(error))
            line = int(match.group(1)) if match else None
        where = f" (line {line})" if line else ""
        raise CorruptFileError(
            f"{source}: not valid TOML{where}; the file was left unchanged"
        ) from None
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        try:
            return LoadedRecord(ClientRecord.model_validate(document, extra="ignore"), version)
        except ValidationError:
            raise SchemaTooNewError(
                f"{source}: schema_version {version} is newer than this goaltrack understands "
                f"({SCHEMA_VERSION}); upgrade goaltrack"
            ) from None
    document = migrate(document, source)
    try:
        return LoadedRecord(ClientRecord.model_validate(document), SCHEMA_VERSION)
    except ValidationError as error:
        raise CorruptFileError(
            f"{source}: invalid client file: {describe_validation_error(error)}; "
            "the file was left unchanged"
        ) from None


def _always_table_arrays() -> None:
    """Make tomli_w write every array of tables as `[[...]]` blocks, as DESIGN.md shows.

    tomli_w inlines short arrays of tables, so one long note would flip a goal's whole
    progress list from inline to block form and bloat the diff. Its heuristic is private;
    if it ever moves, files stay valid TOML (the round-trip check below still guards them).
    """
    writer = getattr(tomli_w, "_writer", None)
    if writer is not None and hasattr(writer, "is_suitable_inline_table"):
        writer.is_suitable_inline_table = lambda obj, ctx: False


_always_table_arrays()


def render_document(record: ClientRecord) -> str:
    """Serialise a record to TOML and prove the text parses back to the same data."""
    data = record.to_document()
    text = tomli_w.dumps(data)
    if tomllib.loads(text) != data:
        raise WriteFailedError(f"client {record.client.id}: serialised data did not round-trip")
    return text


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
        """Ids of every client file, sorted; a home that is not a folder is an error."""
        for folder in (self.home, self.clients_dir):
            if folder.exists() and not folder.is_dir():
                raise StoragePermissionError(
                    f"{folder} is not a folder; check --home or GOALTRACK_HOME"
                )
        if not self.clients_dir.is_dir():
            return []
        ids = []
        for entry in os.scandir(self.clients_dir):
            if entry.name.endswith(CLIENT_SUFFIX) and not entry.name.startswith("."):
                client_id = entry.name[: -len(CLIENT_SUFFIX)]
                if is_valid_client_id(client_id):
                    ids.append(client_id)
        return sorted(ids)

    # ---- reading -----------------------------------------------------------------------

    def load(self, client_id: str) -> ClientRecord:
        """Read and validate a client's file (no lock needed: writes are atomic)."""
        return self._read(client_id).record

    def _read(self, client_id: str) -> LoadedRecord:
        path = self.path_for(client_id)
        source = str(path)
        try:
            # O_NONBLOCK: a FIFO planted under a client's name must not hang the program.
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            raise ClientNotFoundError(f"no client {client_id!r} in {self.clients_dir}") from None
        except OSError as error:
            raise _os_error(source, "read", error) from None
        try:
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise StoragePermissionError(f"{source}: not a regular file; refusing")
                raw = handle.read()
        except OSError as error:
            raise _os_error(source, "read", error) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CorruptFileError(
                f"{source}: not valid UTF-8; the file was left unchanged"
            ) from None
        if not text.endswith("\n"):
            # goaltrack always ends a file with a newline; without one, the last line may have
            # been cut (`value = 17` read as `value = 1`), so the file is not trusted.
            raise CorruptFileError(
                f"{source}: does not end with a newline, so it may be truncated; the file was "
                "left unchanged (if you edited it by hand, add a final newline)"
            )
        loaded = parse_document(text, source)
        if loaded.record.client.id != client_id:
            raise CorruptFileError(
                f"{source}: client.id does not match the file name; the file was left unchanged"
            )
        return loaded

    # ---- writing -----------------------------------------------------------------------

    def create(self, record: ClientRecord) -> None:
        """Write a new client's file; refuse if one exists already."""
        client_id = check_client_id(record.client.id)
        self.ensure_home()
        with self._audited(client_id) as attempt, self._locked(client_id):
            if self.exists(client_id):
                raise ClientExistsError(f"client {client_id!r} already exists")
            final = _revalidate(record)
            text = render_document(final)
            attempt.describe(None, final)
            attempt.open_log()
            self._write_text(client_id, text)
            attempt.finish(None)  # under the lock, so the log follows the order of the writes

    def update(self, client_id: str, change: Callable[[ClientRecord], T]) -> T:
        """Apply `change` to a client under its lock and write the result atomically.

        `change` receives a private copy of the record, mutates it and may return a value,
        which is returned. If it raises, or the result does not validate, nothing is written.
        """
        check_client_id(client_id)
        if not self.exists(client_id):  # before locking: a typo must not leave a lock file
            raise ClientNotFoundError(f"no client {client_id!r} in {self.clients_dir}")
        self.ensure_home()
        with self._audited(client_id) as attempt, self._locked(client_id):
            loaded = self._read(client_id)
            if loaded.file_version > SCHEMA_VERSION:
                raise SchemaTooNewError(
                    f"{self.path_for(client_id)}: schema_version {loaded.file_version} is newer "
                    f"than this goaltrack understands ({SCHEMA_VERSION}); the file is read-only"
                )
            draft = loaded.record.model_copy(deep=True)
            result = change(draft)
            final = _revalidate(draft)
            text = render_document(final)
            attempt.describe(loaded.record, final)
            attempt.open_log()
            self._write_text(client_id, text)
            attempt.finish(None)  # under the lock, so the log follows the order of the writes
            return result

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
                created = not os.path.lexists(folder)
                folder.mkdir(mode=0o700, parents=folder is self.home, exist_ok=True)
                if created:  # make the new folder's own entry durable, as writes are
                    _fsync_folder(folder.parent)
                info = os.lstat(folder)
                if stat.S_ISLNK(info.st_mode) and folder is self.home:
                    info = folder.stat()  # a home may be a link (e.g. to an encrypted volume)
            except OSError as error:
                raise _os_error(str(folder), "create", error) from None
            if stat.S_ISLNK(info.st_mode):
                raise StoragePermissionError(f"{folder} is a symbolic link; refusing to write")
            if not stat.S_ISDIR(info.st_mode):
                raise StoragePermissionError(f"{folder} is not a folder; refusing to write")
            if info.st_uid != os.geteuid():
                raise StoragePermissionError(
                    f"{folder} belongs to another user (uid {info.st_uid}); refusing to write"
                )
            if stat.S_IMODE(info.st_mode) & 0o077:
                raise StoragePermissionError(
                    f"{folder} is open to other users (mode {stat.S_IMODE(info.st_mode):04o}); "
                    f"run: goaltrack check --fix (or: chmod 700 {folder})"
                )

    @contextlib.contextmanager
    def _locked(self, client_id: str) -> Iterator[None]:
        lock_path = self.lock_path_for(client_id)
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise _os_error(str(lock_path), "lock", error) from None
        try:
            deadline = time.monotonic() + self.lock_timeout
            delay = 0.002
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeoutError(
                            f"client {client_id!r} is locked by another goaltrack process; "
                            "try again"
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            self._remove_orphans(client_id)
            yield
        finally:
            with contextlib.suppress(OSError):  # the flock is released even if close fails
                os.close(fd)

    def _remove_orphans(self, client_id: str) -> None:
        """Delete temp files left by a writer that died (only called while holding the lock)."""
        for path in self.orphan_paths(client_id):
            with contextlib.suppress(OSError):  # `goaltrack check` reports what could not go
                path.unlink()

    def orphan_paths(self, client_id: str) -> list[Path]:
        """Temp files of a client's writes (orphans unless a writer holds the lock)."""
        prefix = f".{client_id}{CLIENT_SUFFIX}."
        with os.scandir(self.clients_dir) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if entry.name.startswith(prefix)
                and entry.name.endswith(TEMP_SUFFIX)
                and entry.is_file(follow_symlinks=False)
            )

    def _write_text(self, client_id: str, text: str) -> None:
        atomic_write(self.path_for(client_id), text.encode("utf-8"))


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (best effort: some file systems refuse it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _revalidate(record: ClientRecord) -> ClientRecord:
    """Run every model invariant again on a (possibly mutated) record."""
    try:
        return ClientRecord.model_validate(record.model_dump())
    except ValidationError as error:
        raise InvalidValueError(describe_validation_error(error)) from None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` durably: temp file, fsync, rename, fsync the folder."""
    folder = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise _os_error(str(path), "write", error) from None
    try:
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:  # never loop forever on a device that accepts nothing
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise _os_error(str(path), "write", error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as error:
        # The new file is in place (readers see it) but may not survive a power loss.
        reason = error.strerror or type(error).__name__
        raise WriteFailedError(
            f"cannot sync {folder}: {reason}; the change was written but may not survive "
            "a power loss"
        ) from None


def _os_error(
    source: str, action: str, error: OSError
) -> StoragePermissionError | WriteFailedError:
    """Turn an OSError into a domain error that names the file and the reason only."""
    reason = error.strerror or type(error).__name__
    if error.errno == errno.ELOOP or isinstance(error, IsADirectoryError):
        return StoragePermissionError(f"{source}: not a regular file (symbolic link?); refusing")
    if isinstance(error, PermissionError):
        return StoragePermissionError(f"cannot {action} {source}: {reason}")
    return WriteFailedError(f"cannot {action} {source}: {reason}; the old file is intact")


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
