# The two commands: `make run` (app on embedded defaults) and `make test` (the whole suite).
UV := var/bootstrap/bin/uv
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run test lint bench bench-alpha bench-workspace bench-agreement bench-load bench-export

$(UV):
	python3 -m venv var/bootstrap
	var/bootstrap/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

.env:
	python3 -c 'import secrets; print("DEBUG=true"); print("SECRET_KEY=" + secrets.token_urlsafe(50))' > $@

run: .venv/.synced .env
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_demo
	PORT=$(PORT) scripts/dev-server

lint: .venv/.synced .env
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	.venv/bin/pytest

# Each benchmark prints its figures; the last two need DATABASE_URL pointing at PostgreSQL.
bench: bench-alpha bench-workspace bench-agreement bench-load bench-export

bench-alpha: .venv/.synced .env
	$(PY) benchmarks/alpha_bench.py

bench-workspace: .venv/.synced .env
	$(PY) benchmarks/workspace_render.py

bench-agreement: .venv/.synced .env
	$(PY) benchmarks/agreement_full_run.py

bench-load: .venv/.synced .env
	$(PY) benchmarks/load_annotations.py

bench-export: .venv/.synced .env
	$(PY) benchmarks/export_bench.py
