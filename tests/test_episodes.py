"""Issue 12: episodes of care (discharge, reopen), risk reviews, and what views show of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import invoke

AS_OF = "2026-11-20"
ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2
ITEM9_ZERO = "1,1,1,1,1,1,1,1,0"  # total 8, item 9 answered 0


def _ok(runner: CliRunner, *args: str, input: str | None = None) -> str:
    result = invoke(runner, *args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture
def treated(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> str:
    """c-1 since 2026-09-01: PHQ-9 goal 19 -> 17 -> 8, GAD-7 goal 14 -> 14 -> 11, paired."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _ok(runner, "new-client", "c-1", "--since", "2026-09-01")
    _ok(
        runner,
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
    _ok(
        runner,
        "add-goal",
        "c-1",
        "symptom-reduction",
        "Worry",
        "--measure",
        "gad7",
        "--baseline",
        "14",
        "--target",
        "7",
    )
    for goal, on, value in (
        ("1", "2026-09-08", "17"),
        ("2", "2026-09-08", "14"),
        ("1", "2026-11-10", "8"),
        ("2", "2026-11-10", "11"),
    ):
        _ok(runner, "log", "c-1", goal, value, "--date", on)
    return "c-1"


def _discharge(runner: CliRunner, *extra: str) -> dict[str, Any]:
    out = _ok(runner, "discharge", "c-1", "--date", "2026-11-15", "-f", "json", *extra)
    summary: dict[str, Any] = json.loads(out)["end_of_treatment"]
    return summary


def _show(runner: CliRunner, *extra: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_ok(runner, "show", "c-1", "--json", *extra))
    return document


def test_discharge_summary_classes_by_hand(treated: str, runner: CliRunner) -> None:
    """PHQ-9 19 -> 8: reliable improvement, recovered; GAD-7 14 -> 11: 3 < 4, unchanged."""
    summary = _discharge(runner, "--goals", "achieved")
    picked = [
        {
            key: row[key]
            for key in (
                "goal",
                "first",
                "last",
                "change",
                "reliable_change",
                "clinical_significance",
                "status",
            )
        }
        for row in summary["goals"]
    ]
    assert picked == [
        {
            "goal": 1,
            "first": 17,
            "last": 8,
            "change": -11,
            "reliable_change": "improved",
            "clinical_significance": "recovered",
            "status": "achieved",
        },
        {
            "goal": 2,
            "first": 14,
            "last": 11,
            "change": -3,
            "reliable_change": "none",
            "clinical_significance": "unchanged",
            "status": "achieved",
        },
    ]


def test_discharge_summary_has_the_paired_outcome(treated: str, runner: CliRunner) -> None:
    """PHQ-9 17 -> 8 with GAD-7 14 -> 11 on the same days: reliably improved, still a case."""
    iapt = _discharge(runner, "--goals", "keep")["client_outcomes"]["iapt"]
    assert (iapt["first"]["phq9"], iapt["last"]["phq9"]) == (17, 8)
    assert (iapt["reliable_improvement"], iapt["recovery"]) == (True, False)


@pytest.mark.parametrize(("choice", "status"), [("dropped", "dropped"), ("keep", "active")])
def test_discharge_closes_open_goals_as_chosen(
    treated: str, runner: CliRunner, choice: str, status: str
) -> None:
    """--goals dropped drops the open goals; keep leaves them active."""
    _discharge(runner, "--goals", choice)
    goals = json.loads(_ok(runner, "goals", "c-1", "-f", "json"))["goals"]
    assert [goal["status"] for goal in goals] == [status, status]


def test_discharge_records_the_episode(treated: str, runner: CliRunner) -> None:
    """The client is discharged, with episode 1 from its start to the discharge date."""
    _ok(
        runner,
        "discharge",
        "c-1",
        "--date",
        "2026-11-15",
        "--goals",
        "achieved",
        "--reason",
        "dropped-out",
        "--note",
        "-",
        input="moved away\n",
    )
    client = _show(runner)["client"]
    assert client["status"] == "discharged"
    assert client["episodes"] == [
        {
            "number": 1,
            "since": "2026-09-01",
            "until": "2026-11-15",
            "reason": "dropped-out",
            "note": "moved away",
        }
    ]


def test_discharge_without_a_choice_for_open_goals_changes_nothing(
    treated: str, runner: CliRunner, home: Path
) -> None:
    """Not on a terminal, open goals without --goals: exit 1 and the file is untouched."""
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "discharge", "c-1", "--date", "2026-11-15")
    assert result.exit_code == 1
    assert "--goals achieved|dropped|keep" in result.stderr
    assert (home / "clients" / "c-1.toml").read_bytes() == before


def test_log_to_a_discharged_client_fails_without_change(
    treated: str, runner: CliRunner, home: Path
) -> None:
    """`log` to a discharged client exits 1 and leaves the file byte for byte."""
    _discharge(runner, "--goals", "achieved")
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "log", "c-1", "1", "7", "--date", "2026-11-18")
    assert result.exit_code == 1
    assert result.stderr.startswith("goaltrack: error: client 'c-1' was discharged on 2026-11-15")
    assert (home / "clients" / "c-1.toml").read_bytes() == before


def test_log_to_a_discharged_client_with_force(treated: str, runner: CliRunner) -> None:
    """--force adds the entry to the closed episode."""
    _discharge(runner, "--goals", "achieved")
    _ok(runner, "log", "c-1", "1", "7", "--date", "2026-11-18", "--force")
    entries = json.loads(_ok(runner, "entries", "c-1", "1", "-f", "json"))["entries"]
    assert [entry["value"] for entry in entries] == [17, 8, 7]


def test_edit_client_cannot_discharge(treated: str, runner: CliRunner, home: Path) -> None:
    """`edit-client --status discharged` exits 1, points to discharge, changes nothing."""
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "edit-client", "c-1", "--status", "discharged", "--name", "Alex")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: edit-client cannot discharge: `goaltrack discharge c-1` ends the "
        "episode (its date, reason and open goals) and prints the end-of-treatment summary\n"
    )
    assert (home / "clients" / "c-1.toml").read_bytes() == before


@pytest.mark.parametrize("status", ["active", "paused"])
def test_edit_client_cannot_bring_a_discharged_client_back(
    treated: str, runner: CliRunner, home: Path, status: str
) -> None:
    """On a discharged client, `--status active|paused` exits 1 and points to reopen."""
    _discharge(runner, "--goals", "achieved")
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "edit-client", "c-1", "--status", status)
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: client 'c-1' is discharged: `goaltrack reopen c-1` starts a new "
        "episode (edit-client cannot change the status of a discharged client)\n"
    )
    assert (home / "clients" / "c-1.toml").read_bytes() == before


def test_edit_client_still_pauses_and_resumes(treated: str, runner: CliRunner) -> None:
    """Active and paused change freely; the status a client has already is no change."""
    _ok(runner, "edit-client", "c-1", "--status", "paused")
    assert _show(runner)["client"]["status"] == "paused"
    _ok(runner, "edit-client", "c-1", "--status", "active")
    _discharge(runner, "--goals", "achieved")
    _ok(runner, "edit-client", "c-1", "--status", "discharged", "--name", "Alex")
    shown = _show(runner)["client"]
    assert (shown["status"], shown["name"], len(shown["episodes"])) == ("discharged", "Alex", 1)


def test_reopen_starts_a_new_episode_and_keeps_the_old_apart(
    treated: str, runner: CliRunner
) -> None:
    """After reopen, show lists the new episode's goals; --all-episodes the old ones too."""
    _discharge(runner, "--goals", "achieved")
    _ok(runner, "reopen", "c-1", "--date", "2026-11-18")
    _ok(runner, "add-goal", "c-1", "coping", "Sleep", "--measure", "gbo", "--target", "8")
    shown = _show(runner)
    assert (shown["client"]["status"], shown["client"]["since"]) == ("active", "2026-11-18")
    assert [goal["goal"] for goal in shown["client"]["goals"]] == [3]
    everything = _show(runner, "--all-episodes")
    assert [goal["goal"] for goal in everything["client"]["goals"]] == [1, 2, 3]
    _ok(runner, "log", "c-1", "3", "4", "--date", "2026-11-19")


def test_kept_goals_move_to_the_new_episode(treated: str, runner: CliRunner) -> None:
    """A goal kept open at discharge belongs to the episode that reopen starts."""
    _discharge(runner, "--goals", "keep")
    _ok(runner, "reopen", "c-1", "--date", "2026-11-18")
    assert [goal["goal"] for goal in _show(runner)["client"]["goals"]] == [1, 2]


def test_achieved_and_dropped_goals_are_hidden_by_default(treated: str, runner: CliRunner) -> None:
    """show and progress leave out an achieved goal unless --all."""
    _ok(runner, "edit-goal", "c-1", "2", "--status", "achieved")
    assert [g["goal"] for g in _show(runner)["client"]["goals"]] == [1]
    assert [g["goal"] for g in _show(runner, "--all")["client"]["goals"]] == [1, 2]
    progress = json.loads(_ok(runner, "progress", "c-1", "-f", "json"))
    assert [g["goal"] for g in progress["goals"]] == [1]
    progress = json.loads(_ok(runner, "progress", "c-1", "-f", "json", "--all"))
    assert [g["goal"] for g in progress["goals"]] == [1, 2]


def test_edit_client_since_moves_the_current_episode(treated: str, runner: CliRunner) -> None:
    """In a second episode, --since moves that episode's start, not the client's first."""
    _discharge(runner, "--goals", "achieved")
    _ok(runner, "reopen", "c-1", "--date", "2026-11-18")
    _ok(runner, "edit-client", "c-1", "--since", "2026-11-16")
    client = _show(runner)["client"]
    assert (client["created"], client["since"]) == ("2026-09-01", "2026-11-16")
    result = invoke(runner, "edit-client", "c-1", "--since", "2026-11-14")
    assert result.exit_code == 1


# ---- risk reviews -------------------------------------------------------------------------


def _attention(runner: CliRunner) -> list[tuple[str, int | None, str]]:
    rows = json.loads(_ok(runner, "attention", "-f", "json", "--reason", "risk-item9"))
    return [(row["client"], row["goal"], row["reason"]) for row in rows["attention"]]


def _flagged(runner: CliRunner, on: str, responses: str = ITEM9_TWO) -> str:
    out = _ok(runner, "measure", "c-1", "phq9", "--responses", responses, "--date", on, "--json")
    entry: str = json.loads(out)["administration"]["entries"][0]["id"]
    return entry


def test_risk_review_acknowledges_the_flag(treated: str, runner: CliRunner) -> None:
    """After a review the flag is urgent no more; the entry keeps its flag in the history."""
    entry = _flagged(runner, "2026-11-12")
    assert _attention(runner) == [("c-1", 1, "risk-item9")]
    assert invoke(runner, "attention", "--exit-status", "--client", "c-1").exit_code == 4
    _ok(
        runner,
        "risk-review",
        "c-1",
        "--date",
        "2026-11-13",
        "--by",
        "Dr K",
        "--outcome",
        "safety-plan",
        "--note",
        "-",
        input="safety plan agreed\n",
    )
    assert _attention(runner) == []
    assert _show(runner)["alerts"] == []
    history = json.loads(_ok(runner, "entries", "c-1", "1", "-f", "json"))["entries"]
    assert [row["flags"] for row in history if row["id"] == entry] == [["risk-item9"]]
    reviewed = _show(runner)["client"]["reviewed_risks"]
    assert [(r["entry"], r["reviewed"], r["by"], r["outcome"]) for r in reviewed] == [
        (entry, "2026-11-13", "Dr K", "safety-plan")
    ]


def test_a_later_endorsed_item9_opens_a_new_flag(treated: str, runner: CliRunner) -> None:
    """An item 9 endorsed after the review raises a new, urgent flag."""
    _flagged(runner, "2026-11-12")
    _ok(runner, "risk-review", "c-1", "--date", "2026-11-13", "--outcome", "no-action")
    later = _flagged(runner, "2026-11-16")
    assert _attention(runner) == [("c-1", 1, "risk-item9")]
    assert [alert["entry"] for alert in _show(runner)["alerts"]] == [later]


def test_a_review_dated_before_the_flag_acknowledges_nothing(
    treated: str, runner: CliRunner
) -> None:
    """A review covers only flags dated on or before its own date."""
    _ok(runner, "risk-review", "c-1", "--date", "2026-11-11", "--outcome", "other")
    _flagged(runner, "2026-11-12")
    assert _attention(runner) == [("c-1", 1, "risk-item9")]


def test_remove_flagged_entry_without_force_changes_nothing(
    treated: str, runner: CliRunner, home: Path
) -> None:
    """remove-entry of a flagged entry without --force: exit 1, the file untouched."""
    entry = _flagged(runner, "2026-11-12")
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "remove-entry", "c-1", "1", entry)
    assert result.exit_code == 1
    assert (home / "clients" / "c-1.toml").read_bytes() == before


def test_remove_flagged_entry_with_force_is_audited(
    treated: str, runner: CliRunner, home: Path
) -> None:
    """--force removes it, prints the banner, and the audit line names date, total, answer."""
    entry = _flagged(runner, "2026-11-12")
    result = invoke(runner, "remove-entry", "c-1", "1", entry, "--force")
    assert result.exit_code == 0
    assert "RISK ENTRY REMOVED" in result.stderr
    last = json.loads((home / "audit.log").read_text().splitlines()[-1])
    assert last["risk_removed"] == [{"entry": entry, "date": "2026-11-12", "total": 10, "item9": 2}]


def test_the_discharge_note_is_in_the_clinicians_report_only(
    treated: str, runner: CliRunner
) -> None:
    """The note written at discharge is in the clinician's report, not the client's."""
    _discharge(runner, "--goals", "achieved", "--note", "DISCHARGE-NOTE-7Q")
    clinician = _ok(runner, "report", "c-1", "-f", "md", "-o", "-")
    assert "Episode 1: 2026-09-01 to 2026-11-15" in clinician
    assert "discharge note: DISCHARGE" in clinician
    client = _ok(runner, "report", "c-1", "-f", "md", "-o", "-", "--audience", "client")
    assert "DISCHARGE" not in client
