"""Bad input: one line on stderr, a non-zero exit code, and every file byte-for-byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import invoke, run_cli, snapshot

BAD_COMMANDS = [
    # (args, exit code, words the message must contain)
    (["show", "nobody"], 1, "no client 'nobody'"),
    (["log", "nobody", "1", "3"], 1, "no client"),
    (["log", "c-1", "9", "3"], 1, "no goal 9"),
    (["edit-goal", "c-1", "9", "--status", "paused"], 1, "no goal 9"),
    (["remove-entry", "c-1", "1", "NOPE"], 1, "no entry"),
    (["show", "../x"], 1, "client id: must be 1-64 characters"),
    (["new-client", "../x"], 1, "client id: must be 1-64 characters"),
    (["new-client", "A/B"], 1, "client id: must be 1-64 characters"),
    (["log", "A/B", "1", "3"], 1, "client id: must be 1-64 characters"),
    (["new-client", "c-1"], 1, "already exists"),
    (["add-goal", "c-1", "happiness", "Be happy"], 2, "must be one of"),
    (["log", "c-1", "1", "abc"], 1, "value: must be a number"),
    (["log", "c-1", "1", "nan"], 1, "value: must be a number"),
    (["log", "c-1", "1", "3", "--date", "2026-13-45"], 1, "date: must be a date"),
    (["log", "c-1", "1", "3", "--date", "yesterday-ish"], 1, "date: must be a date"),
    (["log", "c-1", "1", "3", "--date", "2999-01-01"], 1, "in the future"),
    (["log", "c-1", "1", "3", "--rater", "mother"], 2, "must be one of"),
    (["add-goal", "c-1", "coping", "x", "--due", "soon"], 1, "due: must be a date"),
    (["add-goal", "c-1", "coping", "x", "--priority", "urgent"], 2, "must be one of"),
    (["add-goal", "c-1", "coping", "   "], 1, "title: must not be blank"),
    (["new-client", "c-2", "--concern", "x:fatal"], 1, "severity must be one of"),
    (["edit-client", "c-1"], 1, "nothing to change"),
    (["edit-goal", "c-1", "1"], 1, "nothing to change"),
    (["edit-goal", "c-1", "1", "--clear", "title"], 2, "must be one of"),
    (["clients", "--status", "gone"], 2, "must be one of"),
    (["log", "c-1", "1", "3", "--session", "0"], 2, ""),
    (["progress", "c-1", "--format", "xml"], 2, "must be one of"),
]


@pytest.mark.parametrize(("args", "code", "words"), BAD_COMMANDS, ids=lambda v: str(v))
def test_bad_input_is_refused_and_changes_nothing(
    runner: CliRunner, client_with_goal: str, home: Path, args: list[str], code: int, words: str
) -> None:
    """Each bad command exits non-zero with a one-line message and leaves every file alone."""
    before = snapshot(home)
    result = runner.invoke(__import__("goaltrack.cli.app").cli.app.app, args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert snapshot(home) == before
    if code == 1:
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("goaltrack: error: ")
        assert words in lines[0]
    else:  # a usage error: Click's message, naming the choices
        assert result.stdout == ""
        assert result.stderr.startswith("Usage: goaltrack ")
        assert words in result.stderr.strip().splitlines()[-1]


def _corrupt(home: Path) -> Path:
    path = home / "clients" / "c-1.toml"
    path.write_bytes(path.read_bytes()[:-40] + b"\n[[goals\n")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["log", "c-1", "1", "3"],
        ["add-goal", "c-1", "coping", "x"],
        ["edit-client", "c-1", "--name", "x"],
        ["edit-goal", "c-1", "1", "--status", "paused"],
        ["remove-entry", "c-1", "1", "X"],
        ["show", "c-1"],
        ["progress", "c-1"],
        ["goals", "c-1"],
        ["new-client", "c-1"],
    ],
)
def test_corrupt_file_is_never_rewritten(
    runner: CliRunner, client_with_goal: str, home: Path, args: list[str]
) -> None:
    """Every command on a hand-corrupted file fails (exit 3 or 1) and leaves it byte-identical."""
    path = _corrupt(home)
    before = snapshot(home)
    result = invoke(runner, *args)
    assert result.exit_code in (1, 3)
    if args[0] != "new-client":
        assert result.exit_code == 3
        assert str(path) in result.stderr
        assert "line" in result.stderr
    assert snapshot(home) == before


def test_clients_lists_the_rest_when_one_file_is_corrupt(
    runner: CliRunner, client_with_goal: str, home: Path
) -> None:
    """clients shows readable clients, warns about the corrupt one, and exits 3."""
    invoke(runner, "new-client", "c-2")
    _corrupt(home)
    result = invoke(runner, "clients", "--json")
    assert result.exit_code == 3
    assert '"c-2"' in result.stdout
    assert "c-1.toml" in result.stderr


def test_subprocess_errors_have_no_traceback(client_with_goal: str, home: Path) -> None:
    """A real run with bad input prints one line, no Python traceback, and exits 1 or 3."""
    result = run_cli("log", "c-1", "1", "abc")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    _corrupt(home)
    result = run_cli("log", "c-1", "1", "3")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_error_messages_never_quote_notes(runner: CliRunner, home: Path) -> None:
    """A file made invalid inside a note is reported by field, never by its text."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Breathe")
    invoke(runner, "log", "c-1", "1", "3", "--note", "SECRET-7781")
    path = home / "clients" / "c-1.toml"
    path.write_text(path.read_text().replace("value = 3", 'value = "SECRET-7781"'))
    for args in (["show", "c-1"], ["log", "c-1", "1", "4"], ["clients"]):
        result = invoke(runner, *args)
        assert result.exit_code == 3
        assert "SECRET-7781" not in result.stderr + result.stdout


def test_debug_env_shows_the_traceback(client_with_goal: str) -> None:
    """GOALTRACK_DEBUG=1 lets the exception through for developers."""
    result = run_cli("log", "c-1", "9", "3", env={"GOALTRACK_DEBUG": "1"})
    assert result.returncode != 0
    assert "Traceback" in result.stderr
