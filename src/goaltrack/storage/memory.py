"""How a large read treats the process's memory: glibc's malloc keeps what is freed, and a
one-command process keeps what it read until it exits.

Reading a large client file builds and frees tens of megabytes in turn: rtoml's tree of each
goal's part, the parsed tables, the text of the proof. By default glibc serves every block of
128 KB or more with its own `mmap` and gives it back on `free`, and trims the heap's top, so
each next step touches fresh pages, and every fresh page is a page fault the kernel serves
(about 10,000 of them, a tenth of a second of system time on a loaded machine, for the bench's
10 goals x 1,000 entries). A process of goaltrack lives for one command: keeping what it
freed, to use again, costs no more memory than its peak.

Measured with `farm-bench` on `log` over that client: about 5% less wall time (docs/
performance.md). Nothing happens where `mallopt` is missing (musl, macOS): the program is the
same, only slower there.

A process that runs one command and exits (the command line's `main` says so) need not free
a large record object by object once a write is done (some 5 ms for 10,000 entries): the
operating system takes the memory back whole at exit. `keep_until_exit` holds such objects
then; in any other process (the test suite, a program using goaltrack as a library) it does
nothing.
"""

from __future__ import annotations

import contextlib
import functools

# glibc's malloc.h: parameters of mallopt().
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks below this come from the heap, which keeps them when freed (glibc's cap on 64-bit).
_MMAP_THRESHOLD = 32 * 1024 * 1024
#: The heap's free top is given back to the system only past this.
_TRIM_THRESHOLD = 256 * 1024 * 1024


@functools.cache
def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse in this process; True if it took.

    Called once a large file is about to be read (not for a typical client: loading ctypes
    costs about 2 ms, more than a small file would gain)."""
    with contextlib.suppress(OSError, AttributeError, ImportError):
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        taken: bool = mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) == 1
        trimmed: bool = mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD) == 1
        return taken and trimmed
    return False


class _Lifetime:
    """Whether this process runs one command and exits (set by the command line's `main`)."""

    one_command = False
    kept: list[object] = []  # noqa: RUF012 - one list for the process, on purpose


def one_command_process() -> None:
    """Say that this process runs one command and exits (`cli.app.main`)."""
    _Lifetime.one_command = True


def is_one_command_process() -> bool:
    """True once the command line's `main` has said this process runs one command."""
    return _Lifetime.one_command


def keep_until_exit(*objects: object) -> None:
    """Hold `objects` until the process exits, in a one-command process (see the module)."""
    if _Lifetime.one_command:
        _Lifetime.kept.extend(objects)
