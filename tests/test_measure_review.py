"""Interactive `measure`: the review screen before saving, and stopping that saves nothing
(issue 17). The prompt functions are driven with injected input; the command on a real
pseudo-terminal."""

from __future__ import annotations

import io
import os
import sys
import tomllib
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from goaltrack.errors import EXIT_INTERRUPTED
from goaltrack.measures import forms
from goaltrack.measures.instruments import BUILTINS
from goaltrack.render.questionnaire import (
    InterruptedQuestionnaire,
    NothingSavedError,
    administer,
    review_lines,
)
from helpers import HANG_GUARD, default_sigint, invoke, snapshot

PHQ9 = forms.get_form("phq9")
GAD7 = forms.get_form("gad7")
assert PHQ9 is not None and GAD7 is not None
ENDORSED = [2, 2, 2, 2, 1, 1, 1, 1, 1]  # total 13, item 9 endorsed
REVIEW_PHQ9 = [
    "",
    "Review: Patient Health Questionnaire-9 (PHQ-9)",
    "   1  Little interest or pleasure i…  2  More than half the days",
    "   2  Feeling down, depressed, or h…  2  More than half the days",
    "   3  Trouble falling or staying as…  2  More than half the days",
    "   4  Feeling tired or having littl…  2  More than half the days",
    "   5  Poor appetite or overeating     1  Several days",
    "   6  Feeling bad about yourself — …  1  Several days",
    "   7  Trouble concentrating on thin…  1  Several days",
    "   8  Moving or speaking so slowly …  1  Several days",
    "   9! Thoughts that you would be be…  1! Several days",
    "Total 13 of 0-27, moderate",
    "! Item 9 endorsed (thoughts of being better off dead or of hurting themselves): follow "
    "up with the client now (safety assessment).",
    "",
]


def _administer(form: forms.Form, typed: str) -> tuple[list[int], str]:
    """Run the questionnaire on `typed` (one answer a line); (answers, what was shown)."""
    shown = io.StringIO()
    answers = administer(form, BUILTINS[form.key], io.StringIO(typed), shown, [])
    return answers, shown.getvalue()


def _lines(answers: list[int]) -> str:
    return "".join(f"{answer}\n" for answer in answers)


def test_review_lines_show_answers_total_band_and_the_item9_warning() -> None:
    """The review of an endorsed PHQ-9: short wording, answers, total, band, the warning."""
    assert review_lines(PHQ9, BUILTINS["phq9"], ENDORSED) == REVIEW_PHQ9


def test_review_without_item9_has_no_warning() -> None:
    """A GAD-7 review ends with its total and band, no warning line."""
    assert review_lines(GAD7, BUILTINS["gad7"], [0] * 7)[-2:] == ["Total 0 of 0-21, minimal", ""]


def test_enter_at_the_review_saves_the_answers() -> None:
    """Enter after the last item returns the answers, after showing the review once."""
    answers, shown = _administer(PHQ9, _lines(ENDORSED) + "\n")
    assert answers == ENDORSED
    assert shown.count("Review: Patient Health Questionnaire-9") == 1
    assert "\n".join(REVIEW_PHQ9) in shown


def test_y_at_the_review_saves_the_answers() -> None:
    """'y' saves like Enter."""
    assert _administer(GAD7, _lines([1] * 7) + "y\n")[0] == [1] * 7


def test_an_item_number_changes_that_answer() -> None:
    """'9' then '0' changes item 9; the review is shown again without the warning; y saves."""
    answers, shown = _administer(PHQ9, _lines(ENDORSED) + "9\n0\ny\n")
    assert answers == [2, 2, 2, 2, 1, 1, 1, 1, 0]
    assert shown.count("Review: Patient Health Questionnaire-9") == 2
    assert shown.count("! Item 9 endorsed") == 1
    assert "Total 12 of 0-27, moderate" in shown


def test_a_changed_answer_is_re_asked_until_valid() -> None:
    """A wrong answer to the changed item is asked again, as during the questionnaire."""
    answers, shown = _administer(GAD7, _lines([1] * 7) + "2\n7\n3\n\n")
    assert answers == [1, 3, 1, 1, 1, 1, 1]
    assert shown.count("Please answer 0-3.") == 1


def test_an_unknown_review_answer_shows_the_review_again() -> None:
    """'maybe' or an item number past the form is explained, and the review shown again."""
    answers, shown = _administer(GAD7, _lines([1] * 7) + "maybe\n8\n\n")
    assert answers == [1] * 7
    assert shown.count("  Please press Enter or answer y, n, q or an item number.") == 2
    assert shown.count("Review: Generalized Anxiety") == 3


@pytest.mark.parametrize("typed", ["n\n", "q\n", "no\n", ""])
def test_n_q_or_ctrl_d_at_the_review_saves_nothing(typed: str) -> None:
    """n, q or end of input at the review: NothingSavedError (exit 1) saying so."""
    with pytest.raises(NothingSavedError) as stopped:
        _administer(GAD7, _lines([1] * 7) + typed)
    assert (stopped.value.message, stopped.value.exit_code) == (
        "gad7 cancelled at the review: nothing was saved",
        1,
    )


def test_ctrl_d_during_the_items_saves_nothing() -> None:
    """End of input at item 4: NothingSavedError naming the item."""
    with pytest.raises(NothingSavedError) as stopped:
        _administer(GAD7, "1\n1\n1\n")
    assert stopped.value.message == "gad7 stopped at item 4: nothing was saved"


class _CtrlC(io.StringIO):
    """Input that gives its lines, then Ctrl-C."""

    def readline(self, size: int | None = -1) -> str:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


@pytest.mark.parametrize("typed", ["", "1\n1\n", _lines([1] * 7)])
def test_ctrl_c_anywhere_saves_nothing_with_exit_130(typed: str) -> None:
    """Ctrl-C at an item or at the review: InterruptedQuestionnaire, exit 130."""
    with pytest.raises(InterruptedQuestionnaire) as stopped:
        administer(GAD7, BUILTINS["gad7"], _CtrlC(typed), io.StringIO(), [])
    assert (stopped.value.message, stopped.value.exit_code) == (
        "gad7 interrupted: nothing was saved",
        EXIT_INTERRUPTED,
    )


# ---- the command on a real pseudo-terminal ----------------------------------------------------


@pytest.fixture
def mood(runner: CliRunner, home: Path) -> Path:
    """c-1 with one PHQ-9 goal; the client file's path."""
    invoke(runner, "new-client", "c-1")
    invoke(runner, "add-goal", "c-1", "symptom-reduction", "Mood")
    return home / "clients" / "c-1.toml"


def _spawn(home: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable, ["-m", "goaltrack", "measure", "c-1", "phq9"],
        env={**os.environ, "GOALTRACK_HOME": str(home)}, encoding="utf-8", timeout=HANG_GUARD,
        preexec_fn=default_sigint,
    )  # fmt: skip


def _answer_all(child: pexpect.spawn, answers: list[int]) -> None:
    for answer in answers:
        child.expect_exact("Answer [0-3]: ")
        child.sendline(str(answer))


def test_terminal_review_changes_item9_and_saves(home: Path, mood: Path) -> None:
    """On a terminal: the review warns of item 9, '9' then '0' changes it, Enter saves."""
    child = _spawn(home)
    _answer_all(child, ENDORSED)
    child.expect_exact("! Item 9 endorsed")
    child.expect_exact("Save? Enter or y = save, an item number (1-9) = change that answer")
    child.sendline("9")
    child.expect_exact("9/9. Thoughts that you would be better off dead")
    child.expect_exact("Answer [0-3]: ")
    child.sendline("0")
    child.expect_exact("Total 12 of 0-27, moderate")
    child.expect_exact("Save?")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    entry = tomllib.loads(mood.read_text())["goals"][0]["progress"][0]
    assert (entry["value"], entry["responses"]) == (12, [2, 2, 2, 2, 1, 1, 1, 1, 0])


def test_terminal_ctrl_c_at_the_review_saves_nothing_and_keeps_the_risk_warning(
    home: Path, mood: Path
) -> None:
    """Ctrl-C at the review: exit 130, "nothing was saved", the item-9 banner still shown."""
    before = snapshot(home)
    child = _spawn(home)
    _answer_all(child, ENDORSED)
    child.expect_exact("Save?")
    child.sendintr()
    child.expect_exact("This administration was NOT saved")
    child.expect_exact("goaltrack: error: phq9 interrupted: nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == EXIT_INTERRUPTED
    assert snapshot(home) == before


def test_terminal_ctrl_d_at_an_item_saves_nothing(home: Path, mood: Path) -> None:
    """Ctrl-D at item 3: exit 1, "nothing was saved", no file changed."""
    before = snapshot(home)
    child = _spawn(home)
    _answer_all(child, [1, 1])
    child.expect_exact("Answer [0-3]: ")
    child.sendeof()
    child.expect_exact("goaltrack: error: phq9 stopped at item 3: nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert snapshot(home) == before


def test_piped_answers_have_no_review_screen(runner: CliRunner, mood: Path) -> None:
    """Answers on a pipe are saved at once, as before: no review, no prompt."""
    result = invoke(runner, "measure", "c-1", "phq9", input="1 1 1 1 1 1 1 1 0\n")
    assert result.exit_code == 0
    assert "Review" not in result.stderr and "Save?" not in result.stderr
    assert tomllib.loads(mood.read_text())["goals"][0]["progress"][0]["value"] == 8
