"""The interactive questionnaire on a terminal: each item with its real wording, then a review
screen before anything is saved.

Plain reading and writing on the streams it is handed (stdin and stderr in use; StringIO in
tests), no Rich: the clinician and the client read it together, line by line. Nothing here
saves; it returns the answers to save, or raises the error that says nothing was saved.
"""

from __future__ import annotations

from typing import IO

from goaltrack.errors import EXIT_INTERRUPTED, InputError, InvalidValueError
from goaltrack.instrument_views import item_label
from goaltrack.measures import forms, scoring
from goaltrack.measures.instruments import Instrument
from goaltrack.records.enums import EntryFlag

BACK = {"b", "back"}
QUIT = {"q", "quit"}
SAVE = {"", "y", "yes"}
CANCEL = {"n", "no", *QUIT}
NOTHING_SAVED = "nothing was saved"


class NothingSavedError(InputError):
    """The questionnaire was stopped (q, n, Ctrl-D) before saving: exit 1, nothing written."""


class InterruptedQuestionnaire(InputError):
    """Ctrl-C during the questionnaire: nothing was written; exit 130 as shells report it."""

    exit_code = EXIT_INTERRUPTED


def administer(
    form: forms.Form, instrument: Instrument, inp: IO[str], out: IO[str], answers: list[int]
) -> list[int]:
    """Ask every item, then show the review screen; the answers the clinician chose to save.

    `answers` is filled in place, so a caller that catches the refusal still sees what was
    answered (an endorsed item 9 must be shown even when nothing is saved). Ctrl-C anywhere
    becomes InterruptedQuestionnaire; q, n or Ctrl-D become NothingSavedError."""
    try:
        ask(form, inp, out, answers)
        review(form, instrument, answers, inp, out)
    except KeyboardInterrupt:
        out.write("\n")
        out.flush()
        raise InterruptedQuestionnaire(f"{form.key} interrupted: {NOTHING_SAVED}") from None
    return answers


def ask(form: forms.Form, inp: IO[str], out: IO[str], answers: list[int]) -> list[int]:
    """Ask every item with its real wording and options; re-ask until each answer is valid.

    'b' goes back one item, 'q' (or Ctrl-D) stops without saving anything."""
    out.write(f"\n{form.name}\n")
    if form.instructions:
        out.write(f"{form.instructions}\n")
    if form.stem:
        out.write(f"{form.stem}\n")
    out.write(
        "Answer with the number"
        + (" or letters" if any(option.abbrev for option in form.options) else "")
        + "; b = back, q = quit without saving.\n"
    )
    while len(answers) < form.size:
        item = form.items[len(answers)]
        answer = ask_item(form, item, inp, out, back=True)
        if answer is None:
            if answers:
                answers.pop()
            continue
        answers.append(answer)
    out.write("\n")
    return answers


def ask_item(
    form: forms.Form, item: forms.Item, inp: IO[str], out: IO[str], back: bool
) -> int | None:
    """One item, asked until its answer is valid; None when `back` is allowed and chosen."""
    out.write(f"\n{item.number}/{form.size}. {item.text}\n")
    for option in form.options:
        abbrev = f" ({option.abbrev})" if option.abbrev else ""
        out.write(f"   {option.value}  {option.label}{abbrev}\n")
    while True:
        out.write(f"Answer [{form.choices()}]: ")
        out.flush()
        line = inp.readline()
        text = line.strip()
        if not line or text.lower() in QUIT:
            raise NothingSavedError(f"{form.key} stopped at item {item.number}: {NOTHING_SAVED}")
        if back and text.lower() in BACK:
            return None
        try:
            return form.parse_answer(text, item)
        except InvalidValueError:
            out.write(f"  Please answer {form.choices()}.\n")


def review(
    form: forms.Form, instrument: Instrument, answers: list[int], inp: IO[str], out: IO[str]
) -> list[int]:
    """The review screen: every answer with its item's short wording, the total, the band
    and the item-9 warning; an item number changes that answer, Enter or y saves, n or q
    (or Ctrl-D) cancels. Returns the answers to save (changed in place)."""
    numbers = {item.number: position for position, item in enumerate(form.items)}
    while True:
        for line in review_lines(form, instrument, answers):
            out.write(line + "\n")
        out.write(
            f"Save? Enter or y = save, an item number ({min(numbers)}-{max(numbers)}) = change "
            "that answer, n or q = cancel: "
        )
        out.flush()
        line = inp.readline()
        text = line.strip().lower()
        if not line or text in CANCEL:
            raise NothingSavedError(f"{form.key} cancelled at the review: {NOTHING_SAVED}")
        if text in SAVE:
            return answers
        if text.isdigit() and int(text) in numbers:
            position = numbers[int(text)]
            changed = ask_item(form, form.items[position], inp, out, back=False)
            answers[position] = changed if changed is not None else answers[position]
            continue
        out.write("  Please press Enter or answer y, n, q or an item number.\n")


def review_lines(form: forms.Form, instrument: Instrument, answers: list[int]) -> list[str]:
    """The review screen's lines: one per item (its short wording, the answer and its label;
    "!" marks an endorsed safety item), the total with its band, and the item-9 warning."""
    total, flags = scoring.score(instrument, answers, None)
    lines = ["", f"Review: {form.name}"]
    labels = [item_label(item) for item in form.items]
    width = max(len(label) for label in labels)
    for item, label, answer in zip(form.items, labels, answers, strict=True):
        endorsed = "!" if item.safety and answer > form.item_min else " "
        lines.append(f"  {label.ljust(width)}  {answer}{endorsed} {form.option_label(answer)}")
    band = instrument.band_for(total)
    lines.append(f"Total {total:g} of {instrument.range_text()}" + (f", {band}" if band else ""))
    if EntryFlag.RISK_ITEM9 in flags:
        lines.append(
            "! Item 9 endorsed (thoughts of being better off dead or of hurting themselves): "
            "follow up with the client now (safety assessment)."
        )
    lines.append("")
    return lines
