"""A three-way merge of client files as texts: each side parsed, migrated and validated (a
newer schema or a cut-short side refused), the documents merged by `sync/merge.py`, and the
result validated by the model and rendered by the one renderer (storage/fileformat.render),
so a merge never produces an invalid file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goaltrack.sync.merge import Conflict, Renumbering, merge_documents


@dataclass
class TextMerge:
    """The merged text of a client file (valid, rendered by the one renderer), with what the
    merge found."""

    text: str
    conflicts: list[Conflict]
    renumbered: list[Renumbering]


def merge_texts(base: str, ours: str, theirs: str, source: str) -> TextMerge:
    """Merge the texts of three versions of a client file (`base` empty: no ancestor).

    Each side is parsed and migrated to this program's schema; a side from a newer schema is
    refused (SchemaTooNewError: merging it would drop what this version cannot read), a side
    that is not a valid client file too (CorruptFileError). The merged document is validated
    by the model and rendered; when the combination of both sides' changes breaks a rule of
    the model, ours is kept whole and the whole file is reported as a conflict, with theirs'
    document as the value to take instead.
    """
    from pydantic import ValidationError

    from goaltrack.records.model import ClientRecord, describe_validation_error

    documents = [
        _document(text, f"{source} ({side})") if text.strip() or side != "base" else None
        for side, text in (("base", base), ("ours", ours), ("theirs", theirs))
    ]
    base_doc, ours_doc, theirs_doc = documents
    assert ours_doc is not None and theirs_doc is not None
    result = merge_documents(base_doc, ours_doc, theirs_doc)
    try:
        record = ClientRecord.model_validate(result.document)
    except ValidationError as error:
        reason = describe_validation_error(error)
        record = _validated(ours_doc, f"{source} (ours)")
        whole = Conflict((), None, theirs_doc, {"reason": reason})
        return TextMerge(_render(record), [whole], [])
    return TextMerge(_render(record), result.conflicts, result.renumbered)


def _document(text: str, source: str) -> dict[str, Any]:
    """One side's text parsed and migrated; refused when newer than this program or broken."""
    from goaltrack.errors import CorruptFileError, SchemaTooNewError
    from goaltrack.records.model import SCHEMA_VERSION
    from goaltrack.storage.fileformat import MARKED_SINCE, has_end_line, migrate
    from goaltrack.storage.tomltext import TomlError, read_toml

    try:
        document = read_toml(text.removeprefix("\ufeff"))
    except TomlError:
        raise CorruptFileError(f"{source}: not valid TOML; nothing was merged") from None
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{source}: schema_version {version} is newer than this goaltrack understands "
            f"({SCHEMA_VERSION}); nothing was merged, both sides are kept: upgrade goaltrack "
            "on this machine and sync again"
        )
    migrated = migrate(document, source)
    record = _validated(migrated, source)
    if version is not None and version >= MARKED_SINCE and not has_end_line(text, record.client.id):
        raise CorruptFileError(
            f"{source}: has no end-of-file line, so it may be cut short; nothing was merged"
        )
    return migrated


def _validated(document: dict[str, Any], source: str) -> Any:
    """The record of a document, or CorruptFileError naming the side (never its contents)."""
    from pydantic import ValidationError

    from goaltrack.errors import CorruptFileError
    from goaltrack.records.model import ClientRecord, describe_validation_error

    try:
        return ClientRecord.model_validate(document)
    except ValidationError as error:
        raise CorruptFileError(
            f"{source}: invalid client file: {describe_validation_error(error)}; nothing was merged"
        ) from None


def _render(record: Any) -> str:
    from goaltrack.storage.fileformat import render

    return str(render(record))
