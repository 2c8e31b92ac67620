"""Defects found by using planning, caseload, reports and sync together as a new user would."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import invoke

ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2


def _ok(runner: CliRunner, *args: str, input: str | None = None) -> str:
    result = invoke(runner, *args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _json(runner: CliRunner, *args: str) -> dict[str, Any]:
    return json.loads(_ok(runner, *args, "--json"))  # type: ignore[no-any-return]


def _discharge(runner: CliRunner, on: str) -> dict[str, Any]:
    args = ("--reason", "planned", "--goals", "achieved", "--json")
    return json.loads(_ok(runner, "discharge", "c-1", "--date", on, *args))  # type: ignore[no-any-return]


@pytest.fixture
def flagged_then_reviewed(runner: CliRunner) -> None:
    """c-1: PHQ-9 item 9 endorsed on 2026-11-12 (goal 1), reviewed on 2026-11-13."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--measure", "phq9",
        "--baseline", "18", "--target", "9")  # fmt: skip
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-12")
    _ok(runner, "risk-review", "c-1", "--outcome", "no-action", "--date", "2026-11-13")


@pytest.mark.parametrize("command", ["progress", "show"])
def test_as_of_before_a_review_keeps_the_flag_open(
    flagged_then_reviewed: None, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """As of the flag's day, a risk review dated the day after does not hide the flag."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-12")
    alerts = _json(runner, command, "c-1")["alerts"]
    assert [(a["date"], a["response"]) for a in alerts] == [("2026-11-12", 2)]


@pytest.mark.parametrize("command", ["progress", "show"])
def test_as_of_leaves_out_a_later_screening_flag(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """A screening dated after GOALTRACK_AS_OF raises no alert in that snapshot."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-20")
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-15")
    assert _json(runner, command, "c-1")["alerts"] == []


@pytest.fixture
def screened_then_treated(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """c-1: PHQ-9 screening 15 on 2026-11-02, goal from mood-ba, then 13 and 7 on the goal."""
    monkeypatch.setenv("GOALTRACK_AS_OF", "2026-11-30")
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01", "--concern", "depression:moderate")
    _ok(runner, "measure", "c-1", "phq9", "--responses", "2,2,2,2,2,2,2,1,0",
        "--date", "2026-11-02")  # fmt: skip
    _ok(runner, "add-goal", "c-1", "--template", "mood-ba")
    _ok(runner, "log", "c-1", "1", "13", "--date", "2026-11-09")
    _ok(runner, "log", "c-1", "1", "7", "--date", "2026-11-30")


def test_phq9_response_counts_the_intake_screening(
    screened_then_treated: None, runner: CliRunner
) -> None:
    """The first PHQ-9 of the client is the intake screening: 15 -> 7 is a response."""
    response = _json(runner, "progress", "c-1")["client_outcomes"]["phq9_response"]
    assert (response["first_date"], response["first"], response["last"]) == ("2026-11-02", 15, 7)
    assert (response["reduction_percent"], response["response"]) == (53.3, True)


def test_discharge_summary_counts_the_screening_of_its_episode(
    screened_then_treated: None, runner: CliRunner
) -> None:
    """The end-of-treatment outcome starts from the episode's intake screening."""
    summary = _discharge(runner, "2026-11-30")
    response = summary["end_of_treatment"]["client_outcomes"]["phq9_response"]
    assert (response["first_date"], response["first"]) == ("2026-11-02", 15)


def test_second_episode_outcome_ignores_the_first_intake_screening(
    screened_then_treated: None, runner: CliRunner
) -> None:
    """After reopen, the episode's outcome starts from its own first PHQ-9, not episode 1's."""
    _ok(runner, "discharge", "c-1", "--date", "2026-11-10", "--reason", "planned",
        "--goals", "achieved")  # fmt: skip
    _ok(runner, "reopen", "c-1", "--date", "2026-11-12")
    _ok(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--baseline", "12",
        "--target", "5")  # fmt: skip
    _ok(runner, "log", "c-1", "2", "11", "--date", "2026-11-16")
    _ok(runner, "log", "c-1", "2", "5", "--date", "2026-11-30", "--force")
    summary = _discharge(runner, "2026-11-30")
    response = summary["end_of_treatment"]["client_outcomes"]["phq9_response"]
    assert (response["first_date"], response["first"], response["last"]) == ("2026-11-16", 11, 5)


def test_client_report_never_shares_the_clinicians_default_name(
    flagged_then_reviewed: None,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`report ID` then `report ID --audience client` (the README's order) leave two files:
    the one named for the client holds no risk detail, the clinician's keeps it."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    day = date.today().isoformat()
    assert _ok(runner, "report", "c-1", "-f", "md") == f"report-c-1-{day}.md\n"
    said = _ok(runner, "report", "c-1", "--audience", "client", "-f", "md")
    assert said == f"report-c-1-{day}-client.md\n"
    assert sorted(os.listdir(folder)) == [f"report-c-1-{day}-client.md", f"report-c-1-{day}.md"]
    assert "item-9" in (folder / f"report-c-1-{day}.md").read_text()
    assert "item-9" not in (folder / f"report-c-1-{day}-client.md").read_text()


@pytest.fixture
def discharged(screened_then_treated: None, runner: CliRunner) -> None:
    """c-1 of screened_then_treated, discharged on 2026-11-30 with its goal achieved."""
    _discharge(runner, "2026-11-30")


@pytest.mark.parametrize(
    "how", [("--template", "mood-cognitive"), ("coping", "Breathe", "--measure", "gbo")]
)
def test_add_goal_refuses_a_discharged_client(
    discharged: None, runner: CliRunner, home: Path, how: tuple[str, ...]
) -> None:
    """add-goal on a discharged client exits 1 and writes nothing, as `log` does."""
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "add-goal", "c-1", *how)
    assert result.exit_code == 1
    assert result.stderr == (
        "goaltrack: error: client 'c-1' was discharged on 2026-11-30; nothing was added: "
        "`goaltrack reopen c-1` starts a new episode, or add --force to add it to the closed "
        "one\n"
    )
    assert (home / "clients" / "c-1.toml").read_bytes() == before


def test_add_goal_to_a_discharged_client_with_force(discharged: None, runner: CliRunner) -> None:
    """--force adds the goal to the closed episode."""
    assert _ok(runner, "add-goal", "c-1", "coping", "Breathe", "--force") == "2\n"


def test_suggest_says_the_client_is_discharged(discharged: None, runner: CliRunner) -> None:
    """suggest on a discharged client notes that reopen comes first."""
    notes = _json(runner, "suggest", "c-1")["notes"]
    assert notes[0] == (
        "c-1 is discharged: `goaltrack reopen c-1` starts a new episode before a goal is added"
    )


def test_items_shows_the_intake_screening_and_its_item9(runner: CliRunner) -> None:
    """A screening's answers are an administration: `items` lists them, item 9 marked."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-20")
    rows = _json(runner, "items", "c-1", "phq9")["items"]
    assert [(r["date"], r["item"], r["answer"]) for r in rows][-1] == ("2026-11-20", 9, 2)
    assert (len(rows), rows[0]["goals"]) == (9, [])
    assert "2!" in _ok(runner, "items", "c-1", "phq9")


def test_clinician_report_keeps_a_review_that_found_no_flag(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A risk review recorded with no open flag is in the clinician's report, not the client's."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "risk-review", "c-1", "--by", "Dr K", "--outcome", "safety-plan", "--note", "-",
        "--date", "2026-11-03", input="Disclosed in session; plan agreed\n")  # fmt: skip
    _ok(runner, "report", "c-1", "-f", "md", "-o", str(tmp_path / "mine.md"))
    mine = (tmp_path / "mine.md").read_text()
    assert (
        "- risk review 2026-11-03 by Dr K: safety-plan (Disclosed in session; plan agreed); "
        "it found no open item-9 flag\n"
    ) in mine
    _ok(runner, "report", "c-1", "--audience", "client", "-f", "md", "-o", str(tmp_path / "c.md"))
    theirs = (tmp_path / "c.md").read_text()
    assert "Dr K" not in theirs and "Disclosed" not in theirs


def test_plan_of_a_discharged_client_says_when_it_ended(
    discharged: None, runner: CliRunner
) -> None:
    """plan names the discharge date in its header and in its JSON (null while in care)."""
    assert "  Episode: 1, since 2026-11-01; discharged 2026-11-30\n" in _ok(runner, "plan", "c-1")
    assert _json(runner, "plan", "c-1")["plan"]["until"] == "2026-11-30"


@pytest.mark.parametrize("command", ["new-client", "edit-client", "attention"])
def test_option_help_names_no_python_types(runner: CliRunner, command: str) -> None:
    """Repeatable options show what to type (<name[:severity]>, <text>), not <list[str]>."""
    assert "list[" not in _ok(runner, command, "--help")


@pytest.fixture
def synced_risk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    """A synced home whose last commit of c-1 is a PHQ-9 screening with item 9 endorsed."""
    from sync_helpers import private_git

    private_git(tmp_path, monkeypatch)
    home = tmp_path / "home"
    _ok(runner, "--home", str(home), "sync", "init")
    _ok(runner, "--home", str(home), "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "--home", str(home), "measure", "c-1", "phq9", "--responses", ITEM9_TWO,
        "--date", "2026-11-20")  # fmt: skip
    return home


def test_undo_refuses_to_remove_a_risk_entry(synced_risk: Path, runner: CliRunner) -> None:
    """undo of the change that recorded an endorsed item 9 exits 1 and changes nothing."""
    path = synced_risk / "clients" / "c-1.toml"
    before = path.read_bytes()
    refused = invoke(runner, "--home", str(synced_risk), "undo", "c-1")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("goaltrack: error: undo would remove a risk entry (")
    assert refused.stderr.endswith("nothing was changed: add --force to undo it (audited)\n")
    assert path.read_bytes() == before


def test_undo_with_force_removes_it_loudly_and_audits_it(
    synced_risk: Path, runner: CliRunner
) -> None:
    """undo --force removes the risk entry, prints the risk banner and audits the removal."""
    done = invoke(runner, "--home", str(synced_risk), "undo", "c-1", "--force")
    assert done.exit_code == 0, done.stderr
    assert "RISK ENTRY REMOVED: c-1 entry " in done.stderr
    last = json.loads((synced_risk / "audit.log").read_text().splitlines()[-1])
    assert (last["command"], [r["item9"] for r in last["risk_removed"]]) == ("undo", [2])


def test_delete_client_refuses_an_open_risk_flag(runner: CliRunner, home: Path) -> None:
    """delete-client --yes of a client with an open item-9 flag exits 1 and moves nothing."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01")
    _ok(runner, "measure", "c-1", "phq9", "--responses", ITEM9_TWO, "--date", "2026-11-20")
    refused = invoke(runner, "delete-client", "c-1", "--yes")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "goaltrack: error: client c-1 has an open PHQ-9 item-9 flag (2026-11-20, entry "
    )
    assert (home / "clients" / "c-1.toml").exists()
    _ok(runner, "delete-client", "c-1", "--yes", "--force")
    assert not (home / "clients" / "c-1.toml").exists()


def test_first_rating_sets_the_target_a_template_deferred(runner: CliRunner) -> None:
    """social-confidence: 'set once rated'; the first GBO rating 3 sets the target 6."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01", "--concern", "anxiety:moderate",
        "--approach", "cbt")  # fmt: skip
    _ok(runner, "add-goal", "c-1", "--template", "social-confidence")
    logged = invoke(runner, "log", "c-1", "1", "3", "--date", "2026-11-10")
    assert "target of goal 1 set to 6: 3 points above the first rating 3" in logged.stderr
    assert _json(runner, "goals", "c-1")["goals"][0]["target"] == 6


def test_first_phq9_sets_the_target_a_template_deferred(runner: CliRunner) -> None:
    """mood-stabilise without a screening: the first PHQ-9 (21) sets the target 15."""
    _ok(runner, "new-client", "c-1", "--since", "2026-11-01", "--concern", "depression:severe",
        "--approach", "cbt")  # fmt: skip
    _ok(runner, "add-goal", "c-1", "--template", "mood-stabilise")
    assert _json(runner, "goals", "c-1")["goals"][0]["target"] is None
    _ok(runner, "measure", "c-1", "phq9", "--responses", "3,3,2,3,2,3,2,3,0", "--date",
        "2026-11-10")  # fmt: skip
    assert _json(runner, "goals", "c-1")["goals"][0]["target"] == 15
