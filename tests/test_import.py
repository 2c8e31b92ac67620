"""`goaltrack import`: bulk rows from CSV / JSON Lines, all or nothing, idempotent."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goaltrack.errors import CorruptFileError
from goaltrack.interop import importing
from goaltrack.interop.formats import InputFormat
from goaltrack.interop.rows import detect_format, read_rows
from goaltrack.storage.store import Store
from helpers import invoke, run_cli, snapshot

TODAY = date(2026, 11, 28)
FUTURE = date.today() + timedelta(days=3)

SETUP = """type,client,name,concerns,approaches,goal,kind,title,measure,baseline,target,due
client,c-9,Sam K.,depression:severe;sleep,cbt;mindfulness,,,,,,,
goal,c-9,,,,1,symptom-reduction,Less low mood,phq9,18,8,2027-01-31
goal,c-9,,,,2,coping,Feel better overall,ors,20,32,
"""

ENTRIES = """client,goal,date,value,session,rater,note
c-9,1,2026-10-01,18,1,client,"Hard week, slept badly."
c-9,1,2026-10-08,16,2,client,
c-9,2,2026-10-08,3.5,2,therapist,
"""


def _import(text: str, fmt: InputFormat = InputFormat.CSV, home: Path | None = None) -> list:  # type: ignore[type-arg]
    s = Store(home) if home else Store.at()
    prepared = importing.prepare(s, text, fmt)
    return importing.commit(s, prepared)


def _rejected(text: str, fmt: InputFormat = InputFormat.CSV) -> list[str]:
    with pytest.raises(importing.ImportRejected) as caught:
        importing.prepare(Store.at(), text, fmt)
    return [str(error) for error in caught.value.errors]


def test_client_and_goal_rows_create_them(home: Path) -> None:
    """Client and goal rows create the client with its concerns, approaches and goals."""
    _import(SETUP)
    record = Store(home).load("c-9")
    assert record.client.name == "Sam K."
    assert [(c.name, c.severity.value) for c in record.client.concerns] == [
        ("depression", "severe"),
        ("sleep", "moderate"),
    ]
    assert [a.value for a in record.client.approaches] == ["cbt", "mindfulness"]
    goal = record.goal(1)
    assert goal is not None
    assert (goal.kind.value, goal.title, goal.measure, goal.baseline, goal.target, goal.due) == (
        "symptom-reduction",
        "Less low mood",
        "phq9",
        18,
        8,
        date(2027, 1, 31),
    )
    assert [g.number for g in record.goals] == [1, 2]


def test_entry_rows_are_logged_with_every_field(home: Path) -> None:
    """Entry rows keep date, value (int or float), session, rater and note."""
    _import(SETUP)
    _import(ENTRIES)
    record = Store(home).load("c-9")
    goal1, goal2 = record.goal(1), record.goal(2)
    assert goal1 is not None and goal2 is not None
    first = goal1.progress[0]
    assert (
        first.date,
        first.value,
        first.session,
        first.rater,
        first.note,
    ) == (date(2026, 10, 1), 18, 1, "client", "Hard week, slept badly.")
    assert [e.value for e in goal2.progress] == [3.5]
    assert goal1.progress[1].note is None


def test_reimport_adds_nothing(home: Path) -> None:
    """Importing the same rows twice changes no byte of any file."""
    _import(SETUP + "\n")
    _import(ENTRIES)
    before = snapshot(home / "clients")
    results = _import(SETUP)
    results += _import(ENTRIES)
    assert snapshot(home / "clients") == before
    assert {r.action for r in results} == {"unchanged"}
    assert sum(r.entries_present for r in results) == 3


def test_entries_with_id_keep_it_and_match_on_it(home: Path) -> None:
    """A row's id becomes the entry id; a second import with that id adds nothing."""
    _import(SETUP)
    rows = "client,goal,date,value,id\nc-9,1,2026-10-01,18,LEGACY-0001\n"
    _import(rows)
    _import(rows.replace(",18,", ",18,"))
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None
    assert [e.id for e in goal.progress] == ["LEGACY-0001"]


def test_same_id_with_other_data_is_refused(home: Path) -> None:
    """An id already used for a different value is an error naming the line and field id."""
    _import(SETUP)
    _import("client,goal,date,value,id\nc-9,1,2026-10-01,18,LEGACY-0001\n")
    errors = _rejected("client,goal,date,value,id\nc-9,1,2026-10-01,17,LEGACY-0001\n")
    assert len(errors) == 1
    assert errors[0].startswith("line 2, field id: entry LEGACY-0001 already exists")


def test_one_bad_row_writes_nothing_and_names_line_and_field(home: Path) -> None:
    """Every error is reported with line and field; no file changes."""
    _import(SETUP)
    before = snapshot(home)
    text = (
        ENTRIES
        + "c-9,1,2026-10-15,abc,3,,\nc-9,1,15/10/2026,12,3,,\nc-9,1,2026-10-22,12,0,nobody,\n"
    )
    errors = _rejected(text)
    assert errors == [
        "line 5, field value: must be a number (use a dot for decimals, e.g. 6.5)",
        "line 6, field date: must be a date as YYYY-MM-DD (relative dates are for the "
        "command line)",
        "line 7, field session: must be 1 or more",
        "line 7, field rater: must be one of: client, therapist, parent, partner, teacher, "
        "carer, other",
    ]
    assert snapshot(home) == before


def test_errors_never_quote_cell_text(home: Path) -> None:
    """A note shifted into the value column is not echoed in the error."""
    _import(SETUP)
    errors = _rejected("client,goal,date,value\nc-9,1,2026-10-01,talked about her mother\n")
    assert errors == ["line 2, field value: must be a number (use a dot for decimals, e.g. 6.5)"]
    assert "mother" not in " ".join(errors)


def test_unknown_client_goal_and_future_date_are_errors(home: Path) -> None:
    """Rows are checked against the data: client and goal exist, date not in the future."""
    _import(SETUP)
    errors = _rejected(
        f"client,goal,date,value\nc-404,1,2026-10-01,3\nc-9,7,2026-10-01,3\nc-9,1,{FUTURE},3\n"
    )
    assert errors == [
        "line 2: client 'c-404' does not exist; add a row with type=client to create it",
        "line 3: client 'c-9' has no goal 7 (goals: 1, 2)",
        f"line 4, field date: must not be in the future (today is {date.today()})",
    ]


def test_measure_column_guards_against_wrong_goal(home: Path) -> None:
    """A measure that differs from the goal's measure is refused (scores on the wrong goal)."""
    _import(SETUP)
    errors = _rejected("client,goal,measure,date,value\nc-9,2,phq9,2026-10-01,3\n")
    assert errors == ["line 2, field measure: goal 2 of 'c-9' is measured with ors, not phq9"]


def test_unknown_column_is_refused(home: Path) -> None:
    """A misspelt column is an error on line 1, not silently dropped data."""
    errors = _rejected("client,goal,date,value,sesion\nc-9,1,2026-10-01,3,2\n")
    assert len(errors) == 1
    assert errors[0] == (
        "line 1: column 5 ('sesion') is not a known column name; did you mean 'session'?"
    )


def test_headerless_csv_never_quotes_a_cell(home: Path) -> None:
    """A CSV without a header row is refused by column position, never echoing a note."""
    errors = _rejected("c-9,1,2026-10-01,3,,client,SECRET feels hopeless\n")
    assert errors
    assert not any("secret" in error.lower() for error in errors)


def test_same_day_ratings_by_client_and_therapist_are_two_entries(home: Path) -> None:
    """Rows that differ only in rater and note are both kept, not merged as duplicates."""
    _import(SETUP)
    _import(
        "client,goal,date,value,rater,note\n"
        "c-9,1,2026-10-05,5,client,a\n"
        "c-9,1,2026-10-05,5,therapist,b\n"
    )
    entries = Store.at().load("c-9").goal(1).progress  # type: ignore[union-attr]
    assert sorted((e.rater, e.note) for e in entries) == [("client", "a"), ("therapist", "b")]


def test_fields_of_another_row_type_are_refused(home: Path) -> None:
    """An entry row with a goal title is ambiguous, so it is an error."""
    errors = _rejected("client,goal,date,value,title\nc-9,1,2026-10-01,3,Oops\n")
    assert "line 2, field title: not used on entry rows" in errors


def test_goal_number_clash_with_other_title_is_refused(home: Path) -> None:
    """A goal row whose number exists with another title is an error, not a silent skip."""
    _import(SETUP)
    errors = _rejected("type,client,goal,kind,title\ngoal,c-9,1,coping,Something else\n")
    assert errors == [
        "line 2, field goal: goal 1 of 'c-9' already exists with a different kind or title; "
        "use another number"
    ]


def test_two_client_rows_for_one_client_are_refused(home: Path) -> None:
    """A client may be created by one row only."""
    errors = _rejected("type,client\nclient,c-9\nclient,c-9\n")
    assert errors == ["line 3: a second client row for 'c-9' (first on line 2)"]


def test_too_many_cells_is_refused(home: Path) -> None:
    """A row with more cells than the header (an unquoted comma) is an error."""
    errors = _rejected("client,goal,date,value,note\nc-9,1,2026-10-01,3,a, b\n")
    assert errors == ["line 2: 6 cells but the header has 5 (a comma in an unquoted note?)"]


def test_excel_csv_with_bom_crlf_and_semicolons(home: Path) -> None:
    """A spreadsheet's CSV (BOM, CRLF, ';' delimiter, upper-case headers) imports."""
    _import(SETUP)
    text = '\ufeffClient;Goal;Date;Value;Note\r\nc-9;1;2026-10-01;18;"two\r\nlines"\r\n'
    _import(text)
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None
    assert [(e.value, e.note) for e in goal.progress] == [(18, "two\r\nlines")]


def test_jsonl_rows(home: Path) -> None:
    """JSON Lines rows take typed values and lists; null means not given."""
    lines = [
        {"type": "client", "client": "c-9", "concerns": ["anxiety:mild"], "approaches": ["cbt"]},
        {
            "type": "goal",
            "client": "c-9",
            "goal": 1,
            "kind": "coping",
            "title": "Breathe",
            "measure": "ors",
        },
        {"client": "c-9", "goal": 1, "date": "2026-10-01", "value": 4, "session": None},
        {"client": "c-9", "goal": 1, "date": "2026-10-08", "value": 5.5, "session": "2"},
    ]
    _import("\n".join(json.dumps(line) for line in lines) + "\n", InputFormat.JSONL)
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None
    assert [(e.value, e.session) for e in goal.progress] == [(4, None), (5.5, 2)]


def test_jsonl_bad_line_is_named(home: Path) -> None:
    """A line that is not JSON, or not an object, is named."""
    errors = _rejected('{"client": "c-9"\n[1, 2]\n{"client": true, "goal": 1}\n', InputFormat.JSONL)
    assert errors[:2] == ["line 1: not valid JSON", "line 2: must be a JSON object"]
    assert "line 3, field client: must be text" in errors


def test_empty_input_is_refused(home: Path) -> None:
    """Empty input (a producer that failed upstream) is an error, not a silent success."""
    assert _rejected("") == ["input: is empty (not even a header line)"]
    assert _rejected("\n \n", InputFormat.JSONL) == ["input: is empty (not even a header line)"]


def test_header_only_imports_nothing_successfully(home: Path) -> None:
    """A sheet with a header and no rows is valid and adds nothing."""
    assert _import("client,goal,date,value\n") == []


def test_corrupt_client_file_stops_the_import(home: Path) -> None:
    """A client file that cannot be read is a data error: nothing is merged into it."""
    _import(SETUP)
    path = Store(home).path_for("c-9")
    path.write_text("not toml [", encoding="utf-8")
    with pytest.raises(CorruptFileError):
        importing.prepare(Store(home), ENTRIES, InputFormat.CSV)


def test_new_goal_number_is_kept(home: Path) -> None:
    """A goal row's number is the goal's number, even past a gap."""
    _import(SETUP)
    _import("type,client,goal,kind,title\ngoal,c-9,5,autonomy,Decide for myself\n")
    assert [g.number for g in Store(home).load("c-9").goals] == [1, 2, 5]


def test_detect_format() -> None:
    """Extension first, else content: '{' lines are JSON Lines, a dump is JSON, else CSV."""
    assert detect_format("scores.CSV", "{}") is InputFormat.CSV
    assert detect_format("rows.jsonl", "") is InputFormat.JSONL
    assert detect_format("backup.json", "") is InputFormat.JSON
    assert detect_format("-", '{"client": "c-1"}\n{"client": "c-2"}\n') is InputFormat.JSONL
    assert detect_format("-", '{\n  "format_version": 1,\n  "clients": []\n}') is InputFormat.JSON
    assert detect_format(None, '{"format_version": 1, "clients": []}') is InputFormat.JSON
    assert detect_format("-", "client,goal\n") is InputFormat.CSV


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=6))
def test_arbitrary_cells_never_crash_the_reader(cells: list[str]) -> None:
    """Any cell text yields operations or errors with a line, never an exception."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["client", "goal", "date", "value", "note", "session"][: len(cells)], cells]
    )
    parsed = read_rows(buffer.getvalue(), InputFormat.CSV)
    assert all(error.where.startswith(("line", "input")) for error in parsed.errors)
    assert len(parsed.ops) + (1 if parsed.errors else 0) >= 1 or not any(c.strip() for c in cells)


def test_repeated_cells_convert_alike_and_each_bad_row_is_reported() -> None:
    """Rows repeating a cell's text get the same values, and a bad repeated cell is an error
    on every row that holds it (conversions shared by the rows never hide one)."""
    text = (
        "client,goal,date,value,session\n"
        "c-1,1,2025-01-02,7,2\n"
        "c-1,1,2025-01-02,7,2\n"
        "c-1,1,2025-13-02,7,2\n"
        "c-1,1,2025-13-02,7,2\n"
    )
    parsed = read_rows(text, InputFormat.CSV)
    first, second = parsed.ops
    assert first.entry == second.entry  # type: ignore[union-attr]
    assert (first.client_id, first.goal) == ("c-1", 1)  # type: ignore[union-attr]
    assert first.entry.date == date(2025, 1, 2)  # type: ignore[union-attr]
    assert [error.where for error in parsed.errors] == ["line 4, field date", "line 5, field date"]


# ---- through the CLI -----------------------------------------------------------------------


def test_cli_dry_run_reports_and_writes_nothing(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    """--dry-run prints per-client counts as JSON and leaves the home untouched."""
    source = tmp_path / "setup.csv"
    source.write_text(SETUP, encoding="utf-8")
    result = invoke(runner, "import", str(source), "--dry-run", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["dry_run"] is True
    assert document["clients"] == [
        {
            "client": "c-9",
            "action": "create",
            "goals_added": 2,
            "entries_added": 0,
            "entries_present": 0,
        }
    ]
    assert not (home / "clients" / "c-9.toml").exists()


def test_cli_rejects_with_one_line_per_error_and_exit_1(runner: CliRunner, home: Path) -> None:
    """Errors go to stderr, one line each, then a summary; exit 1."""
    result = invoke(runner, "import", "-", input="client,goal,date,value\nc-9,1,2026-10-01,x\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "goaltrack: error: line 2, field value: must be a number "
        "(use a dot for decimals, e.g. 6.5)",
        "goaltrack: error: import refused: 1 error; nothing was written",
    ]
    assert result.stdout == ""


def test_cli_caps_the_number_of_errors_shown(runner: CliRunner) -> None:
    """At most 20 errors are listed, then how many more."""
    rows = "".join(f"c-9,1,2026-10-01,x{i}\n" for i in range(25))
    result = invoke(runner, "import", "-", input="client,goal,date,value\n" + rows)
    lines = result.stderr.splitlines()
    assert len(lines) == 22
    assert lines[20] == "goaltrack: error: ... and 5 more"


def test_cli_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    """A file that does not exist is an input error."""
    result = invoke(runner, "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_cli_unknown_input_format(runner: CliRunner) -> None:
    """--input-format must be csv, jsonl or json: a usage error (exit 2)."""
    result = invoke(runner, "import", "-", "--input-format", "xlsx", input="x")
    assert result.exit_code == 2
    assert "must be one of 'csv', 'jsonl', 'json'" in result.stderr


def test_cli_stdin_pipe_in_subprocess(home: Path) -> None:
    """Rows piped on stdin import in a real process; stderr gets the summary."""
    result = run_cli("import", input=SETUP + "")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        "added 0 entries, 2 goals and 1 client from 3 rows; 0 entries already there"
    )
    result = run_cli("import", "--input-format", "csv", "-f", "csv", input=ENTRIES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "client,action,goals_added,entries_added,entries_present",
        "c-9,update,0,3,0",
    ]


def test_non_utf8_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A file in another encoding is refused with advice, not mangled."""
    source = tmp_path / "latin1.csv"
    source.write_bytes("client,goal,date,value,note\nc-9,1,2026-10-01,3,café\n".encode("latin-1"))
    result = invoke(runner, "import", str(source))
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr


def test_entry_logged_meanwhile_is_kept(home: Path) -> None:
    """Changes made between checking and writing survive: the write replays under the lock."""
    from goaltrack import operations as changes
    from goaltrack.measures.instruments import builtin_registry

    _import(SETUP)
    s = Store(home)
    prepared = importing.prepare(s, ENTRIES, InputFormat.CSV)
    meanwhile = changes.EntryFields(value=11, date=date(2026, 11, 1))
    s.update("c-9", lambda r: changes.log_value(r, 1, meanwhile, builtin_registry()))
    importing.commit(s, prepared)
    goal = s.load("c-9").goal(1)
    assert goal is not None
    assert sorted(e.value for e in goal.progress) == [11, 16, 18]


def test_failed_write_says_what_was_written(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the second client's write fails, the error says one client was written already."""
    from goaltrack.errors import WriteFailedError

    text = "type,client\nclient,c-1\nclient,c-2\n"
    s = Store(home)
    prepared = importing.prepare(s, text, InputFormat.CSV)
    real_create = Store.create

    def flaky(self: Store, record: object, draft: object = None, text: object = None) -> None:
        if record.client.id == "c-2":  # type: ignore[attr-defined]
            raise WriteFailedError("cannot write c-2.toml: No space left on device")
        real_create(self, record, draft, text)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "create", flaky)
    with pytest.raises(WriteFailedError) as caught:
        importing.commit(s, prepared)
    assert caught.value.message == (
        "client 'c-2': cannot write c-2.toml: No space left on device; 1 client(s) were written "
        "before this one; re-run the import to add the rest (already imported entries are not "
        "added twice)"
    )
    assert s.client_ids() == ["c-1"]


def test_progress_callback_reports_both_phases(home: Path) -> None:
    """The progress callback sees every client checked, then every client written."""
    _import(SETUP)
    calls: list[tuple[str, int, int]] = []
    s = Store(home)
    prepared = importing.prepare(s, ENTRIES, InputFormat.CSV, progress=lambda *a: calls.append(a))
    importing.commit(s, prepared, progress=lambda *a: calls.append(a))
    assert calls == [("check", 1, 1), ("write", 1, 1)]


def test_line_numbers_count_multi_line_notes(home: Path) -> None:
    """A note spanning two lines shifts the next row's line number, as an editor shows it."""
    _import(SETUP)
    text = 'client,goal,date,value,note\nc-9,1,2026-10-01,3,"first\nsecond"\nc-9,1,2026-10-02,x,\n'
    assert _rejected(text) == [
        "line 4, field value: must be a number (use a dot for decimals, e.g. 6.5)"
    ]


def test_client_created_meanwhile_is_merged_not_clobbered(home: Path) -> None:
    """If another process creates the client after the check, the import merges into it."""
    from goaltrack import operations as changes

    s = Store(home)
    prepared = importing.prepare(s, SETUP, InputFormat.CSV)
    s.create(changes.new_client_record("c-9", name="Other", created=TODAY))
    results = importing.commit(s, prepared)
    record = s.load("c-9")
    assert record.client.name == "Other"
    assert [g.number for g in record.goals] == [1, 2]
    assert results[0].action == "update"


def test_jsonl_keys_are_case_insensitive_like_csv_headers(home: Path) -> None:
    """`Client` and `client` are the same column in JSON Lines as in CSV."""
    _import(SETUP)
    _import('{"Client": "c-9", "GOAL": 1, "Date": "2026-10-01", "Value": 12}\n', InputFormat.JSONL)
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None
    assert [e.value for e in goal.progress] == [12]


# ---- the instrument rules of `log` and `add-goal` apply to imported rows -----------------------


def test_value_out_of_the_instrument_range_is_refused(home: Path) -> None:
    """A PHQ-9 score of 30 is refused as `log` refuses it, naming the line."""
    _import(SETUP)
    errors = _rejected("client,goal,date,value\nc-9,1,2026-10-01,30\nc-9,1,2026-10-02,4.5\n")
    assert errors == [
        "line 2: value is outside the phq9 range 0-27",
        "line 3: value must be a whole number for phq9",
    ]


def test_goal_row_target_on_the_worse_side_needs_force(runner: CliRunner, home: Path) -> None:
    """A PHQ-9 target above its baseline is refused unless --force, as in add-goal."""
    rows = "type,client,goal,kind,title,measure,baseline,target\nclient,c-9,,,,,,\n"
    rows += "goal,c-9,1,symptom-reduction,Hold steady,phq9,5,8\n"
    refused = invoke(runner, "import", "-", input=rows)
    assert refused.exit_code == 1
    assert "line 3: target is worse than the baseline on phq9" in refused.stderr
    accepted = invoke(runner, "import", "-", "--force", input=rows)
    assert accepted.exit_code == 0, accepted.stderr
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None and goal.target == 8


def test_goal_row_without_measure_gets_the_kind_default(home: Path) -> None:
    """As with add-goal, a trauma goal without a measure is measured with PCL-5."""
    _import("type,client,goal,kind,title\nclient,c-9,,,\ngoal,c-9,1,trauma-resolution,Heal\n")
    goal = Store(home).load("c-9").goal(1)
    assert goal is not None and goal.measure == "pcl5"


def test_unknown_measure_on_a_goal_row_is_refused(home: Path) -> None:
    """A measure the registry does not know is an error naming the line."""
    errors = _rejected(
        "type,client,goal,kind,title,measure\nclient,c-9,,,,\ngoal,c-9,1,coping,Breathe,nosuch\n"
    )
    assert len(errors) == 1 and errors[0].startswith("line 3: ")
    assert errors[0].startswith("line 3: not a known instrument; known: phq9")


@pytest.mark.parametrize("second", ["value", "VALUE", " Value "])
def test_jsonl_key_given_twice_is_refused_like_a_repeated_header(
    runner: CliRunner, home: Path, second: str
) -> None:
    """A JSON Lines row naming `value` twice (in any case) is refused, line and field named."""
    _import(SETUP)
    before = snapshot(home / "clients")
    row = f'{{"client": "c-9", "goal": 1, "date": "2026-10-01", "value": 12, "{second}": 3}}\n'
    result = invoke(runner, "import", "-", "--input-format", "jsonl", input=row)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "goaltrack: error: line 1, field value: appears twice (keys ignore case)",
        "goaltrack: error: import refused: 1 error; nothing was written",
    ]
    assert snapshot(home / "clients") == before


def test_jsonl_unknown_key_given_twice_is_not_quoted(runner: CliRunner, home: Path) -> None:
    """A repeated key that is not a column is refused without echoing the key."""
    row = '{"client": "c-9", "secret note": 1, "Secret Note": 2}\n'
    result = invoke(runner, "import", "-", "--input-format", "jsonl", input=row)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "goaltrack: error: line 1: a key appears twice (keys ignore case)"
    )
    assert "secret" not in result.stderr.lower()


def test_a_relative_date_in_a_row_is_refused(runner: CliRunner, home: Path) -> None:
    """`today` or `+4w` in a file would mean another day on each import: refused, line named."""
    invoke(runner, "new-client", "c-9")
    invoke(runner, "add-goal", "c-9", "coping", "Breathe", "--measure", "gbo")
    for cell in ("today", "+4w"):
        result = invoke(runner, "import", "-", input=f"client,goal,date,value\nc-9,1,{cell},5\n")
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            "goaltrack: error: line 2, field date: must be a date as YYYY-MM-DD (relative "
            "dates are for the command line)"
        )


# ---- a discharged client (issue 12): rows are refused like `log`, a dump restore is not ----


def _discharged(runner: CliRunner) -> None:
    """c-9 with its two goals, discharged today with the goals kept open."""
    _import(SETUP)
    result = invoke(runner, "discharge", "c-9", "--goals", "keep")
    assert result.exit_code == 0, result.stderr


def test_rows_into_a_discharged_client_are_refused(runner: CliRunner, home: Path) -> None:
    """Entry rows for a discharged client: exit 1, one error per row, the home untouched."""
    _discharged(runner)
    before = snapshot(home / "clients")
    result = invoke(runner, "import", "-", input=ENTRIES)
    assert result.exit_code == 1
    day = date.today().isoformat()
    refusal = (
        f"client 'c-9' was discharged on {day}; nothing was logged: `goaltrack reopen c-9` "
        "starts a new episode, or add --force to add it to the closed one"
    )
    assert result.stderr.splitlines() == [
        *(f"goaltrack: error: line {line}: {refusal}" for line in (2, 3, 4)),
        "goaltrack: error: import refused: 3 errors; nothing was written",
    ]
    assert snapshot(home / "clients") == before


def test_rows_into_a_discharged_client_with_force(runner: CliRunner, home: Path) -> None:
    """--force adds the rows to the closed episode, as `log --force` does."""
    _discharged(runner)
    result = invoke(runner, "import", "-", "--force", input=ENTRIES)
    assert result.exit_code == 0, result.stderr
    record = Store(home).load("c-9")
    assert [len(goal.progress) for goal in record.goals] == [2, 1]
    assert record.client.status.value == "discharged"


def test_rows_already_there_are_no_change_for_a_discharged_client(
    runner: CliRunner, home: Path
) -> None:
    """Re-importing rows imported before the discharge adds nothing and refuses nothing."""
    _import(SETUP)
    _import(ENTRIES)
    assert invoke(runner, "discharge", "c-9", "--goals", "keep").exit_code == 0
    result = invoke(runner, "import", "-", "--json", input=ENTRIES)
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)["clients"]
    assert (row["action"], row["entries_present"]) == ("unchanged", 3)


def test_a_dump_restore_into_a_discharged_client_is_not_refused(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    """A whole client from `export` restores its entries into the discharged client."""
    other = tmp_path / "other"
    _import(SETUP, home=other)
    _import(ENTRIES, home=other)
    dump = invoke(runner, "--home", str(other), "export", "c-9").stdout
    _discharged(runner)
    result = invoke(runner, "import", "-", "--input-format", "json", input=dump)
    assert result.exit_code == 0, result.stderr
    record = Store(home).load("c-9")
    assert [len(goal.progress) for goal in record.goals] == [2, 1]
    assert record.client.status.value == "discharged"


def test_a_client_the_rows_create_discharged_keeps_its_entries(home: Path) -> None:
    """A discharged client created by the same rows (its history) is not refused."""
    _import(
        "type,client,status,goal,kind,title,measure,date,value\n"
        "client,c-9,discharged,,,,,,\n"
        "goal,c-9,,1,symptom-reduction,Less low mood,phq9,,\n"
        "entry,c-9,,1,,,,2026-10-01,18\n"
    )
    record = Store(home).load("c-9")
    assert record.client.status.value == "discharged"
    assert [entry.value for entry in record.goals[0].progress] == [18]
