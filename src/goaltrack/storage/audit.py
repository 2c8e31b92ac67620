"""The audit trail: one JSON line per attempted change, appended to $GOALTRACK_HOME/audit.log.

HIPAA-style audit controls: who (OS user), when (UTC), what command, which client, goals and
entry ids, and the outcome (`ok`, `refused`, `failed`). Never a note, a value or a name, with
one exception: when a change removes a risk entry (PHQ-9 item 9 endorsed), `risk_removed`
records its date, total and item-9 answer, so that a safety record never goes without trace.

Policy when the log cannot be written (see docs/reliability.md):
- before a change is written, the store opens the log; if it cannot, the change is refused
  (exit 3, nothing written), so that no change happens without a place to record it;
- if appending the line fails after the change was written, the change stands (undoing a
  committed clinical write, or exiting non-zero so a script retries and duplicates it, would be
  worse); the line is lost, a warning goes to stderr and `goaltrack check` reports the log.

The file is opened O_APPEND | O_NOFOLLOW, created 0600, and each line goes out in one write, so
lines from parallel processes never interleave on a local file system.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goaltrack.errors import InputError, StoragePermissionError, WriteFailedError

if TYPE_CHECKING:  # the model (pydantic) is not needed to append a line
    from goaltrack.records.model import ClientRecord, Goal

AUDIT_FILE = "audit.log"
AUDIT_VERSION = 1

_COMMAND: ContextVar[str] = ContextVar("goaltrack_audit_command", default="api")
_WARNINGS: list[str] = []


def set_command(name: str) -> None:
    """Name the command whose changes are being audited (the CLI sets it; library use: 'api')."""
    _COMMAND.set(name or "api")


def current_command() -> str:
    """The command name the next audit line will carry."""
    return _COMMAND.get()


def add_warning(message: str) -> None:
    """Queue a warning about a side task of a write that failed after the write stood (an
    audit line, a sync commit): the command line reports it once the command ends."""
    _WARNINGS.append(message)


def drain_warnings() -> list[str]:
    """Warnings about audit lines that could not be written, emptied as they are returned."""
    pending = list(_WARNINGS)
    _WARNINGS.clear()
    return pending


def audit_path(home: Path) -> Path:
    """Where the audit log of a home lives."""
    return home / AUDIT_FILE


def os_user() -> str:
    """The name of the OS user running this process (its uid if it has no name)."""
    uid = os.geteuid()
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


def changed_parts(before: ClientRecord | None, after: ClientRecord) -> tuple[list[int], list[str]]:
    """Goal numbers and entry ids that differ between two versions of a record (screenings
    share the entries' id space, so a new screening is named among the entries).

    Computed from the records themselves, so every change through the store is described
    the same way whichever command made it.
    """
    old_goals = {goal.number: goal for goal in before.goals} if before else {}
    new_goals = {goal.number: goal for goal in after.goals}
    goals = sorted(
        number
        for number in old_goals.keys() | new_goals.keys()
        if _differ(old_goals.get(number), new_goals.get(number))
    )
    # A goal that is the very same object in both versions holds the very same entries.
    old_entries = {e.id: e for g in _other_goals(before, after) for e in g.progress}
    old_entries.update((s.id, s) for s in (before.client.screenings if before else []))
    new_entries = {e.id: e for g in _other_goals(after, before) for e in g.progress}
    new_entries.update((s.id, s) for s in after.client.screenings)
    entries = sorted(
        entry_id
        for entry_id in old_entries.keys() | new_entries.keys()
        if _differ(old_entries.get(entry_id), new_entries.get(entry_id))
    )
    return goals, entries


def removed_risks(before: ClientRecord | None, after: ClientRecord) -> list[dict[str, Any]]:
    """Risk entries (PHQ-9 item 9 endorsed or flagged) that the change removed: their id,
    date, total and item-9 answer, so the audit line says a safety record went (no note)."""
    from goaltrack.measures.safety import item9_answer, raises_flag

    if before is None:
        return []
    flagged = [
        entry
        for entry in [
            *(entry for goal in _other_goals(before, after) for entry in goal.progress),
            *before.client.screenings,
        ]
        if raises_flag(entry)
    ]
    if not flagged:
        return []
    kept = after.entry_ids()  # goal entries and screenings (an intake PHQ-9 is one too)
    return [
        {
            "entry": entry.id,
            "date": entry.date.isoformat(),
            "total": entry.value,
            "item9": item9_answer(entry),
        }
        for entry in flagged
        if entry.id not in kept
    ]


def _other_goals(record: ClientRecord | None, other: ClientRecord | None) -> list[Goal]:
    """The goals of `record` that are not the very same object in `other`."""
    if record is None:
        return []
    shared = {id(goal) for goal in other.goals} if other is not None else set()
    return [goal for goal in record.goals if id(goal) not in shared]


def _differ(old: object, new: object) -> bool:
    """True when two versions of a part differ; the very same object (an entry a write did not
    touch) is equal without comparing its fields, which `!=` alone would do."""
    return old is not new and old != new


def outcome_of(error: BaseException | None) -> str:
    """`ok` when nothing went wrong, `refused` for wrong input, `failed` for anything else."""
    if error is None:
        return "ok"
    return "refused" if isinstance(error, InputError) else "failed"


def _line(
    client: str,
    goals: list[int],
    entries: list[str],
    error: BaseException | None,
    risk_removed: list[dict[str, Any]] | None = None,
) -> bytes:
    import json

    event: dict[str, Any] = {
        "v": AUDIT_VERSION,
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "user": os_user(),
        "pid": os.getpid(),
        "command": current_command(),
        "client": client,
        "goals": goals,
        "entries": entries,
        "outcome": outcome_of(error),
        "error": type(error).__name__ if error is not None else None,
    }
    if risk_removed and error is None:  # only a change that happened removed anything
        event["risk_removed"] = risk_removed
    return (json.dumps(event, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


def _open(path: Path) -> int:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(path, flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
    except OSError:
        os.close(fd)
        raise
    return fd


def _append(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(0, "short write")
        view = view[written:]


def _sync(fd: int, home: Path) -> None:
    """Make the line as durable as the change it records; a failure is only a warning."""
    try:
        os.fsync(fd)
    except OSError as problem:
        reason = problem.strerror or type(problem).__name__
        _WARNINGS.append(f"could not sync the audit log {audit_path(home)}: {reason}")


@dataclass
class Attempt:
    """One audited change: the store fills in goals and entries, then it is finished once."""

    home: Path
    client: str
    goals: list[int] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    risk_removed: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    _fd: int | None = None

    def describe(self, before: ClientRecord | None, after: ClientRecord) -> None:
        """Record which goals and entries the change touches."""
        self.goals, self.entries = changed_parts(before, after)
        self.risk_removed = removed_risks(before, after)

    def open_log(self) -> None:
        """Open the log before the change is written; refuse the change if it cannot be."""
        path = audit_path(self.home)
        try:
            self._fd = _open(path)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            if error.errno == errno.ELOOP:
                reason = "it is a symbolic link"
            raise WriteFailedError(
                f"cannot write the audit log {path}: {reason}; no change was made "
                "(see `goaltrack check`)"
            ) from None

    def finish(self, error: BaseException | None) -> None:
        """Append the line; never raises (a lost line becomes a warning)."""
        self.done = True
        data = _line(self.client, self.goals, self.entries, error, self.risk_removed)
        fd = self._fd
        try:
            if fd is None:
                if not self.home.is_dir():
                    return
                fd = _open(audit_path(self.home))
            _append(fd, data)
            _sync(fd, self.home)
        except OSError as problem:
            reason = problem.strerror or type(problem).__name__
            _WARNINGS.append(f"could not append to the audit log {audit_path(self.home)}: {reason}")
        finally:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._fd = None


@dataclass(frozen=True)
class AuditLog:
    """What `read_events` found: the events, and how many lines could not be read."""

    events: list[dict[str, Any]]
    unreadable: int


def read_events(home: Path, client: str | None = None, since: date | None = None) -> AuditLog:
    """The audit events of a home, oldest first, for one client and from a local date on."""
    import json

    path = audit_path(home)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return AuditLog([], 0)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise StoragePermissionError(f"cannot read the audit log {path}: {reason}") from None
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read()
    start = None
    if since is not None:
        start = datetime(since.year, since.month, since.day).astimezone(UTC)
    events: list[dict[str, Any]] = []
    unreadable = 0
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise TypeError
            when = datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            unreadable += 1
            continue
        if client is not None and event.get("client") != client:
            continue
        if start is not None and when < start:
            continue
        events.append(event)
    return AuditLog(events, unreadable)
