# socialwall: `make demo` runs the demo wall, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
VENDOR := static/vendor/socket.io.esm.min.js static/vendor/chart.umd.js
CONFIG ?= config/demo.toml

.PHONY: install demo test test-fast lint typecheck pytest screenshots clean bench-media \
	bench bench-quick bench-install

install: $(STAMP_PY) $(STAMP_NPM) $(VENDOR)

$(STAMP_PY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): $(STAMP_NPM) scripts/vendor.mjs
	node scripts/vendor.mjs

demo: install
	$(BIN)/socialwall run --config $(CONFIG)

lint: install
	$(BIN)/ruff check wall tests app.py

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -q

test: lint typecheck pytest

# The quick subset for a developer: everything but the tests marked slow.
test-fast: install
	$(BIN)/pytest -q -m 'not slow'

bench-media: install
	$(BIN)/python benchmarks/media_bench.py

# The engine beside a minimal Node socket.io server (docs/benchmarks.md). They report
# figures and never fail on them. `make bench ARGS=--quick` or `make bench-quick`: ~2 min.
STAMP_BENCH := bench/node_modules/.installed
ARGS ?=

$(STAMP_BENCH): bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench-install: install $(STAMP_BENCH)

bench: bench-install
	$(BIN)/python -m bench.run $(ARGS)

bench-quick: bench-install
	$(BIN)/python -m bench.run --quick $(ARGS)

clean:
	rm -rf $(VENV) node_modules bench/node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache
