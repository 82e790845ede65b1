"""Attempts: submitting a quiz, practising one question at a time, who may see an attempt."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from .. import scoring
from ..database import as_arrays, begin_write, once_per_dialect, rows_from_arrays
from ..extensions import db
from ..models import Attempt, Question, QuestionSet, Response, User, utcnow
from ..settings import Settings, setting
from . import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    answer_keys,
    catalogue,
    limits,
    question_cache,
    results,
    study,
)
from .counters import count_submission, move_claimed

MAX_GUEST_NAME = 80
MAX_KEY = 150


def clean_text(text: str | None) -> str:
    """Drop control and invisible formatting characters (NUL, zero-width, bidi overrides) and
    collapse whitespace: what a display name or an answer may keep."""
    kept = "".join(c for c in (text or "") if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return " ".join(kept.split())


def _clean_guest_name(name: str | None) -> str:
    name = clean_text(name)
    if not name:
        raise Invalid("Enter a display name to take the quiz as a guest.")
    if len(name) > MAX_GUEST_NAME:
        raise Invalid(f"A display name has at most {MAX_GUEST_NAME} characters.")
    return name


def _existing(key: str | None) -> Attempt | None:
    if not key:
        return None
    return db.session.scalar(select(Attempt).where(Attempt.submission_key == key))


def _check_key(key: str | None) -> None:
    if key is not None and (not key or len(key) > MAX_KEY):
        raise Invalid(f"A submission key has 1 to {MAX_KEY} characters.")


@dataclass(frozen=True)
class SubmitLimits(Settings):
    """The limits on submissions and guest attempts (config.py). The views build it with
    `from_config(current_app.config)`."""

    per_user: int = setting("SUBMIT_LIMIT_PER_USER")
    per_client: int = setting("SUBMIT_LIMIT_PER_CLIENT")
    window: int = setting("SUBMIT_WINDOW_SECONDS")
    guest_per_set: int = setting("GUEST_ATTEMPTS_PER_SET")
    guest_window: int = setting("GUEST_WINDOW_SECONDS")


def _submission_limits(
    user_id: int | None, set_id: int, client: str, settings: SubmitLimits
) -> dict:
    """{key: (limit, window seconds)} a new submission counts against: SUBMIT_LIMIT_PER_USER
    (signed in) and SUBMIT_LIMIT_PER_CLIENT (the address) within SUBMIT_WINDOW_SECONDS, and for
    a guest GUEST_ATTEMPTS_PER_SET (`_limit_guest`). Counted in the database, so the limits
    hold across server processes."""
    window = settings.window
    keys = {f"submit:client:{client[:100]}": (settings.per_client, window)}
    if user_id is not None:
        keys[f"submit:user:{user_id}"] = (settings.per_user, window)
    else:
        guest = (settings.guest_per_set, settings.guest_window)
        keys[f"guest:set:{set_id}:client:{client[:100]}"] = guest
    return keys


def _refused(keys: dict, over: list[str]) -> limits.TooManyRequests:
    """The refusal of a submission over the limits `over` (the per-user and per-address
    limits first, then the guest one, with its own message)."""
    for key in over:
        if key.startswith("submit:"):
            window = keys[key][1]
            minutes = max(1, window // 60)
            wait = "a minute" if minutes == 1 else f"{minutes} minutes"
            return limits.TooManyRequests(f"Too many attempts. Wait {wait} and try again.", window)
    limit, window = keys[over[0]]
    return _guest_refusal(limit, window, window)


def _guest_refusal(limit: int, window: int, retry_after: int) -> limits.TooManyRequests:
    span = "hour" if window == 3600 else f"{max(1, window // 60)} minutes"
    return limits.TooManyRequests(
        f"Your address has made {limit} guest attempts at this set in the last {span}, "
        "the most allowed without an account: sign in to go on, or try again later.",
        retry_after,
    )


def _limit_guest(qset: QuestionSet, client: str, settings: SubmitLimits) -> None:
    """A guest (no account) makes at most GUEST_ATTEMPTS_PER_SET attempts (quizzes, retries,
    practice sessions) at one set from one address within GUEST_WINDOW_SECONDS, so one visitor
    cannot flood a class's results. Raises limits.TooManyRequests."""
    limit, window = settings.guest_per_set, settings.guest_window
    try:
        limits.hit_counted({f"guest:set:{qset.id}:client:{client[:100]}": (limit, window)})
    except limits.TooManyRequests as exc:
        raise _guest_refusal(limit, window, exc.retry_after) from None


def _rescore(attempt_id: int) -> None:
    """Score = the number of right responses, computed by the database (never read-modify-write)."""
    right = (
        select(func.count(Response.id))
        .where(Response.attempt_id == attempt_id, Response.correct.is_(True))
        .scalar_subquery()
    )
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(score=right))


def _response_row(attempt_id: int, question: Question, given: str | None) -> dict[str, Any]:
    """A graded response, as the values of a `responses` row."""
    result = scoring.grade(question.content(), clean_text(given) if given else given)
    return {
        "attempt_id": attempt_id,
        "question_id": question.id,
        "question_version": question.version,
        "given": result.given,
        "correct": result.correct,
        "reason": result.reason,
    }


def _graded(
    cached: question_cache.SetQuestions, question: question_cache.CachedQuestion, given: str | None
) -> dict[str, Any]:
    """A graded answer to a cached question, as the values of a `responses` row (no attempt)."""
    result = cached.grade(question, clean_text(given) if given else given)
    return {
        "question_id": question.id,
        "question_version": question.version,
        "given": result.given,
        "correct": result.correct,
        "reason": result.reason,
    }


@once_per_dialect  # every submission runs it
def _insert_attempt(insert):
    """INSERT the attempt unless its submission key is stored already (… ON CONFLICT DO
    NOTHING RETURNING id: SQLite ≥ 3.35 and PostgreSQL), its values given on execution; the
    statement's result gives the new id, or nothing for a key sent before (committed, or
    waited for on PostgreSQL)."""
    table = Attempt.__table__
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=["submission_key"])
        .returning(table.c.id)
    )


_RESPONSE_COLUMNS = (
    "attempt_id",
    "question_id",
    "question_version",
    "given",
    "correct",
    "reason",
    "answered_at",
)
_RESPONSES = Response.__table__
# SQLite: an executemany with RETURNING, sent as one multi-row INSERT (SQLAlchemy's
# "insertmanyvalues"), not one INSERT per response. PostgreSQL: one statement over arrays
# whatever the number of responses (`rows_from_arrays`), converted and prepared once.
_INSERT_RESPONSES = insert(_RESPONSES).returning(_RESPONSES.c.id)
_INSERT_RESPONSES_PG = insert(_RESPONSES).from_select(
    _RESPONSE_COLUMNS, rows_from_arrays(_RESPONSES, _RESPONSE_COLUMNS)
)


def _insert_responses(rows: list[dict[str, Any]]) -> None:
    """INSERT a submission's graded responses (`_graded` rows with their attempt id) in one
    statement, in their order."""
    if db.session.get_bind().dialect.name == "postgresql":
        arrays = as_arrays(rows, _RESPONSE_COLUMNS[:-1])
        # Each row's own time, as the column's default gives it on SQLite.
        arrays["answered_at"] = [utcnow() for _row in rows]
        db.session.execute(_INSERT_RESPONSES_PG, arrays)
    else:
        db.session.execute(_INSERT_RESPONSES, rows)


def _respond(attempt_id: int, question: Question, given: str | None) -> Response:
    response = Response(**_response_row(attempt_id, question, given))
    db.session.add(response)
    return response


def submit_quiz(
    qset: QuestionSet,
    question_ids: Sequence[int],
    answers: Mapping[str, str | None],
    *,
    user: User | None,
    guest_name: str | None = None,
    submission_key: str | None = None,
    mode: str = "quiz",
    client: str | None = None,
    guest_attempts: Sequence[int] = (),
    submit_limits: SubmitLimits = SubmitLimits(),
) -> tuple[Attempt, bool]:
    """Grade and store a whole quiz in one transaction: (attempt, created).

    `mode` is "quiz" for the set's default quiz and "retry" for chosen questions (those a
    student missed); only "quiz" attempts count for the best score. A retry holds only questions
    the taker has already answered (a guest: in `guest_attempts`, those of this browser), since
    its result shows their keys; the set's teacher may retry anything. Raises Forbidden
    otherwise.

    `answers` maps question ids (the bank's) to the text given; a question left out counts as
    blank. The same `submission_key` again returns the first attempt (created False), however
    many times or however concurrently it is sent. Raises Invalid for answers to questions
    that are not in the quiz, or a guest without a name; Conflict when the key was used for
    another set.

    With `client` (the caller's address), a new submission is rate limited (see
    `_submission_limits` and `submit_limits`; limits.TooManyRequests); a repeated submission
    key never is.
    """
    if mode not in ("quiz", "retry"):
        raise ValueError(f"submit_quiz: mode {mode!r}")
    _check_key(submission_key)
    if user is None:
        catalogue.refuse_guest(qset, user)
        guest_name = _clean_guest_name(guest_name)
    # The set's questions at the revision the request read (cached per process): nothing of
    # them is read again below. One write transaction from here on: the lock is taken once.
    cached = question_cache.for_set(qset)
    ordered = [cached.by_id[i] for i in question_ids if i in cached.by_id]
    problem: Exception | None = None
    if not ordered:
        problem = Invalid("This quiz has no questions.")
    else:
        known = {q.uid for q in ordered}
        unknown = [uid for uid in answers if uid not in known]
        if unknown:
            shown = ", ".join(sorted(str(u)[:40] for u in unknown)[:5])
            problem = Invalid(f"Answers to questions that are not in this quiz: {shown}.")
    # Read before the write transaction starts: ending the read one expires loaded rows.
    set_id, user_id = qset.id, (user.id if user else None)
    owner = answer_keys.is_owner(qset, user)
    rows = [_graded(cached, q, answers.get(q.uid)) for q in ordered] if problem is None else []
    now = utcnow()
    values = {
        "set_id": set_id,
        "user_id": user_id,
        "guest_name": None if user else guest_name,
        "mode": mode,
        # Graded in this same transaction: nobody ever sees it half done.
        "state": "graded",
        "question_ids": [q.id for q in ordered],
        "score": sum(1 for row in rows if row["correct"]),
        "max_score": len(ordered),
        "submission_key": submission_key,
        "started_at": now,
        "submitted_at": now,
    }
    begin_write(keep_reads=True)  # nothing read so far is read again below
    if problem is None and mode == "retry" and not owner:
        seen = answer_keys.answered([q.id for q in ordered], user, guest_attempts)
        new = [q.uid for q in ordered if q.id not in seen]
        if new:
            shown = ", ".join(str(u)[:40] for u in new[:5]) + (" …" if len(new) > 5 else "")
            problem = Forbidden(
                "A retry holds only questions you have already answered; take the quiz first "
                f"(not answered yet: {shown})."
            )
    if problem is not None:
        found = _existing(submission_key)  # a form sent again is answered as the first time
        db.session.rollback()
        if found is not None:
            return _same_set(found, set_id), False
        raise problem
    try:
        attempt_id = db.session.execute(_insert_attempt(), values).scalar()
        if attempt_id is None:  # the submission key decides: sent before
            found = _existing(submission_key)
            db.session.commit()
            return _same_set(found, set_id), False
        attempt = Attempt(id=attempt_id, **values)  # the row as stored: never read back
        for row in rows:
            row["attempt_id"] = attempt_id
        _insert_responses(rows)
        # Flashcards: wrong answers come due at once, right ones count as a "Good" review.
        study.record_answers(attempt.user_id, [(r["question_id"], r["correct"]) for r in rows], now)
        # What submissions share comes last, so that on PostgreSQL its row locks are held for
        # the fewest statements before the commit (bench/load.py): the class counters' rows
        # (split into shards, so rarely shared), then the rate limits' count, one row per key
        # (students behind one address share a key) locked by the last statement.
        count_submission(attempt, rows)  # class results: three upserts
        if client is not None:  # a new submission counts against the limits
            keys = _submission_limits(user_id, set_id, client, submit_limits)
            over = limits.count_hits(keys)
            if over:
                db.session.rollback()
                limits.count_refused(keys)  # a refused submission counts too
                raise _refused(keys, over)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if db.session.get(QuestionSet, set_id) is None:  # deleted meanwhile
            raise NotFound("No such question set.") from None
        raise
    # Its results, until the session reads again, from what was just stored: each response
    # answered the revision of the cached question it was graded against, whose content is
    # that revision's (`Question.content()` at that version, as `QuestionRevision` keeps it).
    results.keep_stored(
        attempt_id,
        [
            (results.Stored(row["given"], row["correct"], row["reason"]), question.content)
            for row, question in zip(rows, ordered, strict=True)
        ],
    )
    # Back in the session as loaded, so reading it costs no SELECT (expire_on_commit).
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt, True


def _stored_first(submission_key: str | None, qset: QuestionSet) -> Attempt:
    """After a unique-key clash: another request stored the same submission key first, and
    that attempt is the answer. Called inside `except IntegrityError` (re-raised otherwise)."""
    db.session.rollback()
    found = _existing(submission_key)
    if found is None:
        raise  # the IntegrityError being handled was not a key clash
    return _same_set(found, qset)


def _same_set(found: Attempt, qset: QuestionSet | int) -> Attempt:
    if found.set_id != (qset if isinstance(qset, int) else qset.id):
        raise Conflict("This submission key was already used for another question set.")
    return found


def start_practice(
    qset: QuestionSet,
    question_ids: Sequence[int],
    *,
    user: User | None,
    guest_name: str | None = None,
    submission_key: str | None = None,
    client: str | None = None,
    submit_limits: SubmitLimits = SubmitLimits(),
) -> Attempt:
    """Open a practice attempt (one question at a time); the same key returns the same one.
    A guest's new session counts against the guest limit of `client` (`_limit_guest`)."""
    _check_key(submission_key)
    if user is None:
        catalogue.refuse_guest(qset, user)
        guest_name = _clean_guest_name(guest_name)
    if not question_ids:
        raise Invalid("This set has no questions to practise.")
    if user is None and client is not None and _existing(submission_key) is None:
        _limit_guest(qset, client, submit_limits)
    begin_write()
    found = _existing(submission_key)
    if found is not None:
        db.session.commit()
        return _same_set(found, qset)
    attempt = Attempt(
        set_id=qset.id,
        user_id=user.id if user else None,
        guest_name=None if user else guest_name,
        mode="practice",
        state="in_progress",
        question_ids=list(question_ids),
        max_score=len(question_ids),
        score=0,
        submission_key=submission_key,
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        return _stored_first(submission_key, qset)
    return attempt


def practice_stopped(attempt: Attempt) -> str | None:
    """Why a practice session in progress may not go on, or None. A session follows its set:
    it stops while the set is a draft or archived (its teacher's own practice aside), and a
    guest's stops once the teacher requires sign-in. The answers given so far are kept."""
    if attempt.state != "in_progress":
        return None
    qset = attempt.question_set
    title = qset.title
    if qset.status != "published" and (qset.owner_id is None or attempt.user_id != qset.owner_id):
        if qset.status == "draft":
            return (
                f"Your teacher has taken “{title}” back to draft to change it, so this practice "
                "session is paused. Your answers so far are kept: stop here to see your result, "
                "or come back once the set is published again."
            )
        return (
            f"Your teacher has archived “{title}”, so this practice session has ended. Your "
            "answers so far are kept: stop here to see your result."
        )
    if attempt.user_id is None and qset.require_signin:
        return (
            f"Your teacher now asks you to sign in to take “{title}”, so this practice session "
            "has ended. Stop here to see your result, then sign in to practise again."
        )
    return None


def next_question(attempt: Attempt) -> Question | None:
    """The first question of a practice attempt not answered yet and still enabled; None when
    none is left or the session is stopped (`practice_stopped`)."""
    if practice_stopped(attempt) is not None:
        return None
    answered = set(
        db.session.scalars(select(Response.question_id).where(Response.attempt_id == attempt.id))
    )
    pending = [i for i in attempt.question_ids if i not in answered]
    if not pending:
        return None
    servable = set(
        db.session.scalars(
            select(Question.id).where(
                Question.id.in_(pending),
                Question.set_id == attempt.set_id,
                Question.enabled.is_(True),
            )
        )
    )
    return next((db.session.get(Question, i) for i in pending if i in servable), None)


def answer_practice(attempt_id: int, question_id: int, given: str | None) -> Response:
    """Grade one practice answer; answering the same question again returns the first response.
    The attempt is graded when its last question is answered. Raises NotFound for a question
    outside the attempt, Invalid for a finished attempt."""
    begin_write()
    # Locked (PostgreSQL: SELECT … FOR UPDATE) so two answers arriving together are counted
    # one after the other; SQLite's BEGIN IMMEDIATE already serialises writers.
    attempt = db.session.get(Attempt, attempt_id, with_for_update=True)
    if attempt is None or question_id not in attempt.question_ids:
        db.session.rollback()
        raise NotFound("That question is not part of this practice session.")
    existing = db.session.scalar(
        select(Response).where(
            Response.attempt_id == attempt_id, Response.question_id == question_id
        )
    )
    if existing is not None:
        db.session.commit()
        return existing
    if attempt.state != "in_progress":
        db.session.rollback()
        raise Invalid("This practice session is finished.")
    question = db.session.get(Question, question_id)
    stopped = practice_stopped(attempt)
    if stopped is not None or question is None or not question.enabled:
        # Never graded against (so never showing) a key the set no longer offers.
        db.session.rollback()
        raise Conflict(stopped or "Your teacher has withdrawn that question from the set.")
    response = _respond(attempt.id, question, given)
    db.session.flush()
    _rescore(attempt.id)
    # Flashcards: each practice answer counts as soon as it is given, as in a quiz.
    study.record_answers(attempt.user_id, [(question.id, response.correct)], utcnow())
    answered = db.session.scalar(
        select(func.count(Response.id)).where(Response.attempt_id == attempt.id)
    )
    if answered >= len(attempt.question_ids):
        attempt.state = "graded"
        attempt.submitted_at = utcnow()
    db.session.commit()
    return response


def finish_practice(attempt_id: int) -> Attempt | None:
    """End a practice session early: unanswered questions count as not asked. A session with
    no answer at all is deleted (None): it would only show as a 0 / 0 result."""
    begin_write()
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        db.session.rollback()
        raise NotFound("No such attempt.")
    if attempt.state == "in_progress":
        asked = set(
            db.session.scalars(
                select(Response.question_id).where(Response.attempt_id == attempt.id)
            )
        )
        if not asked:
            db.session.delete(attempt)
            db.session.commit()
            return None
        attempt.question_ids = [i for i in attempt.question_ids if i in asked]
        attempt.max_score = len(attempt.question_ids)
        attempt.state = "graded"
        attempt.submitted_at = utcnow()
        db.session.flush()
        _rescore(attempt.id)
    db.session.commit()
    return attempt


def can_view(attempt: Attempt, user: User | None, guest_attempts: Sequence[int] = ()) -> bool:
    """Owner (or the guest session that made it) and the set's teacher only."""
    if user is not None:
        if attempt.user_id == user.id:
            return True
        owner_id = attempt.question_set.owner_id
        return user.is_teacher and owner_id is not None and owner_id == user.id
    return attempt.user_id is None and attempt.id in set(guest_attempts)


def is_taker(attempt: Attempt, user: User | None) -> bool:
    """True when `user` (None: a guest) is the one who took `attempt`."""
    return attempt.user_id == user.id if user is not None else attempt.user_id is None


def practice_for(attempt_id: int, user: User | None, guest_attempts: Sequence[int] = ()) -> Attempt:
    """A practice session its taker may go on with; NotFound for anyone else (the set's
    teacher included: they read its result, they don't answer for the student)."""
    attempt = attempt_for(attempt_id, user, guest_attempts)
    if attempt.mode != "practice" or not is_taker(attempt, user):
        raise NotFound("No such practice session.")
    return attempt


def attempt_for(attempt_id: int, user: User | None, guest_attempts: Sequence[int] = ()) -> Attempt:
    """The attempt if the caller may see it; NotFound otherwise (its existence is not revealed)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not can_view(attempt, user, guest_attempts):
        raise NotFound("No such attempt.")
    return attempt


def claim_guest_attempts(user: User, attempt_ids: Sequence[int]) -> int:
    """Give the guest attempts made in this browser to the account that just signed in."""
    ids = [i for i in attempt_ids if isinstance(i, int)]
    if not ids:
        return 0
    begin_write()
    claimed = db.session.scalars(
        update(Attempt)
        .where(Attempt.id.in_(ids), Attempt.user_id.is_(None))
        .values(user_id=user.id, guest_name=None)
        .returning(Attempt.id)
    ).all()
    move_claimed(list(claimed))  # class results: a guest's attempts now the student's
    # Flashcards: the claimed answers count as if given now.
    study.record_claimed(user.id, list(claimed), utcnow())
    db.session.commit()
    return len(claimed)
