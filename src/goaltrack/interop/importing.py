"""Bulk import, all or nothing: check every row against a private copy, then write each client once.

`prepare` reads the input into one plan per client (goaltrack.interop.import_plans: rows via
goaltrack.interop.rows, or a full dump from `export`), applies every operation to a copy of
each client's record with the same core functions the CLI uses (goaltrack.operations), and
collects every error. Only when nothing is wrong does `commit` write, one `Store.create` or
`Store.update` per client, replaying the same operations under the client's lock.
Re-importing the same input adds nothing: entries are matched by id, or by (goal, date,
value, session) when a row has no id; existing clients and goals are never edited by an
import. Applying a plan to a record is goaltrack.interop.import_apply.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from goaltrack.errors import (
    ClientExistsError,
    ClientNotFoundError,
    GoaltrackError,
    InputError,
    InvalidValueError,
    WritesInterruptedError,
)
from goaltrack.interop.formats import InputFormat
from goaltrack.interop.import_apply import ClientResult, Rules, apply_changes, apply_plan
from goaltrack.interop.import_plans import ClientPlan, dump_plans, row_plans
from goaltrack.interop.row_ops import RowError
from goaltrack.measures.instruments import Registry, load_registry
from goaltrack.records.model import ClientRecord
from goaltrack.storage import audit
from goaltrack.storage.config import load_config
from goaltrack.storage.draft import Draft
from goaltrack.storage.homefiles import read_home_file, write_home_file
from goaltrack.storage.store import Store

#: Called as progress(phase, done, total) while checking and writing; phase is "check" or "write".
Progress = Callable[[str, int, int], None]


class ImportRejected(InputError):
    """The input holds invalid rows: nothing was written. `errors` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        count = len(errors)
        super().__init__(
            f"import refused: {count} error{'s' if count != 1 else ''}; nothing was written"
        )
        self.errors = sorted(errors, key=_line_of)


def _line_of(error: RowError) -> int:
    """The line an error is on (0 for errors about the whole input or a dumped client)."""
    number = error.where.removeprefix("line ").split(",", 1)[0]
    return int(number) if number.isdigit() else 0


@dataclass
class Prepared:
    """A checked import: the plans, what each would change, and the new records to create."""

    plans: list[ClientPlan]
    results: list[ClientResult]
    created: dict[str, ClientRecord]
    rows: int
    rules: Rules
    unit: str = "row"  # what `rows` counts: CSV / JSON Lines rows, or dumped client records
    #: The Draft each new record was built in (rows, not dumps): its entries, validated when
    #: built, are not validated again when the record is written.
    drafts: dict[str, Draft] = field(default_factory=dict)
    #: A dump's settings files (instruments.toml, ...) the home lacks: written before the
    #: clients. And those the home has with other text: kept as they are, and reported.
    restore_files: dict[str, str] = field(default_factory=dict)
    kept_files: list[str] = field(default_factory=list)


def prepare(
    store: Store,
    text: str,
    fmt: InputFormat,
    progress: Progress | None = None,
    *,
    registry: Registry | None = None,
    force: bool = False,
) -> Prepared:
    """Read and check the whole input against the current data; raise ImportRejected if wrong.

    Nothing is written. A client file that cannot be read (corrupt, too new) stops the import
    with its own data error, because merging into a file we cannot trust is not safe.
    Values and goals are checked against `registry` (default: the home's instruments).
    """
    rules = Rules(registry if registry is not None else load_registry(store.home), force)
    carried: dict[str, str] = {}
    if fmt is InputFormat.JSON:
        plans, errors, rows, carried = dump_plans(text)
    else:
        plans, errors, rows = row_plans(text, fmt, load_config(store.home).extra_raters)
    results: list[ClientResult] = []
    created: dict[str, ClientRecord] = {}
    drafts: dict[str, Draft] = {}
    for done, plan in enumerate(plans, start=1):
        try:
            existing: ClientRecord | None = store.load(plan.client_id)
        except ClientNotFoundError:
            existing = None
        record, result, draft = apply_plan(existing, plan, rules, errors)
        results.append(result)
        if record is not None and result.action == "create":
            created[plan.client_id] = record
            if draft is not None:
                drafts[plan.client_id] = draft
        if progress:
            progress("check", done, len(plans))
    if errors:
        rejected = ImportRejected(errors)
        _audit_refusal(store, plans, rejected)
        raise rejected
    unit = "client record" if fmt is InputFormat.JSON else "row"
    prepared = Prepared(plans, results, created, rows, rules, unit, drafts)
    for name, carried_text in carried.items():
        present = read_home_file(store.home, name)
        if present is None:
            prepared.restore_files[name] = carried_text
        elif present != carried_text:
            prepared.kept_files.append(name)
    return prepared


def _audit_refusal(store: Store, plans: list[ClientPlan], rejected: ImportRejected) -> None:
    """A refused import goes to audit.log like any refused change: one `refused` line per
    client the input names (one line with no client when none could be read)."""
    for client_id in sorted({plan.client_id for plan in plans}) or [""]:
        audit.Attempt(store.home, client_id).finish(rejected)


def commit(
    store: Store, prepared: Prepared, progress: Progress | None = None
) -> list[ClientResult]:
    """Write a prepared import: one locked, atomic write per changed client.

    Under each lock the operations are replayed on the file as it is now, so a change made
    by another process since `prepare` is kept. If a write fails, the clients written before
    it stay written; re-running the import then adds only what is missing.
    """
    if prepared.restore_files or any(c.action != "unchanged" for c in prepared.results):
        store.ensure_home()  # so that the index can be held open from the first write on
    for name, text in prepared.restore_files.items():  # before the clients that use them
        if read_home_file(store.home, name) is None:  # still absent: never overwritten
            write_home_file(store.home, name, text)
    with store.many_writes():
        return _commit_plans(store, prepared, progress)


def _commit_plans(
    store: Store, prepared: Prepared, progress: Progress | None
) -> list[ClientResult]:
    """Write each changed client of a prepared import, in order (see `commit`)."""
    results: list[ClientResult] = []
    written: list[str] = []
    to_write = sum(1 for checked in prepared.results if checked.action != "unchanged")
    for done, (plan, checked) in enumerate(zip(prepared.plans, prepared.results, strict=True), 1):
        try:
            replay = functools.partial(_replay, plan=plan, rules=prepared.rules)
            if checked.action == "create":
                try:
                    store.create(
                        prepared.created[plan.client_id],
                        prepared.drafts.get(plan.client_id),
                        text=plan.text,
                    )
                    results.append(checked)
                except ClientExistsError:  # created by someone else since the check: merge
                    results.append(store.update(plan.client_id, replay))
            elif checked.action == "update":
                results.append(store.update(plan.client_id, replay))
            else:
                results.append(checked)
        except GoaltrackError as error:
            done_note = (
                f"{len(written)} client(s) were written before this one; re-run the import to "
                "add the rest (already imported entries are not added twice)"
                if written
                else "nothing was written"
            )
            raise type(error)(f"client {plan.client_id!r}: {error.message}; {done_note}") from None
        except KeyboardInterrupt:
            # Each client's write is atomic: one being written when Ctrl-C came is either
            # complete or untouched, so a re-run adds exactly what is missing.
            raise WritesInterruptedError(
                f"interrupted: {len(written)} of {to_write} client(s) were written (the one "
                f"being written, {plan.client_id}, is complete or untouched); re-run the same "
                "import to complete it (entries already imported are not added twice)"
            ) from None
        if checked.action != "unchanged":
            written.append(plan.client_id)
        if progress:
            progress("write", done, len(prepared.plans))
    return results


def _replay(record: ClientRecord, plan: ClientPlan, rules: Rules) -> ClientResult:
    errors: list[RowError] = []
    result = apply_changes(record, plan, rules, errors, "update")
    if errors:
        raise InvalidValueError(f"{errors[0]} (the file changed during the import)")
    return result
