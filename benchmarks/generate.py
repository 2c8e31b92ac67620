"""Deterministic synthetic data for the performance benchmarks (issue 10).

    .venv/bin/python benchmarks/generate.py caseload OUT [--clients 2000] [--seed 10]
    .venv/bin/python benchmarks/generate.py client OUT [--goals 10] [--entries 1000]
    .venv/bin/python benchmarks/generate.py csv OUT.csv [--rows 10000] [--clients 1]
    .venv/bin/python benchmarks/generate.py tasks OUT.json [--count 9000]
    .venv/bin/python benchmarks/generate.py bench CACHE --sizes JSON [--task PATH --taskrc RC]

Everything is derived from a seed (no clock, no `secrets`), so the same parameters give the same
bytes on every machine. Client homes are written through goaltrack's own public write path
(`Store.create` with `ClientRecord` models), never as hand-written TOML, so they are exactly what
goaltrack itself would store. What is built:

- a caseload: N clients (default 2,000) x 3 goals x 50 weekly entries;
- one client of G goals x E entries (10 x 1,000 for the "large" client, 3 x 50 for a typical one);
- an import CSV of R entry rows spread over C clients, plus a `client` row and 3 `goal` rows per
  client, imported into an empty home (the file creates what it logs to);
- Taskwarrior tasks as the JSON array `task import` reads (10,000 for `task list`, 9,000 for
  `task import`).

`bench` is what run.py calls (in its own process, so that the timing process never holds
goaltrack in memory: a child's peak memory can read no lower than its parent's at the fork).
`Cache` keeps built homes and files under a folder keyed by their parameters, the seed, this
file's own text and a fingerprint of goaltrack's file format (a sample record written through the
write path), so a rerun reuses them and any change to the generator or the format rebuilds them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

# goaltrack's public write path: the only goaltrack imports of the harness. When the
# restructure moves the store or the models, adjust these lines and nothing else.
from goaltrack.records.model import (
    Client,
    ClientRecord,
    Concern,
    Goal,
    GoalKind,
    ProgressEntry,
)
from goaltrack.storage.store import Store

DEFAULT_SEED = 10
#: The last day of generated data: everything is in the past, whatever today is.
ANCHOR = date(2025, 6, 30)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

#: (measure, kind, title, baseline, target, lowest, highest, better is lower)
GOAL_SHAPES = [
    ("phq9", GoalKind.SYMPTOM_REDUCTION, "Reduce depressive symptoms", 19, 9, 0, 27, True),
    ("gad7", GoalKind.SYMPTOM_REDUCTION, "Worry less, sleep better", 15, 6, 0, 21, True),
    ("gbo", GoalKind.COPING, "Use grounding skills when panic starts", 2, 8, 0, 10, False),
    ("rses", GoalKind.SELF_ESTEEM, "Speak up for myself at work", 11, 20, 0, 30, False),
    ("suds", GoalKind.TRAUMA_RESOLUTION, "Distress at the memory", 85, 30, 0, 100, True),
    ("rating", GoalKind.RELATIONSHIPS, "Calmer talks with my partner", 3, 7, 0, 10, False),
    ("core10", GoalKind.SYMPTOM_REDUCTION, "Overall distress", 24, 11, 0, 40, True),
    ("gbo", GoalKind.AUTONOMY, "Take the bus to work alone", 1, 8, 0, 10, False),
    ("rating", GoalKind.COPING, "Pause before reacting", 2, 8, 0, 10, False),
    ("gbo", GoalKind.RELATIONSHIPS, "See a friend each week", 3, 8, 0, 10, False),
]
NOTE_TEXT = (
    "slept better this week walked twice felt lighter argued with sister used breathing "
    "exercise skipped homework panic at the shop stayed until it passed work was calmer "
    "visited parents, mostly fine said: better, mostly tired after night shifts"
)
NOTE_WORDS = NOTE_TEXT.split()
CONCERNS = ["depression", "generalised anxiety", "panic", "low self-esteem", "grief", "ptsd"]
APPROACHES = ["cbt", "mindfulness", "psychodynamic", "humanistic", "family", "emdr"]


def entry_id(rng: random.Random) -> str:
    """A 10-character Crockford base32 id like goaltrack's own, drawn from `rng`."""
    return "".join(rng.choice(CROCKFORD) for _ in range(10))


def note(rng: random.Random) -> str:
    """A short session note of 3-15 words (some with a comma or a colon, as people write)."""
    return " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(3, 15))).capitalize() + "."


def value_at(rng: random.Random, shape: tuple[object, ...], step: int, steps: int) -> int:
    """A value moving from baseline towards target with some noise, kept inside the range."""
    _, _, _, baseline, target, lowest, highest, _ = shape
    assert isinstance(baseline, int) and isinstance(target, int)
    assert isinstance(lowest, int) and isinstance(highest, int)
    planned = baseline + (target - baseline) * step / max(1, steps - 1)
    spread = max(1, (highest - lowest) // 10)
    return min(highest, max(lowest, round(planned + rng.randint(-spread, spread))))


def client_record(
    rng: random.Random, client_id: str, goals: int, entries: int, every_days: int = 7
) -> ClientRecord:
    """One client of `goals` goals x `entries` entries each, the last entry on ANCHOR or before."""
    start = ANCHOR - timedelta(days=every_days * entries + rng.randint(0, 120))
    built = []
    for number in range(1, goals + 1):
        shape = GOAL_SHAPES[(number - 1) % len(GOAL_SHAPES)]
        measure, kind, title, baseline, target, *_ = shape
        progress = [
            ProgressEntry(
                id=entry_id(rng),
                date=start + timedelta(days=every_days * i),
                value=value_at(rng, shape, i, entries),
                session=i + 1,
                rater="client" if measure != "rating" else "therapist",
                note=note(rng) if rng.random() < 0.3 else None,
            )
            for i in range(entries)
        ]
        built.append(
            Goal(
                number=number,
                kind=kind,
                title=title,
                measure=measure,
                baseline=baseline,
                target=target,
                created=start,
                priority=rng.choice(["high", "medium", "low"]),
                approach=rng.choice(APPROACHES),
                progress=progress,
            )
        )
    client = Client(
        id=client_id,
        name=f"Client {client_id[2:]}",
        created=start,
        approaches=rng.sample(APPROACHES, 2),
        notes=note(rng),
        concerns=[
            Concern(name=name, severity=rng.choice(["mild", "moderate", "severe"]))
            for name in rng.sample(CONCERNS, 2)
        ],
    )
    return ClientRecord(client=client, goals=built)


def build_caseload(
    home: Path, clients: int, goals: int = 3, entries: int = 50, seed: int = DEFAULT_SEED
) -> None:
    """A home of `clients` clients (ids c-00000...) of `goals` x `entries` each."""
    rng = random.Random(f"caseload-{seed}")
    store = Store(home)
    for n in range(clients):
        store.create(client_record(rng, f"c-{n:05d}", goals, entries))


def build_client(
    home: Path, client_id: str, goals: int, entries: int, seed: int = DEFAULT_SEED
) -> None:
    """A home holding one client of `goals` x `entries` (daily entries past 200 per goal)."""
    rng = random.Random(f"client-{client_id}-{seed}")
    every = 7 if entries <= 200 else 1
    Store(home).create(client_record(rng, client_id, goals, entries, every_days=every))


IMPORT_COLUMNS = [
    *["type", "client", "concerns", "goal", "kind", "title", "measure", "baseline", "target"],
    *["date", "value", "session", "rater", "note"],
]


def import_csv(rows: int, clients: int, seed: int = DEFAULT_SEED) -> str:
    """CSV text of `rows` entry rows over `clients` new clients, with their client and goal rows.

    Each client gets a `client` row and 3 `goal` rows first; its entries go round its goals,
    one a day per goal up to ANCHOR, with session numbers counting up (so no row repeats
    another), a rater, and a note on about a third of them (some with commas, so quoted).
    """
    rng = random.Random(f"csv-{rows}-{clients}-{seed}")
    out = io.StringIO()
    writer = csv.DictWriter(out, IMPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in range(clients):
        cid = f"c-{c + 1:05d}"
        count = rows // clients + (1 if c < rows % clients else 0)
        writer.writerow({"type": "client", "client": cid, "concerns": rng.choice(CONCERNS)})
        for number in (1, 2, 3):
            measure, kind, title, baseline, target, *_ = GOAL_SHAPES[number - 1]
            goal = {"goal": number, "kind": kind, "title": title, "measure": measure}
            scale = {"baseline": baseline, "target": target}
            writer.writerow({"type": "goal", "client": cid, **goal, **scale})
        per_goal = -(-count // 3)
        start = ANCHOR - timedelta(days=per_goal)
        for i in range(count):
            number, step = i % 3 + 1, i // 3
            entry = {
                "client": cid,
                "goal": number,
                "date": start + timedelta(days=step),
                "value": value_at(rng, GOAL_SHAPES[number - 1], step, per_goal),
                "session": step + 1,
                "rater": "client",
                "note": note(rng) if rng.random() < 0.3 else "",
            }
            writer.writerow(entry)
    return out.getvalue()


def task_json(count: int, seed: int = DEFAULT_SEED) -> str:
    """A JSON array of `count` pending Taskwarrior tasks, as `task import` reads it."""
    rng = random.Random(f"tasks-{count}-{seed}")
    projects = ["clinic.admin", "clinic.notes", "home", "supervision", "training"]
    tags = ["call", "letter", "review", "billing", "urgent", "waitlist"]
    tasks = []
    for _ in range(count):
        made = ANCHOR - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1439))
        task: dict[str, object] = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "status": "pending",
            "entry": made.strftime("%Y%m%dT090000Z"),
            "description": " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(3, 8))),
            "project": rng.choice(projects),
        }
        if rng.random() < 0.5:
            task["tags"] = rng.sample(tags, rng.randint(1, 2))
        if rng.random() < 0.4:
            task["priority"] = rng.choice("HML")
        if rng.random() < 0.3:
            task["due"] = (ANCHOR + timedelta(days=rng.randint(1, 90))).strftime("%Y%m%dT170000Z")
        tasks.append(task)
    return json.dumps(tasks, indent=0) + "\n"


def format_fingerprint() -> str:
    """A hash of the bytes goaltrack writes for a small sample record (changes with the format)."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        build_client(home, "c-sample", 2, 3)
        digest = hashlib.sha256()
        for path in sorted((home / "clients").glob("*.toml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()[:16]


class Cache:
    """Built homes and files under `root`, one folder per (name, parameters, generator, format)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        source = Path(__file__).read_bytes()
        self.salt = hashlib.sha256(source).hexdigest()[:12] + "-" + format_fingerprint()

    def path(self, name: str, params: dict[str, object]) -> Path:
        """Where the item `name` with `params` lives (it may not be built yet)."""
        text = json.dumps({"name": name, "params": params, "salt": self.salt}, sort_keys=True)
        key = hashlib.sha256(text.encode()).hexdigest()[:12]
        tag = "-".join(f"{value}" for value in params.values())
        return self.root / f"{name}-{tag}-{key}"

    def get(self, name: str, params: dict[str, object], build: Callable[[Path], object]) -> Path:
        """The cached folder for (name, params), built by `build(folder)` when missing.

        The build runs in a temporary sibling renamed into place at the end, so an interrupted
        build never leaves a half-made folder behind as if it were complete.
        """
        final = self.path(name, params)
        if final.is_dir():
            return final
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = final.with_name(f"{final.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=0o700)  # a goaltrack home must not be open to other users
        build(partial)
        os.replace(partial, final)
        self._prune(final)
        return final

    def _prune(self, kept: Path) -> None:
        """Remove older builds of the same item and parameters (another generator or format)."""
        stem = kept.name[: -len(kept.name.rsplit("-", 1)[1])]
        same = re.compile(re.escape(stem) + r"[0-9a-f]{12}(\.partial-\d+)?")
        for other in self.root.iterdir():
            if other != kept and same.fullmatch(other.name):
                shutil.rmtree(other, ignore_errors=True)


def quiet(argv: list[str], env: dict[str, str] | None) -> None:
    """Run a command that builds data; its output is shown only when it fails."""
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{argv[0]} exited {done.returncode} while building bench data")


def bench_data(
    cache: Cache, sizes: dict[str, int], task: str | None, taskrc: Path | None, seed: int
) -> dict[str, str | None]:
    """Every data set `run.py` times, from the cache or built now; their paths by name.

    `sizes` holds clients, large_goals, large_entries, import_rows, import_clients,
    linear_rows, list_tasks and import_tasks. With `task` (and its rc file), the
    `list_tasks` tasks are also loaded into a Taskwarrior data folder with `task import`.
    """

    def item(name: str, params: dict[str, object], build: Callable[[Path], object]) -> Path:
        began = time.perf_counter()
        found = cache.path(name, params).is_dir()
        path = cache.get(name, params, build)
        took = "cached" if found else f"built in {time.perf_counter() - began:.0f} s"
        print(f"data {path.name}: {took}", file=sys.stderr, flush=True)
        return path

    def text(name: str, params: dict[str, object], make: Callable[[], str], suffix: str) -> Path:
        def write(folder: Path) -> None:
            (folder / f"data{suffix}").write_text(make(), encoding="utf-8")

        return item(name, params, write) / f"data{suffix}"

    def client(goals: int, entries: int) -> Path:
        shape: dict[str, object] = {"goals": goals, "entries": entries, "seed": seed}
        return item("client", shape, lambda out: build_client(out, "c-00001", goals, entries, seed))

    def rows_csv(rows: int, clients: int) -> Path:
        shape: dict[str, object] = {"rows": rows, "clients": clients, "seed": seed}
        return text("csv", shape, lambda: import_csv(rows, clients, seed), ".csv")

    def tasks(count: int) -> Path:
        shape: dict[str, object] = {"count": count, "seed": seed}
        return text("tasks", shape, lambda: task_json(count, seed), ".json")

    clients = sizes["clients"]
    params: dict[str, object]
    found: dict[str, str | None] = {
        "caseload": str(
            item(
                "caseload",
                {"clients": clients, "goals": 3, "entries": 50, "seed": seed},
                lambda out: build_caseload(out, clients, 3, 50, seed),
            )
        ),
        "typical": str(client(3, 50)),
        "large": str(client(sizes["large_goals"], sizes["large_entries"])),
        "csv_one": str(rows_csv(sizes["import_rows"], 1)),
        "csv_many": str(rows_csv(sizes["import_rows"], sizes["import_clients"])),
        "csv_linear": str(rows_csv(sizes["linear_rows"], 1)),
        "tasks_import": str(tasks(sizes["import_tasks"])),
        "tasks_list": None,
    }
    many = Path(str(found["csv_many"]))

    def imported(out: Path) -> None:
        quiet([sys.executable, "-m", "goaltrack", "--home", str(out), "import", str(many)], None)

    params = {"rows": sizes["import_rows"], "clients": sizes["import_clients"], "seed": seed}
    found["imported_many"] = str(item("imported", params, imported))
    if task is not None and taskrc is not None:
        source = tasks(sizes["list_tasks"])
        env = {name: value for name, value in os.environ.items() if not name.startswith("TASK")}

        def load(out: Path) -> None:
            quiet(
                [task, "import", str(source)], {**env, "TASKRC": str(taskrc), "TASKDATA": str(out)}
            )

        params = {"count": sizes["list_tasks"], "seed": seed}
        found["tasks_list"] = str(item("taskdata", params, load))
    return found


def main() -> None:
    """Write one data set to OUT (a home folder, or a file for `csv` and `tasks`).

    `bench CACHE --sizes JSON` builds what run.py needs under CACHE and prints the paths as JSON.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["caseload", "client", "csv", "tasks", "bench"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--clients", type=int, help="caseload: 2000; csv: 1")
    parser.add_argument("--goals", type=int, default=10)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--count", type=int, default=9_000)
    parser.add_argument("--sizes", type=json.loads, help="bench: the sizes of run.py's data")
    parser.add_argument("--task", help="bench: Taskwarrior's path, to load the tasks of task list")
    parser.add_argument("--taskrc", type=Path, help="bench: the rc file Taskwarrior runs with")
    options = parser.parse_args()
    if options.what == "caseload":
        build_caseload(options.out, options.clients or 2000, seed=options.seed)
    elif options.what == "client":
        build_client(options.out, "c-00001", options.goals, options.entries, seed=options.seed)
    elif options.what == "csv":
        text = import_csv(options.rows, options.clients or 1, seed=options.seed)
        options.out.write_text(text, encoding="utf-8")
    elif options.what == "tasks":
        options.out.write_text(task_json(options.count, seed=options.seed), encoding="utf-8")
    else:
        cache = Cache(options.out)
        paths = bench_data(cache, options.sizes, options.task, options.taskrc, options.seed)
        print(json.dumps(paths))


if __name__ == "__main__":
    main()
