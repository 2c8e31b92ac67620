"""`check --fix` acts only on a home goaltrack made, only on its own temp names, and never
through a hard link (issue 16, item 4)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from typer.testing import CliRunner

from goaltrack.paths import HOME_MARKER, HOME_MARKER_TEXT
from goaltrack.storage.locking import temp_file_client
from goaltrack.storage.store import Store
from helpers import EXAMPLES, client_with_goal, invoke


def _state(folder: Path) -> dict[str, tuple[int, str]]:
    """Every path under `folder` (the folder too): its mode and, for files, a checksum."""
    found: dict[str, tuple[int, str]] = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = os.lstat(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(folder))] = (stat.S_IMODE(info.st_mode), digest)
    return found


def _not_a_home(tmp_path: Path) -> Path:
    """A project folder open to others, with a clients/ folder that holds no client file."""
    folder = tmp_path / "project"
    (folder / "clients").mkdir(parents=True)
    folder.chmod(0o755)
    (folder / "clients").chmod(0o755)
    (folder / "notes.txt").write_text("meeting notes\n")
    (folder / "notes.txt").chmod(0o644)
    (folder / "clients" / "app.toml").write_text('[tool]\nname = "app"\n')
    (folder / "clients" / "app.toml").chmod(0o644)
    (folder / "clients" / ".app.toml.build.tmp").write_text("build output\n")
    (folder / "clients" / ".app.toml.build.tmp").chmod(0o644)
    return folder


def test_fix_on_a_folder_that_is_not_a_home_changes_nothing(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A mistyped --home: every file's bytes and mode, and the folders' modes, stay the same."""
    folder = _not_a_home(tmp_path)
    before = _state(folder)
    result = invoke(runner, "--home", str(folder), "check", "--fix", "--format", "csv")
    assert result.exit_code == 3
    assert _state(folder) == before  # no chmod, no deleted temp-like file, no lock file
    assert (
        '.,problem,home,"not a goaltrack home (no .goaltrack-home file, no audit.log, no client '
        'files): --fix changed nothing here; check --home or GOALTRACK_HOME",false'
    ) in result.stdout.splitlines()


def test_check_without_fix_says_the_folder_is_not_recognised(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Plain `check` on such a folder reports it as a notice and changes nothing."""
    folder = _not_a_home(tmp_path)
    before = _state(folder)
    result = invoke(runner, "--home", str(folder), "check", "--format", "csv")
    assert (
        ".,notice,home,not recognised as a goaltrack home: --fix will change nothing here,false"
        in (result.stdout.splitlines())
    )
    assert _state(folder) == before


def test_a_new_home_gets_the_marker(home: Path, runner: CliRunner) -> None:
    """The first write creates `.goaltrack-home` (0600) with its one-line comment."""
    assert invoke(runner, "new-client", "c-1").exit_code == 0
    marker = home / HOME_MARKER
    assert marker.read_text() == HOME_MARKER_TEXT
    assert stat.S_IMODE(marker.stat().st_mode) == 0o600


def test_an_older_home_is_recognised_and_marked(home: Path, runner: CliRunner) -> None:
    """A home with client files but no marker (made before markers) is fixed and marked."""
    shutil.copytree(EXAMPLES, home)
    (home / HOME_MARKER).unlink(missing_ok=True)
    home.chmod(0o755)
    result = invoke(runner, "check", "--fix", "--format", "csv")
    assert result.exit_code == 0, result.stdout
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert (home / HOME_MARKER).read_text() == HOME_MARKER_TEXT
    assert (
        ".goaltrack-home,fixed,home,a home made by an older goaltrack: marked,false"
        in result.stdout.splitlines()
    )


def test_an_older_home_with_only_an_audit_log_is_recognised(home: Path, runner: CliRunner) -> None:
    """An audit log alone is a strong enough sign: --fix repairs the home's mode."""
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "audit.log").write_text("")
    (home / "audit.log").chmod(0o600)
    assert invoke(runner, "check", "--fix").exit_code == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert (home / HOME_MARKER).exists()


def test_fix_removes_only_its_own_temp_names(home: Path, runner: CliRunner) -> None:
    """In a home, `.c-1.toml.k3x9_q2z.tmp` is an orphan and goes; look-alikes stay."""
    client_with_goal(Store(home))
    clients = home / "clients"
    ours = clients / ".c-1.toml.k3x9_q2z.tmp"
    lookalikes = [clients / name for name in (".app.toml.build.tmp", ".c-1.toml.K3X9Q2ZA.tmp")]
    for path in [ours, *lookalikes]:
        path.write_text("x")
        path.chmod(0o600)
    result = invoke(runner, "check", "--fix")
    assert result.exit_code == 0, result.stdout
    assert not ours.exists()
    assert all(path.read_text() == "x" for path in lookalikes)
    assert not (clients / "app.toml.lock").exists()


def test_temp_names_are_matched_exactly() -> None:
    """Only `.ID.toml.` + 8 of [a-z0-9_] + `.tmp` with a valid id is a temp file of ours."""
    assert temp_file_client(".c-1.toml.abcd_123.tmp") == "c-1"
    assert temp_file_client(".app.toml.build.tmp") is None
    assert temp_file_client(".c-1.toml.abcd1234x.tmp") is None
    assert temp_file_client(".con.toml.abcd1234.tmp") is None
    assert temp_file_client("c-1.toml.abcd1234.tmp") is None


def test_a_hard_linked_client_file_is_reported_not_chmodded(
    home: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A client file with a second name outside the home keeps its mode; --fix reports it."""
    client_with_goal(Store(home))
    outside = tmp_path / "passwd-copy"
    client_file = home / "clients" / "c-1.toml"
    client_file.unlink()
    outside.write_text(
        Path(EXAMPLES / "clients" / "c-1042.toml").read_text().replace("c-1042", "c-1")
    )
    outside.chmod(0o644)
    os.link(outside, client_file)
    before = _state(tmp_path)
    result = invoke(runner, "check", "--fix", "--format", "csv")
    assert result.exit_code == 3
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert {k: v for k, v in _state(tmp_path).items() if not k.startswith("home")} == {
        k: v for k, v in before.items() if not k.startswith("home")
    }
    assert any(
        line.startswith('clients/c-1.toml,problem,links,"has 2 hard links')
        for line in result.stdout.splitlines()
    )


def test_fix_never_chmods_the_parent_of_a_home(tmp_path: Path, runner: CliRunner) -> None:
    """The parent of a home open to others keeps its mode when the home is fixed."""
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o755)
    home = parent / "gt"
    assert invoke(runner, "--home", str(home), "new-client", "c-1").exit_code == 0
    home.chmod(0o755)
    assert invoke(runner, "--home", str(home), "check", "--fix").exit_code == 0
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
