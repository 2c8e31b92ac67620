"""`goaltrack check [--fix]`: findings per file, safe repairs only, exit 3 while problems remain."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage import fileformat
from goaltrack.storage.check import check_home
from goaltrack.storage.findings import FIXED, NOTICE, OK, PROBLEM
from goaltrack.storage.store import Store
from helpers import HANG_GUARD, client_with_goal, invoke, snapshot


def _findings(home: Path, fix: bool = False) -> dict[tuple[str, str], str]:
    result = check_home(home, fix=fix)
    return {(f.path, f.check): f.status for f in result.findings}


def _three_problems(home: Path) -> Store:
    """A home with one corrupted file, one 0644 file and one orphaned temp file."""
    store = Store(home)
    for client_id in ("c-1", "c-2", "c-3"):
        client_with_goal(store, client_id)
    store.path_for("c-1").write_bytes(b"schema_version = 1\n[client\nid = 'c-1'\n")
    store.path_for("c-2").chmod(0o644)
    (store.clients_dir / ".c-3.toml.x1y2z3ab.tmp").write_text("half a write")
    return store


def test_check_reports_corrupt_open_and_orphan_then_fix_repairs_two(
    home: Path, runner: CliRunner
) -> None:
    """The issue's acceptance case: 3 problems found; --fix repairs 2; the corrupt file stays."""
    store = _three_problems(home)
    corrupt = store.path_for("c-1").read_bytes()
    result = invoke(runner, "check", "--json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    problems = {(f["path"], f["check"]) for f in document["findings"] if f["status"] == PROBLEM}
    assert problems == {
        ("clients/c-1.toml", "parse"),
        ("clients/c-2.toml", "mode"),
        ("clients/.c-3.toml.x1y2z3ab.tmp", "orphan"),
    }
    assert document["problems"] == 3 and document["clean"] is False

    fixed = invoke(runner, "check", "--fix", "--json")
    assert fixed.exit_code == 3
    findings = {(f["path"], f["check"]): f["status"] for f in json.loads(fixed.stdout)["findings"]}
    assert findings[("clients/c-2.toml", "mode")] == FIXED
    assert findings[("clients/.c-3.toml.x1y2z3ab.tmp", "orphan")] == FIXED
    assert findings[("clients/c-1.toml", "parse")] == PROBLEM
    assert store.path_for("c-1").read_bytes() == corrupt
    assert stat.S_IMODE(store.path_for("c-2").stat().st_mode) == 0o600
    assert not (store.clients_dir / ".c-3.toml.x1y2z3ab.tmp").exists()

    again = json.loads(invoke(runner, "check", "--json").stdout)
    assert [(f["path"], f["check"]) for f in again["findings"] if f["status"] == PROBLEM] == [
        ("clients/c-1.toml", "parse")
    ]


def test_check_never_changes_client_files(home: Path, runner: CliRunner) -> None:
    """check and check --fix leave every client file byte-identical."""
    store = _three_problems(home)
    before = {
        name: data for name, data in snapshot(store.clients_dir).items() if name.endswith(".toml")
    }
    invoke(runner, "check")
    invoke(runner, "check", "--fix")
    after = {
        name: data for name, data in snapshot(store.clients_dir).items() if name.endswith(".toml")
    }
    assert after == before


def test_clean_home_exits_zero_with_a_row_per_file(home: Path, runner: CliRunner) -> None:
    """A healthy home: exit 0, each client file reported ok with its counts."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    result = invoke(runner, "check", "-f", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["path"], r["status"]) for r in rows] == [
        ("audit.log", OK),
        ("clients/c-1.toml", OK),
        ("clients/c-2.toml", OK),
        ("index.sqlite3", OK),  # the caseload index: every row agrees with its file
    ]
    assert rows[1]["message"] == "valid: schema 2, 1 goal(s), 0 entries"


def test_missing_home_is_clean(home: Path, runner: CliRunner) -> None:
    """No data folder yet: nothing to check, exit 0, nothing created."""
    result = invoke(runner, "check", "--fix")
    assert result.exit_code == 0
    assert not home.exists()


def test_open_folders_and_audit_log_are_fixed(home: Path) -> None:
    """Home, clients folder and audit log open to others: reported, then chmod'ed by --fix."""
    store = Store(home)
    client_with_goal(store)
    home.chmod(0o755)
    store.clients_dir.chmod(0o777)
    (home / "audit.log").chmod(0o644)
    assert _findings(home) == {
        (".", "mode"): PROBLEM,
        ("clients", "mode"): PROBLEM,
        ("audit.log", "mode"): PROBLEM,
        ("clients/c-1.toml", "client"): OK,
        ("index.sqlite3", "index"): OK,
    }
    assert _findings(home, fix=True)[(".", "mode")] == FIXED
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.clients_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "audit.log").stat().st_mode) == 0o600
    assert check_home(home).clean


def test_stale_lock_is_a_notice_and_is_kept(home: Path) -> None:
    """A lock file with no client file is reported, harmless, and never deleted."""
    store = Store(home)
    client_with_goal(store)
    store.lock_path_for("c-9").touch(mode=0o600)
    result = check_home(home, fix=True)
    assert result.clean
    assert (("clients/c-9.toml.lock", "lock"), NOTICE) in {
        ((f.path, f.check), f.status) for f in result.findings
    }
    assert store.lock_path_for("c-9").exists()


def test_temp_file_of_a_running_write_is_left_alone(home: Path) -> None:
    """While a writer holds the client's lock, its temp file is not an orphan: --fix keeps it."""
    store = Store(home)
    client_with_goal(store)
    temp = store.clients_dir / ".c-1.toml.in_fligh.tmp"
    temp.write_text("being written")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR);"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(9999)",
            str(store.lock_path_for("c-1")),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        findings = _findings(home, fix=True)
    finally:
        holder.kill()
        holder.wait()
    assert findings[("clients/.c-1.toml.in_fligh.tmp", "orphan")] == NOTICE
    assert temp.exists()


def test_duplicate_entry_ids_are_named(home: Path) -> None:
    """Two entries sharing an id: a problem naming the id (ids are codes, not clinical text)."""
    store = Store(home)
    client_with_goal(store)
    store.update("c-1", lambda r: None)
    path = store.path_for("c-1")
    entry = '\n[[goals.progress]]\nid = "DUPLICATE1"\ndate = 2026-09-02\nvalue = 3\n'
    path.write_text(path.read_text().replace("progress = []\n", "") + entry + entry)
    result = check_home(home)
    [finding] = [f for f in result.findings if f.status == PROBLEM]
    assert finding.check == "entries"
    assert finding.message == "1 duplicate entry id(s): DUPLICATE1; fix by hand"


def test_symlinks_other_files_and_newer_schemas(home: Path, tmp_path: Path) -> None:
    """Symlinked client files are problems; strangers and newer schemas are notices."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    target = tmp_path / "target.toml"
    target.write_bytes(store.path_for("c-1").read_bytes())
    store.path_for("c-1").unlink()
    store.path_for("c-1").symlink_to(target)
    path = store.path_for("c-2")
    path.write_text(path.read_text().replace("schema_version = 2", "schema_version = 7"))
    (store.clients_dir / "README.txt").write_text("hello")
    (store.clients_dir / "Bad Name.toml").write_text("x = 1\n")
    findings = _findings(home, fix=True)
    assert findings == {
        ("audit.log", "audit"): OK,
        ("clients/Bad Name.toml", "other"): NOTICE,
        ("clients/README.txt", "other"): NOTICE,
        ("clients/c-1.toml", "symlink"): PROBLEM,
        ("clients/c-2.toml", "schema"): NOTICE,
        ("index.sqlite3", "index"): OK,  # rebuilt by --fix
    }
    assert store.path_for("c-1").is_symlink()


def test_older_schema_is_a_notice_naming_its_version(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of an older schema that migrates cleanly is a notice that names its version."""
    monkeypatch.setitem(fileformat.MIGRATIONS, 0, lambda document: document)
    store = Store(home)
    client_with_goal(store)
    path = store.path_for("c-1")
    path.write_text(path.read_text().replace("schema_version = 2", "schema_version = 0"))
    [finding] = [f for f in check_home(home).findings if f.path == "clients/c-1.toml"]
    assert (finding.status, finding.check, finding.message) == (
        NOTICE,
        "schema",
        "schema 0: migrated in memory, rewritten as 2 on the next change",
    )


def test_unreadable_audit_lines_are_a_problem(home: Path) -> None:
    """A damaged audit log is reported (and never rewritten)."""
    store = Store(home)
    client_with_goal(store)
    with (home / "audit.log").open("ab") as log:
        log.write(b"{not json\n")
    before = (home / "audit.log").read_bytes()
    assert _findings(home, fix=True)[("audit.log", "audit")] == PROBLEM
    assert (home / "audit.log").read_bytes() == before


def test_check_as_a_real_process_names_the_three_problems(home: Path) -> None:
    """The table output, through a real process: three problem rows, exit 3."""
    _three_problems(home)
    done = subprocess.run(
        [sys.executable, "-m", "goaltrack", "check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=HANG_GUARD,
        env={**os.environ, "COLUMNS": "160"},
    )
    assert done.returncode == 3
    assert done.stdout.count(" problem ") == 3
    assert "run `goaltrack check --fix` to repair 2 of them" in done.stdout


def test_user_instruments_file_is_checked(home: Path) -> None:
    """instruments.toml: a broken one is a problem naming the line; a good one is ok."""
    store = Store(home)
    client_with_goal(store)
    path = home / "instruments.toml"
    path.write_text("[mood\nname = 'x'\n")
    path.chmod(0o600)
    findings = check_home(home).findings
    assert [(f.path, f.status, f.message) for f in findings if f.path == "instruments.toml"] == [
        ("instruments.toml", PROBLEM, "not valid TOML (line 1)")
    ]
    path.write_text('[mood]\nname = "Mood"\nmin = 0\nmax = 10\nbetter = "higher"\n')
    assert _findings(home)[("instruments.toml", "instruments")] == OK


@pytest.mark.parametrize(
    "text",
    [
        # rtoml reads this one
        "schema_version = 1\n[client]\nid = 'c-1'\nconcerns = [\n  'mood',\n",
        # a brace sends the text to tomllib, which says only "at end of document"
        "schema_version = 1\n[client]\nid = 'c-1'\nnote = '{'\nconcerns = [\n  'mood',\n",
    ],
)
def test_check_names_the_line_of_an_unterminated_array_at_the_end(
    home: Path, runner: CliRunner, text: str
) -> None:
    """`check` names the line of every TOML error, an array left open at the end too."""
    store = Store(home)
    client_with_goal(store)
    store.path_for("c-1").write_text(text)
    result = invoke(runner, "check", "--json")
    assert result.exit_code == 3
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["status"] == PROBLEM]
    last = text.rstrip().count("\n") + 1
    assert finding["message"] == f"not valid TOML (line {last}); the file was left unchanged"


def test_check_names_the_line_of_an_open_instruments_file(home: Path, runner: CliRunner) -> None:
    """instruments.toml with a table left open at the end: the problem names its last line."""
    client_with_goal(Store(home))
    path = home / "instruments.toml"
    path.write_text('[mood]\nname = "Mood"\nanchors = [\n  "low",\n')
    path.chmod(0o600)
    result = invoke(runner, "check", "--json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert "not valid TOML (line 4)" in messages
