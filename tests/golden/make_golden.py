"""Rebuild the golden client files of tests/golden/ with the writer of the checked-out code.

The golden files pin the exact bytes goaltrack writes for a client file. They were first made
with the writer of commit 8d95e1c (tomli_w with its private inline-table heuristic patched
out), before the writer was rewritten on documented APIs only; tests/test_fileformat.py proves
the new writer gives the same bytes. Run from the repository root:

    .venv/bin/python tests/golden/make_golden.py

- example-<id>.toml: each client of examples/caseload, parsed and written again (the script
  says whether that equals the shipped file byte for byte);
- <name>.toml: each record of synthetic_records.json (name -> client document), written.

Only rebuild them on purpose (a deliberate layout change), in one commit with the code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from goaltrack.records.model import ClientRecord

GOLDEN = Path(__file__).resolve().parent
EXAMPLES = GOLDEN.parent.parent / "examples" / "caseload" / "clients"


def _writer() -> tuple[Callable[[str, str], ClientRecord], Callable[[ClientRecord], str]]:
    """parse(text, source) and render(record) of this checkout (before or after the split)."""
    try:
        from goaltrack.storage import fileformat

        return (lambda text, source: fileformat.parse(text, source).record), fileformat.render
    except ImportError:  # the commit the golden files were first made at
        from goaltrack.storage import store

        return (
            lambda text, source: store.parse_document(text, source).record  # type: ignore[attr-defined]
        ), store.render_document  # type: ignore[attr-defined]


def main() -> int:
    """Write every golden file; report examples that differ from today's writer output."""
    parse, render = _writer()
    differing = []
    for example in sorted(EXAMPLES.glob("*.toml")):
        text = example.read_text(encoding="utf-8")
        written = render(parse(text, str(example)))
        (GOLDEN / f"example-{example.name}").write_bytes(written.encode("utf-8"))
        if written != text:
            differing.append(example.name)
    records = json.loads((GOLDEN / "synthetic_records.json").read_text(encoding="utf-8"))
    for name, document in records.items():
        text = render(ClientRecord.model_validate(document))
        (GOLDEN / f"{name}.toml").write_bytes(text.encode("utf-8"))
    print(f"wrote {len(records)} synthetic and {len(list(EXAMPLES.glob('*.toml')))} example files")
    for name in differing:
        print(f"example {name} is not what the writer writes", file=sys.stderr)
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
