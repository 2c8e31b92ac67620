"""Bulk import, all or nothing: check every row against a private copy, then write each client once.

`prepare` reads the input (rows via goaltrack.interop.rows, or a full dump from `export`),
applies every operation to a copy of each client's record with the same core functions the
CLI uses (goaltrack.operations), and collects every error. Only when nothing is wrong does
`commit` write, one `Store.create` or `Store.update` per client, replaying the same operations
under the client's lock. Re-importing the same input adds nothing: entries are matched by id,
or by (goal, date, value, session) when a row has no id; existing clients and goals are never
edited by an import.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from goaltrack import operations
from goaltrack.errors import (
    ClientExistsError,
    ClientNotFoundError,
    CorruptFileError,
    DataError,
    FieldError,
    GoaltrackError,
    InputError,
    InvalidValueError,
    WritesInterruptedError,
)
from goaltrack.interop.formats import DUMP_FORMAT_VERSION, DUMP_KIND, InputFormat
from goaltrack.interop.row_ops import ClientOp, EntryOp, GoalOp, RowError
from goaltrack.interop.rows import read_rows
from goaltrack.measures.instruments import Registry, load_registry
from goaltrack.paths import HOME_FILES, is_valid_client_id
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord, describe_validation_error
from goaltrack.storage import audit
from goaltrack.storage.config import load_config
from goaltrack.storage.draft import Draft
from goaltrack.storage.fileformat import migrate
from goaltrack.storage.homefiles import read_home_file, write_home_file
from goaltrack.storage.store import Store, require_text_of

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
class ClientPlan:
    """Everything the input asks of one client, in input order."""

    client_id: str
    where: str
    client: ClientOp | None = None
    goals: list[GoalOp] = field(default_factory=list)
    entries: list[EntryOp] = field(default_factory=list)
    incoming: ClientRecord | None = None  # a whole record from a dump
    text: str | None = None  # the exact text of its file, when the dump carries it


@dataclass
class ClientResult:
    """What an import does (or would do) to one client."""

    client: str
    action: str  # create | update | unchanged
    goals_added: int = 0
    entries_added: int = 0
    entries_present: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the output layer: every field, in declaration order."""
        return dataclasses.asdict(self)


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


@dataclass(frozen=True)
class Rules:
    """What rows are checked against: the instruments known in the home, and --force."""

    registry: Registry
    # accept a goal target on the worse side of its baseline, and new entries for a
    # discharged client (they join its closed episode, as `log --force`)
    force: bool = False


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
        plans, errors, rows, carried = _dump_plans(text)
    else:
        plans, errors, rows = _row_plans(text, fmt, load_config(store.home).extra_raters)
    results: list[ClientResult] = []
    created: dict[str, ClientRecord] = {}
    drafts: dict[str, Draft] = {}
    for done, plan in enumerate(plans, start=1):
        try:
            existing: ClientRecord | None = store.load(plan.client_id)
        except ClientNotFoundError:
            existing = None
        record, result, draft = _apply_plan(existing, plan, rules, errors)
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
    result = _apply_changes(record, plan, rules, errors, "update")
    if errors:
        raise InvalidValueError(f"{errors[0]} (the file changed during the import)")
    return result


# ---- planning ------------------------------------------------------------------------------


def _row_plans(
    text: str, fmt: InputFormat, raters: Sequence[str] = ()
) -> tuple[list[ClientPlan], list[RowError], int]:
    parsed = read_rows(text, fmt, raters)
    errors = parsed.errors
    plans: dict[str, ClientPlan] = {}
    for op in parsed.ops:
        plan = plans.get(op.client_id)
        if plan is None:
            plan = plans[op.client_id] = ClientPlan(op.client_id, f"line {op.line}")
        if isinstance(op, ClientOp):
            if plan.client is not None:
                errors.append(
                    RowError(
                        f"line {op.line}",
                        f"a second client row for {op.client_id!r} "
                        f"(first on line {plan.client.line})",
                    )
                )
            plan.client = op
        elif isinstance(op, GoalOp):
            plan.goals.append(op)
        else:
            plan.entries.append(op)
    if not text.strip("\ufeff \t\r\n"):
        errors.append(RowError("input", "is empty (not even a header line)"))
    return list(plans.values()), errors, parsed.rows


DumpPlans = tuple[list[ClientPlan], list[RowError], int, dict[str, str]]


def _dump_plans(text: str) -> DumpPlans:
    """The plans of a dump's clients, its errors, its number of records, and the settings
    files (instruments.toml, ...) it carries by name."""
    errors: list[RowError] = []
    try:
        document = json.loads(text.removeprefix("\ufeff"))
    except ValueError as error:
        line = getattr(error, "lineno", None)
        return [], [RowError(f"line {line}" if line else "input", "not valid JSON")], 0, {}
    except RecursionError:  # nested past what the parser can follow: not a dump we wrote
        return [], [RowError("input", "not valid JSON: nested too deeply")], 0, {}
    if not isinstance(document, dict) or not isinstance(document.get("clients"), list):
        return [], [RowError("input", "not a goaltrack export: no 'clients' list")], 0, {}
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > DUMP_FORMAT_VERSION:
        rule = f"format_version must be an integer up to {DUMP_FORMAT_VERSION}"
        return [], [RowError("input", rule)], 0, {}
    if document.get("kind") != DUMP_KIND:
        return [], [RowError("input", f"not a goaltrack export: kind must be {DUMP_KIND!r}")], 0, {}
    texts, carried = _dump_files(document.get("files", {}), errors)
    plans: dict[str, ClientPlan] = {}
    for index, item in enumerate(document["clients"]):
        where = f"clients[{index}]"
        record = _dump_record(item, where, errors)
        if record is None:
            continue
        client_id = record.client.id
        if client_id in plans:
            errors.append(RowError(where, f"client {client_id!r} appears twice"))
            continue
        plan = ClientPlan(client_id, f"{where} ({client_id})", incoming=record)
        plan.text = texts.pop(client_id, None)
        plans[client_id] = plan
    for client_id in sorted(texts):
        errors.append(RowError(FILES_KEY, f"clients/{client_id}.toml has no record in 'clients'"))
    return list(plans.values()), errors, len(document["clients"]), carried


#: The key of a dump that holds the exact text of each file (see exporting.dump_document).
FILES_KEY = "files"
FILES_RULE = (
    "must map 'clients/ID.toml', 'instruments.toml', 'templates.toml' or 'config.toml' to the "
    "file's text"
)


def _dump_files(files: Any, errors: list[RowError]) -> tuple[dict[str, str], dict[str, str]]:
    """A dump's `files`: client file texts by client id, and settings files by name."""
    if not isinstance(files, dict):
        errors.append(RowError(FILES_KEY, FILES_RULE))
        return {}, {}
    texts: dict[str, str] = {}
    carried: dict[str, str] = {}
    for key, text in files.items():
        client_id = key.removeprefix("clients/").removesuffix(".toml")
        if not isinstance(text, str):
            errors.append(RowError(FILES_KEY, FILES_RULE))
        elif key in HOME_FILES:
            carried[key] = text
        elif key == f"clients/{client_id}.toml" and is_valid_client_id(client_id):
            texts[client_id] = text
        else:
            errors.append(RowError(FILES_KEY, FILES_RULE))
    return texts, carried


def _text_matches(text: str, record: ClientRecord, where: str) -> bool:
    """True when a dumped file text reads back as the dumped record (see Store.create)."""
    try:
        require_text_of(text, record, where)
    except DataError:
        return False
    return True


def _dump_record(item: Any, where: str, errors: list[RowError]) -> ClientRecord | None:
    if not isinstance(item, dict):
        errors.append(RowError(where, "must be a JSON object"))
        return None
    version = item.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        errors.append(
            RowError(
                where,
                f"schema_version {version} is newer than this goaltrack "
                f"understands ({SCHEMA_VERSION}); upgrade goaltrack",
            )
        )
        return None
    try:
        return ClientRecord.model_validate(migrate(dict(item), where))
    except CorruptFileError as error:
        errors.append(RowError(where, error.message.removeprefix(f"{where}: ")))
    except ValidationError as error:
        errors.append(RowError(where, describe_validation_error(error)))
    return None


# ---- applying ------------------------------------------------------------------------------


def _apply_plan(
    existing: ClientRecord | None, plan: ClientPlan, rules: Rules, errors: list[RowError]
) -> tuple[ClientRecord | None, ClientResult, Draft | None]:
    """Apply a plan to a copy of the client (or a new record); errors are collected.

    Returns the record, what the plan does to it, and the Draft it was changed in (None for
    a dumped record), whose final check validates only what the plan added or touched.
    """
    if existing is not None:
        record = existing.model_copy(deep=True)
        action = "update"
    elif plan.incoming is not None:
        record = plan.incoming.model_copy(deep=True)  # restored as stored: no rule of today
        if plan.text is not None and not _text_matches(plan.text, record, plan.where):
            # the text is what would be written: it must be the record (a merge ignores it)
            errors.append(
                RowError(
                    plan.where,
                    f"its file text ({FILES_KEY}) does not read back as its record: the dump "
                    "was changed; restore from an unchanged dump",
                )
            )
        entries = sum(len(goal.progress) for goal in record.goals)
        return record, ClientResult(plan.client_id, "create", len(record.goals), entries), None
    elif plan.client is not None:
        op = plan.client
        try:
            record = operations.new_client_record(
                op.client_id,
                name=op.name,
                status=op.status,
                concerns=op.concerns,
                approaches=op.approaches,
                notes=op.notes,
                created=op.created,
            )
        except GoaltrackError as error:
            errors.append(_row_error(op.line, error))
            return None, ClientResult(plan.client_id, "create"), None
        action = "create"
    else:
        errors.append(
            RowError(
                plan.where,
                f"client {plan.client_id!r} does not exist; "
                "add a row with type=client to create it",
            )
        )
        return None, ClientResult(plan.client_id, "create"), None
    draft = Draft(record)
    result = _apply_changes(record, plan, rules, errors, action, draft)
    try:
        draft.revalidated()  # the record's invariants, over every goal and entry
    except InvalidValueError as error:
        errors.append(RowError(plan.where, error.message))
    return record, result, draft


def _apply_changes(
    record: ClientRecord,
    plan: ClientPlan,
    rules: Rules,
    errors: list[RowError],
    action: str,
    draft: Draft | None = None,
) -> ClientResult:
    """Apply a plan's goals and entries to `record`, collecting errors; each entry logged is
    admitted to `draft` (validated when built, so not validated again)."""
    result = ClientResult(plan.client_id, action)
    if plan.incoming is not None:
        _merge(record, plan.incoming, plan.where, errors, result)
    for goal_op in plan.goals:
        try:
            result.goals_added += _apply_goal(record, goal_op, rules)
        except GoaltrackError as error:
            errors.append(_row_error(goal_op.line, error))
    ids = {entry.id: (goal.number, entry) for goal in record.goals for entry in goal.progress}
    keys = {
        (goal.number, entry.date, entry.value, entry.session, entry.rater, entry.note)
        for goal in record.goals
        for entry in goal.progress
    }
    # Rows add entries to a client the import finds discharged only with --force, as `log`
    # does; a client the import creates (a whole history, discharged or not) is not refused.
    in_care = action == "update"
    for op in plan.entries:
        try:
            added = _apply_entry(record, op, rules, ids, keys, in_care)
        except GoaltrackError as error:
            errors.append(_row_error(op.line, error))
            continue
        if added:
            if draft is not None:
                draft.admit(ids[added][1])
            result.entries_added += 1
        else:
            result.entries_present += 1
    if action == "update" and not result.goals_added and not result.entries_added:
        result.action = "unchanged"
    return result


#: A row's column where the model's field has another name.
_COLUMN_OF_FIELD = {"notes": "note"}


def _row_error(line: int, error: GoaltrackError) -> RowError:
    """An error met while applying a row: `line N, field F: RULE` when it is about one field."""
    if isinstance(error, FieldError):
        column = _COLUMN_OF_FIELD.get(error.field, error.field)
        return RowError(f"line {line}, field {column}", error.rule)
    return RowError(f"line {line}", error.message)


def _apply_goal(record: ClientRecord, op: GoalOp, rules: Rules) -> int:
    """Add the goal unless a goal with its number exists (which must then be the same goal)."""
    existing = record.goal(op.number)
    if existing is not None:
        if op.fields.kind is None or not existing.matches(op.fields.kind, op.fields.title or ""):
            raise FieldError(
                "goal",
                f"goal {op.number} of {op.client_id!r} already exists with a different kind "
                "or title; use another number",
            )
        return 0
    operations.add_goal(
        record,
        op.fields,
        rules.registry,
        number=op.number,
        force=rules.force,
        created=op.created,
    )
    return 1


def _apply_entry(
    record: ClientRecord,
    op: EntryOp,
    rules: Rules,
    ids: dict[str, tuple[int, Any]],
    keys: set[tuple[Any, ...]],
    in_care: bool = False,
) -> str | None:
    """Log the entry unless it is already there; the new entry's id, or None if present.
    With `in_care`, a new entry for a discharged client is refused unless --force (an entry
    already there is not: re-importing the same rows changes nothing)."""
    goal = record.require_goal(op.goal)
    if op.measure is not None and goal.measure is not None and op.measure != goal.measure:
        raise FieldError(
            "measure",
            f"goal {op.goal} of {op.client_id!r} is measured with {goal.measure}, not {op.measure}",
        )
    # Rater and note are part of the match: a client's and a therapist's rating of the same
    # value on the same day are two entries, not one.
    key = (op.goal, op.entry.date, op.entry.value, op.entry.session, op.entry.rater, op.entry.note)
    if op.entry_id is not None and op.entry_id in ids:
        number, entry = ids[op.entry_id]
        present = (number, entry.date, entry.value, entry.session, entry.rater, entry.note)
        if present != key:
            raise FieldError(
                "id",
                f"entry {op.entry_id} already exists with a different goal, date, value, "
                "session, rater or note",
            )
        return None
    if op.entry_id is None and key in keys:
        return None
    if in_care:
        operations.require_in_care(record, rules.force)
    new_id = operations.log_value(
        record, op.goal, op.entry, rules.registry, entry_id=op.entry_id, taken=ids
    )
    ids[new_id] = (op.goal, goal.progress[-1])
    keys.add(key)
    return new_id


def _merge(
    record: ClientRecord,
    incoming: ClientRecord,
    where: str,
    errors: list[RowError],
    result: ClientResult,
) -> None:
    """Add the goals and entries of a dumped record that the client does not have yet."""
    ids = {entry.id: (goal.number, entry) for goal in record.goals for entry in goal.progress}
    for goal in incoming.goals:
        mine = record.goal(goal.number)
        if mine is None:
            clash = [entry.id for entry in goal.progress if entry.id in ids]
            if clash:
                errors.append(
                    RowError(
                        where, f"entry {clash[0]} of goal {goal.number} exists on another goal"
                    )
                )
                continue
            record.goals.append(goal.model_copy(deep=True))
            result.goals_added += 1
            result.entries_added += len(goal.progress)
            continue
        if not mine.matches(goal.kind, goal.title):
            errors.append(
                RowError(where, f"goal {goal.number} exists with a different kind or title")
            )
            continue
        for entry in goal.progress:
            if entry.id in ids:
                number, present = ids[entry.id]
                if number != goal.number or present != entry:
                    errors.append(
                        RowError(
                            where,
                            f"entry {entry.id} of goal {goal.number} exists with different data",
                        )
                    )
                else:
                    result.entries_present += 1
                continue
            mine.progress.append(entry.model_copy(deep=True))
            ids[entry.id] = (goal.number, entry)
            result.entries_added += 1
