"""Helpers of the sync tests: real git in temporary folders, a bare remote and its clones.

Kept apart from helpers.py because only the sync tests need git. Every test gets a private
git environment: HOME is the test's folder (no global config), no system config, a fixed
author and committer.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from goaltrack.storage.tomltext import read_toml
from helpers import invoke


def private_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give git a private, reproducible environment for this test."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tester@example.invalid")
    (tmp_path / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")


def bare_remote(tmp_path: Path) -> Path:
    """An empty bare repository: the practice's shared remote."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    return remote


def gt(runner: CliRunner, home: Path, *args: str, input: str | None = None) -> Result:
    """Run goaltrack in-process on `home`."""
    return invoke(runner, "--home", str(home), *args, input=input)


def ok(runner: CliRunner, home: Path, *args: str, input: str | None = None) -> Result:
    """Run goaltrack on `home` and insist that it succeeded."""
    result = gt(runner, home, *args, input=input)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def git(home: Path, *args: str) -> str:
    """Run git in `home`; its stdout."""
    return subprocess.run(
        ["git", *args], cwd=home, check=True, capture_output=True, text=True
    ).stdout


def client_document(home: Path, client_id: str) -> dict:  # type: ignore[type-arg]
    """The parsed client file."""
    return read_toml((home / "clients" / f"{client_id}.toml").read_text(encoding="utf-8"))


def entry_ids(document: dict) -> list[str]:  # type: ignore[type-arg]
    """Every progress entry id of a client document."""
    return [e["id"] for g in document.get("goals", []) for e in g.get("progress", [])]
