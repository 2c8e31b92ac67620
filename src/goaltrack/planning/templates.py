"""The goal template library: the built-ins shipped as data (data/templates.toml) merged with
the user's own `$GOALTRACK_HOME/templates.toml`, each template checked against the instrument
registry (its measure must exist and its target rule must be computable from the measure's
facts).

A user template with the key of a built-in replaces it; a new key adds one. A broken user file
is one error line naming the file, the template and the field (`TemplatesFileError`, exit 3),
raised only by the commands that use templates: the others never read the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from goaltrack.errors import InvalidValueError, TemplatesFileError
from goaltrack.measures.instruments import Registry, builtin_registry
from goaltrack.planning.targets import TargetRule, rule_problem
from goaltrack.records.convert import TEMPLATE_KEY_RULE, is_template_key, toml_error_line
from goaltrack.records.enums import Approach, GoalKind, Severity
from goaltrack.records.fields import Line, Schedule, TemplateKey
from goaltrack.records.validation import describe_validation_error


class Stage(StrEnum):
    """Where a goal sits in the course of treatment: first make safe, then change, then keep."""

    STABILISE = "stabilise"
    CHANGE = "change"
    CONSOLIDATE = "consolidate"


class TherapyObjective(StrEnum):
    """The broad objectives of therapy a template serves (issue 11's list)."""

    SUPPORT = "support"  # emotional support and a safe space
    INSIGHT = "insight"  # insight and self-awareness
    GROWTH = "growth"  # personal growth
    PATTERNS = "patterns"  # changed patterns of thought and behaviour
    COPING = "coping"  # coping skills and resilience
    RELATIONSHIPS = "relationships"  # better relationships
    MANAGEMENT = "management"  # managing mental-health issues


#: Default weeks to a template goal's due date, by stage: stabilising is urgent and short;
#: a course of change is about 12 sessions (NICE NG116, NG222); consolidation spans months.
STAGE_WEEKS = {Stage.STABILISE: 4, Stage.CHANGE: 12, Stage.CONSOLIDATE: 26}


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ApproachPlan(_Data):
    """What a template does under one approach: its objectives and interventions."""

    objectives: tuple[Line, ...] = ()
    interventions: tuple[Line, ...] = Field(min_length=1)
    tags: tuple[Line, ...] = ()


class Template(_Data):
    """A goal template: what the goal is, whom it fits, how it is measured and targeted, and
    its objectives and interventions per approach."""

    key: TemplateKey
    kind: GoalKind
    title: Line
    concerns: tuple[Line, ...] = Field(min_length=1)  # concern names it fits (matched by words)
    severities: tuple[Severity, ...] = Field(min_length=1)
    stage: Stage
    measure: str
    target: TargetRule
    weeks: int | None = Field(default=None, ge=1, le=104)  # to the due date; by stage if unset
    every: Schedule | None = None
    serves: tuple[TherapyObjective, ...] = Field(min_length=1)
    tags: tuple[Line, ...] = ()  # words preferences and strengths are matched against
    objectives: tuple[Line, ...] = ()  # shared by every approach
    approaches: dict[Approach, ApproachPlan] = Field(min_length=1)
    note: str | None = None  # the clinical source or caveat, for `templates KEY`
    origin: str = "built-in"

    @field_validator("concerns", "tags")
    @classmethod
    def _folded(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(text.strip().casefold() for text in value))

    def due_weeks(self) -> int:
        """Weeks from today to the goal's due date."""
        return self.weeks if self.weeks is not None else STAGE_WEEKS[self.stage]

    def plan_for(self, approaches: list[Approach]) -> tuple[list[str], list[tuple[str, Approach]]]:
        """The objectives (shared ones first) and interventions for these approaches, in the
        order given; approaches the template has nothing for are skipped."""
        objectives = list(self.objectives)
        interventions: list[tuple[str, Approach]] = []
        for approach in approaches:
            plan = self.approaches.get(approach)
            if plan is None:
                continue
            objectives.extend(text for text in plan.objectives if text not in objectives)
            interventions.extend((text, approach) for text in plan.interventions)
        return objectives, interventions

    def fits(self, concern: str) -> bool:
        """True when a concern's name matches one this template fits: the same words, or one
        name holding the other ("depression" fits "severe depression")."""
        name = concern.strip().casefold()
        return any(fit == name or fit in name or name in fit for fit in self.concerns)


#: Fields of a template table (`key` comes from the table name, `origin` is goaltrack's own).
TEMPLATE_FIELDS = frozenset(Template.model_fields) - {"key", "origin"}
BUILTIN_FILE = "templates.toml"
USER_FILE = "templates.toml"


@dataclass(frozen=True)
class Library:
    """Every template this goaltrack knows, built-ins first in their shipped order."""

    templates: dict[str, Template]
    path: Path | None = None  # the user file that was read, if any

    def all(self) -> list[Template]:
        """Every template, in order."""
        return list(self.templates.values())

    def require(self, key: str) -> Template:
        """The template with this key, or an error pointing at `goaltrack templates`."""
        template = self.templates.get(key)
        if template is None:
            raise InvalidValueError(
                f"not a known template (see `goaltrack templates` for the "
                f"{len(self.templates)} there are)"
            )
        return template


_WORDS = (
    (re.compile(r"Input should be"), "must be"),
    (
        re.compile(
            r"(?:Tuple|List|Dictionary) should have at least (\d+) items? after validation, not \d+"
        ),
        r"must have at least \1",
    ),
    (re.compile(r"Field required"), "required, missing"),
)


def our_words(message: str) -> str:
    """Pydantic's wording of a failed check in goaltrack's ("must be ...")."""
    for pattern, words in _WORDS:
        message = pattern.sub(words, message)
    return message


def parse_templates(
    document: dict[str, Any], where: str, registry: Registry, error: type[Exception]
) -> list[Template]:
    """The templates of a parsed file, each checked; errors `error("WHERE: [key] field: ...")`."""
    found = []
    for key, table in document.items():
        place = f"{where}: [{key}]"
        if not isinstance(table, dict):
            raise error(f"{place} must be a table of template fields (kind, title, ...)")
        if not is_template_key(key):
            raise error(f"{place}: a template key {TEMPLATE_KEY_RULE}")
        unknown = sorted(set(table) - TEMPLATE_FIELDS)
        if unknown:
            raise error(
                f"{place}: unknown field(s) {', '.join(unknown)}; allowed: "
                f"{', '.join(sorted(TEMPLATE_FIELDS))}"
            )
        try:
            template = Template.model_validate({**table, "key": key, "origin": where})
        except ValidationError as problem:
            raise error(f"{place} {our_words(describe_validation_error(problem))}") from None
        instrument = registry.get(template.measure)
        if instrument is None:
            raise error(f"{place} measure: unknown instrument {template.measure!r}")
        problem_text = rule_problem(template.target, instrument)
        if problem_text:
            raise error(f"{place} target: {problem_text}")
        found.append(template)
    return found


@functools.cache
def _builtin_document() -> dict[str, Any]:
    import rtoml

    data = resources.files("goaltrack").joinpath("data", BUILTIN_FILE)
    document: dict[str, Any] = rtoml.loads(data.read_text(encoding="utf-8"))
    return document


def builtin_library() -> Library:
    """The shipped templates only (checked against the built-in instruments)."""
    templates = parse_templates(_builtin_document(), "built-in", builtin_registry(), ValueError)
    return Library({template.key: template for template in templates})


def load_library(home: Path, registry: Registry) -> Library:
    """The built-ins merged with `home`/templates.toml, if that file exists; a user template
    with a built-in's key replaces it. Errors name the file, the template and the field."""
    library = builtin_library()
    path = home / USER_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return library
    except OSError as error:
        raise TemplatesFileError(
            f"cannot read {path}: {error.strerror or type(error).__name__}"
        ) from None
    merged = dict(library.templates)
    for template in parse_user_templates(raw, path, registry):
        merged[template.key] = template
    return Library(merged, path)


def parse_user_templates(raw: bytes, path: Path, registry: Registry) -> list[Template]:
    """The templates defined in the bytes of a user file, validated; errors name `path`."""
    import tomllib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TemplatesFileError(f"{path}: not valid UTF-8") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(error, text)
        raise TemplatesFileError(
            f"{path}: not valid TOML" + (f" (line {line})" if line else "")
        ) from None
    return parse_templates(document, str(path), registry, TemplatesFileError)
