"""A pytest plugin loaded only by `make mutation` (see [tool.mutmut] in pyproject.toml).

The item texts of the forms are read once per process (`functools.cache` in
`goaltrack.measures.forms`). mutmut forks each mutant's test run from a process that has
already run the tests, so without this plugin the loader would never run under a mutant and
its mutants would all survive untested. Clearing the measures' caches before every test makes
each test read the item file afresh, under the mutant being tested.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

CACHED_MODULES = ("goaltrack.measures.forms",)


@pytest.fixture(autouse=True)
def fresh_measure_caches() -> Iterator[None]:
    """Empty every functools cache of the measures modules before the test runs."""
    for name in CACHED_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            cache_clear = getattr(value, "cache_clear", None)
            if callable(cache_clear):
                cache_clear()
    yield
