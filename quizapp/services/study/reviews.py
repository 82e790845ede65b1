"""Flashcard reviews: rating a card in a session (FSRS), the rating buttons and the back of a
card, and the quiz-to-flashcards rule.

Quiz to flashcards (`record_answers`, inside the quiz's own transaction): a question answered
wrong becomes due at once (a new card, not reviewed) or, with a card, is rated Again; one
answered right enters as reviewed Good or, with a card, is rated Good only if the card is due
(a quiz never pushes a card that is not due yet further away).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from operator import attrgetter

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from ... import scheduling, scoring
from ...database import as_arrays, begin_write, dialect_insert, rows_from_arrays, unnest_arrays
from ...extensions import db
from ...models import Attempt, Card, Response, ReviewLog, StudySettings, utcnow
from .. import Conflict, Invalid, NotFound
from ..results import highlight
from .queue import StudyItem, studyable_question
from .settings import Settings, settings_for

MAX_DURATION_MS = 24 * 3600 * 1000


# A card's scheduling state: the fields of `scheduling.CardState`, which a `Card` has as columns.
_SCHEDULED = tuple(item.name for item in fields(scheduling.CardState))
_scheduled = attrgetter(*_SCHEDULED)  # their values, from a CardState or a Card


def _state(card: Card) -> scheduling.CardState:
    return scheduling.CardState(*_scheduled(card))


def _seed(user_id: int, question_id: int, reps: int) -> str:
    """The fuzz seed of a card's next review: the button shows what the rating records."""
    return f"{user_id}:{question_id}:{reps}"


def _apply(
    card: Card,
    rating: int,
    at: datetime,
    retention: float,
    source: str,
    duration_ms: int | None = None,
) -> ReviewLog:
    """Review `card` (in the session, not committed) and log it."""
    reps = card.reps or 0
    after, values = _review(
        card.user_id,
        card.question_id,
        reps,
        _state(card),
        rating,
        at,
        retention,
        source,
        duration_ms,
    )
    for name, value in zip(_SCHEDULED, _scheduled(after), strict=True):
        setattr(card, name, value)
    card.reps = reps + 1
    log = ReviewLog(**values)
    db.session.add(log)
    return log


def _review(
    user_id: int,
    question_id: int,
    reps: int,
    card: scheduling.CardState,
    rating: int,
    at: datetime,
    retention: float,
    source: str,
    duration_ms: int | None = None,
) -> tuple[scheduling.CardState, dict]:
    """`card` (`user_id`'s card of `question_id`, reviewed `reps` times) after a review, and
    the values of its review log."""
    before = card.state if card.reviewed else scheduling.NEW
    seed = _seed(user_id, question_id, reps)
    after = scheduling.review(card, rating, at, retention=retention, fuzz_seed=seed)
    return after, {
        "user_id": user_id,
        "question_id": question_id,
        "rating": rating,
        "state": before,
        "source": source,
        "reviewed_at": at,
        "due": after.due,
        "interval_seconds": round((after.due - at).total_seconds()),
        "duration_ms": duration_ms,
    }


@dataclass(frozen=True)
class Button:
    """A rating button: "Good · 10m", in words "10 minutes" for screen readers."""

    rating: int
    name: str
    short: str
    words: str
    interval: timedelta


def intervals(user_id: int, item: StudyItem, now: datetime | None = None) -> list[Button]:
    """The four rating buttons, each with the interval it gives the card now."""
    now = now or utcnow()
    state = _state(item.card) if item.card is not None else scheduling.new_card(now)
    shown = scheduling.preview(
        state,
        now,
        retention=settings_for(user_id).desired_retention,
        fuzz_seed=_seed(user_id, item.question.id, item.reps),
    )
    return [
        Button(
            rating,
            scheduling.RATING_NAMES[rating],
            scheduling.short_interval(shown[rating]),
            scheduling.long_interval(shown[rating]),
            shown[rating],
        )
        for rating in scheduling.RATINGS
    ]


@dataclass
class AnswerSide:
    """The back of a card: the answer (the question's current version), its explanation, the
    article's sentence split around the answer, and the four rating buttons."""

    answer: str
    explanation: str
    source_parts: tuple[str, str, str]
    buttons: list[Button]


def answer_side(user_id: int, item: StudyItem, now: datetime | None = None) -> AnswerSide:
    """What revealing `item` shows, with the interval each rating would give now."""
    question = item.question
    return AnswerSide(
        answer=scoring.expected_answer(question.content()),
        explanation=question.explanation or "",
        source_parts=highlight(question.source_sentence or "", question.answer),
        buttons=intervals(user_id, item, now),
    )


@dataclass
class ReviewResult:
    card: Card | None  # None only for a stale form about a card that does not exist
    recorded: bool  # False: a re-sent form for a review already recorded
    interval: timedelta | None


def record_review(
    user_id: int,
    question_id: int,
    rating: object,
    *,
    reps: int | None = None,
    duration_ms: int | None = None,
    now: datetime | None = None,
) -> ReviewResult:
    """Rate a card in a study session (its first review makes it). With `reps` (the number
    of reviews the card had when the form was shown) a stale form — a double click, a re-sent
    page — records nothing. Raises Invalid for a bad rating or duration, NotFound for a
    question the user may not study."""
    try:
        rating = scheduling.check_rating(rating)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if duration_ms is not None and not (0 <= duration_ms <= MAX_DURATION_MS):
        raise Invalid("The review duration is a number of milliseconds up to one day.")
    now = now or utcnow()
    begin_write()
    try:
        studyable_question(user_id, question_id)
    except NotFound:
        db.session.rollback()
        raise
    card = db.session.scalar(
        select(Card)
        .where(Card.user_id == user_id, Card.question_id == question_id)
        .with_for_update()
    )
    if reps is not None and (card.reps if card is not None else 0) != reps:
        db.session.commit()
        return _stale(user_id, question_id)
    if card is None:
        card = Card(user_id=user_id, question_id=question_id, state=scheduling.LEARNING, step=0)
        card.due, card.reps, card.source, card.created_at = now, 0, "study", now
        db.session.add(card)
    _apply(card, rating, now, settings_for(user_id).desired_retention, "study", duration_ms)
    try:
        db.session.commit()
    except IntegrityError:  # PostgreSQL: the same new card made by a concurrent request
        db.session.rollback()
        if reps is None:
            raise Conflict(
                "That card was reviewed by another request just now; try again."
            ) from None
        return _stale(user_id, question_id)
    return ReviewResult(card, True, card.due - now)


def _stale(user_id: int, question_id: int) -> ReviewResult:
    card = db.session.scalar(
        select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
    )
    if card is None or card.last_review is None:
        return ReviewResult(card, False, None)
    return ReviewResult(card, False, card.due - card.last_review)


# A quiz's flashcard bookkeeping runs in every signed-in submission, so its statements are
# Core, built once, and its cards plain rows (`_QuizCard`), not ORM objects (bench/load.py).
_CARDS = Card.__table__
_SETTINGS = StudySettings.__table__
_QUIZ_CARDS = (
    select(
        _CARDS.c.id,
        _CARDS.c.question_id,
        _CARDS.c.reps,
        _SETTINGS.c.desired_retention,
        *(_CARDS.c[name] for name in _SCHEDULED),  # row[4:]: the card's `CardState`
    )
    .select_from(_CARDS.outerjoin(_SETTINGS, _SETTINGS.c.user_id == _CARDS.c.user_id))
    .where(
        _CARDS.c.user_id == bindparam("user_id"),
        _CARDS.c.question_id.in_(bindparam("question_ids", expanding=True)),
    )
    .with_for_update(of=_CARDS)
)
# The columns a review changes (`_review`), set from the executemany's rows.
_REVIEWED = (*_SCHEDULED, "reps")
_NEW = tuple(f"new_{name}" for name in _REVIEWED)  # their parameters in the UPDATE
_UPDATE_CARD = (
    update(_CARDS)
    .where(_CARDS.c.id == bindparam("card_id"))
    .values({name: bindparam(new) for name, new in zip(_REVIEWED, _NEW, strict=True)})
)
# PostgreSQL: the same UPDATE as one statement, its rows sent as arrays (unnest), so one
# statement runs on the server instead of one per card.
_ROWS = unnest_arrays(
    {
        "card_id": _CARDS.c.id.type,
        **{new: _CARDS.c[name].type for name, new in zip(_REVIEWED, _NEW, strict=True)},
    }
)
_UPDATE_CARDS_PG = (
    update(_CARDS)
    .where(_CARDS.c.id == _ROWS.c.card_id)
    .values({name: _ROWS.c[new] for name, new in zip(_REVIEWED, _NEW, strict=True)})
)
_LOGS = ReviewLog.__table__
_INSERT_LOGS = insert(_LOGS).returning(_LOGS.c.id)
# PostgreSQL: the review logs as arrays too (the values `_review` gives, in order): one
# statement text whatever their number, so psycopg keeps it prepared.
_LOG_COLUMNS = (
    "user_id",
    "question_id",
    "rating",
    "state",
    "source",
    "reviewed_at",
    "due",
    "interval_seconds",
    "duration_ms",
)
_INSERT_LOGS_PG = insert(_LOGS).from_select(_LOG_COLUMNS, rows_from_arrays(_LOGS, _LOG_COLUMNS))


@dataclass(slots=True)
class _QuizCard:
    """A card's row as a quiz answer reviews it; id None for a card not stored yet."""

    id: int | None
    reps: int
    schedule: scheduling.CardState

    def columns(self, names: tuple[str, ...] = _REVIEWED) -> dict:
        """The values of the columns a review changes (`_REVIEWED`), under `names`."""
        return dict(zip(names, (*_scheduled(self.schedule), self.reps), strict=True))


def record_answers(user_id: int | None, answers: Iterable[tuple[int, bool]], at: datetime) -> None:
    """Quiz to flashcards, inside the caller's transaction (no commit): for each
    (question id, answered right) of a signed-in user apply the module's rule. Guests (None)
    have no cards.

    Four statements at most, whatever the number of answers: the user's cards of these
    questions (with their settings, locked), one INSERT of the missing cards in their final
    state (… ON CONFLICT DO NOTHING: a card made meanwhile by a study session (PostgreSQL) is
    left to it, never a failed submission), one UPDATE of the reviewed ones (an executemany;
    on PostgreSQL one statement over arrays), and one INSERT of the review logs."""
    if user_id is None:
        return
    answers = dict(answers)
    if not answers:
        return
    rows = db.session.execute(
        _QUIZ_CARDS, {"user_id": user_id, "question_ids": list(answers)}
    ).all()
    cards = {row[1]: _QuizCard(row[0], row[2], scheduling.CardState(*row[4:])) for row in rows}
    retention = None
    if rows:
        stored = rows[0][3]
        retention = float(stored) if stored is not None else Settings().desired_retention
    made, reviewed, logs = [], [], []
    for question_id, right in answers.items():
        card = cards.get(question_id)
        rating = None
        if card is None:
            # a new card: wrong → due at once, right → reviewed "Good"
            card = _QuizCard(None, 0, scheduling.new_card(at))
            made.append((question_id, card))
            rating = scheduling.GOOD if right else None
        elif not card.schedule.reviewed:
            rating = scheduling.GOOD if right else None
        elif not right:
            rating = scheduling.AGAIN
        elif card.schedule.due <= at:
            rating = scheduling.GOOD
        if rating is not None:
            if retention is None:
                retention = settings_for(user_id).desired_retention
            card.schedule, log = _review(
                user_id, question_id, card.reps, card.schedule, rating, at, retention, "quiz"
            )
            card.reps += 1
            logs.append(log)
            if card.id is not None:
                reviewed.append(card)
    if made:
        _insert_cards(user_id, made, at)
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if reviewed:
        rows = [{"card_id": card.id, **card.columns(_NEW)} for card in reviewed]
        if postgres:
            db.session.execute(_UPDATE_CARDS_PG, as_arrays(rows, list(rows[0])))
        else:
            db.session.execute(_UPDATE_CARD, rows)
    if logs and postgres:
        db.session.execute(_INSERT_LOGS_PG, as_arrays(logs, _LOG_COLUMNS))
    elif logs:
        # One multi-row INSERT (an executemany with RETURNING: SQLAlchemy's insertmanyvalues).
        db.session.execute(_INSERT_LOGS, logs)


def _insert_cards(user_id: int, cards: list[tuple[int, _QuizCard]], at: datetime) -> None:
    """INSERT the new cards ((question id, card)) … ON CONFLICT DO NOTHING, in one statement."""
    rows = [
        {
            "user_id": user_id,
            "question_id": question_id,
            **card.columns(),
            "source": "quiz",
            "created_at": at,
        }
        for question_id, card in cards
    ]
    db.session.execute(dialect_insert(Card).values(rows).on_conflict_do_nothing())


def record_claimed(user_id: int, attempt_ids: list[int], at: datetime) -> None:
    """Quizzes taken as a guest and now claimed by an account feed its flashcards as if taken
    now (the latest answer to each question counts). Inside the caller's transaction."""
    if not attempt_ids:
        return
    rows = db.session.execute(
        select(Response.question_id, Response.correct)
        .join(Attempt, Response.attempt_id == Attempt.id)
        .where(Attempt.id.in_(attempt_ids))
        .order_by(Response.answered_at, Response.id)
    ).all()
    record_answers(user_id, [(question_id, correct) for question_id, correct in rows], at)
