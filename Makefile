# Two commands do everything on a fresh machine: `make run` and `make test`.
# Each creates .venv on its own and reinstalls when pyproject.toml or requirements.lock changes.
# Every install takes the versions pinned in requirements.lock (the ones CI tested), with the pip
# that `python3 -m venv` ships; `make lock` pins them again after pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK)

.PHONY: run test demo bench lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/jajak run

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile

demo: $(VENV)/.installed
	$(BIN)/jajak demo

$(VENV)/.installed-lint: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e '.[test,lint]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

lint: $(VENV)/.installed-lint
	$(BIN)/ruff check .
	$(BIN)/mypy classifier alerts crawler

# Pin every dependency (with the test and lint extras) again; commit the result.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile --quiet --strip-extras --extra test --extra lint --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host --output-file $(LOCK) pyproject.toml

bench: $(VENV)/.installed-test
	$(BIN)/python bench/crawl.py

clean:
	rm -rf $(VENV) var .pytest_cache
