"""The addresses of a client document for sync: which lists are matched by which key field
(KEYED) or merged as sets (SETS), how a path into a document is written (a table key, or a
list item's key) and said for people, how two values compare as TOML values, and `set_at`,
which settles a conflict by setting the value at a path.

Pure: no I/O. The merge itself is `sync/merge.py`.
"""

from __future__ import annotations

from typing import Any

#: Lists of tables, by their path in the document (list names joined by dots), and the field
#: that keys their items. Schema 1 and schema 2: a list a file does not have is simply absent.
KEYED: dict[str, str] = {
    "goals": "number",
    "goals.progress": "id",
    "goals.objectives": "number",
    "goals.interventions": "number",
    "client.concerns": "name",
    "client.screenings": "id",
    "client.risk_reviews": "id",
    "client.episodes": "number",
}


#: Lists of plain values merged as sets (order kept: ours first, then theirs' additions).
SETS: frozenset[str] = frozenset(
    {
        "client.approaches",
        "client.preferences",
        "client.strengths",
        "goals.progress.flags",
        "client.screenings.flags",
        "client.risk_reviews.covers",
    }
)


#: A step of a path into a document: a table key, or the key of an item in a keyed list.
Step = str | int
Path = tuple[Step, ...]


def describe(path: Path) -> str:
    """A path as text: table keys joined by dots, list keys in brackets."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif is_item_key(step):
            text += f"[{step[1:]}]"
        else:
            text += f".{step}" if text else step
    return text or "(whole file)"


def schema_of(path: Path) -> str:
    """The list path of a path, without its keys: ("goals", 1, "progress") -> goals.progress."""
    return ".".join(step for step in path if isinstance(step, str) and not is_item_key(step))


def is_item_key(step: str) -> bool:
    """True for a path step that is the key of a list item given as text (an entry id, a
    concern name): `keyed_step` marks those with a leading '='."""
    return step.startswith("=")


def keyed_step(key: Any) -> Step:
    """A list item's key as a path step: numbers as they are, text keys marked with '='."""
    return key if isinstance(key, int) and not isinstance(key, bool) else f"={key}"


def same(left: Any, right: Any) -> bool:
    """Equal as TOML values: 1, 1.0 and true are three different values (Python's == says
    they are one)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


def set_at(document: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    """A copy of a document with the field (or list item) at `path` set to `value`; None
    removes it. The empty path replaces the whole document. Used to settle a conflict."""
    import copy

    if not path:
        return copy.deepcopy(value) if value is not None else copy.deepcopy(document)
    result = copy.deepcopy(document)
    container: Any = result
    schema = ""
    for position, step in enumerate(path):
        last = position == len(path) - 1
        if isinstance(container, dict):
            assert isinstance(step, str) and not is_item_key(step)
            schema = f"{schema}.{step}" if schema else step
            if last:
                _set_key(container, step, value)
            else:
                container = container.setdefault(step, [] if schema in KEYED else {})
        else:  # a keyed list: the step is an item's key
            key_field = KEYED[schema]
            key = step[1:] if isinstance(step, str) else step
            index = next(
                (n for n, item in enumerate(container) if same(item.get(key_field), key)), None
            )
            if last:
                if value is None and index is not None:
                    del container[index]
                elif value is not None and index is None:
                    container.append(value)
                elif value is not None and index is not None:
                    container[index] = value
            elif index is None:
                raise KeyError(describe(path[: position + 1]))
            else:
                container = container[index]
    return result


def _set_key(table: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        table.pop(key, None)
    else:
        table[key] = value
