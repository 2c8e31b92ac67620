"""A clients folder its owner cannot list or write (mode 0300, 0500): one line, exit 3, from
every command that lists or writes; `check` reports it and `--fix` repairs it (issue 16,
item 5).

goaltrack decides by the mode bits, not by trying, so the answer is the same for root (whom
the kernel lets through) as for the user; these tests therefore run as root too. The one test
of a listing that the kernel itself refuses needs a user the kernel refuses: it skips as root.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import client_with_goal, invoke, run_cli, snapshot

COMMANDS = [
    ["clients"],
    ["check"],
    ["log", "c-1", "1", "3"],
    ["export", "--all"],
]


def _home_with_clients_mode(home: Path, mode: int) -> Path:
    client_with_goal(Store(home))
    clients = home / "clients"
    clients.chmod(mode)
    return clients


@pytest.mark.parametrize("mode", [0o300, 0o500])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_unusable_clients_folder_is_one_line_exit_3(
    home: Path, runner: CliRunner, mode: int, args: list[str]
) -> None:
    """`clients`, `log`, `export --all` name the folder and the fix; `check` reports it."""
    clients = _home_with_clients_mode(home, mode)
    try:
        result = (
            invoke(runner, *args, "--format", "csv")
            if args[0] == "check"
            else invoke(runner, *args)
        )
        assert result.exit_code == 3, result.stderr
        if args[0] == "check":
            assert (
                f'clients,problem,mode,"cannot be listed and written by you (mode {mode:04o}, '
                'should be 0700): every write fails",true'
            ) in result.stdout.splitlines()
        else:
            assert result.stderr == (
                f"goaltrack: error: {clients} cannot be listed and written by you (mode "
                f"{mode:04o}); run: chmod 700 {clients}\n"
            )
    finally:
        clients.chmod(0o700)


def test_log_into_a_read_only_clients_folder_changes_nothing(home: Path, runner: CliRunner) -> None:
    """`log` with clients at 0500: refused before any file is touched."""
    clients = _home_with_clients_mode(home, 0o500)
    before = snapshot(home)
    try:
        assert invoke(runner, "log", "c-1", "1", "3").exit_code == 3
    finally:
        clients.chmod(0o700)
    assert snapshot(home) == before


def test_check_fix_makes_the_clients_folder_usable(home: Path, runner: CliRunner) -> None:
    """`check --fix` sets 0700 on a 0500 clients folder; the next `log` works."""
    clients = _home_with_clients_mode(home, 0o500)
    result = invoke(runner, "check", "--fix")
    assert result.exit_code == 0, result.stdout
    assert stat.S_IMODE(clients.stat().st_mode) == 0o700
    assert invoke(runner, "log", "c-1", "1", "3").exit_code == 0


def test_a_listing_the_system_refuses_is_reported_by_check(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clients folder whose listing fails (an ACL, say) is a problem row, not exit 70."""
    client_with_goal(Store(home))
    real_scandir = os.scandir

    def refuse(path: object = ".") -> object:
        if str(path).endswith("clients"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    result = invoke(runner, "check", "--format", "csv")
    assert result.exit_code == 3
    assert "clients,problem,folder,cannot be listed: Permission denied,false" in (
        result.stdout.splitlines()
    )
    listed = invoke(runner, "clients")
    assert (listed.exit_code, listed.stderr) == (
        3,
        f"goaltrack: error: cannot list {home / 'clients'}: Permission denied\n",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder: needs a refused user")
def test_real_unlistable_folder_in_a_process(home: Path) -> None:
    """As a real user process, a 0300 clients folder gives exit 3 and one line."""
    clients = _home_with_clients_mode(home, 0o300)
    try:
        result = run_cli("clients")
    finally:
        clients.chmod(0o700)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
