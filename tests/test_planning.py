"""Goal planning core: the template library's coverage, target rules from instrument facts,
intake severity hints, and the pinned rankings of `suggest` (issue 11, "What must be shown")."""

from __future__ import annotations

from datetime import date

import pytest

from goaltrack import operations as changes
from goaltrack.measures.instruments import BUILTINS, builtin_registry
from goaltrack.measures.scoring import Administration
from goaltrack.planning.intake import latest_screening, severity_hint
from goaltrack.planning.suggest import suggest, tag_matches
from goaltrack.planning.targets import TargetRule, compute_target, rule_problem
from goaltrack.planning.templates import Stage, TherapyObjective, builtin_library
from goaltrack.records.enums import Approach, GoalKind, Severity
from goaltrack.records.model import ClientRecord

FIVE = (
    Approach.CBT,
    Approach.PSYCHODYNAMIC,
    Approach.HUMANISTIC,
    Approach.FAMILY,
    Approach.MINDFULNESS,
)
TODAY = date(2026, 9, 2)
#: PHQ-9 21 with item 9 at 0 (no safety flag), and 21 with item 9 at 1.
PHQ9_21 = [3, 3, 3, 3, 3, 2, 2, 2, 0]
PHQ9_21_RISK = [3, 3, 3, 3, 2, 2, 2, 2, 1]


def _screen(record: ClientRecord, answers: list[int], instrument: str = "phq9") -> None:
    administration = Administration(
        client=record.client.id,
        instrument=instrument,
        date=date(2026, 9, 1),
        total=sum(answers),
        band=None,
        responses=answers,
        flags=[],
        per_goal=False,
    )
    changes.record_screening(record, administration, today=TODAY)


def _client(
    severity: Severity,
    answers: list[int] | None = None,
    approaches: tuple[Approach, ...] = (Approach.CBT,),
    preferences: tuple[str, ...] = (),
    strengths: tuple[str, ...] = (),
) -> ClientRecord:
    record = changes.new_client_record(
        "c-1",
        concerns=[("depression", severity)],
        approaches=approaches,
        created=date(2026, 9, 1),
        preferences=preferences,
        strengths=strengths,
    )
    if answers is not None:
        _screen(record, answers)
    return record


def _ranked(record: ClientRecord, approaches: list[Approach] | None = None) -> list[str]:
    found = suggest(record, builtin_library(), builtin_registry(), TODAY, approaches)
    return [item.template.key for item in found.items]


# ---- the library ---------------------------------------------------------------------------


def test_library_has_at_least_thirty_templates() -> None:
    """At least 30 templates ship, each read and checked against the built-in instruments."""
    assert len(builtin_library().all()) >= 30


def test_library_covers_every_kind_stage_severity_and_objective_of_therapy() -> None:
    """Every goal kind, stage, severity and broad objective of therapy has a template."""
    templates = builtin_library().all()
    assert {t.kind for t in templates} == set(GoalKind)
    assert {t.stage for t in templates} == set(Stage)
    assert {s for t in templates for s in t.severities} == set(Severity)
    assert {o for t in templates for o in t.serves} == set(TherapyObjective)


def test_every_template_plans_under_each_of_the_five_approaches() -> None:
    """Each template has interventions and objectives for cbt, psychodynamic, humanistic,
    family and mindfulness; EMDR is offered where trauma memories are worked with."""
    library = builtin_library()
    for template in library.all():
        for approach in FIVE:
            objectives, interventions = template.plan_for([approach])
            assert objectives and interventions, (template.key, approach)
    emdr = {t.key for t in library.all() if Approach.EMDR in t.approaches}
    assert emdr == {"grounding", "trauma-readiness", "trauma-processing", "trauma-beliefs"}


def test_the_five_approaches_give_different_objectives_and_interventions() -> None:
    """Within a template, no two of the five approaches give the same plan."""
    for template in builtin_library().all():
        plans = {tuple(map(tuple, template.plan_for([a]))) for a in FIVE}
        assert len(plans) == len(FIVE), template.key


# ---- target rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "measure", "baseline", "expected"),
    [
        (TargetRule.BELOW_CUTOFF, "phq9", 21, 9),  # below the PHQ-9 caseness 10
        (TargetRule.BELOW_CUTOFF, "phq9", None, 9),
        (TargetRule.BELOW_CUTOFF, "phq9", 7, 7),  # already below: kept, never worse
        (TargetRule.BELOW_CUTOFF, "gad7", 15, 7),  # IAPT caseness 8, not the cutoff 10
        (TargetRule.BELOW_CUTOFF, "pcl5", 50, 32),
        (TargetRule.BELOW_CUTOFF, "core10", 20, 10),
        (TargetRule.RELIABLE_IMPROVEMENT, "phq9", 21, 15),  # 6 points below the baseline
        (TargetRule.RELIABLE_IMPROVEMENT, "phq9", 4, 0),  # cut at the floor of the scale
        (TargetRule.RELIABLE_IMPROVEMENT, "gad7", 12, 8),
        (TargetRule.RELIABLE_IMPROVEMENT, "pcl5", 45, 35),  # NCPTSD meaningful change 10
        (TargetRule.RELIABLE_IMPROVEMENT, "phq9", None, None),  # needs a baseline
        (TargetRule.GAS_EXPECTED, "gas", None, 0),
        (TargetRule.RATING_GAIN, "gbo", 4, 7),
        (TargetRule.RATING_GAIN, "gbo", 9, 10),
        (TargetRule.RATING_GAIN, "gbo", None, None),
    ],
)
def test_target_rules_compute_from_instrument_facts(
    rule: TargetRule, measure: str, baseline: int | None, expected: int | None
) -> None:
    """Each rule gives the target the instrument's facts imply."""
    assert compute_target(rule, BUILTINS[measure], baseline).value == expected


def test_reliable_improvement_names_its_rule() -> None:
    """The target's wording names the change and the rule set it comes from."""
    text = compute_target(TargetRule.RELIABLE_IMPROVEMENT, BUILTINS["phq9"], 21).text
    assert text == (
        "reliable change of 6 points (IAPT: reliable change >= 6, caseness >= 10) "
        "from baseline 21: 15"
    )


@pytest.mark.parametrize(
    ("rule", "measure"),
    [
        (TargetRule.BELOW_CUTOFF, "rses"),  # higher is better, no cutoff
        (TargetRule.BELOW_CUTOFF, "ors"),  # not whole numbers, higher is better
        (TargetRule.RELIABLE_IMPROVEMENT, "rses"),  # no reliable-change facts
        (TargetRule.GAS_EXPECTED, "gbo"),
        (TargetRule.RATING_GAIN, "phq9"),
    ],
)
def test_rules_the_facts_cannot_support_are_refused(rule: TargetRule, measure: str) -> None:
    """A rule an instrument's facts cannot compute is named as a problem, never guessed."""
    assert rule_problem(rule, BUILTINS[measure]) is not None


# ---- intake screenings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "severity", "band"),
    [
        (21, Severity.SEVERE, "severe"),
        (16, Severity.SEVERE, "moderately severe"),  # NG222: >= 16 is more severe
        (15, Severity.MODERATE, "moderately severe"),  # the score, not the band name
        (10, Severity.MODERATE, "moderate"),
        (9, Severity.MILD, "mild"),
    ],
)
def test_a_phq9_screening_suggests_a_severity_by_score(
    total: int, severity: Severity, band: str
) -> None:
    """PHQ-9 16 is 'moderately severe' by band and suggests severe (NICE NG222's line)."""
    record = _client(Severity.MILD)
    answers = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
    _screen(record, answers)
    screening = latest_screening(record, "phq9")
    assert screening is not None and screening.value == total
    hint = severity_hint(screening, BUILTINS["phq9"])
    assert hint is not None and (hint.severity, hint.band) == (severity, band)


def test_the_screening_reason_reads_as_a_clinician_writes_it() -> None:
    """The reason names the score, the band and the rule."""
    record = _client(Severity.MODERATE)
    _screen(record, [2, 2, 2, 2, 2, 2, 2, 2, 0])
    screening = latest_screening(record, "phq9")
    assert screening is not None
    hint = severity_hint(screening, BUILTINS["phq9"])
    assert hint is not None
    assert hint.reason() == (
        "PHQ-9 16 at intake (moderately severe): suggests severe "
        "(NICE NG222: PHQ-9 >= 16 is more severe)"
    )


# ---- the pinned rankings -----------------------------------------------------------------------


def test_severe_depression_ranks_stabilising_first_under_each_approach() -> None:
    """Severe depression, PHQ-9 21 at intake: the same first three templates under each of
    the five approaches, stabilising symptom goal first."""
    record = _client(Severity.SEVERE, PHQ9_21)
    for approach in FIVE:
        assert _ranked(record, [approach])[:3] == ["mood-stabilise", "daily-structure", "mood-ba"]


def test_each_approach_gives_a_different_first_suggestion_set() -> None:
    """The first three suggestions differ between cbt, psychodynamic, humanistic, family and
    mindfulness: their objectives and interventions are the approach's own."""
    record = _client(Severity.SEVERE, PHQ9_21)
    library, registry = builtin_library(), builtin_registry()
    sets = {}
    for approach in FIVE:
        found = suggest(record, library, registry, TODAY, [approach]).items[:3]
        sets[approach] = tuple(
            (tuple(s.draft.objectives), tuple(t for t, _ in s.draft.interventions)) for s in found
        )
    assert len(set(sets.values())) == 5
    first = {a: sets[a][0][1] for a in FIVE}
    assert first == {
        Approach.CBT: (
            "behavioural activation, starting small",
            "psychoeducation about depression and its cycle",
        ),
        Approach.PSYCHODYNAMIC: (
            "supportive psychodynamic therapy: holding and containment",
            "identifying the focal conflict (STPP focus)",
        ),
        Approach.HUMANISTIC: (
            "person-centred support: empathy, acceptance, genuineness",
            "tracking felt sense of the lowest moments",
        ),
        Approach.FAMILY: (
            "psychoeducation for the family about depression",
            "mobilising family support around daily tasks",
        ),
        Approach.MINDFULNESS: (
            "short grounding and breathing practices (not full MBCT while acutely unwell)",
            "self-compassion for the exhausted self",
        ),
    }


def test_severe_ranks_the_stabilising_symptom_goal_above_every_growth_goal() -> None:
    """Severe: mood-stabilise ranks above every self-esteem and autonomy template."""
    record = _client(Severity.SEVERE, PHQ9_21)
    found = suggest(record, builtin_library(), builtin_registry(), TODAY).items
    rank = {item.template.key: item.rank for item in found}
    growth = [i.rank for i in found if i.template.kind in (GoalKind.SELF_ESTEEM, GoalKind.AUTONOMY)]
    assert growth and rank["mood-stabilise"] == 1 and rank["mood-stabilise"] < min(growth)


def test_mild_does_not_rank_the_stabilising_goal_above_growth_goals() -> None:
    """Mild: change and growth first; the stabilising symptom goal ranks below them."""
    record = _client(Severity.MILD)
    ranked = _ranked(record)
    assert ranked == [
        "mood-ba",
        "mood-self-help",
        "self-worth-data",
        "values-clarity",
        "rumination",
        "relapse-plan",
        "mbct-recurrent",
        "mood-cognitive",
        "mood-stabilise",
        "daily-structure",
    ]


def test_the_reasons_say_why() -> None:
    """Each suggestion lists the reasons that ranked it, and the draft what it would create."""
    record = _client(Severity.SEVERE, PHQ9_21, preferences=("practical homework",))
    first = suggest(record, builtin_library(), builtin_registry(), TODAY).items[0]
    assert first.reasons == [
        "PHQ-9 21 at intake (severe): suggests severe (NICE NG222: PHQ-9 >= 16 is more severe)",
        "severe depression: stabilise first",
        "severe depression: symptom relief first",
        "preference: practical homework",
        "approach cbt: behavioural activation, starting small, psychoeducation about "
        "depression and its cycle",
    ]
    draft = first.draft
    assert (draft.measure, draft.baseline, draft.target, draft.due) == (
        "phq9",
        21,
        15,
        date(2026, 10, 28),
    )
    assert draft.baseline_from == "PHQ-9 screening on 2026-09-01"


def test_a_screening_raises_a_milder_recorded_severity() -> None:
    """A concern recorded moderate with PHQ-9 21 at intake is ranked as severe, and says so."""
    record = _client(Severity.MODERATE, PHQ9_21)
    first = suggest(record, builtin_library(), builtin_registry(), TODAY).items[0]
    assert first.template.key == "mood-stabilise"
    assert first.reasons[0].endswith("; recorded moderate, the higher is used")


def test_an_open_item9_flag_puts_the_safety_plan_first() -> None:
    """PHQ-9 item 9 endorsed at intake: the safety plan ranks first, high priority."""
    record = _client(Severity.SEVERE, PHQ9_21_RISK)
    first = suggest(record, builtin_library(), builtin_registry(), TODAY).items[0]
    assert first.template.key == "safety-plan"
    assert first.reasons[0] == "PHQ-9 item 9 endorsed on 2026-09-01: safety first"
    assert first.draft.priority.value == "high"


def test_preferences_raise_and_negative_preferences_lower() -> None:
    """A preference sharing a template's tag raises it; 'no ...' lowers it."""
    plain = suggest(_client(Severity.MILD), builtin_library(), builtin_registry(), TODAY)
    liked = suggest(
        _client(Severity.MILD, preferences=("faith matters",)),
        builtin_library(),
        builtin_registry(),
        TODAY,
    )
    disliked = suggest(
        _client(Severity.MILD, preferences=("no homework",)),
        builtin_library(),
        builtin_registry(),
        TODAY,
    )

    def score(found: object, key: str) -> int:
        return next(i.score for i in found.items if i.template.key == key)  # type: ignore[attr-defined]

    assert score(liked, "values-clarity") == score(plain, "values-clarity") + 4
    assert score(disliked, "mood-ba") == score(plain, "mood-ba") - 4
    assert "preference: no homework (lowers it)" in next(
        i.reasons for i in disliked.items if i.template.key == "mood-ba"
    )


def test_tags_match_word_beginnings() -> None:
    """'support' matches 'supportive sister'; 'family' matches 'involve family'."""
    assert tag_matches("support", "supportive sister")
    assert tag_matches("family", "Involve family")
    assert not tag_matches("family", "famous places")
    assert not tag_matches("faith", "practical homework")


def test_a_template_in_use_is_marked_covered_and_sinks() -> None:
    """A template an active goal was made from is named as covered and ranked last."""
    record = _client(Severity.SEVERE, PHQ9_21)
    library, registry = builtin_library(), builtin_registry()
    number, _ = changes.add_goal_from_template(
        record, library.require("mood-stabilise"), changes.GoalFields(), registry, TODAY
    )
    found = suggest(record, library, registry, TODAY).items
    assert found[-1].template.key == "mood-stabilise"
    assert found[-1].covered_by == [number]
    assert "covered by goal 1 (made from this template)" in found[-1].reasons


def test_a_concern_no_template_fits_is_noted() -> None:
    """A concern no template fits is named in the notes."""
    record = changes.new_client_record("c-1", concerns=[("gambling", Severity.MODERATE)])
    found = suggest(record, builtin_library(), builtin_registry(), TODAY)
    assert found.items == []
    assert "no template fits the concern 'gambling': plan it by hand with add-goal" in found.notes
