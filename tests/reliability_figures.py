"""Figures of the reliability suites (issue 6), printed at the end of every pytest run.

Suites call `record(...)` with what they did (updates, kills, faults, flips, examples) and
`assert_private(...)` on every stderr they see; `pytest_terminal_summary` (imported by
conftest.py) prints the totals, so the figures appear in CI output without `-s`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

#: A marker put into notes and names by the suites: it must never reach stderr.
SECRET = "SECRET-7Q2X"

FIGURES: Counter[str] = Counter()


def record(name: str, amount: int = 1) -> None:
    """Add `amount` to the figure `name`."""
    FIGURES[name] += amount


def assert_private(*streams: str | bytes | None) -> None:
    """Fail if any stream quotes the secret marker or holds a traceback; counts the streams."""
    for stream in streams:
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else stream or ""
        assert SECRET not in text, "a message quoted note text"
        assert "Traceback" not in text, "a traceback reached the user"
        FIGURES["stderr streams checked for the secret marker"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the reliability figures collected during this run."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures (issue 6)")
    for name, value in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{value:>8}  {name}")
