"""Issue 12: delete-client moves a file to the private trash (audited); restore brings it back."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from typer.testing import CliRunner

from helpers import invoke


def _client(runner: CliRunner) -> bytes:
    assert invoke(runner, "new-client", "c-1", "--concern", "sleep").exit_code == 0
    assert invoke(runner, "add-goal", "c-1", "coping", "Sleep").exit_code == 0
    return b""


def test_delete_without_yes_changes_nothing(runner: CliRunner, home: Path) -> None:
    """Without --yes: exit 1, the file stays where it is and no trash is made."""
    _client(runner)
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "delete-client", "c-1")
    assert result.exit_code == 1
    assert (home / "clients" / "c-1.toml").read_bytes() == before
    assert not (home / "trash").exists()


def test_delete_moves_the_file_to_a_private_trash(runner: CliRunner, home: Path) -> None:
    """--yes moves the file byte for byte into trash/ (0700), and clients no longer lists it."""
    _client(runner)
    before = (home / "clients" / "c-1.toml").read_bytes()
    assert invoke(runner, "delete-client", "c-1", "--yes").exit_code == 0
    assert not (home / "clients" / "c-1.toml").exists()
    [moved] = list((home / "trash").iterdir())
    assert moved.name.startswith("c-1--") and moved.read_bytes() == before
    assert stat.S_IMODE((home / "trash").stat().st_mode) == 0o700
    assert json.loads(invoke(runner, "clients", "-f", "json").stdout)["clients"] == []


def test_delete_and_restore_are_audited(runner: CliRunner, home: Path) -> None:
    """Each move leaves one audit line naming the command and the client."""
    _client(runner)
    invoke(runner, "delete-client", "c-1", "--yes")
    invoke(runner, "restore", "c-1")
    lines = [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]
    assert [(e["command"], e["client"], e["outcome"]) for e in lines[-2:]] == [
        ("delete-client", "c-1", "ok"),
        ("restore", "c-1", "ok"),
    ]


def test_restore_brings_the_client_back(runner: CliRunner, home: Path) -> None:
    """restore puts the same bytes back; the trash is then empty."""
    _client(runner)
    before = (home / "clients" / "c-1.toml").read_bytes()
    invoke(runner, "delete-client", "c-1", "--yes")
    assert invoke(runner, "restore", "c-1").exit_code == 0
    assert (home / "clients" / "c-1.toml").read_bytes() == before
    assert list((home / "trash").iterdir()) == []


def test_restore_never_overwrites_a_client(runner: CliRunner, home: Path) -> None:
    """A new client of the same id blocks restore (exit 1); the trashed copy stays."""
    _client(runner)
    invoke(runner, "delete-client", "c-1", "--yes")
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "restore", "c-1")
    assert result.exit_code == 1
    assert len(list((home / "trash").iterdir())) == 1


def test_check_lists_the_trash(runner: CliRunner) -> None:
    """check names each trashed file as a notice (not a problem: exit 0)."""
    _client(runner)
    invoke(runner, "delete-client", "c-1", "--yes")
    result = invoke(runner, "check", "-f", "json")
    assert result.exit_code == 0
    found = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "trash"]
    assert len(found) == 1 and found[0]["status"] == "notice"
    assert found[0]["message"].startswith("client c-1 moved to the trash on ")
