"""Start-up and layering of the instrument modules."""

from __future__ import annotations

import subprocess
import sys


def imported_after(code: str) -> set[str]:
    """Module names loaded by a fresh interpreter after running `code`."""
    probe = f"{code}; import sys; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_cli_start_up_does_not_load_the_registry_or_item_texts() -> None:
    """Importing the CLI (as `goaltrack --help` does) loads no registry, forms or scoring."""
    loaded = imported_after("import goaltrack.cli.app")
    assert (
        not {
            "goaltrack.measures.instruments",
            "goaltrack.measures.forms",
            "goaltrack.measures.scoring",
            "goaltrack.operations",
        }
        & loaded
    )


def test_instrument_core_modules_import_neither_typer_nor_rich() -> None:
    """forms, scoring, operations, safety and instruments are core: no typer, no rich."""
    loaded = imported_after(
        "import goaltrack.measures.forms, goaltrack.measures.scoring, goaltrack.operations, "
        "goaltrack.measures.safety, "
        "goaltrack.measures.instruments"
    )
    assert not {name for name in loaded if name.split(".")[0] in {"typer", "rich", "click"}}
