"""Goal Attainment Scaling: the Kiresuk & Sherman (1968) T-score over a client's GAS goals.

Pure functions; no I/O. A GAS goal is one whose measure is `gas` (levels -2..+2, 0 = the
expected outcome); its level is its latest entry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from goaltrack.records.enums import GAS_KEY
from goaltrack.records.model import Goal, GoalStatus, Priority

RHO = 0.3
PRIORITY_WEIGHTS: Mapping[Priority, float] = {
    Priority.HIGH: 3.0,
    Priority.MEDIUM: 2.0,
    Priority.LOW: 1.0,
}


def gas_t_score(
    levels: Sequence[int | float], weights: Sequence[float] | None = None, rho: float = RHO
) -> float:
    """The GAS T-score: 50 + 10 * sum(w x) / sqrt((1 - rho) sum(w^2) + rho (sum w)^2).

    50 means the goals were met as expected; each standard deviation is 10 points. Weights
    default to 1 (the unweighted score). Raises ValueError on no goals, a length mismatch,
    or a weight that is not positive.
    """
    if not levels:
        raise ValueError("a GAS T-score needs at least one scored goal")
    ws = [1.0] * len(levels) if weights is None else [float(w) for w in weights]
    if len(ws) != len(levels):
        raise ValueError("one weight per goal is needed")
    if any(not w > 0 for w in ws):
        raise ValueError("GAS weights must be positive")
    if not 0 <= rho < 1:
        raise ValueError("rho must lie in [0, 1)")
    numerator = math.fsum(w * x for w, x in zip(ws, levels, strict=True))
    sum_w = math.fsum(ws)
    denominator = math.sqrt((1 - rho) * math.fsum(w * w for w in ws) + rho * sum_w * sum_w)
    return 50 + 10 * numerator / denominator


@dataclass(frozen=True)
class GasSummary:
    """A client's GAS T-score and what it was computed from."""

    t_score: float
    goals: list[int]
    levels: list[int | float]
    weights: list[float]
    weighting: str  # "equal" or "priority"
    unscored: list[int]  # GAS goals without any entry yet, left out of the score

    def as_dict(self) -> dict[str, Any]:
        """Plain data for renderers."""
        return asdict(self)


def client_gas(goals: Iterable[Goal], weighting: str = "equal") -> GasSummary | None:
    """The T-score over a client's GAS goals (dropped goals left out), or None if none is scored.

    Each goal's level is its latest entry. `weighting` is "equal" (every goal 1) or
    "priority" (high 3, medium 2, low 1).
    """
    if weighting not in ("equal", "priority"):
        raise ValueError("weighting must be 'equal' or 'priority'")
    scored: list[tuple[int, int | float, float]] = []
    unscored: list[int] = []
    for goal in sorted(goals, key=lambda g: g.number):
        if goal.measure != GAS_KEY or goal.status is GoalStatus.DROPPED:
            continue
        ordered = goal.entries_in_order()
        if not ordered:
            unscored.append(goal.number)
            continue
        weight = PRIORITY_WEIGHTS[goal.priority] if weighting == "priority" else 1.0
        scored.append((goal.number, ordered[-1].value, weight))
    if not scored:
        return None
    levels = [level for _, level, _ in scored]
    weights = [weight for _, _, weight in scored]
    return GasSummary(
        t_score=round(gas_t_score(levels, weights), 1),
        goals=[number for number, _, _ in scored],
        levels=levels,
        weights=weights,
        weighting=weighting,
        unscored=unscored,
    )
