# `make run` and `make test` set everything up on a fresh machine (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The runtime packages (make run); then the test extras (make setup, test, lint, …).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
# The slogan phrasebook: a gettext domain of its own (see poster_app/phrasebook.py).
PHRASES_PO := $(wildcard translations/phrases/*/LC_MESSAGES/phrases.po)
PHRASES_MO := $(PHRASES_PO:.po=.mo)

.PHONY: run worker test test-fast lint samples bench setup app-setup clean translations-extract translations-update translations-compile bench-preview bench-gallery \
	phrases-extract phrases-update test-postgres bench-load bench-abuse bench-memory golden system-libs screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $(TEST_STAMP)

# Pillow shapes text with raqm, which loads the system's FriBiDi: install it when we are root
# (a fresh Debian machine), else say the one command to run.
system-libs:
	@if ! /sbin/ldconfig -p | grep -q 'libfribidi\.so\.0'; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get install -y -q libfribidi0 || { apt-get update -q && apt-get install -y -q libfribidi0; }; \
		else \
			echo "poster_app needs FriBiDi for Pillow's text layout: sudo apt-get install libfribidi0" >&2; \
			exit 1; \
		fi; \
	fi

# What `make run` needs: runtime packages, compiled catalogs, the system library.
app-setup: system-libs $(STAMP) $(MO) $(PHRASES_MO)

setup: app-setup $(TEST_STAMP)

# UI translations (Babel): extract the strings, merge them into each catalog, compile the .mo.
# A new language: .venv/bin/pybabel init -i translations/messages.pot -d translations -l xx
translations-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location --sort-output \
		--project poster_app -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --ignore-obsolete --width 100

translations-compile: $(MO) $(PHRASES_MO)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Phrasebook: phrases.pot is written from poster_app/phrasebook.py, then merged into each
# language. A new language: .venv/bin/pybabel init -D phrases -i translations/phrases/phrases.pot \
#   -d translations/phrases -l xx
phrases-extract: $(STAMP)
	$(BIN)/python -m poster_app.phrasebook extract

phrases-update: phrases-extract
	$(BIN)/pybabel -q update -D phrases -i translations/phrases/phrases.pot -d translations/phrases \
		--ignore-obsolete --width 100

translations/phrases/%/LC_MESSAGES/phrases.mo: translations/phrases/%/LC_MESSAGES/phrases.po $(STAMP)
	$(BIN)/pybabel -q compile -D phrases -i $< -o $@

# Starting the app brings the database to the newest migration; an empty one gets the demo.
# `make run PORT=0` picks a free port (the journey tests start it so).
HOST ?= 127.0.0.1
PORT ?= 5000
run: app-setup
	$(BIN)/flask --app poster_app seed-demo --if-empty
	$(BIN)/flask --app poster_app editors list >/dev/null  # says how to add the first, if none
	$(BIN)/flask --app poster_app run --host $(HOST) --port $(PORT)

# A job worker for campaigns (needs REDIS_URL; run as many as you like, on any machine).
worker: setup
	$(BIN)/flask --app poster_app worker

# On every core (pytest-xdist); a test file stays on one worker, so its cached work is done once;
# tests/scheduling.py keeps the journeys on one worker (one `make run`) and starts the heaviest first.
# One worker more than cores: a third of the suite's time is spent waiting (on servers, browsers,
# throttles, slow clients), and the extra worker runs while the others wait.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# Some machines set PYTHONDONTWRITEBYTECODE=1: then each pytest worker rewrites every test module
# again, and each of the hundreds of processes the tests start (servers, the CLI, flask commands)
# compiles the app again. The tests keep their bytecode (in git-ignored __pycache__ folders).
test test-fast test-postgres: export PYTHONDONTWRITEBYTECODE =
test: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -p tests.scheduling

# The browser tests with their screenshots to look at (after changing a page): the journeys' in
# tests/e2e/journeys/screenshots/, the others' in /tmp (tests/e2e/screenshots.py).
screenshots: setup
	POSTER_SCREENSHOTS=/tmp/poster-screenshots $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -p tests.scheduling tests/e2e

# While you work: engine and web tests on every core (pytest-xdist), no browser.
test-fast: setup
	$(BIN)/python -m pytest -q -n auto tests/engine tests/web

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The tests that use the database, again on a throw-away PostgreSQL server (Debian's
# `postgresql` package; or your own server: DATABASE_URL=postgresql+psycopg://…).
# test_archive and test_archive_safety are left out: they need two databases at once, one per
# data dir. test_multiserver (two app servers, Redis and workers on one PostgreSQL) runs only here.
DB_TESTS := $(addprefix tests/web/,test_models.py test_auth.py test_gallery.py test_actions.py \
	test_web_api.py test_web_banners.py test_security.py test_limits.py test_faults.py \
	test_bad_input.py test_campaigns.py test_campaign_gallery.py test_odd_input.py \
	test_banner_ids.py test_uploads.py test_stored_specs.py test_sessions.py test_login_throttle.py \
	test_resend.py test_integrity.py test_stateless.py test_multiserver.py test_banner_images.py \
	test_api_paging.py test_preforked_workers.py)

test-postgres: setup
	.ci/with-postgres $(BIN)/python -m pytest -q $(DB_TESTS)

samples: setup
	$(BIN)/python bench/samples.py --out samples

bench: setup
	$(BIN)/python bench/engine.py

bench-preview: setup
	$(BIN)/python bench/preview_latency.py

bench-gallery: setup
	$(BIN)/python bench/gallery.py

# 20 concurrent clients against gunicorn -w 2: p50/p99 per kind, errors (exit 1 if any).
bench-load: setup
	$(BIN)/python bench/load.py

# Six visitors browsing while six clients send the costliest specs: the visitors' p50/p99.
bench-abuse: setup
	$(BIN)/python bench/load.py --abuse

# 40 big PNG downloads at once, one PNG asked 8 times at once: the workers' memory.
bench-memory: setup
	$(BIN)/python bench/memory.py

clean:
	rm -rf $(VENV) samples

# After bumping ENGINE_VERSION (poster_app/layout/__init__.py): record the golden layouts'
# hash for the new version in tests/engine/golden.json. Refuses to overwrite a recorded one.
golden: setup
	$(BIN)/python tests/golden.py
