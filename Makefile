# `make run` and `make test` set everything up on a fresh machine (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test samples bench setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/flask --app poster_app run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest -q

samples: setup
	$(BIN)/python bench/samples.py --out samples

bench: setup
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) samples
