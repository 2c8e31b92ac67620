"""The registry of measures: ranges, direction, severity bands, cutoffs, reliable change.

Built-ins are data with their sources (docs/instruments.md); a value that could
not be confirmed is left out rather than invented, because a wrong clinical threshold is worse
than none.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from goaltrack.errors import InstrumentsFileError, InvalidValueError
from goaltrack.records.convert import is_measure_key
from goaltrack.records.enums import GAS_KEY, PHQ9_KEY
from goaltrack.records.model import (
    MAGNITUDE_RULE,
    MAX_MAGNITUDE,
    GoalKind,
    describe_validation_error,
)

Z_RELIABLE = 1.96


class Direction(StrEnum):
    """Which way is better on a measure."""

    LOWER = "lower"
    HIGHER = "higher"


class Band(BaseModel):
    """A labelled severity band, inclusive at both ends."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    low: float
    high: float
    label: str


class Instrument(BaseModel):
    """One measure: what values it takes, which way is better, and where the lines are."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

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
    origin: str = "built-in"  # "built-in", or the instruments.toml it was read from
    per_goal: bool = False  # a rating of one goal (GBO, GAS): never copied to other goals

    def range_text(self) -> str:
        """The range as people write it, e.g. "0-27" or "-2..+2"."""
        if self.min < 0:
            return f"{_fmt(self.min)}..{self.max:+g}"
        return f"{_fmt(self.min)}-{_fmt(self.max)}"

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if max(abs(self.min), abs(self.max)) > MAX_MAGNITUDE:  # the model's bound on values
            raise ValueError(f"min and max {MAGNITUDE_RULE}")
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
            return Z_RELIABLE * standard_error_of_difference(self.sd, self.reliability)
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
                f"{what} {_fmt(value)} is outside the {self.key} range {self.range_text()}"
            )
        if self.integer and not float(value).is_integer():
            raise InvalidValueError(f"{what} {_fmt(value)} must be a whole number for {self.key}")


def standard_error_of_difference(sd: float, reliability: float) -> float:
    """S_diff of Jacobson & Truax (1991): sqrt(2 * S_E^2), where S_E = SD * sqrt(1 - r).

    The one place the formula is written: the Reliable Change Index divides a change by it,
    and the smallest reliable change is 1.96 times it.
    """
    standard_error = sd * math.sqrt(1 - reliability)
    return math.sqrt(2 * standard_error**2)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _bands(*spec: tuple[float, float, str]) -> tuple[Band, ...]:
    return tuple(Band(low=low, high=high, label=label) for low, high, label in spec)


IAPT = "UK IAPT Manual (NHS England), reliable change criteria"

BUILTINS: dict[str, Instrument] = {
    instrument.key: instrument
    for instrument in (
        Instrument(
            key=PHQ9_KEY,
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
            bands=_bands(
                (0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")
            ),
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
            note="No LOINC code for the total is set: none could be confirmed.",
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
            licence="copyright CORE System Trust; reproduce unchanged, non-commercial; totals only",
            source="Barkham et al. 2013",
            note="A 6-point reliable-change figure circulates but could not be confirmed "
            "against the CORE-10 manual, so none is set.",
        ),
        Instrument(
            key="gbo",
            name="Goal-Based Outcome (goal rating)",
            min=0,
            max=10,
            better=Direction.HIGHER,
            licence="CC BY-NC-SA 4.0",
            source="Law & Jacob, Goals and Goal Based Outcomes (CORC)",
            note="A reliable-change figure of 2.45 (Edbrooke-Childs et al. 2015) could not be "
            "confirmed from a primary source, so none is set.",
            per_goal=True,
        ),
        Instrument(
            key="suds",
            name="Subjective Units of Distress",
            min=0,
            max=100,
            better=Direction.LOWER,
            licence="public domain",
            source="Wolpe 1969",
            per_goal=True,
        ),
        Instrument(
            key="ors",
            name="Outcome Rating Scale (totals only)",
            min=0,
            max=40,
            integer=False,
            better=Direction.HIGHER,
            cutoff=25,
            licence="electronic administration needs a licence: totals only, never items",
            source="Miller & Duncan 2000; Miller et al. 2003 (J Brief Therapy 2(2)); adult "
            "clinical cut-off 25 as used by the ORS's own FIT software (OpenFIT knowledge base "
            "KA-01031: 25 for adults, 32 for children)",
            note="Cut-off 25 is for adults. A 5-point reliable-change figure circulates but "
            "could not be confirmed, so none is set.",
        ),
        Instrument(
            key=GAS_KEY,
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
            per_goal=True,
        ),
        Instrument(
            key="rating",
            name="Generic 0-10 rating",
            min=0,
            max=10,
            better=Direction.HIGHER,
            licence="free",
            source="goaltrack generic scale",
            per_goal=True,
        ),
    )
}

DEFAULT_MEASURE: dict[GoalKind, str] = {
    GoalKind.SYMPTOM_REDUCTION: PHQ9_KEY,
    GoalKind.TRAUMA_RESOLUTION: "pcl5",
    GoalKind.SELF_ESTEEM: "rses",
    GoalKind.COPING: "gbo",
    GoalKind.AUTONOMY: "gbo",
    GoalKind.RELATIONSHIPS: "gbo",
}


def get(key: str) -> Instrument | None:
    """The built-in instrument with this key, if any."""
    return BUILTINS.get(key)


# ---- the registry: built-ins plus the user's own instruments.toml ----------------------

USER_FILE = "instruments.toml"
#: Fields a user may set in instruments.toml (`key` comes from the table name; `items` and
#: `origin` are goaltrack's own: a user scale has no item texts to administer).
USER_FIELDS = frozenset(Instrument.model_fields) - {"key", "items", "origin"}


@dataclass(frozen=True)
class Registry:
    """Every instrument this goaltrack knows: the built-ins and the user's own scales."""

    instruments: dict[str, Instrument]
    path: Path | None = None  # the user file that was read, if any

    def get(self, key: str) -> Instrument | None:
        """The instrument with this key, if known."""
        return self.instruments.get(key)

    def require(self, key: str) -> Instrument:
        """The instrument with this key, or InvalidValueError listing the known keys."""
        instrument = self.instruments.get(key)
        if instrument is None:
            raise InvalidValueError(
                f"unknown instrument {key!r}; known: {', '.join(self.instruments)} "
                "(see `goaltrack instruments`)"
            )
        return instrument

    def all(self) -> list[Instrument]:
        """Every instrument: built-ins first in their shipped order, then the user's by key."""
        return list(self.instruments.values())

    def is_builtin(self, key: str) -> bool:
        """True when `key` names a built-in instrument."""
        return key in BUILTINS


def builtin_registry() -> Registry:
    """A registry of the built-ins only."""
    return Registry(dict(BUILTINS))


def load_registry(home: Path) -> Registry:
    """The built-ins merged with `home`/instruments.toml, if that file exists.

    A user instrument may not reuse a built-in key: silently replacing PHQ-9's cutoff or range
    would change what every existing PHQ-9 goal means. Errors name the file and the table.
    """
    path = home / USER_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return builtin_registry()
    except OSError as error:
        raise InstrumentsFileError(
            f"cannot read {path}: {error.strerror or type(error).__name__}"
        ) from None
    merged = dict(BUILTINS)
    for instrument in parse_user_instruments(raw, path):
        merged[instrument.key] = instrument
    return Registry(merged, path)


def parse_user_instruments(raw: bytes, path: Path) -> list[Instrument]:
    """The instruments defined in the bytes of a user file, validated; errors name `path`."""
    import tomllib  # only for a home with its own instruments: not on every command's path

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InstrumentsFileError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            match = re.search(r"line (\d+)", str(error))
            line = int(match.group(1)) if match else None
        where = f" (line {line})" if line else ""
        raise InstrumentsFileError(f"{path}: not valid TOML{where}") from None
    found: list[Instrument] = []
    for key in sorted(document):
        table = document[key]
        if key == "schema_version" and table == 1:
            continue
        where = f"{path}: [{key}]"
        if not isinstance(table, dict):
            raise InstrumentsFileError(
                f"{where} must be a table of instrument fields, e.g. [{key}] with name, min, "
                "max, better"
            )
        if not is_measure_key(key):
            raise InstrumentsFileError(
                f"{where}: an instrument key must be 1-32 characters of a-z, 0-9, '-' or '_'"
            )
        if key in BUILTINS:
            raise InstrumentsFileError(
                f"{where}: {key!r} is a built-in instrument and cannot be redefined; "
                "use another key"
            )
        unknown = sorted(set(table) - USER_FIELDS)
        if unknown:
            raise InstrumentsFileError(
                f"{where}: unknown field(s) {', '.join(unknown)}; allowed: "
                f"{', '.join(sorted(USER_FIELDS))}"
            )
        try:
            found.append(Instrument.model_validate({**table, "key": key, "origin": str(path)}))
        except ValidationError as error:
            raise InstrumentsFileError(f"{where}: {describe_validation_error(error)}") from None
    return found
