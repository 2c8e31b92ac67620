"""Fixtures (every test gets its own empty goaltrack home) and the end-of-run figures.

Plain helper functions live in helpers.py; this file holds only fixtures and pytest hooks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from helpers import FIGURES, invoke

# Time is no verdict on a loaded 2-core machine: no per-example deadline, no too-slow health
# check (a test's own @settings still wins where it sets these).
settings.register_profile("goaltrack", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("goaltrack")


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
        "--force",  # the due date stays fixed when the clock passes it (a past one needs --force)
    )
    invoke(runner, "log", "c-1", "1", "17", "--date", "2026-09-08", "--session", "2")
    invoke(runner, "log", "c-1", "1", "14", "--date", "2026-09-22", "--session", "4")
    return "c-1"


# Reliability figures (issue 6): the suites add to helpers.FIGURES; printed at the end of a run.


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker, hand this worker's figures to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_figures"] = dict(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """In the pytest-xdist controller, add up the figures of a worker that finished."""
    FIGURES.update(getattr(node, "workeroutput", {}).get("reliability_figures", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the reliability figures collected during this run."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures (issue 6)")
    for name, value in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{value:>8}  {name}")
