# Antre: `make run` serves the demo hall, `make test` runs the tests. Each sets itself up first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export ANTRE_PORT ?= 5000

.PHONY: setup run test lint clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres,redis,dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(BIN)/antre demo
	$(BIN)/antre serve --port $(ANTRE_PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy server/domain

clean:
	rm -rf $(VENV) node_modules .pytest_cache test-artifacts
