"""`make bench`: every ratio of issue 10, side by side with Taskwarrior and a minimal Typer app.

    .venv/bin/python benchmarks/run.py [--out docs/performance.md] [--quick] [--runs 7]
        [--clients 2000] [--only WORD] [--cache DIR] [--save-baseline]

Builds (or reuses from the cache) the synthetic data of `generate.py`, then times each
comparison of the issue's "What must be shown" list in real processes, A and B alternated
(`timing.py`), and prints one table: the median ratio of the pairs, its bar, PASS or FAIL, and
peak memory. With --out it writes that table, the machine and how to reproduce it as Markdown.
Taskwarrior runs with its own rc file and data folders in a scratch folder, never a user's.
A row that cannot run (no `task`, a command goaltrack does not have yet) is SKIP, with why.

--quick uses small data and 3 pairs a row: for trying the harness, not for figures.
--save-baseline stores this run's ratios in benchmarks/baseline.json as "today": the rows whose
bar is "no slower than today" compare with it (within BASELINE_TOLERANCE, for noise).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import report
from rows import Bench, Row, define_rows
from scales import FULL, QUICK, Data, Scale
from timing import BenchError, compare

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
#: "No slower than today" allows this factor over today's ratio, for the noise of a shared machine.
BASELINE_TOLERANCE = 1.10


def say(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(message, file=sys.stderr, flush=True)


def build_data(cache: Path, scale: Scale, task: list[str] | None, rc: Path) -> Data:
    """Every data set of the bench, from the cache or built now (by generate.py, in its own
    process: this one stays small, since a child's peak memory reads no lower than its
    parent's memory at the fork)."""
    sizes = {
        name: getattr(scale, name)
        for name in (
            "clients",
            "large_goals",
            "large_entries",
            "import_rows",
            "import_clients",
            "linear_rows",
            "list_tasks",
            "import_tasks",
        )
    }
    argv = [sys.executable, str(HERE / "generate.py"), "bench", str(cache)]
    argv += ["--sizes", json.dumps(sizes)]
    if task is not None:
        argv += ["--task", task[0], "--taskrc", str(rc)]
    found = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True, env=clean_env())
    paths = {name: Path(path) if path else None for name, path in json.loads(found.stdout).items()}
    return Data(**paths)  # type: ignore[arg-type]


def clean_env() -> dict[str, str]:
    """This environment without goaltrack's and Taskwarrior's own variables, tables 100 wide."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GOALTRACK_", "TASK"))
    }
    return {**env, "COLUMNS": "100"}


def compile_goaltrack() -> None:
    """Write the bytecode of every goaltrack module, as an installed program has it.

    An editable install leaves that to the first run, and an environment with
    PYTHONDONTWRITEBYTECODE (some sandboxes and CI images set it) never writes it: every run
    would then compile each module changed since the last bytecode was written, and the
    rows would time the compiler, not goaltrack. Typer and Pydantic, installed by pip, have
    theirs."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "src" / "goaltrack"), quiet=1)


def find_task() -> tuple[list[str] | None, str]:
    """Taskwarrior's argv and version, or None and why it cannot be used."""
    path = shutil.which("task")
    if path is None:
        return None, "Taskwarrior (`task`) is not installed; `make bench` installs it with apt-get"
    found = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    version = found.stdout.strip()
    if found.returncode != 0 or re.fullmatch(r"\d+\.\d+\.\d+", version) is None:
        return None, f"`task --version` did not give a version ({version[:40]!r})"
    return [path], version


def write_taskrc(path: Path, version: str) -> None:
    """An rc file that keeps Taskwarrior to the scratch folder: no prompts, hooks or colour."""
    path.write_text(
        "# goaltrack bench: TASKDATA is set for every run; nothing of a real user's is read.\n"
        f"data.location={path.parent / 'taskdata-unused'}\n"
        "confirmation=off\n"
        "color=off\n"
        "hooks=off\n"
        f"news.version={version}\n",  # no "run task news" footnote after an upgrade
        encoding="utf-8",
    )


def apply_baseline(rows: list[Row], baseline: dict[str, object] | None, quick: bool) -> None:
    """Give each row today's ratio; rows without a bar of their own get "no slower than today".

    Today's ratios are for the full data, so --quick compares with none of them.
    """
    ratios = baseline.get("ratios", {}) if baseline and not quick else {}
    assert isinstance(ratios, dict)
    for row in rows:
        row.today = ratios.get(row.key)
        if row.limit is None and not row.bar:
            if row.today is None:
                why = "not with --quick" if quick else "no baseline recorded"
                row.bar = f"no slower than today ({why})"
            else:
                row.limit = row.today * BASELINE_TOLERANCE
                row.bar = (
                    f"<= today {row.today:.2f}x +{BASELINE_TOLERANCE - 1:.0%} = {row.limit:.2f}x"
                )


def measure(rows: list[Row], scale: Scale, scratch: Path) -> None:
    """Time every row that can run; a failing command makes its row ERROR, not the whole bench."""
    for row in rows:
        if row.skip is not None or row.a is None or row.b is None:
            row.skip = row.skip or "nothing to compare against"
            say(f"SKIP {row.key}: {row.skip}")
            continue
        say(f"{row.key}: {row.a.label} vs {row.b.label}")
        try:
            row.pairs = compare(
                row.a, row.b, scratch, scale.runs, scale.min_runs, scale.budget, progress=say
            )
        except (BenchError, OSError, ValueError, KeyError) as error:
            row.error = str(error)
            say(f"ERROR {row.key}: {error}")


def main() -> int:
    """Build the data, time every comparison, print the table and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the Markdown report here")
    parser.add_argument("--quick", action="store_true", help="small data, 3 pairs a row")
    parser.add_argument("--runs", type=int, help="pairs per row (default 7; 3 with --quick)")
    parser.add_argument("--clients", type=int, help="caseload size (default 2000)")
    parser.add_argument("--only", help="time only rows whose key starts so (comma-separated)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "goaltrack-bench",
        help="where generated data is kept between runs (default ~/.cache/goaltrack-bench)",
    )
    parser.add_argument("--save-baseline", action="store_true", help="record ratios as today's")
    options = parser.parse_args()
    scale = QUICK if options.quick else FULL
    if options.runs:
        scale = Scale(**{**scale.__dict__, "runs": options.runs, "min_runs": options.runs})
    if options.clients:
        scale = Scale(**{**scale.__dict__, "clients": options.clients})

    began = time.perf_counter()
    compile_goaltrack()
    info = report.machine(HERE.parent)
    task, task_version = find_task()
    info["taskwarrior"] = task_version if task else f"not used: {task_version}"
    with tempfile.TemporaryDirectory(prefix="goaltrack-bench-") as folder:
        scratch = Path(folder)
        rc = scratch / "taskrc"
        write_taskrc(rc, task_version if task else "0.0.0")
        data = build_data(options.cache, scale, task, rc)
        bench = Bench(data, scale, scratch, clean_env(), task, rc)
        rows = define_rows(bench, task_version)
        if options.only:
            wanted = tuple(options.only.split(","))
            rows = [row for row in rows if row.key.startswith(wanted)]
        baseline = json.loads(BASELINE.read_text("utf-8")) if BASELINE.exists() else None
        apply_baseline(rows, baseline, options.quick)
        if baseline and not options.quick:
            measured = baseline.get("measured", {})
            info["baseline"] = ", ".join(
                f"{key} {measured.get(key, '?')}" for key in ("date", "goaltrack", "load_before")
            )
        measure(rows, scale, scratch)
    info["load_after"] = report.load_average()
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info["floor"] = (
        f"{floor:.0f} MB at most (kept small, as a process's peak memory counts what the runner "
        "had resident when it forked it)"
    )
    if options.save_baseline:
        info["baseline"] = "recorded by this run (so the rows measured against it have no bar)"
    info["duration"] = f"{time.perf_counter() - began:.0f} s"
    print(report.text_table(rows))
    if options.save_baseline:
        report.save_baseline(BASELINE, rows, info)
        say(f"baseline: {BASELINE}")
    if options.out:
        notes = report.kept_notes(options.out)  # the hand-written analysis stays
        text = report.markdown(rows, info, scale, options.quick) + notes
        options.out.write_text(text, encoding="utf-8")
        say(f"report: {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
