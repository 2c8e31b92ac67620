"""A note holds at most 64 KiB: refused past it with one line, typed, piped or imported, and
`--note - </dev/zero` stops at the limit instead of reading forever (issue 16, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import client_with_goal, invoke, snapshot

LIMIT = 64 * 1024
REFUSED = "goaltrack: error: note: must be at most 64 KiB (65,536 bytes of UTF-8)\n"


def _entry_notes(home: Path) -> list[str]:
    stored = tomllib.loads((home / "clients" / "c-1.toml").read_text(encoding="utf-8"))
    return [entry.get("note") for entry in stored["goals"][0].get("progress", [])]


def test_note_one_byte_past_the_limit_is_refused(home: Path, runner: CliRunner) -> None:
    """`log --note` with 65,537 bytes: exit 1, one line, the file unchanged."""
    client_with_goal(Store(home))
    before = snapshot(home)
    result = invoke(runner, "log", "c-1", "1", "5", "--note", "x" * (LIMIT + 1))
    assert result.exit_code == 1
    assert result.stderr == REFUSED
    assert snapshot(home) == before


def test_note_counts_bytes_not_characters(home: Path, runner: CliRunner) -> None:
    """32,769 two-byte characters (65,538 bytes) are past the limit."""
    client_with_goal(Store(home))
    result = invoke(runner, "log", "c-1", "1", "5", "--note", "é" * (LIMIT // 2 + 1))
    assert (result.exit_code, result.stderr) == (1, REFUSED)


def test_note_of_exactly_the_limit_from_stdin_is_kept(home: Path, runner: CliRunner) -> None:
    """65,536 bytes piped with a final line end are stored whole."""
    client_with_goal(Store(home))
    result = invoke(runner, "log", "c-1", "1", "5", "--note", "-", input="y" * LIMIT + "\r\n")
    assert result.exit_code == 0, result.stderr
    assert _entry_notes(home) == ["y" * LIMIT]


def test_client_notes_past_the_limit_are_refused(home: Path, runner: CliRunner) -> None:
    """`new-client --note` past the limit: refused, no client file."""
    result = invoke(runner, "new-client", "c-2", "--note", "z" * (LIMIT + 1))
    assert result.exit_code == 1
    assert result.stderr == REFUSED
    assert not (home / "clients" / "c-2.toml").exists()


def test_imported_note_past_the_limit_names_line_and_field(home: Path, runner: CliRunner) -> None:
    """An import row with a 65,537-byte note: `line 2, field note`, exit 1, nothing written."""
    client_with_goal(Store(home))
    before = snapshot(home)
    rows = f"client,goal,date,value,note\nc-1,1,2025-01-02,5,{'n' * (LIMIT + 1)}\n"
    result = invoke(runner, "import", "-", input=rows)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "goaltrack: error: line 2, field note: must be at most 64 KiB (65,536 bytes of UTF-8)"
    )
    assert snapshot(home) == before


def test_note_from_dev_zero_stops_at_the_limit(home: Path) -> None:
    """`log --note - </dev/zero` is refused at once with one line, not read until killed."""
    client_with_goal(Store(home))
    before = snapshot(home)
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "goaltrack", "log", "c-1", "1", "5", "--note", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            env={**os.environ, "GOALTRACK_HOME": str(home)},
            timeout=60,  # reading /dev/zero to the end would never finish
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == REFUSED
    assert snapshot(home) == before
