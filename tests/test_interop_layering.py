"""The interop modules respect the layering: core without typer/rich, exporters not at start-up."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "goaltrack.interop.rows",
    "goaltrack.interop.importing",
    "goaltrack.interop.exporting",
    "goaltrack.interop.fhir",
    "goaltrack.storage.schema",
]


def _loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_core_interop_modules_import_neither_typer_nor_rich() -> None:
    """Importing the import/export/FHIR/schema core pulls in no CLI or terminal library."""
    loaded = _loaded_after("\n".join(f"import {name}" for name in CORE))
    assert not {name for name in loaded if name.split(".")[0] in ("typer", "rich")}


def test_help_does_not_load_exporters() -> None:
    """Building the CLI (as `goaltrack --help` does) loads no exporter and no rich."""
    loaded = _loaded_after("import goaltrack.cli.app")
    assert not loaded & {*CORE, "rich"}


def test_the_import_command_loads_no_exporter() -> None:
    """The module of `import` loads no exporter, FHIR, schema, views or outcome analytics."""
    loaded = _loaded_after("import goaltrack.cli.interop")
    assert "goaltrack.interop.importing" in loaded
    assert not loaded & {
        "goaltrack.interop.exporting",
        "goaltrack.interop.fhir",
        "goaltrack.storage.schema",
        "goaltrack.views",
        "goaltrack.measures.outcomes",
    }
