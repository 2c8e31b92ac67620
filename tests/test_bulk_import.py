"""A 10,000-row CSV imports in one call; one bad row imports nothing; twice adds nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import BIG_CSV_CLIENTS, BIG_CSV_ROWS, HANG_GUARD, big_csv, run_cli, snapshot

pytestmark = pytest.mark.slow  # 10,000-row imports and concurrent real processes

ROWS = BIG_CSV_ROWS
CLIENTS = BIG_CSV_CLIENTS


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The good file, the same file with one bad row in the middle, and that row's line number."""
    folder = tmp_path_factory.mktemp("bulk")
    lines = big_csv()
    assert len(lines) - 1 == ROWS
    good = folder / "scores.csv"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    middle = len(lines) // 2
    bad_lines = list(lines)
    bad_lines[middle] = bad_lines[middle].rsplit(",", 4)[0] + ",2024-02-30,5,3,"
    bad = folder / "scores-bad.csv"
    bad.write_text("\n".join(bad_lines) + "\n", encoding="utf-8")
    return good, bad, middle + 1


def test_bad_row_in_the_middle_imports_nothing_and_is_named(
    home: Path, big: tuple[Path, Path, int]
) -> None:
    """One invalid row among 10,000: exit 1, the row named, no file written."""
    _, bad, line = big
    result = run_cli("import", str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"goaltrack: error: line {line}, field date: must be a date as YYYY-MM-DD "
        "(relative dates are for the command line)",
        "goaltrack: error: import refused: 1 error; nothing was written",
    ]
    assert snapshot(home / "clients") == {}


def test_ten_thousand_rows_import_in_one_call_and_twice_adds_nothing(
    home: Path, big: tuple[Path, Path, int]
) -> None:
    """All rows land in one call; a second call changes no byte."""
    good, _, _ = big
    first = run_cli("import", str(good), "--json")
    assert first.returncode == 0, first.stderr
    totals = json.loads(first.stdout)["totals"]
    assert totals == {"goals_added": 100, "entries_added": ROWS - 3 * CLIENTS, "entries_present": 0}
    files = snapshot(home / "clients")
    assert len([name for name in files if name.endswith(".toml")]) == CLIENTS
    second = run_cli("import", str(good), "--json")
    assert second.returncode == 0
    assert json.loads(second.stdout)["totals"]["entries_present"] == ROWS - 3 * CLIENTS
    assert snapshot(home / "clients") == files


def test_concurrent_imports_and_logs_lose_nothing(home: Path, tmp_path: Path) -> None:
    """Two imports and a `log` loop on the same clients at once: every entry lands."""
    import subprocess
    import sys

    setup = ["type,client,goal,kind,title"]
    for c in range(5):
        setup += [f"client,c-{c},,,", f"goal,c-{c},1,coping,Grounding"]
    assert run_cli("import", "-", input="\n".join(setup) + "\n").returncode == 0
    files = []
    for part in range(2):
        rows = ["client,goal,date,value,session"]
        rows += [
            f"c-{c},1,{date(2025, 1, 1) + timedelta(days=i)},{part},{1 + part * 1000 + i}"
            for c in range(5)
            for i in range(200)
        ]
        path = tmp_path / f"part{part}.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        files.append(path)
    command = [sys.executable, "-m", "goaltrack"]
    imports = [
        subprocess.Popen(
            [*command, "import", str(f)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    for i in range(10):
        logged = run_cli("log", f"c-{i % 5}", "1", "9", "--date", "2025-12-01")
        assert logged.returncode == 0, logged.stderr
    for process in imports:
        _, err = process.communicate(timeout=HANG_GUARD)
        assert process.returncode == 0, err
    result = run_cli("export", "--all", "-f", "csv")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) - 1 == 2 * 5 * 200 + 10
