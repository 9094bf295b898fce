"""Logging that can never carry case data.

Three rules, for every logger in the process (the app's, uvicorn's, the
server's), because a record from any of them reaches the same files:

* An exception is logged as its type and the stack of code locations, never
  its message: the message of a `ValueError` raised while reading a case may
  quote a date of birth or a ref.
* Control characters are escaped, so that a path with `%0A` in it cannot forge
  a log line, and NUL or ESC bytes never reach a terminal.
* Every line carries the request id of the request it was logged under (`-`
  outside a request), so that one request's lines can be found together.

`logging_config()` is the one configuration; the server passes it to uvicorn
and `create_app()` applies it when the app is run some other way (tests,
`uvicorn app.main:app`).
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.config
import traceback
from types import TracebackType
from typing import Any

# The id of the request being handled; set by the request-log middleware.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}
_CONTROL[ord("\n")] = "\\n"
_CONTROL[ord("\r")] = "\\r"
_CONTROL[ord("\t")] = "\\t"


def escape(text: str) -> str:
    """Control characters as visible escapes: one record is one line."""
    return text.translate(_CONTROL)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def exception_summary(exc_info: ExcInfo) -> str:
    """The exception's type and where it was raised, each cause in turn; no messages."""
    lines: list[str] = []
    exc: BaseException | None = exc_info[1]
    seen = 0
    while exc is not None and seen < 5:  # a chain of causes is bounded in the log
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return "\n".join(lines)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a filter on the handler, so that
    records of every logger get it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class SafeFormatter(logging.Formatter):
    """Plain text lines: exception messages withheld, control characters escaped."""

    def formatException(self, ei: Any) -> str:
        return exception_summary(ei)

    def format(self, record: logging.LogRecord) -> str:
        # logging.Formatter.format, with the message escaped: the lines of a
        # withheld traceback that follow it are ours, not a caller's.
        record.message = escape(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class JsonFormatter(SafeFormatter):
    """One JSON object a line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = exception_summary(record.exc_info)  # type: ignore[arg-type]
        # json.dumps escapes control characters itself.
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(level: str = "INFO", json_logs: bool = False) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the whole process, uvicorn's loggers included."""
    formatter = {"()": JsonFormatter} if json_logs else {"()": SafeFormatter, "format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"safe": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "safe",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's loggers propagate to the root and its handler; their
            # own handlers would format exceptions with their messages.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            # The access log records query strings: the app logs requests itself.
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
        },
    }


def configure(level: str = "INFO", json_logs: bool = False) -> None:
    """Apply `logging_config()` once per process: a second app built in the
    same process (a test's) must not tear down handlers others have added."""
    if any(isinstance(f, RequestIdFilter) for h in logging.getLogger().handlers for f in h.filters):
        return
    logging.config.dictConfig(logging_config(level, json_logs))
