"""Machine formats never carry colour or decoration, even on a terminal that asks for colour."""

from __future__ import annotations

import csv
import io
import json
import os
import sys

import pexpect
import pytest
from tests.conftest import EXAMPLES

ESC = "\x1b"


def _on_terminal(*args: str) -> str:
    """Run goaltrack on a pseudo-terminal with colour forced on; return what it printed."""
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env.update(
        {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "160", "CLICOLOR_FORCE": "1"}
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "goaltrack", "--home", str(EXAMPLES), *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 160),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before).replace("\r\n", "\n")


def test_the_terminal_really_gets_colour() -> None:
    """Control: the table on this terminal is coloured, so the checks below can fail."""
    assert ESC in _on_terminal("show", "c-1042")


READ_COMMANDS = [
    ("clients",),
    ("show", "c-1042"),
    ("goals", "c-1042"),
    ("progress", "c-1042"),
]


@pytest.mark.parametrize("command", READ_COMMANDS)
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_machine_formats_have_no_escape_codes(command: tuple[str, ...], fmt: str) -> None:
    """json, jsonl and csv of every read command: no ESC byte, and the output parses."""
    text = _on_terminal(*command, "-f", fmt)
    assert ESC not in text
    if fmt == "json":
        assert json.loads(text)["format_version"] == 1
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in text.splitlines())
    else:
        assert len(list(csv.reader(io.StringIO(text)))) > 1


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "fhir"])
def test_exports_have_no_escape_codes(fmt: str) -> None:
    """Every export format on a colour terminal: no ESC byte."""
    assert ESC not in _on_terminal("export", "--all", "-f", fmt)


def test_schema_has_no_escape_codes() -> None:
    """The schema printed on a terminal is plain JSON."""
    assert json.loads(_on_terminal("schema"))["title"] == "goaltrack client file"
