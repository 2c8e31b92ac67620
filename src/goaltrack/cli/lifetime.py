"""A one-command process: what the command line asks of the runtime as it starts and ends.

`goaltrack` runs one command and exits, often many times in a shell loop, so the interpreter's
housekeeping is a visible share of a command (docs/performance.md):

- The cycle collector scanned, on every pass, the objects the imports built (Pydantic's
  validators, Typer's parameters), which live until exit: they are frozen once the command's
  modules are imported, and the collector runs once per COLLECT_EVERY allocations, not every
  700 (what a command builds are trees that reference counting frees).
- At exit CPython frees every module and object one by one: once every exit handler has run
  and the output is flushed, a command that ended as commands end leaves by `os._exit`.

Only the command line's `main` starts this (`begin`); the app run inside another program (the
test suite, a library user) keeps the interpreter's usual behaviour.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

from goaltrack.storage.memory import is_one_command_process, one_command_process

#: Allocations between two runs of the cycle collector in a command (CPython's default: 700).
COLLECT_EVERY = 200_000


class _Process:
    """How this process's command ended: an exit code (None while it runs, or after an
    uncaught error)."""

    code: int | None = None


def begin() -> None:
    """Make this process a one-command process (the command line's `main`, before the app)."""
    one_command_process()
    atexit.register(_leave)  # the first exit handler runs last, after every other one


def imports_done() -> None:
    """The command's modules are imported: freeze what they built and space the collections
    (a one-command process only)."""
    if is_one_command_process():
        gc.freeze()
        gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])


def ended(code: object) -> None:
    """The command ended with `SystemExit(code)`, as every command ends."""
    _Process.code = code if isinstance(code, int) else (0 if code is None else 1)


def at_exit() -> None:
    """The app has returned (or raised): exit then frees objects by reference counting alone,
    the collector's passes over every object (about 30 ms of `log`) finding nothing to save."""
    gc.freeze()


def _leave() -> None:
    """End the process once every exit handler has run, without tearing the interpreter down.

    By then the command's files are written, synced and closed (the store's write path, the
    audit log, the index), its children waited for, and threads joined; what remains is
    CPython freeing every module and object one by one, about 10 ms of a `log` and more after
    reading a large client, for memory the process is about to give back whole. The output
    streams are flushed first; if that fails (a reader closed the pipe) or the command did not
    end normally, or coverage is measuring this process (it saves its data at exit), the
    interpreter ends as usual."""
    code = _Process.code
    if code is None or "coverage" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
