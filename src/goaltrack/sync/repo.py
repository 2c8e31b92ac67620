"""The sync operations on a home: init, sync (commit, pull with the driver, push), status.

git moves and stores the data; goaltrack teaches it how to merge client files (the driver in
.gitattributes, registered in the repository's config) and checks what it commits: a client
file changed by hand is committed only when it is a valid client file, so a broken file never
reaches another machine. Every result is plain data for the command line to show.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from goaltrack.errors import CorruptFileError
from goaltrack.paths import CLIENT_SUFFIX
from goaltrack.sync import conflicts
from goaltrack.sync.commits import git_lock
from goaltrack.sync.git import Git, SyncError, git_version
from goaltrack.sync.mergefile import OURS_ENV, THEIRS_ENV, take_notes

REMOTE = "origin"
DRIVER = "goaltrack"
ATTRIBUTES = [
    f"clients/*{CLIENT_SUFFIX} merge={DRIVER}",
    "audit.log merge=union",
]
IGNORED = [
    "index.sqlite3*",
    "*.lock",
    "*.tmp",
    ".*.tmp",
    "trash/",
    "conflicts/",
    ".goaltrack-home",  # each home's own marker (storage: written on its first write)
]
#: What sync commits: client files, the audit log and the sync set-up (nothing else in a home).
TRACKED = ["clients", "audit.log", ".gitattributes", ".gitignore", "instruments.toml"]
PUBLIC_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")


@dataclass
class InitResult:
    """What `sync init` did."""

    created: bool
    branch: str
    remote: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class SyncResult:
    """What `sync` did: hand changes committed, what was pulled and merged, whether it pushed."""

    hand_changes: list[str] = field(default_factory=list)
    pulled: int = 0
    merged: bool = False
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    renumbered: list[str] = field(default_factory=list)
    pushed: int = 0
    remote: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Status:
    """Where a home stands against its remote."""

    branch: str
    remote: str | None
    ahead: int
    behind: int
    pending: list[str]
    conflicts: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)


def driver_command() -> str:
    """The merge driver's command line: this interpreter (absolute, so that git run from any
    shell finds it), `-m goaltrack merge-file --driver`, and git's placeholders."""
    return f"{shlex.quote(sys.executable)} -m goaltrack merge-file --driver %O %A %B %P"


def remote_warnings(url: str) -> list[str]:
    """Why a remote may be unsafe for health data: not ssh or https, or a public host."""
    found = []
    lowered = url.lower()
    if lowered.startswith(("http://", "git://", "ftp://")):
        found.append(
            f"the remote {url} is not encrypted in transit; use ssh or https (the files hold "
            "health data)"
        )
    host = re.sub(r"^[a-z+]+://", "", lowered).split("@")[-1].split("/")[0].split(":")[0]
    if host in PUBLIC_HOSTS or any(host.endswith("." + public) for public in PUBLIC_HOSTS):
        found.append(
            f"the remote is on {host}, a public hosting service: the files hold health data; "
            "keep the repository private and prefer a server you control or an encrypted "
            "remote (docs/sync.md)"
        )
    return found


def open_repository(home: Path) -> Git:
    """The home's git, version checked; SyncError when the home is not a sync repository."""
    git_version()
    git = Git(home)
    if not git.is_repository():
        raise SyncError(f"{home} is not set up for sync; run: goaltrack sync init [REMOTE]")
    return git


def init(home: Path, remote: str | None) -> InitResult:
    """Make the home a git repository set up for sync (or adopt the one it is), and connect
    it to `remote` when given: fetch what the remote has and merge it with the driver."""
    git_version()
    from goaltrack.storage.store import Store

    Store(home).ensure_home()
    git = Git(home)
    created = not git.is_repository()
    if created:
        git.run("init", "--quiet", "--initial-branch=main")
    _configure(git)
    result = InitResult(created, _branch(git), remote)
    if remote:
        result.warnings.extend(remote_warnings(remote))
        if git.config(f"remote.{REMOTE}.url") is None:
            git.run("remote", "add", REMOTE, remote)
        else:
            git.run("remote", "set-url", REMOTE, remote)
    with git_lock(home):
        try:
            remote_branch = _fetch(git, result.branch) if remote else None
        except SyncError as error:  # a typo in the address, or the remote is not reachable now
            raise SyncError(
                f"{error.message}; the home is a git repository now, but it is not connected: "
                "check the remote's address and run `goaltrack sync init REMOTE` again"
            ) from None
        if remote_branch is not None and not git.has_commits():
            _adopt_remote(git, remote_branch, result.branch)
        _write_lines(home / ".gitattributes", ATTRIBUTES)
        _write_lines(home / ".gitignore", IGNORED)
        _commit_all(git, "sync init")
    return result


def _configure(git: Git) -> None:
    """Register the driver and mark the home as synced (repository config only)."""
    git.run("config", f"merge.{DRIVER}.name", "goaltrack: merge client files by meaning")
    git.run("config", f"merge.{DRIVER}.driver", driver_command())
    git.run("config", "goaltrack.sync", "true")
    if git.config("user.name") is None:  # commits need an author; the OS user, on this repo
        from goaltrack.storage.audit import os_user

        git.run("config", "user.name", os_user())
        git.run("config", "user.email", f"{os_user()}@{socket.gethostname() or 'localhost'}")


def _adopt_remote(git: Git, remote_branch: str, branch: str) -> None:
    """A home with no commits takes the remote's history; its own files, if any, are kept
    aside by git's refusal (nothing is overwritten: an untracked file in the way stops it)."""
    done = git.call("checkout", "--quiet", "-B", branch, "--track", remote_branch)
    if done.code != 0:
        raise SyncError(
            "this home has client files and the remote has a history: the remote's files would "
            "overwrite them. Start from an empty home (or move these files away), run "
            "`goaltrack sync init REMOTE`, then import them"
        )


def _write_lines(path: Path, lines: list[str]) -> None:
    """Add the lines a file lacks (a user's own lines stay)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    present = set(text.splitlines())
    missing = [line for line in lines if line not in present]
    if missing:
        if text and not text.endswith("\n"):
            text += "\n"
        path.write_text(text + "\n".join(missing) + "\n", encoding="utf-8")
        path.chmod(0o600)


def _branch(git: Git) -> str:
    """The current branch (`main` for a repository without a commit yet)."""
    done = git.call("symbolic-ref", "--quiet", "--short", "HEAD")
    return done.stdout.strip() or "main"


def _fetch(git: Git, branch: str) -> str | None:
    """Fetch the remote; the remote-tracking branch to merge, or None when it has none yet."""
    git.run("fetch", "--quiet", REMOTE)
    ref = f"refs/remotes/{REMOTE}/{branch}"
    return ref if git.ok("rev-parse", "--verify", "--quiet", ref) else None


def pending_changes(git: Git) -> list[str]:
    """Paths sync would commit: changed, new or deleted tracked files of the home."""
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *TRACKED)
    paths = []
    for item in out.split("\0"):
        if len(item) > 3 and item[2] == " ":
            paths.append(item[3:])
    return sorted(set(paths))


def _client_of(path: str) -> str | None:
    if path.startswith("clients/") and path.endswith(CLIENT_SUFFIX) and path.count("/") == 1:
        return path[len("clients/") : -len(CLIENT_SUFFIX)]
    return None


def _commit_all(git: Git, what: str) -> list[str]:
    """Commit every pending change of the home after checking each client file changed is
    valid (a broken file is never committed); the message names client ids only."""
    from goaltrack.storage.reading import cut_short_message
    from goaltrack.storage.store import Store

    paths = pending_changes(git)
    if not paths:
        return []
    store = Store(git.home)
    clients = []
    for path in paths:
        client_id = _client_of(path)
        if client_id is None:
            continue
        clients.append(client_id)
        # store.read raises (naming the file) when it is not a valid client file
        if (git.home / path).exists() and not store.read(client_id, note_cut=False).whole:
            raise CorruptFileError(
                cut_short_message(str(git.home / path), client_id, "nothing was committed")
            )
    git.run("add", "--all", "--", *paths)
    if git.ok("diff", "--cached", "--quiet"):
        return []
    message = what
    if clients:
        shown = ", ".join(clients[:10]) + (
            f" and {len(clients) - 10} more" if len(clients) > 10 else ""
        )
        message += f": {shown}"
    git.run("commit", "--quiet", "--no-verify", "-m", message)
    return clients


def sync(home: Path) -> SyncResult:
    """Commit hand changes, pull (fetch, then merge with the driver), and push."""
    git = open_repository(home)
    result = SyncResult()
    if (home / ".git" / "MERGE_HEAD").exists():
        raise SyncError(
            "a git merge is in progress in this home; finish it (git commit) or abort it "
            "(git merge --abort), then sync again"
        )
    branch = _branch(git)
    with git_lock(home):
        result.hand_changes = _commit_all(git, "sync: changes made outside goaltrack")
        url = git.config(f"remote.{REMOTE}.url")
        if url is None:
            result.warnings.append("no remote set; run: goaltrack sync init REMOTE")
            return result
        result.remote = url
        result.warnings.extend(remote_warnings(url))
        for _attempt in range(3):  # someone may push between our pull and our push
            remote_branch = _fetch(git, branch)
            if remote_branch is not None:
                _pull(git, remote_branch, result)
            ahead = _count(git, f"{remote_branch}..HEAD") if remote_branch else _count(git, "HEAD")
            if ahead == 0:
                return result
            done = git.call("push", "--quiet", "--set-upstream", REMOTE, f"HEAD:{branch}")
            if done.code == 0:
                result.pushed = ahead
                return result
        raise SyncError(f"git push failed: {last_message(done.stderr)}")


def last_message(text: str) -> str:
    """The last non-empty line of git's output."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _count(git: Git, revisions: str) -> int:
    return int(git.run("rev-list", "--count", revisions).strip() or 0)


def _pull(git: Git, remote_branch: str, result: SyncResult) -> None:
    """Merge the remote's branch into ours with the driver; settle files the driver merged
    with conflicts (it kept a valid file and recorded them); abort on anything else."""
    behind = _count(git, f"HEAD..{remote_branch}")
    if behind == 0:
        return
    result.pulled += behind
    ours = git.run("rev-parse", "HEAD").strip() if git.has_commits() else ""
    theirs = git.run("rev-parse", remote_branch).strip()
    take_notes(git.home)
    env = {OURS_ENV: ours, THEIRS_ENV: theirs}
    recorded_before = conflicts.snapshot(git.home)
    with _every_client_locked(git.home):  # no goaltrack write runs while git replaces files
        done = git.call("merge", "--no-edit", "-m", f"sync: merge {REMOTE}", remote_branch, env=env)
    notes = take_notes(git.home)
    refused = [text for kind, text in notes if kind == "refused"]
    settled = {text.partition("\t")[0] for kind, text in notes if kind == "conflict"}
    if done.code != 0:
        unmerged = git.lines("diff", "--name-only", "--diff-filter=U")
        # Only a client file the driver merged (valid, conflicts recorded) may be committed.
        bad = [path for path in unmerged if _client_of(path) not in settled]
        if refused or bad or not unmerged:
            git.call("merge", "--abort")
            conflicts.restore(git.home, recorded_before)  # that merge never happened
            reasons = refused or [
                f"{path}: git could not merge it (changed on one side, deleted on the other?)"
                for path in bad
            ]
            if not reasons:
                reasons = [last_message(done.stderr or done.stdout)]
            raise SyncError("nothing was merged, both sides are kept: " + "; ".join(reasons))
        git.run("add", "--", *unmerged)
        clients = ", ".join(str(_client_of(path)) for path in unmerged)
        git.run(
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            f"sync: merge {REMOTE}, conflicts in {clients}",
        )
    result.merged = True
    result.renumbered.extend(text for kind, text in notes if kind == "renumbered")
    for kind, text in notes:
        if kind == "conflict":
            client, _, where = text.partition("\t")
            result.conflicts.setdefault(client, []).append(where)
    _private_files(git.home)


@contextlib.contextmanager
def _every_client_locked(home: Path) -> Iterator[None]:
    """Hold the write lock of every client (in id order, so two syncs cannot deadlock)."""
    from goaltrack.storage.store import Store

    store = Store(home)
    with contextlib.ExitStack() as stack:
        for client_id in store.client_ids():
            stack.enter_context(store.locked(client_id))
        yield


def _private_files(home: Path) -> None:
    """Client files git wrote are 0600 like every client file (git's umask makes new ones
    so; this covers files it only changed)."""
    folder = home / "clients"
    if folder.is_dir():
        for entry in os.scandir(folder):
            if (
                entry.name.endswith(CLIENT_SUFFIX)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mode & 0o077
            ):
                Path(entry.path).chmod(0o600)


def status(home: Path, fetch: bool = True) -> Status:
    """Ahead / behind the remote (fetched first unless `fetch` is False), pending hand
    changes, and open conflicts."""
    git = open_repository(home)
    branch = _branch(git)
    url = git.config(f"remote.{REMOTE}.url")
    warnings = remote_warnings(url) if url else ["no remote set; run: goaltrack sync init REMOTE"]
    ahead = behind = 0
    if url:
        remote_branch: str | None = f"refs/remotes/{REMOTE}/{branch}"
        if fetch:
            try:
                remote_branch = _fetch(git, branch)
            except SyncError as error:
                warnings.append(
                    f"could not reach the remote ({error}); counts are as of the last sync"
                )
        if remote_branch and git.ok("rev-parse", "--verify", "--quiet", remote_branch):
            if git.has_commits():
                ahead = _count(git, f"{remote_branch}..HEAD")
                behind = _count(git, f"HEAD..{remote_branch}")
        elif git.has_commits():
            ahead = _count(git, "HEAD")
    open_conflicts = {
        client: [item.where for item in items] for client, items in conflicts.all_open(home).items()
    }
    return Status(branch, url, ahead, behind, pending_changes(git), open_conflicts, warnings)
