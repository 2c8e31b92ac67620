"""Tables for people keep what matters at every width: snapshots at 60, 80, 100, 160 columns."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES, invoke

SNAPSHOTS = Path(__file__).parent / "snapshots"
WIDTHS = [60, 80, 100, 160]
COMMANDS = {
    "progress": ["progress", "c-1042"],
    "show": ["show", "c-1042"],
    "clients": ["clients", "--status", "all"],
}
# The words each table must show at every width (the risk flag's date included).
MUST_SHOW = {
    "progress": ["Measure", "Now", "Target", "Outlook", "phq9", "target reached", "RISK"],
    "show": ["Measure", "Now", "Target", "Outlook", "phq9", "target reached", "RISK"],
    "clients": ["Concerns", "Item-9 flag", "2026-11-24", "depression", "RISK"],
}


@pytest.fixture
def caseload(home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example caseload, with an item-9 endorsement for c-1042 on 2026-11-24."""
    shutil.copytree(EXAMPLES / "clients", home / "clients")
    home.chmod(0o700)
    (home / "clients").chmod(0o700)
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-28")
    result = invoke(
        runner, "measure", "c-1042", "phq9", "--responses", "1,1,1,1,1,1,1,1,1",
        "--date", "2026-11-24", "--goal", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return home


def _table(runner: CliRunner, command: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke(runner, *COMMANDS[command])
    assert result.exit_code == 0, result.stderr
    text = result.stdout + "--- stderr\n" + result.stderr
    return re.sub(r"(entry\s+)[0-9A-Z]{10}\b", r"\1<id>", text)  # entry ids are random


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_matches_its_snapshot(
    caseload: Path, runner: CliRunner, command: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table of each command matches its snapshot at this width (UPDATE_SNAPSHOTS=1)."""
    text = _table(runner, command, width, monkeypatch)
    path = SNAPSHOTS / f"table-{command}-{width}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_keeps_measure_target_outlook_and_risk(
    caseload: Path, runner: CliRunner, command: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measure, now, target, outlook (or concerns) and the risk flag survive every width."""
    text = _table(runner, command, width, monkeypatch)
    assert [word for word in MUST_SHOW[command] if word not in text] == []
    assert max(len(line) for line in text.splitlines()) <= width
