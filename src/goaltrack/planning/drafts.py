"""A goal drafted from a template for one client: its concern, measure, baseline (the latest
intake screening with the measure), computed target, due date, objectives and interventions
for the client's approaches. `suggest` shows drafts; `add-goal --template` creates one, with
any field the clinician typed taking the place of the drafted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from goaltrack.measures.instruments import Instrument
from goaltrack.planning.intake import SEVERITY_ORDER, latest_screening, short_name
from goaltrack.planning.targets import Target, compute_target, rule_problem
from goaltrack.planning.templates import Stage, Template
from goaltrack.records.enums import Approach, Priority, Severity
from goaltrack.records.model import ClientRecord, Concern

#: The tag of the templates that answer a safety risk (a safety plan): always high priority,
#: and first in `suggest` while a PHQ-9 item-9 flag is open.
RISK_TAG = "risk"


@dataclass
class GoalDraft:
    """What a template would create for a client (plain data; nothing is written)."""

    template: str
    kind: str
    title: str
    concern: str | None
    measure: str
    baseline: int | float | None
    baseline_from: str | None  # "PHQ-9 screening on 2026-09-01", "given", or None
    target: int | float | None
    target_rule: str  # how the target was computed, in words
    due: date
    every: str | None
    priority: Priority
    approaches: list[Approach]
    objectives: list[str] = field(default_factory=list)
    interventions: list[tuple[str, Approach]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (dates stay dates: the renderer writes them)."""
        return {
            "template": self.template,
            "kind": self.kind,
            "title": self.title,
            "concern": self.concern,
            "measure": self.measure,
            "baseline": self.baseline,
            "baseline_from": self.baseline_from,
            "target": self.target,
            "target_rule": self.target_rule,
            "due": self.due,
            "every": self.every,
            "priority": self.priority.value,
            "approaches": [approach.value for approach in self.approaches],
            "objectives": list(self.objectives),
            "interventions": [
                {"technique": technique, "approach": approach.value}
                for technique, approach in self.interventions
            ],
        }


def priority_for(stage: Stage, severity: Severity | None) -> Priority:
    """A goal's priority from its stage and the concern's severity: stabilising a severe or
    crisis concern is high; consolidating a mild one is low; the rest medium."""
    rank = SEVERITY_ORDER.index(severity) if severity is not None else 1
    if stage is Stage.STABILISE and rank >= 2:
        return Priority.HIGH
    if stage is Stage.CONSOLIDATE and rank == 0:
        return Priority.LOW
    return Priority.MEDIUM


def best_concern(record: ClientRecord, template: Template) -> Concern | None:
    """The client's concern the template fits, the most severe first (then file order)."""
    fitting = [concern for concern in record.client.concerns if template.fits(concern.name)]
    if not fitting:
        return None
    return max(fitting, key=lambda concern: SEVERITY_ORDER.index(concern.severity))


def draft_goal(
    record: ClientRecord,
    template: Template,
    instrument: Instrument,
    today: date,
    *,
    approaches: list[Approach] | None = None,
    concern: Concern | None = None,
    severity: Severity | None = None,
    baseline: int | float | None = None,
    measure: str | None = None,
) -> GoalDraft:
    """The goal `template` would create for this client on `today`.

    `approaches` default to the client's; `concern` to the best fitting one; the baseline to
    the latest screening with the template's measure (`baseline` given takes its place), and
    the target is computed from whichever baseline is used. `measure` (with `instrument` its
    facts) replaces the template's: its target rule then applies when the facts allow it.
    """
    measure = measure or template.measure
    chosen = list(record.client.approaches) if approaches is None else approaches
    if concern is None:
        concern = best_concern(record, template)
    baseline_from: str | None = "given" if baseline is not None else None
    if baseline is None:
        screening = latest_screening(record, measure)
        if screening is not None:
            baseline = screening.value
            baseline_from = f"{short_name(measure)} screening on {screening.date.isoformat()}"
    problem = rule_problem(template.target, instrument)
    target = (
        Target(None, f"{template.target.value} does not apply to {measure}: {problem}")
        if problem
        else compute_target(template.target, instrument, baseline)
    )
    objectives, interventions = template.plan_for(chosen)
    return GoalDraft(
        template=template.key,
        kind=template.kind.value,
        title=template.title,
        concern=concern.name if concern is not None else None,
        measure=measure,
        baseline=baseline,
        baseline_from=baseline_from,
        target=target.value,
        target_rule=target.text,
        due=today + timedelta(weeks=template.due_weeks()),
        every=template.every,
        priority=Priority.HIGH
        if RISK_TAG in template.tags
        else priority_for(
            template.stage, severity or (concern.severity if concern is not None else None)
        ),
        approaches=chosen,
        objectives=objectives,
        interventions=interventions,
    )
