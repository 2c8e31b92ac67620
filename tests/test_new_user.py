"""What a new user tripped over (issue 17): each rough edge, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.cli import app as app_module
from helpers import invoke


def _goals(runner: CliRunner) -> None:
    """c-1: goal 1 PHQ-9 19 -> 12 (lower is better), goals 2 and 3 GBO 3 -> 5 and 6 -> 4."""
    invoke(runner, "new-client", "c-1")
    for title, measure, baseline, target, value in [
        ("Mood", "phq9", "19", "9", "12"),
        ("Calm", "gbo", "3", "8", "5"),
        ("Sleep", "gbo", "6", "8", "4"),
    ]:
        invoke(
            runner, "add-goal", "c-1", "coping", title, "--measure", measure,
            "--baseline", baseline, "--target", target,
        )  # fmt: skip
        number = str(["Mood", "Calm", "Sleep"].index(title) + 1)
        invoke(runner, "log", "c-1", number, value, "--date", "2026-11-02")


def _row(stdout: str, title: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if f" {title} " in line)


def test_progress_says_which_way_is_better(runner: CliRunner) -> None:
    """`Better by` is +7 for PHQ-9 19 -> 12, +2 for GBO 3 -> 5 and -2 for GBO 6 -> 4."""
    _goals(runner)
    result = invoke(runner, "progress", "c-1")
    assert "Better by" in result.stdout
    assert [_row(result.stdout, title)[6] for title in ("Mood", "Calm", "Sleep")] == [
        "+7",
        "+2",
        "-2",
    ]


def _gas_goals(runner: CliRunner) -> None:
    """c-1: GAS goals 1 and 2 with levels and an entry each, goal 3 a PHQ-9."""
    invoke(runner, "new-client", "c-1")
    for title in ("Speak up", "Say no"):
        invoke(
            runner, "add-goal", "c-1", "coping", title, "--measure", "gas",
            "--gas-level", "-1=x", "--gas-level", "0=y", "--gas-level", "1=z",
        )  # fmt: skip
    invoke(runner, "add-goal", "c-1", "coping", "Mood", "--measure", "phq9", "--target", "9")
    for goal, value in (("1", "1"), ("2", "0"), ("3", "12")):
        invoke(runner, "log", "c-1", goal, value, "--date", "2026-11-02")


def test_show_keeps_a_gas_heading_on_one_line(runner: CliRunner) -> None:
    """`show` prints "GAS levels of goal 1" whole however narrow the levels table is."""
    _gas_goals(runner)
    lines = invoke(runner, "show", "c-1").stdout.splitlines()
    assert "GAS levels of goal 1" in lines
    assert "GAS levels of goal 2" in lines


def test_show_leaves_out_gas_levels_of_a_dropped_goal(runner: CliRunner) -> None:
    """A dropped GAS goal's levels are not shown; the other goal's still are."""
    _gas_goals(runner)
    invoke(runner, "edit-goal", "c-1", "1", "--status", "dropped")
    out = invoke(runner, "show", "c-1").stdout
    assert ("GAS levels of goal 1" in out, "GAS levels of goal 2" in out) == (False, True)


def test_progress_of_one_goal_leaves_out_the_client_gas_t_score(runner: CliRunner) -> None:
    """`progress c-1 3` (a PHQ-9 goal) prints no GAS T-score; `progress c-1` does."""
    _gas_goals(runner)
    assert "GAS T-score" not in invoke(runner, "progress", "c-1", "3").stdout
    assert "GAS T-score" in invoke(runner, "progress", "c-1").stdout


# Bad input for every command: a word where a number goes, an unknown format, a bad option.
BAD_INPUTS = [
    ["c-1", "one", "one", "one"],
    ["c-1", "1", "-f", "xml"],
    ["c-1", "1", "1", "--session", "two"],
    ["c-1", "1", "1", "--date", "soon"],
    ["c-1", "--status", "all-of-them"],
]


@pytest.mark.parametrize("command", sorted(app_module.COMMANDS))
def test_no_message_uses_pydantic_words(runner: CliRunner, command: str) -> None:
    """No command's error on bad input says "Value error" or "Input should be"."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Mood", "--measure", "phq9")
    for args in BAD_INPUTS:
        stderr = invoke(runner, command, *args).stderr
        assert ("Value error" in stderr, "Input should be" in stderr) == (False, False), args


def test_a_word_for_a_goal_number_says_whole_number(runner: CliRunner) -> None:
    """`log c-1 one 12` says the goal must be a whole number, with exit code 2."""
    result = invoke(runner, "log", "c-1", "one", "12")
    assert result.exit_code == 2
    assert "Error: Invalid value for 'goal': must be a whole number" in result.stderr


def test_import_names_a_misnamed_column_and_the_closest_known(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A header with 'vaule' is refused naming 'vaule' and suggesting 'value', not "missing?"."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Mood", "--measure", "phq9")
    path = tmp_path / "scores.csv"
    path.write_text("client,goal,vaule,date\nc-1,1,5,2026-11-20\n")
    result = invoke(runner, "import", str(path), "-f", "csv")
    assert result.exit_code != 0
    assert result.stderr.splitlines()[0] == (
        "goaltrack: error: line 1: column 3 ('vaule') is not a known column name; "
        "did you mean 'value'?"
    )
