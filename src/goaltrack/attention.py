"""The caseload ranked by need: the attention rows of a home, or of one record, as plain data.

`caseload_attention` is the one entry point for anything that lists who needs the clinician
from a home (`attention`, the summary in `clients`): it reads the caseload index
(storage/caseload.py; only changed files are parsed) and applies the rules of
measures/attention.py to each client's derived facts. `record_attention` applies the same
rules to one parsed record (`show`), and `records_attention` to records already read (the
attention provider of `report --caseload`, supervision.AttentionProvider), through the same
facts. `conflict_flags` adds a `sync-conflict` row per client with open sync conflicts in
the home's `conflicts/` folder (a directory listing; no git process).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from goaltrack import settings
from goaltrack.errors import ClientNotFoundError, CorruptFileError, DataError, GoaltrackError
from goaltrack.measures.attention import (
    FORMAT_VERSION,
    Flag,
    client_flags,
    conflict_flag,
    ordered,
)
from goaltrack.measures.instruments import Registry, load_registry
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.records.model import ClientRecord
from goaltrack.storage import facts
from goaltrack.storage.caseload import read_caseload
from goaltrack.sync import conflicts


@dataclass
class Attention:
    """The attention list of a home on a day: the rows worst first, and per client."""

    as_of: date
    stale_days: int
    flags: list[Flag] = field(default_factory=list)
    by_client: dict[str, list[Flag]] = field(default_factory=dict)  # every client read
    clients: list[dict[str, Any]] = field(default_factory=list)  # each client's facts
    problems: list[GoaltrackError] = field(default_factory=list)  # files that did not read

    def rows(self) -> list[dict[str, Any]]:
        """The rows as plain data (the JSON contract of docs/attention.md)."""
        return [flag.as_dict() for flag in self.flags]

    def document(self) -> dict[str, Any]:
        """The whole list as the JSON document of `attention -f json`."""
        return {
            "format_version": FORMAT_VERSION,
            "as_of": self.as_of,
            "stale_days": self.stale_days,
            "attention": self.rows(),
        }


def caseload_attention(
    home: Path,
    as_of: date | None = None,
    stale_days: int | None = None,
    *,
    use_index: bool = True,
    registry: Registry | None = None,
) -> Attention:
    """Every client and goal of the home that needs attention on `as_of`, worst first.

    `as_of` defaults to settings.as_of() (GOALTRACK_AS_OF, else today), `stale_days` to
    settings.stale_days(); `registry` to the home's instruments. Reads the caseload index
    unless `use_index` is False (then every file is read, as a full scan).
    """
    day = as_of or settings.as_of()
    days = settings.stale_days(stale_days)
    caseload = read_caseload(home, use_index=use_index, with_goals=True)  # checks the home
    known = registry or load_registry(home)
    result = Attention(day, days, problems=caseload.problems, clients=caseload.facts)
    everything = []
    for position, client in enumerate(caseload.facts):
        goals = json.loads(caseload.goals.get(client["id"], "[]"))
        if _dated_after(client, day):  # its facts are today's: that day's come from the file
            earlier = _facts_as_of(home, client["id"], day, result.problems)
            if earlier is not None:
                client, goals = earlier
                caseload.facts[position] = client
        found = client_flags(client, goals, known.get, day, days)
        result.by_client[client["id"]] = ordered(found)
        everything.extend(found)
    try:
        unsettled = conflict_flags(home, day)
    except DataError as error:  # listed with the unreadable files: exit 3 after the rows
        result.problems.append(error)
        unsettled = []
    for flag in unsettled:
        result.by_client[flag.client] = ordered([*result.by_client.get(flag.client, []), flag])
        everything.append(flag)
    result.flags = ordered(everything)
    return result


def _dated_after(client: dict[str, Any], day: date) -> bool:
    """True when the client's file holds something dated after `day` (an entry, a screening,
    a risk review): its derived facts, made from the whole file, are not that day's."""
    latest = client.get("latest")
    return latest is not None and date.fromisoformat(latest) > day


def _facts_as_of(
    home: Path, client_id: str, day: date, problems: list[GoaltrackError]
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A client's facts as they stood on `day` (GOALTRACK_AS_OF in the past): its file read and
    cut to that day (records/asof.snapshot), so a flag raised later is not yet there and a flag
    cleared or reviewed later is still open; None (and a problem) when the file cannot be read."""
    from goaltrack.records.asof import snapshot
    from goaltrack.storage.store import Store

    try:
        record = snapshot(Store.at(home).load(client_id), day)
    except (DataError, ClientNotFoundError) as error:  # changed or gone since it was listed
        problems.append(error)
        return None
    return facts.client_facts(record), facts.goal_facts(record)


def conflict_flags(home: Path, as_of: date) -> list[Flag]:
    """One `sync-conflict` row per client with open sync conflicts in the home's conflicts/
        folder, by client id: a directory listing (usually empty or absent), each file read only
        when it is there, no git process. `since` is the day the oldest open conflict was
        recorded (`as_of` when that cannot be told). A conflicts file that cannot be read still
        gives its client a row (the count unknown): `check` names the file. A folder that cannot
    be listed raises CorruptFileError (the callers keep every other row)."""
    folder = conflicts.conflicts_dir(home)
    try:
        names = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        raise CorruptFileError(
            f"{folder}: sync conflicts cannot be listed ({type(error).__name__}); "
            "`goaltrack check` looks at the home"
        ) from None
    found = []
    for name in names:
        if name.startswith(".") or not name.endswith(CLIENT_SUFFIX):
            continue  # a temp file of an interrupted write, or not ours
        client_id = name.removesuffix(CLIENT_SUFFIX)
        try:
            recorded = conflicts.read(home, client_id)
        except DataError:
            found.append(conflict_flag(client_id, as_of, None, False))
            continue
        if recorded:
            days = [day for item in recorded if (day := _recorded_day(item.recorded))]
            found.append(
                conflict_flag(
                    client_id,
                    min(days, default=as_of),
                    len(recorded),
                    any(not item.path for item in recorded),
                )
            )
    return found


def _recorded_day(stamp: str) -> date | None:
    """The day of a conflict's `recorded` time stamp (`2026-11-30T12:00:00Z`), or None."""
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def record_attention(
    record: ClientRecord, as_of: date, stale_days: int, registry: Registry
) -> list[Flag]:
    """The attention rows of one client record (for `show`), by the same rules and facts."""
    return ordered(
        client_flags(
            facts.client_facts(record), facts.goal_facts(record), registry.get, as_of, stale_days
        )
    )


def records_attention(
    records: Sequence[ClientRecord],
    as_of: date,
    *,
    stale_days: int | None = None,
    registry: Registry | None = None,
    home: Path | None = None,
) -> list[dict[str, Any]]:
    """The attention rows of records already read (snapshots as of `as_of`), worst first, as
    plain data: the provider `report --caseload` hands supervision.caseload_report. With the
    `home` they were read from, its open sync conflicts are rows too (`conflict_flags`)."""
    days = settings.stale_days(stale_days)
    known = registry
    found: list[Flag] = []
    for record in records:
        if known is None:
            from goaltrack.measures.instruments import builtin_registry

            known = builtin_registry()
        found.extend(
            client_flags(
                facts.client_facts(record), facts.goal_facts(record), known.get, as_of, days
            )
        )
    if home is not None:
        # `check` names a folder that cannot be listed; the page keeps every other row
        with contextlib.suppress(DataError):
            found.extend(conflict_flags(home, as_of))
    return [flag.as_dict() for flag in ordered(found)]
