# The two set-up commands (README): `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres install install-dev requirements typecheck serve benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Production installs exactly the pinned, hashed packages of requirements.txt: no test tools, nothing unpinned.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

install: $(VENV)/.installed
	$(FLASK) translations compile

# Tests and tools (pytest, playwright, mypy, pip-tools...) on top; both files, so a changed pin in either counts.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

install-dev: $(VENV)/.installed-dev

# After editing requirements.in or requirements-dev.in: pins what they add and keeps every other pin
# (`make requirements UPGRADE='--upgrade-package flask'` moves one). This machine's index and find-links
# settings stay out of the files.
UPGRADE ?=
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(UPGRADE)
requirements: install-dev
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

typecheck: install-dev
	$(BIN)/mypy

# The job worker (mail, reminders, digests) runs beside gunicorn; Ctrl-C stops both (the trap ends the worker,
# which a non-interactive shell would otherwise leave running in the background).
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@$(FLASK) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

# The SQLite and PostgreSQL passes run side by side, one per core (each test makes its own databases, servers and
# ports, so they share nothing); -O prints each pass's output whole when it ends.
test: install install-dev
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-postgres

test-sqlite: install install-dev
	$(BIN)/pytest

# Runs the same suite on a throwaway PostgreSQL cluster when the server binaries are installed.
test-postgres: install install-dev
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		bash .ci/with-postgres $(BIN)/pytest; \
	else \
		echo "PostgreSQL server binaries not installed: skipping the PostgreSQL pass (apt-get install postgresql)"; \
	fi

benchmarks: install
	$(BIN)/python benchmarks/matching_speed.py
	$(BIN)/python benchmarks/matching_quality.py
