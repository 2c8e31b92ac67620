"""Benchmark the client-file writer against the one it replaced, on a typical client.

    .venv/bin/python benchmarks/render_client.py [--rounds 5]

The typical client is tests/golden/typical-3-goals-50-entries.toml (3 goals x 50 entries).
Two steps are timed, each against the writer of commit 8d95e1c re-created in this process only
(tomli_w.dumps with its private inline-table heuristic switched off, as goaltrack did then):

- write: the document to TOML text (tomltext.to_toml vs the patched tomli_w.dumps);
- render: the whole of fileformat.render (to_document, write, the round-trip proof).

The two are timed in alternation on process CPU time and the best round of each is kept, so
that other processes on a shared machine weigh on neither. Prints milliseconds per call (CPU)
and the ratio after/before.
"""

from __future__ import annotations

import argparse
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from goaltrack.records.model import ClientRecord
from goaltrack.storage import fileformat, tomltext

TYPICAL = Path(__file__).resolve().parent.parent / "tests/golden/typical-3-goals-50-entries.toml"


def _old_dumps(document: dict[str, Any]) -> str:
    """The writer of 8d95e1c: tomli_w.dumps with every array of tables in block form."""
    return tomli_w.dumps(document)


def _old_render(record: ClientRecord) -> str:
    """fileformat.render as it was at 8d95e1c (store.render_document)."""
    data = record.to_document()
    text = _old_dumps(data)
    if tomllib.loads(text) != data:
        raise AssertionError("did not round-trip")
    return text


def _best(call: Callable[[Any], str], argument: Any, calls: int, repeats: int) -> float:
    """The fastest mean CPU time of one call, in seconds, over `repeats` runs of `calls` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(calls):
            call(argument)
        best = min(best, (time.process_time() - start) / calls)
    return best


def main() -> None:
    """Time both writers in alternating rounds; print the best of each and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    record = fileformat.parse(TYPICAL.read_text(encoding="utf-8"), str(TYPICAL)).record
    document = record.to_document()
    # Re-create the old writer in this process only; to_toml never hands tomli_w an array
    # of tables, so the switch cannot change what the new writer does.
    tomli_w._writer.is_suitable_inline_table = lambda obj, ctx: False  # type: ignore[attr-defined]
    if _old_dumps(document) != tomltext.to_toml(document):
        raise SystemExit("the writers disagree: the golden files should have caught this")
    cases = [
        ("write", _old_dumps, tomltext.to_toml, document, 50),
        ("render", _old_render, fileformat.render, record, 20),
    ]
    for label, old, new, argument, calls in cases:
        old_best = new_best = float("inf")
        for _ in range(rounds):
            old_best = min(old_best, _best(old, argument, calls, 10))
            new_best = min(new_best, _best(new, argument, calls, 10))
        print(
            f"{label:<7} before {old_best * 1e3:6.3f} ms   after {new_best * 1e3:6.3f} ms   "
            f"ratio {new_best / old_best:.2f}"
        )


if __name__ == "__main__":
    main()
