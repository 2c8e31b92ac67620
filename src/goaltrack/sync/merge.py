"""A three-way merge of client files by meaning: every list item matched by its stable key.

Pure: no I/O, no git. `merge_documents` merges three parsed, migrated client documents (plain
dicts) and returns the merged document, the conflicts it found and the items it renumbered.
The key table and the paths are `sync/keys.py`; `sync/mergetext.py` merges the texts of three
client files through this merge, validating and rendering the result.

The rules (docs/sync.md):
- a list of tables is matched by the key in KEYED (entries, screenings and risk reviews by
  `id`; goals, objectives, interventions and episodes by `number`; concerns by `name`) and
  nothing else: an item new on one side is kept, an item removed on one side and untouched on
  the other stays removed, an item removed on both sides is gone;
- an item removed on one side and changed on the other is kept (changed) and reported as a
  conflict: no clinical data is dropped by a merge;
- two different items added under the same number on both sides are both kept: the one whose
  content sorts last is renumbered past every number used, the same whichever side is ours;
- a list of plain values in SETS (approaches, preferences, strengths, flags, covers) is merged
  as a set, keeping ours' order; any other list (an entry's `responses`) is one value;
- a field changed on one side takes that side; changed differently on both sides is a
  conflict, and the merged document keeps ours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from goaltrack.sync.keys import KEYED, SETS, Path, describe, keyed_step, same


class _Absent:
    """A key a table does not have (TOML has no null: an omitted field)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Conflict:
    """One field (or item) changed differently on both sides; the merge kept `ours`.

    `ours` / `theirs` are the values (None when that side removed the field or item); `path`
    locates it (list items by their key), `where` says it for people: `goals[1].title`.
    """

    path: Path
    ours: Any
    theirs: Any
    base: Any = None

    @property
    def where(self) -> str:
        """The path for people: `client.name`, `goals[2].progress[01JD3X8Q2M].note`."""
        return describe(self.path)


@dataclass(frozen=True)
class Renumbering:
    """An item added under the same number on both sides: `old` became `new` (`where`)."""

    list_path: Path
    old: int
    new: int

    @property
    def where(self) -> str:
        """The list it is in, for people: `goals`, `goals[1].objectives`."""
        return describe(self.list_path)


@dataclass
class MergeResult:
    """The merged document, with every conflict and renumbering the merge made."""

    document: dict[str, Any]
    conflicts: list[Conflict] = field(default_factory=list)
    renumbered: list[Renumbering] = field(default_factory=list)


def merge_documents(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]
) -> MergeResult:
    """Merge two versions of a client document against their common ancestor (None: none).

    All three are parsed and migrated to the same schema version. Pure: the inputs are not
    changed.
    """
    merger = _Merger()
    document = merger.table(base, ours, theirs, (), "")
    return MergeResult(document, merger.conflicts, merger.renumbered)


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []
        self.renumbered: list[Renumbering] = []

    def table(
        self,
        base: dict[str, Any] | None,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        path: Path,
        schema: str,
    ) -> dict[str, Any]:
        """Merge one table key by key (ours' key order, then theirs' new keys)."""
        base = base or {}
        merged: dict[str, Any] = {}
        for key in dict.fromkeys([*ours, *theirs]):
            sub_schema = f"{schema}.{key}" if schema else key
            b, o, t = base.get(key, ABSENT), ours.get(key, ABSENT), theirs.get(key, ABSENT)
            value: Any
            if sub_schema in KEYED and _tables_or_absent(b, o, t, KEYED[sub_schema]):
                value = self.keyed(
                    _list(b), _list(o), _list(t), (*path, key), sub_schema, KEYED[sub_schema]
                )
                if not value and o is ABSENT and t is ABSENT:
                    value = ABSENT
            elif sub_schema in SETS and _plain_lists_or_absent(b, o, t):
                value = merge_set(_list(b), _list(o), _list(t))
                if not value and (o is ABSENT or t is ABSENT):
                    value = ABSENT  # keep files tidy: an empty list is no key at all
            elif isinstance(o, dict) and isinstance(t, dict) and isinstance(b, (dict, _Absent)):
                value = self.table(
                    b if isinstance(b, dict) else None, o, t, (*path, key), sub_schema
                )
            else:
                value = self.value(b, o, t, (*path, key))
            if value is not ABSENT:
                merged[key] = value
        return merged

    def value(self, base: Any, ours: Any, theirs: Any, path: Path) -> Any:
        """Three-way merge of one value: one side's change wins; two changes conflict."""
        if same(ours, theirs):
            return ours
        if same(ours, base):
            return theirs
        if same(theirs, base):
            return ours
        self.conflicts.append(Conflict(path, _or_none(ours), _or_none(theirs), _or_none(base)))
        return ours

    def keyed(
        self,
        base: list[dict[str, Any]],
        ours: list[dict[str, Any]],
        theirs: list[dict[str, Any]],
        path: Path,
        schema: str,
        key_field: str,
    ) -> list[dict[str, Any]]:
        """Merge a list of tables by their key field (see the module's rules)."""
        by_base = {item[key_field]: item for item in base}
        by_ours = {item[key_field]: item for item in ours}
        by_theirs = {item[key_field]: item for item in theirs}
        merged: list[dict[str, Any]] = []
        clashes: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []
        for key in dict.fromkeys([*by_ours, *by_theirs]):
            b, o, t = by_base.get(key), by_ours.get(key), by_theirs.get(key)
            item_path = (*path, keyed_step(key))
            if o is not None and t is not None:
                if b is None and key_field == "number" and not same(o, t):
                    clashes.append((key, o, t))
                    continue
                merged.append(self.table(b, o, t, item_path, schema))
            elif o is not None or t is not None:
                kept = o if o is not None else t
                assert kept is not None
                if b is None:
                    merged.append(kept)  # added on one side
                elif not same(kept, b):  # removed on one side, changed on the other
                    self.conflicts.append(Conflict(item_path, o, t, b))
                    merged.append(kept)
                # else: removed on one side, untouched on the other: stays removed
        if clashes:
            merged.extend(self.renumber(clashes, base, ours, theirs, path, key_field))
        if key_field == "number":
            merged.sort(key=lambda item: item[key_field])
        return merged

    def renumber(
        self,
        clashes: list[tuple[Any, dict[str, Any], dict[str, Any]]],
        base: list[dict[str, Any]],
        ours: list[dict[str, Any]],
        theirs: list[dict[str, Any]],
        path: Path,
        key_field: str,
    ) -> list[dict[str, Any]]:
        """Both items of each number added on both sides: the one whose content sorts first
        keeps the number, the other takes the next number never used (ours or theirs alike)."""
        used = [item[key_field] for item in (*base, *ours, *theirs)]
        next_number = max((n for n in used if isinstance(n, int)), default=0) + 1
        kept: list[dict[str, Any]] = []
        for number, o, t in sorted(clashes, key=lambda clash: clash[0]):
            first, second = sorted((o, t), key=_canonical)
            kept.append(first)
            kept.append({**second, key_field: next_number})
            self.renumbered.append(Renumbering(path, number, next_number))
            next_number += 1
        return kept


def merge_set(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """A list of plain values merged as a set: what either side added is in, what either
    side removed is out; ours' order first, then theirs' additions in their order."""
    removed = [item for item in base if not _contains(ours, item) or not _contains(theirs, item)]
    merged: list[Any] = []
    for item in [*ours, *theirs]:
        if not _contains(merged, item) and not _contains(removed, item):
            merged.append(item)
    return merged


def _tables_or_absent(base: Any, ours: Any, theirs: Any, key_field: str) -> bool:
    """True when each value is absent or a list of tables that all carry the key field (a
    list that breaks this cannot be matched by key: it is merged as one value)."""
    return all(
        value is ABSENT
        or (
            isinstance(value, list)
            and all(isinstance(item, dict) and key_field in item for item in value)
            and len({_canonical_key(item[key_field]) for item in value}) == len(value)
        )
        for value in (base, ours, theirs)
    )


def _canonical_key(key: Any) -> str:
    return f"{type(key).__name__}:{key}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _plain_lists_or_absent(*values: Any) -> bool:
    """True when each value is a list of plain values (no tables) or absent."""
    return all(
        value is ABSENT
        or (isinstance(value, list) and not any(isinstance(item, (dict, list)) for item in value))
        for value in values
    )


def _or_none(value: Any) -> Any:
    return None if value is ABSENT else value


def _contains(values: list[Any], item: Any) -> bool:
    return any(same(value, item) for value in values)


def _canonical(item: dict[str, Any]) -> str:
    """A text of an item's content that sorts the same on every machine."""
    return json.dumps(item, sort_keys=True, default=str, ensure_ascii=True)
