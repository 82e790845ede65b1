"""Error pages and JSON errors: a clear message and a 4xx, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, PendingRollbackError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..database import end_reads
from ..extensions import db
from ..services import ServiceError
from ..services.limits import TooManyRequests

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Access denied",
    404: "Page not found",
    405: "Not allowed here",
    409: "Already used",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Back in a moment",
}
MESSAGES = {
    400: "The request could not be understood.",
    401: "Please sign in first.",
    403: "You don't have access to this page.",
    404: "There is nothing here. The link may be wrong, or the page was removed.",
    405: "That action is not possible on this page.",
    413: "That upload is too large.",
    429: "Too many requests; wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you sent was lost; please try again.",
    503: "The service is busy or its database is restarting. Try again in a few seconds: "
    "sending the same quiz again is safe, it is never counted twice.",
}
# The database is down, restarting or locked for too long: a 503 the client may retry.
UNAVAILABLE = (OperationalError, InterfaceError, PendingRollbackError)
log = logging.getLogger("quizapp.errors")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, message: str):
    if _wants_json():
        return jsonify(error=message), status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, message=message, title=title), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if _wants_json():
            return _render(400, "Missing or invalid X-CSRFToken header.")
        return _render(
            400,
            "This form had expired or came from another site, so nothing was changed. "
            "Go back, reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
            message = f"That request is too large: the limit is {size}."
        elif isinstance(exc.description, str) and exc.description and status != 500:
            message = exc.description if _wants_json() else MESSAGES.get(status, exc.description)
        else:
            message = MESSAGES.get(status, exc.name)
        response = _render(status, message)
        if status == 405 and getattr(exc, "valid_methods", None):
            body, code = response
            body = app.make_response((body, code))
            body.headers["Allow"] = ", ".join(exc.valid_methods)
            return body
        return response

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        body, status = _render(exc.status, str(exc))
        response = app.make_response((body, status))
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    def database_unavailable(exc: Exception):
        log.error("database unavailable: %s", (str(exc).splitlines() or [""])[0][:300])
        db.session.remove()
        # The page is drawn as for a signed-out visitor: the signed-in user may be the very
        # thing that could not be loaded, and must not be loaded again for the menu.
        g._login_user = app.login_manager.anonymous_user()
        g.api_user = None  # the API's caller too (the request's log line reads its id)
        response = app.make_response(_render(503, MESSAGES[503]))
        response.headers["Retry-After"] = "5"
        return response

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    # Runs before Flask-SQLAlchemy's own teardown (registered earlier, so run later): a
    # database that goes away as a request ends (the rollback of its session fails) must not
    # turn an answered request into a 500 (bench/load.py's database restart). The session's
    # connections are closed without a word to the server, and the session dropped.
    @app.teardown_appcontext
    def end_session(error: BaseException | None) -> None:
        try:
            if error is None:
                end_reads()  # a read-only transaction ends with COMMIT: see end_reads
            db.session.remove()
        except UNAVAILABLE as exc:
            log.error("database unavailable: %s", (str(exc).splitlines() or [""])[0][:300])
            db.session().invalidate()
            db.session.registry.clear()

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError):
        return _render(500, MESSAGES[500])
