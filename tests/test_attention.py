"""Issue 12: `attention` ranks the caseload by need, on a caseload built with pinned dates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import invoke

AS_OF = "2026-11-20"
ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2


def _ok(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, *args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _phq9_goal(runner: CliRunner, client: str, *extra: str) -> None:
    _ok(runner, "new-client", client, "--since", "2026-09-01")
    _ok(
        runner,
        "add-goal",
        client,
        "symptom-reduction",
        "Mood",
        "--measure",
        "phq9",
        "--force",
        *extra,
    )


def _log(runner: CliRunner, client: str, goal: str, *points: tuple[str, str]) -> None:
    for on, value in points:
        _ok(runner, "log", client, goal, value, "--date", on)


@pytest.fixture
def caseload(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """One client per reason, and one on track and measured on schedule (c-fine)."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    # an open item-9 flag (and otherwise fine: measured last week, no due date)
    _phq9_goal(runner, "c-risk", "--baseline", "12", "--target", "5")
    _ok(runner, "measure", "c-risk", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-16")
    # reliable deterioration: PHQ-9 10 -> 17 (IAPT: 6 points)
    _phq9_goal(runner, "c-worse", "--baseline", "10", "--target", "5")
    _log(runner, "c-worse", "1", ("2026-11-15", "17"))
    # off track: 20 -> 18 over six weeks, target 5 due 2026-12-31
    _phq9_goal(runner, "c-off", "--baseline", "20", "--target", "5", "--due", "2026-12-31")
    _log(
        runner,
        "c-off",
        "1",
        ("2026-10-01", "20"),
        ("2026-10-22", "19"),
        ("2026-11-12", "18"),
    )
    # overdue: due 2026-11-01, target 5 not reached
    _phq9_goal(runner, "c-late", "--baseline", "15", "--target", "5", "--due", "2026-11-01")
    _log(runner, "c-late", "1", ("2026-11-15", "12"))
    # a measure due: weekly, last measured 2026-11-10 (due 2026-11-17)
    _phq9_goal(runner, "c-due", "--baseline", "15", "--target", "5", "--every", "1w")
    _log(runner, "c-due", "1", ("2026-11-10", "13"))
    # a stale goal: goal 2 not measured since 2026-10-01, goal 1 last week
    _phq9_goal(runner, "c-stale", "--baseline", "15", "--target", "5")
    _ok(runner, "add-goal", "c-stale", "coping", "Coping", "--measure", "gbo", "--target", "8")
    _log(runner, "c-stale", "1", ("2026-11-16", "13"))
    _log(runner, "c-stale", "2", ("2026-10-01", "4"))
    # no contact: nothing logged since 2026-10-01
    _phq9_goal(runner, "c-gone", "--baseline", "15", "--target", "5")
    _log(runner, "c-gone", "1", ("2026-10-01", "13"))
    # on track and measured on schedule: nothing to list
    _phq9_goal(runner, "c-fine", "--baseline", "20", "--target", "5", "--due", "2027-03-01")
    _ok(runner, "edit-goal", "c-fine", "1", "--every", "2w")
    _log(
        runner,
        "c-fine",
        "1",
        ("2026-10-01", "20"),
        ("2026-10-15", "17"),
        ("2026-10-29", "14"),
        ("2026-11-12", "11"),
    )


EXPECTED = [
    ("c-risk", 1, "risk-item9"),
    ("c-worse", 1, "deteriorated"),
    ("c-off", 1, "off-track"),
    ("c-late", 1, "overdue"),
    ("c-due", 1, "measure-due"),
    ("c-stale", 2, "stale"),
    ("c-gone", None, "no-contact"),
]


def _attention(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = invoke(runner, "attention", "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _triples(document: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    return [(row["client"], row["goal"], row["reason"]) for row in document["attention"]]


def test_attention_lists_the_expected_rows_worst_first(caseload: None, runner: CliRunner) -> None:
    """Risk first, then deterioration, off-track, overdue, due, stale, no contact; not c-fine."""
    assert _triples(_attention(runner)) == EXPECTED


def test_attention_without_the_index_gives_the_same_rows(caseload: None, runner: CliRunner) -> None:
    """--no-index (every file read) and the warm index agree."""
    assert _attention(runner, "--no-index") == _attention(runner)


def test_attention_json_contract(caseload: None, runner: CliRunner) -> None:
    """The document carries format_version, as_of, stale_days and each row's fields."""
    document = _attention(runner, "--client", "c-due")
    assert document == {
        "format_version": 1,
        "as_of": AS_OF,
        "stale_days": 28,
        "attention": [
            {
                "client": "c-due",
                "goal": 1,
                "reason": "measure-due",
                "urgent": False,
                "since": "2026-11-17",
                "detail": "goal 1 (Mood): phq9 due 2026-11-17 (every 1w)",
                "next_measure_due": "2026-11-17",
            }
        ],
    }


def test_attention_filters_by_reason_and_since(caseload: None, runner: CliRunner) -> None:
    """--reason keeps that reason; --since keeps reasons that began on or after the day."""
    assert _triples(_attention(runner, "--reason", "overdue", "--reason", "stale")) == [
        ("c-late", 1, "overdue"),
        ("c-stale", 2, "stale"),
    ]
    assert _triples(_attention(runner, "--since", "2026-11-16")) == [
        ("c-risk", 1, "risk-item9"),
        ("c-off", 1, "off-track"),
        ("c-due", 1, "measure-due"),
    ]


@pytest.mark.parametrize(
    ("client", "code"),
    [("c-fine", 0), ("c-due", 1), ("c-late", 1), ("c-risk", 4)],
)
def test_exit_status_codes(caseload: None, runner: CliRunner, client: str, code: int) -> None:
    """--exit-status: 0 nothing, 1 something, 4 an open risk flag."""
    result = invoke(runner, "attention", "--client", client, "--exit-status", "-f", "json")
    assert result.exit_code == code


def test_exit_status_is_zero_without_the_option(caseload: None, runner: CliRunner) -> None:
    """Without --exit-status a listed risk still exits 0 (a listing is not a failure)."""
    assert invoke(runner, "attention", "--client", "c-risk").exit_code == 0


def test_risk_row_is_also_an_alert_in_csv(caseload: None, runner: CliRunner) -> None:
    """Flat formats carry the risk row, and stderr repeats it as an alert."""
    result = invoke(runner, "attention", "-f", "csv", "--client", "c-risk")
    assert result.stdout.splitlines()[0] == (
        "client,goal,reason,urgent,since,detail,next_measure_due"
    )
    assert "RISK: c-risk: PHQ-9 item 9 endorsed on 2026-11-16" in result.stderr


def test_clients_shows_the_attention_summary(caseload: None, runner: CliRunner) -> None:
    """`clients -f json` gives each client its count of rows and worst reason."""
    result = invoke(runner, "clients", "-f", "json")
    rows = {row["id"]: row for row in json.loads(result.stdout)["clients"]}
    assert (rows["c-risk"]["attention"], rows["c-risk"]["attention_worst"]) == (1, "risk-item9")
    assert (rows["c-fine"]["attention"], rows["c-fine"]["attention_worst"]) == (0, None)
    assert rows["c-stale"]["attention_worst"] == "stale"


def test_the_caseload_report_page_lists_the_attention_rows(
    caseload: None, runner: CliRunner, tmp_path: Path
) -> None:
    """`report --caseload` writes the same rows as `attention`, in the same order."""
    out = tmp_path / "caseload.md"
    _ok(runner, "report", "--caseload", "--format", "md", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    section = page.split("## Needs attention\n", 1)[1].split("\n## ", 1)[0]
    listed = [line for line in section.splitlines() if line.startswith("- ")]
    expected = [
        f"- {client}{f' goal {goal}' if goal else ''}: {reason}, "
        for client, goal, reason in EXPECTED
    ]
    assert [line[: len(head)] for line, head in zip(listed, expected, strict=True)] == expected


def test_clients_rows_keep_concern_severities(runner: CliRunner) -> None:
    """`clients -f json` rows carry each concern with its severity."""
    _ok(runner, "new-client", "c-1", "--concern", "depression:severe", "--concern", "sleep")
    rows = json.loads(invoke(runner, "clients", "-f", "json").stdout)["clients"]
    assert rows[0]["concern_severities"] == ["depression:severe", "sleep:moderate"]


def test_concern_without_goal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client with a concern and no active goal gets a concern-without-goal row."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _ok(runner, "new-client", "c-1", "--concern", "insomnia:severe", "--since", "2026-11-10")
    assert _attention(runner)["attention"] == [
        {
            "client": "c-1",
            "goal": None,
            "reason": "concern-without-goal",
            "urgent": False,
            "since": "2026-11-10",
            "detail": "concern insomnia (severe) has no active goal",
            "next_measure_due": None,
        }
    ]


def test_goal_without_measure(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """A goal whose measure was cleared is listed as goal-without-measure."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _ok(runner, "new-client", "c-1", "--since", "2026-11-10")
    _ok(runner, "add-goal", "c-1", "coping", "Coping")
    _ok(runner, "edit-goal", "c-1", "1", "--clear", "measure")
    _log(runner, "c-1", "1", ("2026-11-18", "3"))
    assert _triples(_attention(runner)) == [("c-1", 1, "goal-without-measure")]


def test_stale_follows_the_schedule(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a weekly schedule a goal is stale after 14 days, not 28; due from 7 days."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _phq9_goal(runner, "c-1", "--baseline", "15", "--target", "5", "--every", "1w")
    _phq9_goal(runner, "c-2", "--baseline", "15", "--target", "5", "--every", "1w")
    _log(runner, "c-1", "1", ("2026-11-05", "13"))  # 15 days ago: stale
    _log(runner, "c-2", "1", ("2026-11-06", "13"))  # 14 days ago: due, not yet stale
    assert _triples(_attention(runner)) == [("c-2", 1, "measure-due"), ("c-1", 1, "stale")]


def test_default_schedule_from_config(
    runner: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """config.toml's [schedule] gives a new PHQ-9 goal its schedule."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _ok(runner, "new-client", "c-1")
    (home / "config.toml").write_text('[schedule]\nphq9 = "session"\n')
    _ok(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    assert json.loads(_ok(runner, "goals", "c-1", "-f", "json"))["goals"][0]["every"] == "session"


def test_bad_config_is_a_data_error(runner: CliRunner, home: Path) -> None:
    """A schedule that is no schedule stops add-goal with exit 3, naming the key."""
    _ok(runner, "new-client", "c-1")
    (home / "config.toml").write_text('[schedule]\nphq9 = "often"\n')
    result = invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    assert result.exit_code == 3
    assert "[schedule] phq9: must be session" in result.stderr


def test_paused_and_discharged_clients_only_show_risk(caseload: None, runner: CliRunner) -> None:
    """A paused client's overdue goal is not listed; its open risk flag would be."""
    _ok(runner, "edit-client", "c-late", "--status", "paused")
    _ok(runner, "edit-client", "c-risk", "--status", "paused")
    triples = _triples(_attention(runner))
    assert ("c-late", 1, "overdue") not in triples
    assert ("c-risk", 1, "risk-item9") in triples


def test_an_unknown_client_is_an_error(caseload: None, runner: CliRunner) -> None:
    """--client with a typo exits 1 instead of reporting that nothing needs attention."""
    result = invoke(runner, "attention", "--client", "c-rsik", "--exit-status")
    assert result.exit_code == 1
    assert result.stderr.startswith("goaltrack: error: no client 'c-rsik' in ")


def test_report_caseload_lists_the_attention_rows(
    caseload: None, runner: CliRunner, tmp_path: Path
) -> None:
    """`report --caseload` carries the same rows, worst first, in its Needs attention section."""
    out = tmp_path / "caseload.md"
    result = invoke(runner, "report", "--caseload", "-f", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    section = text.split("## Needs attention", 1)[1]
    listed = [line for line in section.splitlines() if line.startswith("- c-")]
    assert [line.split(",")[0] for line in listed] == [
        "- c-risk goal 1: risk-item9",
        "- c-worse goal 1: deteriorated",
        "- c-off goal 1: off-track",
        "- c-late goal 1: overdue",
        "- c-due goal 1: measure-due",
        "- c-stale goal 2: stale",
        "- c-gone: no-contact",
    ]


# --- as of a past day: the index holds today's facts, the file that day's -----------------

CLEAR = "0,0,0,0,0,0,0,0,0"  # a PHQ-9 with item 9 at 0: it clears an earlier flag


def _risk_clients(runner: CliRunner, *extra: str) -> list[str]:
    """The clients `attention` lists with an open item-9 flag."""
    rows = json.loads(_ok(runner, "attention", "-f", "json", *extra))["attention"]
    return sorted(row["client"] for row in rows if row["reason"] == "risk-item9")


@pytest.mark.parametrize("index", [[], ["--no-index"]], ids=["index", "no-index"])
def test_a_flag_cleared_after_the_day_is_open_as_of_that_day(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, index: list[str]
) -> None:
    """Flag on 11-10, cleared on 11-18: as of 11-14 it is open, as of 11-20 it is not."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _phq9_goal(runner, "c-was", "--baseline", "12", "--target", "5")
    _ok(runner, "measure", "c-was", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-10")
    _ok(runner, "measure", "c-was", "phq9", "--responses", CLEAR, "--date", "2026-11-18")
    assert _risk_clients(runner, *index) == []
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-14")
    assert _risk_clients(runner, *index) == ["c-was"]


@pytest.mark.parametrize("index", [[], ["--no-index"]], ids=["index", "no-index"])
def test_a_flag_raised_after_the_day_is_not_there_yet(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, index: list[str]
) -> None:
    """Flag on 11-16: as of 11-12 nothing is flagged, and `clients` shows no flag either."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _phq9_goal(runner, "c-new", "--baseline", "12", "--target", "5")
    _ok(runner, "measure", "c-new", "phq9", "--responses", CLEAR, "--date", "2026-11-05")
    _ok(runner, "measure", "c-new", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-16")
    assert _risk_clients(runner, *index) == ["c-new"]
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-12")
    assert _risk_clients(runner, *index) == []
    rows = json.loads(_ok(runner, "clients", "-f", "json", *index))["clients"]
    assert [row["risk_item9"] for row in rows] == [None]


def test_a_flag_reviewed_after_the_day_is_urgent_as_of_that_day(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flag on 11-10, risk review on 11-18: as of 11-14 the flag is still unreviewed (exit 4)."""
    monkeypatch.setenv("GOALTRACK_AS_OF", AS_OF)
    _phq9_goal(runner, "c-rev", "--baseline", "12", "--target", "5")
    _ok(runner, "measure", "c-rev", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-10")
    _ok(runner, "risk-review", "c-rev", "--date", "2026-11-18", "--outcome", "safety-plan")
    assert invoke(runner, "attention", "--exit-status").exit_code != 4
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-14")
    assert invoke(runner, "attention", "--exit-status").exit_code == 4
