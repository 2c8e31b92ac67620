"""The sizes of the benchmark data sets, and where the generated sets are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scale:
    """The sizes of the data sets and how many pairs to time."""

    clients: int
    large_goals: int
    large_entries: int
    import_rows: int
    import_clients: int
    linear_rows: int
    list_tasks: int
    import_tasks: int
    runs: int
    min_runs: int
    budget: float  # seconds of timed pairs per comparison, before runs are cut (never < min_runs)


FULL = Scale(2000, 10, 1000, 10_000, 50, 20_000, 10_000, 9_000, 7, 3, 180.0)
QUICK = Scale(100, 10, 100, 1_000, 10, 2_000, 1_000, 900, 3, 3, 15.0)


@dataclass
class Data:
    """Where the generated data sets are (cached, read-only: commands get scratch copies)."""

    caseload: Path
    typical: Path
    large: Path
    csv_one: Path
    csv_many: Path
    csv_linear: Path
    tasks_import: Path
    tasks_list: Path | None
    imported_many: Path  # the home after importing csv_many
