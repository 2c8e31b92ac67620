"""Names, titles and concerns can be given on stdin ('-'), as notes can, so they stay out of
`ps` and the shell's history; and no error message repeats a value that was typed (issue 16,
item 9)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import SECRET, assert_private, client_with_goal, invoke, snapshot


def _phq9_client(runner: CliRunner) -> None:
    """Client c-1 with goal 1 measured by PHQ-9, concern "grief" and one entry."""
    invoke(runner, "new-client", "c-1", "--concern", "grief")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--measure", "phq9")
    invoke(runner, "log", "c-1", "1", "12")


def _stored(home: Path, client_id: str = "c-1") -> dict[str, object]:
    return tomllib.loads((home / "clients" / f"{client_id}.toml").read_text(encoding="utf-8"))


def test_name_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`new-client --name -` stores the piped name, its final line end dropped."""
    result = invoke(runner, "new-client", "c-2", "--name", "-", input="Robin Q.\n")
    assert result.exit_code == 0, result.stderr
    assert _stored(home, "c-2")["client"]["name"] == "Robin Q."  # type: ignore[index]


def test_edit_client_name_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`edit-client --name -` replaces the name with the piped one."""
    client_with_goal(Store(home))
    result = invoke(runner, "edit-client", "c-1", "--name", "-", input="Sam P.\r\n")
    assert result.exit_code == 0, result.stderr
    assert _stored(home)["client"]["name"] == "Sam P."  # type: ignore[index]


def test_concern_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`--concern -` reads NAME[:SEVERITY] from stdin, next to concerns given as text."""
    result = invoke(
        runner, "new-client", "c-2", "--concern", "-", "--concern", "sleep", input="grief:severe\n"
    )
    assert result.exit_code == 0, result.stderr
    concerns = _stored(home, "c-2")["client"]["concerns"]  # type: ignore[index]
    assert concerns == [
        {"name": "grief", "severity": "severe"},
        {"name": "sleep", "severity": "moderate"},
    ]


def test_remove_concern_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`edit-client --remove-concern -` removes the concern named on stdin."""
    invoke(runner, "new-client", "c-2", "--concern", "grief", "--concern", "sleep")
    result = invoke(runner, "edit-client", "c-2", "--remove-concern", "-", input="grief\n")
    assert result.exit_code == 0, result.stderr
    concerns = _stored(home, "c-2")["client"]["concerns"]  # type: ignore[index]
    assert concerns == [{"name": "sleep", "severity": "moderate"}]


def test_add_goal_title_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`add-goal ID KIND -` takes the title from stdin."""
    client_with_goal(Store(home))
    result = invoke(runner, "add-goal", "c-1", "coping", "-", input="Walk after dinner\n")
    assert result.exit_code == 0, result.stderr
    assert _stored(home)["goals"][1]["title"] == "Walk after dinner"  # type: ignore[index]


def test_edit_goal_title_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`edit-goal --title -` takes the new title from stdin."""
    client_with_goal(Store(home))
    result = invoke(runner, "edit-goal", "c-1", "1", "--title", "-", input="Sleep 7 hours\n")
    assert result.exit_code == 0, result.stderr
    assert _stored(home)["goals"][0]["title"] == "Sleep 7 hours"  # type: ignore[index]


def test_gas_level_text_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`--gas-level 0=-` takes that level's description from stdin."""
    client_with_goal(Store(home))
    result = invoke(
        runner, "add-goal", "c-1", "coping", "Go out", "--gas-level", "0=-", input="Weekly\n"
    )
    assert result.exit_code == 0, result.stderr
    assert _stored(home)["goals"][1]["gas_levels"] == {"0": "Weekly"}  # type: ignore[index]


def test_two_options_reading_stdin_are_refused(home: Path, runner: CliRunner) -> None:
    """`--name - --note -`: exit 1, one line naming both, nothing written."""
    client_with_goal(Store(home))
    before = snapshot(home)
    result = invoke(runner, "edit-client", "c-1", "--name", "-", "--note", "-", input="x\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: name: only one option per command can read stdin ('-'), and notes "
        "did; give this one as text\n"
    )
    assert snapshot(home) == before


def test_name_from_stdin_has_the_note_limit(home: Path, runner: CliRunner) -> None:
    """A piped name past 64 KiB is refused at the limit: exit 1, no client file."""
    result = invoke(runner, "new-client", "c-2", "--name", "-", input="n" * (64 * 1024 + 5))
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: name: must be at most 64 KiB (65,536 bytes of UTF-8)\n"
    )
    assert not (home / "clients" / "c-2.toml").exists()


#: Commands with a secret marker in a bad value: each must be refused without repeating it.
BAD_VALUES = [
    ["log", "c-1", "1", f"{SECRET} feels hopeless"],
    ["log", "c-1", "1", "3", SECRET, "feels", "hopeless"],
    ["log", "c-1", "1", "30"],
    ["log", "c-1", "1", "3", "--date", SECRET],
    ["log", "c-1", "1", "3", "--session", SECRET],
    ["log", "c-1", "1", "3", "--rater", SECRET],
    ["log", "c-1", "1", "3", "--note", SECRET + "x" * 70_000],
    ["new-client", "c-2", "--concern", f"{SECRET}DIAG:bad"],
    ["new-client", "c-2", "--name", f"{SECRET}\nx"],
    ["edit-client", "c-1", "--concern", f"{SECRET}:bad"],
    ["edit-client", "c-1", "--remove-concern", SECRET],
    ["edit-client", "c-1", "--clear", SECRET],
    ["edit-client", "c-1", "--since", SECRET],
    ["edit-client", "c-1", "--status", SECRET],
    ["add-goal", "c-1", f"{SECRET} feels hopeless", "title"],
    ["add-goal", "c-1", "coping", f"{SECRET}\x1b[2J"],
    ["add-goal", "c-1", "coping", "t", "--measure", SECRET],
    ["add-goal", "c-1", "coping", "t", "--gas-level", SECRET],
    ["add-goal", "c-1", "coping", "t", "--gas-level", f"{SECRET}=text"],
    ["add-goal", "c-1", "coping", "t", "--due", SECRET],
    ["add-goal", "c-1", "coping", "t", "--priority", SECRET],
    ["edit-goal", "c-1", "1", "--target", SECRET],
    ["edit-goal", "c-1", "1", "--baseline", "99"],
    ["edit-goal", "c-1", "1", "--clear", SECRET],
    ["edit-goal", "c-1", "1", "--title", f"{SECRET}\ttab"],
    ["remove-entry", "c-1", "1", SECRET],
    ["measure", "c-1", "phq9", "--responses", f"0,1,2,3,0,1,2,3,{SECRET}"],
    ["measure", "c-1", SECRET],
    ["goals", "c-1", "--status", SECRET],
    ["progress", "c-1", "--format", SECRET],
]


@pytest.mark.parametrize("args", BAD_VALUES, ids=lambda args: " ".join(args[:1] + args[2:3]))
def test_a_refused_value_is_never_repeated(home: Path, runner: CliRunner, args: list[str]) -> None:
    """The command is refused (exit 1 or 2) and stderr names the rule, not the value."""
    _phq9_client(runner)
    result = invoke(runner, *args)
    assert result.exit_code in (1, 2), result.stderr
    assert SECRET not in result.stderr
    assert "Traceback" not in result.stderr
    assert_private(result.stderr, result.stdout)


def test_a_refused_number_is_not_repeated(home: Path, runner: CliRunner) -> None:
    """`log c-1 1 30` on PHQ-9 names the rule: "value is outside the phq9 range 0-27"."""
    _phq9_client(runner)
    result = invoke(runner, "log", "c-1", "1", "30")
    assert result.stderr == "goaltrack: error: value is outside the phq9 range 0-27\n"


def test_stray_words_are_not_repeated(home: Path, runner: CliRunner) -> None:
    """Unquoted words after the value: a usage error that does not quote them (exit 2)."""
    client_with_goal(Store(home))
    result = invoke(runner, "log", "c-1", "1", "3", "feels", "hopeless")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: got unexpected extra arguments (not repeated here); put a text with spaces "
        "in quotes, or give it on stdin with '-'"
    )


#: Planning texts (issue 11's options): each reads stdin with '-'; (args, where it is stored).
PLANNING_STDIN = [
    (["new-client", "c-2", "--preference", "-"], ("client", "preferences", 0)),
    (["new-client", "c-2", "--strength", "-"], ("client", "strengths", 0)),
    (["add-objective", "c-2", "1", "-"], ("goals", 0, "objectives", 0, "text")),
    (["add-intervention", "c-2", "1", "-"], ("goals", 0, "interventions", 0, "technique")),
]


@pytest.mark.parametrize("args, where", PLANNING_STDIN, ids=lambda v: str(v[0]) if v else "")
def test_planning_texts_read_stdin(
    home: Path, runner: CliRunner, args: list[str], where: tuple[object, ...]
) -> None:
    """`--preference -`, `--strength -`, `add-objective ... -`, `add-intervention ... -`."""
    if args[0] != "new-client":
        invoke(runner, "new-client", "c-2", "--concern", "grief")
        invoke(runner, "add-goal", "c-2", "coping", "Grieve at a pace")
    result = invoke(runner, *args, input="kept private\n")
    assert result.exit_code == 0, result.stderr
    value: object = _stored(home, "c-2")
    for key in where:
        value = value[key]  # type: ignore[index]
    assert value == "kept private"


def test_goal_concern_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`add-goal --concern -` links the goal to the concern named on stdin."""
    invoke(runner, "new-client", "c-2", "--concern", "grief")
    result = invoke(runner, "add-goal", "c-2", "coping", "Walk", "--concern", "-", input="grief\n")
    assert result.exit_code == 0, result.stderr
    assert _stored(home, "c-2")["goals"][0]["concern"] == "grief"  # type: ignore[index]


PLANNING_BAD = [
    ["edit-client", "c-1", "--remove-strength", SECRET],
    ["edit-client", "c-1", "--remove-preference", SECRET],
    ["add-goal", "c-1", "coping", "t", "--concern", SECRET],
    ["add-goal", "c-1", "--template", SECRET.lower()],
    ["edit-client", "c-1", "--remove-concern", "grief"],  # a goal serves it: names no concern
]


@pytest.mark.parametrize("args", PLANNING_BAD, ids=lambda args: " ".join(args[:1] + args[2:3]))
def test_planning_refusals_repeat_no_value(home: Path, runner: CliRunner, args: list[str]) -> None:
    """Refused planning changes name the rule, never the text typed or a stored concern."""
    _phq9_client(runner)
    invoke(runner, "edit-goal", "c-1", "1", "--concern", "grief")
    result = invoke(runner, *args)
    assert result.exit_code == 1, result.stderr
    assert SECRET not in result.stderr and SECRET.lower() not in result.stderr
    assert "grief" not in result.stderr


def test_risk_review_by_dash_reads_stdin(home: Path, runner: CliRunner) -> None:
    """`risk-review --by -` stores the reviewer's name from stdin."""
    invoke(runner, "new-client", "c-2")
    result = invoke(runner, "risk-review", "c-2", "--by", "-", input="Dr. Q\n")
    assert result.exit_code == 0, result.stderr
    reviews = _stored(home, "c-2")["client"]["risk_reviews"]  # type: ignore[index]
    assert [review["by"] for review in reviews] == ["Dr. Q"]  # type: ignore[union-attr]
