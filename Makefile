# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install browser demo test test-fast deployments-yaml lint format pytest clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core (npm) for the accessibility checks in the real-browser tests.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's chromium for the real-browser tests; Playwright never downloads a browser here.
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: install it (apt-get install chromium) for the browser tests"; fi

demo: install
	$(BIN)/rvg demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install $(NODE_STAMP) browser
	$(BIN)/pytest

test: lint pytest

# The inner loop: unit and integration tests on SQLite, without the Prefect server, the
# browser and the demo runs (those, and PostgreSQL, run in `make test`), on every core.
test-fast: install
	$(BIN)/pytest -q -n auto tests/unit tests/integration -m "not prefect and not postgres and not browser and not e2e"

# deployments/prefect.yaml from deployments/definitions.py and the phase registry.
deployments-yaml: install
	$(BIN)/python -m deployments.definitions

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var out .pytest_cache .mypy_cache .ruff_cache node_modules
