"""One way in: a value gets the same answer typed on the command line, in a CSV import and in
a JSON Lines import (issue 9, the drift cases), and a dump of another kind is refused.

Every path runs through the real CLI (`goaltrack log`, `add-goal`, `import`). An answer is the
exit code with what was stored, or with the message after its place: `goaltrack: error: `
on the command line, `line N, field F: ` (written here as `F: `) or `line N: ` in an import.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import invoke

DAY = "2026-09-08"
#: A user scale wide enough that 1e3 fits, so the number rule is seen, not a range.
STEPS = '[steps]\nname = "Daily steps (hundreds)"\nmin = 0\nmax = 100000\nbetter = "higher"\n'
NINETEEN_DIGITS = "1234567890123456789"
PATHS = ("command line", "CSV", "JSON Lines text", "JSON Lines number")

Answer = tuple[int, Any]


def _message(stderr: str) -> str:
    """The first error line without its place, so the four paths can be compared."""
    line = stderr.strip().splitlines()[0].removeprefix("goaltrack: error: ")
    line = re.sub(r"^line \d+, field (\w+): ", r"\1: ", line)
    return re.sub(r"^line \d+: ", "", line)


def _answer(result: Any, stored: Any) -> Answer:
    if result.exit_code != 0:
        return result.exit_code, _message(result.stderr)
    return 0, (type(stored()).__name__, stored())


def _clients(runner: CliRunner, home: Path, *, with_goal: bool) -> None:
    """Clients c-cli, c-csv, c-jsonl and c-number, each (optionally) with a steps goal 1."""
    for client in ("c-cli", "c-csv", "c-jsonl", "c-number"):
        assert invoke(runner, "new-client", client).exit_code == 0
    (home / "instruments.toml").write_text(STEPS, encoding="utf-8")
    for client in ("c-cli", "c-csv", "c-jsonl", "c-number"):
        if with_goal:
            result = invoke(runner, "add-goal", client, "coping", "Walk more", "--measure", "steps")
            assert result.exit_code == 0, result.stderr


def _logged(home: Path, client: str) -> Any:
    return lambda: Store(home).load(client).goal(1).progress[-1].value  # type: ignore[union-attr]


def _baseline(home: Path, client: str) -> Any:
    return lambda: Store(home).load(client).goal(1).baseline  # type: ignore[union-attr]


def _log_everywhere(runner: CliRunner, home: Path, text: str) -> dict[str, Answer]:
    """`text` as a logged value: `log`, a CSV cell, a JSON string and a bare JSON number."""
    _clients(runner, home, with_goal=True)
    csv = f"client,goal,date,value\nc-csv,1,{DAY},{text}\n"
    jsonl = json.dumps({"client": "c-jsonl", "goal": 1, "date": DAY, "value": text}) + "\n"
    number = f'{{"client": "c-number", "goal": 1, "date": "{DAY}", "value": {text}}}\n'
    return {
        "command line": _answer(
            invoke(runner, "log", "c-cli", "1", text, "--date", DAY), _logged(home, "c-cli")
        ),
        "CSV": _answer(invoke(runner, "import", "-", input=csv), _logged(home, "c-csv")),
        "JSON Lines text": _answer(
            invoke(runner, "import", "-", "--input-format", "jsonl", input=jsonl),
            _logged(home, "c-jsonl"),
        ),
        "JSON Lines number": _answer(
            invoke(runner, "import", "-", "--input-format", "jsonl", input=number),
            _logged(home, "c-number"),
        ),
    }


def _baseline_everywhere(runner: CliRunner, home: Path, text: str) -> dict[str, Answer]:
    """`text` as a goal's baseline: `add-goal --baseline`, and goal rows in CSV and JSON Lines."""
    _clients(runner, home, with_goal=False)
    goal = {"type": "goal", "goal": 1, "kind": "coping", "title": "Walk more", "measure": "steps"}
    csv = (
        "type,client,goal,kind,title,measure,baseline\n"
        f"goal,c-csv,1,coping,Walk more,steps,{text}\n"
    )
    jsonl = json.dumps({**goal, "client": "c-jsonl", "baseline": text}) + "\n"
    number = json.dumps({**goal, "client": "c-number"})[:-1] + f', "baseline": {text}}}\n'
    args = ("add-goal", "c-cli", "coping", "Walk more", "--measure", "steps", "--baseline", text)
    return {
        "command line": _answer(invoke(runner, *args), _baseline(home, "c-cli")),
        "CSV": _answer(invoke(runner, "import", "-", input=csv), _baseline(home, "c-csv")),
        "JSON Lines text": _answer(
            invoke(runner, "import", "-", "--input-format", "jsonl", input=jsonl),
            _baseline(home, "c-jsonl"),
        ),
        "JSON Lines number": _answer(
            invoke(runner, "import", "-", "--input-format", "jsonl", input=number),
            _baseline(home, "c-number"),
        ),
    }


@pytest.mark.parametrize("where", [_log_everywhere, _baseline_everywhere], ids=["log", "baseline"])
def test_1e3_is_a_thousand_on_every_path(runner: CliRunner, home: Path, where: Any) -> None:
    """1e3 is accepted and stored as the whole number 1000 typed, in CSV and in JSON Lines."""
    answers = where(runner, home, "1e3")
    assert answers == dict.fromkeys(PATHS, (0, ("int", 1000)))


@pytest.mark.parametrize(
    ("where", "field"), [(_log_everywhere, "value"), (_baseline_everywhere, "baseline")]
)
def test_nineteen_digits_are_refused_alike_on_every_path(
    runner: CliRunner, home: Path, where: Any, field: str
) -> None:
    """A 19-digit number breaks the model's 1e12 bound: exit 1 and one message on every path."""
    answers = where(runner, home, NINETEEN_DIGITS)
    assert answers == dict.fromkeys(PATHS, (1, f"{field}: must lie between -1e12 and 1e12"))


def _goal_rows(runner: CliRunner, home: Path, title: str) -> dict[str, Answer]:
    """A goal row for goal 1 of c-1 (which exists as 'Walk more') in CSV and in JSON Lines."""
    row = {"type": "goal", "client": "c-1", "goal": 1, "kind": "coping", "title": title}
    csv = "type,client,goal,kind,title\n" + ",".join(str(v) for v in row.values()) + "\n"
    answers = {}
    for name, text, fmt in (("CSV", csv, "csv"), ("JSON Lines", json.dumps(row) + "\n", "jsonl")):
        result = invoke(runner, "import", "-", "--input-format", fmt, "-f", "json", input=text)
        goals = (
            json.loads(result.stdout)["totals"]["goals_added"] if result.exit_code == 0 else None
        )
        answers[name] = (result.exit_code, goals if goals is not None else _message(result.stderr))
    return answers


def _dump_merge(runner: CliRunner, home: Path, title: str) -> Answer:
    """A dump of c-1 whose goal 1 has `title` and one entry more, merged into c-1."""
    dump = json.loads(invoke(runner, "export", "c-1").stdout)
    goal = dump["clients"][0]["goals"][0]
    goal["title"] = title
    goal["progress"] = [*goal.get("progress", []), {"id": "E-DUMP", "date": DAY, "value": 3}]
    result = invoke(runner, "import", "-", "-f", "json", input=json.dumps(dump))
    if result.exit_code != 0:
        return result.exit_code, _message(result.stderr)
    return 0, json.loads(result.stdout)["totals"]["entries_added"]


def test_a_title_differing_in_case_is_the_same_goal_on_every_path(
    runner: CliRunner, home: Path
) -> None:
    """'WALK MORE' for goal 1 'Walk more' is that goal in a CSV row, a JSON Lines row and a dump."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Walk more")
    rows = _goal_rows(runner, home, "WALK MORE")
    merged = _dump_merge(runner, home, "WALK MORE")
    assert rows == {"CSV": (0, 0), "JSON Lines": (0, 0)}  # the goal is there: nothing added
    assert merged == (0, 1)  # its entries merge into it
    assert Store(home).load("c-1").goal(1).title == "Walk more"  # type: ignore[union-attr]


def test_another_title_is_refused_alike_on_every_path(runner: CliRunner, home: Path) -> None:
    """A different title for an existing goal number is refused, exit 1, in rows and dumps."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Walk more")
    rows = _goal_rows(runner, home, "Sleep better")
    merged = _dump_merge(runner, home, "Sleep better")
    assert rows == dict.fromkeys(
        ("CSV", "JSON Lines"),
        (
            1,
            "goal: goal 1 of 'c-1' already exists with a different kind or title; "
            "use another number",
        ),
    )
    assert merged == (1, "clients[0] (c-1): goal 1 exists with a different kind or title")


def test_a_json_document_of_another_kind_is_refused(runner: CliRunner, home: Path) -> None:
    """A JSON document whose kind is not a goaltrack export is refused whole, in one line."""
    invoke(runner, "new-client", "c-1")
    dump = json.loads(invoke(runner, "export", "c-1").stdout)
    dump["kind"] = "goaltrack-check-report"
    dump["clients"][0]["client"]["id"] = "c-2"
    result = invoke(runner, "import", "-", "--input-format", "json", input=json.dumps(dump))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "goaltrack: error: input: not a goaltrack export: kind must be 'goaltrack-export'"
    )
    assert not (home / "clients" / "c-2.toml").exists()


def test_a_dump_without_a_kind_is_refused(runner: CliRunner, home: Path) -> None:
    """A JSON document with a clients list but no kind is not taken for an export."""
    document = {"format_version": 1, "clients": []}
    result = invoke(runner, "import", "-", "--input-format", "json", input=json.dumps(document))
    assert result.exit_code == 1
    assert "kind must be 'goaltrack-export'" in result.stderr


def test_clinical_text_in_a_number_is_never_echoed(runner: CliRunner, home: Path) -> None:
    """A note typed where a number belongs is refused without being quoted, on every path."""
    answers = _log_everywhere(runner, home, "SECRET feels hopeless")
    rule = (1, "value: must be a number (use a dot for decimals, e.g. 6.5)")
    assert [answers[path] for path in PATHS[:3]] == [rule] * 3
    assert answers["JSON Lines number"] == (1, "not valid JSON")  # bare words are not JSON
