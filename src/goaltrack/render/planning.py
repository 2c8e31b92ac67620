"""The treatment plan as text for people: an indented tree for the terminal, and Markdown a
clinician can paste into a letter. Plain strings, no Rich; the tree is `planning.plan`'s."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from typing import Any

from goaltrack.planning.intake import short_name

#: Characters that could turn user text into emphasis, code, links, HTML or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def _md(text: Any) -> str:
    """User text made literal in Markdown (no emphasis, links or HTML from a title)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def wrapped(text: str, width: int) -> str:
    """Lines longer than `width` wrapped, continuation lines indented two more spaces than
    the line they continue (the tree's shape stays readable on a narrow terminal)."""
    out = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip(" ")))
        if len(line) <= width or not line.strip():
            out.append(line)
            continue
        out.extend(
            textwrap.wrap(
                line.strip(),
                width=max(width, len(indent) + 20),
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _measure_line(node: dict[str, Any]) -> str | None:
    """Measure, baseline -> latest -> target, due, schedule: the figures of a goal."""
    if node["measure"] is None and node["due"] is None:
        return None
    parts = []
    if node["measure"]:
        figures = node["measure"]
        if node["baseline"] is not None:
            figures += f" from {_value(node['baseline'])}"
        if node["latest"] is not None:
            figures += f", now {_value(node['latest'])}"
        if node["target"] is not None:
            figures += f", target {_value(node['target'])}"
        parts.append(figures)
    if node["due"] is not None:
        parts.append(f"due {_value(node['due'])}")
    if node["every"]:
        parts.append(f"measured every {node['every']}")
    return "; ".join(parts)


def _header(tree: dict[str, Any]) -> list[tuple[str, str]]:
    episode = f"{tree['episode']}, since {_value(tree['since'])}"
    if tree.get("until") is not None:
        episode += f"; discharged {_value(tree['until'])}"
    pairs = [("Episode", episode)]
    for key, label in (
        ("approaches", "Approaches"),
        ("preferences", "Preferences"),
        ("strengths", "Strengths"),
    ):
        if tree[key]:
            pairs.append((label, ", ".join(tree[key])))
    if tree["screenings"]:
        pairs.append(("Screenings", ", ".join(_screening(row) for row in tree["screenings"])))
    return pairs


def _screening(row: dict[str, Any]) -> str:
    """ "PHQ-9 21 (severe) on 2026-11-28", with its flags."""
    band = f" ({row['band']})" if row["band"] else ""
    flags = f" [{', '.join(row['flags'])}]" if row["flags"] else ""
    name = short_name(row["instrument"])
    return f"{name} {_value(row['value'])}{band} on {_value(row['date'])}{flags}"


def plan_text(tree: dict[str, Any], alerts: list[str]) -> str:
    """The plan as an indented tree for the terminal; safety alerts first."""
    lines = [*alerts]
    name = f" — {tree['name']}" if tree["name"] else ""
    lines.append(f"Treatment plan of {tree['client']}{name}")
    lines.extend(f"  {label}: {text}" for label, text in _header(tree))

    def goal(node: dict[str, Any], indent: str) -> None:
        lines.append(
            f"{indent}Goal {node['goal']}: {node['title']} "
            f"[{node['status']}, {node['priority']} priority; outlook: {node['outlook']}]"
        )
        figures = _measure_line(node)
        if figures:
            lines.append(f"{indent}  {figures}")
        for item in node["objectives"]:
            due = f", due {_value(item['due'])}" if item["due"] else ""
            lines.append(
                f"{indent}  Objective {item['number']}: {item['text']} [{item['status']}{due}]"
            )
        for item in node["interventions"]:
            approach = f" ({item['approach']})" if item["approach"] else ""
            lines.append(f"{indent}  Intervention {item['number']}: {item['technique']}{approach}")

    for concern in tree["concerns"]:
        lines.append("")
        lines.append(f"Concern: {concern['name']} ({concern['severity']})")
        if not concern["served"]:
            lines.append("  no active goal serves this concern")
        for node in concern["goals"]:
            goal(node, "  ")
    if tree["goals_without_concern"]:
        lines.append("")
        lines.append("Goals serving no concern")
        for node in tree["goals_without_concern"]:
            goal(node, "  ")
    if not tree["concerns"] and not tree["goals_without_concern"]:
        lines.append("")
        lines.append("no concerns and no goals yet: add a concern with `goaltrack edit-client`")
    return "\n".join(lines) + "\n"


def plan_markdown(tree: dict[str, Any], alerts: list[str]) -> str:
    """The plan as Markdown: headings per concern and goal, lists of objectives and
    interventions; user text escaped so that it stays text."""
    name = f" ({_md(tree['name'])})" if tree["name"] else ""
    lines = [f"# Treatment plan: {_md(tree['client'])}{name}", ""]
    for alert in alerts:
        lines.extend([f"> **{_md(alert)}**", ""])
    lines.extend(f"- **{label}:** {_md(text)}" for label, text in _header(tree))

    def goal(node: dict[str, Any]) -> None:
        lines.extend(["", f"### Goal {node['goal']}: {_md(node['title'])}", ""])
        lines.append(
            f"- **Status:** {node['status']}, {node['priority']} priority; "
            f"outlook: {node['outlook']}"
        )
        figures = _measure_line(node)
        if figures:
            lines.append(f"- **Measure:** {_md(figures)}")
        if node["objectives"]:
            lines.append("- **Objectives:**")
            for item in node["objectives"]:
                due = f", due {_value(item['due'])}" if item["due"] else ""
                lines.append(f"  {item['number']}. {_md(item['text'])} ({item['status']}{due})")
        if node["interventions"]:
            lines.append("- **Interventions:**")
            for item in node["interventions"]:
                approach = f" ({item['approach']})" if item["approach"] else ""
                lines.append(f"  - {_md(item['technique'])}{approach}")

    for concern in tree["concerns"]:
        lines.extend(["", f"## {_md(concern['name'])} ({concern['severity']})"])
        if not concern["served"]:
            lines.extend(["", "_No active goal serves this concern yet._"])
        for node in concern["goals"]:
            goal(node)
    if tree["goals_without_concern"]:
        lines.extend(["", "## Goals serving no concern"])
        for node in tree["goals_without_concern"]:
            goal(node)
    return "\n".join(lines) + "\n"


def suggestions_text(document: dict[str, Any], alerts: list[str]) -> str:
    """`suggest` for people: each suggestion with why it ranks there and what it creates."""
    lines = [*alerts]
    approaches = ", ".join(document["approaches"]) or "none"
    lines.append(f"Suggestions for {document['client']} (approaches: {approaches})")
    for item in document["suggestions"]:
        creates = item["creates"]
        lines.append("")
        lines.append(f"{item['rank']}. {item['template']}: {item['title']}")
        where = f"for {item['concern']} ({item['severity']}), " if item["concern"] else ""
        lines.append(f"   {where}{item['kind']}, {item['stage']}; score {item['score']}")
        figures = [creates["measure"]]
        if creates["baseline"] is not None:
            figures.append(f"baseline {_value(creates['baseline'])} ({creates['baseline_from']})")
        figures.append(
            f"target {_value(creates['target'])}"
            if creates["target"] is not None
            else "target to be set"
        )
        figures.append(f"due {_value(creates['due'])}")
        if creates["every"]:
            figures.append(f"every {creates['every']}")
        figures.append(f"{creates['priority']} priority")
        lines.append(f"   creates: {', '.join(figures)}")
        lines.append(f"   target rule: {creates['target_rule']}")
        for reason in item["reasons"]:
            lines.append(f"   - {reason}")
        for text in creates["objectives"]:
            lines.append(f"   objective: {text}")
        for intervention in creates["interventions"]:
            lines.append(
                f"   intervention: {intervention['technique']} ({intervention['approach']})"
            )
    if not document["suggestions"]:
        lines.append("no template fits this client's concerns")
    if document["notes"]:
        lines.append("")
        lines.extend(f"note: {note}" for note in document["notes"])
    lines.append("")
    lines.append(
        "Make one: goaltrack add-goal "
        f"{document['client']} --template KEY (any option overrides what it drafts)."
    )
    return "\n".join(lines) + "\n"
