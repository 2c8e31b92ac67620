"""Issue 13, dates and the as-of snapshot: each rule through the CLI with hand-worked values.

The date rules judge against the as-of day (GOALTRACK_AS_OF, else the clock), so every test
pins it to 2026-11-30: one year before is 2025-11-30, the day before is 2026-11-29.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from goaltrack.errors import InvalidValueError
from goaltrack.operations.dates import check_due_date, check_entry_date, year_before
from helpers import invoke

AS_OF = "2026-11-30"
ZEROS = "0,0,0,0,0,0,0,0,0"


@pytest.fixture(autouse=True)
def as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test judges dates on 2026-11-30."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)


def _ok(runner: CliRunner, *args: str) -> Any:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.stderr
    return result


def _client(runner: CliRunner, *options: str) -> None:
    _ok(runner, "new-client", "c-1", *options)
    _ok(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--measure", "phq9")


# --- entries over a year old ------------------------------------------------------------


def test_entry_one_year_old_is_accepted(runner: CliRunner) -> None:
    """2025-11-30 is exactly one year before 2026-11-30: logged."""
    _client(runner, "--since", "2025-01-01")
    assert _ok(runner, "log", "c-1", "1", "12", "--date", "2025-11-30").stderr == ""


def test_entry_over_a_year_old_is_refused(runner: CliRunner) -> None:
    """2025-11-29 is a year and a day old: refused, exit 1, one line naming --force."""
    _client(runner)
    result = invoke(runner, "log", "c-1", "1", "12", "--date", "2025-11-29")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: date 2025-11-29 is more than a year ago (before 2025-11-30); "
        "check the year, or add --force to record it\n"
    )
    entries = json.loads(_ok(runner, "entries", "c-1", "--json").stdout)["entries"]
    assert entries == []


def test_old_entry_with_force_is_recorded(runner: CliRunner) -> None:
    """A 1926 slip is refused; with --force it is recorded as given."""
    _client(runner, "--since", "1926-01-01")
    assert invoke(runner, "log", "c-1", "1", "12", "--date", "1926-11-02").exit_code == 1
    _ok(runner, "log", "c-1", "1", "12", "--date", "1926-11-02", "--force")
    entries = json.loads(_ok(runner, "entries", "c-1", "--json").stdout)["entries"]
    assert [(e["date"], e["value"]) for e in entries] == [("1926-11-02", 12)]


def test_measure_over_a_year_old_is_refused_without_force(runner: CliRunner) -> None:
    """`measure` follows the same rule: 2025-11-29 refused, accepted with --force."""
    _client(runner, "--since", "2025-01-01")
    args = ("measure", "c-1", "phq9", "--responses", ZEROS, "--date", "2025-11-29")
    refused = invoke(runner, *args)
    assert refused.exit_code == 1
    assert "date 2025-11-29 is more than a year ago (before 2025-11-30)" in refused.stderr
    _ok(runner, *args, "--force")
    entries = json.loads(_ok(runner, "entries", "c-1", "--json").stdout)["entries"]
    assert [(e["date"], e["value"]) for e in entries] == [("2025-11-29", 0)]


# --- due dates already past -------------------------------------------------------------


def test_due_date_past_is_refused_on_add_goal(runner: CliRunner) -> None:
    """add-goal --due 2026-11-29 (yesterday) is refused; 2026-11-30 (today) is accepted."""
    _ok(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "coping", "Walk", "--due", "2026-11-29")
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: due date 2026-11-29 is already past (today is 2026-11-30); "
        "check the year, or add --force to set it\n"
    )
    _ok(runner, "add-goal", "c-1", "coping", "Walk", "--due", "2026-11-30")
    _ok(runner, "add-goal", "c-1", "coping", "Run", "--due", "2026-11-29", "--force")
    goals = json.loads(_ok(runner, "goals", "c-1", "--json").stdout)["goals"]
    assert [(g["goal"], g["due"]) for g in goals] == [(1, "2026-11-30"), (2, "2026-11-29")]


def test_due_date_past_is_refused_on_edit_goal(runner: CliRunner) -> None:
    """edit-goal --due 2026-01-15 is refused without --force; the goal keeps its due date."""
    _ok(runner, "new-client", "c-1")
    _ok(runner, "add-goal", "c-1", "coping", "Walk", "--due", "2026-12-15")
    result = invoke(runner, "edit-goal", "c-1", "1", "--due", "2026-01-15")
    assert result.exit_code == 1
    assert "due date 2026-01-15 is already past (today is 2026-11-30)" in result.stderr
    goals = json.loads(_ok(runner, "goals", "c-1", "--json").stdout)["goals"]
    assert goals[0]["due"] == "2026-12-15"
    _ok(runner, "edit-goal", "c-1", "1", "--due", "2026-01-15", "--force")
    goals = json.loads(_ok(runner, "goals", "c-1", "--json").stdout)["goals"]
    assert goals[0]["due"] == "2026-01-15"


def test_edit_goal_without_due_is_not_judged(runner: CliRunner) -> None:
    """A goal whose due date has passed can still change its status without --force."""
    _ok(runner, "new-client", "c-1")
    _ok(runner, "add-goal", "c-1", "coping", "Walk", "--due", "2026-01-15", "--force")
    _ok(runner, "edit-goal", "c-1", "1", "--status", "achieved")


# --- entries before the client's start --------------------------------------------------


def test_entry_before_start_is_kept_with_a_note(runner: CliRunner) -> None:
    """Since 2026-09-01, an entry on 2026-08-31 is logged, with one note naming the fix."""
    _client(runner, "--since", "2026-09-01")
    result = _ok(runner, "log", "c-1", "1", "18", "--date", "2026-08-31")
    assert result.stderr == (
        "goaltrack: note: 2026-08-31 is before c-1's start (2026-09-01, shown as Since); if "
        "treatment began earlier: goaltrack edit-client c-1 --since 2026-08-31\n"
    )
    assert _ok(runner, "log", "c-1", "1", "17", "--date", "2026-09-01").stderr == ""
    entries = json.loads(_ok(runner, "entries", "c-1", "--json").stdout)["entries"]
    assert [e["value"] for e in entries] == [18, 17]


def test_measure_before_start_gives_the_note(runner: CliRunner) -> None:
    """`measure` on 2026-08-31 for a client since 2026-09-01 gives the same note."""
    _client(runner, "--since", "2026-09-01")
    args = ("measure", "c-1", "phq9", "--responses", ZEROS, "--date", "2026-08-31")
    result = _ok(runner, *args)
    assert "goaltrack edit-client c-1 --since 2026-08-31" in result.stderr


def test_edit_client_since_moves_the_start(runner: CliRunner) -> None:
    """edit-client --since 2026-08-31 sets Since; the same entry then gives no note."""
    _client(runner, "--since", "2026-09-01")
    _ok(runner, "edit-client", "c-1", "--since", "2026-08-31")
    shown = json.loads(_ok(runner, "show", "c-1", "--json").stdout)
    assert shown["client"]["created"] == "2026-08-31"
    assert _ok(runner, "log", "c-1", "1", "18", "--date", "2026-08-31").stderr == ""


def test_new_client_since_is_shown(runner: CliRunner) -> None:
    """new-client --since 2026-06-01 is the client's Since."""
    _ok(runner, "new-client", "c-1", "--since", "2026-06-01")
    shown = json.loads(_ok(runner, "show", "c-1", "--json").stdout)
    assert shown["client"]["created"] == "2026-06-01"


def test_since_in_the_future_is_refused(runner: CliRunner) -> None:
    """A start date after today's clock is refused on new-client and edit-client."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = invoke(runner, "new-client", "c-1", "--since", tomorrow)
    assert result.exit_code == 1
    assert result.stderr == (
        f"goaltrack: error: since: must not be in the future (today is {date.today()})\n"
    )
    _ok(runner, "new-client", "c-1", "--since", "2026-06-01")
    result = invoke(runner, "edit-client", "c-1", "--since", tomorrow)
    assert result.exit_code == 1
    shown = json.loads(_ok(runner, "show", "c-1", "--json").stdout)
    assert shown["client"]["created"] == "2026-06-01"


# --- imports keep old data --------------------------------------------------------------


def test_dump_with_old_dates_restores_byte_identical(runner: CliRunner, tmp_path: Path) -> None:
    """A 1926 entry and a past due date (forced in) survive export --all / import unchanged."""
    first, second = tmp_path / "a", tmp_path / "b"
    one = ("--home", str(first))
    _ok(runner, *one, "new-client", "c-1", "--since", "1926-01-01")
    _ok(runner, *one, "add-goal", "c-1", "coping", "Walk", "--due", "1927-01-01", "--force")
    _ok(runner, *one, "log", "c-1", "1", "3", "--date", "1926-11-02", "--force")
    dump = tmp_path / "dump.json"
    dump.write_text(_ok(runner, *one, "export", "--all").stdout, encoding="utf-8")
    _ok(runner, "--home", str(second), "import", str(dump))
    name = Path("clients") / "c-1.toml"
    assert (second / name).read_bytes() == (first / name).read_bytes()


# --- GOALTRACK_AS_OF is a snapshot ------------------------------------------------------


def _phq9_with_flag_on_2026_10_15(runner: CliRunner) -> None:
    _client(runner, "--since", "2026-09-01")
    _ok(runner, "measure", "c-1", "phq9", "--responses", ZEROS, "--date", "2026-10-01")
    flagged = "1,1,1,1,1,1,1,1,1"
    _ok(runner, "measure", "c-1", "phq9", "--responses", flagged, "--date", "2026-10-15")


def test_alert_raised_after_as_of_is_not_shown(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 9 endorsed on 2026-10-15: no alert as of 2026-10-14, one as of 2026-10-15."""
    _phq9_with_flag_on_2026_10_15(runner)
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-10-14")
    assert json.loads(_ok(runner, "show", "c-1", "--json").stdout)["alerts"] == []
    assert json.loads(_ok(runner, "progress", "c-1", "--json").stdout)["alerts"] == []
    assert "RISK" not in _ok(runner, "show", "c-1").stderr
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-10-15")
    alerts = json.loads(_ok(runner, "show", "c-1", "--json").stdout)["alerts"]
    assert [(a["date"], a["response"]) for a in alerts] == [("2026-10-15", 1)]


def _gas_goals(runner: CliRunner) -> None:
    _ok(runner, "new-client", "c-1", "--since", "2026-09-01")
    _ok(runner, "add-goal", "c-1", "coping", "Walk", "--measure", "gas")
    _ok(runner, "add-goal", "c-1", "coping", "Sleep", "--measure", "gas")
    _ok(runner, "log", "c-1", "1", "0", "--date", "2026-10-01")
    _ok(runner, "log", "c-1", "2", "1", "--date", "2026-10-01")
    _ok(runner, "log", "c-1", "1", "2", "--date", "2026-11-01")


def test_gas_t_score_is_a_snapshot(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Levels (0, +1) as of 2026-10-15: T = 50 + 10*1/sqrt(0.7*2 + 0.3*4) = 56.2;
    (+2, +1) as of 2026-11-01: 50 + 10*3/sqrt(2.6) = 68.6."""
    _gas_goals(runner)
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-10-15")
    gas = json.loads(_ok(runner, "progress", "c-1", "--json").stdout)["gas"]
    assert (gas["levels"], gas["t_score"]) == ([0, 1], 56.2)
    shown = json.loads(_ok(runner, "show", "c-1", "--json").stdout)["client"]["gas"]
    assert shown["t_score"] == 56.2
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-01")
    gas = json.loads(_ok(runner, "progress", "c-1", "--json").stdout)["gas"]
    assert (gas["levels"], gas["t_score"]) == ([2, 1], 68.6)


def test_chart_draws_no_point_after_as_of(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries 09-01, 09-15, 10-20; as of 09-30 the chart ends at 09-15, not 10-20."""
    _client(runner, "--since", "2026-09-01")
    for on, value in (("2026-09-01", "19"), ("2026-09-15", "15"), ("2026-10-20", "5")):
        _ok(runner, "log", "c-1", "1", value, "--date", on)
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-09-30")
    chart = _ok(runner, "progress", "c-1", "1", "--chart").stdout
    assert "19 -> 15" in chart
    assert "2026-09-15" in chart
    assert "2026-10-20" not in chart
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-10-20")
    assert "2026-10-20" in _ok(runner, "progress", "c-1", "1", "--chart").stdout


# --- the rules themselves, on fixed days -------------------------------------------------


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (date(2026, 11, 30), date(2025, 11, 30)),
        (date(2028, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (date(2027, 3, 1), date(2026, 3, 1)),
    ],
)
def test_year_before(today: date, earliest: date) -> None:
    """One year before a day; 29 February steps back to 28 February."""
    assert year_before(today) == earliest


def test_date_rules_on_their_edges() -> None:
    """The earliest day and today pass; a day beyond is refused unless forced."""
    today = date(2026, 11, 30)
    check_entry_date(date(2025, 11, 30), today)
    check_due_date(today, today)
    check_due_date(None, today)
    with pytest.raises(InvalidValueError):
        check_entry_date(date(2025, 11, 29), today)
    with pytest.raises(InvalidValueError):
        check_due_date(date(2026, 11, 29), today)
    check_entry_date(date(2025, 11, 29), today, force=True)
    check_due_date(date(2026, 11, 29), today, force=True)
