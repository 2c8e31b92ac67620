"""The caseload index (issue 10, item 1): the same answers as a full scan, whatever happened."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import stat
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack import operations as changes
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import GoalKind
from goaltrack.storage import caseload, facts, index
from goaltrack.storage.store import Store
from helpers import client_with_goal, invoke, log_and_ack, refresh_with_reuse

PHQ9_ITEM9 = "1,1,1,1,1,1,1,1,2"
REGISTRY = builtin_registry()


def _answers(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """`clients --status all -f json` through the index and with --no-index (output, code)."""
    monkeypatch.delenv("GOALTRACK_NO_INDEX", raising=False)
    warm = invoke(runner, "clients", "--status", "all", "-f", "json")
    cold = invoke(runner, "clients", "--status", "all", "-f", "json", "--no-index")
    return (warm.stdout, warm.stderr, warm.exit_code), (cold.stdout, cold.stderr, cold.exit_code)


def _same(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> str:
    warm, cold = _answers(runner, monkeypatch)
    assert warm == cold
    return str(warm[0])  # type: ignore[index]


def _rows(home: Path) -> dict[str, index.Row]:
    with index.opened(home, create=False) as opened:
        assert opened is not None
        return opened.rows(with_goals=True)


def _rename(path: Path, old: str, new: str, keep_times: bool = False) -> None:
    """A hand edit: replace text in place (same inode); optionally put size and mtime back."""
    before = path.stat()
    text = path.read_text()
    assert old in text
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))
        handle.truncate()
    if keep_times:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_write_refreshes_the_row_with_the_file_identity(home: Path) -> None:
    """After create and update, the row holds the identity of the file now in place."""
    store = Store(home)
    client_with_goal(store, "c-1")
    row = _rows(home)["c-1"]
    assert row.identity == index.identity(os.lstat(store.path_for("c-1")))
    assert row.facts["goals"] == 1
    assert row.facts == facts.client_facts(store.load("c-1"))


def test_a_warm_read_parses_no_file(home: Path) -> None:
    """With every row fresh, read_caseload reads no file and answers from the index."""
    store = Store(home)
    for client_id in ("c-1", "c-2", "c-3"):
        client_with_goal(store, client_id)
    found = caseload.read_caseload(home)
    assert (found.read, found.from_index) == (0, 3)
    assert [f["id"] for f in found.facts] == ["c-1", "c-2", "c-3"]


def test_index_is_private_and_in_wal_mode(home: Path) -> None:
    """index.sqlite3 is 0600 in the home and uses the WAL journal."""
    client_with_goal(Store(home), "c-1")
    path = home / index.INDEX_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == index.INDEX_VERSION
    finally:
        connection.close()


def test_deleted_index_is_rebuilt_with_the_same_answer(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleting the index changes no answer; the next read builds it again."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    before = _same(runner, monkeypatch)
    index.remove(home)
    assert _same(runner, monkeypatch) == before
    assert set(_rows(home)) == {"c-1", "c-2"}


def test_hand_edit_rereads_only_that_file(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand edit of one file is seen; only that file is read again."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    _rename(store.path_for("c-2"), 'id = "c-2"', 'id = "c-2"\nname = "Sam"')
    found = caseload.read_caseload(home)
    assert (found.read, found.from_index) == (1, 1)
    assert found.facts[1]["name"] == "Sam"
    assert '"name": "Sam"' in _same(runner, monkeypatch)


def test_hand_edit_with_size_and_mtime_restored_is_seen(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same inode, size and mtime after os.utime: the ctime in the identity still tells."""
    store = Store(home)
    store.create(changes.new_client_record("c-1", name="Ann"))
    _same(runner, monkeypatch)
    _rename(store.path_for("c-1"), 'name = "Ann"', 'name = "Bob"', keep_times=True)
    assert '"name": "Bob"' in _same(runner, monkeypatch)


def test_deleted_file_drops_its_row(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client file removed by hand (or by a git pull) leaves no row behind."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    store.path_for("c-1").unlink()
    assert [c["id"] for c in json.loads(_same(runner, monkeypatch))["clients"]] == ["c-2"]
    assert set(_rows(home)) == {"c-2"}


def test_unreadable_file_is_reported_as_a_scan_does_and_not_cached(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken file: the same warning and exit 3 on both paths, and no row for it."""
    store = Store(home)
    client_with_goal(store, "c-1")
    client_with_goal(store, "c-2")
    store.path_for("c-1").write_text("[client\n")
    warm, cold = _answers(runner, monkeypatch)
    assert warm == cold
    assert warm[2] == 3
    assert "c-1.toml" in str(warm[1])
    assert set(_rows(home)) == {"c-2"}


def test_crash_between_file_write_and_index_write(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed after the replace, before its row: the reader reads the new file."""
    store = Store(home)
    client_with_goal(store, "c-1")
    _same(runner, monkeypatch)
    pid = os.fork()
    if pid == 0:  # the child dies exactly between the file write and the index write
        facts.after_write = lambda *args: os._exit(0)  # type: ignore[assignment]
        try:
            store.update("c-1", lambda r: changes.edit_client(r, changes.ClientEdit(name="Kim")))
        finally:
            os._exit(1)
    assert os.waitpid(pid, 0)[1] == 0
    assert _rows(home)["c-1"].facts["name"] is None  # the row is the old one
    assert '"name": "Kim"' in _same(runner, monkeypatch)


def test_row_of_the_wrong_file_is_never_written(home: Path) -> None:
    """If the file in place is not the one written (a hand edit raced it), the row is dropped."""
    store = Store(home)
    client_with_goal(store, "c-1")
    record = store.load("c-1")
    other = os.stat(home / "audit.log")  # an identity that is not the client file's
    facts.after_write(home, "c-1", record, other)
    with index.opened(home) as opened:
        assert opened is not None
        assert "c-1" not in opened.rows()


def test_index_of_another_version_is_rebuilt(home: Path) -> None:
    """An index stamped with another INDEX_VERSION is emptied and filled again."""
    store = Store(home)
    client_with_goal(store, "c-1")
    connection = sqlite3.connect(home / index.INDEX_FILE)
    connection.execute("UPDATE clients SET facts = '{\"bogus\": 1}'")
    connection.execute(f"PRAGMA user_version={index.INDEX_VERSION + 1}")
    connection.commit()
    connection.close()
    found = caseload.read_caseload(home)
    assert found.read == 1
    assert _rows(home)["c-1"].facts == facts.client_facts(store.load("c-1"))


def test_index_that_is_a_link_is_not_used(home: Path) -> None:
    """An index.sqlite3 that is a symbolic link is ignored: every file is read."""
    store = Store(home)
    client_with_goal(store, "c-1")
    target = home.parent / "elsewhere.sqlite3"
    (home / index.INDEX_FILE).rename(target)
    (home / index.INDEX_FILE).symlink_to(target)
    found = caseload.read_caseload(home)
    assert (found.read, found.from_index, len(found.facts)) == (1, 0, 1)


def test_no_index_setting_reads_files_and_writes_no_index(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GOALTRACK_NO_INDEX=1 lists from the files and creates no index."""
    client_with_goal(Store(home), "c-1")
    index.remove(home)
    monkeypatch.setenv("GOALTRACK_NO_INDEX", "1")
    result = invoke(runner, "clients", "-f", "json")
    assert [c["id"] for c in json.loads(result.stdout)["clients"]] == ["c-1"]
    assert not (home / index.INDEX_FILE).exists()


def test_item9_flag_comes_through_the_index(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open item-9 flag (column and RISK line) is the same through the index."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--measure", "phq9")
    invoke(runner, "measure", "c-1", "phq9", "--responses", PHQ9_ITEM9, "--date", "2026-09-01")
    assert _rows(home)["c-1"].facts["risk_item9"]["date"] == "2026-09-01"
    warm, cold = _answers(runner, monkeypatch)
    assert warm == cold
    assert json.loads(str(warm[0]))["clients"][0]["risk_item9"] == "2026-09-01"
    table = invoke(runner, "clients")
    assert "RISK: c-1: PHQ-9 item 9 endorsed on 2026-09-01" in table.stdout + table.stderr


def test_goal_facts_hold_dated_points_for_attention(home: Path) -> None:
    """The goals column holds each goal's inputs: due date and (date, value) points in order."""
    store = Store(home)
    client_with_goal(store, "c-1")
    for value, day in ((5, "2026-09-03"), (4, "2026-09-02")):
        entry = changes.EntryFields(value=value, date=date.fromisoformat(day))
        store.update("c-1", lambda r, e=entry: changes.log_value(r, 1, e, builtin_registry()))
    goals = json.loads(_rows(home)["c-1"].goals_json or "")
    assert goals[0]["points"] == [["2026-09-02", 4, None], ["2026-09-03", 5, None]]
    assert (goals[0]["number"], goals[0]["status"], goals[0]["entries"]) == (1, "active", 2)


def test_check_reports_a_disagreeing_row_and_fix_rebuilds(home: Path, runner: CliRunner) -> None:
    """A row with the file's identity but other facts: check exits 3; check --fix repairs."""
    client_with_goal(Store(home), "c-1")
    connection = sqlite3.connect(home / index.INDEX_FILE)
    connection.execute("UPDATE clients SET facts = json_set(facts, '$.goals', 7)")
    connection.commit()
    connection.close()
    result = invoke(runner, "check", "-f", "json")
    assert result.exit_code == 3
    found = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "index"]
    assert [(f["path"], f["status"]) for f in found] == [("index.sqlite3: c-1", "problem")]
    fixed = invoke(runner, "check", "--fix", "-f", "json")
    assert fixed.exit_code == 0
    assert _rows(home)["c-1"].facts["goals"] == 1
    assert invoke(runner, "check").exit_code == 0


def test_parallel_cold_read_equals_the_serial_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process pool gives the same facts and problems, in the same order, as one process."""
    store = Store(home)
    for n in range(12):
        client_with_goal(store, f"c-{n:02d}")
    store.path_for("c-05").write_text("broken\n")
    serial = caseload.read_caseload(home, use_index=False)
    monkeypatch.setattr(caseload, "PARALLEL_MIN", 2)
    parallel = caseload.read_caseload(home, use_index=False)
    assert parallel.facts == serial.facts
    assert [p.message for p in parallel.problems] == [p.message for p in serial.problems]
    assert len(serial.facts) == 11


@pytest.mark.slow
def test_randomized_index_answers_equal_a_full_scan(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """280 random steps (writes, hand edits, deletions, kills, index deletions): 0 differences.

    Every write refreshes its row through facts.Reuse (helpers.refresh_with_reuse), so the
    untouched goals' facts come from the row when it is of the file read; after each step the
    rows are also compared with the files goal by goal (`check`'s comparison)."""
    rng = random.Random(1010)
    seen = refresh_with_reuse(monkeypatch)
    store = Store(home, lock_timeout=30)
    ids = [f"c-{n}" for n in range(6)]
    done: dict[str, int] = {}
    differences = 0
    actions = ["create", "log", "cli", "edit", "hand", "utime", "corrupt", "delete", "kill"]
    actions += ["drop", "goal", "points"]
    for _step in range(280):
        client_id = rng.choice(ids)
        exists = store.path_for(client_id).exists()
        action = rng.choice(actions)
        path = store.path_for(client_id)
        if not exists or action == "create":
            if not exists:
                client_with_goal(store, client_id)
        elif action == "log":
            entry = changes.EntryFields(
                value=rng.randint(0, 9),
                date=date.fromisoformat(f"2026-09-{rng.randint(1, 28):02d}"),
            )
            goal = rng.choice([1, 2]) if "number = 2" in path.read_text() else 1
            store.update(client_id, lambda r, e=entry, g=goal: changes.log_value(r, g, e, REGISTRY))
        elif action == "goal" and "number = 2" not in path.read_text():
            fields = changes.GoalFields(kind=GoalKind.COPING, title="Sleep")
            store.update(
                client_id,
                lambda r, f=fields: changes.add_goal(r, f, REGISTRY, default_measure=False),
            )
        elif action == "points":  # a hand edit of one entry's value (logged first if none)
            if "\nvalue = " not in path.read_text():
                entry = changes.EntryFields(value=5, date=date.fromisoformat("2026-09-01"))
                store.update(client_id, lambda r, e=entry: changes.log_value(r, 1, e, REGISTRY))
            _edit_a_value(path, rng)
            if rng.random() < 0.7:  # a write right after the hand edit, no read between
                edit = changes.ClientEdit(name=f"N{rng.randint(100, 999)}")
                store.update(client_id, lambda r, e=edit: changes.edit_client(r, e))
        elif action == "cli":
            status = rng.choice(["active", "paused", "discharged"])
            if status == "discharged":  # edit-client refuses it: a discharge ends an episode
                invoke(runner, "discharge", client_id, "--goals", "keep")
            else:  # a discharged client comes back through `reopen` (refused otherwise)
                invoke(runner, "reopen", client_id)
                invoke(runner, "edit-client", client_id, "--status", status)
        elif action == "edit":
            name = f"N{rng.randint(100, 999)}"
            invoke(runner, "edit-client", client_id, "--name", name)
        elif action in ("hand", "utime") and 'name = "N' in path.read_text():
            text = path.read_text()
            start = text.index('name = "N') + len('name = "N')
            old = text[start - len('name = "N') : start + 4]
            new = f'name = "N{rng.randint(100, 999)}"'
            _rename(path, old, new, keep_times=action == "utime")
        elif action == "corrupt":
            path.write_text(path.read_text() + "[broken\n")
        elif action == "delete":
            path.unlink()
        elif action == "kill":
            _kill_a_writer(home, client_id, rng)
        elif action == "drop":
            index.remove(home)
        done[action] = done.get(action, 0) + 1
        differences += any(problem for _, problem, _ in caseload.compare_index(home))
        warm, cold = _answers(runner, monkeypatch)
        differences += warm != cold
        if "[broken" in (path.read_text() if path.exists() else ""):
            path.unlink()  # a broken file is compared once, then removed by hand
    assert differences == 0
    assert all(done.get(action, 0) >= 5 for action in ("hand", "utime", "kill", "drop", "points"))
    assert seen.reused_rows >= 20  # writes whose row was of the file read: lines were reused


def _edit_a_value(path: Path, rng: random.Random) -> None:
    """A hand edit of one entry's value in place (entry count unchanged), times kept or not."""
    before = path.stat()
    text = path.read_text()
    starts = [n for n in range(len(text)) if text.startswith("\nvalue = ", n)]
    start = rng.choice(starts) + len("\nvalue = ")
    end = text.index("\n", start)
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(f"{text[:start]}{rng.randint(10, 99)}{text[end:]}")
        handle.truncate()
    if rng.random() < 0.5:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _kill_a_writer(home: Path, client_id: str, rng: random.Random) -> None:
    """Fork a process that logs in a loop and SIGKILL it at a random moment."""
    ack = home.parent / "ack"
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(ack, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            while True:
                log_and_ack(Store(home, lock_timeout=30), client_id, 1, "killed", fd)
        finally:
            os._exit(1)
    time.sleep(rng.uniform(0.0, 0.05))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_an_import_of_many_clients_opens_the_index_once(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An import writing three clients opens the index once; every row is fresh after it."""
    opened: list[Path] = []
    real_open = index.open_index

    def counting(at: Path, create: bool = True) -> index.Index | None:
        opened.append(at)
        return real_open(at, create)

    monkeypatch.setattr(index, "open_index", counting)
    data = tmp_path / "rows.csv"
    data.write_text(
        "type,client,goal,kind,title,date,value\n"
        "client,c-1,,,,,\n"
        "goal,c-1,1,symptom-reduction,Sleep,,\n"
        "entry,c-1,1,,,2025-01-06,5\n"
        "client,c-2,,,,,\n"
        "goal,c-2,1,symptom-reduction,Sleep,,\n"
        "entry,c-2,1,,,2025-01-06,6\n"
        "client,c-3,,,,,\n"
        "goal,c-3,1,symptom-reduction,Sleep,,\n"
        "entry,c-3,1,,,2025-01-06,7\n",
        encoding="utf-8",
    )
    result = invoke(runner, "import", str(data))
    assert result.exit_code == 0, result.stderr
    assert opened == [home]
    monkeypatch.setattr(index, "open_index", real_open)
    found = caseload.read_caseload(home)
    assert (found.read, found.from_index) == (0, 3)
    _same(runner, monkeypatch)
