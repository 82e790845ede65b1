"""The JSON API, /api/v1 (contracts §5): authentication, errors and the student routes; the
teacher routes (api_teacher.py) and the flashcard routes (api_study.py) join this blueprint."""

from __future__ import annotations

import math

from flask import Blueprint, abort, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException

from ..extensions import csrf
from ..services import (
    ServiceError,
    accounts,
    attempts,
    catalogue,
    limits,
    results,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # Bearer requests carry no cookie; cookie requests are checked below.

MAX_KEY = 100


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@bp.before_request
def _authenticate():
    g.api_user = None
    token = _bearer()
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


@bp.post("/auth/token")
def token():
    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        abort(400, "Give 'email' and 'password' as strings.")
    user = accounts.sign_in(email, password, request.remote_addr or "")
    if user is None:
        abort(401, "That email and password don't match an account.")
    token, expires = accounts.issue_token(user)
    return jsonify(token=token, expires_at=expires.isoformat())


@bp.delete("/auth/token")
def revoke_token():
    """Sign a token out: the bearer token of this request stops working."""
    token = _bearer()
    if not token:
        abort(400, "Send the token to revoke as 'Authorization: Bearer <token>'.")
    accounts.revoke_token(token)
    return "", 204


@bp.get("/csrf-token")
def csrf_token():
    """For browser scripts using the session cookie: the token to send as X-CSRFToken."""
    return jsonify(csrf_token=generate_csrf())


@bp.get("/sets")
def list_sets():
    return jsonify(
        [
            {
                "id": s.question_set.id,
                "title": s.question_set.title,
                "question_count": s.question_count,
            }
            for s in catalogue.sets_for(g.api_user)
        ]
    )


def _public_question(question) -> dict:
    data = {
        "id": question.uid,
        "category": question.category,
        "format": question.format,
        "prompt": question.prompt,
    }
    if question.format == "multiple_choice" and question.choices:
        data["choices"] = list(question.choices)
    if question.format == "numeric" and question.numeric and question.numeric.get("unit"):
        data["unit"] = question.numeric["unit"]
    return data


@bp.get("/sets/<int:set_id>")
def get_set(set_id: int):
    qset = catalogue.set_to_take(set_id, g.api_user)
    questions = catalogue.quiz_questions(qset)
    return jsonify(
        id=qset.id,
        title=qset.title,
        source={
            "title": qset.source_title,
            "url": qset.source_url,
            "published": qset.source_published,
        },
        question_count=catalogue.question_count(qset),
        questions=[_public_question(q) for q in questions],
    )


def _attempt_json(attempt) -> dict:
    return {
        "attempt_id": attempt.id,
        "set_id": attempt.set_id,
        "state": attempt.state,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "results": [
            {
                "question_id": item.question_id,
                "correct": item.correct,
                "given": item.given,
                "expected": item.expected,
                "explanation": item.explanation,
            }
            for item in results.results(attempt)
        ],
    }


@bp.post("/sets/<int:set_id>/attempts")
def create_attempt(set_id: int):
    user = require_user()
    qset = catalogue.set_to_take(set_id, user)
    data = json_body()
    answers = data.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(k, str)
        and (v is None or isinstance(v, str) or (isinstance(v, int | float) and math.isfinite(v)))
        and not isinstance(v, bool)
        for k, v in answers.items()
    ):
        abort(400, "'answers' must be an object mapping question ids to answer text or numbers.")
    answers = {
        checked_text(k, "A question id"): (None if v is None else checked_text(str(v), "An answer"))
        for k, v in answers.items()
    }
    only = data.get("questions")
    if only is not None and (
        not isinstance(only, list) or not all(isinstance(i, str) for i in only)
    ):
        abort(400, "'questions', when given, is a list of question ids.")
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= MAX_KEY and key.isprintable()):
        abort(400, f"Idempotency-Key must have 1 to {MAX_KEY} printable characters.")
    questions = catalogue.quiz_questions(qset, only)
    attempt, created = attempts.submit_quiz(
        qset,
        [q.id for q in questions],
        answers,
        user=user,
        submission_key=f"api:u{user.id}:{key}" if key else None,
        mode="retry" if only else "quiz",
        client=request.remote_addr or "",
    )
    response = jsonify(_attempt_json(attempt))
    response.status_code = 201
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    user = require_user()
    attempt = attempts.attempt_for(attempt_id, user)
    return jsonify(_attempt_json(attempt))


# The other routes of this blueprint (imported last: they use the helpers above).
from . import api_study, api_teacher  # noqa: E402, F401
