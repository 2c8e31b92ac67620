"""The README's "Planning goals" section, typed command by command as a new user would: fewer
than ten commands from intake to a first plan of three goals, each printing what the README
shows (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import readme_steps

pytestmark = pytest.mark.slow  # every command of the section as a real process

HEADING = "## Planning goals"


def test_readme_planning_runs_as_printed(tmp_path: Path) -> None:
    """Each command exits 0 and prints the README's output; the plan has three goals."""
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
        "GOALTRACK_AS_OF": "2026-11-28",
        "PATH": f"{bindir}:{os.environ['PATH']}",
    }
    steps = readme_steps(HEADING)
    assert 3 <= len(steps) < 10
    for command, expected in steps:
        result = subprocess.run(
            ["bash", "-c", command], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0, (command, result.stderr)
        shown = (result.stdout + result.stderr).strip("\n")
        assert [line.rstrip() for line in shown.splitlines()] == expected.splitlines(), command
    plan = subprocess.run(
        ["bash", "-c", "goaltrack plan c-2001 -f json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    tree = json.loads(plan.stdout)["plan"]
    goals = [goal for concern in tree["concerns"] for goal in concern["goals"]]
    assert len(goals) == 3 and all(goal["objectives"] for goal in goals)
    assert tree["unserved_concerns"] == []
