"""FHIR R4 export: every resource validates with fhir.resources (R4B), and the mapping holds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation
from hypothesis import given, settings

from goaltrack.interop import fhir
from goaltrack.records.model import Client, ClientRecord, Goal, GoalKind, GoalStatus, ProgressEntry
from goaltrack.storage.store import Store
from helpers import EXAMPLES, REPO, records, run_cli

SAMPLE = REPO / "docs" / "sample-fhir-bundle.json"
LIFECYCLE = {
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
    "entered-in-error",
    "rejected",
}
ACHIEVEMENT = {
    "in-progress",
    "improving",
    "worsening",
    "no-change",
    "achieved",
    "sustaining",
    "not-achieved",
    "no-progress",
    "not-attainable",
}


def _caseload_bundle() -> dict[str, Any]:
    result = run_cli("--home", str(EXAMPLES), "export", "--all", "-f", "fhir")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_resource_of_the_caseload_validates() -> None:
    """The bundle and each Goal and Observation validate as R4B models; codes are in value sets."""
    bundle = _caseload_bundle()
    assert Bundle.model_validate(bundle).type == "collection"
    goals, observations = _resources(bundle, "Goal"), _resources(bundle, "Observation")
    assert len(goals) == 13 and len(observations) == 110
    for resource in goals:
        FhirGoal.model_validate(resource)
        assert resource["lifecycleStatus"] in LIFECYCLE
        assert resource["achievementStatus"]["coding"][0]["code"] in ACHIEVEMENT
    for resource in observations:
        Observation.model_validate(resource)
        assert resource["status"] == "final"


def test_committed_sample_is_current() -> None:
    """docs/sample-fhir-bundle.json is exactly what export gives for examples/caseload."""
    assert json.loads(SAMPLE.read_text(encoding="utf-8")) == _caseload_bundle(), (
        "regenerate: goaltrack --home examples/caseload export --all -f fhir "
        "-o docs/sample-fhir-bundle.json"
    )


def test_references_resolve_inside_the_bundle() -> None:
    """Every Observation focuses on a Goal of the same client that is in the bundle."""
    bundle = _caseload_bundle()
    full_urls = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    for observation in _resources(bundle, "Observation"):
        goal = full_urls[observation["focus"][0]["reference"]]
        assert goal["resourceType"] == "Goal"
        assert goal["subject"] == observation["subject"]


def test_no_name_and_no_note_leaves_the_program() -> None:
    """Client names and every note of the caseload are absent from the bundle text."""
    text = json.dumps(_caseload_bundle())
    store = Store(EXAMPLES)
    for client_id in store.client_ids():
        record = store.load(client_id)
        secrets = [record.client.name, record.client.notes]
        secrets += [e.note for g in record.goals for e in g.progress]
        for secret in filter(None, secrets):
            assert secret not in text


def _goal(**fields: Any) -> Goal:
    base: dict[str, Any] = {
        "number": 1,
        "kind": GoalKind.SYMPTOM_REDUCTION,
        "title": "Mood",
        "created": date(2026, 9, 1),
    }
    return Goal(**{**base, **fields})


def _entry(value: float, day: int = 1) -> ProgressEntry:
    return ProgressEntry(id=f"E{day}", date=date(2026, 9, day), value=value, rater="client")


def test_goal_mapping_for_a_phq9_goal() -> None:
    """Status, LOINC measure, target with comparator, due date and start date."""
    goal = _goal(
        measure="phq9", baseline=19, target=9, due=date(2026, 12, 15), progress=[_entry(17)]
    )
    resource = fhir.goal_resource("c-1", goal, fhir.patient_reference("c-1"))
    FhirGoal.model_validate(resource)
    assert resource["lifecycleStatus"] == "active"
    assert resource["achievementStatus"]["coding"][0]["code"] == "no-change"  # 19 -> 17 < 6
    assert resource["category"][0]["coding"][0] == {
        "system": fhir.KIND_SYSTEM,
        "code": "symptom-reduction",
        "display": "Symptom reduction",
    }
    assert resource["target"] == [
        {
            "measure": {
                "coding": [
                    {
                        "system": "http://loinc.org",
                        "code": "44261-6",
                        "display": "Patient Health Questionnaire 9 item (PHQ-9) total score "
                        "[Reported]",
                    },
                    {"system": fhir.INSTRUMENT_SYSTEM, "code": "phq9"},
                ],
                "text": "Patient Health Questionnaire-9",
            },
            "detailQuantity": {
                "value": 9,
                "comparator": "<=",
                "unit": "{score}",
                "system": "http://unitsofmeasure.org",
                "code": "{score}",
            },
            "dueDate": "2026-12-15",
        }
    ]
    assert resource["subject"] == {
        "type": "Patient",
        "identifier": {"system": "urn:goaltrack:client-id", "value": "c-1"},
    }


@pytest.mark.parametrize(
    ("status", "entries", "lifecycle", "achievement"),
    [
        (GoalStatus.ACTIVE, [], "active", "no-progress"),
        (GoalStatus.ACTIVE, [_entry(3)], "active", "in-progress"),
        (GoalStatus.PAUSED, [_entry(3)], "on-hold", "in-progress"),
        (GoalStatus.ACHIEVED, [_entry(3)], "completed", "achieved"),
        (GoalStatus.DROPPED, [_entry(3)], "cancelled", "not-achieved"),
    ],
)
def test_status_mapping(
    status: GoalStatus, entries: list[ProgressEntry], lifecycle: str, achievement: str
) -> None:
    """lifecycleStatus follows the goal status; achievementStatus the goal's state."""
    resource = fhir.goal_resource(
        "c-1", _goal(status=status, progress=entries), fhir.patient_reference("c-1")
    )
    assert resource["lifecycleStatus"] == lifecycle
    assert fhir.achievement_status(_goal(status=status, progress=entries)) == achievement


def test_goal_without_measure_has_only_due_target() -> None:
    """No measure: no target detail (FHIR requires a measure for it), due date kept."""
    resource = fhir.goal_resource(
        "c-1", _goal(target=5, due=date(2027, 1, 1)), fhir.patient_reference("c-1")
    )
    FhirGoal.model_validate(resource)
    assert resource["target"] == [{"dueDate": "2027-01-01"}]


def test_user_measure_direction_comes_from_baseline_and_target() -> None:
    """An instrument without LOINC is coded in the goaltrack system; higher target -> '>='."""
    goal = _goal(measure="mine", baseline=2, target=8)
    resource = fhir.goal_resource("c-1", goal, fhir.patient_reference("c-1"))
    assert resource["target"][0]["measure"] == {
        "coding": [{"system": fhir.INSTRUMENT_SYSTEM, "code": "mine"}],
        "text": "mine",
    }
    assert resource["target"][0]["detailQuantity"]["comparator"] == ">="


def test_observation_values_integer_and_decimal() -> None:
    """Integers are valueInteger; decimals valueQuantity in {score}; focus on the goal."""
    goal = _goal(measure="ors", progress=[_entry(12), _entry(23.5, 8)])
    subject = fhir.patient_reference("c-1")
    first, second = (fhir.observation_resource("c-1", goal, e, subject) for e in goal.progress)
    for resource in (first, second):
        Observation.model_validate(resource)
    assert first["valueInteger"] == 12 and "valueQuantity" not in first
    assert second["valueQuantity"] == {
        "value": 23.5,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert first["effectiveDateTime"] == "2026-09-01"
    assert first["category"][0]["coding"][0]["code"] == "survey"
    assert first["focus"] == [{"reference": f"urn:uuid:{fhir.goal_id('c-1', 1)}"}]
    assert first["performer"] == [subject]


def test_ids_are_stable_and_distinct() -> None:
    """The same goal always gets the same id; different clients get different ids."""
    assert fhir.goal_id("c-1", 1) == fhir.goal_id("c-1", 1)
    assert fhir.goal_id("c-1", 1) != fhir.goal_id("c-2", 1)
    assert fhir.observation_id("c-1", "A") != fhir.observation_id("c-2", "A")


def test_patient_system_option(home: Path) -> None:
    """--patient-system sets the identifier system of every subject."""
    record = ClientRecord(
        client=Client(id="c-1", created=date(2026, 9, 1)), goals=[_goal(progress=[_entry(4)])]
    )
    Store(home).create(record)
    result = run_cli(
        "export", "c-1", "-f", "fhir", "--patient-system", "https://clinic.example/ids"
    )
    bundle = json.loads(result.stdout)
    Bundle.model_validate(bundle)
    systems = {e["resource"]["subject"]["identifier"]["system"] for e in bundle["entry"]}
    assert systems == {"https://clinic.example/ids"}


@settings(max_examples=25, deadline=None)
@given(record=records())
def test_any_record_gives_a_valid_bundle(record: ClientRecord) -> None:
    """Random clients, goals and values (ints, decimals, negatives, no measure) all validate."""
    document = fhir.bundle([record])
    Bundle.model_validate(document)
    kinds = [entry["resource"]["resourceType"] for entry in document["entry"]]
    assert kinds.count("Goal") == len(record.goals)
    assert kinds.count("Observation") == sum(len(goal.progress) for goal in record.goals)


def test_user_instruments_from_the_home_name_the_measure(home: Path) -> None:
    """A scale from instruments.toml: its name (as text), its LOINC code and direction are used."""
    home.mkdir(mode=0o700, parents=True)
    (home / "instruments.toml").write_text(
        '[sleep]\nname = "Sleep quality diary"\nmin = 0\nmax = 10\nbetter = "higher"\n'
        'loinc = "12345-6"\n',
        encoding="utf-8",
    )
    record = ClientRecord(
        client=Client(id="c-1", created=date(2026, 9, 1)),
        goals=[_goal(measure="sleep", baseline=8, target=6, progress=[_entry(4)])],
    )
    Store(home).create(record)
    result = run_cli("export", "c-1", "-f", "fhir")
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    Bundle.model_validate(bundle)
    target = _resources(bundle, "Goal")[0]["target"][0]
    assert target["measure"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "12345-6",
    }  # no display: goaltrack does not know LOINC's text for a user's code
    assert target["measure"]["text"] == "Sleep quality diary"
    assert target["detailQuantity"]["comparator"] == ">="


@pytest.mark.parametrize(
    ("measure", "baseline", "target", "values", "expected"),
    [
        ("phq9", 19, 9, [19, 12], "improving"),  # 7 points down: reliable (>= 6) improvement
        ("phq9", 19, 9, [19, 15], "no-change"),  # 4 points: not a reliable change
        ("phq9", 12, 5, [12, 19], "worsening"),  # 7 points up: reliable deterioration
        ("phq9", 19, 9, [19, 8], "sustaining"),  # target reached, goal still active
        ("gbo", 2, 8, [2, 3], "improving"),  # no criterion: plain direction, higher is better
        ("gbo", 5, 8, [5, 4], "worsening"),
        ("gbo", 5, 8, [5, 5], "no-change"),
        (None, None, None, [4, 6], "in-progress"),  # better-or-worse unknown
    ],
)
def test_achievement_follows_the_outcome(
    measure: str | None,
    baseline: int | None,
    target: int | None,
    values: list[int],
    expected: str,
) -> None:
    """achievementStatus uses reliable change where the measure has a criterion (issue 4)."""
    from goaltrack.measures.instruments import builtin_registry

    goal = _goal(
        measure=measure,
        baseline=baseline,
        target=target,
        progress=[_entry(value, day) for day, value in enumerate(values, start=1)],
    )
    instrument = builtin_registry().get(measure) if measure else None
    assert fhir.achievement_status(goal, instrument) == expected
    resource = fhir.goal_resource("c-1", goal, fhir.patient_reference("c-1"))
    assert resource["achievementStatus"]["coding"][0]["code"] == expected


def test_endorsed_item9_reaches_the_fhir_observation(home: Path) -> None:
    """A PHQ-9 with item 9 above 0 carries its item answers and an 'A' interpretation."""
    entry = ProgressEntry(id="E1", date=date(2026, 11, 20), value=10, instrument="phq9",
                          responses=[1, 2, 1, 2, 1, 1, 0, 1, 1])  # fmt: skip
    goal = Goal(number=1, kind=GoalKind.SYMPTOM_REDUCTION, title="Mood", measure="phq9",
                created=date(2026, 9, 1), progress=[entry])  # fmt: skip
    resource = fhir.observation_resource("c-1", goal, entry, {"reference": "Patient/x"})
    assert [c["valueInteger"] for c in resource["component"]] == [1, 2, 1, 2, 1, 1, 0, 1, 1]
    assert resource["interpretation"][0]["coding"][0]["code"] == "A"
    Observation.model_validate(resource)
