"""A home that travels: Windows device names refused as ids, a relative XDG_DATA_HOME
ignored, a byte-order mark read, private parent folders under umask 000 (issue 16, item 11)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.schema import client_file_schema
from helpers import invoke, run_cli, snapshot

RESERVED = ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"]
ID_RULE = (
    "must be 1-64 characters of a-z, 0-9, '-' or '_', starting with a letter or digit (e.g. "
    "c-1042), and not a Windows device name (con, prn, aux, nul, com0-com9, lpt0-lpt9)"
)


@pytest.mark.parametrize("client_id", RESERVED)
def test_windows_device_name_is_refused_as_a_client_id(
    home: Path, runner: CliRunner, tmp_path: Path, client_id: str
) -> None:
    """`new-client con` is refused with the id rule, exit 1, and creates nothing."""
    before = snapshot(tmp_path)
    result = invoke(runner, "new-client", client_id)
    assert result.exit_code == 1
    assert result.stderr == f"goaltrack: error: client id: {ID_RULE}\n"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("client_id", ["cons", "com10", "nul-1", "lpt", "c-con"])
def test_names_that_only_start_like_a_device_name_are_ids(
    home: Path, runner: CliRunner, client_id: str
) -> None:
    """Only the exact device names are refused: `com10` and `cons` are fine."""
    assert invoke(runner, "new-client", client_id).exit_code == 0
    assert (home / "clients" / f"{client_id}.toml").is_file()


def test_schema_pattern_refuses_device_names_too() -> None:
    """The JSON Schema's id pattern, for editors, refuses `nul` like the program does."""
    import re

    pattern = client_file_schema()["$defs"]["Client"]["properties"]["id"]["pattern"]
    assert re.search(pattern, "nul") is None
    assert re.search(pattern, "c-1042") is not None


def test_relative_xdg_data_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG_DATA_HOME=data (relative) is ignored: the home is ~/.local/share/goaltrack."""
    user = tmp_path / "user"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("GOALTRACK_HOME", raising=False)
    result = run_cli("new-client", "c-1", env={"HOME": str(user), "XDG_DATA_HOME": "data"})
    assert result.returncode == 0, result.stderr
    assert (user / ".local/share/goaltrack/clients/c-1.toml").is_file()
    assert list(work.iterdir()) == []


def test_client_file_with_a_byte_order_mark_reads_as_valid(home: Path) -> None:
    """A client file saved with a UTF-8 BOM (a Windows editor) is shown, checked and logged to."""
    assert run_cli("new-client", "c-1", "--name", "Sam").returncode == 0
    path = home / "clients" / "c-1.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    shown = run_cli("show", "c-1")
    assert shown.returncode == 0, shown.stderr
    assert "Sam" in shown.stdout
    checked = run_cli("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert run_cli("edit-client", "c-1", "--name", "Sam K.").returncode == 0
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")  # the next write drops the mark


def test_parent_folders_of_a_new_home_are_private_under_umask_000(tmp_path: Path) -> None:
    """Under umask 000 every folder goaltrack creates for a new home is 0700, not 0777;
    the folder that was there already keeps its mode."""
    tmp_path.chmod(0o755)
    home = tmp_path / "a" / "b" / "home"
    old = os.umask(0)
    try:
        result = run_cli("new-client", "c-1", env={"GOALTRACK_HOME": str(home)})
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    modes = {
        str(folder.relative_to(tmp_path)): stat.S_IMODE(folder.stat().st_mode)
        for folder in (tmp_path / "a", tmp_path / "a" / "b", home, home / "clients")
    }
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    assert modes == {"a": 0o700, "a/b": 0o700, "a/b/home": 0o700, "a/b/home/clients": 0o700}


def test_check_reports_a_client_file_named_after_a_device(runner: CliRunner, home: Path) -> None:
    """A `con.toml` from before device names were refused is a problem in check, never hidden."""
    invoke(runner, "new-client", "c-1")
    clients = home / "clients"
    text = (clients / "c-1.toml").read_text().replace('id = "c-1"', 'id = "con"')
    (clients / "con.toml").write_text(text)
    os.chmod(clients / "con.toml", 0o600)
    result = invoke(runner, "check")
    assert result.exit_code == 3
    assert "Windows device name (con)" in result.stdout + result.stderr
