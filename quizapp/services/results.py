"""Reading attempts back: results against the version answered, practice feedback, history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import scoring
from ..database import just_committed
from ..extensions import db
from ..models import Attempt, QuestionRevision, Response, User
from ..pagination import PER_PAGE, Paged, pages_for
from ..vocabulary import CATEGORIES


@dataclass
class ResultItem:
    number: int
    question_id: str
    category: str
    format: str
    prompt: str
    choices: list[str] | None
    given: str
    correct: bool
    reason: str
    expected: str
    explanation: str
    source_parts: tuple[str, str, str]  # before, the answer (highlighted), after


def by_category(items: list[ResultItem]) -> list[tuple[str, int, int]]:
    """(category, right, asked) for each category asked, in a fixed order: where to look next."""
    counts: dict[str, list[int]] = {}
    for item in items:
        right_asked = counts.setdefault(item.category, [0, 0])
        right_asked[0] += item.correct
        right_asked[1] += 1
    return [(c, *counts[c]) for c in CATEGORIES if c in counts]


def highlight(sentence: str, answer: str) -> tuple[str, str, str]:
    """Split `sentence` around the first occurrence of `answer` (case-insensitive)."""
    if answer:
        start = sentence.casefold().find(answer.casefold())
        if start >= 0 and len(sentence.casefold()) == len(sentence):
            end = start + len(answer)
            return sentence[:start], sentence[start:end], sentence[end:]
    return sentence, "", ""


def results(attempt: Attempt) -> list[ResultItem]:
    """Every answered question of `attempt`, graded against the version the student saw."""
    return results_of([attempt])[attempt.id]


class Stored(NamedTuple):
    """A response as just stored: what a result item copies of it."""

    given: str | None
    correct: bool
    reason: str


_STORED = "results"  # key in `database.just_committed()`: attempt id → its answers


def keep_stored(attempt_id: int, answered: list[tuple[Stored, dict[str, Any]]]) -> None:
    """Remember the responses an attempt was just stored with, each with the content of the
    question revision it answered, in the attempt's order, until the session's next
    transaction (`database.just_committed`): its results are then made from them, not read
    back (the API answers every submission with them)."""
    just_committed().setdefault(_STORED, {})[attempt_id] = answered


def results_of(attempts: Sequence[Attempt]) -> dict[int, list[ResultItem]]:
    """`results` for several attempts in one query: attempt id → its items."""
    kept = just_committed().get(_STORED, {})
    found = {}
    for attempt in attempts:
        if attempt.id in kept:
            answered = kept[attempt.id]
            found[attempt.id] = [_item(n, r, c) for n, (r, c) in enumerate(answered, 1)]
    attempts = [attempt for attempt in attempts if attempt.id not in found]
    if not attempts:
        return found
    # Columns, not Response objects: the items copy three of them.
    rows = db.session.execute(
        select(
            Response.attempt_id,
            Response.question_id,
            Response.given,
            Response.correct,
            Response.reason,
            QuestionRevision.content,
        )
        .join(
            QuestionRevision,
            (QuestionRevision.question_id == Response.question_id)
            & (QuestionRevision.version == Response.question_version),
        )
        .where(Response.attempt_id.in_([a.id for a in attempts]))
    ).all()
    answered: dict[int, dict[int, tuple[Any, dict[str, Any]]]] = {}
    for row in rows:
        answered.setdefault(row.attempt_id, {})[row.question_id] = (row, row.content)
    for attempt in attempts:
        by_question = answered.get(attempt.id, {})
        items: list[ResultItem] = []
        for question_id in attempt.question_ids:
            if question_id in by_question:
                response, content = by_question[question_id]
                items.append(_item(len(items) + 1, response, content))
        found[attempt.id] = items
    return found


def _item(number: int, response: Any, content: dict[str, Any]) -> ResultItem:
    """An answered question; `response`: a `Response`, or a row with its given, correct and
    reason."""
    return ResultItem(
        number=number,
        question_id=content["id"],
        category=content["category"],
        format=content["format"],
        prompt=content["prompt"],
        choices=list(choices) if (choices := content.get("choices")) is not None else None,
        given=response.given,
        correct=response.correct,
        reason=response.reason,
        expected=scoring.expected_answer(content),
        explanation=content.get("explanation") or "",
        source_parts=highlight(content.get("source_sentence") or "", content["answer"]),
    )


def response_item(response: Response) -> ResultItem:
    """The feedback for one practice response."""
    content = db.session.scalar(
        select(QuestionRevision.content).where(
            QuestionRevision.question_id == response.question_id,
            QuestionRevision.version == response.question_version,
        )
    )
    attempt = db.session.get(Attempt, response.attempt_id)
    number = attempt.question_ids.index(response.question_id) + 1
    return _item(number, response, content)


def history(user: User) -> list[Attempt]:
    """The user's graded attempts, oldest first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .options(joinedload(Attempt.question_set))
            .where(Attempt.user_id == user.id, Attempt.state == "graded")
            .order_by(Attempt.submitted_at, Attempt.id)
        )
    )


@dataclass
class HistoryPage(Paged):
    """One page of My results: graded attempts, newest first."""

    items: list[Attempt]
    page: int
    pages: int
    total: int


def history_page(user: User, page: int = 1) -> HistoryPage:
    """Page `page` (clamped) of the user's graded attempts, newest first, PER_PAGE to a page:
    the cost is a page's, whatever the number of attempts."""
    graded = (Attempt.user_id == user.id, Attempt.state == "graded")
    total = db.session.scalar(select(func.count()).select_from(Attempt).where(*graded)) or 0
    page, pages = pages_for(total, page)
    newest_first = (Attempt.submitted_at.desc(), Attempt.id.desc())
    # The page's ids first: the rows OFFSET skips are stepped over in the index alone
    # (ix_attempts_user_state_submitted), and only the page's rows are read and joined.
    on_page = (
        select(Attempt.id)
        .where(*graded)
        .order_by(*newest_first)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    items = list(
        db.session.scalars(
            select(Attempt)
            .options(joinedload(Attempt.question_set))
            .where(Attempt.id.in_(on_page))
            .order_by(*newest_first)
        )
    )
    return HistoryPage(items, page, pages, total)


RECENT_QUIZZES = 50


def recent_quizzes(user: User, limit: int = RECENT_QUIZZES) -> list[Attempt]:
    """The user's last `limit` graded full quizzes, oldest first (for the scores chart)."""
    newest = list(
        db.session.scalars(
            select(Attempt)
            .options(joinedload(Attempt.question_set))
            .where(
                Attempt.user_id == user.id,
                Attempt.state == "graded",
                Attempt.mode == "quiz",
                Attempt.submitted_at.is_not(None),
            )
            .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
            .limit(limit)
        )
    )
    return newest[::-1]


def feedback(attempt: Attempt, question_id: int) -> ResultItem | None:
    """The graded response to one question of `attempt`, or None if it was not answered."""
    response = db.session.scalar(
        select(Response).where(
            Response.attempt_id == attempt.id, Response.question_id == question_id
        )
    )
    return response_item(response) if response is not None else None


def answered_count(attempt: Attempt) -> int:
    return db.session.scalar(
        select(func.count(Response.id)).where(Response.attempt_id == attempt.id)
    )


def unfinished_practice(user: User, set_id: int | None = None) -> list[tuple[Attempt, int]]:
    """The user's practice sessions still in progress (of one set, or all), newest first,
    each with the number of questions answered so far."""
    answered = (
        select(func.count(Response.id)).where(Response.attempt_id == Attempt.id).scalar_subquery()
    )
    query = (
        select(Attempt, answered)
        .options(joinedload(Attempt.question_set))
        .where(
            Attempt.user_id == user.id, Attempt.mode == "practice", Attempt.state == "in_progress"
        )
    )
    if set_id is not None:
        query = query.where(Attempt.set_id == set_id)
    rows = db.session.execute(query.order_by(Attempt.started_at.desc(), Attempt.id.desc()))
    return [(attempt, count) for attempt, count in rows.all()]
