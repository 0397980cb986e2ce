# The front door: `make run` starts the app with sample data, `make test` runs the suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format schema messages bench migrate clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
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

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) var
