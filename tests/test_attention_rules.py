"""The attention rules (measures/attention.py) over derived facts: each rule at its boundary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from goaltrack.measures import instruments
from goaltrack.measures.attention import (
    EXIT_NOTHING,
    EXIT_SOMETHING,
    EXIT_URGENT,
    Flag,
    Reason,
    client_flags,
    conflict_flag,
    exit_status,
    goal_flags,
    interval_days,
    next_measure_due,
    ordered,
    seen_points,
    summary,
)

TODAY = date(2026, 11, 20)


def day(offset: int) -> str:
    """The ISO date `offset` days before TODAY."""
    return (TODAY - timedelta(days=offset)).isoformat()


def goal(**fields: Any) -> dict[str, Any]:
    """Per-goal facts as the index holds them: an active PHQ-9 goal made 60 days ago."""
    base: dict[str, Any] = {
        "number": 1,
        "title": "Mood",
        "kind": "symptom-reduction",
        "status": "active",
        "measure": "phq9",
        "baseline": 15,
        "target": 5,
        "due": None,
        "priority": "medium",
        "created": day(60),
        "every": None,
        "episode": 1,
        "concern": None,
        "entries": 0,
        "points": [],
    }
    base.update(fields)
    return base


def points(*pairs: tuple[int, float]) -> list[list[Any]]:
    """[date, value, instrument] points, `pairs` as (days ago, value)."""
    return [[day(ago), value, None] for ago, value in pairs]


def reasons(found: list[Flag]) -> list[tuple[int | None, str]]:
    return [(flag.goal, flag.reason.value) for flag in found]


def flags_of(facts: dict[str, Any]) -> list[Flag]:
    measure = facts["measure"]
    return goal_flags("c-1", facts, instruments.get(measure) if measure else None, TODAY, 28)


def client(**fields: Any) -> dict[str, Any]:
    """A client's facts as the index holds them: active, since 60 days ago, no concerns."""
    base: dict[str, Any] = {
        "id": "c-1",
        "status": "active",
        "created": day(60),
        "since": day(60),
        "episode": 1,
        "concerns": [],
        "risk_item9": None,
    }
    base.update(fields)
    return base


def client_reasons(facts: dict[str, Any], goals: list[dict[str, Any]]) -> list[Any]:
    return reasons(client_flags(facts, goals, instruments.get, TODAY, 28))


# ---- goal rules ----------------------------------------------------------------------------


def test_a_measured_goal_on_course_needs_nothing() -> None:
    """Measured 3 days ago, improving, no due date: no reason."""
    assert flags_of(goal(points=points((30, 15), (3, 12)))) == []


@pytest.mark.parametrize("status", ["paused", "achieved", "dropped"])
def test_only_active_goals_are_judged(status: str) -> None:
    """A paused, achieved or dropped goal gives no reason, however stale."""
    assert flags_of(goal(status=status, points=points((90, 25)))) == []


@pytest.mark.parametrize(("latest", "listed"), [(21, True), (20, False)])
def test_deterioration_needs_a_reliable_change(latest: int, listed: bool) -> None:
    """PHQ-9 15 -> 21 (6 points, IAPT) is reliable deterioration; 15 -> 20 is not."""
    found = flags_of(goal(points=points((3, latest))))
    assert (found[0].reason is Reason.DETERIORATED if found else False) is listed
    if listed:
        assert found[0].since == TODAY - timedelta(days=3)
        assert found[0].detail == (
            f"goal 1 (Mood): phq9 15 -> {latest} on {day(3)}, a reliable deterioration"
        )


def test_deterioration_is_judged_from_the_first_value_without_a_baseline() -> None:
    """No baseline: the first value is the baseline (8 -> 14, 6 points)."""
    assert reasons(flags_of(goal(baseline=None, points=points((10, 8), (3, 14))))) == [
        (1, "deteriorated")
    ]


def test_overdue_starts_the_day_after_the_due_date() -> None:
    """Due today: not overdue; due yesterday: overdue since today."""
    measured = points((3, 12))
    assert Reason.OVERDUE not in [f.reason for f in flags_of(goal(due=day(0), points=measured))]
    [late] = flags_of(goal(due=day(1), points=measured))
    assert (late.reason, late.since) == (Reason.OVERDUE, TODAY)
    assert late.detail == f"goal 1 (Mood): due {day(1)}, target 5 not reached (latest 12)"


def test_a_reached_target_is_never_overdue() -> None:
    """Latest 5 with target 5 (lower is better), due passed: nothing."""
    assert flags_of(goal(due=day(10), points=points((3, 5)))) == []


def test_off_track_when_the_trend_misses_the_due_date() -> None:
    """20, 19, 18 over six weeks toward 5 due in 41 days: off track, with the projected day."""
    facts = goal(baseline=20, due=day(-41), points=points((50, 20), (29, 19), (8, 18)))
    [late] = flags_of(facts)
    assert (late.reason, late.since) == (Reason.OFF_TRACK, TODAY)
    assert late.detail.startswith("goal 1 (Mood): projected to reach the target on ")
    assert late.detail.endswith(f", after {day(-41)} (target 5)")


def test_a_trend_heading_away_is_off_track() -> None:
    """Rising values on a lower-is-better goal with a due date: off track."""
    facts = goal(baseline=12, due=day(-30), points=points((40, 12), (20, 13), (5, 14)))
    assert reasons(flags_of(facts)) == [(1, "off-track")]
    assert "does not reach the target by the due date" in flags_of(facts)[0].detail


def test_on_track_trend_is_not_listed() -> None:
    """20, 17, 14, 11 two weeks apart toward 5, due in 100 days: nothing."""
    facts = goal(
        baseline=20, due=day(-100), every="2w",
        points=points((50, 20), (36, 17), (22, 14), (8, 11)),
    )  # fmt: skip
    assert flags_of(facts) == []


def test_no_verdict_from_too_few_dates() -> None:
    """Two entries cannot carry an off-track verdict."""
    facts = goal(baseline=20, due=day(-30), points=points((20, 20), (5, 19)))
    assert flags_of(facts) == []


@pytest.mark.parametrize(("ago", "expected"), [(6, []), (7, [(1, "measure-due")])])
def test_measure_due_by_the_schedule(ago: int, expected: list[Any]) -> None:
    """Weekly: measured 6 days ago nothing is due; 7 days ago a measure is due today."""
    found = flags_of(goal(every="1w", points=points((ago, 12))))
    assert reasons(found) == expected
    if found:
        assert found[0].next_measure_due == TODAY
        assert found[0].detail == f"goal 1 (Mood): phq9 due {day(0)} (every 1w)"


@pytest.mark.parametrize(("ago", "expected"), [(14, "measure-due"), (15, "stale")])
def test_stale_with_a_schedule_after_two_intervals(ago: int, expected: str) -> None:
    """Weekly: 14 days without a measure is due, 15 is stale (since the 15th day)."""
    [found] = flags_of(goal(every="1w", points=points((ago, 12))))
    assert found.reason.value == expected
    if expected == "stale":
        assert found.since == TODAY
        assert found.detail == (
            f"goal 1 (Mood): no entry since {day(15)} (15 days; rule: schedule 1w)"
        )


@pytest.mark.parametrize(("ago", "listed"), [(28, False), (29, True)])
def test_stale_without_a_schedule_after_stale_days(ago: int, listed: bool) -> None:
    """No schedule: stale after more than 28 days."""
    assert (reasons(flags_of(goal(points=points((ago, 12))))) == [(1, "stale")]) is listed


def test_a_new_scheduled_goal_needs_its_baseline_at_once() -> None:
    """No entry yet, a schedule: the measure is due the day the goal was made."""
    [found] = flags_of(goal(every="2w", created=day(3)))
    assert (found.reason, found.since, found.next_measure_due) == (
        Reason.MEASURE_DUE,
        TODAY - timedelta(days=3),
        TODAY - timedelta(days=3),
    )


def test_a_goal_without_entries_is_stale_from_its_creation() -> None:
    """Made 29 days ago, never measured: stale, 'since it was made'."""
    [found] = flags_of(goal(created=day(29)))
    assert found.detail == "goal 1 (Mood): no entry since it was made (29 days; rule: 28 days)"


def test_a_goal_without_a_measure() -> None:
    """No measure: goal-without-measure, since the goal was made."""
    [found] = flags_of(goal(measure=None, points=points((2, 3))))
    assert (found.reason, found.since) == (Reason.GOAL_WITHOUT_MEASURE, TODAY - timedelta(60))


def test_gas_goal_without_target_aims_at_level_zero() -> None:
    """A GAS goal at +1 with no target has reached level 0: not overdue."""
    assert flags_of(goal(measure="gas", target=None, due=day(5), points=points((2, 1)))) == []
    assert reasons(
        flags_of(goal(measure="gas", target=None, due=day(5), points=points((2, -1))))
    ) == [(1, "overdue")]


def test_points_after_the_as_of_date_are_not_counted() -> None:
    """An entry dated after TODAY is outside the snapshot."""
    facts = goal(points=points((40, 12), (-3, 12)))
    assert seen_points(facts, TODAY) == [[day(40), 12, None]]
    assert reasons(flags_of(facts)) == [(1, "stale")]


def test_schedules() -> None:
    """session counts as 7 days; Nw as 7N; Nd as N; none without a schedule."""
    assert [interval_days(e) for e in ("session", "2w", "10d")] == [7, 14, 10]
    assert next_measure_due(None, TODAY, TODAY) is None
    assert next_measure_due("session", TODAY, TODAY) == TODAY + timedelta(days=7)


# ---- client rules --------------------------------------------------------------------------


RISK = {"date": day(4), "entry": "E1", "goal": 1, "response": 2}


@pytest.mark.parametrize("status", ["active", "paused", "discharged"])
def test_an_open_risk_flag_is_listed_whatever_the_status(status: str) -> None:
    """risk-item9 for any client status; nothing else for a paused or discharged client."""
    facts = client(status=status, risk_item9=RISK)
    found = client_flags(facts, [goal(points=points((90, 12)))], instruments.get, TODAY, 28)
    assert found[0].reason is Reason.RISK_ITEM9 and found[0].urgent
    assert found[0].detail == (
        f"PHQ-9 item 9 endorsed on {day(4)} (answer 2, entry E1) and no risk review since: "
        "follow up, then `goaltrack risk-review c-1`"
    )
    assert len(found) == (1 if status != "active" else 2)


def test_no_contact_stands_for_stale_and_due_goals() -> None:
    """No entry on any goal for 29 days: one no-contact row, no stale rows under it."""
    goals = [goal(points=points((29, 12))), goal(number=2, every="1w", points=points((40, 3)))]
    assert client_reasons(client(), goals) == [(None, "no-contact")]


def test_no_contact_boundary() -> None:
    """28 days since the last entry on any goal is still contact."""
    assert client_reasons(client(), [goal(points=points((28, 12)))]) == []


def test_a_client_without_entries_counts_from_the_episode_start() -> None:
    """No goals, since 29 days: no-contact, since the 29th day."""
    [found] = client_flags(client(since=day(29)), [], instruments.get, TODAY, 28)
    assert (found.reason, found.since) == (Reason.NO_CONTACT, TODAY)
    assert found.detail == "no entry on any goal (29 days; rule: 28 days)"


def test_goals_of_another_episode_are_left_out() -> None:
    """A stale goal of episode 1 is not judged in episode 2."""
    old = goal(episode=1, points=points((40, 12)))
    now = goal(number=2, episode=2, points=points((3, 12)))
    assert client_reasons(client(episode=2), [old, now]) == []


CONCERNS = [{"name": "Sleep", "severity": "severe"}, {"name": "Mood", "severity": "mild"}]


def test_concerns_without_any_active_goal() -> None:
    """Concerns and no active goal: each concern is listed."""
    assert client_reasons(client(concerns=CONCERNS, since=day(3)), []) == [
        (None, "concern-without-goal"),
        (None, "concern-without-goal"),
    ]


def test_a_concern_no_linked_goal_serves() -> None:
    """Goals name the concerns they serve: only the concern no goal names is listed."""
    served = goal(concern="sleep", points=points((3, 12)))
    [found] = client_flags(client(concerns=CONCERNS), [served], instruments.get, TODAY, 28)
    assert found.detail == "concern Mood (mild) has no active goal"


def test_unlinked_goals_leave_concerns_alone() -> None:
    """Goals made before concerns were linked: nothing to compare, nothing listed."""
    assert client_reasons(client(concerns=CONCERNS), [goal(points=points((3, 12)))]) == []


# ---- order and exit status -----------------------------------------------------------------


def _flag(client_id: str, goal_number: int | None, reason: Reason) -> Flag:
    return Flag(client_id, goal_number, reason, TODAY, "")


def test_order_is_reason_then_client_then_goal() -> None:
    """Worst reason first; then client id; then goal number (client rows first)."""
    found = ordered(
        [
            _flag("c-2", 1, Reason.STALE),
            _flag("c-1", 2, Reason.STALE),
            _flag("c-1", None, Reason.STALE),
            _flag("c-9", 1, Reason.RISK_ITEM9),
            _flag("c-1", 1, Reason.OVERDUE),
        ]
    )
    assert [(f.client, f.goal, f.reason.value) for f in found] == [
        ("c-9", 1, "risk-item9"),
        ("c-1", 1, "overdue"),
        ("c-1", None, "stale"),
        ("c-1", 2, "stale"),
        ("c-2", 1, "stale"),
    ]


def test_a_sync_conflict_ranks_after_a_risk_flag_and_before_deterioration() -> None:
    """The contested record comes right after safety, before the rows judged from it."""
    found = ordered(
        [
            _flag("c-1", 1, Reason.DETERIORATED),
            _flag("c-2", None, Reason.SYNC_CONFLICT),
            _flag("c-3", 1, Reason.RISK_ITEM9),
        ]
    )
    assert [f.reason.value for f in found] == ["risk-item9", "sync-conflict", "deteriorated"]


def test_the_sync_conflict_row_exactly() -> None:
    """One client row, not urgent: the count of fields and how to settle them."""
    found = conflict_flag("c-1", TODAY, 1, False)
    assert (found.goal, found.urgent, found.since, found.next_measure_due) == (
        None,
        False,
        TODAY,
        None,
    )
    assert found.detail == (
        "1 field changed differently on two machines; this machine's value is kept: "
        "`goaltrack show c-1` names them, `goaltrack resolve c-1 --take ours|theirs|VALUE` "
        "settles them"
    )
    assert exit_status([found]) == EXIT_SOMETHING


SETTLE = (
    ": `goaltrack show c-1` names them, `goaltrack resolve c-1 --take ours|theirs|VALUE` "
    "settles them"
)


@pytest.mark.parametrize(
    ("fields", "whole_file", "said"),
    [
        (2, False, "2 fields changed differently on two machines; this machine's value is kept"),
        (
            2,
            True,
            "a sync merge could not combine the two machines' changes (the whole file); "
            "this machine's file is kept",
        ),
        (
            None,
            False,
            "sync conflicts were recorded but their file cannot be read (`goaltrack check`)",
        ),
    ],
)
def test_the_sync_conflict_detail_of_each_case(
    fields: int | None, whole_file: bool, said: str
) -> None:
    """Several fields, a whole file, an unreadable conflicts file: each said exactly."""
    found = conflict_flag("c-1", TODAY, fields, whole_file)
    assert (found.client, found.reason, found.detail) == (
        "c-1",
        Reason.SYNC_CONFLICT,
        said + SETTLE,
    )


def test_exit_status() -> None:
    """0 for nothing, 1 for something, 4 when a flag is urgent."""
    assert exit_status([]) == EXIT_NOTHING == 0
    assert exit_status([_flag("c-1", 1, Reason.DETERIORATED)]) == EXIT_SOMETHING == 1
    urgent = [_flag("c-1", 1, Reason.STALE), _flag("c-1", 1, Reason.RISK_ITEM9)]
    assert exit_status(urgent) == EXIT_URGENT == 4


def test_summary_counts_and_worst() -> None:
    """The count of rows and the worst reason; none for no rows."""
    assert summary([]) == {"attention": 0, "attention_worst": None}
    found = [_flag("c-1", 1, Reason.STALE), _flag("c-1", 2, Reason.OVERDUE)]
    assert summary(found) == {"attention": 2, "attention_worst": "overdue"}


def test_row_as_dict() -> None:
    """The JSON row: its fields in the documented order."""
    row = Flag("c-1", 2, Reason.MEASURE_DUE, TODAY, "d", TODAY).as_dict()
    assert list(row) == [
        "client", "goal", "reason", "urgent", "since", "detail", "next_measure_due",
    ]  # fmt: skip
    assert (row["urgent"], row["next_measure_due"]) == (False, TODAY)


# ---- details and fields, exactly ----------------------------------------------------------


def test_an_entry_on_the_as_of_day_is_counted() -> None:
    """Points dated on the as-of day are in the snapshot; later ones are not."""
    facts = goal(points=points((3, 12), (0, 11), (-1, 10), (-2, 9)))
    assert seen_points(facts, TODAY) == [[day(3), 12, None], [day(0), 11, None]]


def test_without_baseline_or_entries_nothing_is_judged_but_staleness() -> None:
    """No baseline and no entry: no deterioration (no crash); stale from the goal's creation."""
    assert reasons(flags_of(goal(baseline=None, created=day(29)))) == [(1, "stale")]


def test_a_gas_goal_with_a_target_keeps_it() -> None:
    """A GAS goal aiming at +2 with the latest at +1 and its due date passed: overdue."""
    facts = goal(measure="gas", baseline=-1, target=2, due=day(5), points=points((2, 1)))
    assert reasons(flags_of(facts)) == [(1, "overdue")]


def test_a_goal_without_a_measure_infers_its_direction() -> None:
    """No instrument: baseline 2 -> target 8 means higher is better; 8 reached, not overdue."""
    facts = goal(measure=None, baseline=2, target=8, due=day(5), points=points((2, 8)))
    assert reasons(flags_of(facts)) == [(1, "goal-without-measure")]
    [found] = flags_of(facts)
    assert found == Flag(
        "c-1",
        1,
        Reason.GOAL_WITHOUT_MEASURE,
        TODAY - timedelta(days=60),
        "goal 1 (Mood): no measure says how it is judged",
    )


def test_an_unmeasured_goal_with_a_schedule_says_a_measure_is_due() -> None:
    """No measure, weekly: 'a measure due'."""
    found = flags_of(goal(measure=None, every="1w", points=points((8, 3))))
    assert found[0].detail == f"goal 1 (Mood): a measure due {day(1)} (every 1w)"


def test_overdue_without_a_target_says_none() -> None:
    """No target, due date passed: overdue, 'target none'."""
    [found] = flags_of(goal(target=None, due=day(2), points=points((1, 9))))
    assert found.detail == f"goal 1 (Mood): due {day(2)}, target none not reached (latest 9)"


def test_a_stale_row_carries_the_next_measure_due() -> None:
    """A stale scheduled goal: its row says when the measure fell due."""
    [found] = flags_of(goal(every="1w", points=points((20, 12))))
    assert found == Flag(
        "c-1",
        1,
        Reason.STALE,
        TODAY - timedelta(days=5),
        f"goal 1 (Mood): no entry since {day(20)} (20 days; rule: schedule 1w)",
        TODAY - timedelta(days=13),
    )


def test_off_track_judged_against_the_as_of_day() -> None:
    """A line that met the target before the as-of day, the value not: no projection."""
    facts = goal(baseline=20, due=day(-60), points=points((200, 20), (190, 10), (180, 12)))
    assert Reason.OFF_TRACK not in [f.reason for f in flags_of(facts)]


def test_the_risk_row_exactly() -> None:
    """The risk row names the client, the flagged goal and the flag's date."""
    facts = client(risk_item9={**RISK, "response": None})
    [found] = client_flags(facts, [goal(points=points((3, 12)))], instruments.get, TODAY, 28)
    assert found == Flag(
        "c-1",
        1,
        Reason.RISK_ITEM9,
        TODAY - timedelta(days=4),
        f"PHQ-9 item 9 endorsed on {day(4)} (answer not stored, entry E1) and no risk review "
        "since: follow up, then `goaltrack risk-review c-1`",
    )


def test_client_rules_use_each_goals_instrument() -> None:
    """Through client_flags, a PHQ-9 15 -> 21 is a reliable deterioration of goal 2."""
    goals = [goal(points=points((3, 12))), goal(number=2, points=points((3, 21)))]
    found = client_flags(client(), goals, instruments.get, TODAY, 28)
    assert [(f.client, f.goal, f.reason) for f in found] == [("c-1", 2, Reason.DETERIORATED)]


def test_the_no_contact_row_exactly() -> None:
    """The no-contact row: the client, no goal, since the 29th day, the last entry named."""
    [found] = client_flags(client(), [goal(points=points((30, 12)))], instruments.get, TODAY, 28)
    assert found == Flag(
        "c-1",
        None,
        Reason.NO_CONTACT,
        TODAY - timedelta(days=1),
        f"no entry on any goal since {day(30)} (30 days; rule: 28 days)",
    )


def test_the_concern_row_exactly() -> None:
    """The concern row: the client, no goal, since the episode's start."""
    facts = client(concerns=CONCERNS[:1], since=day(3), created=day(90))
    assert client_flags(facts, [], instruments.get, TODAY, 28) == [
        Flag(
            "c-1",
            None,
            Reason.CONCERN_WITHOUT_GOAL,
            TODAY - timedelta(days=3),
            "concern Sleep (severe) has no active goal",
        )
    ]


def test_a_client_row_sorts_before_goal_one() -> None:
    """Same reason and client: the row without a goal comes first, whatever the input order."""
    found = ordered([_flag("c-1", 1, Reason.STALE), _flag("c-1", None, Reason.STALE)])
    assert [f.goal for f in found] == [None, 1]
