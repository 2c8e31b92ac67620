"""Defects found by using planning, caseload, reports and sync together as a new user would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import invoke

ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2


def _ok(runner: CliRunner, *args: str, input: str | None = None) -> str:
    result = invoke(runner, *args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _json(runner: CliRunner, *args: str) -> dict[str, Any]:
    return json.loads(_ok(runner, *args, "--json"))  # type: ignore[no-any-return]


@pytest.fixture
def flagged_then_reviewed(runner: CliRunner) -> None:
    """c-1: PHQ-9 item 9 endorsed on 2026-11-12 (goal 1), reviewed on 2026-11-13."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--measure", "phq9",
        "--baseline", "18", "--target", "9")  # fmt: skip
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-12")
    _ok(runner, "risk-review", "c-1", "--outcome", "no-action", "--date", "2026-11-13")


@pytest.mark.parametrize("command", ["progress", "show"])
def test_as_of_before_a_review_keeps_the_flag_open(
    flagged_then_reviewed: None, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """As of the flag's day, a risk review dated the day after does not hide the flag."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-12")
    alerts = _json(runner, command, "c-1")["alerts"]
    assert [(a["date"], a["response"]) for a in alerts] == [("2026-11-12", 2)]


@pytest.mark.parametrize("command", ["progress", "show"])
def test_as_of_leaves_out_a_later_screening_flag(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """A screening dated after GOALTRACK_AS_OF raises no alert in that snapshot."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-20")
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-15")
    assert _json(runner, command, "c-1")["alerts"] == []
