"""A client's derived facts: what the caseload index holds, and its refresh after a write.

Derived from a parsed record only (no I/O, no as-of-dependent verdict), so the index and a
full scan agree by construction. Light at the top: safety and the enums are imported when a
record is at hand (a record means the models are loaded anyway).

The index keeps the per-goal facts one goal per line (`goals_text`), so that a write which
touched one goal of ten refreshes the row at the cost of that goal: the others' lines are
taken from the row it replaces, when that row was derived from the very file the change
started from (`Reuse`, `after_write`); anything else derives every goal again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.storage import index
from goaltrack.storage.index import Identity, Row

if TYPE_CHECKING:
    from goaltrack.records.model import ClientRecord, Goal

_DATE = attrgetter("date")
#: What ends the part of a goal's line before its points (the key "points" comes last).
_POINTS_KEY = ',"points":'


def client_facts(record: ClientRecord) -> dict[str, Any]:
    """What the caseload shows of a client: JSON-ready, dates as ISO text.

    One pass over the entries for the last date (the counts are the lists' lengths); the
    open item-9 flag reads only entries that can raise or clear one (measures/safety.py).
    """
    from goaltrack.measures import safety
    from goaltrack.records.enums import GoalStatus

    client = record.client
    last = max(
        (max(map(_DATE, goal.progress)) for goal in record.goals if goal.progress), default=None
    )
    risk = safety.open_risk(record)
    dated = [*(s.date for s in client.screenings), *(r.date for r in client.risk_reviews)]
    latest = max([*dated, *([] if last is None else [last])], default=None)
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
        "entries": sum(len(goal.progress) for goal in record.goals),
        "last_entry": None if last is None else last.isoformat(),
        # the latest date of anything a view as of an earlier day leaves out (records/asof.py):
        # facts of a client with nothing after that day are that day's facts as well
        "latest": None if latest is None else latest.isoformat(),
        "risk_item9": None
        if risk is None
        else {
            "date": risk.date.isoformat(),
            "entry": risk.entry,
            "goal": risk.goal,
            "response": risk.response,
        },
    }


def _goal_head(goal: Goal) -> dict[str, Any]:
    """A goal's facts but its points: its own fields and its entry count."""
    return {
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
    }


def _points(goal: Goal) -> list[list[Any]]:
    """[date, value, instrument] by date (stable for a day), as the trend reads them."""
    return [
        [entry.date.isoformat(), entry.value, entry.instrument] for entry in goal.entries_in_order()
    ]


def goal_facts(record: ClientRecord) -> list[dict[str, Any]]:
    """Per goal, the inputs of its summary (for `attention`): no as-of-dependent verdicts."""
    return [{**_goal_head(goal), "points": _points(goal)} for goal in record.goals]


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def goals_text(
    record: ClientRecord,
    reusable: Mapping[str, str] | None = None,
    untouched: frozenset[int] = frozenset(),
) -> str:
    """`goal_facts` as the index stores it: a JSON array, one goal per line.

    Each line is the compact JSON of one goal's facts (compact JSON never holds a line
    break: one in a title is escaped). `reusable` maps the beginning of a line (everything
    before the points) to the whole line, from a row known to describe the record the change
    started from (`reusable_lines`): a goal in `untouched` whose beginning, recomputed now,
    is found there takes that line as it is, so its points are neither rebuilt nor dumped.
    """
    lines = []
    for goal in record.goals:
        head = _compact(_goal_head(goal))[:-1] + _POINTS_KEY
        line = reusable.get(head) if reusable and goal.number in untouched else None
        lines.append(line if line is not None else f"{head}{_compact(_points(goal))}}}")
    return "[" + ",\n".join(lines) + "]"


def reusable_lines(text: str) -> dict[str, str]:
    """The lines of a `goals_text`, by their beginning (all but the points); {} if it is not one.

    A line's beginning ends at its first `,"points":`: inside a JSON string every quote is
    escaped, so that text can only be the key. A line that does not look like a goal's facts
    is left out (its goal is derived again).
    """
    if not (text.startswith("[") and text.endswith("]")):
        return {}
    found = {}
    for line in text[1:-1].split(",\n"):
        end = line.find(_POINTS_KEY)
        if line.startswith('{"number":') and line.endswith("}") and end > 0:
            found[line[: end + len(_POINTS_KEY)]] = line
    return found


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


@dataclass(frozen=True)
class Reuse:
    """What a write left as it was read, so that its refresh need not derive it again.

    `read` is the `index.identity` of the file the change started from, as read under the
    client's lock (the fstat of the descriptor it was read through, unchanged by the read);
    `untouched` holds the numbers of the goals whose fields and entries the change left
    exactly as read. A goal renumbered, added or changed in any way is not untouched.
    """

    read: Identity
    untouched: frozenset[int]


def after_write(
    home: Path,
    client_id: str,
    record: ClientRecord,
    written: os.stat_result,
    reuse: Reuse | None = None,
) -> None:
    """Refresh a client's row right after its file was replaced (under the client's lock).

    `written` is the fstat of the file as written, before the rename. The row takes the
    identity of the file now in place only if it is that file (same inode, size and mtime);
    else the row is dropped and the next reader reads the file. Never fails a write: the file
    is the truth, and a row left behind has another identity than the new file. With `reuse`,
    the untouched goals' facts may come from the row being replaced (see `_refresh`).
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
            _refresh(kept, client_id, record, now, ours, reuse)
            return
        with index.opened(home) as opened:
            if opened is not None:
                _refresh(opened, client_id, record, now, ours, reuse)


def _refresh(
    opened: index.Index,
    client_id: str,
    record: ClientRecord,
    now: os.stat_result,
    ours: bool,
    reuse: Reuse | None = None,
) -> None:
    """Put the client's row with the identity `now`, or drop it when the file is not `ours`.

    An untouched goal's line is taken from the row being replaced only when that row's
    identity is `reuse.read` (so it was derived from exactly the file the change started
    from) and the line begins with the goal's facts as they are now (number, fields, entry
    count); every other goal, and every goal when there is no such row, is derived again.
    """
    if not ours:
        opened.drop([client_id])
        return
    reusable: dict[str, str] = {}
    if reuse is not None and reuse.untouched:
        found = opened.goals_of(client_id)
        if found is not None and found[0] == reuse.read:
            reusable = reusable_lines(found[1])
    goals = goals_text(record, reusable, reuse.untouched if reuse is not None else frozenset())
    opened.put([Row(client_id, index.identity(now), client_facts(record), goals)])
