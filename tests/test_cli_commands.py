"""The core commands, run in-process: what they print and what they write."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from helpers import invoke


def _file(home: Path, client_id: str = "c-1") -> dict:  # type: ignore[type-arg]
    return tomllib.loads((home / "clients" / f"{client_id}.toml").read_text())


def test_new_client_writes_every_given_field(runner: CliRunner, home: Path) -> None:
    """new-client stores name, concerns with severities, approaches and notes."""
    result = invoke(
        runner,
        "new-client",
        "c-1",
        "--name",
        "Alex R.",
        "--concern",
        "depression:severe",
        "--concern",
        "sleep",
        "--approach",
        "cbt",
        "--approach",
        "Mindfulness",
        "--note",
        "Evenings",
    )
    assert result.exit_code == 0, result.stderr
    client = _file(home)["client"]
    assert client["name"] == "Alex R."
    assert client["concerns"] == [
        {"name": "depression", "severity": "severe"},
        {"name": "sleep", "severity": "moderate"},
    ]
    assert client["approaches"] == ["cbt", "mindfulness"]
    assert client["notes"] == "Evenings"
    assert client["status"] == "active"


def test_add_goal_prints_the_number_alone(runner: CliRunner, home: Path) -> None:
    """add-goal prints just the new goal number when stdout is not a terminal."""
    invoke(runner, "new-client", "c-1")
    first = invoke(runner, "add-goal", "c-1", "coping", "Use breathing skills")
    second = invoke(runner, "add-goal", "c-1", "autonomy", "Choose a course", "--priority", "high")
    assert (first.stdout, second.stdout) == ("1\n", "2\n")
    goals = _file(home)["goals"]
    assert [g["number"] for g in goals] == [1, 2]
    assert goals[1]["priority"] == "high"


def test_log_prints_the_entry_id_and_stores_the_entry(runner: CliRunner, home: Path) -> None:
    """log prints the new entry id and stores value, date, session, rater and note."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Feel better overall", "--measure", "ors")
    result = invoke(
        runner,
        "log",
        "c-1",
        "1",
        "26.5",
        "--date",
        "2026-09-08",
        "--session",
        "2",
        "--rater",
        "therapist",
        "--note",
        "Good week",
    )
    entry_id = result.stdout.strip()
    entry = _file(home)["goals"][0]["progress"][0]
    assert entry == {
        "id": entry_id,
        "date": __import__("datetime").date(2026, 9, 8),
        "value": 26.5,
        "session": 2,
        "rater": "therapist",
        "note": "Good week",
    }


def test_note_dash_reads_stdin(runner: CliRunner, home: Path) -> None:
    """--note - takes the note from stdin so it never appears in `ps` or shell history."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Breathe")
    invoke(runner, "log", "c-1", "1", "3", "--note", "-", input="Private words\nline two\n")
    assert _file(home)["goals"][0]["progress"][0]["note"] == "Private words\nline two"


def test_baseline_defaults_to_first_logged_value(runner: CliRunner, client_with_goal: str) -> None:
    """Without --baseline, progress uses the earliest logged value as the baseline."""
    invoke(runner, "add-goal", "c-1", "coping", "Breathe", "--target", "8")
    invoke(runner, "log", "c-1", "2", "5", "--date", "2026-10-01")
    invoke(runner, "log", "c-1", "2", "3", "--date", "2026-09-01")
    data = json.loads(invoke(runner, "progress", "c-1", "2", "--json").stdout)
    assert data["goals"][0]["baseline"] == 3
    assert data["goals"][0]["latest"] == 5
    assert data["goals"][0]["percent_to_target"] == 40.0


def test_progress_json_has_exact_figures(runner: CliRunner, client_with_goal: str) -> None:
    """progress --json: baseline 19, latest 14, change -5, 50% of the way to 9, 2 entries."""
    data = json.loads(invoke(runner, "progress", "c-1", "--json").stdout)
    assert data["format_version"] == 2
    goal = data["goals"][0]
    assert {
        k: goal[k]
        for k in (
            "goal",
            "baseline",
            "latest",
            "latest_date",
            "change",
            "percent_to_target",
            "entries",
            "status",
        )
    } == {
        "goal": 1,
        "baseline": 19,
        "latest": 14,
        "latest_date": "2026-09-22",
        "change": -5,
        "percent_to_target": 50.0,
        "entries": 2,
        "status": "active",
    }


def test_progress_table_shows_each_goal(runner: CliRunner, client_with_goal: str) -> None:
    """The progress table names the goal and shows latest value and percent done."""
    out = invoke(runner, "progress", "c-1").stdout
    assert "Reduce depressive symptoms" in out
    assert "50%" in out
    assert "14" in out


def test_show_lists_details_and_goals(runner: CliRunner, client_with_goal: str) -> None:
    """show prints the client's concerns and goals with their latest value."""
    out = invoke(runner, "show", "c-1").stdout
    assert "depression (severe)" in out
    assert "Reduce depressive symptoms" in out


def test_show_json_carries_notes_and_goals(runner: CliRunner, client_with_goal: str) -> None:
    """show --json holds the client details and a summary per goal."""
    data = json.loads(invoke(runner, "show", "c-1", "-f", "json").stdout)
    assert data["client"]["id"] == "c-1"
    assert data["client"]["concerns"] == [{"name": "depression", "severity": "severe"}]
    assert data["client"]["goals"][0]["latest"] == 14


def test_clients_lists_active_by_default(runner: CliRunner, home: Path) -> None:
    """clients hides discharged clients unless --status all."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "new-client", "c-2")
    assert invoke(runner, "discharge", "c-2").exit_code == 0
    active = json.loads(invoke(runner, "clients", "--json").stdout)
    everyone = json.loads(invoke(runner, "clients", "--status", "all", "--json").stdout)
    assert [c["id"] for c in active["clients"]] == ["c-1"]
    assert [c["id"] for c in everyone["clients"]] == ["c-1", "c-2"]


def test_clients_with_no_home_says_how_to_start(runner: CliRunner) -> None:
    """An empty caseload prints a hint rather than an error."""
    result = invoke(runner, "clients")
    assert result.exit_code == 0
    assert "new-client" in result.stdout


def test_edit_client_changes_concerns_and_approaches(runner: CliRunner, home: Path) -> None:
    """edit-client adds/updates/removes concerns and approaches and replaces notes."""
    invoke(
        runner,
        "new-client",
        "c-1",
        "--concern",
        "anxiety:mild",
        "--concern",
        "sleep",
        "--approach",
        "cbt",
    )
    result = invoke(
        runner,
        "edit-client",
        "c-1",
        "--concern",
        "Anxiety:severe",
        "--remove-concern",
        "sleep",
        "--approach",
        "emdr",
        "--remove-approach",
        "cbt",
        "--name",
        "Sam",
        "--note",
        "new",
    )
    assert result.exit_code == 0, result.stderr
    client = _file(home)["client"]
    assert client["concerns"] == [{"name": "anxiety", "severity": "severe"}]
    assert client["approaches"] == ["emdr"]
    assert (client["name"], client["notes"]) == ("Sam", "new")


def test_edit_client_clear_removes_fields(runner: CliRunner, home: Path) -> None:
    """--clear notes removes the key from the file (TOML has no null)."""
    invoke(runner, "new-client", "c-1", "--note", "x", "--name", "N")
    invoke(runner, "edit-client", "c-1", "--clear", "notes")
    client = _file(home)["client"]
    assert "notes" not in client
    assert client["name"] == "N"


def test_edit_goal_changes_status_and_fields(
    runner: CliRunner, client_with_goal: str, home: Path
) -> None:
    """edit-goal sets status, target and due date, and --clear drops a field."""
    result = invoke(
        runner, "edit-goal", "c-1", "1", "--status", "achieved", "--target", "8", "--clear", "due"
    )
    assert result.exit_code == 0, result.stderr
    goal = _file(home)["goals"][0]
    assert (goal["status"], goal["target"]) == ("achieved", 8)
    assert "due" not in goal


def test_goals_filters_by_kind_and_status(runner: CliRunner, client_with_goal: str) -> None:
    """goals --kind/--status select matching goals only."""
    invoke(runner, "add-goal", "c-1", "coping", "Breathe")
    invoke(runner, "edit-goal", "c-1", "2", "--status", "paused")
    coping = json.loads(invoke(runner, "goals", "c-1", "--kind", "coping", "--json").stdout)
    active = json.loads(invoke(runner, "goals", "c-1", "--status", "active", "--json").stdout)
    assert [g["goal"] for g in coping["goals"]] == [2]
    assert [g["goal"] for g in active["goals"]] == [1]


def test_remove_entry_deletes_only_that_entry(runner: CliRunner, home: Path) -> None:
    """remove-entry takes out one entry by id and keeps the others."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Breathe")
    keep = invoke(runner, "log", "c-1", "1", "3", "--date", "2026-09-01").stdout.strip()
    drop = invoke(runner, "log", "c-1", "1", "9", "--date", "2026-09-02").stdout.strip()
    result = invoke(runner, "remove-entry", "c-1", "1", drop)
    assert result.exit_code == 0
    assert [e["id"] for e in _file(home)["goals"][0]["progress"]] == [keep]


def test_goal_numbers_are_never_reused(runner: CliRunner) -> None:
    """After goals 1-3 exist, the next goal is 4 even if goal 3 is dropped."""
    invoke(runner, "new-client", "c-1")
    for title in ("a", "b", "c"):
        invoke(runner, "add-goal", "c-1", "coping", title)
    invoke(runner, "edit-goal", "c-1", "3", "--status", "dropped")
    assert invoke(runner, "add-goal", "c-1", "coping", "d").stdout == "4\n"


def test_csv_output_parses(runner: CliRunner, client_with_goal: str) -> None:
    """CSV output of clients, goals and progress parses with the csv module."""
    import csv
    import io

    for args in (("clients",), ("goals", "c-1"), ("progress", "c-1"), ("show", "c-1")):
        out = invoke(runner, *args, "--format", "csv").stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows, args
    rows = list(csv.DictReader(io.StringIO(invoke(runner, "progress", "c-1", "-f", "csv").stdout)))
    assert rows[0]["percent_to_target"] == "50.0"
    assert rows[0]["due"] == "2026-12-15"


def test_jsonl_output_is_one_object_per_line(runner: CliRunner, client_with_goal: str) -> None:
    """jsonl prints one JSON object per goal, no wrapper."""
    invoke(runner, "add-goal", "c-1", "coping", "Breathe")
    lines = invoke(runner, "goals", "c-1", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["goal"] for line in lines] == [1, 2]


def test_version_flag(runner: CliRunner) -> None:
    """--version prints the program version."""
    from goaltrack import __version__

    assert invoke(runner, "--version").stdout.strip() == f"goaltrack {__version__}"


def test_home_flag_beats_environment(runner: CliRunner, tmp_path: Path, home: Path) -> None:
    """--home DIR writes there, not to GOALTRACK_HOME."""
    other = tmp_path / "other"
    invoke(runner, "--home", str(other), "new-client", "c-9")
    assert (other / "clients" / "c-9.toml").exists()
    assert not (home / "clients" / "c-9.toml").exists()


def test_entries_lists_a_goals_history_with_ids(runner: CliRunner, client_with_goal: str) -> None:
    """entries shows every entry of a goal in date order, with the ids remove-entry needs."""
    data = json.loads(invoke(runner, "entries", "c-1", "1", "--json").stdout)
    assert [(e["date"], e["value"], e["session"]) for e in data["entries"]] == [
        ("2026-09-08", 17, 2),
        ("2026-09-22", 14, 4),
    ]
    entry_id = data["entries"][0]["id"]
    assert entry_id in invoke(runner, "entries", "c-1").stdout
    assert invoke(runner, "remove-entry", "c-1", "1", entry_id).exit_code == 0


def test_entries_since_limits_the_window(runner: CliRunner, client_with_goal: str) -> None:
    """entries --since keeps entries on or after the date."""
    data = json.loads(
        invoke(runner, "entries", "c-1", "--since", "2026-09-22", "-f", "json").stdout
    )
    assert [e["value"] for e in data["entries"]] == [14]
