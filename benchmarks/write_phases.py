"""Where a write's time goes: the CPU cost of each step of `Store.update` on one client file.

    .venv/bin/python benchmarks/write_phases.py CLIENT_FILE [--rounds 10]

CLIENT_FILE is a client's TOML file, e.g. the bench's large client
(~/.cache/goaltrack-bench/client-10-1000-10-*/clients/c-00001.toml, made by `make bench`).
Each step of a `log` write is timed on its own, in this process, on process CPU time (so the
other processes of a shared machine weigh little), and the best of the rounds is printed in
milliseconds: reading (TOML, then validation), the draft of the change, rendering (the touched
goal spliced into the text read, and proved), the audit's comparison and the index's facts. The
file, the index and the audit log are not touched. Whole-process figures are `make bench`'s.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from goaltrack import operations
from goaltrack.measures.instruments import builtin_registry
from goaltrack.records.model import ClientRecord
from goaltrack.storage import audit, facts, fileformat, splice
from goaltrack.storage.draft import Draft


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
    document = fileformat.read_toml(text)
    record = loaded.record
    draft = Draft(record)
    goal = record.goals[0].number
    entry = operations.EntryFields(value=record.goals[0].progress[-1].value, date=date(2025, 7, 1))
    operations.log_value(record, goal, entry, builtin_registry())
    final = draft.revalidated()
    touched = draft.touched()
    return {
        "read: TOML (rtoml)": best(lambda: fileformat.read_toml(text), rounds),
        "read: validation (pydantic)": best(
            lambda: ClientRecord.model_validate(fileformat.migrate(dict(document))), rounds
        ),
        "draft: snapshot of the entries": best(lambda: Draft(final), rounds),
        "draft: revalidated (the change only)": best(draft.revalidated, rounds),
        "render: the touched goal, spliced and proved": best(
            lambda: splice.spliced(final, text, touched.head, touched.goals, touched.order),
            rounds,
        ),
        "audit: before and changed parts": best(
            lambda: audit.changed_parts(draft.before(), final), rounds
        ),
        "index: client facts": best(lambda: facts.client_facts(final), rounds),
        "index: goal facts as JSON": best(
            lambda: json.dumps(facts.goal_facts(final), separators=(",", ":")), rounds
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
    for name, milliseconds in found.items():
        print(f"{max(milliseconds, 0.0):8.1f} ms  {name}")
    print(f"{sum(max(value, 0.0) for value in found.values()):8.1f} ms  in all")


if __name__ == "__main__":
    main()
