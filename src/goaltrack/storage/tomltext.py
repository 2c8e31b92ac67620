"""TOML text: read exactly as the standard library's `tomllib` reads it, written in goaltrack's
own layout.

TOML is read by `rtoml` (Rust; about 9x faster than the standard library's `tomllib` on a large
client, the bulk of a command's time), with `tomllib` as the reference: `read_toml` hands a
text to `tomllib` whenever it holds a construct that rtoml accepts but TOML 1.0 (and so
tomllib) refuses (the TOML 1.1 escapes backslash-e and backslash-x, inline tables, times
without seconds, a byte order mark), so both accept and refuse exactly the same files with the
same data; tests/test_toml_reference.py compares them on every example, golden and hostile file.
A large file (READ_IN_PARTS_FROM) is read goal by goal where its layout lets each part stand
alone (storage/layout.py): the same data, at a fraction of rtoml's memory.
Writing stays with tomli_w: rtoml's layout (quoting, floats) is not the golden files'.

The layout of a file is pinned by the golden files in tests/golden/: every array of tables is
written in block form (`[[goals]]`, `[[goals.progress]]`, ...), never inline, so one long note
cannot flip a goal's whole progress list to another layout and bloat a diff. `to_toml` writes
the table headers itself and the plain key/value lines of each table in exactly the text
`tomli_w.dumps` gives for them: strings, numbers, booleans, dates and arrays of those are
formatted here (one call of tomli_w per table cost most of a large client's write), anything
else by `tomli_w.dumps` (its documented API only). tests/test_fileformat.py compares the two
on arbitrary tables; nothing of tomli_w is changed for other users in the process.
What a client file means (its schema, migrations, the end-of-file line) is
storage/fileformat.py.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import rtoml
import tomli_w

from goaltrack.records.convert import toml_error_line
from goaltrack.storage import layout

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: What rtoml reads but TOML 1.0 does not: `\e` and `\xHH` escapes (TOML 1.1), inline tables
#: (1.1 lets them span lines and end with a comma), a time without seconds, a byte order mark.
#: goaltrack writes none of these; a text holding one (or only something like it, in a note)
#: goes to tomllib.
_ESCAPE_1_1 = re.compile(r"\\[ex]")
_CLOCK = re.compile(r":[0-9]{2}")  # then: a time without seconds, if HH: comes before it


class TomlError(ValueError):
    """Text that is not valid TOML 1.0; `line` is where the parser stopped, when it says."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class TomlLimitError(TomlError):
    """Text past a parser's limit (a 4,300-digit integer, deep nesting): it cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message, None)


def read_toml(text: str) -> dict[str, Any]:
    """The data of a TOML text, exactly as `tomllib.loads` gives it, or TomlError.

    rtoml reads it, unless the text may hold a construct beyond TOML 1.0 that rtoml would
    accept where tomllib refuses: then tomllib, the reference, reads it.
    """
    if not _beyond_toml_1_0(text):
        if len(text) >= READ_IN_PARTS_FROM:
            parts = _read_in_parts(text)
            if parts is not None:
                return parts
        try:
            document: dict[str, Any] = rtoml.loads(text)
        except rtoml.TomlParsingError as error:
            raise TomlError(str(error), toml_error_line(error, text)) from None
        except (ValueError, RecursionError) as error:  # never the caller's bug: unreadable text
            raise TomlLimitError(_beyond_limits(error)) from None
        return document
    import tomllib  # only for the rare text the fast parser cannot be trusted with

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(str(error), toml_error_line(error, text)) from None
    except (ValueError, RecursionError) as error:  # past Python's limits: 4,300 digits, nesting
        raise TomlLimitError(_beyond_limits(error)) from None


#: From this size on, a text is read goal by goal when its layout allows it.
READ_IN_PARTS_FROM = 256 * 1024


def _read_in_parts(text: str) -> dict[str, Any] | None:
    """The data of a large client file read part by part (the client, then each goal), or
    None when its layout does not allow it or a part does not read (then it is read whole,
    which also words any error). The same data as reading it whole (storage/layout.py says
    why; tests/test_toml_reference.py compares them), at a fraction of the parser's memory:
    rtoml builds a tree many times the text's size, and touching that much fresh memory
    costs a large file's read about a third of its time."""
    starts = layout.goal_parts(text)
    if starts is None:
        return None
    try:
        document: dict[str, Any] = rtoml.loads(text[: starts[0]])
        if "goals" in document:
            return None
        goals = []
        for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
            part = rtoml.loads(text[start:end])
            if len(part) != 1 or len(part.get("goals", ())) != 1:
                return None
            goals.append(part["goals"][0])
    except (rtoml.TomlParsingError, ValueError, RecursionError):
        return None
    document["goals"] = goals
    return document


def _beyond_limits(error: ValueError | RecursionError) -> str:
    """Why text that may be valid TOML cannot be read: what the parser's limit was."""
    if isinstance(error, RecursionError):
        return "arrays or tables nested too deeply to read"
    return "a number too long to read (more than 4,300 digits)"


def _beyond_toml_1_0(text: str) -> bool:
    """True when the text may hold a construct rtoml reads but TOML 1.0 does not (cheap checks
    first: a typical file has no brace, backslash or colon at all)."""
    if "{" in text or "\ufeff" in text:
        return True
    if "\\" in text and _ESCAPE_1_1.search(text):
        return True
    if ":" in text:
        for match in _CLOCK.finditer(text):
            start, end = match.start(), match.end()
            hours = text[max(start - 3, 0) : start]
            seconds_follow = text[end : end + 1] == ":"
            part_of_longer = len(hours) == 3 and hours[0] in "0123456789:"  # e.g. 10:30(:00)
            if (
                len(hours) >= 2
                and hours[-2:].isdigit()
                and not seconds_follow
                and not part_of_longer
            ):
                return True
    return False


def to_toml(document: dict[str, Any]) -> str:
    """TOML text of a document, with every array of tables in block form (`[[name]]`).

    Each table's plain values (scalars, dates, arrays of scalars) are formatted by
    `tomli_w.dumps`; its sub-tables and arrays of tables follow, each under its own header and
    after a blank line: the layout tomli_w gives when it never inlines a table.
    """
    chunks: list[str] = []
    _write_table(chunks, document, name="", header="")
    return "".join(chunks)


def _write_table(chunks: list[str], table: dict[str, Any], name: str, header: str) -> None:
    """Append one table: its header (if it needs one), plain values, then its sub-tables."""
    values: dict[str, Any] = {}
    groups: list[tuple[str, list[dict[str, Any]], bool]] = []  # (key, tables, array of tables)
    for key, value in table.items():
        kind = type(value)
        if kind is str or kind is int or kind is date:  # most values, checked first
            values[key] = value
        elif isinstance(value, dict):
            groups.append((key, [value], False))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            groups.append((key, value, True))
        else:
            values[key] = value
    started = False
    # A plain table with only sub-tables needs no header: TOML defines it implicitly.
    if header and (values or not groups or header.startswith("[[")):
        started = True
        chunks.append(header)
    if values:
        started = True
        chunks.append(format_values(values))
    for key, tables, in_array in groups:
        part = key if _BARE_KEY.fullmatch(key) else _quoted_key(key)
        sub_name = f"{name}.{part}" if name else part
        sub_header = f"[[{sub_name}]]\n" if in_array else f"[{sub_name}]\n"
        for sub_table in tables:
            if started:
                chunks.append("\n")
            started = True
            flat = _lines(sub_table, flat_only=True)  # a progress entry, say: no sub-tables
            if flat is None:
                _write_table(chunks, sub_table, sub_name, sub_header)
            else:  # what _write_table gives for a table without sub-tables, in one pass
                chunks.append(sub_header)
                chunks.append(flat)


def _quoted_key(key: str) -> str:
    """A key that is not bare, quoted and escaped as tomli_w writes it."""
    return tomli_w.dumps({key: 0}).removesuffix(" = 0\n")


#: How tomli_w writes each character a basic string must escape: `"`, backslash, and every
#: control character but tab (the short escapes where TOML has one, else \\uXXXX).
_ESCAPES = {code: "\\u" + f"{code:04x}" for code in (*range(0x20), 0x7F) if code != ord("\t")} | {
    ord("\b"): "\\b",
    ord("\n"): "\\n",
    ord("\f"): "\\f",
    ord("\r"): "\\r",
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}
#: The indent tomli_w gives each item of a multi-line array, by nesting level.
_INDENT = "    "


def format_values(table: dict[str, Any]) -> str:
    """The `key = value` lines of a table's plain values: exactly `tomli_w.dumps(table)`.

    Values of the kinds a client file holds are formatted here; a line holding anything else
    is left to tomli_w itself.
    """
    lines = _lines(table, flat_only=False)
    assert lines is not None  # only flat_only gives None
    return lines


def _lines(table: dict[str, Any], flat_only: bool) -> str | None:
    """`format_values(table)`; with `flat_only`, None as soon as a value is a table or an
    array of tables (which `_write_table` writes under headers of their own)."""
    lines = []
    for key, value in table.items():
        kind = type(value)  # the common kinds first, inline: this runs for every entry
        if kind is str:
            literal: str | None = f'"{value.translate(_ESCAPES)}"'
        elif kind is int or kind is date:
            literal = str(value)
        elif flat_only and _is_table_or_tables(value):
            return None
        else:
            literal = _literal(value, 0)
        if literal is None:
            lines.append(tomli_w.dumps({key: value}))
        else:
            lines.append(f"{_KEYS.get(key) or _key(key)} = {literal}\n")
    return "".join(lines)


def _is_table_or_tables(value: Any) -> bool:
    """True for what `_write_table` writes under a header: a table, or an array of tables."""
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


#: Keys already known to be bare, as they are written (most keys of a client file).
_KEYS: dict[str, str] = {}


@functools.lru_cache(maxsize=1024)
def _key(key: str) -> str:
    """A key as tomli_w writes it: bare when it may be, else quoted (a file has few keys)."""
    if _BARE_KEY.fullmatch(key):
        if len(_KEYS) < 1024:
            _KEYS[key] = key
        return key
    return _quoted_key(key)


def _literal(value: Any, level: int) -> str | None:
    """A value as tomli_w formats it, or None for a kind left to tomli_w."""
    kind = type(value)
    if kind is str:
        return f'"{value.translate(_ESCAPES)}"'
    if kind is int or kind is float or kind is date:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        if not value:
            return "[]"
        items = []
        indent = _INDENT * (level + 1)
        for item in value:
            literal = _literal(item, level + 1)
            if literal is None:
                return None
            items.append(indent + literal)
        return "[\n" + ",\n".join(items) + ",\n" + _INDENT * level + "]"
    return None
