"""Exports: a lossless JSON dump, tidy entry rows (CSV / JSON Lines), and a FHIR R4 bundle.

The dump is built from the Pydantic models (`ClientRecord.to_document`), not from a list of
fields, so whatever the model holds is exported and `import` reads it back unchanged.
Output is deterministic (clients by id, no timestamps): exporting twice gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goaltrack.errors import ClientNotFoundError, DataError, GoaltrackError, InvalidValueError
from goaltrack.interop.formats import DUMP_FORMAT_VERSION, DUMP_KIND
from goaltrack.measures import safety
from goaltrack.paths import CLIENT_SUFFIX, HOME_FILES
from goaltrack.records.convert import check_client_id
from goaltrack.records.enums import ENTRY_COLUMNS
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord
from goaltrack.storage.homefiles import read_home_file
from goaltrack.storage.store import Store
from goaltrack.views import entry_rows

#: JSON Lines rows also carry the item `answers` of an administered form.
JSONL_COLUMNS = (*ENTRY_COLUMNS, "answers")


@dataclass
class Selection:
    """The records chosen for an export, the exact text of each one's file (by client id),
    and the files that could not be read."""

    records: list[ClientRecord]
    problems: list[GoaltrackError] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def select(store: Store, client_ids: list[str], everyone: bool) -> Selection:
    """The named clients (each must exist), or every client with --all, sorted by id."""
    if everyone and client_ids:
        raise InvalidValueError("name clients or use --all, not both")
    if everyone:
        if not store.home.is_dir():  # a mistyped home must not give an empty "backup"
            raise DataError(f"no goaltrack data at {store.home}; check --home or GOALTRACK_HOME")
        wanted = store.client_ids()
    elif not client_ids:
        raise InvalidValueError("name the clients to export, or use --all")
    else:
        wanted = sorted(dict.fromkeys(check_client_id(c) for c in client_ids))
    selection = Selection([])
    for client_id in wanted:
        try:
            loaded = store.read(client_id)  # record and text from one read: they agree
        except (DataError, ClientNotFoundError) as error:
            if not everyone:
                raise
            selection.problems.append(error)
            continue
        selection.records.append(loaded.record)
        selection.texts[client_id] = loaded.text
    return selection


def home_files(store: Store) -> dict[str, str]:
    """The exact text of each of the home's settings files present (instruments.toml, ...)."""
    found = {}
    for name in HOME_FILES:
        text = read_home_file(store.home, name)
        if text is not None:
            found[name] = text
    return found


def dump_document(
    records: list[ClientRecord],
    texts: dict[str, str] | None = None,
    settings_files: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The full JSON dump `import` reads back: every field of every record, and, under
    `files`, the exact text of each client's file (`clients/ID.toml`) and of the home's
    settings files, so that a restore into an empty home is byte-identical."""
    files = {name: text for name, text in sorted((settings_files or {}).items())}
    for record in records:
        text = (texts or {}).get(record.client.id)
        if text is not None:
            files[client_file_key(record.client.id)] = text
    document: dict[str, Any] = {
        "format_version": DUMP_FORMAT_VERSION,
        "kind": DUMP_KIND,
        "schema_version": SCHEMA_VERSION,
        "clients": [record.to_document() for record in records],
    }
    if files:
        document["files"] = files
    return document


def client_file_key(client_id: str) -> str:
    """Where a client's file text sits in a dump's `files`: its path in the home."""
    return f"clients/{client_id}{CLIENT_SUFFIX}"


def tidy_rows(
    records: list[ClientRecord], notes: bool = True, answers: bool = False
) -> list[dict[str, Any]]:
    """One row per progress entry, every client and goal, in date order per goal, with its
    flags (and, when `answers`, its item answers: JSON Lines has room for a list)."""
    rows: list[dict[str, Any]] = []
    for record in records:
        goals = sorted(record.goals, key=lambda goal: goal.number)
        entries = {entry.id: entry for goal in goals for entry in goal.progress}
        for row in entry_rows(record, goals):
            entry = entries[row["id"]]
            row["flags"] = [flag.value for flag in entry.flags or []]
            if answers:
                row["answers"] = list(entry.responses) if entry.responses else None
            rows.append(row)
    if not notes:
        for row in rows:
            row["note"] = None
    return rows


def open_alerts(records: list[ClientRecord]) -> list[str]:
    """The open item-9 alerts of the exported clients, one line each, for stderr: a flat
    export must never be the quiet way a safety signal leaves the tool."""
    return [f"{alert.client}: {alert.message()}" for r in records for alert in safety.alerts(r)]
