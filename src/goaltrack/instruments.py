"""The registry of measures: ranges, direction, severity bands, cutoffs, reliable change.

Built-ins are data with their sources (../shared/reference/INSTRUMENTS.md); a value that could
not be confirmed is left out rather than invented, because a wrong clinical threshold is worse
than none.
"""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from goaltrack.errors import InvalidValueError
from goaltrack.model import GoalKind

Z_RELIABLE = 1.96


class Direction(StrEnum):
    """Which way is better on a measure."""

    LOWER = "lower"
    HIGHER = "higher"


class Band(BaseModel):
    """A labelled severity band, inclusive at both ends."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float
    high: float
    label: str


class Instrument(BaseModel):
    """One measure: what values it takes, which way is better, and where the lines are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name: str
    min: float
    max: float
    integer: bool = True
    better: Direction
    bands: tuple[Band, ...] = ()
    cutoff: float | None = None
    reliable_change: float | None = Field(default=None, gt=0)
    sd: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, gt=0, lt=1)
    loinc: str | None = None
    licence: str = ""
    source: str = ""
    items: bool = False  # whether goaltrack may administer it item by item
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.min >= self.max:
            raise ValueError("min must be below max")
        for band in self.bands:
            if band.low > band.high or band.low < self.min or band.high > self.max:
                raise ValueError(f"band {band.label!r} lies outside {self.min}..{self.max}")
        if self.cutoff is not None and not self.min <= self.cutoff <= self.max:
            raise ValueError("cutoff lies outside the range")
        return self

    def reliable_change_points(self) -> float | None:
        """The smallest change that is reliable: published points, else Jacobson & Truax."""
        if self.reliable_change is not None:
            return self.reliable_change
        if self.sd is not None and self.reliability is not None:
            standard_error = self.sd * math.sqrt(1 - self.reliability)
            return Z_RELIABLE * math.sqrt(2 * standard_error**2)
        return None

    def band_for(self, value: float) -> str | None:
        """The label of the severity band holding `value`, if any."""
        for band in self.bands:
            if band.low <= value <= band.high:
                return band.label
        return None

    def improvement(self, before: float, after: float) -> float:
        """Change from `before` to `after`, signed so that positive means better."""
        return after - before if self.better is Direction.HIGHER else before - after

    def check_value(self, value: float, what: str = "value") -> None:
        """Refuse a value outside the range or, for integer measures, with a fraction."""
        if not self.min <= value <= self.max:
            raise InvalidValueError(
                f"{what} {_fmt(value)} is outside the {self.key} range "
                f"{_fmt(self.min)}-{_fmt(self.max)}"
            )
        if self.integer and not float(value).is_integer():
            raise InvalidValueError(f"{what} {_fmt(value)} must be a whole number for {self.key}")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _bands(*spec: tuple[float, float, str]) -> tuple[Band, ...]:
    return tuple(Band(low=low, high=high, label=label) for low, high, label in spec)


IAPT = "UK IAPT Manual (NHS England), reliable change criteria"

BUILTINS: dict[str, Instrument] = {
    instrument.key: instrument
    for instrument in (
        Instrument(
            key="phq9",
            name="Patient Health Questionnaire-9",
            min=0,
            max=27,
            better=Direction.LOWER,
            bands=_bands(
                (0, 4, "minimal"),
                (5, 9, "mild"),
                (10, 14, "moderate"),
                (15, 19, "moderately severe"),
                (20, 27, "severe"),
            ),
            cutoff=10,
            reliable_change=6,
            loinc="44261-6",
            licence="free to reproduce (Pfizer): no permission required",
            source=f"Kroenke, Spitzer & Williams 2001 (bands, cutoff); {IAPT}",
            items=True,
        ),
        Instrument(
            key="gad7",
            name="Generalized Anxiety Disorder-7",
            min=0,
            max=21,
            better=Direction.LOWER,
            bands=_bands((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"),
                         (15, 21, "severe")),
            cutoff=10,
            reliable_change=4,
            loinc="70274-6",
            licence="free to reproduce (Pfizer): no permission required",
            source=f"Spitzer et al. 2006 (bands, cutoff 10; IAPT caseness uses 8); {IAPT}",
            items=True,
        ),
        Instrument(
            key="pcl5",
            name="PTSD Checklist for DSM-5",
            min=0,
            max=80,
            better=Direction.LOWER,
            cutoff=33,
            reliable_change=10,
            licence="public domain (US Department of Veterans Affairs)",
            source="US National Center for PTSD: cutoff 31-33 (33 used), 10-point reliable "
            "change (5 = minimum response)",
            items=True,
        ),
        Instrument(
            key="rses",
            name="Rosenberg Self-Esteem Scale",
            min=0,
            max=30,
            better=Direction.HIGHER,
            bands=_bands((0, 14, "low"), (15, 25, "normal range")),
            licence="free with citation (Morris Rosenberg Foundation)",
            source="Rosenberg 1965; bands are common usage, not official cutoffs",
            items=True,
        ),
        Instrument(
            key="core10",
            name="CORE-10",
            min=0,
            max=40,
            better=Direction.LOWER,
            bands=_bands(
                (0, 10, "healthy/low"),
                (11, 14, "mild"),
                (15, 19, "moderate"),
                (20, 24, "moderate-severe"),
                (25, 40, "severe"),
            ),
            cutoff=11,
            licence="copyright CORE System Trust; reproduce unchanged, non-commercial; "
            "totals only",
            source="Barkham et al. 2013",
        ),
        Instrument(
            key="gbo",
            name="Goal-Based Outcome (goal rating)",
            min=0,
            max=10,
            better=Direction.HIGHER,
            licence="CC BY-NC-SA 4.0",
            source="Law & Jacob, Goals and Goal Based Outcomes (CORC)",
        ),
        Instrument(
            key="suds",
            name="Subjective Units of Distress",
            min=0,
            max=100,
            better=Direction.LOWER,
            licence="public domain",
            source="Wolpe 1969",
        ),
        Instrument(
            key="ors",
            name="Outcome Rating Scale (totals only)",
            min=0,
            max=40,
            integer=False,
            better=Direction.HIGHER,
            licence="electronic administration needs a licence: totals only, never items",
            source="Miller & Duncan 2000",
        ),
        Instrument(
            key="gas",
            name="Goal Attainment Scaling level",
            min=-2,
            max=2,
            better=Direction.HIGHER,
            bands=_bands(
                (-2, -2, "much less than expected"),
                (-1, -1, "somewhat less than expected"),
                (0, 0, "expected outcome"),
                (1, 1, "somewhat more than expected"),
                (2, 2, "much more than expected"),
            ),
            loinc="107332-9",
            licence="free",
            source="Kiresuk & Sherman 1968",
        ),
        Instrument(
            key="rating",
            name="Generic 0-10 rating",
            min=0,
            max=10,
            better=Direction.HIGHER,
            licence="free",
            source="goaltrack generic scale",
        ),
    )
}

DEFAULT_MEASURE: dict[GoalKind, str] = {
    GoalKind.SYMPTOM_REDUCTION: "phq9",
    GoalKind.TRAUMA_RESOLUTION: "pcl5",
    GoalKind.SELF_ESTEEM: "rses",
    GoalKind.COPING: "gbo",
    GoalKind.AUTONOMY: "gbo",
    GoalKind.RELATIONSHIPS: "gbo",
}


def get(key: str) -> Instrument | None:
    """The built-in instrument with this key, if any."""
    return BUILTINS.get(key)
