"""A Rich progress bar on stderr for long imports (loaded only when one is shown)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, TaskID


class ProgressBar:
    """A transient bar per phase of the core's work; `update` is the core's callback."""

    def __init__(self) -> None:
        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> ProgressBar:
        self.bar.start()
        return self

    def update(self, phase: str, done: int, total: int) -> None:
        """Show that `done` of `total` steps of `phase` are finished."""
        if phase not in self.tasks:
            label = "checking" if phase == "check" else "writing"
            self.tasks[phase] = self.bar.add_task(label, total=total)
        self.bar.update(self.tasks[phase], completed=done)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()
