"""Issue 15 meets issue 12: an unsettled sync conflict is a row of `attention` (and of the
caseload report) until `goaltrack resolve` settles it.

The conflicts/ files here are made by the real merge driver (sync.mergefile.merge_file, what
git runs for a client file) from two copies of a home that each edited the same fields.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goaltrack.render.report_page import markdown_text
from goaltrack.sync.mergefile import merge_file
from helpers import invoke

AS_OF = "2026-11-20"
ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2
DETAIL = (
    "2 fields changed differently on two machines; this machine's value is kept: "
    "`goaltrack show c-1` names them, `goaltrack resolve c-1 --take ours|theirs|VALUE` "
    "settles them"
)


def _ok(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, *args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _client(runner: CliRunner, client: str, baseline: str) -> None:
    _ok(runner, "new-client", client, "--since", "2026-11-01")
    _ok(
        runner,
        "add-goal",
        client,
        "symptom-reduction",
        "Mood",
        "--measure",
        "phq9",
        "--baseline",
        baseline,
        "--target",
        "5",
        "--force",
    )


@pytest.fixture
def conflicted(
    runner: CliRunner, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """c-1 whose goal 1 had its title and target changed differently on two machines, merged
    by the real driver into this home (this machine's values kept, two conflicts recorded)."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    monkeypatch.setenv("GOALTRACK_OURS_COMMIT", "a" * 40)
    monkeypatch.setenv("GOALTRACK_THEIRS_COMMIT", "b" * 40)
    _client(runner, "c-1", "12")
    base = tmp_path / "base.toml"
    shutil.copyfile(home / "clients" / "c-1.toml", base)
    other = tmp_path / "other"
    shutil.copytree(home, other)
    _ok(runner, "edit-goal", "c-1", "1", "--title", "Laptop title", "--target", "6")
    _ok(runner, "--home", str(other), "edit-goal", "c-1", "1", "--title", "Desk title")
    _ok(runner, "--home", str(other), "edit-goal", "c-1", "1", "--target", "7")
    merged = merge_file(
        base,
        home / "clients" / "c-1.toml",
        other / "clients" / "c-1.toml",
        "clients/c-1.toml",
        home,
    )
    assert sorted(c.where for c in merged.conflicts) == ["goals[1].target", "goals[1].title"]
    return home


def _rows(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = invoke(runner, "attention", "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["attention"]
    return rows


def test_a_sync_conflict_is_one_client_row(conflicted: Path, runner: CliRunner) -> None:
    """One sync-conflict row for the client: no goal, the field count, the day recorded."""
    [row] = _rows(runner)
    recorded = (conflicted / "conflicts" / "c-1.toml").read_text(encoding="utf-8")
    day = recorded.split('recorded = "', 1)[1][:10]
    assert row == {
        "client": "c-1",
        "goal": None,
        "reason": "sync-conflict",
        "urgent": False,
        "since": day,
        "detail": DETAIL,
        "next_measure_due": None,
    }


def test_the_conflict_row_never_shows_the_values(conflicted: Path, runner: CliRunner) -> None:
    """Neither machine's title nor target is in any format of the row."""
    for fmt in ("table", "json", "csv"):
        out = invoke(runner, "attention", "-f", fmt).stdout
        assert "sync-conflict" in out
        assert not {"Laptop", "Desk", "title", "target"} & set(out.replace(",", " ").split())


def test_the_conflict_comes_after_a_risk_flag_and_before_deterioration(
    conflicted: Path, runner: CliRunner
) -> None:
    """Order: the open risk flag, then the contested record, then the judgments."""
    _client(runner, "c-0", "12")
    _ok(runner, "measure", "c-0", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-16")
    _client(runner, "c-2", "10")
    _ok(runner, "log", "c-2", "1", "17", "--date", "2026-11-15")
    got = [(row["client"], row["goal"], row["reason"]) for row in _rows(runner)]
    assert got == [
        ("c-0", 1, "risk-item9"),
        ("c-1", None, "sync-conflict"),
        ("c-2", 1, "deteriorated"),
    ]


def test_a_conflict_alone_exits_1_not_urgent(conflicted: Path, runner: CliRunner) -> None:
    """--exit-status: a conflict is something (1), not urgent (4 is for risk flags)."""
    assert invoke(runner, "attention", "--exit-status").exit_code == 1


def test_reason_filter_and_client_summary(conflicted: Path, runner: CliRunner) -> None:
    """`--reason sync-conflict` picks it; `clients` counts it as the client's worst reason."""
    assert [row["client"] for row in _rows(runner, "--reason", "sync-conflict")] == ["c-1"]
    listed = json.loads(invoke(runner, "clients", "--json").stdout)["clients"]
    assert [(c["id"], c["attention"], c["attention_worst"]) for c in listed] == [
        ("c-1", 1, "sync-conflict")
    ]


def test_resolve_takes_the_row_away(conflicted: Path, runner: CliRunner) -> None:
    """Once `resolve` settled every conflict, attention has nothing left for the client."""
    _ok(runner, "resolve", "c-1", "--field", "goals[1].target", "--take", "theirs")
    assert [row["detail"].split(";")[0] for row in _rows(runner)] == [
        "1 field changed differently on two machines"
    ]
    _ok(runner, "resolve", "c-1", "--take", "ours")
    assert _rows(runner) == []
    assert invoke(runner, "attention", "--exit-status").exit_code == 0


def test_a_discharged_clients_conflict_is_still_listed(conflicted: Path, runner: CliRunner) -> None:
    """A conflict is listed whatever the client's status (its file is still contested)."""
    _ok(runner, "discharge", "c-1", "--goals", "achieved", "--date", AS_OF)
    assert [row["reason"] for row in _rows(runner)] == ["sync-conflict"]


def test_an_unreadable_conflicts_file_still_gives_a_row(
    conflicted: Path, runner: CliRunner
) -> None:
    """A conflicts file cut short: the client keeps its row, the count unknown."""
    path = conflicted / "conflicts" / "c-1.toml"
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    [row] = _rows(runner)
    assert (row["client"], row["reason"], row["since"]) == ("c-1", "sync-conflict", AS_OF)
    assert row["detail"].startswith(
        "sync conflicts were recorded but their file cannot be read (`goaltrack check`)"
    )


def test_attention_runs_no_git(
    conflicted: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the conflicts is a directory listing: the git command is never started."""
    called = tmp_path / "git-was-called"
    fake = tmp_path / "fake-git"
    fake.write_text(f"#!/bin/sh\ntouch {called}\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("GOALTRACK_GIT", str(fake))
    assert [row["reason"] for row in _rows(runner)] == ["sync-conflict"]
    assert [row["reason"] for row in _rows(runner, "--no-index")] == ["sync-conflict"]
    assert not called.exists()


def test_the_caseload_report_lists_the_conflict(
    conflicted: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """`report --caseload` writes the attention list, the sync-conflict row with it."""
    _client(runner, "c-0", "12")
    _ok(runner, "measure", "c-0", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-16")
    for fmt, row in (
        ("md", f"- c-1: sync-conflict, {markdown_text(DETAIL)}"),
        ("html", "<tr><td>c-1</td><td></td><td>sync-conflict</td><td>2 fields changed"),
    ):
        out = tmp_path / f"caseload.{fmt}"
        _ok(runner, "report", "--caseload", "--format", fmt, "--output", str(out))
        page = out.read_text(encoding="utf-8")
        assert row in page
        assert page.index("risk-item9") < page.index("sync-conflict")
