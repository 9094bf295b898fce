# syntax=docker/dockerfile:1
# Build:  docker build -t children-timescales .
# Behind a package mirror or a TLS-inspecting proxy (see README, "Deployment"):
#   docker build --build-arg PIP_INDEX_URL=https://mirror.example/simple \
#                --secret id=pip_cert,src=/path/to/ca-bundle.pem -t children-timescales .
# With the PostgreSQL driver (DATABASE_URL=postgresql+psycopg://...):
#   docker build --build-arg EXTRAS=postgres -t children-timescales .
# Run with a read-only root filesystem; /tmp is the only place it writes:
#   docker run --rm --read-only --tmpfs /tmp -p 8000:8000 children-timescales

# The base image, so a council can take it from its own registry mirror.
ARG BASE_IMAGE=python:3.11-slim

# Build stage: install the pinned dependencies into a virtual environment.
FROM ${BASE_IMAGE} AS build
# Package index to install from (empty: pip's default, PyPI).
ARG PIP_INDEX_URL=
# Host(s) pip may reach without verifying TLS. A last resort: prefer giving the
# proxy's CA bundle as the pip_cert build secret, which keeps TLS verified.
ARG PIP_TRUSTED_HOST=
# Optional extras of the package, comma-separated: "postgres" for psycopg.
ARG EXTRAS=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
RUN python -m venv /venv
# LICENSE: setuptools puts it in the wheel's dist-info, so the image carries the code's and
# the data's terms (GOV.UK bank holidays under the Open Government Licence).
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY app ./app
# The CA bundle comes in as a build secret (docker build --secret id=pip_cert,...):
# it is mounted for this step only and is in no layer of either stage. Empty
# build arguments are unset so pip keeps its own defaults.
RUN --mount=type=secret,id=pip_cert,required=false \
    set -eu; \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -z "${PIP_INDEX_URL}" ]; then unset PIP_INDEX_URL; fi; \
    if [ -z "${PIP_TRUSTED_HOST}" ]; then unset PIP_TRUSTED_HOST; fi; \
    /venv/bin/pip install -c constraints.txt ".${EXTRAS:+[${EXTRAS}]}"

# Runtime stage: the venv and nothing else, run as a non-root user.
FROM ${BASE_IMAGE}
# PYTHONDONTWRITEBYTECODE: the root filesystem is read-only, so no .pyc writes
# (pip compiled them at install). TMPDIR: temporary files (large NDJSON answers
# are spooled) go to /tmp, the one writable mount (--tmpfs /tmp, an emptyDir).
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TMPDIR=/tmp \
    PORT=8000 \
    WORKERS=2
# A passwd entry for uid 10001, for tools that look the user up; nothing runs as it
# by name. No home directory: the service writes nowhere but /tmp.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
# Numeric, so Kubernetes' runAsNonRoot can check it is not root without
# reading /etc/passwd in the image.
USER 10001:10001
EXPOSE 8000
# Exec form: no shell in the check, so PORT is read inside Python. Any answer
# but 2xx, a refused connection or a time-out makes the exit status non-zero.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]
# The server reads PORT, WORKERS and its time-outs from the environment (app/server.py).
CMD ["python", "-m", "app.server"]
