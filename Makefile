# Two entry points that work on a fresh machine with Python 3.11:
#   make run   - set up .venv if needed, install pinned dependencies, serve on $PORT (8000)
#   make test  - set up .venv if needed, install, then lint, type-check, test, check the OpenAPI file
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 1
STAMP := $(VENV)/.installed

.PHONY: run loadtest test install lint typecheck pytest openapi openapi-check deploy-check bench bench-deadlines clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pins change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The production server (app/server.py): uvicorn with TCP_NODELAY, request-head
# and body-rate time-outs and a connection limit, read from the environment.
run: install
	PORT=$(PORT) WORKERS=$(WORKERS) $(BIN)/python -m app.server

# Requests/s and p50/p99 at 1-128 connections, 1 and 2 workers, on loopback.
loadtest: install
	$(BIN)/python scripts/loadtest.py

lint: install
	$(BIN)/ruff check app tests scripts
	$(BIN)/ruff format --check app tests scripts

typecheck: install
	$(BIN)/mypy app

pytest: install
	$(BIN)/pytest

# Regenerate openapi/openapi.json from the app (commit the result).
openapi: install
	$(BIN)/python scripts/export_openapi.py

openapi-check: install
	$(BIN)/python scripts/export_openapi.py --check

# The Dockerfile, deploy/ (rendered with kubectl kustomize where kubectl is
# installed, validated offline against the Kubernetes schemas) and compose.yaml.
# No Docker engine or cluster needed.
deploy-check: install
	$(BIN)/pytest tests/test_deploy.py

# (tests/test_deploy.py runs in pytest; `make deploy-check` runs it alone.)
test: lint typecheck pytest openapi-check

bench: install
	$(BIN)/python scripts/bench_calendars.py

bench-deadlines: install
	$(BIN)/python scripts/bench_deadlines.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
