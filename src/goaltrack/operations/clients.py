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
from goaltrack.settings import as_of


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
    preferences: Iterable[str] = (),
    strengths: Iterable[str] = (),
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
        created=created or as_of(),
        status=status or ClientStatus.ACTIVE,
        approaches=list(approaches),
        notes=notes,
        concerns=concern_models,
        preferences=list(preferences),
        strengths=list(strengths),
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
    since: date | None = None  # the current episode's start (and, in the first, the client's)
    add_preferences: tuple[str, ...] = ()
    remove_preferences: tuple[str, ...] = ()
    add_strengths: tuple[str, ...] = ()
    remove_strengths: tuple[str, ...] = ()

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
                self.add_preferences,
                self.remove_preferences,
                self.add_strengths,
                self.remove_strengths,
            )
        )


CLIENT_CLEARABLE = ("name", "notes")


def edit_client(record: ClientRecord, edit: ClientEdit) -> None:
    """Apply an edit to the client's details, concerns and approaches."""
    if edit.is_empty():
        raise InvalidValueError("nothing to change: give at least one option (see --help)")
    client = record.client
    if edit.status is not None:
        _check_status_change(client.id, client.status, edit.status)
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
        if client.status is ClientStatus.DISCHARGED and client.episodes:
            raise InvalidValueError(
                f"client {client.id!r} is discharged: `goaltrack reopen {client.id} --date "
                "DATE` starts a new episode on that day"
            )
        last = max(client.episodes, key=lambda episode: episode.number, default=None)
        if last is None:  # the first episode: its start is the client's start
            assign(client, "created", edit.since)
        elif edit.since < last.until:
            raise InvalidValueError(
                f"the current episode cannot start before the last one ended "
                f"({last.until.isoformat()})"
            )
        assign(client, "since", edit.since)
    concerns = list(client.concerns)
    for removed in edit.remove_concerns:
        kept = [c for c in concerns if c.name.casefold() != removed.casefold()]
        if len(kept) == len(concerns):
            raise FieldError("remove-concern", "must name one of the client's concerns")
        _refuse_served(record, removed)
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
    for name, adding, removing in (
        ("preferences", edit.add_preferences, edit.remove_preferences),
        ("strengths", edit.add_strengths, edit.remove_strengths),
    ):
        if adding or removing:
            assign(client, name, _edited_texts(getattr(client, name), adding, removing, name))


def _check_status_change(client_id: str, current: ClientStatus, wanted: ClientStatus) -> None:
    """Refuse a status change that only an episode command may make: discharging (it records
    the episode's end and settles its open goals: `goaltrack discharge`) and bringing a
    discharged client back (it starts a new episode: `goaltrack reopen`). Active and paused
    change freely; setting the status a client already has changes nothing."""
    if wanted is current:
        return
    if wanted is ClientStatus.DISCHARGED:
        raise InvalidValueError(
            f"edit-client cannot discharge: `goaltrack discharge {client_id}` ends the episode "
            "(its date, reason and open goals) and prints the end-of-treatment summary"
        )
    if current is ClientStatus.DISCHARGED:
        raise InvalidValueError(
            f"client {client_id!r} is discharged: `goaltrack reopen {client_id}` starts a new "
            "episode (edit-client cannot change the status of a discharged client)"
        )


def _refuse_served(record: ClientRecord, concern: str) -> None:
    """Refuse to remove a concern a goal serves: the goal would point at nothing."""
    serving = [
        str(goal.number)
        for goal in record.goals
        if goal.concern is not None and goal.concern.casefold() == concern.casefold()
    ]
    if serving:
        goals = ", ".join(serving)
        raise InvalidValueError(
            f"goal {goals} of {record.client.id!r} serves that concern; link it to "
            f"another concern first (edit-goal ID N --concern NAME, or --clear concern)"
        )


def _edited_texts(
    current: list[str], added: tuple[str, ...], removed: tuple[str, ...], field: str
) -> list[str]:
    """A list of one-line texts with some removed (by text, ignoring case) and some added."""
    texts = list(current)
    for text in removed:
        kept = [item for item in texts if item.casefold() != text.casefold()]
        if len(kept) == len(texts):
            what = field.removesuffix("s")
            raise FieldError(
                f"remove-{what}",
                f"must be one of the client's {field} (`goaltrack show ID` lists them)",
            )
        texts = kept
    folded = {item.casefold() for item in texts}
    for text in added:
        if text.casefold() not in folded:
            texts.append(text)
            folded.add(text.casefold())
    return texts


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
