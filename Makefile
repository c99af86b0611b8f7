# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench setup clean sbom audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml package.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm install --no-audit --no-fund --silent
	touch $(VENV)/.installed $@

setup: $(VENV)/.installed
	$(FLASK) portal setup --demo

run: setup
	@echo "Portalen kører på http://$(HOST):$(PORT)/  (stop med Ctrl+C)"
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/search_worst.py
	$(BIN)/python bench/page_save_bench.py

# Software bill of materials (CycloneDX JSON) of the installed environment.
sbom: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet cyclonedx-bom
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --of JSON -o sbom.cdx.json $(BIN)/python
	@echo "SBOM: sbom.cdx.json"

# Known vulnerabilities (PyPI's advisory data). --strict: a package that could not be checked
# (no network, unknown to the service) fails the run instead of passing quietly.
audit: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --strict --skip-editable

clean:
	rm -rf $(VENV) node_modules instance
	find search_index -mindepth 1 ! -name .gitkeep -delete
