"""Applying an import's plan to one client's record: new goals and entries in, the rest kept.

The same core functions the CLI uses (goaltrack.operations) add each goal and log each entry,
collecting every error with the row it came from. An entry already there (same id, or same
goal, date, value, session, rater and note) is not added again, and a dumped record is merged
goal by goal. `prepare` applies each plan to a copy of the client; `commit` replays it under
the client's lock (both in goaltrack.interop.importing).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from goaltrack import operations
from goaltrack.errors import DataError, FieldError, GoaltrackError, InvalidValueError
from goaltrack.interop.import_plans import FILES_KEY, ClientPlan
from goaltrack.interop.row_ops import EntryOp, GoalOp, RowError
from goaltrack.measures.instruments import Registry
from goaltrack.records.model import ClientRecord
from goaltrack.storage.draft import Draft
from goaltrack.storage.store import require_text_of


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


@dataclass(frozen=True)
class Rules:
    """What rows are checked against: the instruments known in the home, and --force."""

    registry: Registry
    # accept a goal target on the worse side of its baseline, and new entries for a
    # discharged client (they join its closed episode, as `log --force`)
    force: bool = False


def _text_matches(text: str, record: ClientRecord, where: str) -> bool:
    """True when a dumped file text reads back as the dumped record (see Store.create)."""
    try:
        require_text_of(text, record, where)
    except DataError:
        return False
    return True


def apply_plan(
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
    result = apply_changes(record, plan, rules, errors, action, draft)
    try:
        draft.revalidated()  # the record's invariants, over every goal and entry
    except InvalidValueError as error:
        errors.append(RowError(plan.where, error.message))
    return record, result, draft


def apply_changes(
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
