"""The formats `import` reads and `export` writes, and the identity of a full dump.

A light module (no pydantic, nothing from the import or export machinery): the CLI lists
these choices in its help, and both `exporting` and `importing` take them from here.
"""

from __future__ import annotations

from enum import StrEnum

#: Version of the `export -f json` document; `import` reads this version and older.
DUMP_FORMAT_VERSION = 1
#: The `kind` of that document; `import` refuses a JSON document of any other kind.
DUMP_KIND = "goaltrack-export"


class InputFormat(StrEnum):
    """What `import` reads: rows as CSV or JSON Lines, or a full JSON dump from `export`."""

    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"


class ExportFormat(StrEnum):
    """What `export` writes."""

    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    FHIR = "fhir"
