"""Time the commands a shell loop or a group practice runs most (wall clock, median of runs).

    .venv/bin/python benchmarks/cli_timings.py [--clients 2000] [--runs 5]

Builds a scratch caseload of N clients (3 goals x 12 entries each) in a temp folder, then times
`--help`, `log` on one client, `show`, `progress`, and `clients --json` over the whole caseload.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from goaltrack.records.model import (
    Client,
    ClientRecord,
    Goal,
    GoalKind,
    ProgressEntry,
    new_entry_id,
)
from goaltrack.storage.store import Store


def build(home: Path, count: int) -> None:
    store = Store(home)
    start = date(2025, 1, 6)
    for n in range(count):
        goals = [
            Goal(
                number=g + 1,
                kind=list(GoalKind)[g],
                title=f"Goal {g + 1}",
                measure="phq9",
                baseline=19,
                target=9,
                created=start,
                progress=[
                    ProgressEntry(
                        id=new_entry_id(),
                        date=start + timedelta(days=7 * i),
                        value=max(0, 19 - i),
                        session=i + 1,
                        note="weekly check-in",
                    )
                    for i in range(12)
                ],
            )
            for g in range(3)
        ]
        store.create(ClientRecord(client=Client(id=f"c-{n:05d}", created=start), goals=goals))


def timed(args: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "goaltrack", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        began = time.perf_counter()
        build(home, options.clients)
        print(f"built {options.clients} clients in {time.perf_counter() - began:.1f} s")
        env = {**os.environ, "GOALTRACK_HOME": str(home), "COLUMNS": "120"}
        cases = [
            ["--help"],
            ["log", "c-00001", "1", "7"],
            ["show", "c-00001"],
            ["progress", "c-00001"],
            ["clients", "--json"],
            ["clients"],
        ]
        for args in cases:
            runs = options.runs if args[0] != "clients" else max(1, options.runs // 2)
            print(f"{' '.join(args):28s} {timed(args, env, runs) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
