"""FHIR coding of issue 13: GAS answer codes, LOINC item codes, RSES scored components."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation

from goaltrack.interop import fhir
from goaltrack.records.model import (
    Client,
    ClientRecord,
    Goal,
    GoalKind,
    ProgressEntry,
    Rater,
)

SUBJECT = {"reference": "Patient/x"}
D = date(2026, 11, 20)


def _observation(measure: str, value: int, **entry: Any) -> dict[str, Any]:
    item = ProgressEntry(id="E1", date=D, value=value, **entry)
    goal = Goal(number=1, kind=GoalKind.AUTONOMY, title="g", measure=measure,
                created=date(2026, 9, 1), progress=[item])  # fmt: skip
    resource = fhir.observation_resource("c-1", goal, item, SUBJECT)
    Observation.model_validate(resource)
    return resource


@pytest.mark.parametrize(
    ("level", "code", "display"),
    [
        (-2, "LA34484-8", "Much less than expected"),
        (-1, "LA34483-0", "Less than expected"),
        (0, "LA34481-4", "Expected outcome"),
        (1, "LA34480-6", "Better than expected"),
        (2, "LA34479-8", "Much better than expected"),
    ],
)
def test_gas_level_is_a_loinc_answer(level: int, code: str, display: str) -> None:
    """A GAS level is a valueCodeableConcept with the PCO guide's LOINC answer, no integer."""
    resource = _observation("gas", level)
    assert resource["valueCodeableConcept"]["coding"] == [
        {"system": "http://loinc.org", "code": code, "display": display}
    ]
    assert "valueInteger" not in resource


@pytest.mark.parametrize(
    ("rater", "code"),
    [(Rater.CLIENT, "107334-5"), (Rater.THERAPIST, "107333-7"), (None, "107332-9")],
)
def test_gas_follow_up_code_follows_the_rater(rater: Rater | None, code: str) -> None:
    """Patient follow-up 107334-5, practitioner 107333-7, unknown rater 107332-9 (reported)."""
    resource = _observation("gas", 1, rater=rater)
    assert resource["code"]["coding"][0]["code"] == code


def test_gas_goal_target_is_an_answer_code() -> None:
    """A GAS goal with target 0 targets LA34481-4 "Expected outcome" under 107332-9."""
    goal = Goal(number=1, kind=GoalKind.AUTONOMY, title="g", measure="gas", target=0,
                created=date(2026, 9, 1))  # fmt: skip
    resource = fhir.goal_resource("c-1", goal, SUBJECT)
    FhirGoal.model_validate(resource)
    target = resource["target"][0]
    assert target["measure"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "107332-9",
        "display": "Goal attainment scale",
    }
    assert target["detailCodeableConcept"]["coding"][0]["code"] == "LA34481-4"


def test_phq9_items_carry_their_loinc_codes() -> None:
    """PHQ-9 components are coded 44250-9 ... 44260-8 (item 9), with LOINC's displays."""
    resource = _observation("phq9", 10, instrument="phq9", responses=[1, 2, 1, 2, 1, 1, 0, 1, 1])
    codes = [c["code"]["coding"][0]["code"] for c in resource["component"]]
    assert codes == [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
        "44258-2", "44252-5", "44253-3", "44260-8",
    ]  # fmt: skip
    item9 = resource["component"][8]["code"]["coding"][0]
    assert item9["display"] == (
        "Thoughts that you would be better off dead, or of hurting yourself in some way"
    )


def test_gad7_items_carry_their_loinc_codes() -> None:
    """GAD-7 components are coded 69725-0, 68509-9, 69733-4, 69734-2, 69735-9, 69689-8, 69736-7."""
    resource = _observation("gad7", 7, instrument="gad7", responses=[1, 1, 1, 1, 1, 1, 1])
    codes = [c["code"]["coding"][0]["code"] for c in resource["component"]]
    assert codes == ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def test_rses_components_carry_scored_values() -> None:
    """RSES answers all SA (3): items 2, 5, 6, 8, 9 score 0; the components sum to the total 15."""
    resource = _observation("rses", 15, instrument="rses", responses=[3] * 10)
    values = [c["valueInteger"] for c in resource["component"]]
    assert values == [3, 0, 3, 3, 0, 0, 3, 0, 0, 3]
    assert sum(values) == resource["valueInteger"] == 15
    assert resource["component"][1]["code"]["text"] == "rses item 2 (reverse-scored)"


def test_phq9_total_display_is_loincs() -> None:
    """The PHQ-9 total is coded 44261-6 with LOINC's display, not the instrument's name."""
    resource = _observation("phq9", 10)
    assert resource["code"]["coding"][0]["display"] == (
        "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"
    )


def test_bundle_with_gas_phq9_and_rses_items_validates() -> None:
    """A bundle holding GAS levels, PHQ-9 items and RSES items validates with fhir.resources."""
    goals = [
        Goal(number=1, kind=GoalKind.AUTONOMY, title="g", measure="gas", target=1,
             created=date(2026, 9, 1), progress=[
                 ProgressEntry(id="G1", date=D, value=-1, rater=Rater.CLIENT)]),
        Goal(number=2, kind=GoalKind.SYMPTOM_REDUCTION, title="m", measure="phq9", target=5,
             created=date(2026, 9, 1), progress=[
                 ProgressEntry(id="P1", date=D, value=10, instrument="phq9",
                               responses=[1, 2, 1, 2, 1, 1, 0, 1, 1])]),
        Goal(number=3, kind=GoalKind.SELF_ESTEEM, title="s", measure="rses", target=20,
             created=date(2026, 9, 1), progress=[
                 ProgressEntry(id="R1", date=D, value=15, instrument="rses", responses=[3] * 10)]),
    ]  # fmt: skip
    record = ClientRecord(client=Client(id="c-1", created=date(2026, 9, 1)), goals=goals)
    Bundle.model_validate(fhir.bundle([record]))
