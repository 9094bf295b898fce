# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN /venv/bin/pip install -c constraints.txt .

# Runtime stage: the venv and nothing else, run as a non-root user.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    WORKERS=2
RUN useradd --system --uid 10001 --no-create-home app
COPY --from=build /venv /venv
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
# --no-access-log: uvicorn's access log would record query strings; the app's
# own request log records method, path, status and duration only.
CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port \"$PORT\" --workers \"$WORKERS\" --no-access-log"]
