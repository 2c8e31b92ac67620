"""A report as one self-contained page: HTML (charts inline as SVG, CSS inline, no script, no
fetch) or Markdown (for pasting into a letter or a record).

It lays out what `goaltrack.reporting` decided; it decides nothing about privacy. Templates
are Jinja2 files shipped in the package (`render/report_html/`). HTML is autoescaped: every
value from a client file is text, never markup; the only markup inserted whole is the SVG of
`render/svg.py`, which escapes its own text. Markdown escapes every value as Markdown (and
`<`, so that no Markdown viewer runs a tag). Loaded only by the `report` command.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from goaltrack import __version__
from goaltrack.render import svg
from goaltrack.render.canvas import format_value
from goaltrack.reporting import CLIENT, CLINICIAN, ClientReport
from goaltrack.supervision import CaseloadReport

TEMPLATES = "report_html"
FORMATS = ("html", "md")
#: The columns of the referrer's one-page table of goals (labels of `GoalReport.facts`).
REFERRER_LABELS = ("Measure", "Baseline", "Latest", "Target", "Reliable change", "Outlook")
HEADINGS = {
    CLINICIAN: ("Progress report: {id}", "For the treating clinician: contains private notes "
                "and risk details"),
    CLIENT: ("Your progress", "For you, the client"),
    "referrer": ("Progress summary: {id}", "A one-page summary for the referrer"),
}  # fmt: skip
FOOTERS = {
    CLINICIAN: "Confidential: clinical notes and risk information.",
    CLIENT: "",
    "referrer": "Confidential clinical information.",
}
#: Characters with a meaning in Markdown (or HTML inside Markdown), escaped with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
#: An `&` that would start a character reference (`&lt;`): written as `&amp;` to show as typed.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")


def markdown_text(value: Any) -> str:
    """Any value as Markdown text that shows exactly as written: specials (and `<`, so no
    viewer sees a tag) backslash-escaped, an `&` that would start a character reference as
    `&amp;`, line breaks as spaces (a table row or list item stays one line)."""
    if value is None:
        return ""
    text = format_value(value) if isinstance(value, int | float) else str(value)
    text = " ".join(text.splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _ENTITY_START.sub("&amp;", text))


def _fact(facts: list[tuple[str, str]], label: str) -> str:
    """The value of one fact by its label ("" when the goal has none)."""
    return next((value for name, value in facts if name == label), "")


def _num(value: float | None) -> str:
    return "" if value is None else format_value(value)


def _environment(fmt: str) -> Environment:
    """The Jinja environment of a format: HTML autoescaped, Markdown escaped as Markdown."""
    env = Environment(
        loader=PackageLoader("goaltrack.render", TEMPLATES),
        autoescape=fmt == "html",  # noqa: S701 - Markdown: every value escaped by `finalize`
        undefined=StrictUndefined,
        trim_blocks=fmt == "html",  # Markdown keeps its line breaks; blank runs are collapsed
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_text if fmt == "md" else None,
    )
    env.filters["fact"] = _fact
    env.filters["num"] = _num
    return env


def stylesheet() -> Markup:
    """The page's CSS, shipped as a file beside the templates and inlined in every page."""
    css = resources.files("goaltrack.render").joinpath(TEMPLATES, "style.css")
    return Markup(css.read_text(encoding="utf-8"))  # noqa: S704 - our own file, not data


def render_client(report: ClientReport, fmt: str) -> str:
    """One client's report as an HTML page or a Markdown document."""
    heading, audience_line = HEADINGS[report.audience]
    charts = {
        goal.number: Markup(svg.chart_svg(goal.chart, ident=f"chart-{goal.number}"))  # noqa: S704
        for goal in report.goals
    }  # svg.chart_svg escapes every text it draws
    return _tidy(
        fmt,
        _environment(fmt)
        .get_template(f"client.{fmt}.j2")
        .render(
            r=report,
            heading=heading.format(id=report.client_id),
            audience_line=audience_line,
            charts=charts,
            referrer_labels=REFERRER_LABELS,
            footer_note=FOOTERS[report.audience],
            version=__version__,
            produced=report.produced,
            as_of=report.as_of,
            css=stylesheet(),
        ),
    )


def render_caseload(report: CaseloadReport, fmt: str) -> str:
    """The supervision page over the caseload as an HTML page or a Markdown document."""
    groups = [report.overall, *report.by_approach]
    charts = {
        group.label: Markup(svg.outcome_bars(group, ident=f"bars-{index}"))  # noqa: S704
        for index, group in enumerate(groups)
    }
    return _tidy(
        fmt,
        _environment(fmt)
        .get_template(f"caseload.{fmt}.j2")
        .render(
            r=report,
            groups=groups,
            charts=charts,
            version=__version__,
            produced=report.produced,
            as_of=report.as_of,
            css=stylesheet(),
        ),
    )


#: A blank line between two list items (left by template tags): the list stays tight.
_LOOSE_ITEMS = re.compile(r"(\n *- [^\n]*)\n\n(?= *- )")


def _tidy(fmt: str, text: str) -> str:
    """Markdown without runs of blank lines or blank lines inside a list (both left by
    template tags); HTML as rendered."""
    if fmt != "md":
        return text
    text = re.sub(r"\n{3,}", "\n\n", text)
    while _LOOSE_ITEMS.search(text):
        text = _LOOSE_ITEMS.sub(r"\1\n", text)
    return text.lstrip("\n")


def default_name(
    client_id: str | None, produced: date, fmt: str, audience: str = "clinician"
) -> str:
    """The file name a report gets without -o: the client id (never the name) and the date,
    e.g. report-c-1042-2026-11-30.html; supervision-2026-11-30.html for the caseload (a
    name no client id can give). A client's or referrer's page ends in its audience
    (report-c-1042-2026-11-30-client.html), so it never replaces the clinician's page, with
    its notes and risk details, under the name that is then handed on (nor the reverse)."""
    if client_id is None:
        return f"supervision-{produced.isoformat()}.{fmt}"
    suffix = "" if audience == "clinician" else f"-{audience}"
    return f"report-{client_id}-{produced.isoformat()}{suffix}.{fmt}"
