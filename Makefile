# Two entry points that work on a fresh machine with Python 3.11 or later:
#   make run   - set up .venv if needed, install pinned dependencies, serve on $PORT (8000)
#   make test  - set up .venv if needed, install, then lint (ruff, and the layer contracts with
#                lint-imports), type-check, test, check the OpenAPI file
# Each set-up step says what it is doing; a Python older than 3.11 is refused
# (PYTHON=python3.12 make ... to choose another). tests/test_makefile.py.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 1
STAMP := $(VENV)/.installed

.PHONY: run loadtest test venv install lint typecheck pytest openapi openapi-check conformance generated deploy-check bench bench-deadlines bench-targets docs-assets web-assets clean

# "3.11" for the interpreter $(1), or nothing when it does not run.
py_version = $$($(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# Shell test: is the version in $$v 3.11 or later?
v_recent = { [ "$${v%%.*}" -gt 3 ] || { [ "$${v%%.*}" -eq 3 ] && [ "$${v\#*.}" -ge 11 ]; }; } 2>/dev/null

# .venv with Python 3.11 or later. Checked on every run, not only when .venv
# is missing: a .venv made earlier with an older Python is made again (when
# $(PYTHON) is recent enough) rather than used, and an old $(PYTHON) is refused
# with a message, not left to fail later inside pip.
venv:
	@v=$(call py_version,$(BIN)/python); \
	if [ -n "$$v" ] && $(v_recent); then exit 0; fi; \
	old="$$v"; v=$(call py_version,$(PYTHON)); \
	if [ -z "$$v" ]; then \
	  echo "make: $(PYTHON) does not run. This project needs Python 3.11 or later:" \
	       "install it, or say which to use: make PYTHON=python3.11 ..." >&2; exit 1; \
	fi; \
	if ! $(v_recent); then \
	  echo "make: this project needs Python 3.11 or later; $(PYTHON) is Python $$v." \
	       "Install Python 3.11 or later, or say which to use: make PYTHON=python3.11 ..." >&2; \
	  if [ -n "$$old" ]; then echo "make: $(VENV) (Python $$old) is too old too, and was left as it is." >&2; fi; \
	  exit 1; \
	fi; \
	if [ -e $(VENV) ]; then \
	  echo "$(VENV) was made with Python $${old:-that no longer runs}, older than 3.11: removing it to make it again"; \
	  rm -rf $(VENV); \
	fi; \
	echo "creating $(VENV) with $(PYTHON) (Python $$v)..."; \
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pins change (or .venv was made again).
install: venv
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ] && [ $(STAMP) -nt constraints.txt ]; then \
	  exit 0; \
	fi; \
	echo "installing pip 26.3 into $(VENV)..."; \
	$(BIN)/python -m pip install --upgrade --progress-bar on "pip==26.3" && \
	echo "installing the pinned dependencies (constraints.txt) and the app into $(VENV)" \
	     "(about a minute on a fresh machine)..." && \
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e ".[dev,postgres]" && \
	touch $(STAMP) && \
	echo "installed: $(VENV) is up to date with pyproject.toml and constraints.txt"

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
	$(BIN)/lint-imports --no-cache --no-logo

typecheck: install
	$(BIN)/mypy app

pytest: install
	$(BIN)/pytest

# Regenerate openapi/openapi.json from the app (commit the result).
openapi: install
	$(BIN)/python scripts/export_openapi.py

openapi-check: install
	$(BIN)/python scripts/export_openapi.py --check

# Write the conformance vectors the app serves (GET /v1/conformance and its schema) to
# openapi/conformance.json and openapi/conformance.schema.json (commit the result);
# tests/test_conformance.py fails until they match the app.
conformance: install
	$(BIN)/python scripts/write_conformance.py

# Everything generated from the data and the app, in one step (commit the result): the
# README's catalogue and worked-example counts, openapi/openapi.json, and the conformance
# vectors (openapi/conformance.json and its schema).
generated: install
	$(BIN)/python scripts/catalogue_counts.py --write
	$(BIN)/python scripts/export_openapi.py
	$(BIN)/python scripts/write_conformance.py

# The Dockerfile, deploy/ (rendered with kubectl kustomize where kubectl is
# installed, validated offline against the Kubernetes schemas) and compose.yaml.
# No Docker engine or cluster needed.
deploy-check: install
	$(BIN)/pytest tests/test_deploy.py

# (tests/test_deploy.py runs in pytest; `make deploy-check` runs it alone.)
test: lint typecheck pytest openapi-check

# Refresh app/static/docs/ (Swagger UI, ReDoc) from the npm packages pinned in
# scripts/docs-assets/package-lock.json (needs npm; commit the result).
docs-assets:
	$(PYTHON) scripts/refresh_docs_assets.py

# Refresh app/static/web/ (GOV.UK Frontend, axe-core) from the npm packages pinned in
# scripts/web-assets/package-lock.json (needs npm; commit the result).
web-assets:
	$(PYTHON) scripts/refresh_web_assets.py

# The calendar figures, then issue 13's calendar targets (with BEFORE=<rev>, beside that revision's).
bench: install
	$(BIN)/python scripts/bench_calendars.py
	$(BIN)/python scripts/bench_targets.py --only calendar $(if $(BEFORE),--before $(BEFORE))

bench-deadlines: install
	$(BIN)/python scripts/bench_deadlines.py
	$(MAKE) --no-print-directory bench-targets

# Every speed target of issue 13 in one table (about 10 minutes on a 2-core 2 GHz
# machine, twice that with BEFORE; the national caseload is most of it): the figure now,
# its ratio to the target and, with BEFORE=<git revision> (e.g. BEFORE=3614dbd),
# the same figures of that revision, measured in the same run from a temporary
# git worktree. BENCH_TARGETS_ARGS=--quick for a one-minute version.
BEFORE ?=
BENCH_TARGETS_ARGS ?=
bench-targets: install
	$(BIN)/python scripts/bench_targets.py $(if $(BEFORE),--before $(BEFORE)) $(BENCH_TARGETS_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
