"""One unreadable file never takes down the caseload: parser limits (a 4,300-digit integer,
deep nesting) name the file and exit 3 after the others; in an import they are row errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from goaltrack.errors import CorruptFileError
from goaltrack.storage import fileformat
from helpers import run_cli

DIGITS = "9" * 5000
NESTED = "[" * 10_000 + "]" * 10_000
# An inline table sends the text to tomllib (see tomltext.read_toml); without one, rtoml.
CASES = {
    "long-integer": f"inline = {{ a = 1 }}\nbig = {DIGITS}\n",
    "deep-arrays": f"inline = {{ a = 1 }}\ndeep = {NESTED}\n",
}
MESSAGES = {
    "long-integer": "a number too long to read (more than 4,300 digits)",
    "deep-arrays": "arrays or tables nested too deeply to read",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_parse_turns_a_parser_limit_into_a_corrupt_file_naming_it(case: str) -> None:
    """fileformat.parse: the parser's ValueError/RecursionError is a CorruptFileError."""
    with pytest.raises(CorruptFileError) as caught:
        fileformat.parse(CASES[case] + "schema_version = 1\n", "clients/c-2.toml")
    assert caught.value.message == (
        f"clients/c-2.toml: cannot be read: {MESSAGES[case]}; the file was left unchanged"
    )


def _caseload_with_one_unreadable(home: Path, case: str) -> Path:
    for client_id in ("c-1", "c-2", "c-3"):
        assert run_cli("new-client", client_id).returncode == 0
    bad = home / "clients" / "c-2.toml"
    bad.write_text(CASES[case] + bad.read_text())
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(
    "command", [("clients", "--no-index"), ("clients",), ("check",), ("export", "--all")]
)
def test_an_unreadable_client_file_is_named_and_the_others_are_listed(
    home: Path, case: str, command: tuple[str, ...]
) -> None:
    """clients/check/export --all: the others are shown, the bad file named, exit 3."""
    bad = _caseload_with_one_unreadable(home, case)
    before = bad.read_bytes()
    result = run_cli(*command)
    assert result.returncode == 3, result.stderr
    assert "internal error" not in result.stderr
    assert MESSAGES[case] in result.stdout + result.stderr
    assert "c-2.toml" in result.stdout + result.stderr
    assert "c-1" in result.stdout and "c-3" in result.stdout
    assert bad.read_bytes() == before


def _import(home: Path, name: str, text: str) -> tuple[int, str]:
    assert run_cli("new-client", "c-1").returncode == 0
    assert run_cli("add-goal", "c-1", "coping", "Sleep").returncode == 0
    path = home.parent / name
    path.write_text(text)
    result = run_cli("import", str(path))
    return result.returncode, result.stderr


def test_import_csv_cell_of_5000_digits_is_a_field_error(home: Path) -> None:
    """A CSV value of 5,000 digits: `line 2, field value:` and exit 1."""
    code, stderr = _import(home, "rows.csv", f"client,goal,value,date\nc-1,1,{DIGITS},2026-11-01\n")
    assert code == 1
    assert stderr.splitlines()[0] == (
        "goaltrack: error: line 2, field value: must be a number (use a dot for decimals, e.g. 6.5)"
    )


def test_import_jsonl_integer_of_5000_digits_is_a_field_error(home: Path) -> None:
    """A JSON Lines value of 5,000 digits gets the same answer as the CSV cell, exit 1."""
    row = f'{{"client": "c-1", "goal": 1, "value": {DIGITS}, "date": "2026-11-01"}}\n'
    code, stderr = _import(home, "rows.jsonl", row)
    assert code == 1
    assert stderr.splitlines()[0] == (
        "goaltrack: error: line 1, field value: must be a number (use a dot for decimals, e.g. 6.5)"
    )


def test_import_jsonl_row_nested_10000_deep_is_a_field_error(home: Path) -> None:
    """A JSON Lines value nested 10,000 deep: `line 2, field value:` and exit 1."""
    good = '{"client": "c-1", "goal": 1, "value": 3, "date": "2026-11-01"}\n'
    row = f'{{"client": "c-1", "goal": 1, "Value ": {NESTED}, "date": "2026-11-01"}}\n'
    code, stderr = _import(home, "rows.jsonl", good + row)
    assert code == 1
    assert stderr.splitlines() == [
        "goaltrack: error: line 2, field value: nested too deeply (must be a single value)",
        "goaltrack: error: import refused: 1 error; nothing was written",
    ]
