"""The goal parts of a client file's text: where each goal starts, and whether they stand alone.

goaltrack writes a client file as the top-level fields and the client, then one part per goal,
each starting with a line `[[goals]]` (docs/formats.md). Reading or rewriting such a text part
by part is the same as reading or rewriting it whole when every line is whole TOML on its own
(no multi-line string, no carriage return, no byte-order mark), every line that is exactly
`[[goals]]` starts a goal, and from the first goal on every table header is a goal's own
(`[[goals]]`, `[[goals.x]]`, `[goals.x]`): then TOML appends each part's goal to the goals
array in text order, and nothing else is defined inside a goal's part. `goal_parts` checks
that much of a text; the reader (storage/tomltext.py) and the write path (storage/splice.py)
add what their own use needs.
"""

from __future__ import annotations

import functools
import re

GOAL_START = "\n[[goals]]\n"
#: A line that starts a table (after optional blanks) other than a goal's or a goal's own
#: sub-table's: one scan of the text finds the first.
_OTHER_HEADER = re.compile(r"\n[ \t]*\[(?!\[goals[.\]]|goals\.)")


@functools.lru_cache(maxsize=2)
def goal_parts(text: str) -> tuple[int, ...] | None:
    """Where each goal's part starts (at the newline before its `[[goals]]` line), or None
    when the text's layout does not let its parts stand alone (see the module's docstring):
    a part then runs to the next start, the first part of the text (the top-level fields and
    the client) up to the first start. Remembered for the last texts asked about: the write
    path asks again about the very text its read was split by."""
    if '"""' in text or "'''" in text or "\r" in text or text.startswith("\ufeff"):
        return None
    starts = line_starts(text, GOAL_START)
    if not starts or _OTHER_HEADER.search(text, starts[0] + 1) is not None:
        return None
    return tuple(starts)


def line_starts(text: str, line: str) -> list[int]:
    """Where each occurrence of `line` (a whole line with the newline before it, such as
    GOAL_START) starts in `text`, at that newline."""
    starts = []
    at = text.find(line)
    while at != -1:
        starts.append(at)
        at = text.find(line, at + 1)
    return starts
