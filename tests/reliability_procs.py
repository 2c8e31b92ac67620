"""Helpers of the reliability suites: forked worker processes and store fixtures."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer.testing
from typer.testing import CliRunner, Result

from goaltrack import operations as changes
from goaltrack.cli.app import app
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import GoalKind
from goaltrack.storage.store import CLIENT_SUFFIX, TEMP_SUFFIX, Store

D = date(2026, 9, 1)


def fork(work: Callable[[], None]) -> int:
    """Run `work` in a child process (a real process: it can be killed); returns its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def wait_all(pids: list[int]) -> list[int]:
    """Wait for every child; their exit codes."""
    codes = []
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
    return codes


def kill(pid: int) -> None:
    """SIGKILL a child and reap it."""
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def client_with_goal(store: Store, client_id: str = "c-1") -> None:
    """Create a client with one goal (no measure, so any value is accepted)."""
    store.create(changes.new_client_record(client_id, created=D))
    fields = changes.GoalFields(kind=GoalKind.COPING, title="Use breathing skills")
    store.update(
        client_id,
        lambda r: changes.add_goal(r, fields, builtin_registry(), default_measure=False, created=D),
    )


def log_and_ack(store: Store, client_id: str, value: int, note: str, ack_fd: int) -> None:
    """Log one entry; only once the store returned, write its id to the ack file."""
    entry = changes.EntryFields(value=value, date=D, note=note)
    entry_id = store.update(client_id, lambda r: changes.log_value(r, 1, entry, builtin_registry()))
    os.write(ack_fd, f"{entry_id}\n".encode())


def read_acks(path: Path) -> list[str]:
    """The entry ids a worker acknowledged."""
    return path.read_text().split() if path.exists() else []


def entry_ids_on_disk(store: Store, client_id: str = "c-1") -> list[str]:
    """Every entry id in the client's file, read fresh (parsing and validating it)."""
    fresh = Store(store.home)
    return [entry.id for goal in fresh.load(client_id).goals for entry in goal.progress]


def temp_files(store: Store) -> list[str]:
    """Temp files left in the clients folder."""
    return sorted(
        p.name
        for p in store.clients_dir.iterdir()
        if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)
    )


def client_files(store: Store) -> list[str]:
    """Client files in the clients folder."""
    return sorted(p.name for p in store.clients_dir.glob(f"*{CLIENT_SUFFIX}"))


_COMMANDS: dict[int, Any] = {}


def fast_invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    """`conftest.invoke`, with Typer's command tree built once (it costs ~25 ms per call)."""
    real = typer.testing._get_command

    def cached(app: Any) -> Any:
        if id(app) not in _COMMANDS:
            _COMMANDS[id(app)] = real(app)
        return _COMMANDS[id(app)]

    typer.testing._get_command = cached
    try:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)
    finally:
        typer.testing._get_command = real
