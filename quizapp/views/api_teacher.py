"""The JSON API's teacher routes (contracts §5): their own sets only."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from .. import tasks
from ..services import answer_keys, catalogue, class_stats, editing, jobs, teaching
from .api_common import bp, checked_text, json_body, require_user


def _require_teacher():
    """Signed in (401 otherwise) as a teacher (403 otherwise: teaching.require_teacher)."""
    return teaching.require_teacher(require_user())


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
        "study_access": qset.study_access,
        "require_signin": qset.require_signin,
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
        data = json_body()
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
    job, qset = tasks.start_generation(
        user,
        title=checked_text(title, "The title"),
        text=checked_text(text, "The text"),
        source_url=extra["source_url"] or None,
        published=extra["published"] or None,
    )
    created = False
    if qset is None:
        if _prefers_async():
            # README "API": 202 and the job to poll (GET /api/v1/jobs/<id>), then the set.
            response = jsonify(_job_json(job))
            response.status_code = 202
            response.headers["Location"] = url_for("api.get_job", job_id=job.id)
            response.headers["Preference-Applied"] = "respond-async"
            return response
        # A client that waits gets the set, as before: the worker makes it meanwhile.
        job = jobs.wait(job.id, tasks.wait_timeout())
        if job.stage == "failed":
            raise jobs.failure(job)
        qset, created = jobs.result_set(job), job.created_set
        if qset is None:  # deleted in the meantime
            abort(404, "The set made from this article was deleted.")
    response = jsonify(_set_json(qset, questions=True))
    # The same article again: the set already built from it (200), never a second set.
    response.status_code = 201 if created else 200
    return response


def _prefers_async() -> bool:
    """`Prefer: respond-async` (RFC 7240), among other preferences or alone."""
    for header in request.headers.getlist("Prefer"):
        for preference in header.split(","):
            if preference.split(";")[0].strip().lower() == "respond-async":
                return True
    return False


def _job_json(job) -> dict:
    data = {
        "id": job.id,
        "status": jobs.status_of(job),
        "stage": job.stage,
        "progress": job.progress,
        "status_url": url_for("api.get_job", job_id=job.id),
        "error": job.error if job.stage == "failed" else None,
        "set_id": job.set_id,
    }
    if job.stage == "done":
        qset = jobs.result_set(job)
        data["set"] = _set_json(qset, questions=True) if qset is not None else None
    return data


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int):
    """A generation job of the caller's (POST /api/v1/sets with Prefer: respond-async): its
    stage and progress; when done, the set."""
    job = jobs.owned_job(job_id, _require_teacher(), tasks.wait_timeout())
    return jsonify(_job_json(job))


@bp.patch("/sets/<int:set_id>")
def update_set(set_id: int):
    user = _require_teacher()
    qset = teaching.owned_set(set_id, user)
    data = json_body()
    fields = ("status", "title", "study_access", "require_signin")
    named = "'status', 'title', 'study_access' and/or 'require_signin'"
    unknown = sorted(set(data) - set(fields))
    if unknown:
        abort(400, f"Unknown field(s): {', '.join(unknown)[:200]}; give {named}.")
    if not data:
        abort(400, f"Give {named}.")
    status, title = data.get("status"), data.get("title")
    if status is not None and not isinstance(status, str):
        abort(400, "'status' must be one of: draft, published, archived.")
    if title is not None and not isinstance(title, str):
        abort(400, "'title' must be a string.")
    access, signin = data.get("study_access"), data.get("require_signin")
    if access is not None and (
        not isinstance(access, str) or access not in answer_keys.STUDY_ACCESS_LABELS
    ):
        abort(400, "'study_access' must be one of: study_aid, after_attempt, teacher_only.")
    if signin is not None and not isinstance(signin, bool):
        abort(400, "'require_signin' must be true or false.")
    if title is not None or status is not None:
        qset = teaching.update_set(qset, title=title, status=status)
    if access is not None or signin is not None:
        qset = answer_keys.save_settings(qset, study_access=access, require_signin=signin)
    return jsonify(_set_json(qset))


_EDITABLE = {"prompt", "answer", "accepted_answers", "choices", "explanation", "enabled"}
_EDITABLE |= {"format", "category", "tolerance", "unit", "source_sentence"}


@bp.patch("/sets/<int:set_id>/questions/<qid>")
def update_question(set_id: int, qid: str):
    user = _require_teacher()
    qset = teaching.owned_set(set_id, user)
    question = teaching.question_by_uid(qset, qid)
    data = json_body()
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
    versions = request.args.get("versions", "all")
    if versions not in ("all", "current"):
        abort(400, "'versions' is 'all' or 'current'.")
    guests = request.args.get("guests", "1")
    if guests not in ("0", "1"):
        abort(400, "'guests' is 1 (guests' attempts count, the default) or 0 (they don't).")
    report = class_stats.class_report(
        qset, which, current_only=versions == "current", guests=guests == "1"
    )
    return jsonify(
        attempts=report.attempt_count,
        mean_score=report.mean_score,
        mean_percent=report.mean_percent,
        counted=which,
        guests=report.guests,
        guest_attempts=report.guest_attempts,
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
