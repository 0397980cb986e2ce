# The front door: `make run` starts the app with sample data, `make test` runs the suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint check format schema messages bench migrate clean

# The settings and the pins need Python 3.11+; say so before a cryptic install error does.
$(BIN)/python:
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "Python 3.11 or newer is needed; '$(PY)' is $$($(PY) --version 2>/dev/null || echo 'not found')." >&2; \
		echo "Install it, or name it: make $(MAKECMDGOALS) PY=python3.12" >&2; exit 1; }
	@$(PY) -c 'import ensurepip, venv' 2>/dev/null || { \
		echo "'$(PY)' cannot create a virtualenv: install python3-venv (Debian/Ubuntu)." >&2; exit 1; }
	$(PY) -m venv $(VENV)

# requirements.txt names what the project uses; constraints.txt pins everything installed,
# dependencies of dependencies included, so every machine gets what CI tested.
$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

# Development: DEBUG on, SQLite and the filesystem broker under var/ unless DATABASE_URL or
# REDIS_URL say otherwise. Ctrl-C stops the worker and the web server together: the worker gets
# WORKER_STOP_SECONDS to finish its task (warm shutdown), then it and its pool are killed, so
# `make run` never hangs on exit.
WORKER_STOP_SECONDS ?= 10
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_sample_data
	$(BIN)/python manage.py ensure_demo_accounts
	@echo "Starting the Celery worker and the web server on http://$(HOST):$(PORT)/ (Ctrl-C stops both)"
	@$(BIN)/celery -A integration worker --beat --schedule var/celerybeat-schedule \
		--loglevel=INFO --concurrency=2 & worker=$$!; \
	stop() { \
		trap - EXIT; trap '' INT TERM; \
		kill -TERM $$worker 2>/dev/null; \
		for _ in $$(seq 1 $$(( $(WORKER_STOP_SECONDS) * 2 ))); do \
			kill -0 $$worker 2>/dev/null || break; sleep 0.5; \
		done; \
		if kill -0 $$worker 2>/dev/null; then \
			echo "The worker did not stop within $(WORKER_STOP_SECONDS) s: killing it."; \
			pkill -KILL -P $$worker 2>/dev/null; kill -KILL $$worker 2>/dev/null; \
		fi; \
		wait $$worker 2>/dev/null; \
	}; \
	trap stop EXIT; trap 'stop; exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs against the real thing (Redis, Chromium, Caddy, WeasyPrint's Pango): on a
# machine that lacks any, .ci/system-deps installs it (as root, or with a sudo that asks no
# password) or stops before anything runs, naming the one command to type.
test:
	@bash .ci/system-deps
	@$(MAKE) --no-print-directory install
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff's rules (pyproject.toml), complexity over 15 included (C901), and the formatting. CI runs
# it before `make test`; `make check` runs both, as CI does.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint test

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The OpenAPI schema is a committed artefact (tests/api/test_schema.py fails when it is stale).
schema: install
	DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

# The French catalogue: extract new strings, then compile the committed .mo (the app needs no
# gettext tools at run time). Translate the new entries in locale/fr/LC_MESSAGES/django.po
# (tests/test_i18n.py fails while any is empty or fuzzy) and run this target again.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=var \
		--ignore=tests --ignore=bench --no-location
	DEBUG=1 $(BIN)/python manage.py compilemessages -l fr --ignore=.venv

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate

# bench/reports.py, bench/preview.py and bench/api.py need PostgreSQL (each makes its own database); api.py also
# Redis and wrk (apt-get install wrk).
bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/levers.py
	$(BIN)/python bench/preview.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) var
