"""Shared fixtures: every test gets its own empty goaltrack home."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.cli.app import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "caseload"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh GOALTRACK_HOME for each test (created lazily by the first write)."""
    path = tmp_path / "home"
    monkeypatch.setenv("GOALTRACK_HOME", str(path))
    monkeypatch.delenv("GOALTRACK_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    yield path


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stdout and stderr apart."""
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    """Run goaltrack in-process with `args`."""
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def run_cli(
    *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run goaltrack as a real subprocess (pipes, stdin, concurrency)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "goaltrack", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a command changed nothing.

    The audit log is left out: it records every attempted change, refused ones included.
    """
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "audit.log"
    }


@pytest.fixture
def client_with_goal(runner: CliRunner) -> str:
    """A client c-1 with goal 1 (PHQ-9, baseline 19, target 9) and two entries."""
    invoke(runner, "new-client", "c-1", "--name", "Alex R.", "--concern", "depression:severe")
    invoke(
        runner,
        "add-goal",
        "c-1",
        "symptom-reduction",
        "Reduce depressive symptoms",
        "--measure",
        "phq9",
        "--baseline",
        "19",
        "--target",
        "9",
        "--due",
        "2026-12-15",
    )
    invoke(runner, "log", "c-1", "1", "17", "--date", "2026-09-08", "--session", "2")
    invoke(runner, "log", "c-1", "1", "14", "--date", "2026-09-22", "--session", "4")
    return "c-1"


# Reliability figures (issue 6): printed at the end of every run.
from reliability_figures import pytest_terminal_summary  # noqa: E402, F401
