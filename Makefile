# PR Portal. `make help` lists the targets; CI (.ci/run) calls `make lint` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults for `make run`: SQLite, in-process tasks, console email, unless the
# environment already says otherwise (DATABASE_URL, CELERY_BROKER_URL, EMAIL_HOST...).
RUN_ENV := DEBUG=$${DEBUG:-true}
TEST_ENV := DJANGO_SETTINGS_MODULE=portal.settings_test
# Two cores: two pytest workers (each gets its own test database).
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: compile-messages help run test test-deep lint fmt messages check-messages install migrate demo bench load audit restore-drill clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

compile-messages: install
	$(TEST_ENV) $(MANAGE) compilemessages --ignore=.venv -v0

run: install compile-messages ## Set up and serve http://127.0.0.1:8000 with development defaults
	$(RUN_ENV) $(MANAGE) migrate --no-input -v0
	$(RUN_ENV) $(MANAGE) createcachetable
	$(RUN_ENV) $(MANAGE) demo_data
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: install compile-messages ## Run the whole suite on PostgreSQL and Redis (browser tests included), slowest 25 printed
	$(TEST_ENV) $(PY) -m pytest --create-db -n $(PYTEST_WORKERS) -m "not deep" --durations=25 $(PYTEST_ARGS)

test-deep: install compile-messages ## Run the full-size versions of the heavy suites
	HYPOTHESIS_PROFILE=deep $(TEST_ENV) $(PY) -m pytest --create-db -n $(PYTEST_WORKERS) -m "deep or not deep" --durations=25 $(PYTEST_ARGS)

lint: install ## ruff, bandit, migrations check, translation completeness
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -ll -c pyproject.toml -r accounts representatives clients applications forms_imm support portal
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-messages

check-messages: install ## Fail if French is missing, fuzzy or out of date
	$(TEST_ENV) $(PY) -m tests.tools.check_messages

fmt: install ## Format and fix the code
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install ## Extract new strings into locale/fr and compile them
	$(TEST_ENV) $(MANAGE) makemessages -l fr --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete --add-location=file
	$(TEST_ENV) $(MANAGE) compilemessages --ignore=.venv -v0

demo: install ## Load the demo accounts and programs into the development database
	$(RUN_ENV) $(MANAGE) demo_data

bench: install compile-messages ## Every benchmark (dashboard at 10,000, section save, submit, package, worker memory) as ratios to a trivial view
	$(PY) -m bench.all $(BENCH_ARGS)

load: install ## 50 simulated representatives and clients for 3 minutes under gunicorn (bench/README.md)
	$(PY) -m bench.load $(LOAD_ARGS)

audit: install ## Check dependencies for known vulnerabilities (needs a vulnerability database; not in CI)
	$(VENV)/bin/pip install --quiet pip-audit
	$(VENV)/bin/pip-audit -r requirements.txt

clean: ## Remove the virtual environment and generated files
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

restore-drill: install ## Dump the database, restore it into a scratch database, verify signatures, files and audit chain
	$(MANAGE) restore_drill $(DRILL_ARGS)
