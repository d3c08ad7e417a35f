# Two commands do everything on a fresh machine: `make run` and `make test`.
# Each creates .venv on its own and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test demo bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/jajak run

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

demo: $(VENV)/.installed
	$(BIN)/jajak demo

$(VENV)/.installed-lint: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

lint: $(VENV)/.installed-lint
	$(BIN)/ruff check .
	$(BIN)/mypy classifier alerts

bench: $(VENV)/.installed-test
	$(BIN)/python bench/crawl.py

clean:
	rm -rf $(VENV) var .pytest_cache
