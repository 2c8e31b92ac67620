"""The README's tour, typed command by command in a fresh home, prints what the README shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import readme_steps

pytestmark = pytest.mark.slow  # every command of the README tour as a real process

ENTRY_ID = re.compile(r"^[0-9A-Z]{10}$")


def test_readme_tour_runs_as_printed(tmp_path: Path) -> None:
    """Each tour command exits 0 and prints the README's output (ids and today's date mapped)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "goaltrack"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m goaltrack "$@"\n')
    shim.chmod(0o755)
    env = {
        **os.environ,
        "GOALTRACK_HOME": str(tmp_path / "home"),
        "COLUMNS": "88",
        "NO_COLOR": "1",
        "GOALTRACK_AS_OF": "2026-11-28",  # stale/overdue/on-track judged on a fixed day
        "PATH": f"{bindir}:{os.environ['PATH']}",
    }
    ids: dict[str, str] = {}
    steps = readme_steps("## A short tour")
    assert len(steps) >= 15
    for command, expected in steps:
        if "jq" in command and not any((Path(p) / "jq").exists() for p in env["PATH"].split(":")):
            continue
        for printed, actual in ids.items():
            command = command.replace(printed, actual)
        result = subprocess.run(
            ["bash", "-c", command], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0, (command, result.stderr)
        shown = (result.stdout + result.stderr).strip("\n")
        if ENTRY_ID.match(expected) and ENTRY_ID.match(shown):
            ids[expected] = shown
            continue
        for printed, actual in ids.items():
            shown = shown.replace(actual, printed)
        shown = shown.replace(f"Since       {date.today().isoformat()}", "Since       2026-11-28")
        assert [line.rstrip() for line in shown.splitlines()] == expected.splitlines(), command
