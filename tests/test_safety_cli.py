"""Issue 13: an endorsed PHQ-9 item 9 can never be hidden, through the CLI on real files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from helpers import invoke

ITEM9_TWO = "1,1,1,1,1,1,1,1,2"  # total 10, item 9 answered 2


def _client(runner: CliRunner) -> None:
    """c-1 with goal 1 measured by the PHQ-9 (target 5)."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood", "--target", "5")


def _administer(runner: CliRunner, responses: str, on: str) -> str:
    """A PHQ-9 through `measure`; returns the new entry's id."""
    result = invoke(
        runner, "measure", "c-1", "phq9", "--responses", responses, "--date", on, "--json"
    )
    assert result.exit_code == 0, result.stderr
    entry_id: str = json.loads(result.stdout)["administration"]["entries"][0]["id"]
    return entry_id


def _edit(home: Path, old: str, new: str) -> None:
    """A hand edit of c-1's file (the risk cases the issue found)."""
    path = home / "clients" / "c-1.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _answers_block(answers: list[int]) -> str:
    return "responses = [\n" + "".join(f"    {a},\n" for a in answers) + "]"


def _alerts(runner: CliRunner) -> list[dict[str, object]]:
    result = invoke(runner, "show", "c-1", "--json")
    assert result.exit_code == 0, result.stderr
    alerts: list[dict[str, object]] = json.loads(result.stdout)["alerts"]
    return alerts


def _tenth_answer_file(runner: CliRunner, home: Path) -> str:
    """A flagged PHQ-9 hand-edited to ten answers (item 9 still 2)."""
    entry = _administer(runner, ITEM9_TWO, "2026-11-02")
    _edit(home, _answers_block([1] * 8 + [2]), _answers_block([1] * 8 + [2, 0]))
    return entry


def test_ten_answers_with_item9_endorsed_keep_the_alert_in_show(
    runner: CliRunner, home: Path
) -> None:
    """Ten hand-edited answers, item 9 = 2: `show` still has the alert, answer 2, malformed."""
    _client(runner)
    entry = _tenth_answer_file(runner, home)
    [alert] = _alerts(runner)
    assert (alert["entry"], alert["date"], alert["response"], alert["malformed"]) == (
        entry,
        "2026-11-02",
        2,
        True,
    )


def test_ten_answers_with_item9_endorsed_keep_the_flag_in_clients_and_progress(
    runner: CliRunner, home: Path
) -> None:
    """The malformed entry keeps `clients` risk_item9 and the RISK line of `progress`."""
    _client(runner)
    _tenth_answer_file(runner, home)
    rows = json.loads(invoke(runner, "clients", "--json").stdout)["clients"]
    assert rows[0]["risk_item9"] == "2026-11-02"
    progress = invoke(runner, "progress", "c-1")
    assert "RISK: PHQ-9 item 9" in progress.stdout + progress.stderr


def test_answer_outside_0_3_with_item9_endorsed_keeps_the_alert(
    runner: CliRunner, home: Path
) -> None:
    """Item 1 hand-edited to 5 (out of range), item 9 = 2: the alert stays, answer 2."""
    _client(runner)
    _administer(runner, ITEM9_TWO, "2026-11-02")
    _edit(home, _answers_block([1] * 8 + [2]), _answers_block([5] + [1] * 7 + [2]))
    assert [(a["response"], a["malformed"]) for a in _alerts(runner)] == [(2, True)]


def test_a_malformed_later_phq9_with_item9_zero_does_not_close(
    runner: CliRunner, home: Path
) -> None:
    """Flag on 2 Nov; a later all-zero PHQ-9 edited to 10 answers: the flag stays open."""
    _client(runner)
    flagged = _administer(runner, ITEM9_TWO, "2026-11-02")
    _administer(runner, "0,0,0,0,0,0,0,0,0", "2026-11-09")
    _edit(home, _answers_block([0] * 9), _answers_block([0] * 10))
    assert [a["entry"] for a in _alerts(runner)] == [flagged]


def test_a_wellformed_later_phq9_with_item9_zero_closes(runner: CliRunner) -> None:
    """Flag on 2 Nov, a complete PHQ-9 with item 9 = 0 on 9 Nov: no open alert."""
    _client(runner)
    _administer(runner, ITEM9_TWO, "2026-11-02")
    _administer(runner, "0,0,0,0,0,0,0,0,0", "2026-11-09")
    assert _alerts(runner) == []


def test_check_names_an_unreadable_endorsed_item9_as_a_risk(runner: CliRunner, home: Path) -> None:
    """`check` reports the ten-answer entry as a RISK naming goal, entry, date and answer."""
    _client(runner)
    entry = _tenth_answer_file(runner, home)
    result = invoke(runner, "check", "--json")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "risk"]
    assert [f["message"] for f in findings] == [
        f"RISK: goal 1: entry {entry} (2026-11-02): PHQ-9 item 9 endorsed (answer 2) in "
        "answers that are not a valid PHQ-9 (10 answers; a PHQ-9 has 9, each 0-3); follow "
        "up, then correct the entry by hand"
    ]


def _dump_with_bare_flag() -> str:
    """A JSON dump from elsewhere: a PHQ-9 total of 14 with the flag and no answers."""
    return json.dumps(
        {
            "format_version": 1,
            "kind": "goaltrack-export",
            "schema_version": 1,
            "clients": [
                {
                    "schema_version": 1,
                    "client": {"id": "c-1", "created": "2026-10-01"},
                    "goals": [
                        {
                            "number": 1,
                            "kind": "symptom-reduction",
                            "title": "Mood",
                            "measure": "phq9",
                            "created": "2026-10-01",
                            "progress": [
                                {
                                    "id": "BARE000001",
                                    "date": "2026-11-02",
                                    "value": 14,
                                    "instrument": "phq9",
                                    "flags": ["risk-item9"],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )


def _import_bare_flag(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(_dump_with_bare_flag())
    result = invoke(runner, "import", str(path))
    assert result.exit_code == 0, result.stderr


def test_a_flag_without_answers_from_a_dump_raises_the_alert(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An imported flagged entry without answers: `show` alerts, answer not stored."""
    _import_bare_flag(runner, tmp_path)
    [alert] = _alerts(runner)
    assert (alert["entry"], alert["response"]) == ("BARE000001", None)
    assert "item-9 answer not stored" in str(alert["message"])


def test_check_names_a_flag_without_answers(runner: CliRunner, tmp_path: Path) -> None:
    """`check` no longer passes the flagged entry without answers: it names it a RISK."""
    _import_bare_flag(runner, tmp_path)
    result = invoke(runner, "check", "--json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["check"] == "risk"]
    assert messages == [
        "RISK: goal 1: entry BARE000001 (2026-11-02): carries the PHQ-9 item-9 flag without "
        "readable PHQ-9 answers; follow up, then correct the entry by hand"
    ]
    assert result.exit_code != 0


def test_fhir_gives_a_flag_without_answers_its_interpretation(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The FHIR Observation of the bare flagged entry carries the 'A' interpretation."""
    _import_bare_flag(runner, tmp_path)
    bundle = json.loads(invoke(runner, "export", "c-1", "-f", "fhir").stdout)
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    codes = [
        obs["interpretation"][0]["coding"][0]["code"]
        for obs in observations
        if obs.get("valueInteger") == 14
    ]
    assert codes == ["A"]


def test_remove_entry_of_a_flagged_entry_without_force_changes_nothing(
    runner: CliRunner, home: Path
) -> None:
    """remove-entry on the flagged entry: exit 1, the file unchanged, the alert still open."""
    _client(runner)
    entry = _administer(runner, ITEM9_TWO, "2026-11-02")
    before = (home / "clients" / "c-1.toml").read_bytes()
    result = invoke(runner, "remove-entry", "c-1", "1", entry)
    assert result.exit_code == 1
    assert result.stderr == (
        f"goaltrack: error: entry {entry} holds an endorsed PHQ-9 item 9 (2026-11-02, total "
        "10, item-9 answer 2); it was not removed: add --force to remove a risk entry "
        "(audited)\n"
    )
    assert (home / "clients" / "c-1.toml").read_bytes() == before
    assert [a["entry"] for a in _alerts(runner)] == [entry]


def test_remove_entry_with_force_prints_the_banner_and_audits_the_risk(
    runner: CliRunner, home: Path
) -> None:
    """--force removes it, prints the risk banner, and the audit line names date, total, item 9."""
    _client(runner)
    invoke(runner, "log", "c-1", "1", "12", "--date", "2026-11-01", "--note", "secret words")
    entry = _administer(runner, ITEM9_TWO, "2026-11-02")
    result = invoke(runner, "remove-entry", "c-1", "1", entry, "--force")
    assert result.exit_code == 0, result.stderr
    assert f"RISK ENTRY REMOVED: c-1 entry {entry} held an endorsed PHQ-9 item 9" in result.stderr
    assert result.stderr.startswith("!" * 72 + "\n")
    last = json.loads((home / "audit.log").read_text().splitlines()[-1])
    assert (last["command"], last["risk_removed"]) == (
        "remove-entry",
        [{"entry": entry, "date": "2026-11-02", "total": 10, "item9": 2}],
    )
    assert "secret" not in (home / "audit.log").read_text()
    assert _alerts(runner) == []


def test_remove_entry_of_a_plain_entry_needs_no_force(runner: CliRunner, home: Path) -> None:
    """A plain value goes without --force, no banner, and no risk_removed in the audit."""
    _client(runner)
    entry = invoke(runner, "log", "c-1", "1", "12", "--date", "2026-11-01").stdout.strip()
    result = invoke(runner, "remove-entry", "c-1", "1", entry)
    assert result.stderr == f"removed entry {entry} from goal 1 of c-1\n"
    assert "risk_removed" not in json.loads((home / "audit.log").read_text().splitlines()[-1])


def test_export_csv_carries_the_flag_and_warns(runner: CliRunner) -> None:
    """export -f csv has a flags column with risk-item9, and the alert goes to stderr."""
    _client(runner)
    entry = _administer(runner, ITEM9_TWO, "2026-11-02")
    result = invoke(runner, "export", "c-1", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["value"], r["flags"]) for r in rows] == [(entry, "10", "risk-item9")]
    assert re.search(r"warning: c-1: RISK: PHQ-9 item 9 .* on 2026-11-02 \(answer 2", result.stderr)


def test_export_jsonl_carries_flags_and_answers(runner: CliRunner) -> None:
    """export -f jsonl rows carry flags and the nine answers, and warn on stderr."""
    _client(runner)
    _administer(runner, ITEM9_TWO, "2026-11-02")
    result = invoke(runner, "export", "c-1", "-f", "jsonl")
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["flags"], row["answers"]) == (["risk-item9"], [1, 1, 1, 1, 1, 1, 1, 1, 2])
    assert "RISK: PHQ-9 item 9" in result.stderr


def test_a_jsonl_export_imports_back_with_its_flag_and_answers(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    """The JSON Lines rows re-imported into a fresh client keep flag and answers: alert open."""
    _client(runner)
    _administer(runner, ITEM9_TWO, "2026-11-02")
    text = invoke(runner, "export", "c-1", "-f", "jsonl").stdout.replace('"c-1"', '"c-2"')
    invoke(runner, "new-client", "c-2")
    invoke(runner, "add-goal", "c-2", "symptom-reduction", "Mood", "--target", "5")
    (tmp_path / "rows.jsonl").write_text(text)
    assert invoke(runner, "import", str(tmp_path / "rows.jsonl")).exit_code == 0
    shown = json.loads(invoke(runner, "show", "c-2", "--json").stdout)
    assert [a["response"] for a in shown["alerts"]] == [2]


def test_measure_total_says_item9_not_assessed(runner: CliRunner, home: Path) -> None:
    """measure phq9 --total 12: the table says "item 9 not assessed", stderr says so, stored."""
    _client(runner)
    result = invoke(runner, "measure", "c-1", "phq9", "--total", "12", "--date", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^Flags +item 9 not assessed$", result.stdout, re.MULTILINE)
    assert "item 9 (thoughts of death or self-harm) was not assessed" in result.stderr
    assert 'flags = [\n    "item9-not-assessed",\n]' in (home / "clients" / "c-1.toml").read_text()
    assert _alerts(runner) == []
