"""FHIR R4 export: a `Bundle` (type collection) of Goals and the Observations that score them.

Plain dicts, no FHIR library at run time (the tests validate every resource with
`fhir.resources`). Privacy: the patient is referenced by the pseudonymous client id only, as a
logical reference (an identifier, no Patient resource, no name), and no free-text note is
exported: notes are process notes, not results, and an EHR import is the wrong place for them.
The client's preferences and strengths, which shape every goal and have no FHIR Goal field,
go on each Goal as `note` annotations ("Client preferences: ..."), as issue 11 asks.

Resource ids are UUID v5 derived from the client id, goal number and entry id, so exporting
twice gives the same ids and a receiving system can update rather than duplicate.
"""

from __future__ import annotations

import uuid
from typing import Any

from goaltrack.interop import loinc
from goaltrack.measures.change import Movement
from goaltrack.measures.forms import get_form
from goaltrack.measures.instruments import Direction, Instrument, Registry, builtin_registry
from goaltrack.measures.outcomes import summarize_goal
from goaltrack.records.enums import GAS_KEY, EntryFlag
from goaltrack.records.model import ClientRecord, Goal, GoalStatus, Priority, ProgressEntry, Rater

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/goaltrack/goaltrack/fhir")
CLIENT_SYSTEM = "urn:goaltrack:client-id"
GOAL_SYSTEM = "urn:goaltrack:goal"
ENTRY_SYSTEM = "urn:goaltrack:entry"
KIND_SYSTEM = "urn:goaltrack:goal-kind"
INSTRUMENT_SYSTEM = "urn:goaltrack:instrument"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement"
PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-priority"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ITEM_SYSTEM = "urn:goaltrack:item"

LIFECYCLE = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.PAUSED: "on-hold",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.DROPPED: "cancelled",
}
ACHIEVEMENT_DISPLAY = {
    "in-progress": "In Progress",
    "improving": "Improving",
    "worsening": "Worsening",
    "no-change": "No Change",
    "achieved": "Achieved",
    "sustaining": "Sustaining",
    "not-achieved": "Not Achieved",
    "no-progress": "No Progress",
    "not-attainable": "Not Attainable",
}
PRIORITY_DISPLAY = {
    Priority.HIGH: ("high-priority", "High Priority"),
    Priority.MEDIUM: ("medium-priority", "Medium Priority"),
    Priority.LOW: ("low-priority", "Low Priority"),
}


RELIABLE_TO_ACHIEVEMENT = {
    Movement.IMPROVED: "improving",
    Movement.DETERIORATED: "worsening",
    Movement.NONE: "no-change",
    Movement.BETTER: "improving",
    Movement.WORSE: "worsening",
}


def achievement_status(goal: Goal, instrument: Instrument | None = None) -> str:
    """The FHIR goal-achievement code for a goal, from the outcome analytics (docs/outcomes.md).

    The clinician's status first: achieved -> `achieved`, dropped -> `not-achieved`; no entries
    -> `no-progress`. Then the outcome from baseline to latest value: target reached ->
    `sustaining` (met, work goes on), reliable (or, without a criterion, plain) change for the
    better -> `improving`, for the worse -> `worsening`, none -> `no-change`; `in-progress`
    when better-or-worse cannot be known. Only date-independent figures are used, so the same
    data exports the same bundle on any day.
    """
    if goal.status is GoalStatus.ACHIEVED:
        return "achieved"
    if goal.status is GoalStatus.DROPPED:
        return "not-achieved"
    if not goal.progress:
        return "no-progress"
    summary = summarize_goal(goal, instrument)
    if summary.target_reached:
        return "sustaining"
    judged = summary.reliable_change or summary.meaningful_change
    if judged is not None:
        return RELIABLE_TO_ACHIEVEMENT[Movement(judged)]
    gain = summary.improvement
    if gain is None:
        return "in-progress"
    return "improving" if gain > 0 else "worsening" if gain < 0 else "no-change"


def bundle(
    records: list[ClientRecord],
    client_system: str = CLIENT_SYSTEM,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """A collection Bundle: per client, one Goal per goal and one Observation per entry.

    `registry` names the instruments (LOINC codes, direction); default: the built-ins.
    """
    registry = registry or builtin_registry()
    entries: list[dict[str, Any]] = []
    for record in sorted(records, key=lambda r: r.client.id):
        subject = patient_reference(record.client.id, client_system)
        goals = sorted(record.goals, key=lambda goal: goal.number)
        notes = preference_notes(record)
        for goal in goals:
            resource = goal_resource(record.client.id, goal, subject, registry)
            if notes:
                resource["note"] = notes
            entries.append(_entry(resource))
        for goal in goals:
            for entry in goal.entries_in_order():
                resource = observation_resource(record.client.id, goal, entry, subject, registry)
                entries.append(_entry(resource))
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def preference_notes(record: ClientRecord) -> list[dict[str, str]]:
    """The client's preferences and strengths as FHIR Annotations (none when there are none)."""
    notes = []
    for label, texts in (
        ("Client preferences", record.client.preferences),
        ("Client strengths", record.client.strengths),
    ):
        if texts:
            notes.append({"text": f"{label}: {'; '.join(texts)}"})
    return notes


def patient_reference(client_id: str, system: str = CLIENT_SYSTEM) -> dict[str, Any]:
    """A logical reference to the client by pseudonymous id: no name, no Patient resource."""
    return {"type": "Patient", "identifier": {"system": system, "value": client_id}}


def goal_id(client_id: str, number: int) -> str:
    """The stable resource id of a goal."""
    return str(uuid.uuid5(NAMESPACE, f"goal/{client_id}/{number}"))


def observation_id(client_id: str, entry_id: str) -> str:
    """The stable resource id of a progress entry."""
    return str(uuid.uuid5(NAMESPACE, f"entry/{client_id}/{entry_id}"))


def _lookup(measure: str, registry: Registry | None) -> Instrument | None:
    return (registry or builtin_registry()).get(measure)


def measure_concept(measure: str, registry: Registry | None = None) -> dict[str, Any]:
    """The instrument as a CodeableConcept: LOINC (with LOINC's display) where one is known."""
    instrument = _lookup(measure, registry)
    codings = []
    if instrument is not None and instrument.loinc:
        codings.append(loinc.coding(instrument.loinc))
    codings.append({"system": INSTRUMENT_SYSTEM, "code": measure})
    return {"coding": codings, "text": instrument.name if instrument else measure}


def goal_resource(
    client_id: str, goal: Goal, subject: dict[str, Any], registry: Registry | None = None
) -> dict[str, Any]:
    """A FHIR Goal: status, achievement, kind, priority, description, target and due date."""
    achievement = achievement_status(
        goal, _lookup(goal.measure, registry) if goal.measure is not None else None
    )
    code, display = PRIORITY_DISPLAY[goal.priority]
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": goal_id(client_id, goal.number),
        "identifier": [{"system": GOAL_SYSTEM, "value": f"{client_id}/{goal.number}"}],
        "lifecycleStatus": LIFECYCLE[goal.status],
        "achievementStatus": {
            "coding": [
                {
                    "system": ACHIEVEMENT_SYSTEM,
                    "code": achievement,
                    "display": ACHIEVEMENT_DISPLAY[achievement],
                }
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": KIND_SYSTEM,
                        "code": goal.kind.value,
                        "display": goal.kind.value.replace("-", " ").capitalize(),
                    }
                ]
            }
        ],
        "priority": {"coding": [{"system": PRIORITY_SYSTEM, "code": code, "display": display}]},
        "description": {"text": goal.title},
        "subject": subject,
        "startDate": goal.created.isoformat(),
    }
    target: dict[str, Any] = {}
    if goal.measure is not None:
        target["measure"] = measure_concept(goal.measure, registry)
        if goal.target is not None and goal.measure == GAS_KEY and goal.target in loinc.GAS_ANSWERS:
            target["detailCodeableConcept"] = _gas_answer(int(goal.target))
        elif goal.target is not None:
            target["detailQuantity"] = _target_quantity(goal, registry)
    if goal.due is not None:
        target["dueDate"] = goal.due.isoformat()
    if target:
        resource["target"] = [target]
    return resource


def _target_quantity(goal: Goal, registry: Registry | None) -> dict[str, Any]:
    """The target as a score, with `<=` or `>=` when it is known which way is better."""
    assert goal.target is not None and goal.measure is not None
    quantity: dict[str, Any] = {"value": goal.target}
    instrument = _lookup(goal.measure, registry)
    if instrument is not None:
        quantity["comparator"] = "<=" if instrument.better is Direction.LOWER else ">="
    elif goal.baseline is not None and goal.baseline != goal.target:
        quantity["comparator"] = "<=" if goal.target < goal.baseline else ">="
    quantity.update({"unit": "{score}", "system": UCUM, "code": "{score}"})
    return quantity


def observation_resource(
    client_id: str,
    goal: Goal,
    entry: ProgressEntry,
    subject: dict[str, Any],
    registry: Registry | None = None,
) -> dict[str, Any]:
    """A FHIR Observation for one score: final, survey, coded, dated, focused on its Goal."""
    measure = entry.instrument or goal.measure  # an administered form is coded as what it was
    code = (
        measure_concept(measure, registry)
        if measure is not None
        else {"coding": [{"system": INSTRUMENT_SYSTEM, "code": "unspecified"}], "text": goal.title}
    )
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id(client_id, entry.id),
        "identifier": [{"system": ENTRY_SYSTEM, "value": f"{client_id}/{entry.id}"}],
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
        ],
        "code": code,
        "subject": subject,
        "focus": [{"reference": f"urn:uuid:{goal_id(client_id, goal.number)}"}],
        "effectiveDateTime": entry.date.isoformat(),
    }
    if entry.rater == Rater.CLIENT:
        resource["performer"] = [subject]
    _add_item_answers(resource, entry)
    if measure == GAS_KEY and entry.value in loinc.GAS_ANSWERS:
        resource["code"] = _gas_code(entry.rater)
        resource["valueCodeableConcept"] = _gas_answer(int(entry.value))
    elif isinstance(entry.value, int):
        resource["valueInteger"] = entry.value
    else:
        resource["valueQuantity"] = {
            "value": entry.value,
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        }
    return resource


def _gas_code(rater: str | None) -> dict[str, Any]:
    """A GAS score's code (HL7 PCO guide): patient or practitioner follow-up, else reported."""
    code = loinc.GAS_REPORTED
    if rater == Rater.CLIENT:
        code = loinc.GAS_PATIENT_FOLLOW_UP
    elif rater == Rater.THERAPIST:
        code = loinc.GAS_PRACTITIONER_FOLLOW_UP
    return {"coding": [loinc.coding(code)], "text": loinc.DISPLAY[code]}


def _gas_answer(level: int) -> dict[str, Any]:
    """A GAS level as the LOINC answer (LA34484-8 for -2 ... LA34479-8 for +2)."""
    code, display = loinc.GAS_ANSWERS[level]
    return {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display}


def _item_component(instrument: str, number: int, answer: int) -> dict[str, Any]:
    """One item answer: LOINC's item code where known, then goaltrack's own item code.

    RSES components carry the *scored* value (items 2, 5, 6, 8, 9 reversed), so the
    components add up to the total; the other forms' answers are their scores already.
    """
    codings = []
    items = loinc.ITEMS.get(instrument, ())
    if number <= len(items):
        code, display = items[number - 1]
        codings.append({"system": LOINC, "code": code, "display": display})
    codings.append({"system": ITEM_SYSTEM, "code": f"{instrument}-item{number}"})
    value, scored = answer, ""
    form = get_form(instrument)
    if form is not None and number <= form.size:
        item = form.items[number - 1]
        value = form.score_of(item, answer)
        scored = " (reverse-scored)" if item.reverse else ""
    return {
        "code": {"coding": codings, "text": f"{instrument} item {number}{scored}"},
        "valueInteger": value,
    }


def _add_item_answers(resource: dict[str, Any], entry: ProgressEntry) -> None:
    """Carry item answers as components, and an endorsed PHQ-9 item 9 as an interpretation,
    so a record system receiving the bundle sees the safety signal, not just the total."""
    if entry.responses is None or entry.instrument is None:
        if entry.has_flag(EntryFlag.RISK_ITEM9):  # a flag from a dump without answers
            resource["interpretation"] = _risk_interpretation()
        return
    resource["component"] = [
        _item_component(entry.instrument, number, answer)
        for number, answer in enumerate(entry.responses, start=1)
    ]
    if entry.has_flag(EntryFlag.RISK_ITEM9):  # the model flags every endorsed item 9
        resource["interpretation"] = _risk_interpretation()


def _risk_interpretation() -> list[dict[str, Any]]:
    """The interpretation that carries an endorsed PHQ-9 item 9 to a receiving system."""
    return [
        {
            "coding": [{"system": INTERPRETATION_SYSTEM, "code": "A", "display": "Abnormal"}],
            "text": "PHQ-9 item 9 (thoughts of death or self-harm) endorsed: follow up",
        }
    ]


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
