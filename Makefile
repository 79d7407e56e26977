# acusite: `make run` to serve locally, `make test` for the whole suite. `make help` lists everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYENV_PYTHON := $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python
SYSTEM_PYTHON := $(shell if [ -x "$(PYENV_PYTHON)" ]; then echo "$(PYENV_PYTHON)"; else command -v python$(basename $(PYTHON_VERSION)) || command -v python3; fi)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: help venv run serve test test-postgres lint format bench loadtest audit export clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/$$(PORT)/$(PORT)/g' -e 's/$$(WORKERS)/$(WORKERS)/g' \
		| awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt .python-version
	@$(SYSTEM_PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12) else "acusite needs Python 3.12 or newer; found %d.%d at $(SYSTEM_PYTHON). Install it (e.g. pyenv install $(PYTHON_VERSION)) and run make again." % v[:2])'
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install the pinned requirements

run: venv ## Serve the site for development at http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_content --if-empty
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# `make serve` is production mode on this machine: a local secret is made once,
# and plain HTTP is allowed because no TLS proxy sits in front of it here.
SERVE_ENV = DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .serve-secret-key)} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}
WORKERS ?= 2

.serve-secret-key:
	@$(SYSTEM_PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: venv .serve-secret-key ## Serve in production mode: gunicorn ($(WORKERS) workers), DEBUG off, on 127.0.0.1:$(PORT)
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v0
	$(SERVE_ENV) $(MANAGE) migrate --noinput -v0
	$(SERVE_ENV) $(MANAGE) load_content --if-empty
	$(SERVE_ENV) $(VENV)/bin/gunicorn acusite.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips=127.0.0.1 --no-control-socket

test: venv ## Run the whole test suite, browser tests included
	$(PY) -m pytest

test-postgres: venv ## Run the suite against PostgreSQL and Redis
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/acusite} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} $(PY) -m pytest

TEMPLATES = $(shell find templates points/templates -name '*.html' | sort)

lint: venv ## Check the code with ruff, the templates with djade, and that the models and migrations agree
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check --target-version 6.1 $(TEMPLATES)
	$(MANAGE) makemigrations --check --dry-run

format: venv ## Format the code with ruff and the templates with djade
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade --target-version 6.1 $(TEMPLATES)

export: venv ## Write the database's content back to fixtures/
	$(MANAGE) export_content

# SQLite always; PostgreSQL + Redis too when DATABASE_URL is a PostgreSQL URL (a temporary
# database is created beside it and dropped) and REDIS_URL is set. EXTRA_POINTS=0 measures the
# site's own content only.
EXTRA_POINTS ?= 5000
bench: venv ## Every page type cached and uncached against L0/L1, with wrk; PostgreSQL + Redis too if DATABASE_URL/REDIS_URL are set
	@command -v wrk >/dev/null || { echo "make bench needs wrk, the HTTP load generator: apt-get install wrk"; exit 1; }
	$(MANAGE) bench --extra-points $(EXTRA_POINTS)
	@case "$$DATABASE_URL" in postgres*) \
		if [ -n "$$REDIS_URL" ]; then $(MANAGE) bench --extra-points $(EXTRA_POINTS) --postgres "$$DATABASE_URL" --redis "$$REDIS_URL"; \
		else echo "Set REDIS_URL too to measure PostgreSQL + Redis."; fi ;; \
	*) echo "Set DATABASE_URL=postgres://... and REDIS_URL=redis://... to measure PostgreSQL + Redis as well." ;; esac

loadtest: venv ## 64 clients for 60 seconds against `make serve` on 127.0.0.1
	$(MANAGE) loadtest --url http://127.0.0.1:$(PORT)

audit: venv ## Lighthouse scores (mobile) of every page type, on gunicorn in production mode
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_content --if-empty
	$(MANAGE) audit

clean: ## Remove the virtualenv, database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
