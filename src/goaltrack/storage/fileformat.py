"""The client file format: TOML text to a validated record and back, and the migration chain.

No I/O here: the store reads and writes the bytes (storage/store.py). `parse` takes the text of
a client file to a `LoadedRecord` (TOML, then migration to SCHEMA_VERSION, then the model's
validation; every error names the file, and the line where TOML gives one). `render` takes a
record to the exact text goaltrack writes and proves that the text parses back to the same data;
the text ends with an end-of-file line (`# end of ID`, schema 2 on), so a copy cut exactly at a
line end, which still parses, is known to be cut (`LoadedRecord.whole`).

The TOML text itself (reading with rtoml and tomllib as the reference, writing goaltrack's exact
layout) is storage/tomltext.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from goaltrack.errors import CorruptFileError, SchemaTooNewError, WriteFailedError
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord, describe_validation_error
from goaltrack.storage import tomltext
from goaltrack.storage.tomltext import TomlError, TomlLimitError

Migration = Callable[[dict[str, Any]], dict[str, Any]]
#: vN -> vN+1 migrations of a parsed document, keyed by the version they read.
MIGRATIONS: dict[int, Migration] = {}


@dataclass(frozen=True)
class LoadedRecord:
    """A record together with the schema version its file carries (before any migration), and
    whether the file is known whole: it ends with its end-of-file line (`# end of ID`), or it
    is a schema-1 file, written before that line existed."""

    record: ClientRecord
    file_version: int
    whole: bool = True
    #: The file's text exactly as read (a dump carries it, so a restore is byte-identical).
    text: str = ""
    #: The file's status as read, when it did not change while it was read (the store hands
    #: it to the index refresh: what the change started from).
    read_as: os.stat_result | None = None


#: The first schema whose files end with an end-of-file line.
MARKED_SINCE = 2


def end_line(client_id: str) -> str:
    """The last line goaltrack writes in a client's file. A copy cut exactly at a line end
    (by a sync tool, a failing disk) still parses; without this line it shows as cut."""
    return f"# end of {client_id}"


def has_end_line(text: str, client_id: str) -> bool:
    """True when the text holds the client's end-of-file line as a whole line (normally the
    last; a hand edit may have appended after it)."""
    marker = end_line(client_id)
    if text.endswith(f"\n{marker}\n"):  # as goaltrack writes it (no copy of a large text)
        return True
    if text.rstrip().endswith("\n" + marker) or text.strip() == marker:
        return True
    return any(line.strip() == marker for line in text.splitlines())


def _v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: the current episode starts when the file was made (`since`); everything
    else schema 2 adds is optional or has a default (docs/formats.md)."""
    client = document.get("client")
    if isinstance(client, dict) and "since" not in client and "created" in client:
        document["client"] = {**client, "since": client["created"]}
    return document


MIGRATIONS[1] = _v1_to_v2


def migrate(document: dict[str, Any], source: str = "client file") -> dict[str, Any]:
    """Bring a parsed document up to SCHEMA_VERSION through the vN -> vN+1 chain."""
    version = _schema_version(document, source)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise CorruptFileError(f"{source}: no migration from schema_version {version}")
        document = step(dict(document))
        version += 1
        document["schema_version"] = version
    return document


def parse(text: str, source: str) -> LoadedRecord:
    """Parse, migrate and validate the text of a client file; errors name `source` and line.

    A file of a newer schema is read when the model still understands it (unknown keys are
    dropped); the store then refuses to write it, since writing would lose those keys. A
    leading UTF-8 byte-order mark is skipped (the next write leaves it out).
    """
    original = text
    # A Windows editor may save a hand edit with a UTF-8 byte-order mark; it is not data.
    text = text.removeprefix("\ufeff")
    try:
        document = tomltext.read_toml(text)
    except TomlLimitError as error:
        raise CorruptFileError(
            f"{source}: cannot be read: {error}; the file was left unchanged"
        ) from None
    except TomlError as error:
        where = f" (line {error.line})" if error.line else ""
        raise CorruptFileError(
            f"{source}: not valid TOML{where}; the file was left unchanged"
        ) from None
    version = _schema_version(document, source)
    if version > SCHEMA_VERSION:
        try:
            record = ClientRecord.model_validate(document, extra="ignore")
            return LoadedRecord(record, version, text=original)
        except ValidationError:
            raise SchemaTooNewError(
                f"{source}: schema_version {version} is newer than this goaltrack understands "
                f"({SCHEMA_VERSION}); upgrade goaltrack"
            ) from None
    document = migrate(document, source)
    try:
        record = ClientRecord.model_validate(document)
    except ValidationError as error:
        raise CorruptFileError(
            f"{source}: invalid client file: {describe_validation_error(error)}; "
            "the file was left unchanged"
        ) from None
    whole = version < MARKED_SINCE or has_end_line(text, record.client.id)
    return LoadedRecord(record, version, whole, original)


def _schema_version(document: dict[str, Any], source: str) -> int:
    """The document's schema_version; CorruptFileError when it is missing or not an integer."""
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CorruptFileError(f"{source}: schema_version is missing or not an integer")
    return version


def render(record: ClientRecord) -> str:
    """The text of a record's client file, proven to parse back to the same data.

    A text that would read back differently is never handed to the store to write.
    """
    data = record.to_document()
    text = tomltext.to_toml(data)
    if tomltext.read_toml(text) != data:
        raise WriteFailedError(f"client {record.client.id}: serialised data did not round-trip")
    return f"{text}\n{end_line(record.client.id)}\n"
