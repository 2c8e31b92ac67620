"""A command ends without tearing the interpreter down, once its output is out (cli/app.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import EXAMPLES

CHILD = """
import sys
{prelude}
class Teardown:
    def __del__(self):
        sys.stderr.write("torn down\\n")
sys.modules["teardown_probe"] = Teardown()
from goaltrack.cli.app import main
sys.argv = ["goaltrack", *sys.argv[1:]]
main()
"""


def _run(*args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run goaltrack's entry point in a child that notices the interpreter's teardown."""
    code = CHILD.format(prelude=prelude)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, env=env
    )


def test_a_command_ends_without_the_teardown_and_its_output_is_whole() -> None:
    """`export --all` of the example caseload: all of stdout arrives, exit 0, no teardown."""
    done = _run("--home", str(EXAMPLES), "export", "--all")
    assert done.returncode == 0
    assert done.stdout.rstrip().endswith("}")
    assert done.stdout.count('"client"') >= 3
    assert "torn down" not in done.stderr


def test_a_refused_command_keeps_its_exit_code() -> None:
    """An unknown client: exit 1 and its one-line error, still without the teardown."""
    done = _run("--home", str(EXAMPLES), "show", "c-0000")
    assert done.returncode == 1
    assert done.stderr.startswith("goaltrack: error: no client 'c-0000'")
    assert "torn down" not in done.stderr


def test_under_coverage_the_interpreter_ends_as_usual() -> None:
    """A process that coverage measures ends normally (coverage saves its data at exit)."""
    prelude = 'import types; sys.modules["coverage"] = types.ModuleType("coverage")'
    done = _run("--version", prelude=prelude)
    assert done.returncode == 0
    assert "torn down" in done.stderr
