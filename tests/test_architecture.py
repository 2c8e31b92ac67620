"""The shape of the code: the core is a library that imports neither typer nor rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


SRC = Path(__file__).resolve().parent.parent / "src" / "goaltrack"
SHARED_CLI = {"__init__", "app", "common", "complete"}  # the rest of cli/ are command modules


def _imports_of(package: str) -> dict[str, set[str]]:
    """For each module of goaltrack.`package`, the modules of that package it imports
    (in function bodies too)."""
    names = {path.stem for path in (SRC / package).glob("*.py")}
    graph: dict[str, set[str]] = {}
    for stem in names:
        tree = ast.parse((SRC / package / f"{stem}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == f"goaltrack.{package}":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.removeprefix(f"goaltrack.{package}."))
            elif isinstance(node, ast.Import):
                found |= {a.name.removeprefix(f"goaltrack.{package}.") for a in node.names}
        graph[stem] = found & names - {stem}
    return graph


def test_no_command_module_imports_another() -> None:
    """A command module of cli/ imports no other command module (only app, common, complete)."""
    graph = _imports_of("cli")
    commands = set(graph) - SHARED_CLI
    assert {(module, other) for module in commands for other in graph[module] & commands} == set()


@pytest.mark.parametrize("package", ["cli", "render"])
def test_cli_and_render_modules_form_no_cycle(package: str) -> None:
    """No module of cli/ or render/ imports itself again through the package's modules."""
    graph = _imports_of(package)

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    assert [module for module in sorted(graph) if module in reachable(module)] == []
