"""Storage: the file format, the locked atomic store, the audit trail, check and schema."""
