# The two set-up commands (README): `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres install serve benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed
	$(FLASK) translations compile

# The job worker (mail, reminders, digests) runs beside gunicorn; Ctrl-C stops both (the trap ends the worker,
# which a non-interactive shell would otherwise leave running in the background).
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@$(FLASK) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

test: test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

# Runs the same suite on a throwaway PostgreSQL cluster when the server binaries are installed.
test-postgres: install
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		bash .ci/with-postgres $(BIN)/pytest; \
	else \
		echo "PostgreSQL server binaries not installed: skipping the PostgreSQL pass (apt-get install postgresql)"; \
	fi

benchmarks: install
	$(BIN)/python benchmarks/matching_speed.py
	$(BIN)/python benchmarks/matching_quality.py
