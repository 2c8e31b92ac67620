"""What a new user tripped over (issue 17): each rough edge, through the CLI."""

from __future__ import annotations

from typer.testing import CliRunner

from helpers import invoke


def _goals(runner: CliRunner) -> None:
    """c-1: goal 1 PHQ-9 19 -> 12 (lower is better), goals 2 and 3 GBO 3 -> 5 and 6 -> 4."""
    invoke(runner, "new-client", "c-1")
    for title, measure, baseline, target, value in [
        ("Mood", "phq9", "19", "9", "12"),
        ("Calm", "gbo", "3", "8", "5"),
        ("Sleep", "gbo", "6", "8", "4"),
    ]:
        invoke(
            runner, "add-goal", "c-1", "coping", title, "--measure", measure,
            "--baseline", baseline, "--target", target,
        )  # fmt: skip
        number = str(["Mood", "Calm", "Sleep"].index(title) + 1)
        invoke(runner, "log", "c-1", number, value, "--date", "2026-11-02")


def _row(stdout: str, title: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if f" {title} " in line)


def test_progress_says_which_way_is_better(runner: CliRunner) -> None:
    """`Better by` is +7 for PHQ-9 19 -> 12, +2 for GBO 3 -> 5 and -2 for GBO 6 -> 4."""
    _goals(runner)
    result = invoke(runner, "progress", "c-1")
    assert "Better by" in result.stdout
    assert [_row(result.stdout, title)[6] for title in ("Mood", "Calm", "Sleep")] == [
        "+7",
        "+2",
        "-2",
    ]
