"""The audit trail: one JSON line per change, no note text or values; `goaltrack audit`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack import operations as changes
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import GoalKind
from goaltrack.storage import audit
from goaltrack.storage.store import Store
from helpers import HANG_GUARD, SECRET, assert_private, client_with_goal, invoke

FIELDS = ["v", "time", "user", "pid", "command", "client", "goals", "entries", "outcome", "error"]


def _events(home: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]


def test_each_change_appends_one_line(home: Path, runner: CliRunner) -> None:
    """new-client, add-goal, log, remove-entry: one line each with command, goal and entry."""
    invoke(runner, "new-client", "c-1", "--name", SECRET, "--note", SECRET)
    invoke(runner, "add-goal", "c-1", "coping", f"{SECRET} title")
    entry_id = invoke(runner, "log", "c-1", "1", "7", "--note", SECRET).stdout.strip()
    invoke(runner, "remove-entry", "c-1", "1", entry_id)
    events = _events(home)
    assert [list(e) for e in events] == [FIELDS] * 4
    assert [
        (e["command"], e["client"], e["goals"], e["entries"], e["outcome"]) for e in events
    ] == [
        ("new-client", "c-1", [], [], "ok"),
        ("add-goal", "c-1", [1], [], "ok"),
        ("log", "c-1", [1], [entry_id], "ok"),
        ("remove-entry", "c-1", [1], [entry_id], "ok"),
    ]
    assert all(e["user"] and e["time"].endswith("Z") and e["error"] is None for e in events)
    raw = (home / "audit.log").read_text()
    assert SECRET not in raw
    assert "value" not in raw and "note" not in raw and "title" not in raw


def test_refused_and_failed_changes_are_audited(home: Path, runner: CliRunner) -> None:
    """A wrong goal is `refused`; a corrupt file is `failed`; both name the error class."""
    store = Store(home)
    client_with_goal(store)
    invoke(runner, "log", "c-1", "9", "5")
    store.path_for("c-1").write_text("not toml [\n")
    invoke(runner, "log", "c-1", "1", "5")
    last = _events(home)[-2:]
    assert [(e["outcome"], e["error"]) for e in last] == [
        ("refused", "GoalNotFoundError"),
        ("failed", "CorruptFileError"),
    ]


def test_audit_log_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """Under umask 000 the audit log is still created 0600."""
    home = tmp_path / "h"
    code = (
        "import os; os.umask(0); from datetime import date; import pathlib;"
        "from goaltrack import operations as changes; from goaltrack.storage.store import Store;"
        f"Store(pathlib.Path({str(home)!r})).create("
        "changes.new_client_record('c-1', created=date(2026, 9, 1)))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert stat.S_IMODE((home / "audit.log").stat().st_mode) == 0o600
    assert _events(home)[0]["command"] == "api"


def test_unwritable_log_refuses_the_change(home: Path, runner: CliRunner) -> None:
    """When the audit log cannot be opened, the change is refused (exit 3) and not written."""
    store = Store(home)
    client_with_goal(store)
    before = store.path_for("c-1").read_bytes()
    (home / "audit.log").unlink()
    (home / "audit.log").mkdir()
    result = invoke(runner, "log", "c-1", "1", "5")
    assert result.exit_code == 3
    assert "audit log" in result.stderr and "no change was made" in result.stderr
    assert store.path_for("c-1").read_bytes() == before


def test_lost_audit_line_keeps_the_change_and_warns(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If appending fails after the write, the entry stands (exit 0) and stderr warns."""
    store = Store(home)
    client_with_goal(store)

    def full_disk(fd: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "_append", full_disk)
    result = invoke(runner, "log", "c-1", "1", "5", "--note", SECRET)
    assert result.exit_code == 0
    assert result.stdout.strip() in store.load("c-1").entry_ids()
    assert "warning: could not append to the audit log" in result.stderr
    assert_private(result.stderr)


def test_audit_command_filters_by_client_and_date(home: Path, runner: CliRunner) -> None:
    """`goaltrack audit c-2 --since DATE` shows only that client's events from that date."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    document = json.loads(invoke(runner, "audit", "c-2", "--json").stdout)
    assert [e["client"] for e in document["events"]] == ["c-2", "c-2"]
    assert document["unreadable_lines"] == 0
    later = invoke(runner, "audit", "--since", "2999-01-01", "-f", "jsonl")
    assert later.exit_code == 0 and later.stdout == ""
    everything = invoke(runner, "audit", "--since", date.today().isoformat(), "-f", "csv")
    assert everything.stdout.splitlines()[0] == (
        "time,user,command,client,goals,entries,outcome,error"
    )
    assert len(everything.stdout.splitlines()) == 1 + 4


def test_audit_command_skips_and_counts_damaged_lines(home: Path, runner: CliRunner) -> None:
    """A damaged line is skipped with a warning; the readable events are still shown."""
    store = Store(home)
    client_with_goal(store)
    with (home / "audit.log").open("ab") as log:
        log.write(b'{"time": "not a time"}\n[1, 2]\n\xff\n')
    result = invoke(runner, "audit", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["unreadable_lines"] == 3
    assert "3 line(s) of the audit log cannot be read" in result.stderr


def test_no_audit_log_yet(home: Path, runner: CliRunner) -> None:
    """Before any change, `goaltrack audit` shows nothing and creates nothing."""
    result = invoke(runner, "audit")
    assert result.exit_code == 0
    assert not home.exists()


def test_changed_parts_names_goals_and_entries() -> None:
    """The diff of two records names the goals and entries that changed."""
    before = changes.new_client_record("c-1", created=date(2026, 9, 1))
    fields = changes.GoalFields(kind=GoalKind.COPING, title="t")
    changes.add_goal(before, fields, builtin_registry(), default_measure=False)
    after = before.model_copy(deep=True)
    entry = changes.EntryFields(value=3, date=date(2026, 9, 2))
    entry_id = changes.log_value(after, 1, entry, builtin_registry())
    assert audit.changed_parts(before, after) == ([1], [entry_id])
    assert audit.changed_parts(after, after) == ([], [])


@pytest.mark.slow
def test_parallel_writers_leave_only_whole_lines(home: Path) -> None:
    """Audit lines from 8 parallel processes never interleave (covered at scale elsewhere)."""
    store = Store(home)
    client_with_goal(store)
    script = (
        "import sys; from datetime import date; from goaltrack import operations as changes;"
        "from goaltrack.measures.instruments import builtin_registry;"
        "from goaltrack.storage.store import Store; import pathlib;"
        f"s = Store(pathlib.Path(sys.argv[1]), lock_timeout={HANG_GUARD})\n"
        "for i in range(10):\n"
        "    e = changes.EntryFields(value=i, date=date(2026, 9, 2))\n"
        "    s.update('c-1', lambda r: changes.log_value(r, 1, e, builtin_registry()))\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(home)]) for _ in range(4)]
    assert [w.wait() for w in workers] == [0] * 4
    events = _events(home)
    assert len([e for e in events if e["entries"]]) == 40
    assert os.stat(home / "audit.log").st_size == sum(
        len(line) + 1 for line in (home / "audit.log").read_bytes().splitlines()
    )
