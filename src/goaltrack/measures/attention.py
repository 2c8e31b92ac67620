"""Who needs the clinician today: the attention rules, pure functions over derived facts.

The rules read a client's derived facts and per-goal facts (storage/facts.py: the rows of
the caseload index, or the same facts derived from a record), the goal's instrument and the
as-of date. No I/O and no clock: the same rules answer `attention` from the index and `show`
from a file. Each rule is written out in docs/attention.md; the order of `Reason` is the
order of the list, worst first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from goaltrack.measures.change import Movement, better_direction, reliable_change
from goaltrack.measures.instruments import Instrument
from goaltrack.measures.outcomes import (
    GAS_DEFAULT_TARGET,
    is_overdue,
    on_track,
    target_reached,
)
from goaltrack.measures.trend import fit_trend, line_behind_data, projected_date, supports_verdict
from goaltrack.records.convert import schedule_days
from goaltrack.records.enums import GAS_KEY, AttentionReason

#: The version of the JSON contract of `attention` (fields may be added, never renamed).
FORMAT_VERSION = 1
#: A goal measured "every session" counts as measured weekly for its due dates.
SESSION_DAYS = 7
#: With a schedule, a goal is stale once this many intervals passed without a measure.
STALE_INTERVALS = 2

#: `attention --exit-status`: nothing to attend to, something, something urgent.
EXIT_NOTHING = 0
EXIT_SOMETHING = 1
EXIT_URGENT = 4


Reason = AttentionReason
RANK = {reason: rank for rank, reason in enumerate(Reason)}
#: Reasons that make `--exit-status` 4: an open, unreviewed safety flag.
URGENT = frozenset({Reason.RISK_ITEM9})

Number = int | float


@dataclass(frozen=True)
class Flag:
    """One row of the attention list: a client (and goal) and why it needs attention."""

    client: str
    goal: int | None  # None for a reason about the client as a whole
    reason: Reason
    since: date  # the day the reason began (a flag's date, the day a measure fell due, ...)
    detail: str  # plain words; never a note's text
    next_measure_due: date | None = None

    @property
    def urgent(self) -> bool:
        """True for a reason that makes `--exit-status` 4."""
        return self.reason in URGENT

    def key(self) -> tuple[int, str, int]:
        """The sort key: reason (worst first), then client id, then goal number."""
        return (RANK[self.reason], self.client, self.goal or 0)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the machine formats (a stable contract: fields are only added)."""
        return {
            "client": self.client,
            "goal": self.goal,
            "reason": self.reason.value,
            "urgent": self.urgent,
            "since": self.since,
            "detail": self.detail,
            "next_measure_due": self.next_measure_due,
        }


def interval_days(every: str) -> int:
    """The days between measures a schedule asks for (`session` counts as SESSION_DAYS)."""
    return schedule_days(every) or SESSION_DAYS


def next_measure_due(every: str | None, last: date | None, created: date) -> date | None:
    """When the goal's next measure is due by its schedule: one interval after the last
    entry; on the day the goal was made while it has none (a baseline is due at once).
    None without a schedule."""
    if every is None:
        return None
    if last is None:
        return created
    return last + timedelta(days=interval_days(every))


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _fmt(value: Number | None) -> str:
    return "none" if value is None else f"{value:g}"


def seen_points(goal: dict[str, Any], as_of: date) -> list[list[Any]]:
    """The goal's [date, value, instrument] points dated on or before `as_of` (a snapshot)."""
    iso = as_of.isoformat()
    points: list[list[Any]] = goal["points"]
    count = len(points)
    while count and points[count - 1][0] > iso:
        count -= 1
    return points[:count]


def goal_flags(
    client_id: str,
    goal: dict[str, Any],
    instrument: Instrument | None,
    as_of: date,
    stale_days: int,
) -> list[Flag]:
    """The reasons an active goal needs attention (none for a paused, achieved or dropped
    goal): deteriorated, off-track, overdue, measure-due, stale, goal-without-measure."""
    if goal["status"] != "active":
        return []
    number, title = goal["number"], goal["title"]
    name = f"goal {number} ({title})"
    created = date.fromisoformat(goal["created"])
    points = seen_points(goal, as_of)
    flags: list[Flag] = []

    def flag(reason: Reason, since: date, detail: str, due: date | None = None) -> None:
        flags.append(Flag(client_id, number, reason, since, detail, due))

    latest: Number | None = points[-1][1] if points else None
    last_day = _day(points[-1][0]) if points else None
    baseline = (
        goal["baseline"] if goal["baseline"] is not None else (points[0][1] if points else None)
    )
    target = goal["target"]
    if target is None and goal["measure"] == GAS_KEY:
        target = GAS_DEFAULT_TARGET
    direction = better_direction(instrument, baseline, target)
    if reliable_change(baseline, latest, instrument) is Movement.DETERIORATED:
        assert last_day is not None
        flag(
            Reason.DETERIORATED,
            last_day,
            f"{name}: {goal['measure']} {_fmt(baseline)} -> {_fmt(latest)} on "
            f"{last_day.isoformat()}, a reliable deterioration",
        )
    reached = target_reached(latest, target, direction)
    due = _day(goal["due"])
    overdue = is_overdue(due, reached, as_of)
    every = goal["every"]
    next_due = next_measure_due(every, last_day, created)
    start = last_day or created
    waited = (as_of - start).days
    limit = STALE_INTERVALS * interval_days(every) if every is not None else stale_days
    stale = waited > limit
    if due is not None and target is not None and not (overdue or stale or reached):
        verdict = _off_track(points, due, target, latest, as_of)
        if verdict is not None:
            flag(Reason.OFF_TRACK, as_of, f"{name}: {verdict} (target {_fmt(target)})")
    if overdue:
        assert due is not None
        flag(
            Reason.OVERDUE,
            due + timedelta(days=1),
            f"{name}: due {due.isoformat()}, target {_fmt(target)} not reached "
            f"(latest {_fmt(latest)})",
        )
    if stale:
        rule = f"schedule {every}" if every is not None else f"{stale_days} days"
        since = "since it was made" if last_day is None else f"since {last_day.isoformat()}"
        flag(
            Reason.STALE,
            start + timedelta(days=limit + 1),
            f"{name}: no entry {since} ({waited} days; rule: {rule})",
            next_due,
        )
    elif next_due is not None and as_of >= next_due:
        flag(
            Reason.MEASURE_DUE,
            next_due,
            f"{name}: {goal['measure'] or 'a measure'} due {next_due.isoformat()} (every {every})",
            next_due,
        )
    if goal["measure"] is None:
        flag(Reason.GOAL_WITHOUT_MEASURE, created, f"{name}: no measure says how it is judged")
    return flags


def _off_track(
    points: list[list[Any]], due: date, target: Number, latest: Number | None, as_of: date
) -> str | None:
    """Why the trend misses the due date, or None when it does not (or cannot tell)."""
    if latest is None:
        return None
    series = [(date.fromisoformat(point[0]), point[1]) for point in points]
    if not supports_verdict(series):
        return None
    trend = fit_trend(series)
    if trend is None or line_behind_data(trend, target, latest, as_of):
        return None
    projected = projected_date(trend, target, latest, as_of)
    if on_track(due, False, trend, projected) is not False:
        return None
    if projected is None:
        return f"the trend does not reach the target by the due date {due.isoformat()}"
    return f"projected to reach the target on {projected.isoformat()}, after {due.isoformat()}"


def client_flags(
    facts: dict[str, Any],
    goals: list[dict[str, Any]],
    instrument_for: Callable[[str], Instrument | None],
    as_of: date,
    stale_days: int,
) -> list[Flag]:
    """Every reason a client (and its goals of the current episode) needs attention.

    An open item-9 flag counts whatever the client's status; the other reasons only for an
    active client. `no-contact` stands for the client's stale and due goals (they are not
    listed again under it).
    """
    client_id = facts["id"]
    flags: list[Flag] = []
    risk = facts["risk_item9"]
    if risk is not None:
        answer = "not stored" if risk["response"] is None else str(risk["response"])
        flags.append(
            Flag(
                client_id,
                risk["goal"],
                Reason.RISK_ITEM9,
                date.fromisoformat(risk["date"]),
                f"PHQ-9 item 9 endorsed on {risk['date']} (answer {answer}, entry "
                f"{risk['entry']}) and no risk review since: follow up, then "
                f"`goaltrack risk-review {client_id}`",
            )
        )
    if facts["status"] != "active":
        return flags
    current = [goal for goal in goals if goal["episode"] == facts["episode"]]
    per_goal: list[Flag] = []
    for goal in current:
        instrument = instrument_for(goal["measure"]) if goal["measure"] else None
        per_goal.extend(goal_flags(client_id, goal, instrument, as_of, stale_days))
    last = max(
        (points[-1][0] for goal in current if (points := seen_points(goal, as_of))),
        default=None,
    )
    start = _day(last) or date.fromisoformat(facts["since"])
    waited = (as_of - start).days
    if waited > stale_days:
        said = "no entry on any goal" + ("" if last is None else f" since {last}")
        flags.append(
            Flag(
                client_id,
                None,
                Reason.NO_CONTACT,
                start + timedelta(days=stale_days + 1),
                f"{said} ({waited} days; rule: {stale_days} days)",
            )
        )
        quiet = (Reason.STALE, Reason.MEASURE_DUE)
        per_goal = [flag for flag in per_goal if flag.reason not in quiet]
    flags.extend(per_goal)
    flags.extend(_unserved_concerns(facts, current))
    return flags


def _unserved_concerns(facts: dict[str, Any], goals: list[dict[str, Any]]) -> list[Flag]:
    """A concern no active goal serves: when the client has no active goal at all, or its
    goals name the concerns they serve (schema 2) and none names this one."""
    active = [goal for goal in goals if goal["status"] == "active"]
    linked = {goal["concern"].casefold() for goal in active if goal["concern"]}
    if active and not linked:
        return []  # goals made before concerns were linked: nothing to compare
    start = date.fromisoformat(facts["since"])
    return [
        Flag(
            facts["id"],
            None,
            Reason.CONCERN_WITHOUT_GOAL,
            start,
            f"concern {concern['name']} ({concern['severity']}) has no active goal",
        )
        for concern in facts["concerns"]
        if concern["name"].casefold() not in linked
    ]


def conflict_flag(client_id: str, since: date, fields: int | None, whole_file: bool) -> Flag:
    """The `sync-conflict` row of a client whose file a sync merge could not settle: how many
    fields (`fields`; None when the conflicts file cannot be read), never which values.

    One row per client, about the client as a whole: this machine's values are in the file
    until `goaltrack resolve` settles them, so every other row of the client may rest on a
    value the other machine changed.
    """
    if fields is None:
        what = "sync conflicts were recorded but their file cannot be read (`goaltrack check`)"
    elif whole_file:
        what = (
            "a sync merge could not combine the two machines' changes (the whole file); "
            "this machine's file is kept"
        )
    else:
        what = (
            f"{fields} field{'s' if fields != 1 else ''} changed differently on two machines; "
            "this machine's value is kept"
        )
    return Flag(
        client_id,
        None,
        Reason.SYNC_CONFLICT,
        since,
        f"{what}: `goaltrack show {client_id}` names them, "
        f"`goaltrack resolve {client_id} --take ours|theirs|VALUE` settles them",
    )


def ordered(flags: Iterable[Flag]) -> list[Flag]:
    """The flags worst first: by reason, then client id, then goal number."""
    return sorted(flags, key=Flag.key)


def exit_status(flags: Iterable[Flag]) -> int:
    """`--exit-status`: 4 when any flag is urgent, 1 when there is any, else 0."""
    found = list(flags)
    if any(flag.urgent for flag in found):
        return EXIT_URGENT
    return EXIT_SOMETHING if found else EXIT_NOTHING


def summary(flags: list[Flag]) -> dict[str, Any]:
    """A client's attention in two fields for `clients`: how many rows, and the worst reason."""
    worst = min(flags, key=Flag.key) if flags else None
    return {
        "attention": len(flags),
        "attention_worst": None if worst is None else worst.reason.value,
    }
