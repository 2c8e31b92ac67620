"""The shape of the code: the core is a library that imports neither typer nor rich."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "goaltrack.records.model",
    "goaltrack.measures.instruments",
    "goaltrack.measures.outcomes",
    "goaltrack.storage.store",
    "goaltrack.errors",
    "goaltrack.operations",
    "goaltrack.records.convert",
    "goaltrack.views",
]


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        f"for name in {modules!r}: __import__(name)\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_imports_neither_typer_nor_rich() -> None:
    """Importing every core module loads no typer, click or rich module."""
    loaded = _loaded_after_import(CORE)
    assert not {m for m in loaded if m.split(".")[0] in {"typer", "rich", "click"}}


def test_help_imports_neither_rich_nor_pydantic() -> None:
    """`goaltrack --help` loads no rich and no pydantic (start-up time for shell loops)."""
    code = (
        "import sys\nfrom goaltrack.cli.app import app\n"
        "try:\n    app(['--help'], prog_name='goaltrack')\nexcept SystemExit:\n    pass\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'rich', 'pydantic'}\n"
        "print('RICH' if heavy else 'NORICH')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("NORICH")


def test_store_load_works_as_a_library(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """goaltrack.storage.store.load(id, home) works from plain Python, as from a notebook."""
    from datetime import date

    from goaltrack import operations as changes
    from goaltrack.storage import store

    store.Store(tmp_path / "h").create(changes.new_client_record("c-1", created=date(2026, 9, 1)))
    assert store.load("c-1", home=tmp_path / "h").client.created == date(2026, 9, 1)
