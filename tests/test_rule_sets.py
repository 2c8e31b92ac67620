"""Rule sets that name their source: IAPT caseness for GAD-7, NCPTSD's PCL-5 figure, J&T."""

from __future__ import annotations

import json
from datetime import date, timedelta

from typer.testing import CliRunner

from goaltrack.measures.change import clinical_significance
from goaltrack.measures.instruments import BUILTINS, Direction, Instrument
from goaltrack.measures.outcomes import summarize_goal
from goaltrack.records.model import Goal, GoalKind, ProgressEntry
from helpers import invoke

GAD7, PCL5, PHQ9 = BUILTINS["gad7"], BUILTINS["pcl5"], BUILTINS["phq9"]
D0 = date(2026, 9, 1)


def _goal(measure: str, values: list[int]) -> Goal:
    entries = [
        ProgressEntry(id=f"E{i}", date=D0 + timedelta(days=7 * i), value=v)
        for i, v in enumerate(values)
    ]
    return Goal(
        number=1,
        kind=GoalKind.SYMPTOM_REDUCTION,
        title="t",
        measure=measure,
        created=D0,
        progress=entries,
    )


def test_gad7_12_to_8_is_reliably_improved_not_recovered() -> None:
    """GAD-7 12 -> 8: down 4 = IAPT RC 4, but 8 is still a case (IAPT caseness >= 8)."""
    assert clinical_significance(12, 8, GAD7) == "improved"


def test_gad7_12_to_7_is_recovered() -> None:
    """GAD-7 12 -> 7: down 5 >= 4, from a case (12 >= 8) to not a case (7 < 8): recovered."""
    assert clinical_significance(12, 7, GAD7) == "recovered"


def test_gad7_keeps_the_screening_cutoff_apart_from_caseness() -> None:
    """GAD-7: Spitzer's screening cutoff 10, IAPT caseness 8."""
    assert (GAD7.cutoff, GAD7.caseness, GAD7.case_threshold()) == (10, 8, 8)


def test_pcl5_40_to_32_names_the_ncptsd_rule() -> None:
    """PCL-5 40 -> 32 (8 < 10): unchanged, judged by NCPTSD's clinically meaningful change."""
    summary = summarize_goal(_goal("pcl5", [40, 32]), PCL5, today=D0 + timedelta(days=7))
    assert (summary.clinical_significance, summary.reliable_change) == ("unchanged", None)
    assert summary.meaningful_change == "none"
    assert summary.rule == "NCPTSD: 10 = clinically meaningful, cutoff >= 33"
    assert summary.rule_source is not None and "National Center for PTSD" in summary.rule_source


def test_pcl5_ten_point_rise_is_worse_not_deteriorated() -> None:
    """PCL-5 30 -> 40: a clinically meaningful rise, "worse" (not a reliable deterioration)."""
    summary = summarize_goal(_goal("pcl5", [30, 40]), PCL5, today=D0 + timedelta(days=7))
    assert (summary.clinical_significance, summary.status_word) == ("worse", "worse")


def test_pcl5_fifteen_point_drop_across_the_cutoff_is_recovered() -> None:
    """PCL-5 45 -> 30: 15 >= 10 and 45 >= 33 > 30: recovered, by the NCPTSD rule."""
    assert clinical_significance(45, 30, PCL5) == "recovered"


def test_phq9_rule_text() -> None:
    """PHQ-9 names IAPT: reliable change >= 6, caseness >= 10."""
    rule = PHQ9.change_rule()
    assert rule is not None
    assert rule.text == "IAPT: reliable change >= 6, caseness >= 10"
    assert "Improving Access to Psychological Therapies" in rule.source


def test_jacobson_truax_rule_text() -> None:
    """A user scale with SD 7.5, r 0.90 names Jacobson & Truax 1991 and its figures."""
    scale = Instrument(
        key="pcl5-jt",
        name="PCL-5 (J&T)",
        min=0,
        max=80,
        better=Direction.LOWER,
        cutoff=33,
        sd=7.5,
        reliability=0.9,
    )
    rule = scale.change_rule()
    assert rule is not None
    assert rule.text == "Jacobson & Truax 1991, SD 7.5, r 0.90, cutoff >= 33"
    assert round(rule.points, 2) == 6.57  # 1.96 * sqrt(2) * 7.5 * sqrt(0.1) = 1.96 * 3.354


def test_instruments_key_shows_rule_and_source(runner: CliRunner) -> None:
    """`instruments gad7` prints its caseness and the rule; its JSON has rule and rule_source."""
    shown = invoke(runner, "instruments", "gad7").stdout
    assert "IAPT: reliable change >= 4, caseness >= 8" in shown
    row = json.loads(invoke(runner, "instruments", "pcl5", "--json").stdout)["instrument"]
    assert (row["reliable_change"], row["meaningful_change"]) == (None, 10)
    assert row["rule"] == "NCPTSD: 10 = clinically meaningful, cutoff >= 33"


def test_progress_json_carries_rule_and_source(runner: CliRunner) -> None:
    """`progress -f json` rows carry `rule` and `rule_source`."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Worry", "--measure", "gad7")
    day = (date.today() - timedelta(days=3)).isoformat()
    invoke(runner, "log", "c-1", "1", "12", "--date", day)
    row = json.loads(invoke(runner, "progress", "c-1", "--json").stdout)["goals"][0]
    assert row["rule"] == "IAPT: reliable change >= 4, caseness >= 8"
    assert row["rule_source"].startswith("NHS England")


def test_phq2_and_gad2_are_the_first_two_items_word_for_word() -> None:
    """PHQ-2 = PHQ-9 items 1-2 and GAD-2 = GAD-7 items 1-2, same texts; totals 0-6, cutoff 3."""
    from goaltrack.measures.forms import get_form

    for short, full in (("phq2", "phq9"), ("gad2", "gad7")):
        short_form, full_form = get_form(short), get_form(full)
        assert short_form is not None and full_form is not None
        assert short_form.items == full_form.items[:2]
        assert (BUILTINS[short].max, BUILTINS[short].cutoff) == (6, 3)
        assert short_form.total([3, 2]) == 5


def test_phq15_is_totals_only_with_kroenke_2002_bands() -> None:
    """PHQ-15 takes totals only (no item texts shipped); 4 minimal, 5 low, 10 medium, 15 high."""
    from goaltrack.measures.forms import get_form

    phq15 = BUILTINS["phq15"]
    assert get_form("phq15") is None and phq15.items is False
    assert [phq15.band_for(v) for v in (4, 5, 9, 10, 14, 15, 30)] == [
        "minimal", "low", "low", "medium", "medium", "high", "high",
    ]  # fmt: skip
    assert phq15.loinc == "70273-8"
