# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?= small
SEED ?= 1

.PHONY: setup run serve test lint check-migrations pytest demo clean

setup: $(VENV)/.installed node_modules/.installed var

var:
	mkdir -p var

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Set up, migrate SQLite, load the demo company when the database is empty, start a task
# worker and serve http://$(HOST):$(PORT).
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo --size $(SIZE) --seed $(SEED) --if-empty
	$(PY) manage.py demo_logins
	$(MAKE) --no-print-directory serve

serve:
	trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker --reload & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Everything CI checks. Set DATABASE_URL to run the suite against PostgreSQL.
test: setup lint check-migrations pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy rumbo $(shell find bench -name '*.py' 2>/dev/null)

check-migrations:
	$(PY) manage.py makemigrations --check --dry-run

pytest:
	$(BIN)/pytest -n 2

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --size $(SIZE) --seed $(SEED) --replace

clean:
	rm -rf $(VENV) node_modules var
