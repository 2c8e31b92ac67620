"""The item texts and scoring of the questionnaires goaltrack may administer item by item.

The texts ship with the package in `data/items.toml` (sources in `data/ITEMS-SOURCES.md`;
see docs/instruments.md) and are read lazily, only by commands that need them.
Responses are stored as the option values the client chose, in form order; scoring (including
RSES's reverse-scored items) happens here, so a stored form can always be re-scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from goaltrack.errors import InvalidValueError

DATA_FILE = "items.toml"
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Option:
    """One answer a client may give to an item, with the value it is recorded as."""

    value: int
    label: str
    abbrev: str | None = None


@dataclass(frozen=True)
class Item:
    """One question of a form, numbered as on the official form."""

    number: int
    text: str
    reverse: bool = False
    safety: bool = False  # an answer above 0 is a safety signal (PHQ-9 item 9)


@dataclass(frozen=True)
class Form:
    """A questionnaire: its wording, answer options and scoring rules."""

    key: str
    name: str
    instructions: str | None
    stem: str | None
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    item_min: int
    item_max: int
    licence: str
    citation: str

    @property
    def size(self) -> int:
        """How many items the form has."""
        return len(self.items)

    def score_of(self, item: Item, response: int) -> int:
        """The score an answer adds to the total (reverse items count item_max - value)."""
        return self.item_max + self.item_min - response if item.reverse else response

    def total(self, responses: list[int]) -> int:
        """The total score of a complete, valid set of responses."""
        self.check(responses)
        return sum(
            self.score_of(item, value) for item, value in zip(self.items, responses, strict=True)
        )

    def check(self, responses: list[int]) -> None:
        """Refuse a response list of the wrong length or with an answer out of range."""
        if len(responses) != self.size:
            raise InvalidValueError(
                f"{self.key} has {self.size} items; got {len(responses)} response(s)"
            )
        for item, value in zip(self.items, responses, strict=True):
            if not self.item_min <= value <= self.item_max:
                raise InvalidValueError(
                    f"{self.key} item {item.number}: the answer is outside "
                    f"{self.item_min}-{self.item_max}"
                )

    def parse_answer(self, text: str, item: Item | None = None) -> int:
        """One typed answer: an option value, or an option's abbreviation (RSES: SA, A, D, SD)."""
        cleaned = text.strip()
        where = f"{self.key} item {item.number}" if item else self.key
        for option in self.options:
            if option.abbrev and cleaned.upper() == option.abbrev.upper():
                return option.value
        if re.fullmatch(r"[+-]?\d+", cleaned) is None:
            raise InvalidValueError(f"{where}: the answer must be one of {self.choices()}")
        value = int(cleaned)
        if not self.item_min <= value <= self.item_max:
            raise InvalidValueError(f"{where}: the answer must be one of {self.choices()}")
        return value

    def parse_responses(self, text: str) -> list[int]:
        """Every answer of one administration, separated by commas, semicolons or spaces."""
        tokens = [token for token in _SEPARATORS.split(text.strip()) if token]
        if not tokens:
            raise InvalidValueError(
                f"no responses given: {self.key} needs {self.size} answers ({self.choices()})"
            )
        if len(tokens) != self.size:
            raise InvalidValueError(
                f"{self.key} has {self.size} items; got {len(tokens)} response(s)"
            )
        return [
            self.parse_answer(token, item) for item, token in zip(self.items, tokens, strict=True)
        ]

    def choices(self) -> str:
        """The allowed answers, for messages: e.g. "0-3" or "0-3 or SA, A, D, SD"."""
        text = f"{self.item_min}-{self.item_max}"
        abbrevs = [option.abbrev for option in self.options if option.abbrev]
        return f"{text} or {', '.join(abbrevs)}" if abbrevs else text

    def option_label(self, value: int) -> str:
        """The label of the option with this value."""
        return next((o.label for o in self.options if o.value == value), str(value))

    def safety_endorsed(self, responses: list[int]) -> list[Item]:
        """The safety items answered above the lowest option."""
        return [
            item
            for item, value in zip(self.items, responses, strict=True)
            if item.safety and value > self.item_min
        ]


def administrable() -> list[str]:
    """Keys of the forms goaltrack may administer item by item."""
    return sorted(_forms())


def get_form(key: str) -> Form | None:
    """The form with this key, if goaltrack ships its items."""
    return _forms().get(key)


#: Short forms that are the first items of a shipped form, word for word: PHQ-2 is PHQ-9
#: items 1-2 (Kroenke, Spitzer & Williams 2003), GAD-2 is GAD-7 items 1-2 (Kroenke et al.
#: 2007). key: (parent key, number of items, name).
SHORT_FORMS: dict[str, tuple[str, int, str]] = {
    "phq2": ("phq9", 2, "Patient Health Questionnaire-2 (PHQ-2)"),
    "gad2": ("gad7", 2, "Generalized Anxiety Disorder-2 (GAD-2)"),
}


@cache
def _forms() -> dict[str, Form]:
    text = resources.files("goaltrack").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    import tomllib  # only when a form's items are needed: not on every command's path

    document = tomllib.loads(text)
    found = {
        key: _form(key, table)
        for key, table in document.items()
        if isinstance(table, dict) and "items" in table
    }
    for key, (parent, size, name) in SHORT_FORMS.items():
        found[key] = replace(found[parent], key=key, name=name, items=found[parent].items[:size])
    return found


def _form(key: str, table: dict[str, Any]) -> Form:
    reverse = set(table.get("reverse_scored", []))
    return Form(
        key=key,
        name=str(table["name"]),
        instructions=table.get("instructions"),
        stem=table.get("stem"),
        options=tuple(
            Option(int(o["value"]), str(o["label"]), o.get("abbrev")) for o in table["options"]
        ),
        items=tuple(
            Item(
                number=int(i["number"]),
                text=str(i["text"]),
                reverse=int(i["number"]) in reverse,
                safety=bool(i.get("safety_item", False)),
            )
            for i in table["items"]
        ),
        item_min=int(table["item_score_min"]),
        item_max=int(table["item_score_max"]),
        licence=str(table.get("license", "")),
        citation=str(table.get("citation", "")),
    )
