"""A backup always restores: `export --all` carries the home's settings files and each client
file's exact text, and `import` of that dump into an empty home gives byte-identical files,
without re-checking stored values against today's rules (issue 16, item 1). Rows from a
spreadsheet stay fully checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import REPO, run_cli

#: A user instrument, 0-10; later narrowed to 0-5 after a 7 was logged.
SLEEP = """\
# the clinic's sleep diary (hand-written comment: kept byte for byte)
[sleep]
name = "Sleep quality diary"
min = 0
max = 10
better = "higher"
"""
TEMPLATES = "# templates of this clinic\n"
#: A time zone where "today" is a day ahead of most of the world, and one where it is behind.
EAST = "Etc/GMT-14"  # UTC+14
WEST = "Etc/GMT+12"  # UTC-12


def _gt(home: Path, *args: str, tz: str = EAST) -> subprocess.CompletedProcess[str]:
    result = run_cli("--home", str(home), *args, env={"TZ": tz})
    assert result.returncode == 0, (args, result.stderr)
    return result


def _files(home: Path) -> dict[str, bytes]:
    """Every client file and settings file of a home, with its bytes."""
    found = {p.name: p.read_bytes() for p in sorted((home / "clients").glob("*.toml"))}
    for name in ("instruments.toml", "templates.toml"):
        if (home / name).exists():
            found[name] = (home / name).read_bytes()
    return found


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with a user instrument, a narrowed range, hand edits and entries of 'today'
    at UTC+14 (tomorrow in UTC-12). Built once: the tests only read it."""
    home = tmp_path_factory.mktemp("backup") / "source"
    _gt(home, "new-client", "c-1", "--name", "Robin", "--concern", "insomnia:severe")
    (home / "instruments.toml").write_text(SLEEP)
    (home / "instruments.toml").chmod(0o600)
    (home / "templates.toml").write_text(TEMPLATES)
    (home / "templates.toml").chmod(0o600)
    _gt(home, "add-goal", "c-1", "coping", "Sleep through", "--measure", "sleep")
    _gt(home, "add-goal", "c-1", "trauma-resolution", "Fewer intrusions", "--measure", "pcl5")
    _gt(home, "log", "c-1", "1", "7", "--date", "today", "--note", "first week")
    _gt(home, "log", "c-1", "2", "40", "--date", "today")
    _gt(home, "new-client", "c-2")
    _gt(home, "add-goal", "c-2", "symptom-reduction", "Mood", "--measure", "phq9")
    _gt(home, "log", "c-2", "1", "12", "--date", "today")
    # the range is narrowed after a 7 was logged: that value now breaks the rule
    (home / "instruments.toml").write_text(SLEEP.replace("max = 10", "max = 5"))
    # a hand edit: a PCL-5 score of 999 (`check` reports it) and a comment of the clinician's
    path = home / "clients" / "c-1.toml"
    text = path.read_text().replace("value = 40", "value = 999")
    path.write_text("# edited by hand after the session\n" + text)
    return home


def test_restore_into_an_empty_home_is_byte_identical(source: Path, tmp_path: Path) -> None:
    """Dump at UTC+14, import at UTC-12 into an empty home: every file byte-identical."""
    dump = tmp_path / "dump.json"
    _gt(source, "export", "--all", "-o", str(dump))
    restored = tmp_path / "restored"
    result = run_cli("--home", str(restored), "import", str(dump), env={"TZ": WEST})
    assert result.returncode == 0, result.stderr
    assert _files(restored) == _files(source)
    assert set(_files(restored)) == {"c-1.toml", "c-2.toml", "instruments.toml", "templates.toml"}
    for name in ("instruments.toml", "templates.toml"):
        assert (restored / name).stat().st_mode & 0o777 == 0o600
    assert "restored instruments.toml from the dump" in result.stderr
    again = tmp_path / "again.json"
    _gt(restored, "export", "--all", "-o", str(again), tz=WEST)
    assert again.read_bytes() == dump.read_bytes()


def test_dump_carries_settings_files_and_exact_texts(source: Path, tmp_path: Path) -> None:
    """`files` holds instruments.toml, templates.toml and each client file, as on disk."""
    document = json.loads(_gt(source, "export", "--all").stdout)
    assert document["files"] == {
        "clients/c-1.toml": (source / "clients" / "c-1.toml").read_text(),
        "clients/c-2.toml": (source / "clients" / "c-2.toml").read_text(),
        "instruments.toml": (source / "instruments.toml").read_text(),
        "templates.toml": TEMPLATES,
    }


def test_nightly_export_example_exits_0(source: Path, tmp_path: Path) -> None:
    """`examples/nightly-export.sh` backs this home up and its restore check passes."""
    backups = tmp_path / "backups"
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        ["sh", str(REPO / "examples" / "nightly-export.sh"), str(backups)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "GOALTRACK_HOME": str(source),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "TZ": WEST,
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(backups.glob("goaltrack-*.fhir.json"))) == 1


def test_a_changed_dump_text_is_refused(source: Path, tmp_path: Path) -> None:
    """A dump whose file text no longer reads as its record: exit 1, nothing written."""
    document = json.loads(_gt(source, "export", "--all").stdout)
    document["files"]["clients/c-2.toml"] = document["files"]["clients/c-2.toml"].replace(
        "value = 12", "value = 13"
    )
    dump = tmp_path / "changed.json"
    dump.write_text(json.dumps(document))
    restored = tmp_path / "restored"
    result = run_cli("--home", str(restored), "import", str(dump))
    assert result.returncode == 1
    assert result.stderr == (
        "goaltrack: error: clients[1] (c-2): its file text (files) does not read back as its "
        "record: the dump was changed; restore from an unchanged dump\n"
        "goaltrack: error: import refused: 1 error; nothing was written\n"
    )
    assert not (restored / "clients").exists()


def test_a_home_keeps_its_own_differing_settings_file(source: Path, tmp_path: Path) -> None:
    """Restoring into a home with another instruments.toml keeps it and says so."""
    dump = tmp_path / "dump.json"
    _gt(source, "export", "--all", "-o", str(dump))
    other = tmp_path / "other"
    _gt(other, "new-client", "c-9")
    (other / "instruments.toml").write_text("# ours\n")
    result = run_cli("--home", str(other), "import", str(dump), env={"TZ": WEST})
    assert result.returncode == 0, result.stderr
    assert (other / "instruments.toml").read_text() == "# ours\n"
    assert (
        "goaltrack: warning: kept this home's instruments.toml: it differs from the dump's "
        "copy (under 'files' there)"
    ) in result.stderr.splitlines()
    assert (other / "templates.toml").read_text() == TEMPLATES


def test_spreadsheet_rows_stay_fully_checked(source: Path, tmp_path: Path) -> None:
    """A CSV row with a value past the narrowed range, or dated tomorrow, is refused."""
    rows = tmp_path / "rows.csv"
    rows.write_text("client,goal,date,value\nc-1,1,2026-01-05,7\nc-2,1,2999-01-01,3\n")
    result = run_cli("--home", str(source), "import", str(rows))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "goaltrack: error: line 2: value is outside the sleep range 0-5",
        "goaltrack: error: line 3, field date: must not be in the future (today is "
        f"{date.today()})",
        "goaltrack: error: import refused: 2 errors; nothing was written",
    ]


def test_dump_without_files_still_imports(source: Path, tmp_path: Path) -> None:
    """A dump made before `files` existed restores from its records (rendered anew)."""
    document = json.loads(_gt(source, "export", "--all").stdout)
    del document["files"]
    dump = tmp_path / "old.json"
    dump.write_text(json.dumps(document))
    restored = tmp_path / "restored"
    result = run_cli("--home", str(restored), "import", str(dump), env={"TZ": WEST})
    assert result.returncode == 0, result.stderr
    assert (restored / "clients" / "c-2.toml").read_bytes() == (
        source / "clients" / "c-2.toml"
    ).read_bytes()
    shutil.rmtree(restored)
