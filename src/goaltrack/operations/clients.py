"""Creating a client record and editing a client's details, concerns and approaches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.operations.dates import check_since
from goaltrack.records.convert import check_client_id
from goaltrack.records.model import (
    Approach,
    Client,
    ClientRecord,
    ClientStatus,
    Concern,
    Severity,
    assign,
    build,
)


def new_client_record(
    client_id: str,
    *,
    name: str | None = None,
    status: ClientStatus | None = None,
    concerns: Iterable[tuple[str, Severity | None]] = (),
    approaches: Iterable[Approach] = (),
    notes: str | None = None,
    created: date | None = None,
    check_dates: bool = False,
) -> ClientRecord:
    """A new client's record, validated but not yet written (the store writes it).

    `created` is the client's start (`--since`); `check_dates` (the command line) refuses one
    in the future, while an import keeps the date its rows carry."""
    check_client_id(client_id)
    if check_dates and created is not None:
        check_since(created, date.today())
    concern_models = [
        build(Concern, name=cname, severity=severity or Severity.MODERATE)
        for cname, severity in concerns
    ]
    client = build(
        Client,
        id=client_id,
        name=name,
        created=created or date.today(),
        status=status or ClientStatus.ACTIVE,
        approaches=list(approaches),
        notes=notes,
        concerns=concern_models,
    )
    return ClientRecord(client=client)


@dataclass
class ClientEdit:
    """What `edit-client` may change; None means leave as is."""

    name: str | None = None
    status: ClientStatus | None = None
    notes: str | None = None
    set_concerns: tuple[tuple[str, Severity | None], ...] = ()
    remove_concerns: tuple[str, ...] = ()
    add_approaches: tuple[Approach, ...] = ()
    remove_approaches: tuple[Approach, ...] = ()
    clear: tuple[str, ...] = ()
    since: date | None = None  # the client's start (client.created); never in the future

    def is_empty(self) -> bool:
        """True when the edit would change nothing."""
        return not any(
            (
                self.name is not None,
                self.status is not None,
                self.notes is not None,
                self.set_concerns,
                self.remove_concerns,
                self.add_approaches,
                self.remove_approaches,
                self.clear,
                self.since is not None,
            )
        )


CLIENT_CLEARABLE = ("name", "notes")


def edit_client(record: ClientRecord, edit: ClientEdit) -> None:
    """Apply an edit to the client's details, concerns and approaches."""
    if edit.is_empty():
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    client = record.client
    for field in edit.clear:
        if field not in CLIENT_CLEARABLE:
            raise FieldError("clear", "must be one of: name, notes")
        assign(client, field, None)
    if edit.name is not None:
        assign(client, "name", edit.name)
    if edit.status is not None:
        client.status = edit.status
    if edit.notes is not None:
        assign(client, "notes", edit.notes)
    if edit.since is not None:
        check_since(edit.since, date.today())
        assign(client, "created", edit.since)
    concerns = list(client.concerns)
    for removed in edit.remove_concerns:
        kept = [c for c in concerns if c.name.casefold() != removed.casefold()]
        if len(kept) == len(concerns):
            raise FieldError("remove-concern", "must name one of the client's concerns")
        concerns = kept
    for cname, severity in edit.set_concerns:
        existing = next((c for c in concerns if c.name.casefold() == cname.casefold()), None)
        if existing is None:
            concerns.append(build(Concern, name=cname, severity=severity or Severity.MODERATE))
        elif severity is not None:
            existing.severity = severity
    client.concerns = concerns
    approaches = [a for a in client.approaches if a not in edit.remove_approaches]
    approaches.extend(a for a in edit.add_approaches if a not in approaches)
    client.approaches = approaches


def replace_record(record: ClientRecord, replacement: ClientRecord) -> None:
    """Make `record` hold exactly what `replacement` holds (undo writes a client's previous
    version back, resolve a settled conflict): every field is assigned, so the store's usual
    checks run over the result before anything is written."""
    if replacement.client.id != record.client.id:
        raise InvalidValueError(
            f"the replacement is client {replacement.client.id!r}, not {record.client.id!r}"
        )
    for name in type(record).model_fields:
        setattr(record, name, getattr(replacement, name))
