"""What an import asks of each client: rows or a dump's records, gathered into one plan each.

Rows (read by goaltrack.interop.rows) are grouped by client in input order. A full dump (from
`export`) is read and checked here: its envelope, each client's record (migrated, validated),
and the exact file texts and settings files it carries (that a text reads back as its record
is checked when the plan is applied). Nothing here reads the home: applying a plan to a
client's record is goaltrack.interop.import_apply; `prepare` and `commit` are
goaltrack.interop.importing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from goaltrack.errors import CorruptFileError
from goaltrack.interop.formats import DUMP_FORMAT_VERSION, DUMP_KIND, InputFormat
from goaltrack.interop.row_ops import ClientOp, EntryOp, GoalOp, RowError
from goaltrack.interop.rows import read_rows
from goaltrack.paths import HOME_FILES, is_valid_client_id
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord, describe_validation_error
from goaltrack.storage.fileformat import migrate


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


def row_plans(
    text: str, fmt: InputFormat, raters: Sequence[str] = ()
) -> tuple[list[ClientPlan], list[RowError], int]:
    """The plans of the rows' clients (in input order), the errors found, and the number of
    rows read. `raters`: the home's extra rater names, accepted beside the documented ones."""
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


def dump_plans(text: str) -> DumpPlans:
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
