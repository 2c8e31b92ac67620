"""What `goaltrack check` finds, and the Checker that collects it while the checks run.

A finding is plain data: a path relative to the home, a status (ok, problem, fixed, notice), a
short code and a message. The Checker also holds what every check shares: the home, whether
this run may repair (`--fix`, and only in a folder goaltrack made), and the one repair every
check may make, a checked chmod of a folder or file that is open to other users.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goaltrack.measures.instruments import Registry, load_registry
from goaltrack.storage.repair import HARD_LINKS, fchmod_checked

OK = "ok"
PROBLEM = "problem"
FIXED = "fixed"
NOTICE = "notice"


@dataclass(frozen=True)
class Finding:
    """One thing `check` found about one path (relative to the home)."""

    path: str
    status: str  # ok | problem | fixed | notice
    check: str  # a short code: folder, mode, owner, symlink, parse, orphan, lock, ...
    message: str
    fixable: bool = False

    def as_row(self) -> dict[str, Any]:
        """The finding as a flat row for every output format."""
        return dataclasses.asdict(self)


@dataclass
class CheckResult:
    """Everything `check` found under one home."""

    home: Path
    fixed_run: bool
    findings: list[Finding] = field(default_factory=list)
    client_files: int = 0

    def count(self, status: str) -> int:
        """How many findings have this status."""
        return sum(1 for finding in self.findings if finding.status == status)

    @property
    def clean(self) -> bool:
        """True when no problem remains."""
        return self.count(PROBLEM) == 0


class Checker:
    """The findings of one run of `check` over one home, and what its checks share."""

    def __init__(self, home: Path, fix: bool, whole: frozenset[str] = frozenset()) -> None:
        self.home = home
        self.fix = fix
        self.whole = whole  # clients a person confirmed whole: --fix adds their end line
        self.result = CheckResult(home=home, fixed_run=fix)
        self.euid = os.geteuid()
        self._registry: Registry | None = None
        self.ours = True  # False for a folder that is not a goaltrack home (see home_sign)

    def registry(self) -> Registry:
        """The home's instruments: the valid ones (what is broken is reported apart)."""
        if self._registry is None:
            self._registry = load_registry(self.home)
        return self._registry

    def add(self, path: str, status: str, check: str, message: str, fixable: bool = False) -> None:
        """Record one finding; a repair is never offered in a folder that is not a home."""
        fixable = fixable and self.ours  # --fix touches nothing in a folder that is not a home
        self.result.findings.append(Finding(path, status, check, message, fixable))

    def has(self, path: str) -> bool:
        """True when a finding other than a repair names this path (so no "ok" is added)."""
        return any(f.path == path and f.status != FIXED for f in self.result.findings)

    def private(self, path: Path, label: str, info: os.stat_result, mode: int) -> bool:
        """Check owner and mode of a folder or file; chmod with --fix. False on a problem."""
        if info.st_uid != self.euid:
            self.add(label, PROBLEM, "owner", f"belongs to another user (uid {info.st_uid})")
            return False
        if not stat.S_ISDIR(info.st_mode) and info.st_nlink > 1:
            self.add(label, PROBLEM, "links", HARD_LINKS.format(links=info.st_nlink))
            return False
        current = stat.S_IMODE(info.st_mode)
        if current & 0o077:
            what = f"open to other users (mode {current:04o}, should be {mode:04o})"
        elif stat.S_ISDIR(info.st_mode) and current & 0o700 != 0o700:
            what = (
                f"cannot be listed and written by you (mode {current:04o}, should be "
                f"{mode:04o}): every write fails"
            )
        else:
            return True
        if not self.fix:
            self.add(label, PROBLEM, "mode", what, fixable=True)
            return False
        try:
            fchmod_checked(path, mode, follow=label == ".", expected=info)
        except OSError as error:
            self.add(label, PROBLEM, "mode", f"{what}; chmod failed: {error.strerror}", True)
            return False
        self.add(label, FIXED, "mode", f"was {current:04o}, now {mode:04o}")
        return True
