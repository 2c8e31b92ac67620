"""Ctrl-C during `import` says how many clients were written and that a re-run completes it;
`import` reads at most 64 MiB, so `/dev/zero` or a runaway producer stops at once (issue 16,
items 2 and 7)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import HANG_GUARD, default_sigint, invoke, run_cli, snapshot

CLIENTS = 600
INTERRUPTED = re.compile(
    r"goaltrack: error: interrupted: (\d+) of 600 client\(s\) were written \(the one being "
    r"written, (c-\d+), is complete or untouched\); re-run the same import to complete it "
    r"\(entries already imported are not added twice\)\n"
)


def _rows(path: Path) -> Path:
    lines = ["type,client,goal,kind,title,measure,date,value"]
    for n in range(CLIENTS):
        cid = f"c-{1000 + n}"
        lines += [
            f"client,{cid},,,,,,",
            f"goal,{cid},1,coping,Grounding,gbo,,",
            f"entry,{cid},1,,,,2026-01-05,3",
            f"entry,{cid},1,,,,2026-01-12,4",
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _client_files(home: Path) -> list[str]:
    clients = home / "clients"
    return sorted(p.name for p in clients.glob("*.toml")) if clients.is_dir() else []


@pytest.mark.slow
def test_sigint_during_import_names_what_was_written_and_a_rerun_completes(
    home: Path, tmp_path: Path
) -> None:
    """SIGINT mid-commit: exit 130, one line with the count; the same import then completes."""
    source = _rows(tmp_path / "rows.csv")
    process = subprocess.Popen(
        [sys.executable, "-m", "goaltrack", "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + HANG_GUARD
    while len(_client_files(home)) < 3 and process.poll() is None:
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.005)
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 130, stderr
    match = INTERRUPTED.fullmatch(stderr)
    assert match, stderr
    written = int(match.group(1))
    on_disk = len(_client_files(home))
    assert on_disk in (written, written + 1)  # the one being written: complete or untouched
    assert 2 <= written < CLIENTS
    again = run_cli("import", str(source))
    assert again.returncode == 0, again.stderr
    assert len(_client_files(home)) == CLIENTS
    store = Store(home)
    assert all(len(store.load(f"c-{1000 + n}").goals[0].progress) == 2 for n in range(CLIENTS))
    assert "added 0 entries" in run_cli("import", str(source)).stderr


def test_import_of_dev_zero_stops_at_the_input_limit(home: Path, runner: CliRunner) -> None:
    """`import /dev/zero`: one line, exit 1, nothing written (it does not read forever)."""
    result = invoke(runner, "import", "/dev/zero")
    assert (result.exit_code, result.stderr) == (
        1,
        "goaltrack: error: input: must be at most 64 MiB (67,108,864 bytes); split it into "
        "several imports\n",
    )
    assert snapshot(home) == {}


@pytest.mark.slow
def test_a_huge_stdin_stops_at_the_input_limit(home: Path) -> None:
    """A producer that never stops (`yes` rows on stdin): exit 1 once 64 MiB were read."""
    producer = subprocess.Popen(["yes", "entry,c-1,1,,,,2026-01-05,3"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "goaltrack", "import", "-"],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
            env={**os.environ},
            check=False,
        )
    finally:
        producer.kill()
        producer.wait()
    assert result.returncode == 1
    assert result.stderr == (
        "goaltrack: error: input: must be at most 64 MiB (67,108,864 bytes); split it into "
        "several imports\n"
    )
    assert not (home / "clients").exists()
