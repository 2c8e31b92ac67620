"""Schema 2: the plan, the episode of care, screenings and risk reviews in the file format, the
v1 -> v2 migration (both ways), and the end-of-file line that shows a file cut at a line end."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError
from typer.testing import CliRunner

from goaltrack.errors import CorruptFileError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.operations import goals as goal_ops
from goaltrack.records.model import (
    SCHEMA_VERSION,
    Client,
    ClientRecord,
    ClientStatus,
    Episode,
    Goal,
    GoalKind,
    Objective,
    ProgressEntry,
    Screening,
)
from goaltrack.storage import fileformat
from goaltrack.storage.store import Store
from helpers import invoke

GOLDEN = Path(__file__).resolve().parent / "golden"
V1_FILES = sorted((GOLDEN / "v1").glob("*.toml"))
D = date(2026, 9, 1)


def _as_v1(document: dict[str, Any]) -> dict[str, Any]:
    """A schema-2 document projected back onto schema 1: what v2 added taken out again."""
    client = {k: v for k, v in document["client"].items() if k != "since"}
    goals = [{k: v for k, v in goal.items() if k != "episode"} for goal in document["goals"]]
    return {**document, "schema_version": 1, "client": client, "goals": goals}


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_v1_file_migrates_to_v2_and_back_to_the_same_data(path: Path) -> None:
    """A v1 file read as v2 holds every v1 value; v2's additions taken out give the v1 data."""
    text = path.read_text(encoding="utf-8")
    v1 = tomllib.loads(text)
    loaded = fileformat.parse(text, path.name)
    assert loaded.file_version == 1
    document = loaded.record.to_document()
    assert document["schema_version"] == SCHEMA_VERSION == 2
    assert document["client"]["since"] == v1["client"]["created"]
    assert all(goal["episode"] == 1 for goal in document["goals"])
    assert _as_v1(document) == v1


@pytest.mark.parametrize("path", V1_FILES, ids=lambda path: path.name)
def test_v1_file_reads_the_same_after_its_first_write(path: Path) -> None:
    """Written once as v2 and read again, a v1 file gives the very same record."""
    loaded = fileformat.parse(path.read_text(encoding="utf-8"), path.name)
    again = fileformat.parse(fileformat.render(loaded.record), path.name)
    assert again.file_version == 2
    assert again.whole
    assert again.record == loaded.record


def test_v1_client_shows_the_same_through_the_cli_after_a_write(
    runner: CliRunner, home: Path
) -> None:
    """`show` and `progress` print the same JSON for a v1 file before and after it is migrated."""
    (home / "clients").mkdir(parents=True, mode=0o700)
    home.chmod(0o700)
    v1 = GOLDEN / "v1" / "example-c-1042.toml"
    (home / "clients" / "c-1042.toml").write_bytes(v1.read_bytes())
    (home / "clients" / "c-1042.toml").chmod(0o600)
    before = [invoke(runner, "show", "c-1042", "-f", "json").stdout]
    before.append(invoke(runner, "progress", "c-1042", "-f", "json").stdout)
    Store(home).update("c-1042", lambda record: None)  # the first write
    text = (home / "clients" / "c-1042.toml").read_text(encoding="utf-8")
    assert text.startswith("schema_version = 2\n")
    after = [invoke(runner, "show", "c-1042", "-f", "json").stdout]
    after.append(invoke(runner, "progress", "c-1042", "-f", "json").stdout)
    assert after == before


def test_plan_and_care_golden_satisfies_the_published_schema(runner: CliRunner) -> None:
    """Every schema-2 field of the golden plan-and-care file is in `goaltrack schema`."""
    schema = json.loads(invoke(runner, "schema").stdout)
    data = json.loads(
        json.dumps(
            tomllib.loads((GOLDEN / "plan-and-care.toml").read_text(encoding="utf-8")),
            default=str,
        )
    )
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


# --- the models' rules ----------------------------------------------------------------------


def _goal(**fields: Any) -> Goal:
    return Goal(number=1, kind=GoalKind.COPING, title="Cope", created=D, **fields)


def test_objective_numbers_must_be_unique_within_a_goal() -> None:
    """Two objectives numbered 1 in one goal are refused: numbers are keys."""
    with pytest.raises(ValidationError, match="objective numbers must be unique"):
        _goal(objectives=[Objective(number=1, text="a"), Objective(number=1, text="b")])


def test_concern_names_are_unique_ignoring_case() -> None:
    """`Depression` and `depression` are one concern's name twice: refused."""
    with pytest.raises(ValidationError, match="each concern name may be listed once"):
        Client(id="c-1", created=D, concerns=[{"name": "Depression"}, {"name": "depression"}])


def test_screening_names_its_instrument() -> None:
    """A screening without an instrument is refused."""
    with pytest.raises(ValidationError, match="names the instrument"):
        Screening(id="S000000001", date=D, value=12)


def test_screening_with_item9_endorsed_carries_the_risk_flag() -> None:
    """A PHQ-9 screening with item 9 above 0 raises the flag, as a goal's entry does."""
    screening = Screening(
        id="S000000001", date=D, value=21, instrument="phq9", responses=[3, 3, 2, 3, 2, 3, 2, 2, 1]
    )
    assert [flag.value for flag in screening.flags or []] == ["risk-item9"]


def test_screening_id_may_not_repeat_an_entry_id() -> None:
    """Entries and screenings share one id space."""
    entry = ProgressEntry(id="X000000001", date=D, value=3)
    screening = Screening(id="X000000001", date=D, value=3, instrument="phq9")
    client = Client(id="c-1", created=D, screenings=[screening])
    with pytest.raises(ValidationError, match="entry and screening ids must be unique"):
        ClientRecord(client=client, goals=[_goal(progress=[entry])])


def test_episode_cannot_end_before_it_starts() -> None:
    """An episode whose `until` precedes its `since` is refused."""
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        Episode(number=1, since=D, until=date(2026, 8, 31))


@pytest.mark.parametrize("every", ["session", "1w", "2w", "4w", "10d"])
def test_schedule_accepts_sessions_days_and_weeks(every: str) -> None:
    """`session`, Nw and Nd are schedules."""
    assert _goal(every=every).every == every


@pytest.mark.parametrize("every", ["weekly", "0w", "2m", "", "1W "])
def test_schedule_refuses_other_text(every: str) -> None:
    """Anything else is refused with the rule."""
    with pytest.raises(ValidationError, match="schedule must be session"):
        _goal(every=every)


def test_since_defaults_to_created() -> None:
    """A client made without a start date began the day its file was made."""
    assert Client(id="c-1", created=D).since == D


def test_current_episode_follows_the_closed_ones() -> None:
    """In care: one past the last closed episode; discharged: the last closed one."""
    closed = [Episode(number=1, since=date(2025, 1, 1), until=date(2025, 6, 30))]
    assert Client(id="c-1", created=D).current_episode() == 1
    assert Client(id="c-1", created=D, episodes=closed).current_episode() == 2
    discharged = Client(id="c-1", created=D, episodes=closed, status=ClientStatus.DISCHARGED)
    assert discharged.current_episode() == 1


def test_a_new_goal_belongs_to_the_current_episode() -> None:
    """add_goal records the episode the client is in."""
    closed = [Episode(number=1, since=date(2025, 1, 1), until=date(2025, 6, 30))]
    record = ClientRecord(client=Client(id="c-1", created=D, episodes=closed))
    fields = goal_ops.GoalFields(kind=GoalKind.COPING, title="Cope")
    number = goal_ops.add_goal(record, fields, builtin_registry())
    assert record.require_goal(number).episode == 2


def test_empty_schema2_lists_are_left_out_of_the_file() -> None:
    """A client with no preferences, screenings or objectives gets no empty keys for them."""
    record = ClientRecord(client=Client(id="c-1", created=D), goals=[_goal()])
    text = fileformat.render(record)
    for key in ("preferences", "strengths", "screenings", "risk_reviews", "episodes"):
        assert key not in text
    assert "objectives" not in text and "interventions" not in text


# --- the end-of-file line -------------------------------------------------------------------


def test_rendered_file_ends_with_its_end_line() -> None:
    """Every file goaltrack writes ends with `# end of ID`."""
    text = fileformat.render(ClientRecord(client=Client(id="c-7", created=D)))
    assert text.endswith("\n\n# end of c-7\n")


def test_every_cut_at_a_line_end_is_refused_or_known_cut() -> None:
    """No prefix of a file cut at a line end reads as a whole file (all 100+ of them)."""
    text = (GOLDEN / "plan-and-care.toml").read_text(encoding="utf-8")
    cuts = [index + 1 for index, char in enumerate(text[:-1]) if char == "\n"]
    assert len(cuts) > 100
    for cut in cuts:
        try:
            loaded = fileformat.parse(text[:cut], "cut")
        except CorruptFileError:
            continue
        assert not loaded.whole, cut


def test_a_line_appended_after_the_end_line_keeps_the_file_whole() -> None:
    """A hand edit that adds after the end line still holds it: the file is trusted."""
    text = (GOLDEN / "plan-and-care.toml").read_text(encoding="utf-8")
    assert fileformat.parse(text + "# reviewed\n", "edited").whole


def _cut_client(home: Path, runner: CliRunner) -> Path:
    """Client c-1 whose file lost its last lines (cut exactly at a line end)."""
    invoke(runner, "new-client", "c-1", "--concern", "depression")
    invoke(runner, "add-goal", "c-1", "coping", "Cope", "--measure", "gbo")
    invoke(runner, "log", "c-1", "1", "3", "--date", "2026-09-01", "--force")
    invoke(runner, "log", "c-1", "1", "5", "--date", "2026-09-08", "--force")
    path = home / "clients" / "c-1.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("[[goals.progress]]")], encoding="utf-8")
    return path


def test_cut_file_is_shown_with_a_warning(runner: CliRunner, home: Path) -> None:
    """A file without its end line is read and shown, with a one-line warning naming it."""
    _cut_client(home, runner)
    result = invoke(runner, "show", "c-1")
    assert result.exit_code == 0
    assert "may have been cut short" in result.stderr
    assert "check --fix --whole c-1" in result.stderr


def test_cut_file_is_never_overwritten(runner: CliRunner, home: Path) -> None:
    """`log` to a file without its end line exits 3 and changes nothing."""
    path = _cut_client(home, runner)
    before = path.read_bytes()
    result = invoke(runner, "log", "c-1", "1", "4", "--date", "2026-09-15", "--force")
    assert result.exit_code == 3
    assert "nothing written" in result.stderr
    assert path.read_bytes() == before


def test_check_reports_a_cut_file_and_fixes_it_only_when_confirmed(
    runner: CliRunner, home: Path
) -> None:
    """`check` exits 3 naming the file; `--fix` alone leaves it; `--fix --whole` adds the line."""
    path = _cut_client(home, runner)
    before = path.read_bytes()
    assert invoke(runner, "check").exit_code == 3
    assert invoke(runner, "check", "--fix").exit_code == 3
    assert path.read_bytes() == before
    fixed = invoke(runner, "check", "--fix", "--whole", "c-1")
    assert fixed.exit_code == 0, fixed.stdout
    assert path.read_bytes() == before + b"\n# end of c-1\n"
    assert invoke(runner, "log", "c-1", "1", "4", "--date", "2026-09-15", "--force").exit_code == 0


def test_whole_without_fix_is_refused(runner: CliRunner, home: Path) -> None:
    """`--whole` names a repair, so it needs `--fix`."""
    _cut_client(home, runner)
    result = invoke(runner, "check", "--whole", "c-1")
    assert result.exit_code == 1
    assert "--whole only acts with --fix" in result.stderr
