"""The shell scripts in examples/ run as their headers document, against scratch homes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import DERIVED_FILES, EXAMPLES, HANG_GUARD, REPO, snapshot

SCRIPTS = REPO / "examples"


@pytest.fixture(autouse=True)
def caseload_untouched() -> Iterator[None]:
    """No example script may change the shipped example caseload."""
    before = snapshot(EXAMPLES)
    yield
    assert snapshot(EXAMPLES) == before


def _run(
    script: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an example as a new user would: from the repository, goaltrack on PATH."""
    full_env = {key: value for key, value in os.environ.items() if key != "GOALTRACK_HOME"}
    full_env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{full_env.get('PATH', '')}"
    full_env.update(env or {})
    return subprocess.run(
        [f"examples/{script}", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def test_scripts_are_executable() -> None:
    """Every example script has its executable bit, so `examples/x.sh` works as documented."""
    scripts = sorted(SCRIPTS.glob("*.sh"))
    assert len(scripts) == 3
    for script in scripts:
        assert script.stat().st_mode & stat.S_IXUSR, script.name


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_deteriorated_lists_the_goals_that_got_worse() -> None:
    """October 2026 in the caseload: c-4208's GBO went down and its CORE-10 went up."""
    result = _run("deteriorated-this-month.sh", "2026-10", env={"GOALTRACK_HOME": str(EXAMPLES)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "client\tgoal\tmeasure\ttitle\tbefore_date\tbefore\tlast_date\tlast",
        "c-4208\t1\tgbo\tFewer arguments at home\t2026-09-22\t6\t2026-10-20\t5",
        "c-4208\t3\tcore10\tLift low mood\t2026-09-22\t23\t2026-10-20\t24",
    ]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_deteriorated_in_a_good_month_prints_only_the_header() -> None:
    """November 2026: every goal held or improved."""
    result = _run("deteriorated-this-month.sh", "2026-11", env={"GOALTRACK_HOME": str(EXAMPLES)})
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1


def test_deteriorated_rejects_a_bad_month() -> None:
    """A month that is not YYYY-MM is a usage error."""
    result = _run("deteriorated-this-month.sh", "October", env={"GOALTRACK_HOME": str(EXAMPLES)})
    assert result.returncode == 2
    assert "usage" in result.stderr


@pytest.mark.slow
def test_import_spreadsheet_loads_the_sample_once(tmp_path: Path) -> None:
    """The sample CSV creates two clients; a second run adds nothing."""
    home = tmp_path / "home"
    first = _run("import-spreadsheet.sh", env={"GOALTRACK_HOME": str(home)})
    assert first.returncode == 0, first.stderr
    assert "Progress of c-5001" in first.stdout and "Progress of c-5002" in first.stdout
    files = snapshot(home / "clients")
    assert sorted(name for name in files if name.endswith(".toml")) == [
        "c-5001.toml",
        "c-5002.toml",
    ]
    second = _run("import-spreadsheet.sh", env={"GOALTRACK_HOME": str(home)})
    assert second.returncode == 0, second.stderr
    assert "added 0 entries, 0 goals and 0 clients" in second.stderr
    assert snapshot(home / "clients") == files


def test_import_spreadsheet_needs_an_explicit_home() -> None:
    """Without GOALTRACK_HOME the script refuses, so the sample never lands in real data."""
    result = _run("import-spreadsheet.sh")
    assert result.returncode != 0
    assert "GOALTRACK_HOME" in result.stderr


def test_import_spreadsheet_refuses_the_example_caseload() -> None:
    """The shipped caseload is never a target."""
    result = _run("import-spreadsheet.sh", env={"GOALTRACK_HOME": str(EXAMPLES)})
    assert result.returncode == 2
    assert "refusing" in result.stderr


def test_import_spreadsheet_stops_on_a_bad_file(tmp_path: Path) -> None:
    """A file with an invalid row fails at the dry run; nothing is written."""
    bad = tmp_path / "bad.csv"
    sample = (SCRIPTS / "spreadsheet-scores.csv").read_text(encoding="utf-8")
    bad.write_text(sample.replace("2026-10-05,13", "2026-10-05,thirteen"), encoding="utf-8")
    home = tmp_path / "home"
    result = _run("import-spreadsheet.sh", str(bad), env={"GOALTRACK_HOME": str(home)})
    assert result.returncode == 1
    assert "line 7, field value" in result.stderr
    assert snapshot(home) == {}


@pytest.mark.slow
def test_nightly_export_writes_private_verified_backups(tmp_path: Path) -> None:
    """A JSON dump and a FHIR bundle, 0600, and the dump re-imports."""
    backups = tmp_path / "backups"
    result = _run("nightly-export.sh", str(backups), env={"GOALTRACK_HOME": str(EXAMPLES)})
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in backups.iterdir())
    assert len(names) == 2
    assert names[0].endswith(".fhir.json") and names[1].endswith(".json")
    for path in backups.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    dump = json.loads((backups / names[1]).read_text(encoding="utf-8"))
    assert len(dump["clients"]) == 4


@pytest.mark.slow
def test_nightly_export_keeps_the_newest_nights(tmp_path: Path) -> None:
    """KEEP=2 prunes older backups of each kind, newest first by date in the name."""
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in ("2020-01-01", "2020-01-02", "2020-01-03"):
        (backups / f"goaltrack-{day}.json").write_text("{}")
        (backups / f"goaltrack-{day}.fhir.json").write_text("{}")
    (backups / "notes.txt").write_text("keep me")
    result = _run(
        "nightly-export.sh", str(backups), env={"GOALTRACK_HOME": str(EXAMPLES), "KEEP": "2"}
    )
    assert result.returncode == 0, result.stderr
    left = sorted(path.name for path in backups.iterdir())
    assert "notes.txt" in left
    assert next(n for n in left if n.endswith(".fhir.json")) == "goaltrack-2020-01-03.fhir.json"
    assert len([n for n in left if n.endswith(".fhir.json")]) == 2
    assert len([n for n in left if n.endswith(".json") and not n.endswith(".fhir.json")]) == 2


def test_nightly_export_fails_loudly_on_an_unreadable_client(tmp_path: Path) -> None:
    """A corrupt client file makes the job exit non-zero (cron mails the owner)."""
    home = tmp_path / "home"
    shutil.copytree(EXAMPLES, home, ignore=DERIVED_FILES)
    (home / "clients" / "c-3150.toml").write_text("x = [", encoding="utf-8")
    result = _run("nightly-export.sh", str(tmp_path / "b"), env={"GOALTRACK_HOME": str(home)})
    assert result.returncode == 3
    assert "c-3150.toml" in result.stderr
