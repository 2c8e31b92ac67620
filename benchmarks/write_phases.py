"""Where a write's time goes: the CPU cost of each step of `Store.update` on one client file.

    .venv/bin/python benchmarks/write_phases.py CLIENT_FILE [--rounds 10]

CLIENT_FILE is a client's TOML file, e.g. the bench's large client
(~/.cache/goaltrack-bench/client-10-1000-10-*/clients/c-00001.toml, made by `make bench`).
Each step of a `log` write is timed on its own, in this process, on process CPU time (so the
other processes of a shared machine weigh little), and the best of the rounds is printed in
milliseconds: reading (TOML, then validation), the draft of the change, rendering (the touched
goal spliced into the text read, and proved), the audit's comparison and the caseload index's
refresh when the write touched one goal (then, apart, the refresh deriving every goal and its
parts). The file, the index and the audit log are not touched (the refresh runs in a
temporary home). Whole-process figures are `make bench`'s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from goaltrack import operations
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import ClientRecord
from goaltrack.storage import audit, facts, fileformat, index, splice, tomltext
from goaltrack.storage.draft import Draft

#: Marks a figure printed for comparison, not a step of the write (not in the sum).
COMPARED = "(compare) "


def best(step: Callable[[], Any], rounds: int) -> float:
    """The least process CPU time of `rounds` calls of `step`, in milliseconds."""
    times = []
    for _ in range(rounds):
        began = time.process_time()
        step()
        times.append(time.process_time() - began)
    return min(times) * 1000


def phases(text: str, rounds: int) -> dict[str, float]:
    """Milliseconds of CPU for each step of logging one value on the client of `text`."""
    loaded = fileformat.parse(text, "client file")
    document = tomltext.read_toml(text)
    record = loaded.record
    draft = Draft(record)
    goal = record.goals[0].number
    entry = operations.EntryFields(value=record.goals[0].progress[-1].value, date=date(2025, 7, 1))
    operations.log_value(record, goal, entry, builtin_registry())
    final = draft.revalidated()
    touched = draft.touched()
    return {
        "read: TOML (rtoml)": best(lambda: tomltext.read_toml(text), rounds),
        "read: validation (pydantic)": best(
            lambda: ClientRecord.model_validate(fileformat.migrate(dict(document))), rounds
        ),
        "draft: snapshot of the entries": best(lambda: Draft(final), rounds),
        "draft: revalidated (the change only)": best(draft.revalidated, rounds),
        "render: the touched goal, spliced and proved": best(
            lambda: splice.spliced(final, text, touched),
            rounds,
        ),
        "audit: before and changed parts": best(
            lambda: audit.changed_parts(draft.before(), final), rounds
        ),
        **refresh_phases(text, record.client.id, final, touched.goals, rounds),
    }


def refresh_phases(
    text: str, client_id: str, final: ClientRecord, touched: frozenset[int], rounds: int
) -> dict[str, float]:
    """The whole refresh of the index row (facts, JSON, SQLite), in an index of its own.

    The client's file is copied into a temporary home whose index holds the row of the file
    as read; the refresh then runs as after a write of `final` that touched goals `touched`
    (`facts.Reuse`: the other goals' lines come from that row), and as without `Reuse`.
    `touched` is the draft's `touched().goals`, as Store.update is to pass it on.
    """
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "clients").mkdir()
        path = home / "clients" / f"{client_id}.toml"
        path.write_text(text, encoding="utf-8")
        read = os.lstat(path)
        untouched = frozenset(goal.number for goal in final.goals) - touched
        reuse = facts.Reuse(index.identity(read), untouched)
        with facts.kept_open(home):
            facts.after_write(home, client_id, fileformat.parse(text, "file").record, read)
            return {
                "index: refresh, one goal touched": best(
                    lambda: facts.after_write(home, client_id, final, read, reuse), rounds
                ),
                COMPARED + "index: refresh, every goal derived": best(
                    lambda: facts.after_write(home, client_id, final, read), rounds
                ),
                COMPARED + "index: of which client facts": best(
                    lambda: facts.client_facts(final), rounds
                ),
                COMPARED + "index: of which goal facts as JSON": best(
                    lambda: facts.goals_text(final), rounds
                ),
            }


def main() -> None:
    """Print each step's milliseconds of CPU and their sum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("client_file", type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    text = options.client_file.read_text(encoding="utf-8")
    found = phases(text, options.rounds)
    steps = {name: max(ms, 0.0) for name, ms in found.items() if not name.startswith(COMPARED)}
    for name, milliseconds in steps.items():
        print(f"{milliseconds:8.1f} ms  {name}")
    print(f"{sum(steps.values()):8.1f} ms  in all")
    for name, milliseconds in found.items():
        if name.startswith(COMPARED):
            print(f"{max(milliseconds, 0.0):8.1f} ms  {name}")


if __name__ == "__main__":
    main()
