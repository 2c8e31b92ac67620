"""Sync commands: `sync [init|status]`, `merge-file` (the git merge driver), `history`, `undo`,
`resolve`. Each parses, calls one operation of goaltrack.sync, and hands plain data on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goaltrack.cli.common import (
    ClientIdArg,
    FormatOption,
    JsonOption,
    banner,
    command_group,
    home,
    output,
    say,
    warn,
)
from goaltrack.errors import EXIT_INPUT
from goaltrack.render.report import Column, OutputFormat, Report
from goaltrack.sync import repo, revisions
from goaltrack.sync.mergefile import merge_file

commands = command_group()
sync_group = typer.Typer(rich_markup_mode=None, add_completion=False)
commands.add_typer(sync_group, name="sync")


@sync_group.callback(invoke_without_command=True)
def sync(ctx: typer.Context) -> None:
    """Commit changes, pull from the remote (merging client files by meaning), then push."""
    if ctx.invoked_subcommand is not None:
        return
    result = repo.sync(home())
    for message in result.warnings:
        warn(message)
    if result.hand_changes:
        say(f"committed changes made outside goaltrack: {', '.join(result.hand_changes)}")
    for note in result.renumbered:
        say(f"renumbered: {note}")
    for client, fields in result.conflicts.items():
        warn(
            f"client {client}: {len(fields)} conflict(s) kept this machine's value: "
            f"{', '.join(fields)}; see `goaltrack show {client}`, settle with "
            f"`goaltrack resolve {client} --take ours|theirs|VALUE`"
        )
    say(
        f"sync: pulled {result.pulled} commit(s), pushed {result.pushed} commit(s)"
        + (f" to {result.remote}" if result.remote else "")
    )


@sync_group.command("init")
def sync_init(
    remote: Annotated[
        str | None,
        typer.Argument(
            help="The remote to sync with (ssh or https URL, or a path).", show_default=False
        ),
    ] = None,
) -> None:
    """Make the home a git repository set up to sync client files, and connect a remote."""
    result = repo.init(home(), remote)
    for message in result.warnings:
        warn(message)
    what = "created" if result.created else "adopted"
    say(
        f"sync: {what} the git repository in {home()} (branch {result.branch})"
        + (f", remote {result.remote}" if result.remote else "")
    )


STATUS_COLUMNS = [Column("item", "Item"), Column("value", "Value", wrap=True)]


@sync_group.command("status")
def sync_status(
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not fetch: counts as of the last sync.")
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Show what is ahead of and behind the remote, changes not yet synced, and conflicts."""
    state = repo.status(home(), fetch=not offline)
    for message in state.warnings:
        warn(message)
    rows: list[dict[str, object]] = [
        {"item": "branch", "value": state.branch},
        {"item": "remote", "value": state.remote or "(none)"},
        {"item": "ahead", "value": state.ahead},
        {"item": "behind", "value": state.behind},
        {"item": "pending", "value": ", ".join(state.pending) or "none"},
        {
            "item": "conflicts",
            "value": "; ".join(f"{c}: {', '.join(f)}" for c, f in state.conflicts.items())
            or "none",
        },
    ]
    document = {
        "branch": state.branch,
        "remote": state.remote,
        "ahead": state.ahead,
        "behind": state.behind,
        "pending": state.pending,
        "conflicts": state.conflicts,
    }
    output(
        Report(document=document, rows=rows, columns=STATUS_COLUMNS, title="Sync status"),
        fmt,
        as_json,
    )


@commands.command("merge-file")
def merge_file_command(
    base: Annotated[Path, typer.Argument(help="The common ancestor (empty file: none).")],
    ours: Annotated[Path, typer.Argument(help="Our version; the merged file replaces it.")],
    theirs: Annotated[Path, typer.Argument(help="Their version.")],
    path: Annotated[
        str | None, typer.Argument(help="The file's path in the repository (git's %P).")
    ] = None,
    driver: Annotated[
        bool,
        typer.Option(
            "--driver",
            help="Run as git's merge driver: the home is the current folder (the top of the "
            "repository), where conflicts are recorded.",
        ),
    ] = False,
) -> None:
    """Merge two versions of a client file by meaning (git's merge driver; usable by hand)."""
    where = Path.cwd() if driver else home()
    label = path or str(ours)
    result = merge_file(base, ours, theirs, path, where if (driver or path) else None)
    for change in result.renumbered:
        say(
            f"goaltrack merge-file {label}: both sides added {change.where} {change.old}; "
            f"one is now {change.new}"
        )
    if result.conflicts:
        say(
            f"goaltrack merge-file {label}: {len(result.conflicts)} conflict(s), this side's "
            f"value kept: {', '.join(c.where for c in result.conflicts)}"
        )
        raise typer.Exit(EXIT_INPUT)


HISTORY_COLUMNS = [
    Column("commit", "Commit"),
    Column("date", "Date"),
    Column("author", "Author", drop=1),
    Column("message", "Change", wrap=True),
]


@commands.command("history")
def history(
    client_id: ClientIdArg,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List the commits that changed a client's file, newest first (needs sync init)."""
    found = revisions.history(home(), client_id)
    rows = [
        {"commit": r.commit[:12], "date": r.when, "author": r.author, "message": r.message}
        for r in found
    ]
    document = {
        "client": client_id,
        "commits": [
            {"commit": r.commit, "date": r.when, "author": r.author, "message": r.message}
            for r in found
        ],
    }
    output(
        Report(
            document=document,
            rows=rows,
            columns=HISTORY_COLUMNS,
            title=f"History of {client_id}",
            empty="no commits",
        ),
        fmt,
        as_json,
    )


@commands.command("undo")
def undo(
    client_id: ClientIdArg,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Undo even when it removes an entry that holds an endorsed PHQ-9 item 9 (the "
            "audit log records it).",
        ),
    ] = False,
) -> None:
    """Undo the last change of a client: its previous version written back and committed."""
    from goaltrack.measures.safety import risk_facts  # only when undo runs

    done = revisions.undo(home(), client_id, force=force)
    for entry in done.risks_removed:
        banner(
            [
                f"RISK ENTRY REMOVED: {client_id} entry {entry.id} held an endorsed PHQ-9 "
                f"item 9 ({risk_facts(entry)}).",
                "The audit log records the removal. If the risk is current, follow it up and "
                "record it again.",
            ]
        )
    say(
        f"undo: client {client_id} is back to its version of commit {done.restored_from[:12]} "
        f"(undid {done.reverted[:12]}; `goaltrack undo {client_id}` again undoes this)"
    )


@commands.command("resolve")
def resolve(
    client_id: ClientIdArg,
    take: Annotated[
        str,
        typer.Option(
            "--take",
            help="ours (keep this machine's value), theirs (take the other side's), or the "
            "value to write (one field: give --field when there are several).",
            show_default=False,
        ),
    ],
    field: Annotated[
        str | None,
        typer.Option("--field", help="Only the conflict at this field, e.g. goals[1].title."),
    ] = None,
) -> None:
    """Settle a client's sync conflicts: keep ours, take theirs, or write a value."""
    done = revisions.resolve(home(), client_id, take, field)
    say(f"resolved {len(done.fields)} conflict(s) of {client_id}: {', '.join(done.fields)}")
