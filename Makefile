# Huicai: `make run` sets up and starts everything with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1
# pytest-xdist workers for `make test`: one per CPU; each has its own test database. TEST_WORKERS=0 runs in-process.
TEST_WORKERS ?= auto

.PHONY: run test fuzz install install-test lint migrate demo serve bench screenshots browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs only when pyproject.toml changed since the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Sets up (venv, install, migrate, demo data) and starts the web server and the task worker.
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) BIN=$(BIN) sh scripts/serve.sh

# Debian's chromium and a CJK font for the browser tests and screenshots; Playwright downloads no browser.
# Needs root (CI is); elsewhere install the two packages once by hand, or the browser tests skip.
browser:
	@test -x /usr/bin/chromium && fc-list :lang=zh 2>/dev/null | grep -q . || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || \
		echo "chromium could not be installed: the browser tests will be skipped"

test: install-test browser
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0 || (echo "missing migrations" && exit 1)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# A longer schemathesis run against the API as each role (the short seeded one is part of `make test`).
FUZZ_EXAMPLES ?= 200
fuzz: install-test
	HUICAI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q huicai/api/tests/test_fuzz.py $(PYTEST_ARGS)

# Benchmarks (not part of the test run): deadline computations per second; median policy search time
# over 10,000 generated policies; a 20,000-row talents import, rows/s and peak memory (each in a
# transaction that is rolled back); one talent's archive page and PDF with 2,000 more records (rolled back).
bench: demo
	$(BIN)/python manage.py bench_workdays
	$(BIN)/python manage.py bench_policies
	$(BIN)/python manage.py bench_import
	$(BIN)/python manage.py bench_archive
	$(BIN)/python manage.py bench_filing

# Regenerate docs/screenshots/*.png from the demo data (throwaway SQLite, a local server, Debian chromium).
screenshots: install-test browser
	$(BIN)/python manage.py screenshots

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles
