"""The one-line words a refused progress entry gets, on every path a value reaches the model.

An entry's rules (id, rater, value, note, item answers) are checked by the models whatever the
path: a hand-edited file, a JSON dump merged by `import`, a JSON Lines row, `log`. These tests
pin the exact words on each path, so that how the models check a rule may change but what the
user reads may not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goaltrack.records.enums import EntryFlag
from goaltrack.storage.store import Store
from helpers import invoke

DAY = "2026-01-05"
ID_RULE = "entry id must be 1-64 letters, digits, '-' or '_'"
RATER_RULE = "rater must be 1-32 characters of a-z, 0-9, '-' or '_', starting with a letter"
NUMBER = "must be a number"
FINITE = "must be a finite number"
BOUND = "must lie between -1e12 and 1e12"
SURROGATES = "text holds characters that cannot be stored (lone surrogates)"
NOT_TEXT = "Input should be a valid string"


@pytest.fixture
def client(runner: CliRunner, home: Path) -> Path:
    """c-1 with goal 1 (a 0-10 rating) and no entries; its file's path."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "coping", "Walk more", "--measure", "rating")
    assert result.exit_code == 0, result.stderr
    return Store(home).path_for("c-1")


def _hand_edit(path: Path, lines: str) -> None:
    """c-1's file with one entry of `lines` (TOML key = value lines) written by hand."""
    text = path.read_text().replace("progress = []\n", "")
    path.write_text(f"{text}\n[[goals.progress]]\n{lines}\n")


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        (f'id = "bad id"\ndate = {DAY}\nvalue = 3', f"progress[0].id: {ID_RULE}"),
        (f"id = 5\ndate = {DAY}\nvalue = 3", f"progress[0].id: {NOT_TEXT}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = 3\nrater = "Bad"', f"progress[0].rater: {RATER_RULE}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = 3\nrater = 7', f"progress[0].rater: {NOT_TEXT}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = true', f"progress[0].value: {NUMBER}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = "7"', f"progress[0].value: {NUMBER}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = [7]', f"progress[0].value: {NUMBER}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = nan', f"progress[0].value: {FINITE}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = -inf', f"progress[0].value: {FINITE}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = 1e13', f"progress[0].value: {BOUND}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = -1_000_000_000_001', f"progress[0].value: {BOUND}"),
        (f'id = "E1"\ndate = {DAY}\nvalue = 3\nnote = 4', f"progress[0].note: {NOT_TEXT}"),
        (
            f'id = "E1"\ndate = {DAY}\nvalue = 3\nresponses = [1, 2]',
            "progress[0]: item responses need the instrument they answer",
        ),
    ],
)
def test_a_hand_edited_entry_is_refused_in_these_words(
    runner: CliRunner, client: Path, lines: str, words: str
) -> None:
    """A hand-edited entry breaking one rule: exit 3 and the rule in one line, file untouched."""
    _hand_edit(client, lines)
    before = client.read_bytes()
    result = invoke(runner, "progress", "c-1")
    assert (result.exit_code, result.stderr) == (
        3,
        f"goaltrack: error: {client}: invalid client file: goals[0].{words}; "
        "the file was left unchanged\n",
    )
    assert client.read_bytes() == before


@pytest.mark.parametrize(
    ("value", "kept"),
    [("1_000_000_000_000", 10**12), ("-1e12", -1e12), ("0.5", 0.5), ("-0", 0), ("7", 7)],
)
def test_a_hand_edited_value_at_or_within_the_bound_is_read_as_written(
    client: Path, value: str, kept: float
) -> None:
    """Values up to the bound are read, an int as an int and a float as a float."""
    _hand_edit(client, f'id = "E1"\ndate = {DAY}\nvalue = {value}')
    [entry] = Store(client.parent.parent).load("c-1").goals[0].progress
    assert (entry.value, type(entry.value)) == (kept, type(kept))


def test_a_hand_edited_phq9_with_item9_endorsed_is_flagged_on_reading(client: Path) -> None:
    """Answers with item 9 above 0 and no flags key: the entry read carries the risk flag."""
    answers = "[1, 1, 1, 1, 1, 1, 1, 1, 2]"
    _hand_edit(
        client, f'id = "E1"\ndate = {DAY}\nvalue = 10\ninstrument = "phq9"\nresponses = {answers}'
    )
    [entry] = Store(client.parent.parent).load("c-1").goals[0].progress
    assert entry.flags == [EntryFlag.RISK_ITEM9]


def test_hand_edited_repeated_flags_are_read_once(client: Path) -> None:
    """A flag written twice by hand is read once."""
    _hand_edit(client, f'id = "E1"\ndate = {DAY}\nvalue = 3\nflags = ["risk-item9", "risk-item9"]')
    [entry] = Store(client.parent.parent).load("c-1").goals[0].progress
    assert entry.flags == [EntryFlag.RISK_ITEM9]


def _dump_with_entry(runner: CliRunner, entry: dict[str, Any]) -> str:
    """An export of c-1 whose goal 1 holds `entry` (merged by `import -f json`)."""
    dump = json.loads(invoke(runner, "export", "c-1").stdout)
    dump["clients"][0]["goals"][0]["progress"] = [entry]
    return json.dumps(dump)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("id", "bad id", f"id: {ID_RULE}"),
        ("id", "E\ud800", f"id: {ID_RULE}"),
        ("id", 5, f"id: {NOT_TEXT}"),
        ("rater", "Bad", f"rater: {RATER_RULE}"),
        ("rater", "a\ud800", f"rater: {RATER_RULE}"),
        ("value", True, f"value: {NUMBER}"),
        ("value", "7", f"value: {NUMBER}"),
        ("value", None, f"value: {NUMBER}"),
        ("value", 1e13, f"value: {BOUND}"),
        ("value", -(10**13), f"value: {BOUND}"),
        ("note", "SECRET \ud800", f"note: {SURROGATES}"),
        ("note", 4, f"note: {NOT_TEXT}"),
    ],
)
def test_an_entry_of_a_merged_dump_is_refused_in_these_words(
    runner: CliRunner, client: Path, field: str, value: object, words: str
) -> None:
    """An entry of a JSON dump breaking one rule: the import is refused naming field and rule."""
    entry = {"id": "E-DUMP", "date": DAY, "value": 3, field: value}
    result = invoke(runner, "import", "-", "-f", "json", input=_dump_with_entry(runner, entry))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"goaltrack: error: clients[0]: goals[0].progress[0].{words}"
    )
    assert "SECRET" not in result.stderr


def test_a_json_lines_note_with_a_lone_surrogate_is_refused_in_these_words(
    runner: CliRunner, client: Path
) -> None:
    """A JSON Lines row whose note holds a lone surrogate: `line 1, field note: RULE`."""
    row = json.dumps({"client": "c-1", "goal": 1, "date": DAY, "value": 5, "note": "x \ud800"})
    result = invoke(runner, "import", "-", "--input-format", "jsonl", input=row + "\n")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        f"goaltrack: error: line 1, field note: {SURROGATES}",
    )


def test_a_logged_note_with_a_lone_surrogate_is_refused_in_these_words(
    runner: CliRunner, client: Path
) -> None:
    """`log --note` with a lone surrogate (an undecodable argv byte): `note: RULE`, exit 1."""
    result = invoke(runner, "log", "c-1", "1", "5", "--date", DAY, "--note", "x \udcff")
    assert (result.exit_code, result.stderr) == (1, f"goaltrack: error: note: {SURROGATES}\n")
