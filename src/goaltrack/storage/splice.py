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

from typing import Any

from goaltrack.errors import WriteFailedError
from goaltrack.records.model import ClientRecord, document_of
from goaltrack.storage import fileformat, layout


def spliced(
    final: ClientRecord,
    old_text: str,
    head_touched: bool,
    goals_touched: frozenset[int],
    order: tuple[int, ...] | None,
) -> str | None:
    """The text of `final` as `old_text` with only the touched parts rendered anew and
    proved, or None when the old text's layout does not allow it (then render it whole).

    `order` is the goal numbers as read, which must be `final`'s own (None: goals were added,
    removed or reordered); `head_touched` says the client or a top-level field changed.
    """
    numbers = tuple(goal.number for goal in final.goals)
    if order is None or order != numbers or not numbers:
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
    if head_touched:
        head = _head_document(final)
        parts[0] = _proved(fileformat.to_toml(head), head, final)
    for goal, start, end in zip(final.goals, starts, ends, strict=True):
        if goal.number in goals_touched:
            data = {"goals": [document_of(goal)]}
            parts.append("\n" + _proved(fileformat.to_toml(data), data, final))
        else:
            parts.append(body[start:end])
    return "".join(parts) + tail


def _head_document(final: ClientRecord) -> dict[str, Any]:
    """The top-level fields and the client, as the whole document holds them before goals."""
    head = {name: final.__dict__[name] for name in type(final).model_fields if name != "goals"}
    head["client"] = document_of(final.client)
    return head


def _proved(text: str, data: dict[str, Any], final: ClientRecord) -> str:
    """`text` when it parses back to `data` (the round-trip proof of one part)."""
    if fileformat.read_toml(text) != data:
        raise WriteFailedError(f"client {final.client.id}: serialised data did not round-trip")
    return text
