# `make run` and `make test` set everything up on a fresh machine (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test samples bench setup clean translations-extract translations-update translations-compile bench-preview bench-gallery

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) $(MO)

# UI translations (Babel): extract the strings, merge them into each catalog, compile the .mo.
# A new language: .venv/bin/pybabel init -i translations/messages.pot -d translations -l xx
translations-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location --sort-output \
		--project poster_app -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-location --ignore-obsolete

translations-compile: $(MO)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Starting the app brings the database to the newest migration; an empty one gets the demo.
run: setup
	$(BIN)/flask --app poster_app seed-demo --if-empty
	$(BIN)/flask --app poster_app run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest -q

samples: setup
	$(BIN)/python bench/samples.py --out samples

bench: setup
	$(BIN)/python bench/engine.py

bench-preview: setup
	$(BIN)/python bench/preview_latency.py

bench-gallery: setup
	$(BIN)/python bench/gallery.py

clean:
	rm -rf $(VENV) samples
