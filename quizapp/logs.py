"""Structured logs: one JSON object per line (or plain text), and one line per request.

`logging_config` is the `logging.config.dictConfig` set-up `quizapp serve` gives gunicorn, so the
server's own messages and the app's share one format; `register` adds the request line and an
`X-Request-ID` header (the caller's, when it sends a sane one, else a new one) to every response.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from sqlalchemy import inspect

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Attributes a record may carry (logger.info(..., extra={...})) that become JSON fields.
FIELDS = ("method", "path", "status", "ms", "request_id", "remote", "user_id", "pid")
log = logging.getLogger("quizapp.request")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ms), level, logger, message, the FIELDS it
    carries, and the traceback as `exc` (in the log only, never in a response)."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        data: dict = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            if key in record.__dict__:
                data[key] = record.__dict__[key]
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def logging_config(fmt: str = "json", level: str = "INFO") -> dict:
    """dictConfig for the app's loggers and gunicorn's, to stderr. Raises ValueError for a
    format other than "json" or "text"."""
    if fmt not in ("json", "text"):
        raise ValueError(f"QUIZAPP_LOG_FORMAT must be json or text, not {fmt!r}")
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "root": {"level": level, "handlers": ["main"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["main"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["main"], "propagate": False},
        },
    }


def _user_id(user) -> int | None:
    """The id of a loaded user (None for a visitor) without a query: after the commit the
    object is expired, and the database may be gone by now (a PostgreSQL restart)."""
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None:
        return getattr(user, "id", None)
    return state.identity[0] if state.identity else None


def _request_id() -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def register(app: Flask) -> None:
    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()
        g.request_id = _request_id()

    @app.after_request
    def request_line(response):
        request_id = g.get("request_id") or _request_id()
        response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        if started is not None and log.isEnabledFor(logging.INFO):
            # The API's caller (a Bearer token's user, or the session's), else the session's
            # user when the request looked at it (Flask-Login sets _login_user only then).
            user = g.get("api_user") or g.get("_login_user")
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id,
                    "remote": request.remote_addr,
                    "user_id": _user_id(user),
                    "pid": os.getpid(),
                },
            )
        return response
