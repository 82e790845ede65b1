"""The JSON API, /api/v1 (contracts §5): tokens and the student routes. The blueprint and what
every route shares are in api_common.py; the teacher routes (api_teacher.py) and the flashcard
routes (api_study.py) join the blueprint, which create_app registers from here."""

from __future__ import annotations

import math

from flask import abort, g, jsonify, request
from flask_wtf.csrf import generate_csrf

from ..services import accounts, attempts, catalogue, results
from .api_common import bearer, bp, checked_text, json_body, require_user
from .helpers import account_settings, quiz_length, submit_limits

MAX_KEY = 100


@bp.post("/auth/token")
def token():
    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        abort(400, "Give 'email' and 'password' as strings.")
    settings = account_settings()
    user = accounts.sign_in(email, password, request.remote_addr or "", settings=settings)
    if user is None:
        abort(401, "That email and password don't match an account.")
    token, expires = accounts.issue_token(user, keep=settings.max_api_tokens)
    return jsonify(token=token, expires_at=expires.isoformat())


@bp.delete("/auth/token")
def revoke_token():
    """Sign a token out: the bearer token of this request stops working."""
    token = bearer()
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
    questions = catalogue.quiz_questions(qset, length=quiz_length())
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
    questions = catalogue.quiz_questions(qset, only, length=quiz_length())
    attempt, created = attempts.submit_quiz(
        qset,
        [q.id for q in questions],
        answers,
        user=user,
        submission_key=f"api:u{user.id}:{key}" if key else None,
        mode="retry" if only else "quiz",
        client=request.remote_addr or "",
        submit_limits=submit_limits(),
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


# The flashcard and teacher routes join the blueprint after the student routes: Werkzeug tries
# rules in the order they were added, and GET /sets/<id> must come before PATCH /sets/<id> so an
# id beyond the column's range is a 404, not a 405.
from . import api_study, api_teacher  # noqa: E402, F401
