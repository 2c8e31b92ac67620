"""Form edges: the shipped forms' facts, exact messages, labels and reverse scoring."""

from __future__ import annotations

import pytest

from goaltrack.errors import InvalidValueError
from goaltrack.measures.forms import Form, Item, Option, administrable, get_form


def form(key: str) -> Form:
    """A shipped form by key."""
    found = get_form(key)
    assert found is not None
    return found


def one_to_four() -> Form:
    """A two-item 1-4 form whose second item is reverse-scored (not shipped: a 1-based scale)."""
    return Form(
        key="onefour",
        name="One to four",
        instructions=None,
        stem=None,
        options=tuple(Option(value, str(value)) for value in range(1, 5)),
        items=(Item(1, "first"), Item(2, "second", reverse=True)),
        item_min=1,
        item_max=4,
        licence="",
        citation="",
    )


def test_the_administrable_forms() -> None:
    """GAD-2, GAD-7, PCL-5, PHQ-2, PHQ-9 and RSES are administered item by item, by key."""
    assert administrable() == ["gad2", "gad7", "pcl5", "phq2", "phq9", "rses"]


def test_a_totals_only_instrument_has_no_form() -> None:
    """CORE-10 (totals only) ships no item texts."""
    assert get_form("core10") is None


def test_form_sizes_and_answer_ranges() -> None:
    """PHQ-9 9 items 0-3, GAD-7 7 items 0-3, PCL-5 20 items 0-4, RSES 10 items 0-3."""
    facts = {
        key: (form(key).size, form(key).item_min, form(key).item_max) for key in administrable()
    }
    assert facts == {
        "gad2": (2, 0, 3),
        "gad7": (7, 0, 3),
        "pcl5": (20, 0, 4),
        "phq2": (2, 0, 3),
        "phq9": (9, 0, 3),
        "rses": (10, 0, 3),
    }


def test_phq9_header() -> None:
    """The PHQ-9 carries its name and stem, and has no separate instructions."""
    phq9 = form("phq9")
    assert (phq9.name, phq9.stem, phq9.instructions) == (
        "Patient Health Questionnaire-9 (PHQ-9)",
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
        None,
    )


def test_pcl5_header() -> None:
    """The PCL-5 carries its name, its instructions and its stem."""
    pcl5 = form("pcl5")
    assert pcl5.name == "PTSD Checklist for DSM-5 (PCL-5)"
    assert pcl5.stem == "In the past month, how much were you bothered by:"
    assert pcl5.instructions is not None
    assert pcl5.instructions.startswith("Below is a list of problems that people sometimes have")


def test_phq9_licence_and_citation() -> None:
    """The PHQ-9 carries the Pfizer licence line and the Kroenke 2001 citation."""
    phq9 = form("phq9")
    assert phq9.licence.startswith("Developed by Drs. Robert L. Spitzer, Janet B.W. Williams")
    assert phq9.licence.endswith(
        "No permission required to reproduce, translate, display or distribute."
    )
    assert phq9.citation == (
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity "
        "measure. J Gen Intern Med 2001;16(9):606-613."
    )


def test_phq9_options() -> None:
    """PHQ-9 answers 0-3 are labelled as on the form, without abbreviations."""
    assert [(o.value, o.label, o.abbrev) for o in form("phq9").options] == [
        (0, "Not at all", None),
        (1, "Several days", None),
        (2, "More than half the days", None),
        (3, "Nearly every day", None),
    ]


def test_rses_options_have_abbreviations() -> None:
    """RSES answers are SA 3, A 2, D 1, SD 0."""
    assert [(o.abbrev, o.value) for o in form("rses").options] == [
        ("SA", 3),
        ("A", 2),
        ("D", 1),
        ("SD", 0),
    ]


def test_items_are_numbered_as_on_the_form() -> None:
    """PHQ-9 items are numbered 1 to 9 in order."""
    assert [item.number for item in form("phq9").items] == list(range(1, 10))


def test_option_label_of_a_value() -> None:
    """PHQ-9 answer 2 reads "More than half the days"."""
    assert form("phq9").option_label(2) == "More than half the days"


def test_option_label_of_an_unknown_value_is_the_number() -> None:
    """A value no option has (9) is shown as the number itself."""
    assert form("phq9").option_label(9) == "9"


def test_choices_of_a_numeric_form() -> None:
    """PHQ-9 answers are "0-3"; PCL-5 answers are "0-4"."""
    assert (form("phq9").choices(), form("pcl5").choices()) == ("0-3", "0-4")


def test_choices_of_a_form_with_abbreviations() -> None:
    """RSES answers are "0-3 or SA, A, D, SD"."""
    assert form("rses").choices() == "0-3 or SA, A, D, SD"


def test_letter_answers_ignore_case_and_spaces() -> None:
    """RSES " sd " is 0 and "sa" is 3."""
    rses = form("rses")
    assert (rses.parse_answer(" sd "), rses.parse_answer("sa")) == (0, 3)


def test_out_of_range_answer_message_without_item() -> None:
    """A lone PHQ-9 answer of 7 is refused naming the form and the allowed answers."""
    with pytest.raises(InvalidValueError) as refused:
        form("phq9").parse_answer("7")
    assert refused.value.message == "phq9: the answer must be one of 0-3"


def test_out_of_range_answer_message_with_item() -> None:
    """An answer of 4 to PHQ-9 item 9 is refused naming the item."""
    phq9 = form("phq9")
    with pytest.raises(InvalidValueError) as refused:
        phq9.parse_answer("4", phq9.items[8])
    assert refused.value.message == "phq9 item 9: the answer must be one of 0-3"


def test_check_refuses_the_wrong_number_of_answers() -> None:
    """Eight answers to the nine-item PHQ-9 are refused, with both counts."""
    with pytest.raises(InvalidValueError) as refused:
        form("phq9").check([0] * 8)
    assert refused.value.message == "phq9 has 9 items; got 8 response(s)"


def test_check_refuses_an_answer_out_of_range() -> None:
    """PHQ-9 item 3 answered 4 is refused, naming the item and the range."""
    with pytest.raises(InvalidValueError) as refused:
        form("phq9").check([0, 0, 4, 0, 0, 0, 0, 0, 0])
    assert refused.value.message == "phq9 item 3: the answer is outside 0-3"


def test_total_refuses_an_incomplete_form() -> None:
    """A total is never computed from too few answers."""
    with pytest.raises(InvalidValueError):
        form("gad7").total([3] * 6)


def test_reverse_scoring_on_a_one_based_scale() -> None:
    """On a 1-4 scale a reverse item answered 1 scores 4 + 1 - 1 = 4: total 1 + 4 = 5."""
    assert one_to_four().total([1, 1]) == 5


def test_reverse_scoring_keeps_the_range() -> None:
    """On a 1-4 scale a reverse item answered 4 scores 1: total 4 + 1 = 5."""
    assert one_to_four().total([4, 4]) == 5


def test_item9_endorsed() -> None:
    """PHQ-9 with item 9 answered 1: item 9 is the endorsed safety item."""
    phq9 = form("phq9")
    assert [item.number for item in phq9.safety_endorsed([0] * 8 + [1])] == [9]


def test_item9_at_zero_is_not_endorsed() -> None:
    """PHQ-9 with item 9 at 0 and every other item at 3: nothing endorsed."""
    assert form("phq9").safety_endorsed([3] * 8 + [0]) == []


def test_safety_check_refuses_a_short_answer_list() -> None:
    """Eight PHQ-9 answers are refused rather than read as "item 9 not endorsed"."""
    with pytest.raises(ValueError):
        form("phq9").safety_endorsed([0] * 8)
