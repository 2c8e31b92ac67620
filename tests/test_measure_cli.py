"""Instruments on the command line: checked values, `instruments`, `measure`, the item-9 flag."""

from __future__ import annotations

import json
import os
import sys
import tomllib
from datetime import date
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from goaltrack.storage.store import Store
from helpers import HANG_GUARD, invoke, run_cli, snapshot

PHQ9_FLAGGED = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 = 2
PHQ9_CLEAR = "1,1,1,1,1,0,0,0,0"  # total 5, item 9 = 0


def client_file(home: Path, client: str = "c-1") -> dict:  # type: ignore[type-arg]
    return tomllib.loads((home / "clients" / f"{client}.toml").read_text(encoding="utf-8"))


@pytest.fixture
def phq_client(runner: CliRunner) -> str:
    """Client c-1 with goal 1 on PHQ-9 (19 -> 9) and goal 2 on GAD-7 (15 -> 5)."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--baseline", "19",
           "--target", "9")  # fmt: skip
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Worry", "--measure", "gad7",
           "--baseline", "15", "--target", "5")  # fmt: skip
    return "c-1"


# ---- values checked against the instrument ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--baseline", "28"], "baseline is outside the phq9 range 0-27"),
        (["--target", "-1"], "target is outside the phq9 range 0-27"),
        (["--baseline", "14.5"], "baseline must be a whole number for phq9"),
        (["--baseline", "9", "--target", "19"], "target is worse than the baseline on phq9"),
        (["--measure", "bdi"], "not a known instrument"),
        (["--measure", "rses", "--baseline", "20", "--target", "12"], "where higher is better"),
    ],
)
def test_add_goal_refuses_values_the_instrument_forbids(
    runner: CliRunner, home: Path, phq_client: str, args: list[str], message: str
) -> None:
    """Out-of-range, fractional, wrong-direction and unknown measures are refused; no change."""
    before = snapshot(home)
    result = invoke(runner, "add-goal", phq_client, "symptom-reduction", "X", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(home) == before


def test_force_overrides_only_the_direction_check(runner: CliRunner, home: Path) -> None:
    """--force accepts a target worse than baseline, but never an out-of-range value."""
    invoke(runner, "new-client", "c-1")
    forced = invoke(runner, "add-goal", "c-1", "symptom-reduction", "Keep", "--baseline", "4",
                    "--target", "6", "--force")  # fmt: skip
    assert forced.exit_code == 0
    assert client_file(home)["goals"][0]["target"] == 6
    out_of_range = invoke(runner, "add-goal", "c-1", "symptom-reduction", "X", "--target",
                          "40", "--force")  # fmt: skip
    assert out_of_range.exit_code == 1


@pytest.mark.parametrize(
    ("kind", "measure"),
    [
        ("symptom-reduction", "phq9"),
        ("trauma-resolution", "pcl5"),
        ("self-esteem", "rses"),
        ("coping", "gbo"),
        ("autonomy", "gbo"),
        ("relationships", "gbo"),
    ],
)
def test_each_kind_gets_its_default_measure(
    runner: CliRunner, home: Path, kind: str, measure: str
) -> None:
    """add-goal without --measure stores the kind's default instrument."""
    invoke(runner, "new-client", "c-1")
    assert invoke(runner, "add-goal", "c-1", kind, "Goal").exit_code == 0
    assert client_file(home)["goals"][0]["measure"] == measure


def test_default_measure_is_named_when_it_refuses_a_value(runner: CliRunner) -> None:
    """A value refused by a defaulted measure says which measure was chosen and how to change it."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "add-goal", "c-1", "coping", "Cope", "--baseline", "50")
    assert result.stderr == (
        "goaltrack: error: baseline is outside the gbo range 0-10 (gbo is the default "
        "measure for coping goals; choose another with --measure)\n"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("28", "value is outside the phq9 range 0-27"),
        ("-1", "value is outside the phq9 range 0-27"),
        ("12.5", "value must be a whole number for phq9"),
    ],
)
def test_log_refuses_values_outside_the_instrument(
    runner: CliRunner, home: Path, phq_client: str, value: str, message: str
) -> None:
    """log checks every value against the goal's instrument and changes nothing on refusal."""
    before = snapshot(home)
    result = invoke(runner, "log", phq_client, "1", "--", value)
    assert (result.exit_code, result.stderr) == (1, f"goaltrack: error: {message}\n")
    assert snapshot(home) == before


def test_ors_accepts_fractional_totals(runner: CliRunner, home: Path) -> None:
    """ORS is not an integer measure: 27.4 is a valid total."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Wellbeing", "--measure", "ors")
    assert invoke(runner, "log", "c-1", "1", "27.4").exit_code == 0
    assert client_file(home)["goals"][0]["progress"][0]["value"] == 27.4


def test_edit_goal_checks_a_new_measure_against_existing_values(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """Changing the measure re-checks baseline and target against the new instrument."""
    before = snapshot(home)
    result = invoke(runner, "edit-goal", phq_client, "1", "--measure", "gbo")
    assert result.stderr == "goaltrack: error: baseline is outside the gbo range 0-10\n"
    assert snapshot(home) == before
    direction = invoke(runner, "edit-goal", phq_client, "1", "--target", "22")
    assert "target is worse than the baseline on phq9" in direction.stderr
    assert invoke(runner, "edit-goal", phq_client, "1", "--target", "22", "--force").exit_code == 0


# ---- custom instruments -------------------------------------------------------------------


SLEEP = """\
[sleep]
name = "Sleep quality diary"
min = 0
max = 10
better = "higher"
cutoff = 5
reliable_change = 2
source = "Clinic protocol 2026"

[[sleep.bands]]
low = 0
high = 4
label = "poor"
"""


def test_custom_instrument_works_end_to_end(runner: CliRunner, home: Path) -> None:
    """A scale in instruments.toml can be listed, shown, used by a goal, logged and checked."""
    home.mkdir(mode=0o700, parents=True)
    (home / "instruments.toml").write_text(SLEEP, encoding="utf-8")
    listed = json.loads(invoke(runner, "instruments", "--json").stdout)
    sleep = next(row for row in listed["instruments"] if row["key"] == "sleep")
    assert (sleep["origin"], sleep["range"], sleep["cutoff"]) == ("instruments.toml", "0-10", 5)
    shown = invoke(runner, "instruments", "sleep").stdout
    assert "Sleep quality diary" in shown and "poor" in shown and "Clinic protocol" in shown
    invoke(runner, "new-client", "c-1")
    assert invoke(runner, "add-goal", "c-1", "coping", "Sleep", "--measure", "sleep",
                  "--baseline", "3", "--target", "7").exit_code == 0  # fmt: skip
    assert invoke(runner, "log", "c-1", "1", "6").exit_code == 0
    refused = invoke(runner, "log", "c-1", "1", "11")
    assert refused.stderr == "goaltrack: error: value is outside the sleep range 0-10\n"
    measured = invoke(runner, "measure", "c-1", "sleep", "--total", "8", "--json")
    assert json.loads(measured.stdout)["administration"]["total"] == 8
    assert [e["value"] for e in client_file(home)["goals"][0]["progress"]] == [6, 8]


def test_malformed_instruments_file_is_named_with_its_problem(
    runner: CliRunner, home: Path
) -> None:
    """A bad table of instruments.toml: `instruments` lists the rest, names the file and the
    table in one line, and exits 3 (issue 17: the valid instruments stay usable)."""
    home.mkdir(mode=0o700, parents=True)
    path = home / "instruments.toml"
    path.write_text('[sleep]\nname = "S"\nmin = 0\nmax = 10\nbetter = "sideways"\n')
    result = invoke(runner, "instruments", "-f", "csv")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"goaltrack: warning: {path}: [sleep]: better:")
    assert result.stderr.count("\n") == 1
    assert "\nphq9," in result.stdout and "\nsleep," not in result.stdout


def test_goal_whose_instrument_was_removed_still_shows(runner: CliRunner, home: Path) -> None:
    """Removing a custom scale leaves its goals readable; new values are refused clearly."""
    home.mkdir(mode=0o700, parents=True)
    (home / "instruments.toml").write_text(SLEEP, encoding="utf-8")
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Sleep", "--measure", "sleep")
    invoke(runner, "log", "c-1", "1", "4")
    (home / "instruments.toml").unlink()
    assert invoke(runner, "show", "c-1").exit_code == 0
    assert invoke(runner, "progress", "c-1", "--json").exit_code == 0
    result = invoke(runner, "log", "c-1", "1", "5")
    assert result.exit_code == 1
    assert "measured by 'sleep', which is not a known instrument" in result.stderr


def test_user_file_cannot_redefine_a_builtin(runner: CliRunner, home: Path) -> None:
    """A user scale named phq9 is refused rather than silently changing PHQ-9 goals."""
    home.mkdir(mode=0o700, parents=True)
    (home / "instruments.toml").write_text(
        '[phq9]\nname = "Mine"\nmin = 0\nmax = 30\nbetter = "lower"\n'
    )
    result = invoke(runner, "instruments", "phq9")
    assert result.exit_code == 3
    assert "'phq9' is a built-in instrument and cannot be redefined" in result.stderr


# ---- the instruments command ------------------------------------------------------------------


def test_instruments_lists_every_builtin_as_csv(runner: CliRunner) -> None:
    """`instruments -f csv` has a header and one row per instrument."""
    lines = invoke(runner, "instruments", "-f", "csv").stdout.splitlines()
    assert lines[0] == (
        "key,name,min,max,range,integer,better,cutoff,reliable_change,reliable_change_from,sd,"
        "reliability,bands,loinc,administration,licence,source,note,origin,file,caseness,"
        "meaningful_change,rule,rule_source"
    )
    import csv

    rows = list(csv.DictReader(lines))
    assert len(rows) == 13
    phq9 = rows[0]
    assert (phq9["key"], phq9["range"], phq9["better"], phq9["cutoff"]) == (
        "phq9",
        "0-27",
        "lower",
        "10",
    )
    assert (phq9["reliable_change"], phq9["administration"], phq9["origin"]) == (
        "6",
        "items",
        "built-in",
    )
    assert phq9["bands"].split(";")[0] == '{"low":0,"high":4,"label":"none-minimal"}'


def test_instruments_key_shows_bands_cutoff_and_licence(runner: CliRunner) -> None:
    """`instruments phq9` shows range, bands, cutoff, reliable change, licence and source."""
    out = invoke(runner, "instruments", "phq9").stdout
    for text in ("0-27", "moderately severe", "Cutoff", "10", "6 points", "Pfizer",
                 "Kroenke", "44261-6"):  # fmt: skip
        assert text in out
    data = json.loads(invoke(runner, "instruments", "phq9", "--json").stdout)["instrument"]
    assert data["bands"][3] == {"low": 15, "high": 19, "label": "moderately severe"}
    assert data["reliable_change_from"] == "published"


# ---- measure ------------------------------------------------------------------------------


def test_measure_scores_stores_items_and_logs_to_matching_goals(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """measure logs the total with its item answers to every active goal on the instrument."""
    invoke(runner, "add-goal", phq_client, "symptom-reduction", "Sleep", "--baseline", "12",
           "--target", "4")  # fmt: skip
    result = invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_CLEAR,
                    "--date", "2026-11-01", "--json")  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)["administration"]
    assert (data["total"], data["band"], data["flags"]) == (5, "mild", [])
    assert [entry["goal"] for entry in data["entries"]] == [1, 3]
    goals = client_file(home)["goals"]
    for number in (0, 2):
        entry = goals[number]["progress"][0]
        assert entry["value"] == 5 and entry["instrument"] == "phq9"
        assert entry["responses"] == [1, 1, 1, 1, 1, 0, 0, 0, 0]
        assert "flags" not in entry
    assert "progress" not in goals[1] or goals[1]["progress"] == []


def test_measure_rses_stores_answers_and_reverse_scored_total(
    runner: CliRunner, home: Path
) -> None:
    """RSES answers are stored as given; the total counts reverse items reversed."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "self-esteem", "Self-worth")
    result = invoke(runner, "measure", "c-1", "rses", "--responses", "SA,D,A,A,D,SD,A,D,SD,A")
    assert result.exit_code == 0
    entry = client_file(home)["goals"][0]["progress"][0]
    assert entry["responses"] == [3, 1, 2, 2, 1, 0, 2, 1, 0, 2]
    assert entry["value"] == 3 + 2 + 2 + 2 + 2 + 3 + 2 + 2 + 3 + 2


def test_measure_to_one_goal_with_goal_option(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """--goal logs only to that goal, which must be measured by the instrument."""
    invoke(runner, "add-goal", phq_client, "symptom-reduction", "Other")
    assert invoke(runner, "measure", phq_client, "phq9", "--goal", "3", "--responses",
                  PHQ9_CLEAR).exit_code == 0  # fmt: skip
    goals = client_file(home)["goals"]
    assert len(goals[2]["progress"]) == 1
    assert not goals[0].get("progress")
    wrong = invoke(runner, "measure", phq_client, "phq9", "--goal", "2", "--responses", PHQ9_CLEAR)
    assert "goal 2 of 'c-1' is measured by gad7, not phq9" in wrong.stderr


def test_measure_refuses_bad_responses_without_changing_files(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """Too few answers or an out-of-range answer: exit 1, clear message, no change."""
    before = snapshot(home)
    few = invoke(runner, "measure", phq_client, "phq9", "--responses", "1,2,3")
    assert few.stderr == "goaltrack: error: phq9 has 9 items; got 3 response(s)\n"
    high = invoke(runner, "measure", phq_client, "gad7", "--responses", "0,0,0,0,0,0,5")
    assert high.stderr == "goaltrack: error: gad7 item 7: the answer must be one of 0-3\n"
    assert snapshot(home) == before


def test_totals_only_instrument_says_so(runner: CliRunner, home: Path) -> None:
    """ORS refuses item answers and explains it takes totals only; --total works."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Wellbeing", "--measure", "ors")
    refused = invoke(runner, "measure", "c-1", "ors", "--responses", "5,6,7,8")
    assert refused.exit_code == 1
    assert "ors is totals only" in refused.stderr
    piped = invoke(runner, "measure", "c-1", "ors", input="")
    assert "give --total" in piped.stderr
    assert invoke(runner, "measure", "c-1", "ors", "--total", "24.5").exit_code == 0
    assert client_file(home)["goals"][0]["progress"][0]["value"] == 24.5


def test_per_goal_rating_needs_a_goal_when_several_use_it(runner: CliRunner) -> None:
    """A GBO rating is never copied to several goals: --goal is required then."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "A")
    invoke(runner, "add-goal", "c-1", "autonomy", "B")
    result = invoke(runner, "measure", "c-1", "gbo", "--total", "4")
    assert "gbo rates one goal at a time and goals 1, 2 use it" in result.stderr
    assert invoke(runner, "measure", "c-1", "gbo", "--total", "4", "--goal", "2").exit_code == 0


def test_measure_without_a_matching_goal_records_a_screening(
    runner: CliRunner, phq_client: str
) -> None:
    """No goal named and no active goal on the instrument: an intake screening on the client."""
    result = invoke(runner, "measure", phq_client, "pcl5", "--responses", ",".join(["1"] * 20))
    assert result.exit_code == 0, result.stderr
    assert "Logged to  the client, as a screening (no goal)" in result.stdout
    record = Store.at(None).load(phq_client)
    assert [(s.instrument, s.value) for s in record.client.screenings] == [("pcl5", 20)]
    assert all(not goal.progress for goal in record.goals if goal.measure == "pcl5")


def test_measure_with_an_unknown_goal_explains(runner: CliRunner, phq_client: str) -> None:
    """A named goal that does not exist: refused, naming the goals there are."""
    result = invoke(runner, "measure", phq_client, "phq9", "--goal", "9", "--total", "5")
    assert result.exit_code == 1
    assert "has no goal 9" in result.stderr


def test_measure_reads_responses_from_a_pipe(home: Path, runner: CliRunner) -> None:
    """Piped answers (a real subprocess) are scored and logged; stdout carries the result."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Worry", "--measure", "gad7")
    result = run_cli("measure", "c-1", "gad7", "--json", input="2 2 2 2\n1 1 0\n")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["administration"]
    assert (data["total"], data["band"], data["responses"]) == (10, "moderate",
                                                               [2, 2, 2, 2, 1, 1, 0])  # fmt: skip


def test_measure_interactively_on_a_terminal(home: Path, runner: CliRunner) -> None:
    """On a pseudo-terminal measure asks each item with its wording, re-asks and goes back."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Worry", "--measure", "gad7")
    child = pexpect.spawn(
        sys.executable, ["-m", "goaltrack", "measure", "c-1", "gad7"],
        env={**os.environ, "GOALTRACK_HOME": str(home)}, encoding="utf-8", timeout=HANG_GUARD,
    )  # fmt: skip
    child.expect_exact("Over the last 2 weeks, how often have you been bothered")
    child.expect_exact("1/7. Feeling nervous, anxious or on edge")
    child.expect_exact("2  More than half the days")
    child.expect_exact("Answer [0-3]: ")
    child.sendline("7")
    child.expect_exact("Please answer 0-3.")
    child.sendline("3")
    child.expect_exact("2/7. Not being able to stop or control worrying")
    child.sendline("b")  # back to item 1
    child.expect_exact("1/7. Feeling nervous")
    for answer in ("1", "1", "1", "1", "1", "1", "2"):
        child.expect_exact("Answer [0-3]: ")
        child.sendline(answer)
    child.expect_exact("Save? Enter or y = save")
    child.sendline("")
    child.expect_exact("Total")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    entry = client_file(home)["goals"][0]["progress"][0]
    assert (entry["value"], entry["responses"]) == (8, [1, 1, 1, 1, 1, 1, 2])


def test_quitting_interactive_measure_saves_nothing(home: Path, runner: CliRunner) -> None:
    """'q' at a prompt stops without writing anything."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    before = snapshot(home)
    child = pexpect.spawn(
        sys.executable, ["-m", "goaltrack", "measure", "c-1", "phq9"],
        env={**os.environ, "GOALTRACK_HOME": str(home)}, encoding="utf-8", timeout=HANG_GUARD,
    )  # fmt: skip
    child.expect_exact("Answer [0-3]: ")
    child.sendline("q")
    child.expect_exact("nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert snapshot(home) == before


def test_interactive_measure_refuses_before_the_first_item(home: Path, runner: CliRunner) -> None:
    """A PHQ-9 for a goal not measured by it is refused before answering anything."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Cope", "--measure", "gbo")
    child = pexpect.spawn(
        sys.executable, ["-m", "goaltrack", "measure", "c-1", "phq9", "--goal", "1"],
        env={**os.environ, "GOALTRACK_HOME": str(home)}, encoding="utf-8", timeout=HANG_GUARD,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert "goal 1 of 'c-1' is measured by gbo, not phq9" in (child.before or "")
    assert "Answer" not in (child.before or "")
    assert child.exitstatus == 1


# ---- the item-9 safety flag -----------------------------------------------------------------


def test_item9_warns_on_stderr_and_flags_the_entry(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """An item-9 answer above 0 prints a prominent stderr warning and stores the flag."""
    result = invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_FLAGGED,
                    "--date", "2026-11-20", "--json")  # fmt: skip
    assert result.exit_code == 0
    assert "RISK: c-1 answered 2 (More than half the days) to PHQ-9 item 9" in result.stderr
    assert "RISK" not in result.stdout
    assert json.loads(result.stdout)["administration"]["flags"] == ["risk-item9"]
    assert client_file(home)["goals"][0]["progress"][0]["flags"] == ["risk-item9"]


def test_item9_flag_shows_in_show_and_progress_until_cleared(
    runner: CliRunner, phq_client: str
) -> None:
    """show/progress (table and JSON) carry the flag until a later PHQ-9 has item 9 = 0."""
    invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_FLAGGED,
           "--date", "2026-11-20")  # fmt: skip
    for command in ("show", "progress"):
        table = invoke(runner, command, phq_client).stdout
        assert table.startswith("!! RISK: PHQ-9 item 9")
        assert "endorsed on 2026-11-20" in table and "follow up" in table
        alerts = json.loads(invoke(runner, command, phq_client, "--json").stdout)["alerts"]
        assert len(alerts) == 1
        assert {k: alerts[0][k] for k in ("flag", "instrument", "item", "response", "date")} == {
            "flag": "risk-item9", "instrument": "phq9", "item": 9, "response": 2,
            "date": "2026-11-20",
        }  # fmt: skip
    # a bare total does not clear it; an earlier clear administration does not either
    invoke(runner, "log", phq_client, "1", "4", "--date", "2026-11-25")
    invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_CLEAR,
           "--date", "2026-11-10")  # fmt: skip
    assert json.loads(invoke(runner, "show", phq_client, "--json").stdout)["alerts"]
    invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_CLEAR,
           "--date", "2026-11-27")  # fmt: skip
    assert json.loads(invoke(runner, "show", phq_client, "--json").stdout)["alerts"] == []
    assert "RISK" not in invoke(runner, "progress", phq_client).stdout


def test_item9_flag_is_warned_on_stderr_for_csv_and_jsonl(
    runner: CliRunner, phq_client: str
) -> None:
    """Flat formats have no alert field, so the alert goes to stderr: never silent."""
    invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_FLAGGED)
    for fmt in ("csv", "jsonl"):
        result = invoke(runner, "progress", phq_client, "-f", fmt)
        assert result.stderr.startswith("goaltrack: warning: RISK: PHQ-9 item 9")
        assert "RISK" not in result.stdout


def test_item9_warning_is_shown_even_when_saving_fails(runner: CliRunner, home: Path) -> None:
    """A flagged administration that cannot be stored still warns, and says it was not saved."""
    invoke(runner, "new-client", "c-1")
    result = invoke(runner, "measure", "c-1", "phq9", "--responses", PHQ9_FLAGGED, "--goal", "4")
    assert result.exit_code == 1
    assert "RISK: c-1 answered 2" in result.stderr
    assert "NOT saved" in result.stderr
    assert "has no goal 4" in result.stderr


# ---- GAS level descriptions ---------------------------------------------------------------


def test_gas_levels_are_stored_shown_and_guarded(runner: CliRunner, home: Path) -> None:
    """--gas-level sets a GAS goal's level texts; they show, and block a silent measure change."""
    invoke(runner, "new-client", "c-1")
    added = invoke(runner, "add-goal", "c-1", "relationships", "Speak up",
                   "--gas-level", "-2=Never disagrees", "--gas-level", "0=Says no once a week",
                   "--gas-level", "2=Says no whenever needed")  # fmt: skip
    assert added.exit_code == 0
    goal = client_file(home)["goals"][0]
    assert goal["measure"] == "gas"
    assert goal["gas_levels"] == {"-2": "Never disagrees", "0": "Says no once a week",
                                  "+2": "Says no whenever needed"}  # fmt: skip
    invoke(runner, "edit-goal", "c-1", "1", "--gas-level", "+1=Says no most weeks")
    assert list(client_file(home)["goals"][0]["gas_levels"]) == ["-2", "0", "+1", "+2"]
    shown = invoke(runner, "show", "c-1")
    assert "GAS levels of goal 1" in shown.stdout and "Says no most weeks" in shown.stdout
    detail = json.loads(invoke(runner, "show", "c-1", "--json").stdout)["client"]
    assert detail["goals"][0]["gas_levels"]["+1"] == "Says no most weeks"
    blocked = invoke(runner, "edit-goal", "c-1", "1", "--measure", "gbo")
    assert "add --clear gas_levels" in blocked.stderr
    bad = invoke(runner, "edit-goal", "c-1", "1", "--gas-level", "3=Too far")
    assert "GAS level must be one of -2, -1, 0, +1, +2" in bad.stderr
    assert invoke(runner, "log", "c-1", "1", "+1").exit_code == 0
    assert invoke(runner, "log", "c-1", "1", "3").exit_code == 1


def test_clients_list_marks_clients_with_an_open_flag(runner: CliRunner, phq_client: str) -> None:
    """The caseload list names flagged clients first and carries the flag date per row."""
    invoke(runner, "new-client", "c-2")
    invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_FLAGGED,
           "--date", "2026-11-20")  # fmt: skip
    table = invoke(runner, "clients").stdout
    assert table.startswith("!! RISK: c-1: PHQ-9 item 9 endorsed on 2026-11-20")
    rows = json.loads(invoke(runner, "clients", "--json").stdout)["clients"]
    assert {row["id"]: row["risk_item9"] for row in rows} == {"c-1": "2026-11-20", "c-2": None}


def test_measure_refuses_a_future_date_and_unknown_instrument(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """A future date or an unknown instrument: exit 1, one line, no change."""
    before = snapshot(home)
    future = invoke(runner, "measure", phq_client, "phq9", "--responses", PHQ9_CLEAR,
                    "--date", "2999-01-01")  # fmt: skip
    assert future.stderr == (
        f"goaltrack: error: date: must not be in the future (today is {date.today()})\n"
    )
    unknown = invoke(runner, "measure", phq_client, "bdi2", "--total", "3")
    assert unknown.exit_code == 1 and "not a known instrument" in unknown.stderr
    assert invoke(runner, "instruments", "bdi2").exit_code == 1
    assert snapshot(home) == before


def test_broken_instruments_file_does_not_block_a_status_change(
    runner: CliRunner, home: Path, phq_client: str
) -> None:
    """edit-goal --status needs no registry; a value change on a PHQ-9 goal works too, with
    one warning naming the broken file (issue 17: only goals on its instruments are stopped)."""
    (home / "instruments.toml").write_text("[oops\n")
    assert invoke(runner, "edit-goal", phq_client, "1", "--status", "paused").exit_code == 0
    result = invoke(runner, "edit-goal", phq_client, "1", "--target", "8")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"goaltrack: warning: {home / 'instruments.toml'}: not valid TOML (line 1); none of its "
        "instruments can be used"
    )


def test_clearing_the_baseline_of_a_custom_scale_goal_works(runner: CliRunner, home: Path) -> None:
    """--clear baseline on a goal measured by a user scale re-checks it with that scale."""
    home.mkdir(mode=0o700, parents=True)
    (home / "instruments.toml").write_text(SLEEP, encoding="utf-8")
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "coping", "Sleep", "--measure", "sleep", "--baseline", "3")
    assert invoke(runner, "edit-goal", "c-1", "1", "--clear", "baseline").exit_code == 0
    assert "baseline" not in client_file(home)["goals"][0]
