"""The supervision page's read model: outcome statistics over the caseload, per approach.

Plain data for `goaltrack report --caseload` (laid out by `render/report_page.py`): how many
clients improved, recovered, deteriorated or had no reliable change, the median weeks in
treatment, the open risk flags, and a hook for the attention list (issue 12).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from goaltrack import views
from goaltrack.measures import client_outcomes, safety
from goaltrack.measures.instruments import Registry
from goaltrack.records.asof import snapshot
from goaltrack.records.model import ClientRecord


@dataclass(frozen=True)
class OutcomeCounts:
    """Outcome statistics of a group of clients (the whole caseload, or one approach)."""

    label: str
    clients: int
    measured: int  # clients judged by a change rule (IAPT pairs, or a goal's rule)
    improved: int
    recovered: int
    deteriorated: int
    unchanged: int  # measured, and neither improved nor deteriorated
    median_weeks: float | None  # first day (since) to the last entry, over clients with one


@dataclass(frozen=True)
class CaseloadReport:
    """The supervision page: outcome statistics overall and per approach, open risk flags,
    and the attention list (`attention` is None until a provider is given)."""

    produced: date
    as_of: date
    overall: OutcomeCounts
    by_approach: list[OutcomeCounts]
    risk_open: list[tuple[str, str]]  # (client id, the alert's message)
    attention: list[dict[str, Any]] | None
    clients: list[dict[str, Any]]  # per client: id, approaches, outcome words, flags, weeks


#: The attention list's hook: a function from the records and the as-of date to rows
#: ({"client", "goal", "reason", "detail"}), worst first. Issue 12's `attention` provides it.
AttentionProvider = Callable[[Sequence[ClientRecord], date], list[dict[str, Any]]]


def client_outcome(
    record: ClientRecord, as_of: date, registry: Registry | None = None
) -> dict[str, Any]:
    """How a client's treatment went: improved, recovered, deteriorated (booleans), whether
    it was measured at all, by which rule, and in words.

    With paired PHQ-9 and GAD-7 scores the IAPT client outcome decides (reliable improvement,
    recovery, reliable deterioration). Otherwise the goals' own rules do: deteriorated when
    any goal deteriorated (reliably, or by a clinically meaningful amount); else improved
    when a goal improved by its rule, recovered when one moved from the clinical into the
    non-clinical range. Not measured: no goal with a change rule and two entries.
    """
    iapt = client_outcomes.iapt_outcome(record)
    if iapt is not None:
        improved, deteriorated = iapt.reliable_improvement, iapt.reliable_deterioration
        recovered, by = bool(iapt.recovery), "IAPT"
        measured = True
    else:
        summaries = [views.summarize(goal, as_of, registry=registry) for goal in record.goals]
        classes = {s.clinical_significance for s in summaries} - {None}
        reliable = {s.reliable_change for s in summaries} - {None}
        deteriorated = bool(classes & {"deteriorated", "worse"} or "deteriorated" in reliable)
        improved = not deteriorated and bool(
            classes & {"improved", "recovered"} or "improved" in reliable
        )
        recovered = not deteriorated and "recovered" in classes
        measured, by = bool(classes or reliable), "goal rules"
    if not measured:
        words = "not measured"
    elif deteriorated:
        words = "deteriorated"
    elif recovered:
        words = "improved, recovered" if improved else "recovered"
    else:
        words = "improved" if improved else "no reliable change"
    return {
        "measured": measured,
        "improved": improved,
        "recovered": recovered,
        "deteriorated": deteriorated,
        "by": by if measured else None,
        "outcome": words,
    }


def weeks_in_treatment(record: ClientRecord) -> float | None:
    """Weeks from the start of the client's current episode (`since`) to the last entry on
    any goal (None without one)."""
    last = max((entry.date for goal in record.goals for entry in goal.progress), default=None)
    if last is None:
        return None
    return round((last - record.client.since).days / 7, 1)


def caseload_report(
    records: Sequence[ClientRecord],
    *,
    as_of: date,
    produced: date,
    registry: Registry | None = None,
    attention: AttentionProvider | None = None,
) -> CaseloadReport:
    """Outcome statistics over `records` (snapshots as of `as_of`): how many clients improved,
    recovered, deteriorated or had no reliable change (`client_outcome`), and the median
    weeks in treatment; overall and per approach (a client with two approaches counts under
    both)."""
    snaps = sorted((snapshot(r, as_of) for r in records), key=lambda r: r.client.id)
    rows = [
        {
            "client": record.client.id,
            "approaches": [a.value for a in record.client.approaches],
            **client_outcome(record, as_of, registry),
            "weeks": weeks_in_treatment(record),
        }
        for record in snaps
    ]
    approaches = sorted({a for row in rows for a in row["approaches"]})
    return CaseloadReport(
        produced=produced,
        as_of=as_of,
        overall=_counts("all clients", rows),
        by_approach=[
            _counts(a, [row for row in rows if a in row["approaches"]]) for a in approaches
        ],
        risk_open=[
            (record.client.id, alert.message())
            for record in snaps
            for alert in safety.alerts(record)
        ],
        attention=attention(snaps, as_of) if attention is not None else None,
        clients=rows,
    )


def _counts(label: str, rows: list[dict[str, Any]]) -> OutcomeCounts:
    weeks = [row["weeks"] for row in rows if row["weeks"] is not None]
    measured = [row for row in rows if row["measured"]]
    return OutcomeCounts(
        label=label,
        clients=len(rows),
        measured=len(measured),
        improved=sum(row["improved"] for row in measured),
        recovered=sum(row["recovered"] for row in measured),
        deteriorated=sum(row["deteriorated"] for row in measured),
        unchanged=sum(not (row["improved"] or row["deteriorated"]) for row in measured),
        median_weeks=round(statistics.median(weeks), 1) if weeks else None,
    )
