"""Commands about goals: add-goal, goals, edit-goal."""

from __future__ import annotations

from typing import Annotated

import typer

from goaltrack import operations, views
from goaltrack.cli import complete
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    GoalArg,
    JsonOption,
    choices,
    command_group,
    library,
    one_of_option,
    output,
    print_created,
    registry,
    say,
    store,
    text_or_stdin,
)
from goaltrack.errors import FieldError, InvalidValueError
from goaltrack.measures.instruments import builtin_registry
from goaltrack.planning.drafts import GoalDraft
from goaltrack.records.convert import (
    DATE_FORMS,
    parse_date,
    parse_line,
    parse_measure_key,
    parse_number,
    parse_schedule,
    parse_template_key,
)
from goaltrack.records.enums import Approach, GoalKind, GoalStatus, Priority, gas_level_key
from goaltrack.records.model import ClientRecord
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.settings import as_of
from goaltrack.storage.config import default_schedules

commands = command_group()

MeasureOption = Annotated[
    str | None, typer.Option("--measure", help="Instrument key, e.g. phq9, gad7, gbo.")
]
BaselineOption = Annotated[
    str | None,
    typer.Option("--baseline", help="Starting value (default: the first logged value)."),
]
TargetOption = Annotated[str | None, typer.Option("--target", help="Value that means success.")]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Accept a target on the worse side of the baseline, or a due date already past "
        "(add-goal: or a discharged client; the goal joins the closed episode).",
    ),
]
GasLevelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--gas-level",
        metavar="LEVEL=TEXT",
        help="GAS goals: what level -2, -1, 0, +1 or +2 looks like, e.g. '0=Goes to the "
        "gym twice a week' ('0=-' reads the text from stdin). Repeatable.",
    ),
]
DueOption = Annotated[str | None, typer.Option("--due", help=f"Due date: {DATE_FORMS}.")]
EveryOption = Annotated[
    str | None,
    typer.Option(
        "--every",
        help="How often it is measured: session, or every N weeks or days (1w, 2w, 4w, 10d). "
        "Default: the measure's schedule in the home's config.toml, if any. `attention` says "
        "when a measure is due.",
    ),
]
PriorityOption = Annotated[
    Priority | None,
    typer.Option("--priority", case_sensitive=False, help=f"One of {choices(Priority)}."),
]
ApproachOption = Annotated[
    Approach | None,
    typer.Option(
        "--approach",
        case_sensitive=False,
        metavar="<approach>",
        help=f"One of {choices(Approach)}.",
    ),
]
ConcernOption = Annotated[
    str | None,
    typer.Option(
        "--concern",
        help="The client's concern this goal serves (by name; see `goaltrack show ID`); '-' "
        "reads it from stdin.",
        autocompletion=complete.concern_names,
    ),
]
#: `edit-goal --clear`: the fields a goal can lose, its GAS level descriptions included
#: (operations.edit_goal handles gas_levels itself; each name listed once).
GOAL_CLEARABLE = tuple(dict.fromkeys((*operations.GOAL_CLEARABLE, "gas_levels")))

GOAL_COLUMNS = [
    Column("goal", "#", numeric=True),
    Column("kind", "Kind", drop=6),
    Column("title", "Goal", wrap=True),
    Column("measure", "Measure", drop=3),
    Column("baseline", "Start", numeric=True, drop=5),
    Column("target", "Target", numeric=True, drop=4),
    Column("due", "Due", drop=2),
    Column("priority", "Priority", drop=1),
    Column("status", "Status"),
    Column("entries", "N", numeric=True, drop=7),
]


def _number(text: str | None, what: str) -> int | float | None:
    return None if text is None else parse_number(text, what)


def _goal_fields(
    kind: GoalKind | None,
    title: str | None,
    measure: str | None,
    baseline: str | None,
    target: str | None,
    due: str | None,
    priority: Priority | None,
    status: GoalStatus | None,
    approach: Approach | None,
    concern: str | None = None,
    every: str | None = None,
) -> operations.GoalFields:
    """The goal fields typed on the command line, each through the conversion layer."""
    return operations.GoalFields(
        kind=kind,
        title=None if title is None else parse_line(text_or_stdin(title, "title"), "title"),
        measure=None if measure is None else parse_measure_key(measure, "measure"),
        baseline=_number(baseline, "baseline"),
        target=_number(target, "target"),
        due=None if due is None else parse_date(due, "due"),
        priority=priority,
        status=status,
        approach=approach,
        concern=None
        if concern is None
        else parse_line(text_or_stdin(concern, "concern"), "concern"),
        every=None if every is None else parse_schedule(every, "every"),
    )


@commands.command("add-goal")
def add_goal(
    client_id: ClientIdArg,
    kind: Annotated[
        GoalKind | None,
        typer.Argument(
            case_sensitive=False,
            help=f"Goal kind: {choices(GoalKind)} (optional with --template).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Argument(
            help="What the goal is, in a few words (optional with --template); '-' reads it "
            "from stdin.",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Make the goal from a template (see `goaltrack templates`): its concern, "
            "measure, baseline (the latest screening), computed target, due date, objectives "
            "and interventions for the client's approaches. Any option given overrides.",
            autocompletion=complete.template_keys,
        ),
    ] = None,
    concern: ConcernOption = None,
    measure: MeasureOption = None,
    baseline: BaselineOption = None,
    target: TargetOption = None,
    due: DueOption = None,
    priority: PriorityOption = None,
    approach: ApproachOption = None,
    every: EveryOption = None,
    force: ForceOption = False,
    gas_level: GasLevelOption = None,
) -> None:
    """Add a goal to a client; prints the new goal number.

    Give KIND and TITLE, or --template KEY. The measure defaults to the kind's usual
    instrument (symptom-reduction: phq9, trauma-resolution: pcl5, self-esteem: rses, others:
    gbo; gas when --gas-level is given).
    """
    fields = _goal_fields(
        kind, title, measure, baseline, target, due, priority, None, approach, concern, every
    )
    levels = parse_gas_levels(gas_level)
    known = registry()
    schedules = default_schedules(store().home)
    if template is not None:
        chosen = library(known).require(parse_template_key(template))
        today = as_of()

        def from_template(record: ClientRecord) -> tuple[int, GoalDraft]:
            operations.require_in_care(record, force, done="added")  # as `log`: --force
            return operations.add_goal_from_template(
                record, chosen, fields, known, today, force=force, gas_levels=levels,
                check_dates=True,
            )  # fmt: skip

        made = store().update(client_id, from_template)
        number, draft = made
        print_created(
            number, f"added goal {number} for {client_id}", f"goal {number} of {client_id}"
        )
        for line in _draft_summary(draft):
            say(line)
        if draft.measure == "gas" and not levels:
            say(
                f"describe its GAS levels: goaltrack edit-goal {client_id} {number} "
                "--gas-level '0=...' --gas-level '-1=...' --gas-level '+1=...'"
            )
        return
    if kind is None or title is None:
        raise InvalidValueError("give the goal's KIND and TITLE, or --template KEY")

    def plain(record: ClientRecord) -> int:
        operations.require_in_care(record, force, done="added")  # as `log`: --force
        return operations.add_goal(
            record, fields, known, force=force, gas_levels=levels, check_dates=True,
            schedules=schedules,
        )  # fmt: skip

    number = store().update(client_id, plain)
    print_created(number, f"added goal {number} for {client_id}", f"goal {number} of {client_id}")


#: `goals --status`: a goal status, or every goal (as `clients --status all`).
GOAL_STATUS_FILTERS = (*(status.value for status in GoalStatus), "all")


@commands.command("goals")
def list_goals(
    client_id: ClientIdArg,
    kind: Annotated[
        GoalKind | None,
        typer.Option(
            "--kind", case_sensitive=False, metavar="<kind>", help="Only goals of this kind."
        ),
    ] = None,
    status: Annotated[
        str,
        one_of_option(
            "--status",
            GOAL_STATUS_FILTERS,
            f"Only goals with this status ({choices(GoalStatus)}), or 'all' (the default).",
        ),
    ] = "all",
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List a client's goals."""
    record = store().load(client_id)
    wanted = None if status == "all" else GoalStatus(status)
    selected = views.select_goals(record, kind=kind, status=wanted)
    rows = [views.goal_row(goal) for goal in selected]
    report = Report(
        document={"client": client_id, "goals": rows},
        rows=[{"client": client_id, **row} for row in rows],
        keys=views.GOAL_FIELDS,
        columns=[Column("client", "Client"), *GOAL_COLUMNS],
        title=f"Goals of {client_id}",
        empty="no goals" if record.goals else "no goals yet: add one with `goaltrack add-goal`",
    )
    if fmt is OutputFormat.TABLE and not as_json:
        report.columns = GOAL_COLUMNS
    output(report, fmt, as_json)


@commands.command("edit-goal")
def edit_goal(
    client_id: ClientIdArg,
    goal: GoalArg,
    kind: Annotated[
        GoalKind | None,
        typer.Option("--kind", case_sensitive=False, metavar="<kind>", help="New goal kind."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="New title; '-' reads it from stdin.")
    ] = None,
    measure: MeasureOption = None,
    baseline: BaselineOption = None,
    target: TargetOption = None,
    due: DueOption = None,
    priority: PriorityOption = None,
    status: Annotated[
        GoalStatus | None,
        typer.Option("--status", case_sensitive=False, help=f"One of {choices(GoalStatus)}."),
    ] = None,
    approach: ApproachOption = None,
    concern: ConcernOption = None,
    every: EveryOption = None,
    clear: Annotated[
        list[str] | None,
        one_of_option(
            "--clear",
            GOAL_CLEARABLE,
            "Remove a field: measure, baseline, target, due, approach, concern, every, "
            "gas_levels. Repeatable.",
        ),
    ] = None,
    force: ForceOption = False,
    gas_level: GasLevelOption = None,
) -> None:
    """Change a goal's fields, including its status."""
    fields = _goal_fields(
        kind, title, measure, baseline, target, due, priority, status, approach, concern, every
    )
    levels = parse_gas_levels(gas_level)
    checks_values = (
        fields.measure is not None
        or fields.baseline is not None
        or fields.target is not None
        or bool({"measure", "baseline", "target"} & set(clear or []))
    )
    # a status or title change needs no registry, so a broken instruments.toml cannot block it
    known = registry() if checks_values else builtin_registry()
    store().update(
        client_id,
        lambda record: operations.edit_goal(
            record,
            goal,
            fields,
            known,
            clear=clear or [],
            force=force,
            gas_levels=levels,
            check_dates=True,
        ),
    )
    say(f"updated goal {goal} of {client_id}")


def _draft_summary(draft: GoalDraft) -> list[str]:
    """What the template computed: concern, baseline and where it came from, target, plan;
    then the target's rule in words."""
    parts = []
    if draft.concern:
        parts.append(f"concern {draft.concern}")
    if draft.baseline is not None:
        parts.append(f"baseline {draft.baseline:g} ({draft.baseline_from})")
    parts.append("no target yet" if draft.target is None else f"target {draft.target:g}")
    parts.append(_count(len(draft.objectives), "objective"))
    parts.append(_count(len(draft.interventions), "intervention"))
    return [
        f"made from template {draft.template}: {', '.join(parts)}",
        f"  target rule: {draft.target_rule}",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def parse_gas_levels(specs: list[str] | None) -> dict[str, str]:
    """`LEVEL=TEXT` specs (level -2..+2) as a mapping; a clear error for a malformed one."""
    levels: dict[str, str] = {}
    for spec in specs or []:
        level, sep, typed = spec.partition("=")
        text = text_or_stdin(typed, "gas-level") or ""
        if not sep or not text.strip():
            raise FieldError("gas-level", "use LEVEL=TEXT, e.g. '0=Goes out once a week'")
        try:
            key = gas_level_key(level)
        except ValueError as error:
            raise FieldError("gas-level", str(error)) from None
        if key in levels:
            raise InvalidValueError(f"--gas-level: level {key} is given twice")
        levels[key] = text.strip()
    return levels
