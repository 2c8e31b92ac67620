"""Machine formats never carry colour or decoration, even on a terminal that asks for colour."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import sys
from pathlib import Path

import pexpect
import pytest

from helpers import EXAMPLES, HANG_GUARD, big_csv

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
        timeout=HANG_GUARD,
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
        assert json.loads(text)["format_version"] == 2
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


def _import_on_terminal(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    """Import with stderr on a pseudo-terminal and stdout to a file; return (terminal, stdout)."""
    source = tmp_path / "rows.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env.update({"GOALTRACK_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"})
    command = f"{shlex.quote(sys.executable)} -m goaltrack import {source} -f json > {out}"
    child = pexpect.spawn("sh", ["-c", command], env=env, encoding="utf-8", timeout=HANG_GUARD)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return str(child.before), out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_long_import_shows_a_progress_bar_on_stderr_only(tmp_path: Path) -> None:
    """10,000 rows with stderr on a terminal: a bar on stderr, clean JSON on stdout."""
    terminal, data = _import_on_terminal(tmp_path, big_csv())
    assert "checking" in terminal and "writing" in terminal
    assert ESC not in data
    assert json.loads(data)["totals"]["entries_added"] == 9850


def test_short_import_shows_no_progress_bar(tmp_path: Path) -> None:
    """A few rows: no bar, just the summary line."""
    terminal, _ = _import_on_terminal(tmp_path, big_csv()[:50])
    assert "checking" not in terminal
    assert terminal.strip().startswith("added 46 entries")
