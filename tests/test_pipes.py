"""Real subprocess runs: pipes, stdin, capture of printed ids, permissions, concurrency."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from goaltrack import operations as changes
from goaltrack.measures.instruments import builtin_registry
from goaltrack.storage.store import Store
from helpers import HANG_GUARD, D, client_with_goal, run_cli


def _sh(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOALTRACK_HOME": str(home), "GT": f"{sys.executable} -m goaltrack"}
    return subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
        check=False,
    )


@pytest.mark.slow
def test_printed_ids_can_be_captured_by_the_shell(home: Path) -> None:
    """n=$(goaltrack add-goal ...) and e=$(goaltrack log ...) capture bare values."""
    result = _sh(
        'set -e; $GT new-client c-1 2>/dev/null; n=$($GT add-goal c-1 coping "Breathe");'
        'e=$($GT log c-1 "$n" 4); echo "$n|$e"',
        home,
    )
    assert result.returncode == 0, result.stderr
    number, entry_id = result.stdout.strip().split("|")
    assert number == "1"
    assert len(entry_id) == 10
    stored = tomllib.loads((home / "clients" / "c-1.toml").read_text())
    assert stored["goals"][0]["progress"][0]["id"] == entry_id


@pytest.mark.slow
def test_read_commands_emit_valid_json_and_csv(home: Path) -> None:
    """clients/show/goals/progress --json parse with json; -f csv parses with csv."""
    run_cli("new-client", "c-1")
    run_cli("add-goal", "c-1", "coping", "Breathe, slowly", "--target", "8")
    run_cli("log", "c-1", "1", "3", "--note", 'quote " and, comma')
    for args in (["clients"], ["show", "c-1"], ["goals", "c-1"], ["progress", "c-1"]):
        result = run_cli(*args, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["format_version"] == 2
        rows = list(csv.DictReader(io.StringIO(run_cli(*args, "-f", "csv").stdout)))
        assert len(rows) == 1, args
    assert "\x1b" not in run_cli("progress", "c-1").stdout


@pytest.mark.slow
def test_note_from_stdin_in_a_pipe(home: Path) -> None:
    """printf ... | goaltrack log --note - stores the piped text exactly."""
    run_cli("new-client", "c-1")
    run_cli("add-goal", "c-1", "coping", "Breathe")
    result = run_cli("log", "c-1", "1", "5", "--note", "-", input="Felt safe; ünïcödé\n")
    assert result.returncode == 0, result.stderr
    stored = tomllib.loads((home / "clients" / "c-1.toml").read_text())
    assert stored["goals"][0]["progress"][0]["note"] == "Felt safe; ünïcödé"


def test_files_are_private_under_an_open_umask(home: Path) -> None:
    """With umask 000 the home is 0700 and the client and lock files are 0600."""
    result = _sh("umask 000; $GT new-client c-1 && $GT add-goal c-1 coping x >/dev/null", home)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "clients").stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (home / "clients").iterdir()}
    assert modes == {"c-1.toml": 0o600, "c-1.toml.lock": 0o600}


#: Entries whose JSON Lines fill a pipe (64 KiB on Linux) and what `head` reads, twice over.
PIPE_FILLER_ENTRIES = 1000


def test_closed_pipe_is_quiet(home: Path) -> None:
    """Output far past a full pipe into `head -1`: nothing on stderr, exit 141 (as Unix tools)."""
    store = Store(home)
    client_with_goal(store)
    entry = changes.EntryFields(value=5, date=D, note="a note long enough to fill the pipe")
    store.update(
        "c-1",
        lambda r: [
            changes.log_value(r, 1, entry, builtin_registry()) for _ in range(PIPE_FILLER_ENTRIES)
        ],
    )
    result = _sh('$GT entries c-1 -f jsonl | head -1; exit "${PIPESTATUS[0]}"', home)
    assert len(result.stdout) * PIPE_FILLER_ENTRIES > 2 * (65536 + 8192)
    assert result.stderr == ""
    assert result.returncode == 141
    assert json.loads(result.stdout)["note"] == "a note long enough to fill the pipe"
