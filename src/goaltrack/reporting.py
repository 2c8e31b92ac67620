"""What a client's report tells, as plain data, for one audience (the caseload's: supervision.py).

The read model of `goaltrack report`, before any markup: the renderer (`render/report_page.py`)
only lays this out. Privacy is decided here, at the data level: the `client` audience gets no
private notes, no entry notes, no risk details and no clinician-only fields (entry ids,
priorities, rule sources) at all, so no template or stylesheet can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from goaltrack import chart_views
from goaltrack.measures import client_outcomes, instruments, safety
from goaltrack.measures.instruments import Registry
from goaltrack.measures.outcomes import DEFAULT_STALE_DAYS, GoalSummary
from goaltrack.records.asof import snapshot
from goaltrack.records.model import ClientRecord, Episode, Goal, RiskReview

#: Who a report is for: the clinician (everything), the client (plain words, nothing private),
#: a referrer (a one-page summary).
AUDIENCES = ("clinician", "client", "referrer")
CLINICIAN, CLIENT, REFERRER = AUDIENCES


@dataclass(frozen=True)
class GoalReport:
    """One goal in a report: its figures in words, its chart model and the chart's data rows."""

    number: int
    title: str
    facts: list[tuple[str, str]]  # (label, value in words), in reading order
    outlook: str
    chart: chart_views.GoalChart
    rows: list[dict[str, Any]]  # the data table under the chart (date, value, rater[, note])


@dataclass(frozen=True)
class ClientReport:
    """One client's report for one audience (plain data; see the module docstring)."""

    audience: str
    client_id: str
    name: str | None
    status: str
    since: date
    produced: date
    as_of: date
    period_from: date | None
    concerns: list[tuple[str, str]]  # (name, severity)
    approaches: list[str]
    notes: str | None  # the clinician's only
    goals: list[GoalReport]
    outcomes: list[str]
    risk_open: list[str]  # the clinician's and the referrer's only
    risk_history: list[str]  # flags raised, cleared and reviewed: the clinician's only
    preferences: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    #: concern -> goals -> objectives -> interventions (`plan`), for every audience
    plan: list[dict[str, Any]] = field(default_factory=list)
    screenings: list[str] = field(default_factory=list)  # not the client's: may hold a flag
    episodes: list[str] = field(default_factory=list)  # closed episodes: the clinician's only


def client_report(
    record: ClientRecord,
    *,
    audience: str,
    as_of: date,
    produced: date,
    since: date | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    registry: Registry | None = None,
) -> ClientReport:
    """A client's report for `audience`, as of `as_of` (entries after it are not seen); `since`
    limits the charts and data tables to entries on or after it."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    record = _as_of(snapshot(record, as_of), as_of)
    client = record.client
    clinician = audience == CLINICIAN
    goals = [
        _goal_report(goal, audience, as_of, stale_days, registry, since)
        for goal in sorted(record.goals, key=lambda g: g.number)
    ]
    alerts = safety.alerts(record)
    return ClientReport(
        audience=audience,
        client_id=client.id,
        name=client.name,
        status=client.status.value,
        since=client.since,
        produced=produced,
        as_of=as_of,
        period_from=since,
        concerns=[(c.name, c.severity.value) for c in client.concerns],
        approaches=[a.value for a in client.approaches],
        notes=client.notes if clinician else None,
        goals=goals,
        outcomes=client_outcomes.outcome_lines(record) if audience != CLIENT else [],
        risk_open=[_risk_line(alert, clinician) for alert in alerts] if audience != CLIENT else [],
        risk_history=risk_history(record) if clinician else [],
        preferences=list(client.preferences),
        strengths=list(client.strengths),
        plan=plan(record),
        screenings=screening_lines(record, registry) if audience != CLIENT else [],
        episodes=[episode_line(e) for e in client.episodes] if clinician else [],
    )


def episode_line(episode: Episode) -> str:
    """A closed episode of care for the clinician: its days, why it ended, and the discharge
    note written then (the clinician's words, so never in a client's or referrer's report)."""
    line = (
        f"Episode {episode.number}: {episode.since.isoformat()} to {episode.until.isoformat()} "
        f"({episode.reason.value})"
    )
    return f"{line}; discharge note: {episode.note}" if episode.note else line


def plan(record: ClientRecord) -> list[dict[str, Any]]:
    """The treatment plan: each concern (in the client's order) with the goals that serve it,
    each goal with its objectives and interventions; goals serving no concern come last under
    a concern of None. Concerns without a goal are listed too (a gap in the plan shows).
    Empty when no goal names a concern or has objectives or interventions (a file from
    before the plan: its goal list says it all)."""
    goals = sorted(record.goals, key=lambda g: g.number)
    if not any(g.concern or g.objectives or g.interventions for g in goals):
        return []
    known = {concern.name.casefold() for concern in record.client.concerns}
    groups: list[dict[str, Any]] = [
        {
            "concern": concern.name,
            "severity": concern.severity.value,
            "goals": [
                _plan_goal(g)
                for g in goals
                if g.concern and g.concern.casefold() == concern.name.casefold()
            ],
        }
        for concern in record.client.concerns
    ]
    loose = [_plan_goal(g) for g in goals if not g.concern or g.concern.casefold() not in known]
    if loose:
        groups.append({"concern": None, "severity": None, "goals": loose})
    return groups


def _plan_goal(goal: Goal) -> dict[str, Any]:
    return {
        "number": goal.number,
        "title": goal.title,
        "status": goal.status.value,
        "objectives": [
            {"number": o.number, "text": o.text, "status": o.status.value, "due": o.due}
            for o in goal.objectives
        ],
        "interventions": [
            {"technique": i.technique, "approach": i.approach.value if i.approach else None}
            for i in goal.interventions
        ],
    }


def screening_lines(record: ClientRecord, registry: Registry | None = None) -> list[str]:
    """The questionnaires taken without a goal (at intake), oldest first: date, measure, score
    and its band (item answers and flags are in the risk history, for the clinician)."""
    lines = []
    for screening in sorted(record.client.screenings, key=lambda s: s.date):
        key = screening.instrument or ""
        instrument = registry.get(key) if registry is not None else instruments.get(key)
        name = instrument.name if instrument else key
        band = instrument.band_for(screening.value) if instrument else None
        lines.append(
            f"{screening.date.isoformat()}: {name} {_number(screening.value)}"
            + (f" ({band})" if band else "")
        )
    return lines


def _as_of(record: ClientRecord, as_of: date) -> ClientRecord:
    """The snapshot's screenings and risk reviews too: none dated after `as_of`."""
    client = record.client.model_copy(
        update={
            "screenings": [s for s in record.client.screenings if s.date <= as_of],
            "risk_reviews": [r for r in record.client.risk_reviews if r.date <= as_of],
        }
    )
    return record.model_copy(update={"client": client})


def _goal_report(
    goal: Goal,
    audience: str,
    as_of: date,
    stale_days: int,
    registry: Registry | None,
    since: date | None,
) -> GoalReport:
    chart = chart_views.goal_chart(goal, as_of, stale_days, registry, since)
    summary = chart.summary
    measure = chart.instrument.name if chart.instrument else summary.measure
    if audience == CLIENT:
        facts = client_words(summary, measure)
    else:
        facts = clinician_words(summary, measure, full=audience == CLINICIAN)
    rows = [
        {
            "date": entry.date,
            "value": entry.value,
            "rater": entry.rater,
            **({"note": entry.note} if audience == CLINICIAN else {}),
        }
        for entry in goal.entries_in_order()
        if since is None or entry.date >= since
    ]
    return GoalReport(goal.number, goal.title, facts, summary.status_word, chart, rows)


def _number(value: float | None) -> str:
    """A value as typed: 9, 6.5."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


RELIABLE_WORDS = {
    "improved": "reliably improved (more than measurement error)",
    "deteriorated": "reliably deteriorated (more than measurement error)",
    "none": "no reliable change (within measurement error)",
    "better": "better (this measure has no reliable-change rule)",
    "worse": "worse (this measure has no reliable-change rule)",
}
CLINICAL_WORDS = {
    "recovered": "recovered: from the clinical into the non-clinical range",
    "improved": "improved, not (yet) out of the clinical range",
    "unchanged": "unchanged by the measure's rule",
    "deteriorated": "deteriorated",
    "worse": "worse by a clinically meaningful amount",
}


def clinician_words(summary: GoalSummary, measure: str | None, full: bool) -> list[tuple[str, str]]:
    """A goal's figures for a clinician or a referrer: measure, baseline, latest, target,
    change, reliable and clinically significant change, trend, outlook (`full` adds the
    rule each class was judged by, the due date and the priority-free details)."""
    better = f" ({summary.better} is better)" if summary.better else ""
    facts = [("Measure", f"{measure or 'none'}{better}")]
    facts.append(("Baseline", _number(summary.baseline)))
    latest = _number(summary.latest)
    if summary.latest_date is not None:
        latest += f" on {summary.latest_date.isoformat()}"
    facts.append(("Latest", latest))
    facts.append(("Target", _number(summary.target)))
    if summary.improvement is not None:
        direction = "better" if summary.improvement > 0 else "worse"
        amount = _number(abs(summary.improvement))
        change = f"{amount} points {direction}" if summary.improvement else "no change"
        if summary.percent_to_target is not None:
            change += f"; {summary.percent_to_target:g}% of the way to the target"
        facts.append(("Change", change))
    if summary.reliable_change:
        facts.append(("Reliable change", RELIABLE_WORDS.get(summary.reliable_change, "")))
    elif summary.meaningful_change:
        facts.append(("Meaningful change", summary.meaningful_change))
    if summary.clinical_significance:
        facts.append(
            ("Clinical significance", CLINICAL_WORDS.get(summary.clinical_significance, ""))
        )
    if summary.slope_per_week is not None:
        trend = f"{summary.slope_per_week:+.1f} points a week"
        if summary.projected_date is not None and not summary.target_reached:
            trend += f"; target around {summary.projected_date.isoformat()}"
        facts.append(("Trend", trend))
    if full and summary.due is not None:
        facts.append(("Due", summary.due.isoformat()))
    if full and summary.rule:
        facts.append(("Judged by", summary.rule))
    facts.append(("Outlook", summary.status_word))
    return facts


def client_words(summary: GoalSummary, measure: str | None) -> list[tuple[str, str]]:
    """A goal's figures for the client: plain words, no rules, no clinical labels."""
    facts = []
    if measure:
        way = {"lower": "lower scores are better", "higher": "higher scores are better"}
        facts.append(("How we measure it", f"{measure}" + (f"; {way[summary.better]}"
                      if summary.better in way else "")))  # fmt: skip
    if summary.baseline is not None and summary.latest is not None:
        facts.append(
            ("Where you started and are now", f"{_number(summary.baseline)} → "
             f"{_number(summary.latest)}")
        )  # fmt: skip
    if summary.target is not None:
        facts.append(("What we aim for", _number(summary.target)))
    if summary.reliable_change == "improved" or summary.clinical_significance == "recovered":
        facts.append(("What it means", "a real improvement, bigger than everyday ups and downs"))
    elif summary.reliable_change == "deteriorated":
        facts.append(("What it means", "things have got harder; let's talk about it together"))
    elif summary.target_reached:
        facts.append(("What it means", "you have reached what we aimed for"))
    elif summary.improvement is not None and summary.improvement > 0:
        facts.append(("What it means", "moving the right way"))
    return facts


def _risk_line(alert: safety.RiskAlert, clinician: bool) -> str:
    """An open item-9 flag: the full message for the clinician; for a referrer the fact and
    the date only (no answers, no entry ids)."""
    if clinician:
        return alert.message()
    return (
        f"Open safety flag: PHQ-9 item 9 (thoughts of death or self-harm) endorsed on "
        f"{alert.date.isoformat()}; being followed up by the treating clinician."
    )


def risk_history(record: ClientRecord) -> list[str]:
    """Every PHQ-9 item-9 flag the client's entries and screenings raised, oldest first: open
    or cleared by a later PHQ-9, and each risk review that covers it; then each risk review
    that found no open flag, which is a clinical record too (the clinician's only)."""
    entries = [(entry, f"goal {goal.number}") for goal in record.goals for entry in goal.progress]
    entries += [(screening, "screening") for screening in record.client.screenings]
    raised = sorted(
        ((entry.date, where, entry) for entry, where in entries if safety.raises_flag(entry)),
        key=lambda item: (item[0], item[1]),
    )
    clears = sorted(entry.date for entry, _ in entries if safety.clears_flag(entry))
    lines = []
    for day, where, entry in raised:
        cleared = next((d for d in clears if d > day), None)
        state = f"cleared by a PHQ-9 on {cleared.isoformat()}" if cleared else "not cleared"
        reviews = [
            f"reviewed {_review_words(review)}"
            for review in sorted(record.client.risk_reviews, key=lambda r: r.date)
            if entry.id in review.covers
        ]
        lines.append(f"{safety.risk_facts(entry)} ({where}): {'; '.join([state, *reviews])}")
    lines += [
        f"risk review {_review_words(review)}; it found no open item-9 flag"
        for review in sorted(record.client.risk_reviews, key=lambda r: r.date)
        if not review.covers
    ]
    return lines


def _review_words(review: RiskReview) -> str:
    """A risk review as 'DATE by WHO: OUTCOME (NOTE)', for the clinician's risk history."""
    return (
        review.date.isoformat()
        + (f" by {review.by}" if review.by else "")
        + f": {review.outcome.value}"
        + (f" ({review.note})" if review.note else "")
    )
