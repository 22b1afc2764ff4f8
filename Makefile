# Every target bootstraps what it needs: .venv (Python packages from requirements.lock),
# node_modules (npm ci) and the vendored front-end assets under static/vendor.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint typecheck bench demo assets bootstrap clean-db

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.installed: node_modules/.installed scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh
	touch $@

bootstrap: $(BIN)/.installed static/vendor/.installed

assets: static/vendor/.installed

## make run: the product on its embedded default (SQLite, demo data) at http://$(HOST):$(PORT)
run: bootstrap
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddemo
	$(BIN)/python manage.py runserver_banner --host $(HOST) --port $(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise), browser tests included
test: bootstrap
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: bootstrap
	$(BIN)/mypy apps xianfeng

demo: bootstrap
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddemo

bench: bootstrap
	$(BIN)/python bench/run.py $(BENCH_ARGS)
