# corpnet: two commands do everything on a fresh machine with Python 3.11+.
#   make run    start the intranet with demo data at http://127.0.0.1:8000
#   make test   lint and format check, then the suite on SQLite and on a throwaway PostgreSQL
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint bench-seed clean help

help:
	@sed -n '1,4p' Makefile

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) scripts/dev.py --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) scripts/run_tests.py

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench-seed: $(VENV)/.dev
	$(PY) bench/seed.py

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles .pytest_cache
