"""Ranking the template library for one client: which goals to consider first, and why.

Pure and deterministic (docs/planning.md states the rules; tests pin them):

- a template is a candidate for each of the client's concerns it fits (the most severe
  one counts); a concern's severity is the clinician's, raised to what the latest intake
  screening suggests when that is higher, and a more severe concern ranks its templates
  higher (the most pressing issue first);
- severity orders the stages: severe or crisis -> stabilise, then change, then consolidate;
  moderate -> change first; mild -> change and growth first, consolidation next, stabilising
  last; a severity the template does not fit costs heavily; under severe or crisis,
  symptom relief comes before growth goals (self-esteem, autonomy), while under mild or
  moderate they stand level with symptom goals;
- an open PHQ-9 item-9 flag puts the templates tagged `risk` (a safety plan) first;
- a preference or strength that shares a word with a template's tags raises it (a
  preference that starts with "no", "not", "avoid" or "without" lowers it);
- the approach does not reorder templates: it picks their objectives and interventions;
- a template an active goal was made from is marked covered by that goal and sinks to the
  end; an active goal on the same concern and kind is named and lowers it a little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from goaltrack.measures.instruments import Registry
from goaltrack.measures.safety import open_risk
from goaltrack.planning.drafts import RISK_TAG, GoalDraft, draft_goal
from goaltrack.planning.intake import (
    SEVERITY_ORDER,
    SeverityHint,
    higher,
    latest_screening,
    severity_hint,
)
from goaltrack.planning.templates import Library, Stage, Template
from goaltrack.records.enums import Approach, ClientStatus, GoalKind, GoalStatus, Severity
from goaltrack.records.model import ClientRecord, Concern

URGENT = (Severity.SEVERE, Severity.CRISIS)
GROWTH_KINDS = (GoalKind.SELF_ESTEEM, GoalKind.AUTONOMY)

#: Points for a template's stage, by the concern's severity.
STAGE_POINTS: dict[Severity, dict[Stage, int]] = {
    Severity.CRISIS: {Stage.STABILISE: 20, Stage.CHANGE: 10, Stage.CONSOLIDATE: 0},
    Severity.SEVERE: {Stage.STABILISE: 20, Stage.CHANGE: 10, Stage.CONSOLIDATE: 0},
    Severity.MODERATE: {Stage.CHANGE: 20, Stage.STABILISE: 10, Stage.CONSOLIDATE: 5},
    Severity.MILD: {Stage.CHANGE: 20, Stage.CONSOLIDATE: 10, Stage.STABILISE: 0},
}
#: Points for the concern's own severity: the most pressing concern first, so that a severe
#: concern's change goals rank above a mild concern's.
PRESSING = {Severity.CRISIS: 15, Severity.SEVERE: 10, Severity.MODERATE: 5, Severity.MILD: 0}
MISFIT = -30  # the template does not list the concern's severity
SYMPTOMS_FIRST = 3  # severe/crisis: symptom-reduction, coping and trauma goals
GROWTH_LATER = -5  # severe/crisis: self-esteem and autonomy goals
RISK_FIRST = 50  # an open PHQ-9 item-9 flag: templates tagged `risk`
PREFERENCE = 4
STRENGTH = 2
SAME_GROUND = -10  # an active goal already serves the concern with the same kind
COVERED = -100  # an active goal was made from this template
NEGATIONS = ("no", "not", "avoid", "without", "never")


@dataclass
class Suggestion:
    """One ranked template for the client: its score, reasons and the goal it would create."""

    rank: int
    template: Template
    concern: Concern | None
    severity: Severity | None
    score: int
    reasons: list[str]
    draft: GoalDraft
    covered_by: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: a stable contract (fields may be added, never renamed)."""
        return {
            "rank": self.rank,
            "template": self.template.key,
            "title": self.template.title,
            "kind": self.template.kind.value,
            "stage": self.template.stage.value,
            "concern": self.concern.name if self.concern else None,
            "severity": self.severity.value if self.severity else None,
            "score": self.score,
            "reasons": list(self.reasons),
            "covered_by": list(self.covered_by),
            "creates": self.draft.as_dict(),
        }


@dataclass
class Suggestions:
    """The ranked suggestions, and notes about what could not be matched."""

    items: list[Suggestion]
    notes: list[str]
    approaches: list[Approach]


def words(text: str) -> list[str]:
    """The lower-case words of a text."""
    return re.findall(r"[a-z0-9]+", text.casefold())


def tag_matches(tag: str, text: str) -> bool:
    """True when every word of `tag` starts a word of `text` ("support" in "supportive
    sister", "family" in "involve family")."""
    found = words(text)
    return all(any(word.startswith(part) for word in found) for part in words(tag))


def is_negative(text: str) -> bool:
    """True for a preference against something ("no homework", "avoid groups")."""
    found = words(text)
    return bool(found) and found[0] in NEGATIONS


def concern_hint(
    record: ClientRecord, concern: Concern, library: Library, registry: Registry
) -> SeverityHint | None:
    """What the latest screening says about a concern: the first measure of the templates
    fitting it that has a screening with readable bands."""
    seen: set[str] = set()
    for template in library.all():
        if template.measure in seen or not template.fits(concern.name):
            continue
        seen.add(template.measure)
        screening = latest_screening(record, template.measure)
        instrument = registry.get(template.measure)
        if screening is not None and instrument is not None:
            hint = severity_hint(screening, instrument)
            if hint is not None:
                return hint
    return None


def suggest(
    record: ClientRecord,
    library: Library,
    registry: Registry,
    today: date,
    approaches: list[Approach] | None = None,
) -> Suggestions:
    """Every template that fits the client, ranked best first (see the module's rules)."""
    chosen = list(record.client.approaches) if approaches is None else list(approaches)
    notes: list[str] = []
    if record.client.status is ClientStatus.DISCHARGED:
        notes.append(
            f"{record.client.id} is discharged: `goaltrack reopen {record.client.id}` starts a "
            "new episode before a goal is added"
        )
    if not record.client.concerns:
        notes.append(
            "no concerns on file: add one with `goaltrack edit-client ID --concern NAME:SEVERITY`"
        )
    if not chosen:
        notes.append(
            "no approach on file: shared objectives only, no interventions "
            "(add one with `edit-client ID --approach`, or give --approach)"
        )
    severities: dict[str, tuple[Severity, list[str]]] = {}
    for concern in record.client.concerns:
        hint = concern_hint(record, concern, library, registry)
        severity, said = concern.severity, []
        if hint is not None:
            severity = higher(concern.severity, hint.severity)
            extra = (
                f"; recorded {concern.severity.value}, the higher is used"
                if severity is not concern.severity
                else ""
            )
            said.append(hint.reason() + extra)
        severities[concern.name] = (severity, said)
    risk = open_risk(record)
    scored: list[tuple[int, int, Suggestion]] = []
    for order, template in enumerate(library.all()):
        fitting = [c for c in record.client.concerns if template.fits(c.name)]
        at_risk = risk is not None and RISK_TAG in template.tags
        if not fitting and not at_risk:
            continue
        best: Concern | None = max(
            fitting,
            key=lambda c: (
                SEVERITY_ORDER.index(severities[c.name][0]),
                -record.client.concerns.index(c),
            ),
            default=None,
        )
        level: Severity | None = severities[best.name][0] if best else None
        score, reasons = 0, list(severities[best.name][1]) if best else []
        if at_risk and risk is not None:
            score += RISK_FIRST
            reasons.insert(0, f"PHQ-9 item 9 endorsed on {risk.date.isoformat()}: safety first")
        if best is not None and level is not None:
            points, said = _severity_points(template, best.name, level)
            score += points
            reasons.extend(said)
        for preference in record.client.preferences:
            if any(tag_matches(tag, preference) for tag in template.tags):
                if is_negative(preference):
                    score -= PREFERENCE
                    reasons.append(f"preference: {preference} (lowers it)")
                else:
                    score += PREFERENCE
                    reasons.append(f"preference: {preference}")
        for strength in record.client.strengths:
            if any(tag_matches(tag, strength) for tag in template.tags):
                score += STRENGTH
                reasons.append(f"strength: {strength}")
        draft = draft_goal(
            record,
            template,
            registry.require(template.measure),
            today,
            approaches=chosen,
            concern=best,
            severity=level,
        )
        for approach in chosen:
            plan = template.approaches.get(approach)
            if plan is not None:
                reasons.append(f"approach {approach.value}: {', '.join(plan.interventions)}")
        covered = _covered_by(record, template)
        if covered:
            score += COVERED
            numbers = ", ".join(str(n) for n in covered)
            reasons.append(f"covered by goal {numbers} (made from this template)")
        elif best is not None:
            same = _same_ground(record, template, best)
            if same:
                score += SAME_GROUND
                numbers = ", ".join(str(n) for n in same)
                reasons.append(
                    f"goal {numbers} already works on {best.name} ({template.kind.value})"
                )
        suggestion = Suggestion(0, template, best, level, score, reasons, draft, covered)
        scored.append((-score, order, suggestion))
    scored.sort(key=lambda item: (item[0], item[1]))
    items = [item[2] for item in scored]
    for rank, item in enumerate(items, 1):
        item.rank = rank
    for concern in record.client.concerns:
        if not any(item.concern is concern for item in items):
            notes.append(
                f"no template fits the concern {concern.name!r}: plan it by hand with add-goal"
            )
    return Suggestions(items, notes, chosen)


def _severity_points(template: Template, concern: str, severity: Severity) -> tuple[int, list[str]]:
    """Points and reasons for how the template's stage and kind suit the severity."""
    reasons = []
    points = STAGE_POINTS[severity][template.stage] + PRESSING[severity]
    label = f"{severity.value} {concern}"
    if severity in URGENT:
        phrase = {
            Stage.STABILISE: "stabilise first",
            Stage.CHANGE: "change once stable",
            Stage.CONSOLIDATE: "consolidate later",
        }[template.stage]
    elif severity is Severity.MODERATE:
        phrase = {
            Stage.STABILISE: "stabilising may not be needed first",
            Stage.CHANGE: "change first",
            Stage.CONSOLIDATE: "consolidate later",
        }[template.stage]
    else:
        phrase = {
            Stage.STABILISE: "stabilising not needed first",
            Stage.CHANGE: "change and growth first",
            Stage.CONSOLIDATE: "consolidate next",
        }[template.stage]
    reasons.append(f"{label}: {phrase}")
    if severity not in template.severities:
        points += MISFIT
        fits = ", ".join(s.value for s in template.severities)
        reasons.append(f"fits {fits}, not {severity.value}")
    if severity in URGENT:
        if template.kind in GROWTH_KINDS:
            points += GROWTH_LATER
            reasons.append(f"{label}: growth goals once symptoms ease")
        elif template.kind in (
            GoalKind.SYMPTOM_REDUCTION,
            GoalKind.COPING,
            GoalKind.TRAUMA_RESOLUTION,
        ):
            points += SYMPTOMS_FIRST
            reasons.append(f"{label}: symptom relief first")
    return points, reasons


def _covered_by(record: ClientRecord, template: Template) -> list[int]:
    """Active goals made from this template."""
    return [
        goal.number
        for goal in record.goals
        if goal.template == template.key and goal.status is GoalStatus.ACTIVE
    ]


def _same_ground(record: ClientRecord, template: Template, concern: Concern) -> list[int]:
    """Active goals (not from this template) on the same concern with the same kind."""
    return [
        goal.number
        for goal in record.goals
        if goal.status is GoalStatus.ACTIVE
        and goal.kind is template.kind
        and goal.concern is not None
        and goal.concern.casefold() == concern.name.casefold()
    ]
