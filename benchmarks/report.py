"""The bench's output: the machine, the table of ratios with bars and verdicts, the Markdown."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rows import Row
    from scales import Scale

MB = 1024 * 1024


@dataclass
class Line:
    """One line of the table: a ratio, or a row's peak memory."""

    result: str  # PASS, FAIL, INFO (no bar), SKIP, ERROR
    key: str
    title: str
    measured: str
    bar: str
    a_time: str = ""
    b_time: str = ""
    memory: str = ""
    pairs: str = ""
    today: str = ""
    note: str = ""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. '3.1 2.9 2.5'."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _git(root: Path, *args: str) -> str:
    try:
        found = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError:  # no git: the report says "unknown" rather than the bench failing
        return "unknown"
    return found.stdout.strip() if found.returncode == 0 else "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _versions(packages: list[str]) -> dict[str, str]:
    """Installed versions, asked of another process (importlib.metadata is heavy to import)."""
    script = (
        "import importlib.metadata as m, json, sys\n"
        "def v(name):\n"
        "    try:\n"
        "        return m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        return 'not installed'\n"
        "print(json.dumps({name: v(name) for name in sys.argv[1:]}))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, *packages], capture_output=True, text=True, check=False
    )
    versions: dict[str, str] = json.loads(found.stdout) if found.returncode == 0 else {}
    return versions


def machine(root: Path) -> dict[str, str]:
    """What the figures were measured on and with, for the report's header."""
    versions = _versions(["goaltrack", "typer", "pydantic", "rich"])
    dirty = _git(root, "status", "--porcelain", "--", "src")
    commit = _git(root, "rev-parse", "--short", "HEAD")
    source = _git(root, "log", "-1", "--format=%h", "--", "src")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": _memory_total(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "goaltrack": f"{versions.get('goaltrack', '?')}, commit {commit} (src/ as of {source})"
        + (" with uncommitted changes in src/" if dirty and dirty != "unknown" else ""),
        "libraries": ", ".join(
            f"{name} {versions.get(name, '?')}" for name in ("typer", "pydantic", "rich")
        ),
        "load_before": load_average(),
    }


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def lines(row: Row) -> list[Line]:
    """The table lines of a row: its ratio, and its peak memory when the row has a memory bar."""
    today = f"{row.today:.2f}x" if row.today is not None else ""
    if row.skip is not None or row.error is not None or row.pairs is None:
        result = "SKIP" if row.skip is not None else "ERROR"
        note = row.skip or row.error or ""
        return [Line(result, row.key, row.title, "", row.bar, today=today, note=note)]
    pairs = row.pairs
    ratio = pairs.ratio
    spread = f"pairs {min(pairs.ratios):.2f}-{max(pairs.ratios):.2f}x"
    result = "INFO" if row.limit is None else ("PASS" if ratio <= row.limit else "FAIL")
    peak_a, peak_b = pairs.peak(pairs.a) / MB, pairs.peak(pairs.b) / MB
    common = {
        "key": row.key,
        "a_time": _seconds(pairs.median_seconds(pairs.a)),
        "b_time": _seconds(pairs.median_seconds(pairs.b)),
        "memory": f"{peak_a:.0f} / {peak_b:.0f} MB",
        "pairs": str(len(pairs.ratios)),
    }
    found = [Line(result, title=row.title, measured=f"{ratio:.2f}x", bar=row.bar, **common)]
    found[0].today, found[0].note = today, spread
    if row.memory_mb is not None:
        verdict = "PASS" if peak_a < row.memory_mb else "FAIL"
        title = f"{row.title}: peak memory of goaltrack"
        bar = f"< {row.memory_mb:.0f} MB"
        memory = {"key": row.key, "memory": common["memory"], "pairs": common["pairs"]}
        found.append(Line(verdict, title=title, measured=f"{peak_a:.0f} MB", bar=bar, **memory))
    return found


def text_table(rows: list[Row]) -> str:
    """The plain-text table printed at the end of a run (a SKIP or ERROR row ends with why)."""
    table = [("result", "row", "measured", "bar", "A median", "B median", "peak A / B", "")]
    for row in rows:
        for line in lines(row):
            why = line.note if line.result in ("SKIP", "ERROR") else ""
            times = (line.a_time, line.b_time, line.memory)
            table.append((line.result, line.key, line.measured, line.bar, *times, why))
    widths = [max(len(cells[column]) for cells in table) for column in range(7)]
    out = []
    for cells in table:
        left = [cells[column].ljust(widths[column]) for column in (0, 1)]
        right = [cells[2].rjust(widths[2]), cells[3].ljust(widths[3])]
        right += [cells[column].rjust(widths[column]) for column in (4, 5, 6)]
        out.append("  ".join([*left, *right, cells[7]]).rstrip())
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[Row], info: dict[str, str], scale: Scale, quick: bool) -> str:
    """docs/performance.md: the machine, the table, what each row runs, how to reproduce."""
    out = ["# Performance: `make bench`", ""]
    if quick:
        out += [
            "**Quick mode: small data and few pairs, for trying the harness; not figures.**",
            "",
        ]
    out += [
        "Every ratio that issue 10 (performance at clinic scale) asks for, from one run",
        "of `make bench` (`benchmarks/run.py`), side by side with Taskwarrior and with a",
        "minimal one-command Typer app (`benchmarks/minimal_app.py`). A ratio is A's time",
        "over B's: whole processes, A and B alternated after a warm-up, the median of the",
        "pairs' ratios.",
        "",
        "## The machine and the run",
        "",
        "| | |",
        "|---|---|",
    ]
    names = {
        "date": "date",
        "cpu": "CPU",
        "cores": "cores",
        "memory": "memory",
        "os": "OS",
        "python": "Python",
        "goaltrack": "goaltrack",
        "libraries": "libraries",
        "taskwarrior": "Taskwarrior",
        "load_before": "load average before (1/5/15 min)",
        "load_after": "load average after",
        "duration": "duration of the run",
        "floor": "peak memory of the runner",
        "baseline": "today's ratios (`benchmarks/baseline.json`)",
    }
    out += [f"| {label} | {_cell(info[key])} |" for key, label in names.items() if info.get(key)]
    out += [
        "",
        "## Results",
        "",
        "| result | comparison | measured | bar | today | A median | B median | peak RSS A / B "
        "| pairs | spread |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for line in lines(row):
            out.append(
                f"| {line.result} | {_cell(line.title)} | {line.measured} | {_cell(line.bar)} "
                f"| {line.today} | {line.a_time} | {line.b_time} | {line.memory} | {line.pairs} "
                f"| {_cell(line.note)} |"
            )
    out += [
        "",
        "PASS: within the bar; FAIL: not; INFO: no bar; SKIP: cannot run here (the reason is in",
        'the last column); ERROR: a command failed. "today" is the ratio recorded in',
        "`benchmarks/baseline.json` (made with `--save-baseline` before the work of issue 10);",
        'rows whose bar is "no slower than today" allow 10% over it for noise.',
        "",
        "## What each row runs",
        "",
        "`$SCRATCH` is the run's temporary folder, `$CACHE` the data cache (see below).",
        "",
    ]
    for row in rows:
        out.append(f"- `{row.key}`")
        for side, command in (("A", row.a), ("B", row.b)):
            if command is not None:
                out.append(f"  - {side}, {command.label}: `{command.shown}`")
    out += [
        "",
        "## The data",
        "",
        f"- Caseload: {scale.clients:,} clients x 3 goals x 50 weekly entries, written through",
        "  goaltrack's own write path (`Store.create`), about a third of the entries with a note.",
        f"- Large client: {scale.large_goals} goals x {scale.large_entries:,} daily entries;",
        "  typical client: 3 goals x 50.",
        f"- Import files: CSV of {scale.import_rows:,} entry rows into one client, the same",
        f"  across {scale.import_clients} clients, and {scale.linear_rows:,} into one client, each",
        "  with its `client` and `goal` rows, imported into an empty home.",
        f"- Taskwarrior: {scale.list_tasks:,} pending tasks for `task list` (loaded with",
        f"  `task import`), and a JSON array of {scale.import_tasks:,} tasks for `task import`",
        "  into a fresh data folder each run; its own rc file (`confirmation=off`, `color=off`,",
        "  `hooks=off`).",
        "",
        "All of it comes from `benchmarks/generate.py` with a fixed seed, so every machine times",
        "the same bytes; it is cached under `~/.cache/goaltrack-bench` keyed by its parameters,",
        "the generator and goaltrack's file format. Commands that write get a fresh copy every run",
        "(outside the timing); read commands share one scratch copy.",
        "",
        "## Method",
        "",
        f"Each row: one warm-up run of A and of B (output checked), then up to {scale.runs} pairs",
        f"A B, fewer when a pair is slow (about {scale.budget:.0f} s a row, never under",
        f"{scale.min_runs}). Wall time is measured around the whole process; peak memory is",
        "`ru_maxrss` from `os.wait4`. Only the Python standard library is used for timing. The",
        "figures depend on the machine's load (see the load averages above): the ratios are what",
        "to compare, not the seconds.",
        "",
        "## Reproduce",
        "",
        "```",
        "make bench                        # installs taskwarrior if missing; writes this file",
        "make bench-quick                  # small data, 3 pairs: try the harness (prints only)",
        ".venv/bin/python benchmarks/run.py --only import   # some rows only",
        "```",
        "",
    ]
    return "\n".join(out)


#: The heading of the hand-written part of the report: a new run keeps it and what follows.
NOTES_HEADING = "## Analysis (written by hand; `make bench` keeps this part)"


def kept_notes(path: Path) -> str:
    """The hand-written part of an earlier report at `path` (from NOTES_HEADING on), or ""."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    start = text.find("\n" + NOTES_HEADING + "\n")
    return "" if start < 0 else text[start:]


def save_baseline(path: Path, rows: list[Row], info: dict[str, str]) -> None:
    """Record this run's ratios as today's, with where and when they were measured.

    Rows not timed in this run (--only) keep the ratio the file already had.
    """
    old = json.loads(path.read_text("utf-8")) if path.exists() else {}
    ratios = old.get("ratios", {})
    timed = {row.key: round(row.pairs.ratio, 3) for row in rows if row.pairs is not None}
    ratios.update(timed)
    # A ratio derived from others (a row whose yardstick changed) is measured once timed.
    derived = {key: why for key, why in old.get("derived", {}).items() if key not in timed}
    document = {
        "about": "ratios of `make bench` before the work of issue 10; run.py --save-baseline",
        "measured": {key: info.get(key, "") for key in ("date", "goaltrack", "cpu", "load_before")},
        "ratios": ratios,
        **({"derived": derived} if derived else {}),
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
