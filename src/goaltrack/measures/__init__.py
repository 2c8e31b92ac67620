"""Measures: instruments, forms, scoring, safety, GAS, outcomes and trends (pure functions)."""
