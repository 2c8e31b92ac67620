"""Warnings the core raises while a command still succeeds, for the CLI to print at its end.

The core never prints: a reader that finds something a person should know (a client file that
may have been cut short) records it here, and the CLI's one boundary (cli/app.py) prints each
once, after the command's own output, as a `goaltrack: warning:` line on stderr.
"""

from __future__ import annotations

_PENDING: list[str] = []


def note(message: str) -> None:
    """Record a warning for this invocation (a repeated message is kept once)."""
    if message not in _PENDING:
        _PENDING.append(message)


def drain() -> list[str]:
    """The warnings recorded so far, emptied as they are returned."""
    pending = list(_PENDING)
    _PENDING.clear()
    return pending
