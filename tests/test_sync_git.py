"""Sync with real git: a bare remote and two clones on this machine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.records.model import SCHEMA_VERSION
from goaltrack.sync import commits
from goaltrack.sync.repo import remote_warnings
from sync_helpers import bare_remote, client_document, entry_ids, git, gt, ok, private_git


@pytest.fixture
def machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> tuple[Path, Path]:
    """Two homes synced through one bare remote, both holding client c-1 with goal 1."""
    private_git(tmp_path, monkeypatch)
    remote = bare_remote(tmp_path)
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    ok(runner, laptop, "new-client", "c-1", "--concern", "depression:severe")
    ok(
        runner,
        laptop,
        "add-goal",
        "c-1",
        "symptom-reduction",
        "Mood",
        "--measure",
        "phq9",
        "--baseline",
        "19",
        "--target",
        "9",
    )
    ok(runner, laptop, "sync", "init", str(remote))
    ok(runner, laptop, "sync")
    ok(runner, desktop, "sync", "init", str(remote))
    return laptop, desktop


@pytest.mark.parametrize("first", [0, 1])
def test_offline_work_on_two_machines_merges_in_either_order(
    machines: tuple[Path, Path], runner: CliRunner, first: int
) -> None:
    """Entries, different fields and new goals from both machines all arrive, once each."""
    laptop, desktop = machines
    laptop_entry = ok(runner, laptop, "log", "c-1", "1", "17").stdout.strip()
    desktop_entry = ok(runner, desktop, "log", "c-1", "1", "15").stdout.strip()
    ok(runner, laptop, "edit-client", "c-1", "--name", "Alex")
    ok(runner, desktop, "edit-goal", "c-1", "1", "--target", "8")
    ok(runner, laptop, "add-goal", "c-1", "coping", "Breathing")
    ok(runner, desktop, "add-goal", "c-1", "relationships", "Talk more")
    order = [laptop, desktop] if first == 0 else [desktop, laptop]
    for home in (*order, order[0]):
        ok(runner, home, "sync")
    laptop_doc, desktop_doc = client_document(laptop, "c-1"), client_document(desktop, "c-1")
    assert laptop_doc == desktop_doc
    assert sorted(entry_ids(laptop_doc)) == sorted([laptop_entry, desktop_entry])
    assert laptop_doc["client"]["name"] == "Alex"
    assert laptop_doc["goals"][0]["target"] == 8
    assert sorted(g["title"] for g in laptop_doc["goals"]) == ["Breathing", "Mood", "Talk more"]
    assert [g["number"] for g in laptop_doc["goals"]] == [1, 2, 3]
    for home in (laptop, desktop):
        assert gt(runner, home, "check").exit_code == 0


def test_a_concurrent_edit_of_one_field_is_a_conflict_shown_and_resolved(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """Both retitle goal 1: the later sync keeps its own, records it; resolve takes theirs."""
    laptop, desktop = machines
    ok(runner, laptop, "edit-goal", "c-1", "1", "--title", "Laptop title")
    ok(runner, desktop, "edit-goal", "c-1", "1", "--title", "Desktop title")
    ok(runner, laptop, "sync")
    synced = ok(runner, desktop, "sync")
    assert "1 conflict(s)" in synced.stderr and "goals[1].title" in synced.stderr
    assert client_document(desktop, "c-1")["goals"][0]["title"] == "Desktop title"
    checked = gt(runner, desktop, "check")
    assert checked.exit_code == 3 and "sync conflict" in checked.stdout
    shown = gt(runner, desktop, "show", "c-1", "--json")
    assert '"sync_conflicts": [\n    "goals[1].title"\n  ]' in shown.stdout
    listed = json.loads(ok(runner, desktop, "attention", "-f", "json").stdout)["attention"]
    assert [(r["client"], r["goal"], r["reason"]) for r in listed] == [
        ("c-1", None, "sync-conflict")
    ]
    assert "Laptop" not in listed[0]["detail"] and "Desktop" not in listed[0]["detail"]
    ok(runner, desktop, "resolve", "c-1", "--take", "theirs")
    assert client_document(desktop, "c-1")["goals"][0]["title"] == "Laptop title"
    assert gt(runner, desktop, "check").exit_code == 0
    assert json.loads(ok(runner, desktop, "attention", "-f", "json").stdout)["attention"] == []
    ok(runner, desktop, "sync")
    ok(runner, laptop, "sync")
    assert client_document(laptop, "c-1")["goals"][0]["title"] == "Laptop title"


def test_resolve_with_a_value_writes_that_value(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """A value given to resolve is converted like the field's values and written."""
    laptop, desktop = machines
    ok(runner, laptop, "edit-goal", "c-1", "1", "--target", "7")
    ok(runner, desktop, "edit-goal", "c-1", "1", "--target", "6")
    ok(runner, laptop, "sync")
    ok(runner, desktop, "sync")
    ok(runner, desktop, "resolve", "c-1", "--take", "5", "--field", "goals[1].target")
    assert client_document(desktop, "c-1")["goals"][0]["target"] == 5


def test_a_file_from_a_newer_schema_stops_the_merge_and_keeps_both_sides(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """The driver refuses a newer file: sync exits 3, this machine's file is unchanged."""
    laptop, desktop = machines
    path = laptop / "clients" / "c-1.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            f"schema_version = {SCHEMA_VERSION}", f"schema_version = {SCHEMA_VERSION + 1}"
        ),
        encoding="utf-8",
    )
    ok(runner, laptop, "sync")
    ok(runner, desktop, "log", "c-1", "1", "12")
    before = (desktop / "clients" / "c-1.toml").read_bytes()
    refused = gt(runner, desktop, "sync")
    assert refused.exit_code == 3
    assert "newer than this goaltrack understands" in refused.stderr
    assert "both sides are kept" in refused.stderr
    assert (desktop / "clients" / "c-1.toml").read_bytes() == before
    assert not (desktop / ".git" / "MERGE_HEAD").exists()


def test_commit_messages_of_a_day_hold_no_clinical_text(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """Names, notes, titles and concerns written all day appear in no commit message."""
    laptop, desktop = machines
    secrets = ["Zebediah Quill", "nightmares about the crash", "Sleep without pills", "insomnia-x"]
    ok(runner, laptop, "new-client", "c-2", "--name", secrets[0], "--concern", secrets[3])
    ok(runner, laptop, "add-goal", "c-2", "coping", secrets[2])
    ok(runner, laptop, "log", "c-2", "1", "4", "--note", "-", input=secrets[1])
    ok(runner, laptop, "edit-client", "c-2", "--note", secrets[1])
    ok(runner, desktop, "edit-client", "c-1", "--name", secrets[0])
    for home in (laptop, desktop, laptop):
        ok(runner, home, "sync")
    messages = git(laptop, "log", "--all", "--format=%B")
    assert "log c-2 goal 1: 1 entry" in messages
    for secret in secrets:
        assert secret not in messages


def test_every_write_is_one_commit_named_by_command_client_and_counts(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """Each change is committed with its command, client id, goal and entry count."""
    laptop, _ = machines
    ok(runner, laptop, "log", "c-1", "1", "17")
    ok(runner, laptop, "edit-client", "c-1", "--status", "paused")
    assert git(laptop, "log", "-2", "--format=%s").splitlines() == [
        "edit-client c-1",
        "log c-1 goal 1: 1 entry",
    ]
    assert git(laptop, "status", "--porcelain") == ""


def test_history_lists_the_commits_of_one_client(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """history shows a client's commits, newest first."""
    laptop, _ = machines
    ok(runner, laptop, "new-client", "c-2")
    ok(runner, laptop, "log", "c-1", "1", "17")
    shown = ok(runner, laptop, "history", "c-1", "--json")
    import json

    messages = [c["message"] for c in json.loads(shown.stdout)["commits"]]
    assert messages == ["log c-1 goal 1: 1 entry", "sync init: c-1"]


def test_undo_restores_the_previous_version_and_is_itself_undone(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """undo brings back the state before the last change; a second undo brings the change."""
    laptop, _ = machines
    before = client_document(laptop, "c-1")
    entry = ok(runner, laptop, "log", "c-1", "1", "17").stdout.strip()
    after = client_document(laptop, "c-1")
    ok(runner, laptop, "undo", "c-1")
    assert client_document(laptop, "c-1") == before
    assert git(laptop, "log", "-1", "--format=%s").strip() == "undo c-1 goal 1: 1 entry"
    ok(runner, laptop, "undo", "c-1")
    assert client_document(laptop, "c-1") == after
    assert entry_ids(after) == [entry]
    assert gt(runner, laptop, "check").exit_code == 0


def test_undo_refuses_to_delete_a_client_it_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """The first version of a client has nothing before it: undo says so, exit 1."""
    private_git(tmp_path, monkeypatch)
    home = tmp_path / "home"
    ok(runner, home, "sync", "init")
    ok(runner, home, "new-client", "c-9")
    refused = gt(runner, home, "undo", "c-9")
    assert refused.exit_code == 1
    assert "undo does not delete a client" in refused.stderr


def test_a_change_made_by_hand_is_committed_by_sync(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """sync commits a valid hand edit and it reaches the other machine."""
    laptop, desktop = machines
    path = laptop / "clients" / "c-1.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("target = 9", "target = 4"), encoding="utf-8"
    )
    synced = ok(runner, laptop, "sync")
    assert "c-1" in synced.stderr
    ok(runner, desktop, "sync")
    assert client_document(desktop, "c-1")["goals"][0]["target"] == 4


def test_a_broken_hand_edit_is_never_committed(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """sync refuses (exit 3) to commit a client file that does not validate."""
    laptop, _ = machines
    path = laptop / "clients" / "c-1.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("target = 9", 'target = "x"'), encoding="utf-8"
    )
    refused = gt(runner, laptop, "sync")
    assert refused.exit_code == 3
    assert "c-1" in git(laptop, "status", "--porcelain")


def test_autocommit_can_be_turned_off(machines: tuple[Path, Path], runner: CliRunner) -> None:
    """goaltrack.autocommit = false: writes leave the file for sync to commit."""
    laptop, _ = machines
    git(laptop, "config", "goaltrack.autocommit", "false")
    ok(runner, laptop, "log", "c-1", "1", "17")
    assert "clients/c-1.toml" in git(laptop, "status", "--porcelain")


def test_sync_status_counts_ahead_behind_and_pending(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """status says what this machine would push and pull."""
    import json

    laptop, desktop = machines
    ok(runner, laptop, "log", "c-1", "1", "17")
    ok(runner, laptop, "sync")
    ok(runner, desktop, "log", "c-1", "1", "16")
    state = json.loads(ok(runner, desktop, "sync", "status", "--json").stdout)
    assert (state["ahead"], state["behind"], state["pending"], state["conflicts"]) == (1, 1, [], {})


def test_a_home_without_git_starts_no_git_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """Without .git, a write looks no further than one stat."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("git was run for a home that does not sync")

    monkeypatch.setattr("goaltrack.sync.git.Git.call", refuse)
    ok(runner, tmp_path / "plain", "new-client", "c-1")
    commits.after_write(tmp_path / "plain", "c-1", "log", [1], 1)


def test_sync_in_a_home_not_set_up_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """sync before sync init: exit 3 and the command to run."""
    private_git(tmp_path, monkeypatch)
    ok(runner, tmp_path / "h", "new-client", "c-1")
    refused = gt(runner, tmp_path / "h", "sync")
    assert refused.exit_code == 3
    assert "run: goaltrack sync init" in refused.stderr


def test_missing_git_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """No git: one line saying so, exit 3."""
    monkeypatch.setenv("GOALTRACK_GIT", str(tmp_path / "no-such-git"))
    refused = gt(runner, tmp_path / "h", "sync", "init")
    assert refused.exit_code == 3
    assert refused.stderr.startswith("goaltrack: error: cannot run git")


def test_init_writes_attributes_ignores_and_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """sync init maps client files to the driver, the audit log to union, ignores the rest."""
    private_git(tmp_path, monkeypatch)
    home = tmp_path / "h"
    ok(runner, home, "sync", "init")
    assert (
        home / ".gitattributes"
    ).read_text() == "clients/*.toml merge=goaltrack\naudit.log merge=union\n"
    ignored = (home / ".gitignore").read_text().splitlines()
    assert {"index.sqlite3*", "*.lock", "trash/", "conflicts/"} <= set(ignored)
    driver = git(home, "config", "merge.goaltrack.driver").strip()
    assert driver.endswith("-m goaltrack merge-file --driver %O %A %B %P")
    assert os.path.isabs(driver.split()[0])


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("git@github.com:practice/caseload.git", 1),
        ("https://gitlab.com/practice/caseload.git", 1),
        ("http://intranet/caseload.git", 1),
        ("git://intranet/caseload.git", 1),
        ("ssh://git@server.practice.example/srv/caseload.git", 0),
        ("https://git.practice.example/caseload.git", 0),
        ("/srv/caseload.git", 0),
    ],
)
def test_remote_warnings_for_public_hosts_and_plain_transports(url: str, count: int) -> None:
    """Health data: a public host or an unencrypted transport is warned about."""
    assert len(remote_warnings(url)) == count


def test_a_write_during_a_sync_leaves_its_commit_to_the_sync(
    machines: tuple[Path, Path], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that cannot get git's lock in time stands, warns, and sync commits it."""
    laptop, _ = machines
    monkeypatch.setattr(commits, "COMMIT_WAIT", 0.1)
    with commits.git_lock(laptop):
        logged = gt(runner, laptop, "log", "c-1", "1", "17")
    assert logged.exit_code == 0
    assert "written but not committed" in logged.stderr
    assert "clients/c-1.toml" in git(laptop, "status", "--porcelain")
    ok(runner, laptop, "sync")
    assert git(laptop, "status", "--porcelain") == ""


def test_a_merge_git_cannot_finish_is_aborted_whole_and_records_no_conflict(
    machines: tuple[Path, Path], runner: CliRunner
) -> None:
    """A client deleted on one side and changed on the other stops the merge: exit 3, no merge
    in progress, nothing recorded for the other client's conflict of that aborted merge."""
    laptop, desktop = machines
    ok(runner, laptop, "new-client", "c-2")
    ok(runner, laptop, "sync")
    ok(runner, desktop, "sync")
    (laptop / "clients" / "c-2.toml").unlink()
    ok(runner, laptop, "edit-goal", "c-1", "1", "--title", "Laptop")
    ok(runner, laptop, "sync")
    ok(runner, desktop, "edit-client", "c-2", "--name", "Kept")
    ok(runner, desktop, "edit-goal", "c-1", "1", "--title", "Desktop")
    refused = gt(runner, desktop, "sync")
    assert refused.exit_code == 3
    assert "clients/c-2.toml: git could not merge it" in refused.stderr
    assert not (desktop / ".git" / "MERGE_HEAD").exists()
    assert client_document(desktop, "c-2")["client"]["name"] == "Kept"
    assert client_document(desktop, "c-1")["goals"][0]["title"] == "Desktop"
    assert not (desktop / "conflicts").exists() or not any((desktop / "conflicts").iterdir())


def test_init_with_an_unreachable_remote_says_how_to_connect_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """A mistyped remote: exit 3, one line saying to run `sync init` again; which then works."""
    private_git(tmp_path, monkeypatch)
    home = tmp_path / "home"
    ok(runner, home, "new-client", "c-1")
    failed = gt(runner, home, "sync", "init", str(tmp_path / "no-such-remote.git"))
    assert failed.exit_code == 3
    assert failed.stderr.count("\n") == 1
    assert "run `goaltrack sync init REMOTE` again" in failed.stderr
    ok(runner, home, "sync", "init", str(bare_remote(tmp_path)))
    ok(runner, home, "sync")
    assert "main" in git(tmp_path / "remote.git", "branch")
