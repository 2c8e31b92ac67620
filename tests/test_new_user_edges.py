"""What a new user tripped over (issue 17), the next items: each rough edge, through the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from helpers import invoke

NINE = "1,1,1,1,1,1,1,1,0"


def _client(runner: CliRunner) -> None:
    """c-1 with goal 1 (PHQ-9 19 -> 9) active and goal 2 (GBO) dropped."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--baseline", "19",
           "--target", "9")  # fmt: skip
    invoke(runner, "add-goal", "c-1", "coping", "Calm", "--measure", "gbo")
    invoke(runner, "edit-goal", "c-1", "2", "--status", "dropped")


def _audit(home: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]


def test_goals_status_all_lists_every_goal(runner: CliRunner) -> None:
    """`goals --status all` is accepted and lists active and dropped goals alike."""
    _client(runner)
    result = invoke(runner, "goals", "c-1", "--status", "all", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["1", "2"]
    dropped = invoke(runner, "goals", "c-1", "--status", "dropped", "-f", "csv")
    assert [line.split(",")[1] for line in dropped.stdout.splitlines()[1:]] == ["2"]


def test_empty_note_is_no_note(home: Path, runner: CliRunner) -> None:
    """`--note ""` and an empty `--note -` store no note (no `note = ""` in the file)."""
    _client(runner)
    invoke(runner, "log", "c-1", "1", "15", "--note", "")
    invoke(runner, "log", "c-1", "1", "14", "--note", "-", input="")
    invoke(runner, "measure", "c-1", "phq9", "--responses", NINE, "--note", "  ")
    invoke(runner, "log", "c-1", "1", "13", "--note", "kept")
    text = (home / "clients" / "c-1.toml").read_text()
    assert text.count("note = ") == 1 and 'note = "kept"' in text


def test_edit_client_empty_note_clears_the_notes(home: Path, runner: CliRunner) -> None:
    """`edit-client --note ""` leaves the client with no notes, as `--clear notes` does."""
    invoke(runner, "new-client", "c-1", "--note", "first session")
    result = invoke(runner, "edit-client", "c-1", "--note", "")
    assert result.exit_code == 0, result.output
    assert "notes" not in (home / "clients" / "c-1.toml").read_text()


def test_measure_csv_does_not_repeat_the_entries(runner: CliRunner) -> None:
    """`measure -f csv`: goal and entry columns, no `entries` JSON cell repeating them."""
    _client(runner)
    result = invoke(runner, "measure", "c-1", "phq9", "--responses", NINE, "--date",
                    "2026-11-02", "-f", "csv")  # fmt: skip
    header, row = result.stdout.splitlines()
    assert header == "client,instrument,date,total,band,responses,flags,goal,entry"
    assert row.startswith("c-1,phq9,2026-11-02,8,mild,1;1;1;1;1;1;1;1;0,,1,")
    assert "{" not in row


def test_refused_import_is_audited(home: Path, runner: CliRunner, tmp_path: Path) -> None:
    """A refused import writes one `refused` line per client it names, as a refused log does."""
    _client(runner)
    rows = tmp_path / "rows.csv"
    rows.write_text("client,goal,date,value\nc-1,1,2026-11-02,99\nc-2,1,2026-11-02,5\n")
    result = invoke(runner, "import", str(rows))
    assert result.exit_code == 1
    assert [(e["command"], e["client"], e["outcome"], e["error"]) for e in _audit(home)[-2:]] == [
        ("import", "c-1", "refused", "ImportRejected"),
        ("import", "c-2", "refused", "ImportRejected"),
    ]


def test_unreadable_import_is_audited_without_a_client(
    home: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """An import refused before any client could be read still leaves one `refused` line."""
    _client(runner)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("not json\n")
    before = len(_audit(home))
    invoke(runner, "import", str(rows))
    assert [(e["command"], e["client"], e["outcome"]) for e in _audit(home)[before:]] == [
        ("import", "", "refused")
    ]


def _due(home: Path) -> list[str]:
    text = (home / "clients" / "c-1.toml").read_text()
    return [line.split('"')[1] if '"' in line else line.split()[-1]
            for line in text.splitlines() if line.startswith("due = ")]  # fmt: skip


def test_relative_due_dates(home: Path, runner: CliRunner) -> None:
    """`--due tomorrow`, `+3d`, `+4w` and `+2m` are taken, relative to today."""
    invoke(runner, "new-client", "c-1")
    today = date.today()
    month = today.month + 1  # +2m: two calendar months on (the same day, or the month's end)
    year, month = today.year + month // 12, month % 12 + 1
    end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    for due in ("tomorrow", "+3d", "+4w", "+2m"):
        result = invoke(runner, "add-goal", "c-1", "coping", f"Goal {due}", "--due", due)
        assert result.exit_code == 0, result.output
    assert _due(home) == [
        (today + timedelta(days=1)).isoformat(),
        (today + timedelta(days=3)).isoformat(),
        (today + timedelta(weeks=4)).isoformat(),
        date(year, month, min(today.day, end)).isoformat(),
    ]


def test_relative_past_dates_on_log_and_measure(home: Path, runner: CliRunner) -> None:
    """`log --date -3d` and `measure --date -1w` are dated 3 days and a week ago."""
    _client(runner)
    assert invoke(runner, "log", "c-1", "1", "15", "--date", "-3d").exit_code == 0
    assert (
        invoke(runner, "measure", "c-1", "phq9", "--responses", NINE, "--date", "-1w").exit_code
        == 0
    )
    rows = invoke(runner, "entries", "c-1", "1", "--since", "-2w", "-f", "csv").stdout.splitlines()
    dates = sorted(line.split(",")[4] for line in rows[1:])
    today = date.today()
    assert dates == [
        (today - timedelta(weeks=1)).isoformat(),
        (today - timedelta(days=3)).isoformat(),
    ]


def test_date_options_say_the_relative_forms(runner: CliRunner) -> None:
    """Every option that takes a date says in --help that +4w and tomorrow are taken."""
    for command, option in [
        ("add-goal", "--due"), ("edit-goal", "--due"), ("log", "--date"),
        ("measure", "--date"), ("entries", "--since"), ("progress", "--since"),
        ("new-client", "--since"), ("edit-client", "--since"), ("audit", "--since"),
    ]:  # fmt: skip
        text = " ".join(invoke(runner, command, "--help").stdout.split())
        assert option in text and "tomorrow, or +/-N days, weeks or months (+4w, -3d)" in text, (
            command
        )


def test_a_date_without_a_sign_is_refused(runner: CliRunner) -> None:
    """`--due 4w` (no sign) is refused with the forms a date takes."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "coping", "Calm", "--due", "4w")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: due: must be a date as YYYY-MM-DD, today, yesterday, tomorrow, "
        "or +/-N days, weeks or months (+4w, -3d)\n"
    )
