# socialwall: `make demo` runs the demo wall, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
VENDOR := static/vendor/socket.io.esm.min.js static/vendor/chart.umd.js static/vendor/emoji/emoji.css
CONFIG ?= config/demo.toml

.PHONY: install demo test test-fast lint typecheck pytest screenshots clean bench-media \
	constraints audit wheel wheel-smoke \
	bench bench-quick bench-install

install: $(STAMP_PY) $(STAMP_NPM) $(VENDOR)

$(STAMP_PY): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Re-pin every dependency to its newest release allowed by pyproject.toml (commit the result
# after `make test audit` pass).
constraints:
	rm -rf .venv-pin
	$(PYTHON) -m venv .venv-pin
	.venv-pin/bin/python -m pip install --quiet -e '.[dev]'
	{ sed -n '/^#/p' constraints.txt; .venv-pin/bin/python -m pip freeze --exclude-editable \
		| grep -iv '^socialwall'; } > constraints.tmp && mv constraints.tmp constraints.txt
	rm -rf .venv-pin

# Known vulnerabilities: offline advisories always, pip-audit's service when reachable.
audit: install
	$(BIN)/python scripts/audit.py

# The wheel and sdist in dist/ (static/vendor/ is built from npm first).
wheel: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

# Build the wheel, install it in a clean venv, run it from an empty folder, load every screen.
wheel-smoke: install
	$(BIN)/pytest -q tests/test_wheel.py

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

pytest: install bench-install
	$(BIN)/pytest -q

test: lint typecheck audit pytest

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
