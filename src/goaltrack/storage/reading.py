"""Reading one client file: the checks that decide whether its bytes can be trusted (a
regular file, UTF-8, not cut short, the id it claims), then the file format's parse.

Takes no lock: every write replaces a file atomically (storage/diskio.py), so a reader sees
the old file or the new one, never a half.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

from goaltrack import notices
from goaltrack.errors import ClientNotFoundError, CorruptFileError, StoragePermissionError
from goaltrack.storage.diskio import os_error
from goaltrack.storage.fileformat import LoadedRecord, end_line, parse
from goaltrack.storage.memory import keep_freed_memory
from goaltrack.storage.tomltext import READ_IN_PARTS_FROM


def read_client_file(
    path: Path, client_id: str, clients_dir: Path, note_cut: bool = True
) -> LoadedRecord:
    """Read and validate the client file at `path`, with the schema version it carries.

    Refuses what cannot be trusted: a link, a FIFO or other non-regular file, bytes that
    are not UTF-8, a file cut short (no final newline), a `client.id` that is not
    `client_id`. A file without its end-of-file line is read, with a notice unless
    `note_cut` is False.
    """
    source = str(path)
    try:
        # O_NONBLOCK: a FIFO planted under a client's name must not hang the program.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ClientNotFoundError(f"no client {client_id!r} in {clients_dir}") from None
    except OSError as error:
        raise os_error(source, "read", error) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise StoragePermissionError(f"{source}: not a regular file; refusing")
            raw = handle.read()
            after = os.fstat(handle.fileno())
    except OSError as error:
        raise os_error(source, "read", error) from None
    if len(raw) >= READ_IN_PARTS_FROM:
        keep_freed_memory()  # a large file: its read frees and builds tens of MB in turn
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFileError(f"{source}: not valid UTF-8; the file was left unchanged") from None
    del raw  # a large file's bytes: their memory serves the parse
    if not text.endswith("\n"):
        # goaltrack always ends a file with a newline; without one, the last line may have
        # been cut (`value = 17` read as `value = 1`), so the file is not trusted.
        raise CorruptFileError(
            f"{source}: does not end with a newline, so it may be truncated; the file was "
            "left unchanged (if you edited it by hand, add a final newline)"
        )
    loaded = parse(text, source)
    if loaded.record.client.id != client_id:
        raise CorruptFileError(
            f"{source}: client.id does not match the file name; the file was left unchanged"
        )
    if not loaded.whole and note_cut:
        notices.note(cut_short_message(source, client_id, "it is shown as it reads"))
    if _same_file(before, after):  # not written in place while it was being read
        return dataclasses.replace(loaded, read_as=after)
    return loaded


def _same_file(before: os.stat_result, after: os.stat_result) -> bool:
    """True when two statuses of one open file show no change in between."""
    return (before.st_size, before.st_mtime_ns, before.st_ctime_ns) == (
        after.st_size,
        after.st_mtime_ns,
        after.st_ctime_ns,
    )


def cut_short_message(source: str, client_id: str, consequence: str) -> str:
    """What to say about a client file without its end-of-file line: it may have been cut
    short outside goaltrack (a copy, a sync tool, a failing disk), and how to confirm it."""
    return (
        f"{source}: has no end-of-file line ('{end_line(client_id)}'), so it may have been cut "
        f"short; {consequence}. Compare it with a backup; if it is whole, run "
        f"'goaltrack check --fix --whole {client_id}'"
    )
