"""A write that renders only what the change touched, and proves that part.

`Store.update` has just read a client's file under its lock, validated all of it, and let a
change touch the record: `log` adds one entry to one goal. Rendering and proving the whole
record again costs as much as the file is large (10 goals x 1,000 entries: about 65 ms of a
`log`, before issue 10's work most of it), while the change touched one goal. So the new text
is the text just read, with the part of each touched goal (and the client's part, if the change
touched it) replaced by its fresh rendering; every other byte is the byte read.

Why the result reads back as the new record (docs/design.md, "How a change reaches the disk"):

- The old text parsed and validated a moment ago, under the same lock: every byte kept is a
  byte of that text. It holds no multi-line string (no `\"\"\"`, no `'''`), no carriage
  return and no byte-order mark, so each line is whole TOML on its own; and every line that is
  exactly `[[goals]]` therefore starts a goal (an array of tables), one per goal read, in order.
- Every table header from the first goal on is the goals' own (`[[goals]]`, `[[goals.x]]`,
  `[goals.x]`): nothing of the client or the top level is defined inside a goal's part. So a
  goal's part defines that goal and nothing else, and the part before the first goal the rest
  (storage/layout.py checks these conditions; the reader relies on them too).
- Each part rendered anew is parsed back alone and compared with the data it must hold (the
  round-trip proof of `render`, on the part written), and then stands where the old part stood.
  TOML appends each `[[goals]]` to the goals array in text order, so the whole text reads as the
  old data with the touched parts replaced: the new record's data.

When any condition fails (a hand-edited file with another layout, a migration, goals added,
removed or reordered), the whole record is rendered and proved as before (`render`); a test
compares the two texts on generated records and changes (tests/test_splice.py).
"""

from __future__ import annotations

import re
from typing import Any

from goaltrack.errors import WriteFailedError
from goaltrack.records.model import ClientRecord, Goal, document_of
from goaltrack.storage import fileformat, layout, tomltext
from goaltrack.storage.draft import Touched

_ENTRY_START = "\n[[goals.progress]]\n"
_GOAL_HEADER = "[[goals]]\n"
#: The next table header line (any: the goal's later sub-tables, or the next goal).
_NEXT_HEADER = re.compile(r"\n[ \t]*\[")


def spliced(final: ClientRecord, old_text: str, touched: Touched) -> str | None:
    """The text of `final` as `old_text` with only the parts `touched` names rendered anew
    and proved, or None when the old text's layout does not allow it (then render it whole).

    The goals must be those read, in their order (`touched.order`); the part before the goals
    is rendered anew when the client or a top-level field changed (`touched.head`); a goal
    whose change only added entries (`touched.appended`) keeps its part and gains the new
    entries' tables after its last one.
    """
    numbers = tuple(goal.number for goal in final.goals)
    if touched.order is None or touched.order != numbers or not numbers:
        return None
    tail = f"\n{fileformat.end_line(final.client.id)}\n"
    if not old_text.endswith(tail):
        return None
    body = old_text[: -len(tail)]
    starts = layout.goal_parts(old_text)  # the end line after the last goal is no header
    if starts is None or len(starts) != len(numbers):
        return None
    ends = [*starts[1:], len(body)]
    parts = [body[: starts[0]]]
    if touched.head:
        head = _head_document(final)
        parts[0] = _proved(tomltext.to_toml(head), head, final)
    for goal, start, end in zip(final.goals, starts, ends, strict=True):
        part = body[start:end]
        if goal.number in touched.goals:
            kept = touched.appended.get(goal.number, 0)
            part = (kept and _with_new_entries(part, goal, kept, final)) or _goal_part(goal, final)
        parts.append(part)
    return "".join(parts) + tail


def _goal_part(goal: Goal, final: ClientRecord) -> str:
    """A goal's whole part, rendered and proved."""
    data = {"goals": [document_of(goal)]}
    return "\n" + _proved(tomltext.to_toml(data), data, final)


def _with_new_entries(part: str, goal: Goal, kept: int, final: ClientRecord) -> str | None:
    """A goal's old part with the tables of its entries after the first `kept` inserted after
    its last entry's table (where the whole rendering has them: before any later sub-table of
    the goal), the new tables proved; None when the part does not hold exactly `kept` entry
    tables. The part's layout is one `layout.goal_parts` accepted: every line whole."""
    tables = layout.line_starts(part, _ENTRY_START)
    if len(tables) != kept:
        return None
    after_last = _NEXT_HEADER.search(part, tables[-1] + 1)
    at = len(part) if after_last is None else after_last.start()
    data = {"goals": [{"progress": [document_of(entry) for entry in goal.progress[kept:]]}]}
    text = _proved(tomltext.to_toml(data), data, final)
    new_tables = text.removeprefix(_GOAL_HEADER)
    if new_tables == text:
        return None
    return part[:at] + new_tables + part[at:]


def _head_document(final: ClientRecord) -> dict[str, Any]:
    """The top-level fields and the client, as the whole document holds them before goals."""
    head = {name: final.__dict__[name] for name in type(final).model_fields if name != "goals"}
    head["client"] = document_of(final.client)
    return head


def _proved(text: str, data: dict[str, Any], final: ClientRecord) -> str:
    """`text` when it parses back to `data` (the round-trip proof of one part)."""
    if tomltext.read_toml(text) != data:
        raise WriteFailedError(f"client {final.client.id}: serialised data did not round-trip")
    return text
