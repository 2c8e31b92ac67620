"""LOINC codes the FHIR export uses, each with LOINC's own display text.

Where each was checked (2026-11-30, with the project's code search):
- Totals and PHQ-9 / GAD-7 item codes and displays: LOINC's generated FHIR Questionnaires
  (lforms 34.3.0) for the PHQ-9 panel 44249-1 and the GAD-7 panel 69737-5, as reproduced in
  public repositories (several independent copies agree on every code and display); PHQ-2
  total 55758-7 and PHQ-15 total 70273-8 from LOINC-coded Observations / Questionnaires.
- GAS: the HL7 Person-Centered Outcomes (PCO) implementation guide (mtnlotus/pco-ig,
  input/fsh/GASTerminology.fsh): 107332-9 "Goal attainment scale" for the baseline and target,
  107334-5 patient and 107333-7 practitioner follow-up scores, and the answer list
  LA34479-8 ... LA34484-8 (a required binding for the follow-up score's valueCodeableConcept).
"""

from __future__ import annotations

SYSTEM = "http://loinc.org"

#: Total-score codes: LOINC display text.
DISPLAY: dict[str, str] = {
    "44261-6": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "70274-6": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    "55758-7": "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
    "70273-8": "Patient Health Questionnaire 15 item (PHQ-15) total score [Reported]",
    "107332-9": "Goal attainment scale",
    "107333-7": "Practitioner follow-up goal attainment scaling score",
    "107334-5": "Patient follow-up goal attainment scaling score",
}

GAS_REPORTED = "107332-9"  # baseline and goal target
GAS_PRACTITIONER_FOLLOW_UP = "107333-7"
GAS_PATIENT_FOLLOW_UP = "107334-5"

#: GAS level -> (LOINC answer code, display), the PCO guide's GASScoreAnswers value set.
GAS_ANSWERS: dict[int, tuple[str, str]] = {
    2: ("LA34479-8", "Much better than expected"),
    1: ("LA34480-6", "Better than expected"),
    0: ("LA34481-4", "Expected outcome"),
    -1: ("LA34483-0", "Less than expected"),
    -2: ("LA34484-8", "Much less than expected"),
}

#: Item codes in form order (item 1 first), with LOINC's display for each.
ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "phq9": (
        ("44250-9", "Little interest or pleasure in doing things"),
        ("44255-8", "Feeling down, depressed, or hopeless"),
        ("44259-0", "Trouble falling or staying asleep, or sleeping too much"),
        ("44254-1", "Feeling tired or having little energy"),
        ("44251-7", "Poor appetite or overeating"),
        (
            "44258-2",
            "Feeling bad about yourself-or that you are a failure or have let yourself or "
            "your family down",
        ),
        (
            "44252-5",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
        ),
        (
            "44253-3",
            "Moving or speaking so slowly that other people could have noticed. Or the "
            "opposite-being so fidgety or restless that you have been moving around a lot "
            "more than usual",
        ),
        (
            "44260-8",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
        ),
    ),
    "gad7": (
        ("69725-0", "Feeling nervous, anxious or on edge"),
        ("68509-9", "Over the past 2 weeks have you not been able to stop or control worrying"),
        ("69733-4", "Worrying too much about different things"),
        ("69734-2", "Trouble relaxing"),
        ("69735-9", "Being so restless that it is hard to sit still"),
        ("69689-8", "Becoming easily annoyed or irritable."),
        ("69736-7", "Feeling afraid as if something awful might happen"),
    ),
}
# PHQ-2 and GAD-2 are the first two items of PHQ-9 and GAD-7, with the same item codes.
ITEMS["phq2"] = ITEMS["phq9"][:2]
ITEMS["gad2"] = ITEMS["gad7"][:2]


def coding(code: str) -> dict[str, str]:
    """A LOINC Coding with LOINC's display when goaltrack knows it (display is optional)."""
    found: dict[str, str] = {"system": SYSTEM, "code": code}
    if code in DISPLAY:
        found["display"] = DISPLAY[code]
    return found
