"""Sync: git as the engine for sharing a caseload, with a merge that understands client files.

- `merge`: the pure three-way merge of client documents by key (no I/O, no git)
- `git`: the git command, run safely; `commits`: a commit after every write of a synced home
- `conflicts`: the per-machine conflicts/ folder; `mergefile`: the merge driver's file work
- `repo`: the operations behind `sync init`, `sync`, `sync status`, `history`, `undo`, `resolve`

Nothing is imported here: the store imports `commits` on every write, and must not pull in
the rest.
"""
