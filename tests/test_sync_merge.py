"""The merge driver alone: three-way merges of client documents and files by key."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from goaltrack.errors import CorruptFileError, SchemaTooNewError
from goaltrack.records.model import SCHEMA_VERSION
from goaltrack.storage.fileformat import end_line
from goaltrack.storage.tomltext import read_toml, to_toml
from goaltrack.sync import conflicts
from goaltrack.sync.keys import KEYED, describe, set_at
from goaltrack.sync.merge import merge_documents, merge_set
from goaltrack.sync.mergefile import merge_file, take_notes
from goaltrack.sync.mergetext import merge_texts

DAY = date(2026, 9, 1)


def entry(entry_id: str, value: int, **more: Any) -> dict[str, Any]:
    return {"id": entry_id, "date": DAY, "value": value, **more}


def goal(
    number: int, title: str = "Reduce symptoms", progress: list[Any] | None = None
) -> dict[str, Any]:
    return {
        "number": number,
        "kind": "symptom-reduction",
        "title": title,
        "measure": "phq9",
        "priority": "medium",
        "status": "active",
        "created": DAY,
        "progress": progress if progress is not None else [],
    }


def document(goals: list[Any] | None = None, **client: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "client": {
            "id": "c-1",
            "created": DAY,
            "status": "active",
            "approaches": ["cbt"],
            "concerns": [{"name": "depression", "severity": "severe"}],
            **client,
        },
        "goals": goals if goals is not None else [goal(1, progress=[entry("E1", 17)])],
    }


def entry_ids(doc: dict[str, Any]) -> list[str]:
    return [e["id"] for g in doc["goals"] for e in g["progress"]]


def test_new_entries_on_both_sides_are_both_kept() -> None:
    """Each side logged an entry to the same goal: both entries are in the merge, once."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"].append(entry("E2", 15))
    theirs["goals"][0]["progress"].append(entry("E3", 14))
    result = merge_documents(base, ours, theirs)
    assert entry_ids(result.document) == ["E1", "E2", "E3"]
    assert result.conflicts == []


def test_entry_removed_on_one_side_and_untouched_on_the_other_stays_removed() -> None:
    """A removal on one side wins over an unchanged entry on the other."""
    base = document(goals=[goal(1, progress=[entry("E1", 17), entry("E2", 15)])])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del theirs["goals"][0]["progress"][0]
    result = merge_documents(base, ours, theirs)
    assert entry_ids(result.document) == ["E2"]
    assert result.conflicts == []


def test_entry_removed_on_both_sides_is_gone() -> None:
    """Both sides removed the same entry: it is gone, no conflict."""
    base = document(goals=[goal(1, progress=[entry("E1", 17), entry("E2", 15)])])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del ours["goals"][0]["progress"][0]
    del theirs["goals"][0]["progress"][0]
    result = merge_documents(base, ours, theirs)
    assert entry_ids(result.document) == ["E2"]
    assert result.conflicts == []


def test_entry_removed_on_one_side_and_changed_on_the_other_is_kept_as_a_conflict() -> None:
    """A removal against an edit keeps the edited entry (no data lost) and reports it."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"].clear()
    theirs["goals"][0]["progress"][0]["note"] = "changed"
    result = merge_documents(base, ours, theirs)
    assert result.document["goals"][0]["progress"] == [entry("E1", 17, note="changed")]
    assert [(c.where, c.ours, c.theirs) for c in result.conflicts] == [
        ("goals[1].progress[E1]", None, entry("E1", 17, note="changed"))
    ]


def test_same_goal_number_added_on_both_sides_renumbers_one_deterministically() -> None:
    """Two different goals 2: both kept; the same one becomes 3 whichever side is ours."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"].append(goal(2, "Alpha"))
    theirs["goals"].append(goal(2, "Beta"))
    one = merge_documents(base, ours, theirs)
    other = merge_documents(base, theirs, ours)
    titles = [(g["number"], g["title"]) for g in one.document["goals"]]
    assert titles == [(1, "Reduce symptoms"), (2, "Alpha"), (3, "Beta")]
    assert [(g["number"], g["title"]) for g in other.document["goals"]] == titles
    assert [(r.where, r.old, r.new) for r in one.renumbered] == [("goals", 2, 3)]


def test_renumbering_skips_every_number_ever_used() -> None:
    """A renumbered goal never takes a number a removed goal held in the ancestor."""
    base = document(goals=[goal(1), goal(2, "old")])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del ours["goals"][1], theirs["goals"][1]
    ours["goals"].append(goal(3, "Alpha"))
    theirs["goals"].append(goal(3, "Beta"))
    result = merge_documents(base, ours, theirs)
    assert [g["number"] for g in result.document["goals"]] == [1, 3, 4]


def test_the_same_goal_added_on_both_sides_is_kept_once() -> None:
    """Identical additions under one number are one goal, not a renumbering."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"].append(goal(2, "Same"))
    theirs["goals"].append(goal(2, "Same"))
    result = merge_documents(base, ours, theirs)
    assert [g["number"] for g in result.document["goals"]] == [1, 2]
    assert result.renumbered == []


def test_a_concern_renamed_on_one_side_takes_the_rename() -> None:
    """Concerns are keyed by name: a rename is the old one removed and a new one added."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["client"]["concerns"][0]["name"] = "low mood"
    theirs["client"]["concerns"].append({"name": "anxiety", "severity": "mild"})
    result = merge_documents(base, ours, theirs)
    assert result.document["client"]["concerns"] == [
        {"name": "low mood", "severity": "severe"},
        {"name": "anxiety", "severity": "mild"},
    ]
    assert result.conflicts == []


def test_a_concern_renamed_on_one_side_and_its_severity_changed_on_the_other() -> None:
    """The renamed concern stays; the old one, changed on the other side, is kept and reported."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["client"]["concerns"][0]["name"] = "low mood"
    theirs["client"]["concerns"][0]["severity"] = "mild"
    result = merge_documents(base, ours, theirs)
    assert [c["name"] for c in result.document["client"]["concerns"]] == ["low mood", "depression"]
    assert [c.where for c in result.conflicts] == ["client.concerns[depression]"]


def test_a_field_changed_on_one_side_takes_that_side() -> None:
    """Different fields changed on each side: each takes its side's value."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["client"]["name"] = "Alex"
    theirs["goals"][0]["target"] = 9
    result = merge_documents(base, ours, theirs)
    assert result.document["client"]["name"] == "Alex"
    assert result.document["goals"][0]["target"] == 9
    assert result.conflicts == []


def test_the_same_field_changed_differently_is_a_conflict_keeping_ours() -> None:
    """Both sides changed one title: ours stays, the conflict holds both values."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["title"] = "Ours"
    theirs["goals"][0]["title"] = "Theirs"
    result = merge_documents(base, ours, theirs)
    assert result.document["goals"][0]["title"] == "Ours"
    assert [(c.where, c.ours, c.theirs, c.base) for c in result.conflicts] == [
        ("goals[1].title", "Ours", "Theirs", "Reduce symptoms")
    ]


def test_a_field_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    """An omitted field is a value too: removing against changing conflicts."""
    base = document(name="Alex")
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del ours["client"]["name"]
    theirs["client"]["name"] = "Alexa"
    result = merge_documents(base, ours, theirs)
    assert "name" not in result.document["client"]
    assert [(c.where, c.ours, c.theirs) for c in result.conflicts] == [
        ("client.name", None, "Alexa")
    ]


def test_numbers_that_differ_only_in_type_are_different_values() -> None:
    """17 and 17.0 are two values in TOML: both changed from 16, they conflict."""
    base = document(goals=[goal(1, progress=[entry("E1", 16)])])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"][0]["value"] = 17
    theirs["goals"][0]["progress"][0]["value"] = 17.0
    assert len(merge_documents(base, ours, theirs).conflicts) == 1


def test_approaches_merge_as_a_set_keeping_order() -> None:
    """Added on either side is in, removed on either side is out, ours' order first."""
    assert merge_set(["cbt", "emdr"], ["cbt", "emdr", "family"], ["emdr", "mindfulness"]) == [
        "emdr",
        "family",
        "mindfulness",
    ]


def test_responses_are_one_value_not_a_set() -> None:
    """Item answers are ordered: two different edits of them conflict."""
    base = document(goals=[goal(1, progress=[entry("E1", 3, responses=[1, 2])])])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"][0]["responses"] = [2, 1]
    theirs["goals"][0]["progress"][0]["responses"] = [1, 1]
    result = merge_documents(base, ours, theirs)
    assert [c.where for c in result.conflicts] == ["goals[1].progress[E1].responses"]


def test_no_common_ancestor_keeps_every_item_of_both() -> None:
    """A file added on both sides: entries of both kept, differing fields conflict."""
    ours = document(goals=[goal(1, progress=[entry("E1", 17)])], name="A")
    theirs = document(goals=[goal(1, progress=[entry("E2", 12)])], name="B")
    result = merge_documents(None, ours, theirs)
    assert entry_ids(result.document) == ["E1", "E2"]
    assert [c.where for c in result.conflicts] == ["client.name"]


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("goals.objectives", "number"),
        ("goals.interventions", "number"),
        ("client.screenings", "id"),
        ("client.risk_reviews", "id"),
        ("client.episodes", "number"),
        ("client.concerns", "name"),
        ("goals.progress", "id"),
        ("goals", "number"),
    ],
)
def test_the_key_table_covers_every_keyed_list_of_schema_1_and_2(path: str, key: str) -> None:
    """Every list of the schema-2 sketch is matched by its stable key."""
    assert KEYED[path] == key


def test_schema_2_objectives_added_on_both_sides_are_renumbered() -> None:
    """Objectives are keyed by number within their goal: both additions kept."""
    base = document(goals=[{**goal(1), "objectives": [{"number": 1, "text": "a"}]}])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["objectives"].append({"number": 2, "text": "b"})
    theirs["goals"][0]["objectives"].append({"number": 2, "text": "c"})
    result = merge_documents(base, ours, theirs)
    assert result.document["goals"][0]["objectives"] == [
        {"number": 1, "text": "a"},
        {"number": 2, "text": "b"},
        {"number": 3, "text": "c"},
    ]
    assert [r.where for r in result.renumbered] == ["goals[1].objectives"]


def test_schema_2_screenings_and_risk_reviews_merge_by_id() -> None:
    """Screenings and risk reviews added on each side are all kept; covers merge as a set."""
    review = {
        "id": "R1",
        "date": DAY,
        "by": "therapist",
        "outcome": "safety-plan",
        "covers": ["S1"],
    }
    base = document(screenings=[], risk_reviews=[review])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["client"]["screenings"] = [{"id": "S2", "date": DAY, "instrument": "phq9", "value": 20}]
    theirs["client"]["screenings"] = [{"id": "S3", "date": DAY, "instrument": "gad7", "value": 9}]
    ours["client"]["risk_reviews"][0]["covers"].append("S2")
    theirs["client"]["risk_reviews"][0]["covers"].append("S3")
    result = merge_documents(base, ours, theirs)
    assert [s["id"] for s in result.document["client"]["screenings"]] == ["S2", "S3"]
    assert result.document["client"]["risk_reviews"][0]["covers"] == ["S1", "S2", "S3"]
    assert result.conflicts == []


def test_schema_2_episodes_merge_by_number() -> None:
    """A closed episode added on one side, another field changed on the other: both kept."""
    base = document(episodes=[])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["client"]["episodes"] = [{"number": 1, "since": DAY, "until": DAY, "reason": "planned"}]
    theirs["client"]["status"] = "paused"
    result = merge_documents(base, ours, theirs)
    assert result.document["client"]["episodes"][0]["number"] == 1
    assert result.document["client"]["status"] == "paused"


def test_describe_names_list_items_by_key() -> None:
    """Paths read as people write them."""
    assert describe(("goals", 2, "progress", "=01JD", "note")) == "goals[2].progress[01JD].note"
    assert describe(()) == "(whole file)"


def test_set_at_replaces_removes_and_adds_by_key() -> None:
    """Settling writes the chosen value at the conflict's path, leaving the input as it was."""
    base = document()
    changed = set_at(base, ("goals", 1, "progress", "=E1", "value"), 12)
    assert changed["goals"][0]["progress"][0]["value"] == 12
    assert base["goals"][0]["progress"][0]["value"] == 17
    assert set_at(base, ("goals", 1, "progress", "=E1"), None)["goals"][0]["progress"] == []
    assert "name" not in set_at(document(name="A"), ("client", "name"), None)["client"]


# ---- texts and files ----------------------------------------------------------------------------


def text_of(doc: dict[str, Any]) -> str:
    return f"{to_toml(doc)}\n{end_line(doc['client']['id'])}\n"


def test_merge_texts_renders_a_valid_file() -> None:
    """The merged text parses back and holds both sides' entries."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"].append(entry("E2", 15))
    theirs["goals"][0]["progress"].append(entry("E3", 14))
    merged = merge_texts(text_of(base), text_of(ours), text_of(theirs), "c-1.toml")
    assert entry_ids(read_toml(merged.text)) == ["E1", "E2", "E3"]


def test_a_merge_that_breaks_a_model_rule_keeps_ours_whole_and_reports_the_file() -> None:
    """Two valid changes whose mix is invalid: ours is kept whole, theirs kept as the value."""
    base = document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["progress"].append(entry("E2", 15))
    theirs["goals"].append(goal(2, progress=[entry("E2", 15)]))  # E2 twice: ids must be unique
    merged = merge_texts(text_of(base), text_of(ours), text_of(theirs), "c-1.toml")
    assert entry_ids(read_toml(merged.text)) == ["E1", "E2"]
    assert [c.where for c in merged.conflicts] == ["(whole file)"]
    assert entry_ids(merged.conflicts[0].theirs) == ["E1", "E2"]


def test_a_file_from_a_newer_schema_is_refused_naming_the_side() -> None:
    """A newer schema on one side is refused with a clear message; nothing merged."""
    newer = document()
    newer["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(SchemaTooNewError, match=r"c-1.toml \(theirs\): schema_version .* upgrade"):
        merge_texts(text_of(document()), text_of(document()), text_of(newer), "c-1.toml")


def test_a_broken_side_is_refused() -> None:
    """A side that is not valid TOML is refused, naming the side."""
    with pytest.raises(CorruptFileError, match=r"\(ours\): not valid TOML"):
        merge_texts(text_of(document()), "[[goals\n", text_of(document()), "c-1.toml")


def write(path: Path, doc: dict[str, Any] | str) -> Path:
    path.write_text(doc if isinstance(doc, str) else text_of(doc), encoding="utf-8")
    return path


def test_merge_file_of_a_newer_schema_keeps_both_sides(tmp_path: Path) -> None:
    """The driver refuses a newer file: ours is byte for byte as it was, theirs untouched."""
    (tmp_path / ".git").mkdir()
    newer = document()
    newer["schema_version"] = SCHEMA_VERSION + 1
    base = write(tmp_path / "base", document())
    ours = write(tmp_path / "ours", document(name="Ours"))
    theirs = write(tmp_path / "theirs", newer)
    before = ours.read_bytes(), theirs.read_bytes()
    with pytest.raises(SchemaTooNewError):
        merge_file(base, ours, theirs, "clients/c-1.toml", tmp_path)
    assert (ours.read_bytes(), theirs.read_bytes()) == before
    assert [kind for kind, _ in take_notes(tmp_path)] == ["refused"]


def test_merge_file_writes_ours_and_records_conflicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merged file replaces ours; the conflict is in conflicts/ with both commit ids."""
    monkeypatch.setenv("GOALTRACK_OURS_COMMIT", "a" * 40)
    monkeypatch.setenv("GOALTRACK_THEIRS_COMMIT", "b" * 40)
    base_doc = document()
    ours_doc, theirs_doc = copy.deepcopy(base_doc), copy.deepcopy(base_doc)
    ours_doc["goals"][0]["title"] = "Ours"
    theirs_doc["goals"][0]["title"] = "Theirs"
    theirs_doc["goals"][0]["progress"].append(entry("E9", 11))
    ours = write(tmp_path / "ours", ours_doc)
    result = merge_file(
        write(tmp_path / "base", base_doc),
        ours,
        write(tmp_path / "theirs", theirs_doc),
        "clients/c-1.toml",
        tmp_path,
    )
    merged = read_toml(ours.read_text(encoding="utf-8"))
    assert (merged["goals"][0]["title"], entry_ids(merged)) == ("Ours", ["E1", "E9"])
    assert result.client_id == "c-1"
    recorded = conflicts.read(tmp_path, "c-1")
    assert [(r.where, r.ours, r.theirs, r.ours_commit, r.theirs_commit) for r in recorded] == [
        ("goals[1].title", "Ours", "Theirs", "a" * 40, "b" * 40)
    ]
    assert (tmp_path / "conflicts" / "c-1.toml").stat().st_mode & 0o777 == 0o600


def schema2_document() -> dict[str, Any]:
    """A full schema-2 client: screenings, a risk review, an episode, objectives, interventions."""
    doc = document(
        goals=[
            {
                **goal(1, progress=[entry("E1", 17)]),
                "objectives": [{"number": 1, "text": "Walk daily", "status": "active"}],
                "interventions": [{"number": 1, "technique": "activation", "approach": "cbt"}],
            }
        ],
        since=DAY,
        screenings=[{"id": "S1", "date": DAY, "instrument": "phq9", "value": 21}],
        risk_reviews=[{"id": "R1", "date": DAY, "outcome": "safety-plan", "covers": ["S1"]}],
        episodes=[
            {
                "number": 1,
                "since": date(2025, 1, 10),
                "until": date(2025, 6, 30),
                "reason": "planned",
            }
        ],
    )
    return doc


def test_a_schema_2_file_merges_every_keyed_list_through_the_model() -> None:
    """Objectives, interventions, screenings, risk reviews and episodes added on both sides
    are all in the valid merged file; same-numbered additions are renumbered."""
    base = schema2_document()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["goals"][0]["objectives"].append(
        {"number": 2, "text": "Call a friend", "status": "active"}
    )
    theirs["goals"][0]["objectives"].append({"number": 2, "text": "Sleep by 11", "status": "met"})
    ours["goals"][0]["interventions"].append({"number": 2, "technique": "diary"})
    theirs["goals"][0]["interventions"].append({"number": 2, "technique": "exposure"})
    ours["client"]["screenings"].append({"id": "S2", "date": DAY, "instrument": "gad7", "value": 9})
    theirs["client"]["risk_reviews"].append({"id": "R2", "date": DAY, "outcome": "no-action"})
    theirs["client"]["episodes"].append(
        {"number": 2, "since": date(2025, 7, 1), "until": date(2025, 8, 1), "reason": "planned"}
    )
    merged = merge_texts(text_of(base), text_of(ours), text_of(theirs), "c-1.toml")
    result = read_toml(merged.text)
    goal_one = result["goals"][0]
    assert [o["text"] for o in goal_one["objectives"]] == [
        "Walk daily",
        "Call a friend",
        "Sleep by 11",
    ]
    assert [i["number"] for i in goal_one["interventions"]] == [1, 2, 3]
    assert [s["id"] for s in result["client"]["screenings"]] == ["S1", "S2"]
    assert [r["id"] for r in result["client"]["risk_reviews"]] == ["R1", "R2"]
    assert [e["number"] for e in result["client"]["episodes"]] == [1, 2]
    assert sorted(r.where for r in merged.renumbered) == [
        "goals[1].interventions",
        "goals[1].objectives",
    ]
    assert merged.conflicts == []


def test_a_side_cut_short_is_refused() -> None:
    """A schema-2 side without its end-of-file line may be cut: nothing is merged."""
    cut = to_toml(document())
    with pytest.raises(CorruptFileError, match=r"\(theirs\): has no end-of-file line"):
        merge_texts(text_of(document()), text_of(document()), cut, "c-1.toml")


def test_merge_file_by_hand_exits_1_naming_the_conflicting_fields(tmp_path: Path) -> None:
    """`goaltrack merge-file` as a process: exit 1, the field named, ours written merged."""
    from helpers import run_cli

    base_doc = document()
    ours_doc, theirs_doc = copy.deepcopy(base_doc), copy.deepcopy(base_doc)
    ours_doc["client"]["status"] = "paused"
    theirs_doc["client"]["status"] = "discharged"
    theirs_doc["goals"][0]["progress"].append(entry("E7", 12))
    ours = write(tmp_path / "ours", ours_doc)
    done = run_cli(
        "merge-file",
        str(write(tmp_path / "base", base_doc)),
        str(ours),
        str(write(tmp_path / "theirs", theirs_doc)),
    )
    assert done.returncode == 1
    assert "1 conflict(s), this side's value kept: client.status" in done.stderr
    assert entry_ids(read_toml(ours.read_text(encoding="utf-8"))) == ["E1", "E7"]
