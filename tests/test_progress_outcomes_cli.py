"""`progress` and `show` carry the outcome analytics in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from helpers import EXAMPLES, invoke, snapshot

ORIGINAL_CSV = [  # the progress row before outcome analytics, in its order
    "client",
    "goal",
    "title",
    "kind",
    "measure",
    "baseline",
    "target",
    "due",
    "latest",
    "latest_date",
    "change",
    "percent_to_target",
    "entries",
    "status",
]


def _days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _phq9_client(runner: CliRunner, values: list[int], every: int = 7, **goal: str) -> None:
    """Client c-1, PHQ-9 goal 1 (baseline 19, target 9), values ending today."""
    invoke(runner, "new-client", "c-1")
    extra = [item for key, value in goal.items() for item in (f"--{key}", value)]
    invoke(
        runner,
        "add-goal",
        "c-1",
        "symptom-reduction",
        "Mood",
        "--measure",
        "phq9",
        "--baseline",
        "19",
        "--target",
        "9",
        *extra,
    )
    for i, value in enumerate(values):
        invoke(
            runner,
            "log",
            "c-1",
            "1",
            str(value),
            "--date",
            _days_ago(every * (len(values) - 1 - i)),
        )


def _json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = invoke(runner, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_progress_json_adds_outcome_fields(runner: CliRunner) -> None:
    """PHQ-9 19 -> 8: improvement 11, improved, recovered, mild, target reached."""
    _phq9_client(runner, [19, 15, 8])
    goal = _json(runner, "progress", "c-1")["goals"][0]
    assert goal["change"] == -11
    assert goal["improvement"] == 11
    assert goal["better"] == "lower"
    assert goal["reliable_change"] == "improved"
    assert goal["clinical_significance"] == "recovered"
    assert goal["band"] == "mild"
    assert goal["target_reached"] is True
    assert goal["status_word"] == "target reached"
    assert goal["days_since_entry"] == 0


def test_progress_unchanged_and_deteriorated(runner: CliRunner) -> None:
    """19 -> 15 is unchanged (4 < 6); a second goal 12 -> 19 is deteriorated."""
    _phq9_client(runner, [19, 15])
    invoke(
        runner,
        "add-goal",
        "c-1",
        "symptom-reduction",
        "Mood 2",
        "--measure",
        "phq9",
        "--baseline",
        "12",
        "--target",
        "5",
    )
    invoke(runner, "log", "c-1", "2", "19", "--date", _days_ago(0))
    goals = _json(runner, "progress", "c-1")["goals"]
    assert goals[0]["clinical_significance"] == "unchanged"
    assert goals[1]["clinical_significance"] == "deteriorated"
    assert goals[1]["status_word"] == "deteriorating"


def test_progress_csv_keeps_original_columns_first(runner: CliRunner) -> None:
    """The CSV header starts with the original columns, in order, then the new ones."""
    _phq9_client(runner, [19, 15, 8])
    result = invoke(runner, "progress", "c-1", "-f", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[: len(ORIGINAL_CSV)] == ORIGINAL_CSV
    assert "status_word" in header and "slope_per_week" in header
    row = next(iter(csv.DictReader(io.StringIO(result.stdout))))
    assert row["clinical_significance"] == "recovered"
    assert row["target_reached"] == "true"


def test_stale_days_option_and_environment(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Last entry 30 days ago: stale at the default 28; not with --stale-days 45 or the env."""
    invoke(runner, "new-client", "c-2")
    invoke(
        runner,
        "add-goal",
        "c-2",
        "symptom-reduction",
        "Mood",
        "--measure",
        "phq9",
        "--baseline",
        "19",
        "--target",
        "9",
    )
    invoke(runner, "log", "c-2", "1", "17", "--date", _days_ago(30))
    assert _json(runner, "progress", "c-2")["goals"][0]["stale"] is True
    assert _json(runner, "progress", "c-2", "--stale-days", "45")["goals"][0]["stale"] is False
    monkeypatch.setenv("GOALTRACK_STALE_DAYS", "45")
    document = _json(runner, "progress", "c-2")
    assert document["stale_days"] == 45
    assert document["goals"][0]["stale"] is False


def test_bad_stale_days_environment_is_an_input_error(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """GOALTRACK_STALE_DAYS=soon: exit 1 and one line naming the variable."""
    _phq9_client(runner, [19])
    monkeypatch.setenv("GOALTRACK_STALE_DAYS", "soon")
    result = invoke(runner, "progress", "c-1")
    assert result.exit_code == 1
    assert "GOALTRACK_STALE_DAYS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_gas_t_score_in_progress_and_show(runner: CliRunner) -> None:
    """c-3150 (GAS goals at +1 and 0): T = 56.2 in JSON and under both tables."""
    home = ["--home", str(EXAMPLES)]
    assert _json(runner, *home, "progress", "c-3150")["gas"]["t_score"] == 56.2
    assert _json(runner, *home, "show", "c-3150")["client"]["gas"]["t_score"] == 56.2
    for command in ("progress", "show"):
        result = invoke(runner, *home, command, "c-3150")
        assert "GAS T-score 56.2 over goals 2, 3" in result.stdout


def test_gas_priority_weights(runner: CliRunner) -> None:
    """c-3150 by priority: medium (2) at +1, low (1) at 0: T = 50 + 20/sqrt(3.5+2.7) = 58.0."""
    document = _json(
        runner, "--home", str(EXAMPLES), "progress", "c-3150", "--gas-weights", "priority"
    )
    assert document["gas"]["t_score"] == 58.0
    assert document["gas"]["weighting"] == "priority"


def test_client_without_gas_has_null_gas(runner: CliRunner) -> None:
    """No GAS goals: `gas` is null and no T-score line is printed."""
    home = ["--home", str(EXAMPLES)]
    assert _json(runner, *home, "progress", "c-1042")["gas"] is None
    assert "GAS" not in invoke(runner, *home, "progress", "c-1042").stdout


def test_show_has_outlook_column(runner: CliRunner) -> None:
    """`show` lists each goal's status word; its CSV adds status_word, the rule fields, then
    the rater whose ratings the figures use (issue 17)."""
    _phq9_client(runner, [19, 15, 8])
    assert "target reached" in invoke(runner, "show", "c-1").stdout
    header = invoke(runner, "show", "c-1", "-f", "csv").stdout.splitlines()[0].split(",")
    assert header[: len(ORIGINAL_CSV)] == ORIGINAL_CSV
    assert header[-5:] == ["status_word", "meaningful_change", "rule", "rule_source", "rater"]


def test_progress_table_at_60_columns_keeps_the_outlook(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On a narrow terminal the table drops detail columns but keeps goal, now and outlook."""
    monkeypatch.setenv("COLUMNS", "60")
    result = invoke(runner, "--home", str(EXAMPLES), "progress", "c-4208")
    assert all(len(line) <= 60 for line in result.stdout.splitlines())
    assert "Outlook" in result.stdout and "worse" in result.stdout  # CORE-10: no RC rule


def test_progress_reads_leave_the_examples_untouched(runner: CliRunner, tmp_path: Path) -> None:
    """A chart of the examples changes no byte of them."""
    before = snapshot(EXAMPLES)
    invoke(runner, "--home", str(EXAMPLES), "progress", "c-1042", "--chart")
    assert snapshot(EXAMPLES) == before


def test_as_of_fixes_the_day_flags_are_judged_on(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """GOALTRACK_AS_OF=2026-11-28: c-4208's last entries (10-20) are 39 days old: stale."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-28")
    document = _json(runner, "--home", str(EXAMPLES), "progress", "c-4208")
    assert document["as_of"] == "2026-11-28"
    assert [goal["days_since_entry"] for goal in document["goals"]] == [39, 39, 39, 81]
    assert [goal["status_word"] for goal in document["goals"]] == [
        "stale",
        "stale",
        "worse",  # CORE-10 17 -> 24: no reliable-change rule, so worse, not deteriorating
        "paused",
    ]


def test_bad_as_of_is_an_input_error(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """GOALTRACK_AS_OF that is not a date: exit 1, naming the variable."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "someday")
    result = invoke(runner, "--home", str(EXAMPLES), "progress", "c-4208")
    assert result.exit_code == 1
    assert "GOALTRACK_AS_OF" in result.stderr


def test_user_instrument_feeds_the_analytics(runner: CliRunner, home: Path) -> None:
    """A user scale with SD 7.5, r .9 (instruments.toml): 11 -> 20 is RCI 2.68: improved."""
    invoke(runner, "new-client", "c-1")
    home.joinpath("instruments.toml").write_text(
        '[esteem]\nname = "Esteem diary"\nmin = 0\nmax = 30\nbetter = "higher"\n'
        "cutoff = 15\nsd = 7.5\nreliability = 0.9\n"
    )
    invoke(
        runner,
        "add-goal",
        "c-1",
        "self-esteem",
        "Esteem",
        "--measure",
        "esteem",
        "--baseline",
        "11",
        "--target",
        "22",
    )
    invoke(runner, "log", "c-1", "1", "20", "--date", _days_ago(0))
    goal = _json(runner, "progress", "c-1")["goals"][0]
    assert goal["reliable_change"] == "improved"
    assert goal["clinical_significance"] == "recovered"
