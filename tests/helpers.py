"""Helpers shared by the test modules: one module, imported one way (`from helpers import ...`).

pytest puts `tests/` on the import path (`pythonpath` in pyproject.toml), so plain `pytest`,
`.venv/bin/pytest` and `python -m pytest` all find it. Fixtures live in conftest.py; this
module holds plain functions and values. No test module imports another test module: whatever
two of them share lives here.

Sections: running goaltrack (in-process and as a real process), the reliability figures
printed at the end of a run, forked workers and store helpers of the reliability suites, and
generated data (random records, a 10,000-row CSV).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from goaltrack import operations as changes
from goaltrack.cli.app import app
from goaltrack.measures.instruments import builtin_registry
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.records.model import (
    Client,
    ClientRecord,
    EntryFlag,
    Goal,
    GoalKind,
    ProgressEntry,
)
from goaltrack.storage.diskio import TEMP_SUFFIX
from goaltrack.storage.store import Store

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "caseload"
#: What a run of goaltrack on the examples leaves beside them (the caseload index, derived and
#: gitignored): never copied into a test's home, so a test starts from the shipped files only.
DERIVED_FILES = shutil.ignore_patterns("index.sqlite3*", "*.lock", "conflicts", "trash")

#: Seconds a single goaltrack process may take before a test calls it hung. Only a guard
#: against a hang: far above any run on a loaded 2-core machine, never what decides a test.
HANG_GUARD = 600.0

# --- running goaltrack ----------------------------------------------------------------------


_COMMANDS: dict[int, Any] = {}


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    """Run goaltrack in-process with `args`.

    Typer builds the Click command tree on every `CliRunner.invoke` (~20 ms, most of a call);
    the tree depends only on the app, so it is built once and reused for the call.
    """
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


def readme_steps(heading: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs from the console blocks of one README section (from
    `heading` to the next `## `); a command continued with a backslash is joined."""
    text = (REPO / "README.md").read_text()
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.startswith("    ") and steps and steps[-1][0].endswith("\\"):
                steps[-1] = (steps[-1][0][:-1] + line.strip(), steps[-1][1])
            elif steps:
                steps[-1][1].append(line)
    return [(command, "\n".join(lines).strip("\n")) for command, lines in steps]


def default_sigint() -> None:
    """`preexec_fn` for a child that a test interrupts: SIGINT back to its default action.

    A shell that starts a job in the background (`cmd &`, nohup, some CI runners) sets SIGINT to
    "ignore", and a child inherits that; Python then installs no KeyboardInterrupt handler, so
    the Ctrl-C a test sends would be lost and the test would hang or fail.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = HANG_GUARD,
) -> subprocess.CompletedProcess[str]:
    """Run goaltrack as a real subprocess (pipes, stdin, concurrency)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "goaltrack", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def run_while_progressing(
    args: list[str], env: dict[str, str] | None = None, stall: float = HANG_GUARD
) -> subprocess.CompletedProcess[str]:
    """Run `args` (in its own process group) to the end, however long a loaded machine needs.

    Each line on stdout counts as progress; only `stall` seconds without a new line count as a
    hang: the whole group is then killed and the test fails saying so.
    """
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None and stderr is not None
    lines: list[str] = []
    errors: list[str] = []
    last_progress = [time.monotonic()]

    def read_stdout() -> None:
        for line in stdout:
            lines.append(line)
            last_progress[0] = time.monotonic()

    readers = [
        threading.Thread(target=read_stdout, daemon=True),
        threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True),
    ]
    for reader in readers:
        reader.start()
    while process.poll() is None:
        if time.monotonic() - last_progress[0] > stall:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError(f"no progress for {stall:.0f} s after {len(lines)} lines: hung")
        time.sleep(0.2)
    for reader in readers:
        reader.join()
    return subprocess.CompletedProcess(args, process.returncode, "".join(lines), "".join(errors))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a command changed nothing.

    The audit log is left out: it records every attempted change, refused ones included; so is
    the caseload index, derived from the files and (re)built by any command that reads them.
    """
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "audit.log" and not path.name.startswith("index.sqlite3")
    }


# --- reliability figures (issue 6), printed at the end of every run by conftest.py -----------

#: A marker put into notes and names by the suites: it must never reach stderr.
SECRET = "SECRET-7Q2X"

FIGURES: Counter[str] = Counter()


def record(name: str, amount: int = 1) -> None:
    """Add `amount` to the figure `name`."""
    FIGURES[name] += amount


def assert_private(*streams: str | bytes | None) -> None:
    """Fail if any stream quotes the secret marker or holds a traceback; counts the streams."""
    for stream in streams:
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else stream or ""
        assert SECRET not in text, "a message quoted note text"
        assert "Traceback" not in text, "a traceback reached the user"
        FIGURES["stderr streams checked for the secret marker"] += 1


# --- forked workers and store helpers of the reliability suites ------------------------------

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


# --- the caseload index's refresh with Reuse (issue 10) -------------------------------------


@dataclass
class ReuseSeen:
    """What `refresh_with_reuse` saw: how many refreshes found the row of the file read."""

    reused_rows: int = 0


def refresh_with_reuse(monkeypatch: pytest.MonkeyPatch) -> ReuseSeen:
    """Count the refreshes that reuse a row, and hand `facts.after_write` a Reuse where the
    store passes none (an import, `check --fix --whole`): the identity of the file as read
    (lstat equal before and after the read) and the goals left equal to what was read.
    `Store.update` passes its own (the fstat of the descriptor read), which is used as is."""
    from goaltrack.storage import facts, index

    reads: dict[tuple[str, str], tuple[Any, dict[int, Any]]] = {}
    seen = ReuseSeen()
    real_read, real_after, real_lines = Store.read, facts.after_write, facts.reusable_lines

    def identity(path: Path) -> Any:
        try:
            return index.identity(os.lstat(path))
        except OSError:
            return None

    def read(self: Store, client_id: str, note_cut: bool = True) -> Any:
        before = identity(self.path_for(client_id))
        loaded = real_read(self, client_id, note_cut)
        key = (str(self.home), client_id)
        reads.pop(key, None)
        if before is not None and before == identity(self.path_for(client_id)):
            goals = {goal.number: goal.model_dump() for goal in loaded.record.goals}
            reads[key] = (before, goals)
        return loaded

    def after_write(
        home: Path, client_id: str, record: Any, written: Any, reuse: Any = None
    ) -> None:
        found = reads.pop((str(home), client_id), None)
        if reuse is None and found is not None:
            read_identity, goals = found
            untouched = frozenset(
                goal.number for goal in record.goals if goals.get(goal.number) == goal.model_dump()
            )
            reuse = facts.Reuse(read_identity, untouched)
        real_after(home, client_id, record, written, reuse)

    def reusable_lines(text: str) -> dict[str, str]:
        seen.reused_rows += 1  # called only when the row is of the file the change read
        return real_lines(text)

    monkeypatch.setattr(Store, "read", read)
    monkeypatch.setattr(facts, "after_write", after_write)
    monkeypatch.setattr(facts, "reusable_lines", reusable_lines)
    return seen


# --- generated data --------------------------------------------------------------------------

BIG_CSV_ROWS = 10_000
BIG_CSV_CLIENTS = 50


def big_csv() -> list[str]:
    """Client rows, two goal rows per client and entry rows: 10,000 rows in all."""
    lines = ["type,client,goal,kind,title,measure,date,value,session,note"]
    per_client = BIG_CSV_ROWS // BIG_CSV_CLIENTS - 3
    start = date(2024, 1, 1)
    for c in range(BIG_CSV_CLIENTS):
        cid = f"c-{1000 + c}"
        lines += [
            f"client,{cid},,,,,,,,",
            f"goal,{cid},1,symptom-reduction,Mood,phq9,,,,",
            f"goal,{cid},2,coping,Grounding,gbo,,,,",
        ]
        for i in range(per_client):
            day = start + timedelta(days=3 * (i // 2))
            lines.append(f",{cid},{1 + i % 2},,,,{day},{i % 10},{i // 2 + 1},")
    return lines


_text = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)


#: An administered PHQ-9 (item answers, maybe the item-9 flag), or a plain value.
_administration = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {
            "instrument": st.just("phq9"),
            "responses": st.lists(st.integers(0, 3), min_size=9, max_size=9),
            "flags": st.none() | st.just([EntryFlag.RISK_ITEM9]),
        }
    ),
)


RANGES = {None: (-5, 100), "phq9": (0, 27), "gbo": (0, 10), "gas": (-2, 2)}


@st.composite
def records(draw: st.DrawFn) -> ClientRecord:
    """Random valid records: any ids, values within each measure's range, notes of any text,
    PHQ-9 item answers with their totals, flags and GAS level descriptions."""
    goals = []
    ids = draw(st.lists(st.from_regex(r"[A-Z0-9]{10}", fullmatch=True), unique=True, max_size=12))
    for number in range(1, draw(st.integers(0, 3)) + 1):
        take, ids = ids[: len(ids) // 2 + 1], ids[len(ids) // 2 + 1 :]
        measure = draw(st.sampled_from([None, "phq9", "gbo", "gas"]))
        low, high = RANGES[measure]
        values = st.integers(low, high)
        if measure is None:
            values = values | st.floats(low, high, allow_nan=False).map(lambda f: round(f, 2))
        progress = []
        for entry_id in take:
            administration = draw(_administration) if measure == "phq9" else {}
            value = sum(administration["responses"]) if administration else draw(values)
            progress.append(
                ProgressEntry(
                    id=entry_id,
                    date=draw(st.dates(date(2020, 1, 1), date(2026, 11, 1))),
                    value=value,
                    session=draw(st.none() | st.integers(1, 200)),
                    note=draw(st.none() | st.text(max_size=40)),
                    **administration,
                )
            )
        levels = None
        if measure == "gas":
            levels = draw(
                st.none()
                | st.dictionaries(
                    st.sampled_from(["-2", "-1", "0", "+1", "+2"]),
                    _text.map(lambda t: t[:200]),
                    max_size=5,
                )
            )
        goals.append(
            Goal(
                number=number,
                kind=draw(st.sampled_from(list(GoalKind))),
                title=draw(_text),
                created=date(2026, 1, 1),
                progress=progress,
                measure=measure,
                gas_levels=levels,
            )
        )
    client = Client(
        id="c-" + draw(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)),
        created=date(2026, 1, 1),
        name=draw(st.none() | _text),
        notes=draw(st.none() | st.text(max_size=40)),
    )
    return ClientRecord(client=client, goals=goals)


# --- a client whose words are hostile and private (reports, charts) ---------------------------

#: Markup a note or title may hold: every report and chart must show it as text.
SCRIPT = "<script>alert(1)</script>"
#: Words only the clinician may read: a private client note and a private entry note.
PRIVATE_NOTE = "PRIVATE-NOTE-5K8W"
ENTRY_NOTE = "ENTRY-NOTE-3H7D"


def hostile_client(home: Path, client_id: str = "c-9001") -> None:
    """A client with a <script> concern, goal title and entry note, private notes, and an open
    PHQ-9 item-9 flag (item 9 answered 2 on the last administration), made through the CLI."""
    runner = CliRunner()
    steps = [
        ["new-client", client_id, "--concern", f"{SCRIPT}:moderate", "--approach", "cbt",
         "--note", f"{PRIVATE_NOTE} {SCRIPT}", "--since", "2026-09-01"],
        ["add-goal", client_id, "symptom-reduction", f"Lift mood {SCRIPT}", "--measure", "phq9",
         "--target", "9"],
        ["add-goal", client_id, "coping", "Breathe when panicky", "--measure", "gbo",
         "--target", "8"],
        ["log", client_id, "2", "3", "--date", "2026-09-01", "--note", f"{ENTRY_NOTE} {SCRIPT}"],
        ["log", client_id, "2", "5", "--date", "2026-09-15"],
        ["log", client_id, "2", "6", "--date", "2026-09-29"],
        ["measure", client_id, "phq9", "--date", "2026-09-01", "--responses", "3 3 2 2 2 2 2 1 0"],
        ["measure", client_id, "phq9", "--date", "2026-09-15", "--responses", "2 2 2 2 2 1 1 1 0"],
        ["measure", client_id, "phq9", "--date", "2026-09-29", "--responses", "2 2 1 2 1 1 1 1 2"],
    ]  # fmt: skip
    for step in steps:
        result = invoke(runner, "--home", str(home), *step)
        assert result.exit_code == 0, (step, result.output)
