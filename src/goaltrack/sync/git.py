"""The `git` command, run for goaltrack: never through a shell, never prompting, in English.

Sync uses the git the user has (their credentials, ssh keys and remotes work as they do in a
terminal): `Git(home).run(...)` runs one git command in the home and returns its output, or
raises SyncError with git's own last line. Every git goaltrack runs gets
`GIT_TERMINAL_PROMPT=0` (a missing password fails instead of hanging a script), `LC_ALL=C`
(messages goaltrack reads are git's English ones) and a umask of 077 (files git writes in the
home, a pulled client file included, are private, as every file goaltrack writes is).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from goaltrack.errors import GoaltrackError

#: The oldest git sync is tested with: `merge.<driver>` with %P (2.5), `--no-rebase`,
#: `init --initial-branch` (2.28), `config --default` (2.18).
MIN_GIT = (2, 28)
GIT_ENV = "GOALTRACK_GIT"


class SyncError(GoaltrackError):
    """Sync could not do what was asked (git missing or too old, a failed pull or push)."""

    exit_code = 3


@dataclass(frozen=True)
class Completed:
    """What one git command printed, and its exit status."""

    code: int
    stdout: str
    stderr: str


def git_program() -> str:
    """The git executable: $GOALTRACK_GIT, else `git` on PATH; SyncError when there is none."""
    chosen = os.environ.get(GIT_ENV) or shutil.which("git")
    if not chosen:
        raise SyncError("git is not installed (or not on PATH); sync needs git 2.28 or newer")
    return chosen


def git_version(program: str | None = None) -> tuple[int, int]:
    """The (major, minor) version of git; SyncError when it cannot be run or is too old."""
    program = program or git_program()
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, env=_env(), check=False
        )
    except OSError as error:
        raise SyncError(f"cannot run git ({program}): {error.strerror}") from None
    match = re.search(r"(\d+)\.(\d+)", done.stdout)
    if done.returncode != 0 or match is None:
        raise SyncError(f"cannot tell the version of git ({program})")
    version = (int(match.group(1)), int(match.group(2)))
    if version < MIN_GIT:
        raise SyncError(
            f"git {version[0]}.{version[1]} is too old; sync needs git "
            f"{MIN_GIT[0]}.{MIN_GIT[1]} or newer"
        )
    return version


def _env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANGUAGE": "C"})
    env.pop("GIT_DIR", None)  # the home's own repository, whatever the caller's shell says
    env.pop("GIT_WORK_TREE", None)
    if extra:
        env.update(extra)
    return env


class Git:
    """git commands run in one home (its work tree)."""

    def __init__(self, home: Path, program: str | None = None) -> None:
        self.home = home
        self.program = program or git_program()

    def call(
        self, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
    ) -> Completed:
        """Run `git ARGS` in the home and return what it printed, whatever its exit status."""
        try:
            done = subprocess.run(
                [self.program, *args],
                cwd=self.home,
                capture_output=True,
                text=True,
                input=stdin,
                env=_env(env),
                umask=0o077,
                check=False,
            )
        except OSError as error:
            raise SyncError(f"cannot run git ({self.program}): {error.strerror}") from None
        return Completed(done.returncode, done.stdout, done.stderr)

    def run(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        """Run `git ARGS` in the home; its stdout, or SyncError with git's last message line."""
        done = self.call(*args, env=env)
        if done.code != 0:
            raise SyncError(f"git {args[0]} failed: {last_line(done)}")
        return done.stdout

    def ok(self, *args: str) -> bool:
        """True when `git ARGS` exits 0 (a question to git, such as whether a ref exists)."""
        return self.call(*args).code == 0

    def lines(self, *args: str) -> list[str]:
        """The non-empty lines `git ARGS` prints (SyncError when it fails)."""
        return [line for line in self.run(*args).splitlines() if line.strip()]

    def config(self, key: str) -> str | None:
        """A value of the repository's config (None when it is not set)."""
        done = self.call("config", "--get", key)
        return done.stdout.strip() if done.code == 0 else None

    def is_repository(self) -> bool:
        """True when the home is the top of a git work tree."""
        return (self.home / ".git").exists() and self.ok("rev-parse", "--git-dir")

    def has_commits(self) -> bool:
        """True when the current branch has at least one commit."""
        return self.ok("rev-parse", "--verify", "--quiet", "HEAD")

    def commit_paths(self, message: str, paths: Sequence[str]) -> bool:
        """Commit the current state of `paths` only (added if new); False when none changed."""
        self.run("add", "--all", "--", *paths)
        if self.ok("diff", "--cached", "--quiet", "--", *paths):
            return False
        self.run("commit", "--quiet", "--no-verify", "-m", message, "--", *paths)
        return True


def last_line(done: Completed) -> str:
    """git's last message line (stderr, else stdout), the one that says why."""
    for text in (done.stderr, done.stdout):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1]
    return f"exit status {done.code}"
