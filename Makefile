# Wijkkompas — one command to run, one to test (the same locally and in CI).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test install system-deps lint bench demo-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Start the dashboard on the bundled demo data (data/), or on $$WIJKKOMPAS_DATA.
run: install
	$(BIN)/python serve.py --server.port $(PORT) --server.headless true

## Debian packages the tests need (Chromium for the browser tests, poppler for PDF checks,
## PostgreSQL 15 + PostGIS 3 for the server register: the tests start a throwaway cluster).
PG_BIN := /usr/lib/postgresql/15/bin
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null \
		|| [ ! -x $(PG_BIN)/initdb ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium poppler-utils fonts-dejavu-core \
			postgresql-15 postgresql-15-postgis-3; \
	fi

## Install everything and run the whole test suite.
test: install system-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check geo tests app.py app_pages
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_register.py
	$(BIN)/python benchmarks/bench_cache.py
	$(BIN)/python benchmarks/bench_mclp.py
	$(BIN)/python benchmarks/bench_gtfs.py
	$(BIN)/python benchmarks/bench_dashboard.py

## Regenerate the bundled demo dataset (deterministic).
demo-data: install
	$(BIN)/python -m geo.demo data
