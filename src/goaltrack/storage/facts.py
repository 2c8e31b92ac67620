"""A client's derived facts: what the caseload index holds, and its refresh after a write.

Derived from a parsed record only (no I/O, no as-of-dependent verdict), so the index and a
full scan agree by construction. Light at the top: safety and the enums are imported when a
record is at hand (a record means the models are loaded anyway).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.storage import index
from goaltrack.storage.index import Row

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord


def client_facts(record: ClientRecord) -> dict[str, Any]:
    """What the caseload shows of a client: JSON-ready, dates as ISO text."""
    from goaltrack.measures import safety
    from goaltrack.records.enums import GoalStatus

    client = record.client
    dates = [entry.date for goal in record.goals for entry in goal.progress]
    risk = safety.open_risk(record)
    return {
        "id": client.id,
        "name": client.name,
        "status": client.status.value,
        "created": client.created.isoformat(),
        "since": client.since.isoformat(),
        "episode": client.current_episode(),
        "concerns": [
            {"name": concern.name, "severity": concern.severity.value}
            for concern in client.concerns
        ],
        "approaches": [approach.value for approach in client.approaches],
        "goals": len(record.goals),
        "active_goals": sum(1 for goal in record.goals if goal.status is GoalStatus.ACTIVE),
        "entries": len(dates),
        "last_entry": max(dates).isoformat() if dates else None,
        "risk_item9": None
        if risk is None
        else {
            "date": risk.date.isoformat(),
            "entry": risk.entry,
            "goal": risk.goal,
            "response": risk.response,
        },
    }


def goal_facts(record: ClientRecord) -> list[dict[str, Any]]:
    """Per goal, the inputs of its summary (for `attention`): no as-of-dependent verdicts."""
    return [
        {
            "number": goal.number,
            "title": goal.title,
            "kind": goal.kind.value,
            "status": goal.status.value,
            "measure": goal.measure,
            "baseline": goal.baseline,
            "target": goal.target,
            "due": goal.due.isoformat() if goal.due else None,
            "priority": goal.priority.value,
            "created": goal.created.isoformat(),
            "every": goal.every,
            "episode": goal.episode,
            "concern": goal.concern,
            "entries": len(goal.progress),
            # [date, value, instrument] by date (stable for a day), as the trend reads them
            "points": [
                [entry.date.isoformat(), entry.value, entry.instrument]
                for entry in goal.entries_in_order()
            ],
        }
        for goal in record.goals
    ]


# ---- the write path's hook ---------------------------------------------------------------

#: Indexes held open by `kept_open` for a run of writes, by home.
_KEPT: dict[Path, index.Index] = {}


@contextlib.contextmanager
def kept_open(home: Path) -> Iterator[None]:
    """Keep the home's index open for the writes made inside (an import of many clients).

    Opening the index, and closing it (which checkpoints the WAL), cost more than refreshing a
    row; an import writing 50 clients so opens it once, not 50 times. Each row is still its
    own transaction, committed under its client's lock right after that client's file was
    replaced, exactly as a lone write commits it. When the index cannot be opened now, each
    write opens it for itself, as it would without this.
    """
    if home in _KEPT:  # nested: the outer block owns the connection
        yield
        return
    try:
        opened = index.open_index(home)
    except index.IndexUnavailable:
        opened = None
    if opened is None:
        yield
        return
    _KEPT[home] = opened
    try:
        yield
    finally:
        del _KEPT[home]
        with contextlib.suppress(sqlite3.Error):
            opened.connection.close()


def after_write(home: Path, client_id: str, record: ClientRecord, written: os.stat_result) -> None:
    """Refresh a client's row right after its file was replaced (under the client's lock).

    `written` is the fstat of the file as written, before the rename. The row takes the
    identity of the file now in place only if it is that file (same inode, size and mtime);
    else the row is dropped and the next reader reads the file. Never fails a write: the file
    is the truth, and a row left behind has another identity than the new file.
    """
    path = home / "clients" / f"{client_id}{CLIENT_SUFFIX}"
    with contextlib.suppress(sqlite3.Error, OSError, index.IndexUnavailable):
        now = os.lstat(path)
        ours = (now.st_ino, now.st_size, now.st_mtime_ns) == (
            written.st_ino,
            written.st_size,
            written.st_mtime_ns,
        )
        kept = _KEPT.get(home)
        if kept is not None:
            _refresh(kept, client_id, record, now, ours)
            return
        with index.opened(home) as opened:
            if opened is not None:
                _refresh(opened, client_id, record, now, ours)


def _refresh(
    opened: index.Index, client_id: str, record: ClientRecord, now: os.stat_result, ours: bool
) -> None:
    """Put the client's row with the identity `now`, or drop it when the file is not `ours`."""
    if not ours:
        opened.drop([client_id])
        return
    goals = json.dumps(goal_facts(record), separators=(",", ":"))
    opened.put([Row(client_id, index.identity(now), client_facts(record), goals)])
