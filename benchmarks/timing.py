"""Timing whole processes, A against B, with the standard library only.

Each comparison runs A and B once each to warm up (caches, bytecode, an index), then alternates
A B A B ... so that a change in the machine's load hits both sides alike. Every pair gives a
ratio A/B; the median of those ratios is the figure quoted, next to the median wall times.
Wall time is taken around the whole process (fork, exec, interpreter start, imports, work,
exit); peak memory is the process's maximum resident set size from `os.wait4`'s rusage.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """A measured command failed or produced the wrong output: its row cannot be trusted."""


@dataclass
class Command:
    """One process to time: its argv and environment, how to set it up, how to check it."""

    label: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    #: Runs before every run, untimed (e.g. a fresh copy of the data the command changes).
    prepare: Callable[[], None] | None = None
    #: Checks the warm-up run's stdout; returns a problem, or None when the output is right.
    expect: Callable[[str], str | None] | None = None
    #: The command line as the report shows it (long paths named).
    shown: str = ""


@dataclass
class Sample:
    """One timed run: wall-clock seconds and peak resident memory in bytes."""

    seconds: float
    peak_rss: int


@dataclass
class Pairs:
    """The timed runs of a comparison, A and B alternated."""

    a: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        """A/B of each pair."""
        return [x.seconds / y.seconds for x, y in zip(self.a, self.b, strict=True)]

    @property
    def ratio(self) -> float:
        """The median ratio of the pairs."""
        return statistics.median(self.ratios)

    @staticmethod
    def median_seconds(samples: list[Sample]) -> float:
        """The median wall time of some runs."""
        return statistics.median(sample.seconds for sample in samples)

    @staticmethod
    def peak(samples: list[Sample]) -> int:
        """The highest peak RSS of some runs, in bytes."""
        return max(sample.peak_rss for sample in samples)


def run_once(command: Command, scratch: Path, keep_stdout: bool = False) -> tuple[Sample, str]:
    """Prepare and run `command` once; return its sample and (when asked) its stdout.

    The process is started with a plain fork and exec, not vfork or posix_spawn: with those the
    child inherits the parent's peak memory as its own, and ru_maxrss would say more about this
    runner than about the command. stdout and stderr go to files in `scratch`, the same for
    both sides; a non-zero exit is a BenchError quoting the end of stderr.
    """
    if command.prepare is not None:
        command.prepare()
    out_path, err_path = scratch / "stdout", scratch / "stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: only async-signal-safe work, then exec or die
            try:
                os.chdir(command.cwd)
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                os.execve(command.argv[0], command.argv, command.env)
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip()[-300:]
        raise BenchError(f"{command.label!r} exited {code}: {' / '.join(tail.splitlines())}")
    stdout = out_path.read_text(encoding="utf-8", errors="replace") if keep_stdout else ""
    # Linux gives ru_maxrss in kilobytes.
    return Sample(seconds, usage.ru_maxrss * 1024), stdout


def warm_up(command: Command, scratch: Path) -> Sample:
    """One untimed run whose output is checked; its sample only sizes the number of runs."""
    sample, stdout = run_once(command, scratch, keep_stdout=command.expect is not None)
    if command.expect is not None:
        problem = command.expect(stdout)
        if problem is not None:
            raise BenchError(f"{command.label!r}: {problem}")
    return sample


def compare(
    a: Command,
    b: Command,
    scratch: Path,
    runs: int,
    min_runs: int,
    budget: float,
    progress: Callable[[str], None] = lambda _: None,
) -> Pairs:
    """Warm A and B up, then time A B A B ... and return the pairs.

    The number of pairs is `runs`, lowered to fit `budget` seconds (judged by the warm-up)
    but never below `min_runs`, so that slow rows still finish in reasonable time.
    """
    first = warm_up(a, scratch)
    second = warm_up(b, scratch)
    per_pair = first.seconds + second.seconds
    count = max(min_runs, min(runs, int(budget // max(per_pair, 1e-9))))
    pairs = Pairs()
    for n in range(count):
        pairs.a.append(run_once(a, scratch)[0])
        pairs.b.append(run_once(b, scratch)[0])
        progress(
            f"  pair {n + 1}/{count}: {pairs.a[-1].seconds:.3f} s / {pairs.b[-1].seconds:.3f} s"
        )
    return pairs
