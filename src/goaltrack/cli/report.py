"""The `report` command: a self-contained page about one client, or the caseload for supervision.

The read model (`goaltrack.reporting`) decides what an audience sees; the page renderer
(Jinja2, loaded here only) lays it out; the file is written private (0600), atomically, and
never over a client file (`storage/outfile.py`).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from goaltrack import settings
from goaltrack.cli import complete
from goaltrack.cli.common import (
    StaleDaysOption,
    command_group,
    metavar,
    one_of,
    one_of_option,
    registry,
    say,
    store,
    warn,
    warn_unreadable,
)
from goaltrack.errors import InvalidValueError
from goaltrack.records.convert import DATE_FORMS, parse_date

commands = command_group()

#: `--audience`: who the report is for (goaltrack.reporting.AUDIENCES, kept here so that
#: `report --help` loads no read model).
AUDIENCES = ("clinician", "client", "referrer")
FORMATS = ("html", "md")


@commands.command("report")
def write_report(
    client_id: Annotated[
        str | None,
        typer.Argument(
            help="Client id, e.g. c-1042 (leave out with --caseload).",
            show_default=False,
            autocompletion=complete.client_ids,
        ),
    ] = None,
    caseload: Annotated[
        bool,
        typer.Option(
            "--caseload", help="A supervision page over every client: outcomes per approach."
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            parser=one_of(FORMATS),
            metavar=metavar(FORMATS),
            help="html (a page for any browser, charts included) or md (Markdown).",
        ),
    ] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here (default: report-ID-DATE.FORMAT in the current folder, named by "
            "the client id, never the name; report-ID-DATE-client.FORMAT or -referrer for "
            "those audiences); `-` writes the page to stdout. Never over a client file.",
            show_default=False,
        ),
    ] = None,
    audience: Annotated[
        str,
        one_of_option(
            "--audience",
            AUDIENCES,
            "clinician (everything), client (plain words; no notes, no risk details), "
            "referrer (a one-page summary).",
        ),
    ] = "clinician",
    since: Annotated[
        str | None,
        typer.Option("--since", help=f"Charts and data tables from this date on ({DATE_FORMS})."),
    ] = None,
    stale_days: StaleDaysOption = None,
) -> None:
    """Write a self-contained report (HTML or Markdown) of a client or the caseload, with charts.

    The file is readable by you only (mode 0600); its path is printed. Open the HTML in any
    browser: it loads nothing from the network and runs no script.
    """
    if caseload == (client_id is not None):
        raise InvalidValueError("name one CLIENT, or give --caseload for every client")
    if caseload and (audience != "clinician" or since is not None):
        raise InvalidValueError("--caseload is for the clinician; leave out --audience/--since")
    since_date = parse_date(since, "since") if since is not None else None
    from goaltrack import reporting, supervision  # read models: only for a report
    from goaltrack.attention import records_attention
    from goaltrack.measures import safety
    from goaltrack.records.asof import snapshot
    from goaltrack.render import report_page  # Jinja2: only here
    from goaltrack.storage.outfile import check_output_path, write_private
    from goaltrack.storage.store import scan

    as_of, produced = settings.as_of(), date.today()
    where = store()
    to_stdout = out is not None and str(out) == "-"
    path = out or Path(report_page.default_name(client_id, produced, fmt, audience))
    if not to_stdout:
        check_output_path(path, where.home)  # before any work: never over a client file
    known = registry()
    if caseload:
        records, problems = scan(where)
        warn_unreadable(problems)
        page = report_page.render_caseload(
            supervision.caseload_report(
                records,
                as_of=as_of,
                produced=produced,
                registry=known,
                attention=partial(
                    records_attention,
                    stale_days=settings.stale_days(stale_days),
                    registry=known,
                    home=where.home,
                ),
            ),
            fmt,
        )
        alerts = [alert for record in records for alert in safety.alerts(record)]
    else:
        record = where.load(client_id or "")
        data = reporting.client_report(
            record,
            audience=audience,
            as_of=as_of,
            produced=produced,
            since=since_date,
            stale_days=settings.stale_days(stale_days),
            registry=known,
        )
        page = report_page.render_client(data, fmt)
        alerts = safety.alerts(snapshot(record, as_of))
    for alert in alerts:  # whoever the page is for, the clinician running this is told
        warn(alert.message())
    if to_stdout:  # for a pipe (pandoc, a mail tool): the page itself, no file
        typer.echo(page, nl=False)
        return
    write_private(path, page, where.home)
    say(f"goaltrack: wrote {path} ({audience if not caseload else 'caseload'}, {fmt})")
    typer.echo(str(path))
