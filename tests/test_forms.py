"""Item-by-item forms: exact totals and bands for known answers, and answer parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaltrack.errors import InvalidValueError
from goaltrack.measures import forms
from goaltrack.measures.instruments import BUILTINS
from goaltrack.measures.scoring import score
from goaltrack.records.model import EntryFlag


def form(key: str) -> forms.Form:
    found = forms.get_form(key)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("key", "responses", "total", "band"),
    [
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "none-minimal"),
        ("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "none-minimal"),
        ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ("phq9", [2, 2, 2, 1, 1, 1, 1, 0, 0], 10, "moderate"),
        ("phq9", [3, 3, 2, 2, 2, 1, 1, 1, 0], 15, "moderately severe"),
        ("phq9", [3, 3, 3, 3, 2, 2, 2, 1, 1], 20, "severe"),
        ("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),
        ("gad7", [0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ("gad7", [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ("gad7", [2, 2, 2, 2, 1, 1, 0], 10, "moderate"),
        ("gad7", [3, 3, 3, 3, 3, 3, 3], 21, "severe"),
        ("pcl5", [0] * 20, 0, None),
        ("pcl5", [2] * 16 + [1] * 2 + [0] * 2, 34, None),
        ("pcl5", [4] * 20, 80, None),
    ],
)
def test_known_vectors_give_exact_totals_and_bands(
    key: str, responses: list[int], total: int, band: str | None
) -> None:
    """Each item-administered instrument scores a known answer vector exactly."""
    assert form(key).total(responses) == total
    assert BUILTINS[key].band_for(total) == band


@pytest.mark.parametrize(
    ("responses", "total", "band"),
    [
        # answers are option values as printed (SA=3, A=2, D=1, SD=0), in UMD item order
        ([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 15, "normal range (not official)"),  # all SA
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 15, "normal range (not official)"),  # all SD
        ([3, 0, 3, 3, 0, 0, 3, 0, 0, 3], 30, "high (not official)"),  # highest self-esteem
        ([0, 3, 0, 0, 3, 3, 0, 3, 3, 0], 0, "low (not official)"),  # lowest self-esteem
        ([2, 1, 2, 2, 1, 1, 2, 1, 1, 2], 20, "normal range (not official)"),
        ([1, 2, 1, 1, 2, 2, 1, 2, 2, 1], 10, "low (not official)"),
        ([3, 2, 2, 3, 1, 2, 2, 3, 0, 2], 19, "normal range (not official)"),
    ],
)
def test_rses_reverse_scores_items_2_5_6_8_9(
    responses: list[int], total: int, band: str | None
) -> None:
    """RSES totals count items 2, 5, 6, 8, 9 as 3 - answer."""
    assert form("rses").total(responses) == total
    assert BUILTINS["rses"].band_for(total) == band


def test_rses_reverse_items_are_the_published_ones() -> None:
    """The shipped RSES marks exactly items 2, 5, 6, 8 and 9 as reverse-scored."""
    assert [item.number for item in form("rses").items if item.reverse] == [2, 5, 6, 8, 9]


def test_phq9_item9_is_the_only_safety_item() -> None:
    """Only PHQ-9 item 9 is a safety item among the shipped forms."""
    safety = [(key, i.number) for key in forms.administrable() for i in form(key).items if i.safety]
    assert safety == [("phq9", 9)]


def test_item9_answer_above_zero_flags_the_score() -> None:
    """score() flags a PHQ-9 with item 9 above 0, and only then."""
    phq9 = BUILTINS["phq9"]
    assert score(phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1], None) == (1, [EntryFlag.RISK_ITEM9])
    assert score(phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0], None) == (24, [])


def test_shipped_texts_are_the_reference_wording() -> None:
    """Item texts come from the checked wording of data/items.toml, typography included."""
    assert form("phq9").items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert form("pcl5").items[16].text == "Being “superalert” or watchful or on guard?"
    assert [o.label for o in form("gad7").options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,1,2,3,0,1,2,3,0", [0, 1, 2, 3, 0, 1, 2, 3, 0]),
        ("0 1 2 3 0 1 2 3 0\n", [0, 1, 2, 3, 0, 1, 2, 3, 0]),
        (" 0, 1;2 ,3,0,1,2,3,0 ", [0, 1, 2, 3, 0, 1, 2, 3, 0]),
    ],
)
def test_responses_parse_with_commas_spaces_or_semicolons(text: str, expected: list[int]) -> None:
    """Scripts may separate answers with commas, spaces, semicolons or newlines."""
    assert form("phq9").parse_responses(text) == expected


def test_rses_accepts_letter_answers() -> None:
    """RSES answers may be typed as SA, A, D, SD (any case)."""
    assert form("rses").parse_responses("SA a D sd 3 2 1 0 Sa d") == [3, 2, 1, 0, 3, 2, 1, 0, 3, 1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,1,2", "phq9 has 9 items; got 3 response(s)"),
        ("0,1,2,3,0,1,2,3,0,1", "phq9 has 9 items; got 10 response(s)"),
        ("0,1,2,3,0,1,2,3,4", "phq9 item 9: the answer must be one of 0-3"),
        ("0,1,2,3,0,1,2,3,x", "phq9 item 9: the answer must be one of 0-3"),
        ("0,1,2,3,0,1,2,3,1.5", "phq9 item 9: the answer must be one of 0-3"),
        ("", "no responses given: phq9 needs 9 answers (0-3)"),
    ],
)
def test_bad_responses_are_refused_with_a_clear_message(text: str, message: str) -> None:
    """Wrong counts and out-of-range or non-integer answers name the item and the rule."""
    with pytest.raises(InvalidValueError) as caught:
        form("phq9").parse_responses(text)
    assert caught.value.message == message


@given(st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_rses_total_is_sum_with_reverse_items_flipped(responses: list[int]) -> None:
    """For any RSES answers the total is the plain sum with items 2, 5, 6, 8, 9 flipped."""
    expected = sum(3 - v if n in {2, 5, 6, 8, 9} else v for n, v in enumerate(responses, 1))
    assert form("rses").total(responses) == expected
    assert 0 <= expected <= 30


@given(st.lists(st.integers(0, 4), min_size=20, max_size=20))
def test_pcl5_total_is_the_sum_and_in_range(responses: list[int]) -> None:
    """For any PCL-5 answers the total is their sum and within the instrument's range."""
    total = form("pcl5").total(responses)
    assert total == sum(responses)
    BUILTINS["pcl5"].check_value(total)


def test_totals_only_instrument_refuses_item_responses() -> None:
    """ORS and CORE-10 never take item answers, and say why."""
    with pytest.raises(InvalidValueError, match="ors is totals only"):
        score(BUILTINS["ors"], [1, 2, 3, 4], None)
    with pytest.raises(InvalidValueError, match="core10 is totals only"):
        score(BUILTINS["core10"], [0] * 10, None)


def test_a_total_that_disagrees_with_the_responses_is_refused() -> None:
    """--total given alongside responses must match their score."""
    with pytest.raises(InvalidValueError, match="does not match the sum of the responses"):
        score(BUILTINS["phq9"], [1] * 9, 10)


@given(st.text(max_size=60))
def test_any_typed_text_parses_or_is_refused_cleanly(text: str) -> None:
    """Whatever a script pipes in, parsing yields 9 valid answers or an InvalidValueError."""
    try:
        answers = form("phq9").parse_responses(text)
    except InvalidValueError as error:
        assert "\n" not in error.message
    else:
        assert len(answers) == 9 and all(0 <= a <= 3 for a in answers)
