"""`goaltrack items`: a questionnaire's answers item by item across administrations."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from helpers import invoke

ANSWERS = {
    "2026-10-01": "2 2 2 2 1 1 1 1 1",  # total 13, item 9 endorsed
    "2026-10-15": "2 1 2 1 1 1 0 1 0",  # total 9
    "2026-11-01": "1 1 1 1 0 0 0 0 0",  # total 4
}


@pytest.fixture
def three_phq9(runner: CliRunner) -> str:
    """Client c-1 with two PHQ-9 goals and three administrations logged to both."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--baseline", "19",
           "--target", "9", "--force")  # fmt: skip
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Sleep", "--baseline", "19",
           "--target", "9", "--force")  # fmt: skip
    for day, answers in ANSWERS.items():
        result = invoke(runner, "measure", "c-1", "phq9", "--date", day, input=answers)
        assert result.exit_code == 0, result.stderr
    return "c-1"


GRID_120 = """\
Patient Health Questionnaire-9 (PHQ-9) item by item: c-1

Answers by date, oldest first
Item                                 2026-10-01   2026-10-15   2026-11-01
─────────────────────────────────────────────────────────────────────────
 1  Little interest or pleasure i…            2            2            1
 2  Feeling down, depressed, or h…            2            1            1
 3  Trouble falling or staying as…            2            2            1
 4  Feeling tired or having littl…            2            1            1
 5  Poor appetite or overeating               1            1            0
 6  Feeling bad about yourself — …            1            1            0
 7  Trouble concentrating on thin…            1            0            0
 8  Moving or speaking so slowly …            1            1            0
 9! Thoughts that you would be be…           1!            0            0
Total                                        13            9            4
! marks the safety item (PHQ-9 item 9) and an answer above 0 to it: follow up
"""


def test_grid_shows_items_by_date_with_item9_marked(runner: CliRunner, three_phq9: str) -> None:
    """Rows are items with short wording, columns dates oldest first, item 9 marked '!'."""
    result = invoke(runner, "items", three_phq9, "phq9")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GRID_120


def test_narrow_terminal_keeps_the_latest_dates(
    runner: CliRunner, three_phq9: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 70 columns the oldest date is dropped first; the newest two stay."""
    monkeypatch.setenv("COLUMNS", "70")
    lines = invoke(runner, "items", three_phq9, "PHQ9").stdout.splitlines()
    assert lines[3].split() == ["Item", "2026-10-15", "2026-11-01"]
    assert lines[13] == " 9! Thoughts that you would be be…            0            0"


def test_csv_has_one_row_per_administration_and_item(runner: CliRunner, three_phq9: str) -> None:
    """CSV: one row per (date, entries, item, answer); a shared administration counts once."""
    result = invoke(runner, "items", three_phq9, "phq9", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 27
    assert list(rows[0]) == ["client", "instrument", "date", "entries", "goals", "item", "text",
                             "answer"]  # fmt: skip
    item9 = rows[8]
    assert (item9["date"], item9["goals"], item9["item"], item9["answer"]) == (
        "2026-10-01", "1;2", "9", "1")  # fmt: skip
    assert item9["text"] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert len(item9["entries"].split(";")) == 2
    assert [row["answer"] for row in rows if row["date"] == "2026-11-01"] == list("111100000")


def test_json_and_jsonl_carry_the_same_rows(runner: CliRunner, three_phq9: str) -> None:
    """JSON's `items` list equals the JSON Lines rows, with a format_version."""
    document = json.loads(invoke(runner, "items", three_phq9, "phq9", "--json").stdout)
    lines = invoke(runner, "items", three_phq9, "phq9", "-f", "jsonl").stdout.splitlines()
    assert document["format_version"] == 2
    assert (document["client"], document["instrument"]) == ("c-1", "phq9")
    assert document["items"] == [json.loads(line) for line in lines]
    assert [row["answer"] for row in document["items"][9:18]] == [2, 1, 2, 1, 1, 1, 0, 1, 0]


def test_no_answers_yet_says_how_to_record_them(runner: CliRunner, three_phq9: str) -> None:
    """A form never administered prints the empty line, exit 0."""
    result = invoke(runner, "items", three_phq9, "gad7")
    assert result.exit_code == 0
    assert "no gad7 answers yet: record them with `goaltrack measure`" in result.stdout


def test_totals_only_instrument_is_refused_in_one_line(runner: CliRunner, three_phq9: str) -> None:
    """ORS has no item answers: one error line, exit 1."""
    result = invoke(runner, "items", three_phq9, "ors")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: ors is recorded as totals only: it has no item answers to show "
        "(item by item: gad2, gad7, pcl5, phq2, phq9, rses)\n"
    )
