"""The file format: the exact bytes goaltrack writes, pinned by golden files; tomli_w untouched.

The golden files in tests/golden/ were written by the writer of 8d95e1c (tomli_w with its
private inline-table heuristic patched out for the whole process), before it was replaced by
tomltext.to_toml, which uses tomli_w's documented API only (issue 9).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from goaltrack.errors import CorruptFileError
from goaltrack.records.model import SCHEMA_VERSION, ClientRecord
from goaltrack.storage import fileformat, tomltext

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = GOLDEN.parent.parent / "examples" / "caseload" / "clients"
SYNTHETIC = json.loads((GOLDEN / "synthetic_records.json").read_text(encoding="utf-8"))
GOLDEN_FILES = sorted(path.name for path in GOLDEN.glob("*.toml"))


def test_every_golden_file_is_there() -> None:
    """One golden file per example client and per synthetic record, and nothing else."""
    expected = {f"example-{path.name}" for path in EXAMPLES.glob("*.toml")}
    expected |= {f"{name}.toml" for name in SYNTHETIC}
    assert len(expected) == 15
    assert set(GOLDEN_FILES) == expected


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden_file_renders_back_byte_identical(name: str) -> None:
    """A golden file, parsed and rendered again, gives the same bytes."""
    data = (GOLDEN / name).read_bytes()
    loaded = fileformat.parse(data.decode("utf-8"), name)
    assert fileformat.render(loaded.record).encode("utf-8") == data


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_record_renders_to_its_golden_bytes(name: str) -> None:
    """Each synthetic record is written exactly as its golden file (the layout of schema 2)."""
    record = ClientRecord.model_validate(SYNTHETIC[name])
    expected = (GOLDEN / f"{name}.toml").read_bytes()
    assert fileformat.render(record).encode("utf-8") == expected


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda path: path.name)
def test_example_client_is_what_the_writer_writes(path: Path) -> None:
    """A shipped example client is byte for byte its golden file (the writer's own output)."""
    assert path.read_bytes() == (GOLDEN / f"example-{path.name}").read_bytes()


def test_short_array_of_tables_is_written_in_block_form() -> None:
    """A short array of tables gets `[[name]]` headers, where tomli_w alone would inline it."""
    document = {"goals": [{"number": 1}, {"number": 2}]}
    assert tomltext.to_toml(document) == "[[goals]]\nnumber = 1\n\n[[goals]]\nnumber = 2\n"


def test_table_holding_only_tables_gets_no_header_of_its_own() -> None:
    """`[a.b]` alone defines `a`, as in tomli_w's layout."""
    assert tomltext.to_toml({"a": {"b": {"x": 1}}}) == "[a.b]\nx = 1\n"


def test_header_key_that_is_not_bare_is_quoted() -> None:
    """A key with a space is quoted in its header, as tomli_w quotes keys."""
    assert tomltext.to_toml({"a b": [{"x": 1}]}) == '[["a b"]]\nx = 1\n'


def test_migrated_file_reports_the_version_it_carries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A v0 file is migrated to the current schema, and file_version still says 0."""
    monkeypatch.setitem(fileformat.MIGRATIONS, 0, lambda document: document)
    text = 'schema_version = 0\n[client]\nid = "c-1"\ncreated = 2026-09-01\n'
    loaded = fileformat.parse(text, "c-1.toml")
    assert (loaded.file_version, loaded.record.schema_version) == (0, SCHEMA_VERSION)


def test_parse_error_names_the_source_and_line() -> None:
    """Broken TOML is reported with the file and the line, never the content."""
    with pytest.raises(CorruptFileError) as caught:
        fileformat.parse('schema_version = 1\n[client\nid = "secret"\n', "c-1.toml")
    assert caught.value.message == (
        "c-1.toml: not valid TOML (line 2); the file was left unchanged"
    )


#: A document with an array of small tables: tomli_w documents it written inline.
_DUMPS_PROBE = (
    "import tomli_w; print(repr(tomli_w.dumps({'goals': [{'number': 1}, {'number': 2}], 'n': 1})))"
)
_IMPORT_ALL = (
    "import importlib, pkgutil, goaltrack; "
    "names = [m.name for m in pkgutil.walk_packages(goaltrack.__path__, 'goaltrack.')]; "
    "[importlib.import_module(name) for name in names]; "
    "assert 'goaltrack.storage.store' in names and len(names) > 40, names; "
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout


def test_importing_goaltrack_leaves_tomli_w_as_documented() -> None:
    """After every goaltrack module is imported, tomli_w.dumps writes what a fresh process does."""
    fresh = _run(_DUMPS_PROBE)
    after_goaltrack = _run(_IMPORT_ALL + _DUMPS_PROBE)
    assert fresh == repr("goals = [\n    { number = 1 },\n    { number = 2 },\n]\nn = 1\n") + "\n"
    assert after_goaltrack == fresh


_SCALARS = (
    st.text()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.dates()
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1), _VALUES | st.floats(), min_size=1, max_size=6))
def test_plain_values_are_formatted_exactly_as_tomli_w_formats_them(
    table: dict[str, object],
) -> None:
    """The writer's own key/value lines are tomli_w's, for any keys, strings and numbers."""
    assert tomltext.format_values(table) == tomli_w.dumps(table)


def test_value_of_another_kind_is_left_to_tomli_w() -> None:
    """A value the writer does not format itself (an inline table in an array) is tomli_w's."""
    table = {"mixed": [1, {"a": "b"}], "when": time(10, 30), "ok": "x"}
    assert tomltext.format_values(table) == tomli_w.dumps(table)


_KEYS = st.text(alphabet='abcxyz_-. "', min_size=1, max_size=5)
_FLAT_TABLES = st.dictionaries(_KEYS, _VALUES, max_size=4)
_TABLES = st.recursive(
    _FLAT_TABLES,
    lambda inner: st.dictionaries(
        _KEYS, _VALUES | inner | st.lists(inner, min_size=1, max_size=3), max_size=4
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, st.lists(_TABLES, min_size=1, max_size=3), min_size=1, max_size=3))
def test_arrays_of_tables_read_back_as_written(document: dict[str, object]) -> None:
    """Arrays of flat and nested tables (the flat ones written in one pass) parse back equal,
    each flat table under its header with exactly format_values' lines."""
    import tomllib

    text = tomltext.to_toml(document)
    assert tomllib.loads(text) == document
    for tables in document.values():
        for table in tables:  # type: ignore[attr-defined]
            if table and not any(isinstance(v, dict | list) for v in table.values()):
                assert tomltext.format_values(table) in text
