"""The registry of measures: ranges, direction, severity bands, cutoffs, reliable change.

Built-ins are data with their sources (docs/instruments.md); a value that could
not be confirmed is left out rather than invented, because a wrong clinical threshold is worse
than none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from goaltrack.errors import InstrumentsFileError, InvalidValueError
from goaltrack.records.convert import is_measure_key, toml_error_line
from goaltrack.records.enums import PHQ9_KEY
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
    #: Where a case begins, when the rule set's caseness differs from the screening cutoff
    #: (GAD-7: cutoff 10, IAPT caseness 8). The recovery classes use this, else the cutoff.
    caseness: float | None = None
    #: A clinically meaningful change in points that is *not* a reliable-change index
    #: (PCL-5: the US National Center for PTSD's 10 points).
    meaningful_change: float | None = Field(default=None, gt=0)
    #: The short name of the rule set the change classes follow (e.g. "IAPT", "NCPTSD").
    rule_set: str | None = None
    #: Where that rule set is published.
    rule_source: str | None = None
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
        if self.caseness is not None and not self.min <= self.caseness <= self.max:
            raise ValueError("caseness lies outside the range")
        return self

    def case_threshold(self) -> float | None:
        """Where a case begins for the recovery classes: the caseness, else the cutoff."""
        return self.caseness if self.caseness is not None else self.cutoff

    def change_rule(self) -> ChangeRule | None:
        """The rule the change classes of this instrument are judged by, with its source.

        A published reliable-change threshold first, else Jacobson & Truax from SD and
        reliability, else a clinically meaningful change; None when there is none of these.
        """
        case = self.case_threshold()
        case_text = ""
        if case is not None:
            sign = ">=" if self.better is Direction.LOWER else "<"
            word = "caseness" if self.caseness is not None else "cutoff"
            case_text = f", {word} {sign} {_fmt(case)}"
        prefix = f"{self.rule_set}: " if self.rule_set else ""
        source = self.rule_source or self.source or self.origin
        if self.reliable_change is not None:
            text = f"{prefix}reliable change >= {_fmt(self.reliable_change)}{case_text}"
            return ChangeRule(RuleKind.RELIABLE, self.reliable_change, text, source)
        if self.sd is not None and self.reliability is not None:
            points = Z_RELIABLE * standard_error_of_difference(self.sd, self.reliability)
            text = f"Jacobson & Truax 1991, SD {_fmt(self.sd)}, r {_fmt_r(self.reliability)}"
            return ChangeRule(RuleKind.RELIABLE, points, text + case_text, JACOBSON_TRUAX)
        if self.meaningful_change is not None:
            text = f"{prefix}{_fmt(self.meaningful_change)} = clinically meaningful{case_text}"
            return ChangeRule(RuleKind.MEANINGFUL, self.meaningful_change, text, source)
        return None

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
            raise InvalidValueError(f"{what} is outside the {self.key} range {self.range_text()}")
        if self.integer and not float(value).is_integer():
            raise InvalidValueError(f"{what} must be a whole number for {self.key}")


class RuleKind(StrEnum):
    """What a change threshold means: beyond measurement error, or clinically meaningful."""

    RELIABLE = "reliable"
    MEANINGFUL = "clinically meaningful"


@dataclass(frozen=True)
class ChangeRule:
    """The rule a change is judged by: its kind, threshold in points, wording and source."""

    kind: RuleKind
    points: float
    text: str  # e.g. "IAPT: reliable change >= 6, caseness >= 10"
    source: str


JACOBSON_TRUAX = (
    "Jacobson NS, Truax P (1991). Clinical significance: a statistical approach to defining "
    "meaningful change in psychotherapy research. J Consult Clin Psychol 59(1):12-19"
)


def _fmt_r(reliability: float) -> str:
    """A reliability as people write it: 0.90, 0.845."""
    return f"{reliability:.2f}" if round(reliability, 2) == reliability else f"{reliability:g}"


def standard_error_of_difference(sd: float, reliability: float) -> float:
    """S_diff of Jacobson & Truax (1991): sqrt(2 * S_E^2), where S_E = SD * sqrt(1 - r).

    The one place the formula is written: the Reliable Change Index divides a change by it,
    and the smallest reliable change is 1.96 times it.
    """
    standard_error = sd * math.sqrt(1 - reliability)
    return math.sqrt(2 * standard_error**2)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


#: The shipped built-ins, in the format of a user's instruments.toml (data/instruments.toml).
BUILTIN_FILE = "instruments.toml"


def _read_builtins() -> dict[str, Instrument]:
    """The built-in instruments, in their shipped order, read from the package's data.

    Data rather than code: one format for the built-ins and a user's own scales, and each
    figure beside its source. It runs once, at import, before a mutation test switches a
    mutant on, so its lines are marked `no mutate` (docs/mutation.md); tests/test_instruments.py
    checks what it reads.
    """
    import rtoml  # the shipped file is ours; rtoml is loaded anyway to read client files

    data = resources.files("goaltrack").joinpath("data", BUILTIN_FILE)  # pragma: no mutate
    document = rtoml.loads(data.read_text(encoding="utf-8"))  # pragma: no mutate
    builtins = {}
    for key, table in document.items():
        builtins[key] = Instrument.model_validate({**table, "key": key})  # pragma: no mutate
    return builtins


BUILTINS: dict[str, Instrument] = _read_builtins()

#: The measure a goal gets when none is given: its kind's usual instrument.
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
    """Every instrument this goaltrack knows: the built-ins and the user's own scales.

    A user table that does not validate is left out and kept in `broken` with its one-line
    error, and a user file that cannot be read at all is kept in `file_error`: a typo in one
    scale must not stop the goals measured by PHQ-9 (issue 17). Asking for a broken
    instrument raises its error (exit 3), so the goals that use it are never read against
    nothing."""

    instruments: dict[str, Instrument]
    path: Path | None = None  # the user file that was read, if any
    #: The user tables that could not be used: key -> one-line error naming file and table.
    broken: dict[str, str] = field(default_factory=dict)
    #: Why the user file could not be read at all (not UTF-8, not TOML, unreadable), if so.
    file_error: str | None = None

    def problem(self, key: str) -> str | None:
        """Why the instrument `key` cannot be used, when the user file is to blame; else None.

        A built-in always wins: a broken attempt to redefine it does not block it."""
        if key in self.instruments:
            return None
        if key in self.broken:
            return self.broken[key]
        return self.file_error

    def get(self, key: str) -> Instrument | None:
        """The instrument with this key, if known; InstrumentsFileError if its table is broken."""
        instrument = self.instruments.get(key)
        if instrument is None:
            self._refuse_broken(key)
        return instrument

    def require(self, key: str) -> Instrument:
        """The instrument with this key, or InvalidValueError listing the known keys
        (InstrumentsFileError, exit 3, when the user file's table for it is broken)."""
        instrument = self.get(key)
        if instrument is None:
            raise InvalidValueError(
                f"not a known instrument; known: {', '.join(self.instruments)} "
                "(see `goaltrack instruments`)"
            )
        return instrument

    def _refuse_broken(self, key: str) -> None:
        problem = self.problem(key)
        if problem is not None:
            raise InstrumentsFileError(problem)

    def all(self) -> list[Instrument]:
        """Every instrument: built-ins first in their shipped order, then the user's by key."""
        return list(self.instruments.values())

    def is_builtin(self, key: str) -> bool:
        """True when `key` names a built-in instrument."""
        return key in BUILTINS

    def problems(self) -> list[str]:
        """Every problem of the user file, one line each: the file's, else each broken table's."""
        return [self.file_error] if self.file_error else list(self.broken.values())

    def check(self) -> Registry:
        """This registry, or the first problem of the user file raised (exit 3): for callers
        that must not go on with a partly read file."""
        problems = self.problems()
        if problems:
            raise InstrumentsFileError(problems[0])
        return self


def builtin_registry() -> Registry:
    """A registry of the built-ins only."""
    return Registry(dict(BUILTINS))


def load_registry(home: Path) -> Registry:
    """The built-ins merged with the valid tables of `home`/instruments.toml, if it exists.

    A user instrument may not reuse a built-in key: silently replacing PHQ-9's cutoff or range
    would change what every existing PHQ-9 goal means. A table that does not validate is left
    out and recorded in `Registry.broken`; a file that cannot be read in `file_error`. Errors
    name the file and the table. Use `.check()` to refuse a file with any problem.
    """
    path = home / USER_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return builtin_registry()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return Registry(dict(BUILTINS), path, file_error=f"cannot read {path}: {reason}")
    merged = dict(BUILTINS)
    try:
        tables = read_user_tables(raw, path)
    except InstrumentsFileError as error:
        return Registry(merged, path, file_error=error.message)
    broken: dict[str, str] = {}
    for key, table in tables:
        try:
            merged[key] = user_instrument(key, table, path)
        except InstrumentsFileError as error:
            broken[key] = error.message
    return Registry(merged, path, broken)


def read_user_tables(raw: bytes, path: Path) -> list[tuple[str, object]]:
    """The (key, table) pairs of a user file, sorted by key; InstrumentsFileError naming `path`
    when the file is not UTF-8 or not TOML (then no table of it can be trusted)."""
    import tomllib  # only for a home with its own instruments: not on every command's path

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InstrumentsFileError(f"{path}: not valid UTF-8") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(error, text)
        where = f" (line {line})" if line else ""
        raise InstrumentsFileError(f"{path}: not valid TOML{where}") from None
    return [
        (key, document[key])
        for key in sorted(document)
        if not (key == "schema_version" and document[key] == 1)
    ]


def user_instrument(key: str, table: object, path: Path) -> Instrument:
    """One table of a user file as an Instrument; InstrumentsFileError naming file and table."""
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
            f"{where}: {key!r} is a built-in instrument and cannot be redefined; use another key"
        )
    unknown = sorted(set(table) - USER_FIELDS)
    if unknown:
        raise InstrumentsFileError(
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(USER_FIELDS))}"
        )
    try:
        return Instrument.model_validate({**table, "key": key, "origin": str(path)})
    except ValidationError as error:
        raise InstrumentsFileError(f"{where}: {describe_validation_error(error)}") from None
