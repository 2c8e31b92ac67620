"""The comparisons of issue 10 ("What must be shown"), each a row: A against B and its bar.

A row whose bar is None gets "no slower than today" from the recorded baseline (run.py).
Commands that change their data get a fresh copy before every run (`prepare`, untimed);
commands that only read share one scratch copy, so the cache itself is never touched.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from timing import Command, Pairs

if TYPE_CHECKING:
    from scales import Data, Scale

HERE = Path(__file__).resolve().parent
#: How `clients` (and `attention`) are told to skip the caseload index, once it exists.
NO_INDEX_FLAG = "--no-index"
#: The date `log` records (fixed, so every run does the same work), and the as-of day it runs
#: on (GOALTRACK_AS_OF): the data is anchored in mid-2025, and `log` refuses a date more than a
#: year before today, so the day is fixed too, or the row would fail as the calendar moves on.
LOG_DATE = "2025-07-01"
CLIENT = "c-00001"


@dataclass
class Row:
    """One comparison: A against B, its bar, and (after the run) its pairs."""

    key: str
    title: str
    a: Command | None
    b: Command | None
    limit: float | None = None  # A/B at most this; None: "no slower than today"
    memory_mb: float | None = None  # peak RSS of A under this many MB
    skip: str | None = None
    bar: str = ""
    pairs: Pairs | None = None
    error: str | None = None
    today: float | None = None  # the baseline ratio, when one is recorded

    def __post_init__(self) -> None:
        if self.limit is not None and not self.bar:
            self.bar = f"<= {self.limit:g}x"


def fresh_copy(source: Path | None, target: Path) -> Callable[[], None]:
    """A `prepare` that replaces `target` with a copy of `source` (or with nothing)."""

    def prepare() -> None:
        shutil.rmtree(target, ignore_errors=True)
        if source is not None:
            shutil.copytree(source, target)

    return prepare


def expect_json(path: tuple[str, ...], wanted: int, what: str) -> Callable[[str], str | None]:
    """A check that the JSON output has `wanted` at `path` (a list's length, or a number)."""

    def check(stdout: str) -> str | None:
        found = json.loads(stdout)
        for key in path:
            found = found[key]
        count = len(found) if isinstance(found, list) else found
        return None if count == wanted else f"{what}: {count}, not {wanted}"

    return check


def expect_text(pattern: str) -> Callable[[str], str | None]:
    """A check that stdout matches a regular expression."""

    def check(stdout: str) -> str | None:
        return None if re.search(pattern, stdout) else f"output does not match {pattern!r}"

    return check


class Bench:
    """What the rows are built from: the data, the programs, a scratch folder."""

    def __init__(
        self,
        data: Data,
        scale: Scale,
        scratch: Path,
        env: dict[str, str],
        task: list[str] | None,
        taskrc: Path,
    ) -> None:
        script = Path(sys.executable).parent / "goaltrack"
        self.gt = [str(script)] if script.exists() else [sys.executable, "-m", "goaltrack"]
        self.data, self.scale, self.scratch, self.env = data, scale, scratch, env
        self.task = task
        self.task_env = {**env, "TASKRC": str(taskrc)}
        self.places = {
            str(scratch): "$SCRATCH",
            str(data.caseload.parent): "$CACHE",
            str(HERE): "benchmarks",
            self.gt[0]: "goaltrack",
            sys.executable: "python",
            **({task[0]: "task"} if task else {}),
        }

    def shown(self, argv: list[str]) -> str:
        """A command line for the report, with the long paths named ($SCRATCH, $CACHE...)."""
        text = " ".join(shlex.quote(part) for part in argv)
        for place in sorted(self.places, key=len, reverse=True):
            text = text.replace(place, self.places[place])
        return text

    def cmd(
        self,
        label: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        prepare: Callable[[], None] | None = None,
        expect: Callable[[str], str | None] | None = None,
    ) -> Command:
        """A Command run in the scratch folder, shown with named paths."""
        env = env or self.env
        command = Command(label, argv, env, self.scratch, prepare, expect)
        own = [f"{name}={value}" for name, value in env.items() if self.env.get(name) != value]
        command.shown = self.shown([*own, *argv])
        return command

    def copy(self, source: Path, name: str) -> Path:
        """A scratch copy of cached data for commands that only read it."""
        target = self.scratch / name
        if not target.exists():
            shutil.copytree(source, target)
        return target

    def goaltrack(
        self,
        label: str,
        home: Path,
        *args: str,
        prepare: Callable[[], None] | None = None,
        expect: Callable[[str], str | None] | None = None,
    ) -> Command:
        """`goaltrack --home HOME ARGS...`."""
        argv = [*self.gt, "--home", str(home), *args]
        return self.cmd(label, argv, prepare=prepare, expect=expect)

    def gt_import(self, csv: Path, rows: int, clients: int) -> Command:
        """Import `csv` into an empty home (a new one every run)."""
        target = self.scratch / f"import-{rows}-{clients}"
        where = "one client" if clients == 1 else f"{clients} clients"
        return self.goaltrack(
            f"goaltrack import: {rows:,} rows into {where}, empty home",
            target,
            *("import", str(csv), "-f", "json"),
            prepare=fresh_copy(None, target),
            expect=expect_json(("totals", "entries_added"), rows, "entries added"),
        )

    def gt_log(self, source: Path, what: str) -> Command:
        """`log` one value on goal 1 of a fresh copy of `source`, on the as-of day LOG_DATE.

        The copy's caseload index is warm for the copy, as a home in use has it after its
        last command (the generator writes client files only, and a copy gives every file a
        new inode, which the index keys rows by): each run first lists the copy's clients,
        untimed, so the row times the steady state of a write, not the one-off rebuild of a
        client's row."""
        target = self.scratch / f"log-{source.name}"
        copy = fresh_copy(source, target)
        warm = [*self.gt, "--home", str(target), "clients", "-f", "json"]

        def prepare() -> None:
            copy()
            subprocess.run(warm, env=self.env, stdout=subprocess.DEVNULL, check=True)

        argv = [*self.gt, "--home", str(target), "log", CLIENT, "1", "7", "--date", LOG_DATE]
        return self.cmd(
            f"goaltrack log: {what}",
            argv,
            env={**self.env, "GOALTRACK_AS_OF": LOG_DATE},
            prepare=prepare,
            expect=expect_text(r"\S"),
        )

    def task_cmd(
        self,
        label: str,
        data: Path,
        *args: str,
        prepare: Callable[[], None] | None = None,
        expect: Callable[[str], str | None] | None = None,
    ) -> Command | None:
        """`task ARGS...` on the data folder `data`, or None without Taskwarrior."""
        if self.task is None:
            return None
        env = {**self.task_env, "TASKDATA": str(data)}
        return self.cmd(label, [*self.task, *args], env=env, prepare=prepare, expect=expect)

    def has_text(self, needle: str, *args: str) -> bool:
        """True when `goaltrack ARGS` (a --help) prints `needle`."""
        argv = [*self.gt, *args]
        found = subprocess.run(argv, capture_output=True, text=True, env=self.env, check=False)
        return needle in found.stdout


def caseload_rows(bench: Bench, no_task: str | None) -> list[Row]:
    """`clients` (and `attention`, once it exists) over the caseload vs `task list`.

    With a caseload index (detected by NO_INDEX_FLAG in `clients --help`) there are two rows:
    warm index (built by the warm-up run) and no index. Without one, the only path there is
    (every file parsed) is the "no index" row and the warm row is SKIP.
    """
    scale, data = bench.scale, bench.data
    n, tasks = scale.clients, scale.list_tasks
    caseload = bench.copy(data.caseload, "caseload")
    task_list = None
    if data.tasks_list is not None:
        task_list = bench.task_cmd(
            f"task list: {tasks:,} tasks",
            bench.copy(data.tasks_list, "taskdata-list"),
            "list",
            expect=expect_text(rf"\b{tasks} tasks\b"),
        )
    has_index = bench.has_text(NO_INDEX_FLAG, "clients", "--help")
    has_attention = bench.has_text(" attention ", "--help")
    rows = []
    for command in ("clients", "attention"):
        missing = None
        if command == "attention" and not has_attention:
            missing = "goaltrack has no `attention` command yet"
        no_index = None if has_index else "goaltrack has no caseload index yet"
        args = (command, "-f", "json")
        expect = None
        if command == "clients":
            expect = expect_json(("clients",), n, "clients listed")
        cold_args = (*args, NO_INDEX_FLAG) if has_index else args
        cold_what = "no index" if has_index else "no index (every file parsed: today's only path)"
        for key, what, limit, extra, skip in (
            ("warm", "warm index", 2.0, args, missing or no_index),
            ("cold", cold_what, 10.0, cold_args, missing),
        ):
            a = bench.goaltrack(
                f"goaltrack {command} -f json: {n:,} clients, {what}",
                caseload,
                *extra,
                expect=expect,
            )
            title = f"Caseload: `{command} -f json` over {n:,} clients, {what.split(' (')[0]}"
            rows.append(
                Row(
                    f"{command}-{key}",
                    f"{title}, vs `task list` over {tasks:,} tasks",
                    a,
                    task_list,
                    limit,
                    memory_mb=100.0,
                    skip=skip or no_task,
                )
            )
    return rows


def define_rows(bench: Bench, why_no_task: str) -> list[Row]:
    """Every row of the bench, in the order of the issue's "What must be shown"."""
    scale, data, py = bench.scale, bench.data, sys.executable
    no_task = why_no_task if bench.task is None else None
    rows, many = scale.import_rows, scale.import_clients
    typical_what = "typical client, 3 goals x 50 entries"
    large_what = f"{scale.large_goals} goals x {scale.large_entries:,} entries"
    minimal = bench.cmd(
        "minimal one-command Typer app",
        [py, str(HERE / "minimal_app.py"), CLIENT, "1", "7", "--date", LOG_DATE],
        expect=expect_text(CLIENT),
    )
    imports = bench.cmd('python -c "import typer, pydantic"', [py, "-c", "import typer, pydantic"])
    task_import = bench.task_cmd(
        f"task import: {scale.import_tasks:,} tasks, fresh data folder",
        bench.scratch / "taskdata-import",
        *("import", str(data.tasks_import)),
        prepare=fresh_copy(None, bench.scratch / "taskdata-import"),
        expect=expect_text(r"\badd\b"),
    )
    typical = bench.copy(data.typical, "typical")
    large = bench.copy(data.large, "large")
    imported = bench.scratch / "imported"
    progress_large = bench.goaltrack(
        f"goaltrack progress -f json: {large_what}", large, "progress", CLIENT, "-f", "json"
    )
    task_export = None
    if data.tasks_list is not None:
        task_export = bench.task_cmd(
            f"task export: {scale.list_tasks:,} tasks",
            bench.copy(data.tasks_list, "taskdata-list"),
            "export",
        )
    return [
        *caseload_rows(bench, no_task),
        Row(
            "import-one",
            f"Bulk: import {rows:,} rows into one client vs `task import` of "
            f"{scale.import_tasks:,} tasks",
            bench.gt_import(data.csv_one, rows, 1),
            task_import,
            2.0,
            skip=no_task,
        ),
        Row(
            "import-many",
            f"Bulk: import {rows:,} rows across {many} clients vs `task import` of "
            f"{scale.import_tasks:,} tasks",
            bench.gt_import(data.csv_many, rows, many),
            task_import,
            2.0,
            skip=no_task,
        ),
        Row(
            "import-linear",
            f"Bulk: import {scale.linear_rows:,} rows vs {rows:,} rows, into one client",
            bench.gt_import(data.csv_linear, scale.linear_rows, 1),
            bench.gt_import(data.csv_one, rows, 1),
            2.2,
        ),
        Row(
            "log-typical",
            "Write path: `log` on a typical client (3 goals x 50 entries) vs the minimal Typer app",
            bench.gt_log(data.typical, typical_what),
            minimal,
            1.25,
        ),
        Row(
            "log-large",
            f"Write path: `log` on a client of {large_what} vs `log` on a typical client",
            bench.gt_log(data.large, large_what),
            bench.gt_log(data.typical, typical_what),
            1.5,
        ),
        Row(
            "log-large-imports",
            f'`log` on the client of {large_what} vs `python -c "import typer, pydantic"`',
            bench.gt_log(data.large, large_what),
            imports,
        ),
        Row(
            "progress-large",
            f"`progress -f json` on the client of {large_what} vs "
            '`python -c "import typer, pydantic"`',
            progress_large,
            imports,
        ),
        Row(
            "show-typical",
            "`show` on a typical client vs the minimal Typer app",
            bench.goaltrack(f"goaltrack show: {typical_what}", typical, "show", CLIENT),
            minimal,
        ),
        Row(
            "progress-typical",
            "`progress` on a typical client vs the minimal Typer app",
            bench.goaltrack(f"goaltrack progress: {typical_what}", typical, "progress", CLIENT),
            minimal,
        ),
        Row(
            "help",
            "Start-up: `goaltrack --help` vs the minimal Typer app's `--help`",
            bench.cmd("goaltrack --help", [*bench.gt, "--help"]),
            bench.cmd("minimal Typer app --help", [py, str(HERE / "minimal_app.py"), "--help"]),
        ),
        Row(
            "import-again",
            f"Bulk: the {rows:,} rows across {many} clients imported again (nothing to add) "
            f"vs `task import` of {scale.import_tasks:,} tasks",
            bench.goaltrack(
                f"goaltrack import: the same {rows:,} rows again, into the home they made",
                imported,
                *("import", str(data.csv_many), "-f", "json"),
                prepare=fresh_copy(data.imported_many, imported),
                expect=expect_json(("totals", "entries_present"), rows, "entries present"),
            ),
            # Not the first import: issue 10 made that faster, which raised this ratio while
            # the re-import's own time fell (baseline.json derives today's figure).
            task_import,
            skip=no_task,
        ),
        Row(
            "export-all",
            f"`export --all` of {many} clients ({rows:,} entries) vs `task export` of "
            f"{scale.list_tasks:,} tasks",
            bench.goaltrack(
                f"goaltrack export --all: {many} clients, {rows:,} entries",
                bench.copy(data.imported_many, "imported-read"),
                *("export", "--all"),
            ),
            task_export,
            skip=no_task,
        ),
    ]
