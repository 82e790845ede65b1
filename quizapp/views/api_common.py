"""The JSON API's blueprint, /api/v1 (contracts §5), and what all its routes share: who the
caller is (a bearer token, or the session cookie with its CSRF token), the JSON body, and the
errors as JSON. The routes are in api.py (authentication and the student routes),
api_teacher.py and api_study.py."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException

from ..extensions import csrf
from ..services import ServiceError, accounts, limits

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # Bearer requests carry no cookie; cookie requests are checked below.


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@bp.before_request
def _authenticate():
    g.api_user = None
    token = bearer()
    if token is not None:
        g.api_user = accounts.user_for_token(token)
        if g.api_user is None:
            abort(401, "That token is not valid.")
        return
    if current_user.is_authenticated:
        g.api_user = current_user._get_current_object()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # Cookie-authenticated writes need the CSRF token (X-CSRFToken header).
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except Exception as exc:  # noqa: BLE001 - any failure is the same 400 to the client
                raise CSRFError("Missing or invalid X-CSRFToken header.") from exc


def require_user():
    """The caller, or 401."""
    if g.api_user is None:
        abort(401, "Sign in or send 'Authorization: Bearer <token>'.")
    return g.api_user


def json_body() -> dict:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        abort(400, "The JSON body is nested too deeply.")
    if not isinstance(data, dict):
        abort(400, "The body must be a JSON object (Content-Type: application/json).")
    return data


def checked_text(value: str, what: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        abort(400, f"{what} is not valid Unicode text.")
    return value


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    message = exc.description if isinstance(exc.description, str) else exc.name
    if isinstance(exc, CSRFError):
        message = "Missing or invalid X-CSRFToken header."
    response = jsonify(error=message)
    response.status_code = exc.code or 500
    if exc.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="quizapp"'
    return response


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    response = jsonify(error=str(exc))
    response.status_code = exc.status
    if isinstance(exc, limits.TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    if exc.status == 401:  # a guest at a set that requires sign-in (SignInRequired)
        response.headers["WWW-Authenticate"] = 'Bearer realm="quizapp"'
    return response
