"""Records: the data model, its vocabularies, and the one conversion layer for typed input."""
