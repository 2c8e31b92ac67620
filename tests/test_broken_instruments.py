"""A typo in instruments.toml stops only the goals that use the broken instrument (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.errors import InstrumentsFileError
from goaltrack.measures.instruments import load_registry
from helpers import invoke, run_cli, snapshot

GOOD = """\
[sleep]
name = "Sleep diary"
min = 0
max = 10
better = "higher"

[steps]
name = "Daily steps (thousands)"
min = 0
max = 30
better = "higher"
"""
#: The same file with a typo in [steps]: `bettr` for `better`.
TYPO = GOOD.replace('max = 30\nbetter = "higher"', 'max = 30\nbettr = "higher"')
STEPS_ERROR = (
    "[steps]: unknown field(s) bettr; allowed: bands, better, caseness, cutoff, integer, "
    "licence, loinc, max, meaningful_change, min, name, note, per_goal, reliability, "
    "reliable_change, rule_set, rule_source, sd, source"
)


@pytest.fixture
def three_goals(runner: CliRunner, home: Path) -> Path:
    """c-1 with goal 1 on PHQ-9, goal 2 on `sleep`, goal 3 on `steps`; then [steps] breaks."""
    home.mkdir(mode=0o700, parents=True)
    path = home / "instruments.toml"
    path.write_text(GOOD, encoding="utf-8")
    invoke(runner, "new-client", "c-1")
    for kind, title, measure in [
        ("symptom-reduction", "Mood", "phq9"),
        ("coping", "Sleep", "sleep"),
        ("autonomy", "Walk", "steps"),
    ]:
        assert invoke(runner, "add-goal", "c-1", kind, title, "--measure", measure).exit_code == 0
    for goal, value in [("1", "12"), ("2", "4"), ("3", "6")]:
        assert invoke(runner, "log", "c-1", goal, value, "--date", "2026-10-01").exit_code == 0
    path.write_text(TYPO, encoding="utf-8")
    return path


def test_registry_keeps_the_valid_tables_and_names_the_broken_one(tmp_path: Path) -> None:
    """load_registry reads [sleep], leaves [steps] out and keeps its one-line error."""
    path = tmp_path / "instruments.toml"
    path.write_text(TYPO, encoding="utf-8")
    known = load_registry(tmp_path)
    assert known.get("sleep") is not None and "steps" not in known.instruments
    assert known.broken == {"steps": f"{path}: {STEPS_ERROR}"}
    assert known.problems() == [f"{path}: {STEPS_ERROR}"]


def test_asking_for_the_broken_instrument_raises_its_error(tmp_path: Path) -> None:
    """get('steps') raises the table's error (exit 3); a built-in and a valid one are found."""
    (tmp_path / "instruments.toml").write_text(TYPO, encoding="utf-8")
    known = load_registry(tmp_path)
    with pytest.raises(InstrumentsFileError) as refused:
        known.get("steps")
    assert (refused.value.message, refused.value.exit_code) == (known.broken["steps"], 3)
    assert [known.require(key).key for key in ("phq9", "sleep")] == ["phq9", "sleep"]


def test_a_goal_on_a_valid_instrument_works_with_one_warning(
    runner: CliRunner, three_goals: Path
) -> None:
    """progress of the PHQ-9 goal and of the sleep goal: exit 0, one warning naming the file."""
    warning = (
        f"goaltrack: warning: {three_goals}: broken instrument(s) [steps] left out; goals "
        "measured by them cannot be used until it is fixed (see `goaltrack instruments` or "
        "`goaltrack check`)\n"
    )
    for goal, latest in [("1", 12), ("2", 4)]:
        result = invoke(runner, "progress", "c-1", goal, "--json")
        assert (result.exit_code, result.stderr) == (0, warning)
        assert json.loads(result.stdout)["goals"][0]["latest"] == latest


def test_logging_on_a_valid_instrument_is_saved(runner: CliRunner, three_goals: Path) -> None:
    """`log` on the PHQ-9 goal is written despite the broken [steps]."""
    assert invoke(runner, "log", "c-1", "1", "9", "--date", "2026-10-08").exit_code == 0
    values = json.loads(invoke(runner, "entries", "c-1", "1", "--json").stdout)["entries"]
    assert [row["value"] for row in values] == [12, 9]


def test_a_goal_on_the_broken_instrument_exits_3_with_its_error(
    runner: CliRunner, three_goals: Path, home: Path
) -> None:
    """progress of goal 3 and the whole client's show: exit 3 with the [steps] error."""
    for args in (("progress", "c-1", "3"), ("show", "c-1"), ("progress", "c-1")):
        result = invoke(runner, *args)
        assert result.exit_code == 3
        assert result.stderr.endswith(f"goaltrack: error: {three_goals}: {STEPS_ERROR}\n")


def test_logging_on_the_broken_instrument_writes_nothing(
    runner: CliRunner, three_goals: Path, home: Path
) -> None:
    """`log` on goal 3 exits 3 with the error and leaves every file as it was."""
    before = snapshot(home / "clients")
    result = invoke(runner, "log", "c-1", "3", "7")
    assert result.exit_code == 3
    assert result.stderr.endswith(f"goaltrack: error: {three_goals}: {STEPS_ERROR}\n")
    assert snapshot(home / "clients") == before


def test_instruments_lists_the_valid_ones_and_names_the_broken(
    runner: CliRunner, three_goals: Path
) -> None:
    """`instruments` prints phq9 and sleep, names [steps] with its error, and exits 3."""
    result = invoke(runner, "instruments", "--json")
    keys = [row["key"] for row in json.loads(result.stdout)["instruments"]]
    assert result.exit_code == 3
    assert "sleep" in keys and "steps" not in keys
    assert result.stderr == f"goaltrack: warning: {three_goals}: {STEPS_ERROR}\n"


def test_instruments_of_the_broken_key_exits_3(runner: CliRunner, three_goals: Path) -> None:
    """`instruments steps` is the table's error, exit 3."""
    result = invoke(runner, "instruments", "steps")
    assert (result.exit_code, result.stderr) == (
        3,
        f"goaltrack: error: {three_goals}: {STEPS_ERROR}\n",
    )


def test_check_reports_the_table_and_the_goal_that_uses_it(
    runner: CliRunner, three_goals: Path
) -> None:
    """`check`: a problem for [steps] in instruments.toml and one for goal 3 of c-1."""
    three_goals.chmod(0o600)
    result = invoke(runner, "check", "--json")
    problems = [
        (f["path"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["status"] == "problem"
    ]
    assert result.exit_code == 3
    assert problems == [
        ("instruments.toml", STEPS_ERROR),
        (
            "clients/c-1.toml",
            "goal 3: uses an instrument that is broken in instruments.toml (reported there), "
            "so its values cannot be checked",
        ),
    ]


def test_a_file_that_is_not_toml_stops_only_user_instrument_goals(
    runner: CliRunner, three_goals: Path
) -> None:
    """Not TOML at all: the PHQ-9 goal works (one warning), the sleep goal exits 3."""
    three_goals.write_text("[sleep\n", encoding="utf-8")
    phq9 = invoke(runner, "progress", "c-1", "1")
    assert phq9.exit_code == 0 and phq9.stderr.count("\n") == 1
    sleep = invoke(runner, "progress", "c-1", "2")
    assert sleep.exit_code == 3
    assert sleep.stderr.endswith(f"goaltrack: error: {three_goals}: not valid TOML (line 1)\n")


def test_a_real_process_reads_a_phq9_goal_past_the_typo(three_goals: Path, home: Path) -> None:
    """As a real process: `show` of another client on PHQ-9 only exits 0 with one warning."""
    env = {"GOALTRACK_HOME": str(home)}
    assert run_cli("new-client", "c-2", env=env).returncode == 0
    assert run_cli("add-goal", "c-2", "symptom-reduction", "Mood", env=env).returncode == 0
    result = run_cli("show", "c-2", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "[steps]" in result.stderr
