"""Commands for planning goals: suggest, templates, plan."""

from __future__ import annotations

import shutil
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from goaltrack import settings
from goaltrack.cli import complete
from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    choices,
    command_group,
    library,
    output,
    registry,
    store,
)
from goaltrack.measures import safety
from goaltrack.planning import plan as plans
from goaltrack.planning.suggest import suggest as rank_templates
from goaltrack.records.convert import parse_template_key
from goaltrack.records.enums import Approach
from goaltrack.render import planning as text
from goaltrack.render.report import Column, OutputFormat, Report, Section

commands = command_group()

SUGGESTION_FIELDS = [
    "client",
    "rank",
    "template",
    "title",
    "kind",
    "stage",
    "concern",
    "severity",
    "score",
    "measure",
    "baseline",
    "baseline_from",
    "target",
    "target_rule",
    "due",
    "every",
    "priority",
    "objectives",
    "interventions",
    "reasons",
    "covered_by",
]


@commands.command("suggest")
def suggest(
    client_id: ClientIdArg,
    approach: Annotated[
        list[Approach] | None,
        typer.Option(
            "--approach",
            case_sensitive=False,
            metavar="<approach>",
            help=f"Plan under this approach instead of the client's ({choices(Approach)}). "
            "Repeatable.",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Show only the first N suggestions.")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Rank goal templates for a client, with the reasons and what each would create."""
    record = store().load(client_id)
    known = registry()
    found = rank_templates(record, library(known), known, settings.as_of(), approach or None)
    items = found.items[:limit] if limit else found.items
    alerts = [alert.message() for alert in safety.alerts(record)]
    suggestions = [item.as_dict() for item in items]
    document: dict[str, Any] = {
        "client": client_id,
        "approaches": [a.value for a in found.approaches],
        "suggestions": suggestions,
        "notes": found.notes,
    }
    if fmt is OutputFormat.TABLE and not as_json:
        sys.stdout.write(text.wrapped(text.suggestions_text(document, alerts), _width()))
        return
    rows = [_suggestion_row(client_id, item) for item in suggestions]
    report = Report(
        document={**document, "alerts": [a.as_dict() for a in safety.alerts(record)]},
        rows=rows,
        columns=[],
        keys=SUGGESTION_FIELDS,
        alerts=alerts,
    )
    output(report, fmt, as_json)


def _suggestion_row(client_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """One suggestion as a flat row: lists joined with '; '."""
    creates = item["creates"]
    return {
        "client": client_id,
        **{key: item[key] for key in ("rank", "template", "title", "kind", "stage")},
        "concern": item["concern"],
        "severity": item["severity"],
        "score": item["score"],
        **{
            key: creates[key]
            for key in (
                "measure",
                "baseline",
                "baseline_from",
                "target",
                "target_rule",
                "due",
                "every",
                "priority",
            )
        },
        "objectives": "; ".join(creates["objectives"]),
        "interventions": "; ".join(
            f"{i['technique']} ({i['approach']})" for i in creates["interventions"]
        ),
        "reasons": "; ".join(item["reasons"]),
        "covered_by": " ".join(str(n) for n in item["covered_by"]) or None,
    }


TEMPLATE_COLUMNS = [
    Column("key", "Key"),
    Column("kind", "Kind", drop=4),
    Column("stage", "Stage", drop=2),
    Column("severities", "Severity", drop=3),
    Column("measure", "Measure", drop=1),
    Column("target", "Target", drop=5),
    Column("title", "Goal", wrap=True),
]


def _template_row(template: Any) -> dict[str, Any]:
    return {
        "key": template.key,
        "kind": template.kind.value,
        "title": template.title,
        "stage": template.stage.value,
        "severities": ", ".join(s.value for s in template.severities),
        "concerns": ", ".join(template.concerns),
        "measure": template.measure,
        "target": template.target.value,
        "serves": ", ".join(s.value for s in template.serves),
        "approaches": ", ".join(a.value for a in template.approaches),
        "origin": template.origin,
    }


@commands.command("templates")
def templates(
    key: Annotated[
        str | None,
        typer.Argument(
            help="Show one template in detail.",
            autocompletion=complete.template_keys,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List the goal templates, or show one with its objectives and interventions."""
    known = library()
    if key is None:
        rows = [_template_row(template) for template in known.all()]
        report = Report(
            document={"templates": rows},
            rows=rows,
            columns=TEMPLATE_COLUMNS,
            footnotes=[
                f"{len(rows)} templates. Your own: {store().home / 'templates.toml'} "
                "(docs/planning.md). Show one: goaltrack templates KEY."
            ],
        )
        output(report, fmt, as_json)
        return
    template = known.require(parse_template_key(key, "template"))
    row = _template_row(template)
    plans_rows = [
        {
            "approach": approach.value,
            "objectives": "; ".join([*template.objectives, *plan.objectives]),
            "interventions": "; ".join(plan.interventions),
        }
        for approach, plan in template.approaches.items()
    ]
    detail = {
        **row,
        "concerns": list(template.concerns),
        "severities": [s.value for s in template.severities],
        "serves": [s.value for s in template.serves],
        "tags": list(template.tags),
        "weeks": template.due_weeks(),
        "every": template.every,
        "objectives": list(template.objectives),
        "approaches": {
            approach.value: {
                "objectives": list(plan.objectives),
                "interventions": list(plan.interventions),
            }
            for approach, plan in template.approaches.items()
        },
        "note": template.note,
    }
    report = Report(
        document={"template": detail},
        rows=[row],
        columns=TEMPLATE_COLUMNS,
        title=f"{template.key} — {template.title}",
        fields=[
            ("Kind", row["kind"]),
            ("Stage", row["stage"]),
            ("Fits", row["concerns"]),
            ("Severities", row["severities"]),
            ("Measure", row["measure"]),
            ("Target rule", row["target"]),
            ("Due in", f"{template.due_weeks()} weeks"),
            ("Measured every", template.every),
            ("Serves", row["serves"]),
            ("Tags", ", ".join(template.tags) or None),
            ("Note", template.note),
            ("From", template.origin),
        ],
        sections=[
            Section(
                "Objectives and interventions by approach",
                [
                    Column("approach", "Approach"),
                    Column("objectives", "Objectives", wrap=True),
                    Column("interventions", "Interventions", wrap=True),
                ],
                plans_rows,
            )
        ],
    )
    output(report, fmt, as_json)


def _width() -> int:
    """The terminal's width ($COLUMNS first), for wrapping the text layouts."""
    return shutil.get_terminal_size((100, 24)).columns


class PlanFormat(StrEnum):
    """`plan`'s formats: every read command's, and Markdown for a letter."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MD = "md"


@commands.command("plan")
def plan(
    client_id: ClientIdArg,
    fmt: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output format: table (a tree) for people; md (Markdown) for a letter; "
            "json, jsonl, csv for scripts.",
        ),
    ] = PlanFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """The treatment plan: concerns -> goals -> objectives -> interventions, with outlooks."""
    record = store().load(client_id)
    today = settings.as_of()
    tree = plans.plan_tree(record, registry(), today, settings.stale_days())
    risks = safety.alerts(record)
    alerts = [alert.message() for alert in risks]
    if fmt is PlanFormat.TABLE and not as_json:
        sys.stdout.write(text.wrapped(text.plan_text(tree, alerts), _width()))
        return
    if fmt is PlanFormat.MD and not as_json:
        sys.stdout.write(text.plan_markdown(tree, alerts))
        return
    report = Report(
        document={"plan": tree, "alerts": [alert.as_dict() for alert in risks]},
        rows=plans.plan_rows(tree),
        columns=[],
        keys=plans.PLAN_ROW_FIELDS,
        alerts=alerts,
    )
    output(report, OutputFormat(fmt.value), as_json)
