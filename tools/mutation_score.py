"""Print the mutation score of the last `mutmut run` and its surviving mutants by module.

Used by `make mutation` after `mutmut run`: reads the results through mutmut's own commands
(`export-cicd-stats`, `results`), prints killed / total and the survivors grouped by module,
and exits 1 when the score is below --fail-under (percent).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

STATS = Path("mutants") / "mutmut-cicd-stats.json"


def mutmut(*args: str) -> str:
    """Run a mutmut command next to this interpreter and return its standard output."""
    executable = Path(sys.executable).with_name("mutmut")
    done = subprocess.run([str(executable), *args], capture_output=True, text=True, check=True)
    return done.stdout


def not_killed() -> dict[str, list[str]]:
    """Every mutant that was not killed, as "name: status", grouped by module."""
    by_module: dict[str, list[str]] = defaultdict(list)
    for line in mutmut("results").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.split(".x")[0]
        by_module[module].append(f"{name.removeprefix(module + '.')}: {status}")
    return dict(by_module)


def main() -> int:
    """Print the score and the survivors; 1 when the score is below the bar."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fail-under", type=float, default=0.0, help="lowest passing percent")
    options = parser.parse_args()
    mutmut("export-cicd-stats")
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    killed, total = int(stats["killed"]), int(stats["total"])
    survivors = not_killed()
    for module, names in sorted(survivors.items()):
        print(f"{module}: {len(names)} not killed")
        for name in names:
            print(f"    {name}")
    score = 100 * killed / total if total else 0.0
    print(f"mutation score: {killed} killed / {total} mutants = {score:.1f}%")
    if score < options.fail_under:
        print(f"below the {options.fail_under:g}% bar", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
