# goaltrack: `make demo` and `make test` work on a fresh machine with python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_HOME := examples/caseload
# pytest-xdist workers: auto = one per CPU; WORKERS=0 runs every test in one process.
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

.PHONY: demo test test-fast test-browser docs-pictures lint check bench bench-quick taskwarrior mutation clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## demo: show a client of the shipped example caseload and its progress (changes no client file; the derived index is git-ignored)
demo: $(STAMP)
	@echo "== goaltrack attention (examples/caseload): who needs you today =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) attention
	@echo
	@echo "== goaltrack clients =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) clients
	@echo
	@echo "== goaltrack plan c-1042 =="
	@$(BIN)/goaltrack --home $(DEMO_HOME) plan c-1042
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

## test-browser: the HTML report in headless Chromium (Debian's chromium and chromium-driver,
## installed with apt-get when missing); `make test` skips these tests where Chromium is absent.
## REPORT_SCREENSHOT=docs/report-c-1042.png keeps the screenshot (the one the README shows).
test-browser: $(STAMP)
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  echo "test-browser: installing chromium and chromium-driver with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	$(BIN)/python -m pytest -q -m browser tests/test_browser.py

## docs-pictures: redraw docs/progress-chart.svg (and .png with rsvg-convert) with the program's
## own SVG chart: `goaltrack progress c-1042 1 --chart --svg`, the example caseload as of 2026-11-28
docs-pictures: $(STAMP)
	GOALTRACK_AS_OF=2026-11-28 $(BIN)/goaltrack --home $(DEMO_HOME) progress c-1042 1 --chart \
	  --svg docs/progress-chart.svg
	@if command -v rsvg-convert >/dev/null 2>&1; then \
	  rsvg-convert -w 1280 docs/progress-chart.svg -o docs/progress-chart.png; \
	else echo "docs-pictures: rsvg-convert not installed; docs/progress-chart.png left as it was"; fi

## lint: ruff and mypy, both clean
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs tools
	$(BIN)/ruff format --check src tests benchmarks examples docs tools
	$(BIN)/mypy

check: test lint

## bench: every ratio of the performance issue (vs Taskwarrior and a minimal Typer app),
## printed and written to docs/performance.md; BENCH_ARGS passes options to benchmarks/run.py
bench: $(STAMP) taskwarrior
	$(BIN)/python benchmarks/run.py --out docs/performance.md $(BENCH_ARGS)

## bench-quick: try the harness on small data with 3 pairs a row (prints only; not figures)
bench-quick: $(STAMP) taskwarrior
	$(BIN)/python benchmarks/run.py --quick $(BENCH_ARGS)

# Taskwarrior is what the bench compares with: installed when missing; if that fails, its rows
# are skipped (with the reason) and the rest of the bench still runs.
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
taskwarrior:
	@command -v task >/dev/null 2>&1 || { \
	  echo "bench: installing taskwarrior with apt-get"; \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq taskwarrior; } \
	    || echo "bench: could not install taskwarrior; its rows will be skipped"; }

## mutation: mutation testing of the clinical core ([tool.mutmut]); prints the score, fails under 90%
mutation: $(STAMP)
	rm -rf mutants
	mkdir -p mutants
	$(BIN)/mutmut run --max-children 2 > mutants/run.log 2>&1 || { tail -n 40 mutants/run.log; exit 1; }
	$(BIN)/python tools/mutation_score.py --fail-under 90

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
