"""`goaltrack export`: the lossless JSON dump, tidy CSV / JSON Lines, files and errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from goaltrack.interop import exporting, importing
from goaltrack.interop.formats import InputFormat
from goaltrack.records.model import ClientRecord
from goaltrack.render.output import to_json
from goaltrack.storage.store import Store
from helpers import DERIVED_FILES, EXAMPLES, invoke, records, run_cli, snapshot


def _copy_caseload(home: Path) -> None:
    shutil.copytree(EXAMPLES, home, ignore=DERIVED_FILES)
    os.chmod(home, 0o700)
    os.chmod(home / "clients", 0o700)


@pytest.mark.slow
def test_round_trip_of_the_caseload_is_identical(home: Path, tmp_path: Path) -> None:
    """export --all, import into an empty home, export again: the same bytes, same files."""
    first = run_cli("--home", str(EXAMPLES), "export", "--all")
    assert first.returncode == 0, first.stderr
    (tmp_path / "dump.json").write_text(first.stdout, encoding="utf-8")
    imported = run_cli("import", str(tmp_path / "dump.json"))
    assert imported.returncode == 0, imported.stderr
    second = run_cli("export", "--all")
    assert second.stdout == first.stdout
    for path in sorted((EXAMPLES / "clients").glob("*.toml")):
        assert (home / "clients" / path.name).read_bytes() == path.read_bytes()


def test_dump_reimport_adds_nothing(home: Path, tmp_path: Path) -> None:
    """Importing a dump into the home it came from changes no file."""
    _copy_caseload(home)
    dump = run_cli("export", "--all").stdout
    before = snapshot(home)
    result = run_cli("import", "--input-format", "json", "-", input=dump)
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before


def test_dump_merges_new_goals_and_entries_into_existing_client(home: Path) -> None:
    """A dump with more entries than the client has adds only the missing ones."""
    _copy_caseload(home)
    store = Store(home)
    full = store.load("c-1042")
    document = exporting.dump_document([full])
    store.update("c-1042", lambda r: r.goals[0].progress.pop())
    store.update("c-1042", lambda r: r.goals.pop())
    results = importing.commit(
        store, importing.prepare(store, json.dumps(document, default=str), InputFormat.JSON)
    )
    assert [(r.action, r.goals_added, r.entries_added) for r in results] == [("update", 1, 10)]
    assert store.load("c-1042") == full


def test_dump_with_conflicting_entry_is_refused(home: Path) -> None:
    """An entry id that exists with other data is a conflict, reported, nothing written."""
    _copy_caseload(home)
    store = Store(home)
    record = store.load("c-1042")
    record.goals[0].progress[0].value = 27
    text = to_json(exporting.dump_document([record]))
    with pytest.raises(importing.ImportRejected) as caught:
        importing.prepare(store, text, InputFormat.JSON)
    assert [str(e) for e in caught.value.errors] == [
        "clients[0] (c-1042): entry F9P3NKZSJA of goal 1 exists with different data"
    ]


def test_invalid_dump_names_client_and_field(home: Path) -> None:
    """A dumped record that fails the model is named by index and field path."""
    document = exporting.dump_document([])
    document["clients"] = [
        {
            "schema_version": 1,
            "client": {"id": "c-1", "created": "2026-09-01"},
            "goals": [{"number": 1, "kind": "nope", "title": "x", "created": "2026-09-01"}],
        }
    ]
    with pytest.raises(importing.ImportRejected) as caught:
        importing.prepare(Store(home), json.dumps(document), InputFormat.JSON)
    assert [str(e) for e in caught.value.errors] == [
        "clients[0]: goals[0].kind: Input should be 'symptom-reduction', 'trauma-resolution', "
        "'self-esteem', 'coping', 'autonomy' or 'relationships'"
    ]


def test_dump_from_a_newer_version_is_refused(home: Path) -> None:
    """format_version above what this goaltrack writes is refused."""
    with pytest.raises(importing.ImportRejected) as caught:
        importing.prepare(Store(home), '{"format_version": 2, "clients": []}', InputFormat.JSON)
    assert str(caught.value.errors[0]) == "input: format_version must be an integer up to 1"


@pytest.mark.slow
@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(record=records())
def test_dump_round_trips_any_record(
    record: ClientRecord, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any valid record survives export -> import -> load unchanged."""
    store = Store(tmp_path_factory.mktemp("h") / "home")
    text = to_json(exporting.dump_document([record]))
    importing.commit(store, importing.prepare(store, text, InputFormat.JSON))
    assert store.load(record.client.id) == record


def test_csv_is_tidy_one_row_per_entry(home: Path) -> None:
    """CSV export: the documented header and one row per entry, notes kept."""
    _copy_caseload(home)
    result = run_cli("export", "c-1042", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (
        result.stdout.splitlines()[0]
        == "client,goal,measure,id,date,value,session,rater,note,flags"
    )
    assert len(rows) == 33
    assert rows[2] == {
        "client": "c-1042",
        "goal": "1",
        "measure": "phq9",
        "id": "GVYDDDW691",
        "date": "2026-09-15",
        "value": "17",
        "session": "3",
        "rater": "client",
        "note": "Slept better this week.",
        "flags": "",
    }


def test_csv_without_notes(home: Path) -> None:
    """--no-notes empties the note column."""
    _copy_caseload(home)
    rows = list(
        csv.DictReader(io.StringIO(run_cli("export", "--all", "-f", "csv", "--no-notes").stdout))
    )
    assert rows and all(row["note"] == "" for row in rows)


def test_csv_export_imports_back_into_a_copy_adding_nothing(home: Path, tmp_path: Path) -> None:
    """The tidy CSV is valid import input: into the same home it adds nothing."""
    _copy_caseload(home)
    (tmp_path / "all.csv").write_text(run_cli("export", "--all", "-f", "csv").stdout)
    before = snapshot(home)
    result = run_cli("import", str(tmp_path / "all.csv"))
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before


def test_jsonl_rows_match_csv(home: Path) -> None:
    """JSON Lines export has the same rows, typed."""
    _copy_caseload(home)
    lines = run_cli("export", "c-3150", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 19
    first = json.loads(lines[0])
    assert list(first) == list(exporting.JSONL_COLUMNS)
    assert isinstance(first["value"], int | float)


def test_output_file_is_private_and_atomic(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    """-o writes the file with mode 0600 and says so on stderr; stdout stays empty."""
    _copy_caseload(home)
    target = tmp_path / "backup.json"
    result = invoke(runner, "export", "--all", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["kind"] == "goaltrack-export"


def test_export_needs_clients_or_all(runner: CliRunner) -> None:
    """No client and no --all is an input error."""
    result = invoke(runner, "export")
    assert result.exit_code == 1
    assert result.stderr.strip() == "goaltrack: error: name the clients to export, or use --all"


def test_export_unknown_client(runner: CliRunner, home: Path) -> None:
    """An unknown client is exit 1 and nothing on stdout."""
    _copy_caseload(home)
    result = invoke(runner, "export", "c-1042", "c-404")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_export_all_warns_about_unreadable_files(runner: CliRunner, home: Path) -> None:
    """A corrupt file is named on stderr, the others are exported, exit 3."""
    _copy_caseload(home)
    (home / "clients" / "c-2077.toml").write_text("broken = [", encoding="utf-8")
    result = invoke(runner, "export", "--all")
    assert result.exit_code == 3
    ids = [c["client"]["id"] for c in json.loads(result.stdout)["clients"]]
    assert ids == ["c-1042", "c-3150", "c-4208"]
    assert "c-2077.toml" in result.stderr and "not exported" in result.stderr


def test_unknown_export_format(runner: CliRunner) -> None:
    """-f must be json, jsonl, csv or fhir: a usage error (exit 2)."""
    result = invoke(runner, "export", "--all", "-f", "xml")
    assert result.exit_code == 2
    assert "must be one of 'json', 'jsonl', 'csv', 'fhir'" in result.stderr


def test_round_trip_of_an_empty_home(home: Path, tmp_path: Path) -> None:
    """An empty home exports an empty dump, which imports as a no-op (nightly checks pass)."""
    home.mkdir(mode=0o700)
    dump = run_cli("export", "--all")
    assert dump.returncode == 0
    assert json.loads(dump.stdout)["clients"] == []
    result = run_cli("import", "--dry-run", input=dump.stdout)
    assert result.returncode == 0, result.stderr
