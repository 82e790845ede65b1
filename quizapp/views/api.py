"""The JSON API, /api/v1 (contracts §5): student routes."""

from __future__ import annotations

import math

from flask import Blueprint, abort, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .. import scheduling
from ..extensions import csrf
from ..services import (
    ServiceError,
    accounts,
    attempts,
    catalogue,
    class_stats,
    editing,
    limits,
    results,
    study,
    teaching,
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


def _require_user():
    if g.api_user is None:
        abort(401, "Sign in or send 'Authorization: Bearer <token>'.")
    return g.api_user


def _json_body() -> dict:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        abort(400, "The JSON body is nested too deeply.")
    if not isinstance(data, dict):
        abort(400, "The body must be a JSON object (Content-Type: application/json).")
    return data


def _text(value: str, what: str) -> str:
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
    return response


@bp.post("/auth/token")
def token():
    data = _json_body()
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
    user = _require_user()
    qset = catalogue.set_to_take(set_id, user)
    data = _json_body()
    answers = data.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(k, str)
        and (v is None or isinstance(v, str) or (isinstance(v, int | float) and math.isfinite(v)))
        and not isinstance(v, bool)
        for k, v in answers.items()
    ):
        abort(400, "'answers' must be an object mapping question ids to answer text or numbers.")
    answers = {
        _text(k, "A question id"): (None if v is None else _text(str(v), "An answer"))
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
    )
    response = jsonify(_attempt_json(attempt))
    response.status_code = 201
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    user = _require_user()
    attempt = attempts.attempt_for(attempt_id, user)
    return jsonify(_attempt_json(attempt))


# --- teacher routes (contracts §5): their own sets only -----------------------------------------


def _require_teacher():
    user = _require_user()
    if not user.is_teacher:
        abort(403, "Only teachers can do that.")
    return user


def _set_json(qset, *, questions: bool = False) -> dict:
    data = {
        "id": qset.id,
        "title": qset.title,
        "status": qset.status,
        "join_code": qset.join_code if qset.status == "published" else None,
        "source": {
            "title": qset.source_title,
            "url": qset.source_url,
            "published": qset.source_published,
        },
        "question_count": catalogue.question_count(qset),
    }
    if questions:
        data["questions"] = [_teacher_question(q) for q in qset.questions]
    return data


def _teacher_question(question) -> dict:
    """A question in the bank format, with the teacher's fields (enabled, version)."""
    return {**question.content(), "enabled": question.enabled, "version": question.version}


@bp.post("/sets")
def create_set():
    user = _require_teacher()
    try:
        data = _json_body()
    except RequestEntityTooLarge:
        abort(400, f"The text is too large (the limit is {teaching.MAX_ARTICLE_BYTES:,} bytes).")
    text, title = data.get("text"), data.get("title", "")
    if not isinstance(text, str) or not text.strip():
        abort(400, "Give the article as 'text' (a non-empty string).")
    if not isinstance(title, str):
        abort(400, "'title' must be a string.")
    extra = {k: data.get(k) for k in ("source_url", "published")}
    if any(v is not None and not isinstance(v, str) for v in extra.values()):
        abort(400, "'source_url' and 'published', when given, are strings.")
    qset, created = teaching.create_set(
        user,
        title=_text(title, "The title"),
        text=_text(text, "The text"),
        source_url=extra["source_url"] or None,
        published=extra["published"] or None,
    )
    response = jsonify(_set_json(qset, questions=True))
    # The same article again: the set already built from it (200), never a second set.
    response.status_code = 201 if created else 200
    return response


@bp.patch("/sets/<int:set_id>")
def update_set(set_id: int):
    user = _require_teacher()
    qset = teaching.owned_set(set_id, user)
    data = _json_body()
    unknown = sorted(set(data) - {"status", "title"})
    if unknown:
        abort(400, f"Unknown field(s): {', '.join(unknown)[:200]}; give 'status' and/or 'title'.")
    if not data:
        abort(400, "Give 'status' and/or 'title'.")
    status, title = data.get("status"), data.get("title")
    if status is not None and not isinstance(status, str):
        abort(400, "'status' must be one of: draft, published, archived.")
    if title is not None and not isinstance(title, str):
        abort(400, "'title' must be a string.")
    qset = teaching.update_set(qset, title=title, status=status)
    return jsonify(_set_json(qset))


_EDITABLE = {"prompt", "answer", "accepted_answers", "choices", "explanation", "enabled"}
_EDITABLE |= {"format", "category", "tolerance", "unit", "source_sentence"}


@bp.patch("/sets/<int:set_id>/questions/<qid>")
def update_question(set_id: int, qid: str):
    user = _require_teacher()
    qset = teaching.owned_set(set_id, user)
    question = teaching.question_by_uid(qset, qid)
    data = _json_body()
    unknown = sorted(set(data) - _EDITABLE)
    if unknown:
        abort(400, f"Unknown field(s): {', '.join(unknown)[:200]}.")
    for key in ("prompt", "answer", "explanation", "format", "category", "source_sentence"):
        if key in data and not isinstance(data[key], str):
            abort(400, f"'{key}' must be a string.")
    if "enabled" in data and not isinstance(data["enabled"], bool):
        abort(400, "'enabled' must be true or false.")
    question, _changed = editing.edit_question(question, data)
    return jsonify(_teacher_question(question))


def _answer_counts(answers) -> dict[str, int]:
    """{given: count}, wrong answers first; the same text right under one version of the key and
    wrong under another is counted once, with both counts."""
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer.given] = counts.get(answer.given, 0) + answer.count
    return counts


@bp.get("/sets/<int:set_id>/stats")
def set_stats(set_id: int):
    user = _require_teacher()
    qset = teaching.owned_set(set_id, user)
    which = request.args.get("attempts", "all")
    if which not in class_stats.WHICH:
        abort(400, "'attempts' is 'all' or 'first'.")
    report = class_stats.class_report(qset, which)
    scores = [a.score or 0 for a in report.attempts]
    return jsonify(
        attempts=len(report.attempts),
        mean_score=sum(scores) / len(scores) if scores else None,
        mean_percent=report.mean_percent,
        counted=which,
        questions=[
            {
                "id": item.question.uid,
                "prompt": item.question.prompt,
                "answered": item.stats.answered,
                "facility": item.stats.facility,
                "discrimination": item.stats.discrimination,
                "answers": _answer_counts(item.stats.answers),
                "flags": item.flags,
            }
            for item in report.questions
        ],
    )


# --- study (flashcards) ------------------------------------------------------------------------
# question_id is the bank id, as everywhere in this API ("q-…", the id of /sets/<id> and of
# attempts). It is unique within its set: items carry "set_id", and a review may give it.

MAX_ID = 2**63 - 1


def _whole(value, what: str, low: int = 0, high: int = MAX_ID) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        abort(400, what)
    return value


def _study_item(question, due, new: bool) -> dict:
    return {
        "question_id": question.uid,
        "prompt": question.prompt,
        "due": scheduling.iso(due) if due is not None else None,
        "set_id": question.set_id,
        "new": new,
    }


@bp.get("/study/due")
def study_due():
    """Flashcards due now, oldest first (of one set with ?set=<id>); with ?new=1, then the new
    cards a study session would offer today ("due": null, "new": true)."""
    user = _require_user()
    set_id = None
    raw = request.args.get("set")
    if raw is not None:
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            abort(400, "'set' is a question set id (a whole number).")
        set_id = catalogue.set_to_take(int(raw), user).id
    new = request.args.get("new", "0")
    if new not in ("0", "1", "true", "false"):
        abort(400, "'new' is 1 or 0.")
    items = [
        _study_item(card.question, card.due, False) for card in study.due_cards(user.id, set_id)
    ]
    if new in ("1", "true"):
        items += [_study_item(q, None, True) for q in study.new_questions(user.id, set_id)]
    return jsonify(items)


@bp.post("/study/reviews")
def study_review():
    """Record a review: {"question_id", "rating": 1|2|3|4, "set_id"?, "duration_ms"?} → 201
    with the next review as FSRS scheduled it."""
    user = _require_user()
    data = _json_body()
    uid = data.get("question_id")
    if not isinstance(uid, str) or not 0 < len(uid) <= 64:
        abort(400, "'question_id' is a question's id (a string, as in GET /api/v1/study/due).")
    set_id = data.get("set_id")
    if set_id is not None:
        set_id = _whole(set_id, "'set_id', when given, is a question set id.", low=1)
    rating = _whole(
        data.get("rating"), "'rating' is 1 (again), 2 (hard), 3 (good) or 4 (easy).", 1, 4
    )
    duration = data.get("duration_ms")
    if duration is not None:
        duration = _whole(
            duration,
            "'duration_ms', when given, is milliseconds up to a day.",
            0,
            study.MAX_DURATION_MS,
        )
    question = study.question_by_uid(user.id, _text(uid, "'question_id'"), set_id)
    result = study.record_review(user.id, question.id, rating, duration_ms=duration)
    response = jsonify(
        question_id=question.uid,
        set_id=question.set_id,
        due=scheduling.iso(result.card.due),
        interval_days=scheduling.interval_days(result.interval),
        state=scheduling.STATE_NAMES[result.card.state],
    )
    response.status_code = 201
    return response
