"""The CLI's rules: one exit code per kind of mistake, escaped warnings, lazy command loading."""

from __future__ import annotations

import inspect
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from goaltrack.cli.app import COMMANDS, app
from helpers import invoke, run_cli, snapshot


def _entries(home: Path) -> list[dict]:  # type: ignore[type-arg]
    data = tomllib.loads((home / "clients" / "c-1.toml").read_text(encoding="utf-8"))
    return data["goals"][0]["progress"]  # type: ignore[no-any-return]


@pytest.fixture
def gas_goal(runner: CliRunner) -> str:
    """Client c-1 with goal 1, a GAS goal from -2 to 0."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "autonomy", "Speak up", "--measure", "gas",
                    "--baseline", "-2", "--target", "0")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return "c-1"


# ---- usage errors: exit 2, with the choices or a suggestion ----------------------------------


def _usage_error(result: typer.testing.Result) -> str:  # type: ignore[name-defined]
    """The `Error:` line of a usage error, after checking its shape."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: goaltrack ")
    return result.stderr.strip().splitlines()[-1]


def test_unknown_format_is_a_usage_error_listing_the_formats(
    runner: CliRunner, gas_goal: str
) -> None:
    """`--format xml`: exit 2, and the error names every format."""
    line = _usage_error(invoke(runner, "progress", gas_goal, "--format", "xml"))
    assert line.endswith("must be one of 'table', 'json', 'jsonl', 'csv'.")


def test_unknown_priority_is_a_usage_error_listing_the_priorities(
    runner: CliRunner, gas_goal: str, home: Path
) -> None:
    """`--priority urgent`: exit 2 (it was 1 when parsed by hand), naming the priorities."""
    before = snapshot(home)
    line = _usage_error(invoke(runner, "add-goal", gas_goal, "coping", "x", "--priority", "urgent"))
    assert line.startswith("Error: Invalid value for '--priority'")
    assert line.endswith("must be one of 'high', 'medium', 'low'.")
    assert snapshot(home) == before


def test_choices_are_case_insensitive(runner: CliRunner, gas_goal: str, home: Path) -> None:
    """`--priority HIGH` and kind `Coping` are accepted, and stored as the choice's value."""
    result = invoke(runner, "add-goal", gas_goal, "Coping", "Sleep", "--priority", "HIGH")
    assert result.exit_code == 0, result.stderr
    goal = tomllib.loads((home / "clients" / "c-1.toml").read_text())["goals"][1]
    assert (goal["kind"], goal["priority"]) == ("coping", "high")


def test_misspelt_option_of_log_suggests_the_right_one(runner: CliRunner, gas_goal: str) -> None:
    """`log c-1 1 5 --dat ...`: Click's "No such option" naming --date, exit 2."""
    line = _usage_error(invoke(runner, "log", gas_goal, "1", "0", "--dat", "2026-01-01"))
    assert line.startswith("Error: No such option: --dat")
    assert "--date" in line


def test_option_of_log_without_its_value_is_a_usage_error(
    runner: CliRunner, gas_goal: str, home: Path
) -> None:
    """`log c-1 1 -1 --date`: exit 2, "requires an argument"; nothing is logged."""
    line = _usage_error(invoke(runner, "log", gas_goal, "1", "-1", "--date"))
    assert line == "Error: Option '--date' requires an argument."
    assert _entries(home) == []


def test_missing_argument_is_a_usage_error(runner: CliRunner, gas_goal: str) -> None:
    """`log c-1 1`: exit 2, naming the missing VALUE."""
    assert _usage_error(invoke(runner, "log", gas_goal, "1")) == "Error: Missing argument 'value'."


def test_bad_clear_field_is_a_usage_error(runner: CliRunner, gas_goal: str) -> None:
    """`edit-client --clear status`: exit 2, naming the fields that can be cleared."""
    line = _usage_error(invoke(runner, "edit-client", gas_goal, "--clear", "status"))
    assert line.endswith("must be one of 'name', 'notes'.")


def test_bad_rater_of_measure_still_warns_about_item_9(runner: CliRunner, home: Path) -> None:
    """`measure ... --rater mother` with item 9 endorsed: the RISK banner, then exit 2."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    result = invoke(runner, "measure", "c-1", "phq9", "--responses", "1,1,1,1,1,1,1,1,2",
                    "--rater", "mother")  # fmt: skip
    assert result.exit_code == 2
    assert "RISK: c-1 answered 2" in result.stderr
    assert "NOT saved" in result.stderr
    assert result.stderr.strip().endswith(
        "must be one of 'client', 'therapist', 'parent', 'partner', 'teacher', 'carer', 'other'."
    )
    assert _entries(home) == []


# ---- negative values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-1"],
        ["-1", "--date", "2026-10-01"],
        ["--date", "2026-10-01", "-1"],
        ["--note", "-2", "-1"],
        ["--", "-1"],
    ],
)
def test_negative_value_is_logged_on_a_gas_goal(
    runner: CliRunner, gas_goal: str, home: Path, args: list[str]
) -> None:
    """`log c-1 1 -1` logs -1, with options before or after it (an option's value stays its)."""
    result = invoke(runner, "log", gas_goal, "1", *args)
    assert result.exit_code == 0, result.stderr
    assert [entry["value"] for entry in _entries(home)] == [-1]


def test_negative_option_values_set_up_a_gas_goal(runner: CliRunner, home: Path) -> None:
    """`add-goal ... --measure gas --baseline -2 --target 0` stores both values."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "autonomy", "Speak up", "--measure", "gas",
                    "--baseline", "-2", "--target", "0")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    goal = tomllib.loads((home / "clients" / "c-1.toml").read_text())["goals"][0]
    assert (goal["measure"], goal["baseline"], goal["target"]) == ("gas", -2, 0)


# ---- warnings are escaped ---------------------------------------------------------------------


def test_warning_with_a_control_character_is_escaped(tmp_path: Path) -> None:
    """A corrupt file in a home whose name holds ESC: the warning shows \\u001b, never ESC."""
    home = tmp_path / "x\x1b[2Jy"
    assert run_cli("--home", str(home), "new-client", "c-1").returncode == 0
    (home / "clients" / "c-1.toml").write_text("[[goals]\n", encoding="utf-8")
    result = run_cli("--home", str(home), "clients", "--json")
    assert result.returncode == 3
    assert "\x1b" not in result.stderr
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1
    assert warning[0].startswith("goaltrack: warning: ")
    assert "x\\u001b[2Jy" in warning[0]


# ---- lazy loading -----------------------------------------------------------------------------


def _modules_after(args: list[str]) -> set[str]:
    """goaltrack's CLI modules loaded by a fresh interpreter that ran `goaltrack ARGS`."""
    code = (
        "import sys\nfrom goaltrack.cli.app import app\n"
        f"try:\n    app({args!r}, prog_name='goaltrack')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', *(m for m in sys.modules if m.startswith('goaltrack.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    last = out.stdout.splitlines()[-1].split()
    assert last[0] == "LOADED"
    return set(last[1:])


#: The CLI modules every command loads: none of them is a command module.
SHARED = {
    "goaltrack.cli.app",
    "goaltrack.cli.common",
    "goaltrack.cli.complete",
    "goaltrack.cli.lifetime",
}


def test_top_level_help_imports_no_command_module() -> None:
    """`goaltrack --help` loads app, common, complete and lifetime only."""
    loaded = _modules_after(["--help"])
    assert loaded == SHARED


def test_a_command_imports_its_own_module_only() -> None:
    """`goaltrack log --help` loads cli/entries and no other command module."""
    loaded = _modules_after(["log", "--help"])
    assert loaded - SHARED == {"goaltrack.cli.entries"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_table_line_is_the_commands_own_help(name: str) -> None:
    """The line `--help` shows for a command is the first paragraph of the command's help."""
    command = typer.main.get_group(app).get_command(None, name)  # type: ignore[arg-type]
    assert command is not None
    first = inspect.cleandoc(command.help or "").split("\n\n")[0]
    assert COMMANDS[name][1] == " ".join(first.split())


def test_top_level_help_lists_every_command(runner: CliRunner) -> None:
    """`--help` lists every command once, in the table's order, with its short help."""
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "80"})
    listed = result.stdout.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    assert listed[0] == "  new-client          Create a client file (fails if the client exists)."
    show = "  show                Show one client: details, concerns, and goals with..."
    assert listed[2] == show


def test_misspelt_command_gets_a_suggestion(runner: CliRunner) -> None:
    """`goaltrack shwo`: exit 2, "Did you mean 'show'?" (the lazy table knows every name)."""
    result = runner.invoke(app, ["shwo"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("No such command 'shwo'. Did you mean 'show'?")
