"""The PHQ-9 item-9 safety flag: when it opens, what clears it, and what never may."""

from __future__ import annotations

from datetime import date

from goaltrack.measures.safety import RiskAlert, alerts, open_risk, risk_facts, unreadable_risks
from goaltrack.records.model import (
    Client,
    ClientRecord,
    EntryFlag,
    Goal,
    GoalKind,
    ProgressEntry,
    Screening,
)

D1 = date(2026, 9, 1)
D2 = date(2026, 9, 8)
D3 = date(2026, 9, 15)
CLEAR = [1, 1, 1, 1, 1, 1, 1, 1, 0]  # a complete PHQ-9 with item 9 at "not at all"


def phq9(
    entry_id: str, day: date, answers: list[int], *, instrument: str = "phq9"
) -> ProgressEntry:
    """An administered form whose total is the sum of its answers."""
    return ProgressEntry(
        id=entry_id, date=day, value=sum(answers), instrument=instrument, responses=answers
    )


def flagged(entry_id: str, day: date, item9: int = 1) -> ProgressEntry:
    """A complete PHQ-9 with item 9 answered `item9` (the model adds the flag when above 0)."""
    return phq9(entry_id, day, [0, 0, 0, 0, 0, 0, 0, 0, item9])


def record(*goals: list[ProgressEntry]) -> ClientRecord:
    """Client c-7 with one goal per list of entries, numbered from 1."""
    return ClientRecord(
        client=Client(id="c-7", created=D1),
        goals=[
            Goal(
                number=number,
                kind=GoalKind.SYMPTOM_REDUCTION,
                title=f"goal {number}",
                measure="phq9",
                created=D1,
                progress=entries,
            )
            for number, entries in enumerate(goals, start=1)
        ],
    )


def test_no_phq9_means_no_alert() -> None:
    """A client whose only entries are plain totals has no open flag and an empty alert list."""
    plain = ProgressEntry(id="E1", date=D1, value=20)
    assert (open_risk(record([plain])), alerts(record([plain]))) == (None, [])


def test_item9_answer_of_one_opens_the_flag_with_its_facts() -> None:
    """Item 9 answered 1 opens a flag naming the client, date, entry, goal and answer."""
    alert = open_risk(record([flagged("E1", D2, item9=1)]))
    assert alert == RiskAlert(client="c-7", date=D2, entry="E1", goal=1, response=1)


def test_item9_answer_of_three_is_reported_as_three() -> None:
    """The alert carries the answer given to item 9 itself, not a fixed value."""
    alert = open_risk(record([flagged("E1", D2, item9=3)]))
    assert alert is not None
    assert alert.response == 3


def test_alerts_lists_the_open_flag() -> None:
    """alerts() is the open flag in a one-element list."""
    assert alerts(record([flagged("E1", D2)])) == [
        RiskAlert(client="c-7", date=D2, entry="E1", goal=1, response=1)
    ]


def test_a_later_clear_phq9_closes_the_flag() -> None:
    """A complete PHQ-9 a week later with item 9 at 0 clears the flag."""
    assert open_risk(record([flagged("E1", D1), phq9("E2", D2, CLEAR)])) is None


def test_a_later_endorsement_reopens_after_a_clear_one() -> None:
    """Clear on the 1st, endorsed on the 8th: the flag is open, from the 8th."""
    alert = open_risk(record([phq9("E1", D1, CLEAR), flagged("E2", D2)]))
    assert alert is not None
    assert (alert.entry, alert.date) == ("E2", D2)


def test_an_earlier_clear_phq9_listed_after_does_not_close() -> None:
    """Entry order in the file does not matter: a clear PHQ-9 dated before the flag is older."""
    assert open_risk(record([flagged("E2", D2), phq9("E1", D1, CLEAR)])) is not None


def test_a_clear_phq9_on_the_same_day_after_the_flag_keeps_it_open() -> None:
    """Flagged and clear on the same day, flagged listed first: still open (ambiguous order)."""
    alert = open_risk(record([flagged("E1", D2), phq9("E2", D2, CLEAR)]))
    assert alert is not None
    assert alert.entry == "E1"


def test_a_clear_phq9_on_the_same_day_before_the_flag_keeps_it_open() -> None:
    """Clear and flagged on the same day, clear listed first: still open."""
    alert = open_risk(record([phq9("E1", D2, CLEAR), flagged("E2", D2)]))
    assert alert is not None
    assert alert.entry == "E2"


def test_of_two_flags_on_the_latest_day_the_last_listed_is_reported() -> None:
    """Two flagged PHQ-9s on one day in goals 1 and 2: the alert names goal 2's entry."""
    alert = open_risk(record([flagged("E1", D2, item9=1)], [flagged("E2", D2, item9=2)]))
    assert alert is not None
    assert (alert.goal, alert.entry, alert.response) == (2, "E2", 2)


def test_an_older_flag_in_another_goal_is_cleared_by_a_later_phq9() -> None:
    """A flag in goal 1 on the 1st is cleared by a clear PHQ-9 in goal 2 on the 8th."""
    assert open_risk(record([flagged("E1", D1)], [phq9("E2", D2, CLEAR)])) is None


def test_flag_is_found_in_a_later_goal() -> None:
    """A flag in goal 2 behind a goal 1 without PHQ-9s is reported with goal number 2."""
    alert = open_risk(record([ProgressEntry(id="E1", date=D3, value=5)], [flagged("E2", D1)]))
    assert alert is not None
    assert (alert.goal, alert.entry) == (2, "E2")


def test_entries_before_a_flag_in_the_same_goal_do_not_hide_it() -> None:
    """A plain value and a bare PHQ-9 total listed before a flagged PHQ-9: still open."""
    plain = ProgressEntry(id="E1", date=D1, value=20)
    bare = ProgressEntry(id="E2", date=D1, value=12, instrument="phq9")
    alert = open_risk(record([plain, bare, flagged("E3", D1)]))
    assert alert is not None
    assert alert.entry == "E3"


def test_a_later_bare_phq9_total_does_not_clear() -> None:
    """A later PHQ-9 total without item answers says nothing about item 9: flag stays."""
    bare = ProgressEntry(id="E2", date=D3, value=3, instrument="phq9")
    assert open_risk(record([flagged("E1", D1), bare])) is not None


def test_a_later_plain_entry_does_not_clear() -> None:
    """A later plain value (no instrument) does not clear the flag."""
    plain = ProgressEntry(id="E2", date=D3, value=3)
    assert open_risk(record([flagged("E1", D1), plain])) is not None


def test_a_later_form_of_another_instrument_does_not_clear() -> None:
    """Nine zero answers recorded for another instrument do not clear a PHQ-9 flag."""
    other = phq9("E2", D3, [0] * 9, instrument="gad7")
    assert open_risk(record([flagged("E1", D1), other])) is not None


def test_another_instrument_with_a_hand_set_flag_opens_the_alert() -> None:
    """A risk flag stored on any entry keeps the alert open (issue 13): answer unknown."""
    other = ProgressEntry(
        id="E1",
        date=D1,
        value=9,
        instrument="gad7",
        responses=[0] * 9,
        flags=[EntryFlag.RISK_ITEM9],
    )
    assert open_risk(record([other])) == RiskAlert(
        client="c-7", date=D1, entry="E1", goal=1, response=None
    )


def test_a_flag_without_item_answers_in_a_goal_opens_the_alert() -> None:
    """An entry with the flag but no answers (a dump from elsewhere) still raises it."""
    bare = ProgressEntry(id="E1", date=D2, value=12, flags=[EntryFlag.RISK_ITEM9])
    assert open_risk(record([ProgressEntry(id="E0", date=D1, value=9), bare])) == RiskAlert(
        client="c-7", date=D2, entry="E1", goal=1, response=None
    )


def test_endorsing_answers_without_the_stored_flag_open_the_alert() -> None:
    """Answers endorsing item 9 raise it even when no flag is stored (an unvalidated entry)."""
    made = record([flagged("E1", D2, item9=2)])
    made.goals[0].progress[0].__dict__["flags"] = None  # built without the model validator
    assert open_risk(made) == RiskAlert(client="c-7", date=D2, entry="E1", goal=1, response=2)


def test_a_later_phq9_with_eight_answers_does_not_clear() -> None:
    """A malformed later PHQ-9 (8 answers) must never silence the flag."""
    short = phq9("E2", D3, [0] * 8)
    assert open_risk(record([flagged("E1", D1), short])) is not None


def test_a_later_phq9_with_ten_answers_does_not_clear() -> None:
    """A malformed later PHQ-9 (10 answers) must never silence the flag."""
    long = phq9("E2", D3, [0] * 10)
    assert open_risk(record([flagged("E1", D1), long])) is not None


def test_a_later_phq9_with_an_answer_of_four_does_not_clear() -> None:
    """A later PHQ-9 with an out-of-range answer (4) must never silence the flag."""
    bad = phq9("E2", D3, [4, 0, 0, 0, 0, 0, 0, 0, 0])
    assert open_risk(record([flagged("E1", D1), bad])) is not None


def test_a_later_phq9_with_every_answer_at_three_but_item9_clears() -> None:
    """Answers of 3 are in range: a later PHQ-9 of 3s with item 9 at 0 clears the flag."""
    assert open_risk(record([flagged("E1", D1), phq9("E2", D3, [3] * 8 + [0])])) is None


def test_a_malformed_flagged_phq9_opens_the_alert() -> None:
    """A flagged PHQ-9 with 8 answers (hand-edited) still opens the alert (issue 13)."""
    short = ProgressEntry(
        id="E1",
        date=D1,
        value=1,
        instrument="phq9",
        responses=[0] * 7 + [1],
        flags=[EntryFlag.RISK_ITEM9],
    )
    assert open_risk(record([short])) == RiskAlert(
        client="c-7", date=D1, entry="E1", goal=1, response=None, malformed=True
    )


def test_a_hand_set_flag_on_a_complete_phq9_is_reported_with_answer_zero() -> None:
    """A stored flag on a PHQ-9 whose item 9 is 0 stays open and reports answer 0."""
    marked = ProgressEntry(
        id="E1",
        date=D1,
        value=8,
        instrument="phq9",
        responses=CLEAR,
        flags=[EntryFlag.RISK_ITEM9],
    )
    alert = open_risk(record([marked]))
    assert alert is not None
    assert alert.response == 0


def test_message_is_one_exact_line() -> None:
    """The message names the item, the date, the answer, the entry and the goal."""
    alert = RiskAlert(client="c-7", date=D2, entry="E1", goal=2, response=3)
    assert alert.message() == (
        "RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
        "on 2026-09-08 (answer 3, entry E1, goal 2) — follow up"
    )


def test_as_dict_is_the_stable_json_contract() -> None:
    """as_dict gives exactly the documented keys and values, message included."""
    alert = RiskAlert(client="c-7", date=D2, entry="E1", goal=2, response=3)
    assert alert.as_dict() == {
        "flag": "risk-item9",
        "instrument": "phq9",
        "item": 9,
        "response": 3,
        "date": D2,
        "entry": "E1",
        "goal": 2,
        "message": alert.message(),
        "malformed": False,
    }


def test_message_without_a_stored_answer_says_so() -> None:
    """An alert with no item-9 answer says the answer is not stored."""
    alert = RiskAlert(client="c-7", date=D2, entry="E1", goal=1, response=None)
    assert alert.message() == (
        "RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
        "on 2026-09-08 (item-9 answer not stored, entry E1, goal 1) — follow up"
    )


def test_message_of_a_malformed_phq9_says_the_answers_are_not_valid() -> None:
    """An alert from malformed answers gives the answer and says the PHQ-9 is not valid."""
    alert = RiskAlert(client="c-7", date=D2, entry="E1", goal=1, response=2, malformed=True)
    assert alert.message() == (
        "RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
        "on 2026-09-08 (answer 2, in answers that are not a valid PHQ-9, entry E1, goal 1)"
        " — follow up"
    )


def test_risk_facts_of_a_phq9_give_date_total_and_item9_answer() -> None:
    """The facts of a flagged PHQ-9: its date, its total and the item-9 answer."""
    entry = phq9("E1", D2, [1, 1, 1, 1, 1, 1, 1, 1, 2])
    assert risk_facts(entry) == "2026-09-08, total 10, item-9 answer 2"


def test_risk_facts_of_a_flag_without_answers_say_not_stored() -> None:
    """A flagged plain total has no item-9 answer: the facts say it is not stored."""
    entry = ProgressEntry(id="E1", date=D1, value=12.5, flags=[EntryFlag.RISK_ITEM9])
    assert risk_facts(entry) == "2026-09-01, total 12.5, item-9 answer not stored"


def test_unreadable_risks_skip_wellformed_flags_and_unflagged_entries() -> None:
    """A well-formed flagged PHQ-9, a clear PHQ-9 and a plain total are not listed."""
    plain = ProgressEntry(id="E3", date=D3, value=4)
    assert unreadable_risks(record([flagged("E1", D1), phq9("E2", D2, CLEAR), plain])) == []


def test_unreadable_risks_name_nine_answers_out_of_range() -> None:
    """A flagged PHQ-9 of nine answers, one out of range, is listed with its item-9 answer."""
    bad = phq9("E1", D2, [4, 0, 0, 0, 0, 0, 0, 0, 2])
    assert unreadable_risks(record([bad])) == [
        "RISK: goal 1: entry E1 (2026-09-08): PHQ-9 item 9 endorsed (answer 2) in answers "
        "that are not a valid PHQ-9 (9 answers; a PHQ-9 has 9, each 0-3); follow up, then "
        "correct the entry by hand"
    ]


def test_unreadable_risks_name_ten_answers_with_their_count() -> None:
    """A flagged PHQ-9 of ten answers is listed with the answer to item 9 and the count."""
    long = phq9("E1", D2, [0, 0, 0, 0, 0, 0, 0, 0, 3, 0])
    assert unreadable_risks(record([long])) == [
        "RISK: goal 1: entry E1 (2026-09-08): PHQ-9 item 9 endorsed (answer 3) in answers "
        "that are not a valid PHQ-9 (10 answers; a PHQ-9 has 9, each 0-3); follow up, then "
        "correct the entry by hand"
    ]


def test_unreadable_risks_name_a_flagged_phq9_of_eight_answers_as_unreadable() -> None:
    """A flagged PHQ-9 with eight answers has no item 9: listed as a flag without answers."""
    short = ProgressEntry(
        id="E1",
        date=D1,
        value=1,
        instrument="phq9",
        responses=[0] * 7 + [1],
        flags=[EntryFlag.RISK_ITEM9],
    )
    assert unreadable_risks(record([short])) == [
        "RISK: goal 1: entry E1 (2026-09-01): carries the PHQ-9 item-9 flag without readable "
        "PHQ-9 answers; follow up, then correct the entry by hand"
    ]


def test_unreadable_risks_name_a_flag_on_another_instrument_as_unreadable() -> None:
    """A flag on a nine-answer form of another instrument is not read as a PHQ-9."""
    other = ProgressEntry(
        id="E1",
        date=D1,
        value=9,
        instrument="gad7",
        responses=[1] * 9,
        flags=[EntryFlag.RISK_ITEM9],
    )
    assert unreadable_risks(record([other])) == [
        "RISK: goal 1: entry E1 (2026-09-01): carries the PHQ-9 item-9 flag without readable "
        "PHQ-9 answers; follow up, then correct the entry by hand"
    ]


def test_unreadable_risks_are_listed_by_goal_number_then_date() -> None:
    """Goals are read by number and each goal's entries by date, whatever the stored order."""

    def bare(entry_id: str, day: date) -> ProgressEntry:
        return ProgressEntry(id=entry_id, date=day, value=1, flags=[EntryFlag.RISK_ITEM9])

    stored = record([bare("E1", D1)], [bare("E3", D3), bare("E2", D2)])
    shuffled = stored.model_copy(update={"goals": stored.goals[::-1]})
    assert [": ".join(line.split(": ")[1:3]) for line in unreadable_risks(shuffled)] == [
        "goal 1: entry E1 (2026-09-01)",
        "goal 2: entry E2 (2026-09-08)",
        "goal 2: entry E3 (2026-09-15)",
    ]


def _screened(answers: list[int], *goals: list[ProgressEntry]) -> ClientRecord:
    """`record(*goals)` with one intake PHQ-9 screening (id S1, on D1)."""
    base = record(*goals)
    screening = Screening(
        id="S1", date=D1, value=sum(answers), instrument="phq9", responses=answers
    )
    base.client.screenings.append(screening)
    return base


def test_a_flagged_screening_opens_the_flag_without_a_goal() -> None:
    """An intake screening with item 9 endorsed is an open flag, named as a screening."""
    risk = open_risk(_screened([0, 0, 0, 0, 0, 0, 0, 0, 2]))
    assert risk is not None
    assert (risk.entry, risk.goal, risk.response, risk.date) == ("S1", None, 2, D1)
    assert risk.message() == (
        "RISK: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) endorsed "
        "on 2026-09-01 (answer 2, entry S1, screening) — follow up"
    )
    assert risk.as_dict()["goal"] is None


def test_a_later_goal_phq9_clears_a_screening_flag() -> None:
    """A clearing PHQ-9 on a goal after the flagged screening closes it; on the same day not."""
    assert open_risk(_screened([0, 0, 0, 0, 0, 0, 0, 0, 1], [phq9("E1", D2, CLEAR)])) is None
    same_day = open_risk(_screened([0, 0, 0, 0, 0, 0, 0, 0, 1], [phq9("E1", D1, CLEAR)]))
    assert same_day is not None and same_day.entry == "S1"


def test_a_clearing_screening_closes_an_earlier_goal_flag() -> None:
    """A clear intake PHQ-9 dated after a flagged goal entry closes that flag."""
    base = record([flagged("E1", D1)])
    base.client.screenings.append(
        Screening(id="S2", date=D2, value=8, instrument="phq9", responses=CLEAR)
    )
    assert open_risk(base) is None
