"""The JSON API's flashcard routes (contracts §5)."""

from __future__ import annotations

from flask import abort, jsonify, request

from .. import MAX_ID, scheduling
from ..services import answer_keys, catalogue, study
from .api_common import bp, checked_text, json_body, require_user

# question_id is the bank id, as everywhere in this API ("q-…", the id of /sets/<id> and of
# attempts). It is unique within its set: items carry "set_id", and a review may give it.


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
    """Flashcards due now, oldest first (of one set with ?set=<id>: 403 with the reason when
    its flashcards are not open to the caller); with ?new=1, then the new cards a study session
    would offer today ("due": null, "new": true)."""
    user = require_user()
    set_id = None
    raw = request.args.get("set")
    if raw is not None:
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            abort(400, "'set' is a question set id (a whole number).")
        qset = catalogue.set_to_take(int(raw), user)
        set_id = answer_keys.require_study(qset, user).id
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
    user = require_user()
    data = json_body()
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
    question = study.question_by_uid(user.id, checked_text(uid, "'question_id'"), set_id)
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
