"""Benchmark bulk import and export: a 10,000-row CSV across 50 clients, in real processes.

    .venv/bin/python benchmarks/import_10k.py [--rows 10000] [--clients 50]

Prints wall-clock seconds for: first import, re-import (adds nothing), an import with one bad
row in the middle (refused, nothing written), export --all as JSON, CSV and FHIR, and the
JSON round trip into an empty home. Uses temporary homes only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def make_csv(rows: int = 10_000, clients: int = 50) -> str:
    """A CSV with client rows, two goal rows per client, and entry rows filling up to `rows`."""
    lines = ["type,client,goal,kind,title,measure,baseline,target,date,value,session,rater,note"]
    per_client = (rows - 3 * clients) // clients
    extra = (rows - 3 * clients) % clients
    for c in range(clients):
        cid = f"c-{1000 + c}"
        lines.append(f"client,{cid},,,,,,,,,,,")
        lines.append(f"goal,{cid},1,symptom-reduction,Reduce low mood,phq9,20,9,,,,,")
        lines.append(f"goal,{cid},2,coping,Use grounding skills,gbo,2,8,,,,,")
        count = per_client + (1 if c < extra else 0)
        step = 3 if count <= 700 else 1
        start = date.today() - timedelta(days=step * (count // 2 + 1))
        for i in range(count):
            goal = 1 + i % 2
            session = i // 2 + 1
            day = start + timedelta(days=step * (i // 2))
            value = max(0, 20 - (i // 2) % 15) if goal == 1 else min(10, 2 + (i // 2) % 9)
            note = '"Said: ""better, mostly"""' if i % 37 == 0 else ""
            lines.append(f",{cid},{goal},,,,,,{day},{value},{session},client,{note}")
    return "\n".join(lines) + "\n"


def run(
    home: Path, *args: str, stdin: str | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run goaltrack in a real process against `home`; return (seconds, result)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "goaltrack", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        good = folder / "scores.csv"
        text = make_csv(options.rows, options.clients)
        good.write_text(text, encoding="utf-8")
        lines = text.splitlines()
        middle = len(lines) // 2
        bad_lines = [
            *lines[:middle],
            lines[middle].replace(",client,", ",clinet,"),
            *lines[middle + 1 :],
        ]
        bad = folder / "scores-bad.csv"
        bad.write_text("\n".join(bad_lines) + "\n", encoding="utf-8")
        home = folder / "home"

        figures: list[tuple[str, float, str]] = []

        def step(label: str, *args: str, target: Path = home) -> subprocess.CompletedProcess[str]:
            seconds, result = run(target, *args)
            last = (result.stderr.strip().splitlines() or [""])[-1]
            figures.append((label, seconds, f"exit {result.returncode}: {last[:90]}"))
            return result

        step("import (rejected: 1 bad row)", "import", str(bad))
        step("import 10k rows", "import", str(good), "-f", "csv")
        step("re-import (adds nothing)", "import", str(good), "-f", "csv")
        step("import --dry-run", "import", str(good), "--dry-run", "-f", "csv")
        dump = step("export --all -f json", "export", "--all", "-o", str(folder / "a.json"))
        assert dump.returncode == 0
        step("export --all -f csv", "export", "--all", "-f", "csv", "-o", str(folder / "a.csv"))
        step("export --all -f fhir", "export", "--all", "-f", "fhir", "-o", str(folder / "a.fhir"))
        step(
            "import dump into empty home",
            "import",
            str(folder / "a.json"),
            "-f",
            "csv",
            target=folder / "home2",
        )
        _, again = run(folder / "home2", "export", "--all")
        same = again.stdout == (folder / "a.json").read_text(encoding="utf-8")

        print(f"{options.rows} rows, {options.clients} clients, python {sys.version.split()[0]}")
        for label, seconds, note in figures:
            print(f"{label:<32} {seconds:6.2f} s   {note}")
        print(f"round trip identical: {same}")


if __name__ == "__main__":
    main()
