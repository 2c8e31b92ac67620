"""Goal planning: the template library, target rules computed from an instrument's facts, the
ranking of suggestions for a client, and the treatment plan as a tree (docs/planning.md).

Pure logic over records and the registries: no I/O except reading the template files, and
nothing here changes a record (`goaltrack.operations` does).
"""
