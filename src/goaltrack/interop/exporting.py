"""Exports: a lossless JSON dump, tidy entry rows (CSV / JSON Lines), and a FHIR R4 bundle.

The dump is built from the Pydantic models (`ClientRecord.to_document`), not from a list of
fields, so whatever the model holds is exported and `import` reads it back unchanged.
Output is deterministic (clients by id, no timestamps): exporting twice gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goaltrack.errors import DataError, GoaltrackError, InvalidValueError
from goaltrack.interop.formats import DUMP_FORMAT_VERSION, DUMP_KIND
from goaltrack.records.convert import check_client_id
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord
from goaltrack.storage.store import Store, scan
from goaltrack.views import entry_rows

ENTRY_COLUMNS = ("client", "goal", "measure", "id", "date", "value", "session", "rater", "note")


@dataclass
class Selection:
    """The records chosen for an export, and the files that could not be read."""

    records: list[ClientRecord]
    problems: list[GoaltrackError] = field(default_factory=list)


def select(store: Store, client_ids: list[str], everyone: bool) -> Selection:
    """The named clients (each must exist), or every client with --all, sorted by id."""
    if everyone and client_ids:
        raise InvalidValueError("name clients or use --all, not both")
    if everyone:
        if not store.home.is_dir():  # a mistyped home must not give an empty "backup"
            raise DataError(f"no goaltrack data at {store.home}; check --home or GOALTRACK_HOME")
        records, problems = scan(store)
        return Selection(sorted(records, key=lambda r: r.client.id), list(problems))
    if not client_ids:
        raise InvalidValueError("name the clients to export, or use --all")
    unique = sorted(dict.fromkeys(check_client_id(c) for c in client_ids))
    return Selection([store.load(client_id) for client_id in unique])


def dump_document(records: list[ClientRecord]) -> dict[str, Any]:
    """The full JSON dump `import` reads back: every field of every record."""
    return {
        "format_version": DUMP_FORMAT_VERSION,
        "kind": DUMP_KIND,
        "schema_version": SCHEMA_VERSION,
        "clients": [record.to_document() for record in records],
    }


def tidy_rows(records: list[ClientRecord], notes: bool = True) -> list[dict[str, Any]]:
    """One row per progress entry, every client and goal, in date order per goal."""
    rows: list[dict[str, Any]] = []
    for record in records:
        rows.extend(entry_rows(record, sorted(record.goals, key=lambda goal: goal.number)))
    if not notes:
        for row in rows:
            row["note"] = None
    return rows
