"""The shape of the code: the core is a library that imports neither typer nor rich."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

CORE = [
    "goaltrack.records.model",
    "goaltrack.measures.instruments",
    "goaltrack.measures.outcomes",
    "goaltrack.measures.change",
    "goaltrack.storage.store",
    "goaltrack.errors",
    "goaltrack.operations",
    "goaltrack.records.convert",
    "goaltrack.views",
    "goaltrack.chart_views",
    "goaltrack.instrument_views",
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
SHARED_CLI = {
    "goaltrack.cli",
    "goaltrack.cli.app",
    "goaltrack.cli.common",
    "goaltrack.cli.complete",
    "goaltrack.cli.lifetime",
}
UI_LIBRARIES = {"typer", "click", "rich"}


def _module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


MODULES = _module_names()


def _imports(name: str) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for every import in `name`, function bodies included;
    `from goaltrack.x import y` names module goaltrack.x.y when y is a module."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((full, None) if full in MODULES else (base, alias.name))
    return found


def _graph() -> dict[str, set[str]]:
    """Each goaltrack module and the goaltrack modules it imports."""
    return {
        name: {module for module, _ in _imports(name) if module in MODULES} - {name}
        for name in MODULES
    }


def test_the_import_graph_has_no_cycle() -> None:
    """No module of goaltrack imports itself again through other goaltrack modules."""
    graph = _graph()

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    assert [module for module in sorted(graph) if module in reachable(module)] == []


def test_no_command_module_imports_another() -> None:
    """A command module of cli/ imports no other command module (only app, common, complete,
    lifetime)."""
    graph = _graph()
    commands = {name for name in graph if name.startswith("goaltrack.cli.")} - SHARED_CLI
    assert {(module, other) for module in commands for other in graph[module] & commands} == set()


def test_no_core_module_imports_a_ui_library() -> None:
    """Outside cli/ and render/, no module imports typer, click or rich (function bodies too)."""
    core = [n for n in MODULES if not n.startswith(("goaltrack.cli", "goaltrack.render"))]
    offenders = {
        (name, module)
        for name in core
        for module, _ in _imports(name)
        if module.split(".")[0] in UI_LIBRARIES
    }
    assert offenders == set()


def test_no_module_imports_a_private_name_of_another() -> None:
    """No `from goaltrack.x import _name` and no `x._name` on an imported goaltrack module."""
    offenders = []
    for name in MODULES:
        imported = _imports(name)
        offenders += [
            (name, f"{module}.{item}")
            for module, item in imported
            if item and module.startswith("goaltrack") and item.startswith("_")
            and not item.startswith("__")
        ]  # fmt: skip
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        aliases = {
            alias.asname or alias.name.rpartition(".")[2]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom | ast.Import)
            for alias in node.names
        }
        modules = {
            module.rpartition(".")[2]
            for module, item in imported
            if item is None and module.startswith("goaltrack")
        }
        offenders += [
            (name, f"{node.value.id}.{node.attr}")
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases & modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ]
    assert offenders == []


def test_write_commands_load_no_analytics_exporters_or_rich() -> None:
    """The module of `log` loads no read models, analytics, exporters, tomllib or rich."""
    loaded = _loaded_after_import(["goaltrack.cli.entries"])
    heavy = {
        "goaltrack.views",
        "goaltrack.chart_views",
        "goaltrack.instrument_views",
        "goaltrack.measures.outcomes",
        "goaltrack.measures.trend",
        "goaltrack.interop.exporting",
        "goaltrack.interop.fhir",
        "tomllib",  # the reference parser: only for completion and the rare file rtoml can't take
    }
    assert not loaded & heavy
    assert not {m for m in loaded if m.split(".")[0] == "rich"}


def test_the_log_path_loads_no_planning_or_scoring_module() -> None:
    """`log`'s command module and operation load no planning module (templates, drafts), and
    neither the forms nor the scoring of administered questionnaires."""
    loaded = _loaded_after_import(["goaltrack.cli.entries"])
    code = (
        "import sys\nimport goaltrack.cli.entries\nfrom goaltrack import operations\n"
        "operations.log_value, operations.EntryFields, operations.remove_entry\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded |= set(out.stdout.split())
    assert "goaltrack.operations.entries" in loaded
    assert not {m for m in loaded if m.startswith("goaltrack.planning")}
    assert not {"goaltrack.measures.scoring", "goaltrack.measures.forms"} & loaded


def test_operations_names_load_on_first_use() -> None:
    """Every name in operations.__all__ resolves, and an unknown one is an AttributeError."""
    from goaltrack import operations

    assert all(
        callable(getattr(operations, name)) or name.endswith("CLEARABLE")
        for name in operations.__all__
    )
    assert set(operations.__all__) <= set(dir(operations))
    try:
        operations.no_such_operation  # noqa: B018
    except AttributeError as error:
        assert "no_such_operation" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_map_names_every_module() -> None:
    """docs/architecture.md (the map) names each module of the package by its file name."""
    text = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
        and re.search(rf"\b{path.stem}\b", text) is None
    )
    assert unnamed == []
