# goaltrack: `make demo` and `make test` work on a fresh machine with python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_HOME := examples/caseload
# pytest-xdist workers: auto = one per CPU; WORKERS=0 runs every test in one process.
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

.PHONY: demo test test-fast lint check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## demo: show a client of the shipped example caseload and its progress (read-only)
demo: $(STAMP)
	@echo "== goaltrack clients (examples/caseload) =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) clients
	@echo
	@echo "== goaltrack show c-1042 =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) show c-1042
	@echo
	@echo "== goaltrack progress c-1042 =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) progress c-1042
	@echo
	@echo "== goaltrack progress c-1042 1 --chart =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) progress c-1042 1 --chart

## test: the whole test suite, slow tests included (CI runs this)
test: $(STAMP)
	$(PYTEST) --durations=10

## test-fast: the edit loop: every test not marked slow (under a minute on 2 idle cores)
test-fast: $(STAMP)
	$(PYTEST) -m "not slow"

## lint: ruff and mypy, both clean
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs
	$(BIN)/ruff format --check src tests benchmarks examples docs
	$(BIN)/mypy

check: test lint

## bench: start-up and caseload timings, and the 10,000-row import (figures for notes)
bench: $(STAMP)
	$(BIN)/python benchmarks/cli_timings.py --clients 2000 --runs 5
	$(BIN)/python benchmarks/import_10k.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
