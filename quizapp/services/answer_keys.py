"""Who sees a set's answer keys, and when (README "Answer keys").

- The set's teacher (its owner) sees every key, always.
- Anyone else sees a question's key after answering it: in a graded quiz (the result page, the
  API's attempt) or in practice (the feedback after each answer). A retry holds only questions
  its taker has already answered, so it never shows a key early.
- The whole set's keys before answering, its flashcards and its Anki deck, follow the set's
  `study_access`, the teacher's choice: "study_aid" (anyone who may take the set), "after_attempt"
  (the default: a signed-in user after their first graded quiz of the set; never a guest, who
  has no identity to attempt with) or "teacher_only" (the owner only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, exists, or_, select

from ..database import begin_write
from ..extensions import db
from ..models import STUDY_ACCESS, Attempt, QuestionSet, Response, User
from . import Forbidden, Invalid

DEFAULT_STUDY_ACCESS = "after_attempt"
# What the teacher's settings form and the API's error messages call each choice.
STUDY_ACCESS_LABELS = {
    "after_attempt": "After a first attempt",
    "study_aid": "Study aid",
    "teacher_only": "Teacher only",
}

TEACHER_ONLY = (
    "The teacher keeps this set's answers to themselves: its flashcards and its Anki deck are "
    "not shared."
)
TAKE_QUIZ_FIRST = (
    "Take the quiz first; the flashcards and the Anki deck open after your first attempt."
)
SIGN_IN_FIRST = (
    "Sign in and take the quiz first; the flashcards and the Anki deck open after your first "
    "attempt."
)


def is_owner(qset: QuestionSet, user: User | None) -> bool:
    """True for the set's teacher (a set from a shipped bank has no owner)."""
    return user is not None and qset.owner_id is not None and qset.owner_id == user.id


def has_attempted(qset: QuestionSet, user: User | None) -> bool:
    """True when `user` has a graded quiz of the set: the attempt the teacher's "first attempts"
    counts (a retry or a practice session is not one)."""
    if user is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Attempt.set_id == qset.id,
                    Attempt.user_id == user.id,
                    Attempt.mode == "quiz",
                    Attempt.state == "graded",
                )
            )
        )
    )


def study_denial(qset: QuestionSet, user: User | None) -> str | None:
    """Why `user` (None: a guest) may not have the set's flashcards or Anki deck yet, or None
    when they may. The caller has checked that they may take the set."""
    if is_owner(qset, user):
        return None
    access = qset.study_access or DEFAULT_STUDY_ACCESS
    if access == "study_aid":
        return None
    if access == "teacher_only":
        return TEACHER_ONLY
    if user is None:
        return SIGN_IN_FIRST
    return None if has_attempted(qset, user) else TAKE_QUIZ_FIRST


def require_study(qset: QuestionSet, user: User | None) -> QuestionSet:
    """The set, if `user` may have its flashcards and Anki deck; Forbidden (with the reason)
    otherwise."""
    denial = study_denial(qset, user)
    if denial is not None:
        raise Forbidden(denial)
    return qset


def study_allowed(user_id: int):
    """SQL condition, on a query that has QuestionSet in its FROM: the set's flashcards are open
    to user `user_id` (the same rule as `study_denial`, for a signed-in user)."""
    attempted = exists().where(
        Attempt.set_id == QuestionSet.id,
        Attempt.user_id == user_id,
        Attempt.mode == "quiz",
        Attempt.state == "graded",
    )
    return or_(
        QuestionSet.owner_id == user_id,
        QuestionSet.study_access == "study_aid",
        and_(QuestionSet.study_access == "after_attempt", attempted),
    )


def answered(
    question_ids: Iterable[int], user: User | None, guest_attempts: Sequence[int] = ()
) -> set[int]:
    """Those of `question_ids` the caller has answered: in any attempt of theirs (a graded quiz
    or retry, or a practice answer), or, for a guest, in the attempts made in this browser."""
    ids = list(question_ids)
    if not ids:
        return set()
    query = (
        select(Response.question_id)
        .join(Attempt, Response.attempt_id == Attempt.id)
        .where(Response.question_id.in_(ids))
    )
    if user is not None:
        query = query.where(Attempt.user_id == user.id)
    else:
        own = [i for i in guest_attempts if isinstance(i, int)]
        if not own:
            return set()
        query = query.where(Attempt.id.in_(own), Attempt.user_id.is_(None))
    return set(db.session.scalars(query.distinct()))


def save_settings(
    qset: QuestionSet, *, study_access: str | None = None, require_signin: bool | None = None
) -> QuestionSet:
    """Set who may study the set before taking it (`study_access`) and whether taking it needs
    an account (`require_signin`); None leaves a setting as it is. Raises Invalid for an unknown
    study access."""
    if study_access is not None and study_access not in STUDY_ACCESS:
        choices = ", ".join(STUDY_ACCESS)
        raise Invalid(f"'study_access' must be one of: {choices}.")
    if require_signin is not None and not isinstance(require_signin, bool):
        raise Invalid("'require_signin' must be true or false.")
    set_id = qset.id
    begin_write()
    qset = db.session.get(QuestionSet, set_id)
    if study_access is not None:
        qset.study_access = study_access
    if require_signin is not None:
        qset.require_signin = require_signin
    db.session.commit()
    return qset
