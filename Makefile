# The two commands: `make run` (app on embedded defaults) and `make test` (the whole suite).
UV := var/bootstrap/bin/uv
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run test lint fmt bench bench-alpha bench-workspace bench-review bench-agreement bench-load bench-import bench-export

$(UV):
	python3 -m venv var/bootstrap
	var/bootstrap/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

# Biome (JavaScript linter and formatter), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.env:
	python3 -c 'import secrets; print("DEBUG=true"); print("SECRET_KEY=" + secrets.token_urlsafe(50))' > $@

run: .venv/.synced .env
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_demo
	PORT=$(PORT) scripts/dev-server

lint: .venv/.synced .env node_modules/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .
	.venv/bin/lint-imports
	node_modules/.bin/biome ci
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

fmt: .venv/.synced node_modules/.installed
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	node_modules/.bin/biome check --write

test: lint
	.venv/bin/pytest

# Each benchmark prints its figures; the last two need DATABASE_URL pointing at PostgreSQL.
bench: bench-alpha bench-workspace bench-review bench-agreement bench-load bench-import bench-export

bench-alpha: .venv/.synced .env
	$(PY) benchmarks/alpha_bench.py

bench-workspace: .venv/.synced .env
	$(PY) benchmarks/workspace_render.py

bench-review: .venv/.synced .env
	$(PY) benchmarks/review_render.py

bench-agreement: .venv/.synced .env
	$(PY) benchmarks/agreement_full_run.py

bench-load: .venv/.synced .env
	$(PY) benchmarks/load_annotations.py

bench-import: .venv/.synced .env
	$(PY) benchmarks/import_telegram.py

# `make bench-export EXPORT_ARGS="--annotations 3000000 --kinds floor,csv,xlsx"` for the 3M rows.
bench-export: .venv/.synced .env
	$(PY) benchmarks/export_bench.py $(EXPORT_ARGS)
