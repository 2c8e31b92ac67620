"""`goaltrack schema` (JSON Schema of a client file) and shell completion from the data."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from goaltrack.cli import complete
from helpers import DERIVED_FILES, EXAMPLES, invoke, run_cli


def _as_json(value: Any) -> Any:
    """TOML data as a TOML language server sees it: dates become strings."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


@pytest.fixture
def validator(runner: CliRunner) -> Draft202012Validator:
    """A validator for the schema `goaltrack schema` prints."""
    result = invoke(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _example() -> dict[str, Any]:
    text = (EXAMPLES / "clients" / "c-1042.toml").read_text(encoding="utf-8")
    return _as_json(tomllib.loads(text))  # type: ignore[no-any-return]


def test_schema_accepts_every_example_file(validator: Draft202012Validator) -> None:
    """The shipped client files satisfy the schema."""
    for path in sorted((EXAMPLES / "clients").glob("*.toml")):
        data = _as_json(tomllib.loads(path.read_text(encoding="utf-8")))
        assert list(validator.iter_errors(data)) == [], path.name


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["goals"][0].update(kind="symptoms"), ["goals", 0, "kind"]),
        (lambda d: d["goals"][0].update(typo=1), ["goals", 0]),
        (lambda d: d["client"].update(id="C 1042"), ["client", "id"]),
        (
            lambda d: d["goals"][0]["progress"][0].update(value="17"),
            ["goals", 0, "progress", 0, "value"],
        ),
        (lambda d: d["goals"][0].update(due="15/12/2026"), ["goals", 0, "due"]),
        (lambda d: d.pop("schema_version"), []),
    ],
)
def test_schema_catches_typical_hand_edit_mistakes(
    validator: Draft202012Validator, edit: Any, where: list[Any]
) -> None:
    """A wrong kind, an unknown key, a bad id, a quoted number, a bad date, a missing version."""
    data = _example()
    edit(data)
    errors = list(validator.iter_errors(data))
    assert errors, "the schema accepted a broken file"
    assert any(list(error.absolute_path)[: len(where)] == where for error in errors)


def test_schema_to_file(runner: CliRunner, tmp_path: Path) -> None:
    """-o writes the schema to a file, readable by the editor."""
    target = tmp_path / "client.schema.json"
    result = invoke(runner, "schema", "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["title"] == "goaltrack client file"


# ---- completion ------------------------------------------------------------------------------


@pytest.fixture
def caseload(home: Path) -> Path:
    """A writable copy of the example caseload as the home."""
    shutil.copytree(EXAMPLES, home, ignore=DERIVED_FILES)
    os.chmod(home, 0o700)
    return home


def _complete_bash(words: str, env: dict[str, str] | None = None) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    result = run_cli(
        env={
            "_GOALTRACK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
            **(env or {}),
        }
    )
    assert result.returncode == 0
    assert result.stderr == ""
    return result.stdout.split()


def test_client_ids_complete_in_bash(caseload: Path) -> None:
    """`goaltrack show c-<TAB>` offers the client ids of the home."""
    assert _complete_bash("goaltrack show c-") == ["c-1042", "c-2077", "c-3150", "c-4208"]
    assert _complete_bash("goaltrack progress c-2") == ["c-2077"]


def test_goal_numbers_complete_for_the_named_client(caseload: Path) -> None:
    """`goaltrack log c-1042 <TAB>` offers that client's goal numbers."""
    assert _complete_bash("goaltrack log c-1042 ") == ["1", "2", "3"]
    assert _complete_bash("goaltrack edit-goal c-4208 ") == ["1", "2", "3", "4"]


def test_completion_honours_home_option(tmp_path: Path) -> None:
    """--home on the line points the completer at that home."""
    assert _complete_bash(f"goaltrack --home {EXAMPLES} export c-3") == ["c-3150"]


def test_zsh_completion_shows_goal_titles(caseload: Path) -> None:
    """In zsh each goal number comes with its title."""
    result = run_cli(
        env={"_GOALTRACK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "goaltrack log c-1042 "}
    )
    assert '"1":"Reduce depressive symptoms"' in result.stdout


def test_completers_are_silent_on_missing_or_broken_data(home: Path) -> None:
    """No home, or a corrupt file: no candidates, no output, no exception."""

    class Ctx:
        params: ClassVar[dict[str, str]] = {"client_id": "c-1"}

        def find_root(self) -> Any:
            return type("Root", (), {"params": {"home": None}})()

    assert complete.client_ids(Ctx(), "") == []
    (home / "clients").mkdir(parents=True)
    (home / "clients" / "c-1.toml").write_text("[[goals]\n", encoding="utf-8")
    assert complete.client_ids(Ctx(), "") == ["c-1"]
    assert complete.goal_numbers(Ctx(), "") == []
    Ctx.params = {"client_id": "../etc/passwd"}
    assert complete.goal_numbers(Ctx(), "") == []


def test_new_client_does_not_complete_existing_ids(caseload: Path) -> None:
    """new-client takes a new id, so existing ids are not offered."""
    assert _complete_bash("goaltrack new-client c-") == []


@pytest.mark.skipif(shutil.which("taplo") is None, reason="taplo is not installed")
def test_taplo_checks_hand_edits_with_the_schema(runner: CliRunner, tmp_path: Path) -> None:
    """With the documented .taplo.toml, taplo accepts a good file and flags a wrong kind."""
    import subprocess

    home = tmp_path / "home"
    (home / "clients").mkdir(parents=True)
    shutil.copy(EXAMPLES / "clients" / "c-1042.toml", home / "clients")
    bad = (EXAMPLES / "clients" / "c-2077.toml").read_text(encoding="utf-8")
    (home / "clients" / "c-2077.toml").write_text(
        bad.replace('kind = "trauma-resolution"', 'kind = "trauma"')
    )
    assert invoke(runner, "schema", "-o", str(home / "client.schema.json")).exit_code == 0
    (home / ".taplo.toml").write_text(
        'include = ["clients/*.toml"]\n\n[schema]\npath = "./client.schema.json"\n'
    )

    def check(name: str) -> int:
        done = subprocess.run(
            ["taplo", "check", f"clients/{name}"],
            cwd=home,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode

    assert check("c-1042.toml") == 0
    assert check("c-2077.toml") != 0
