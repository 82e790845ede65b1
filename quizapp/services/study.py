"""Flashcards: which card comes next, reviews (studied or answered in a quiz), settings.

Rules (README "Flashcards"):
- A card belongs to a (student, question row). Only questions the student may take count:
  enabled questions of published sets (a teacher's own drafts too). A card whose set is
  withdrawn is kept but not shown.
- A session shows the cards due now (oldest first), then new cards — questions without a card
  yet — up to the daily limit of new cards less those introduced today. Days are UTC days.
  Studying a set offers that set's questions as new cards; "everything due" offers those of
  the sets the student already has cards in. When nothing else is left, a card still in its
  learning steps comes up to LEARN_AHEAD early (as in Anki), so "Again · 1m" is seen again.
- Quiz to flashcards (`record_answers`, inside the quiz's own transaction): a question answered
  wrong becomes due at once (a new card, not reviewed) or, with a card, is rated Again; one
  answered right enters as reviewed Good or, with a card, is rated Good only if the card is due
  (a quiz never pushes a card that is not due yet further away).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import scheduling, scoring
from ..database import begin_write
from ..extensions import db
from ..models import (
    Attempt,
    Card,
    Question,
    QuestionSet,
    Response,
    ReviewLog,
    StudySettings,
    utcnow,
)
from . import Conflict, Invalid, NotFound
from .results import highlight

LEARN_AHEAD = timedelta(minutes=20)
DEFAULT_NEW_PER_DAY = 20
MAX_NEW_PER_DAY = 500
MAX_DURATION_MS = 24 * 3600 * 1000


def day_start(now: datetime) -> datetime:
    """Midnight UTC of `now`'s day: daily limits and "done today" count UTC days."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


# -- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    desired_retention: float = scheduling.DEFAULT_RETENTION
    new_per_day: int = DEFAULT_NEW_PER_DAY


def settings_for(user_id: int) -> Settings:
    row = db.session.get(StudySettings, user_id)
    if row is None:
        return Settings()
    return Settings(float(row.desired_retention), int(row.new_per_day))


def save_settings(user_id: int, desired_retention: float, new_per_day: int) -> Settings:
    """Store a student's settings. Raises Invalid for a retention outside 0.70–0.99 or a daily
    limit outside 0–500."""
    try:
        retention = scheduling.check_retention(float(desired_retention))
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc) if isinstance(exc, ValueError) else "Give a number.") from None
    if isinstance(new_per_day, bool) or not isinstance(new_per_day, int):
        raise Invalid("New cards per day is a whole number.")
    if not 0 <= new_per_day <= MAX_NEW_PER_DAY:
        raise Invalid(f"New cards per day is a whole number from 0 to {MAX_NEW_PER_DAY}.")
    begin_write()
    row = db.session.get(StudySettings, user_id)
    if row is None:
        row = StudySettings(user_id=user_id)
        db.session.add(row)
    row.desired_retention = round(retention, 4)
    row.new_per_day = new_per_day
    row.updated_at = utcnow()
    db.session.commit()
    return Settings(row.desired_retention, row.new_per_day)


# -- what may be studied ---------------------------------------------------------------------


def _takeable(user_id: int):
    """Questions the user may take: enabled, in a published set or one they own."""
    return and_(
        Question.enabled.is_(True),
        or_(QuestionSet.status == "published", QuestionSet.owner_id == user_id),
    )


def studyable_question(user_id: int, question_id: int) -> Question:
    """The question if the user may study it; NotFound otherwise (a draft is not revealed)."""
    question = db.session.scalar(
        select(Question)
        .join(QuestionSet, Question.set_id == QuestionSet.id)
        .where(Question.id == question_id, _takeable(user_id))
    )
    if question is None:
        raise NotFound("No such question.")
    return question


def question_by_uid(
    user_id: int, uid: str, set_id: int | None = None, now: datetime | None = None
) -> Question:
    """The question with this bank id (as the API shows it) that the user may study. A bank id
    is unique within its set only: with several matches and no `set_id`, the one whose card is
    due now (the one GET /study/due lists) when exactly one is; never a guess otherwise.
    Raises NotFound, or Invalid when it is ambiguous."""
    query = (
        select(Question)
        .join(QuestionSet, Question.set_id == QuestionSet.id)
        .where(Question.uid == uid[:64], _takeable(user_id))
    )
    if set_id is not None:
        query = query.where(Question.set_id == set_id)
    found = list(db.session.scalars(query.order_by(Question.id)))
    if not found:
        raise NotFound("No such question.")
    if len(found) == 1:
        return found[0]
    due = list(
        db.session.scalars(
            select(Card.question_id).where(
                Card.user_id == user_id,
                Card.question_id.in_([q.id for q in found]),
                Card.due <= (now or utcnow()),
            )
        )
    )
    if len(due) == 1:
        return next(q for q in found if q.id == due[0])
    raise Invalid("That question id is in several sets: give 'set_id' too.")


def cards_query(user_id: int, set_id: int | None) -> Select:
    """Select the user's cards on questions they may take (of one set, or of all)."""
    query = (
        select(Card)
        .join(Question, Card.question_id == Question.id)
        .join(QuestionSet, Question.set_id == QuestionSet.id)
        .where(Card.user_id == user_id, _takeable(user_id))
    )
    return query.where(Question.set_id == set_id) if set_id is not None else query


def due_cards(user_id: int, set_id: int | None = None, now: datetime | None = None) -> list[Card]:
    """Cards due now (due <= now), oldest first, with their questions loaded."""
    now = now or utcnow()
    query = cards_query(user_id, set_id).where(Card.due <= now).order_by(Card.due, Card.id)
    return list(db.session.scalars(query.options(joinedload(Card.question))))


def _new_query(user_id: int, set_id: int | None) -> Select:
    has_card = exists().where(Card.user_id == user_id, Card.question_id == Question.id)
    query = (
        select(Question)
        .join(QuestionSet, Question.set_id == QuestionSet.id)
        .where(_takeable(user_id), ~has_card)
    )
    if set_id is not None:
        return query.where(Question.set_id == set_id)
    # Everything due: new cards come from the sets the student already has cards in.
    started = (
        select(Question.set_id)
        .join(Card, Card.question_id == Question.id)
        .where(Card.user_id == user_id)
        .distinct()
    )
    return query.where(Question.set_id.in_(started))


def new_left_today(user_id: int, now: datetime | None = None) -> int:
    """The daily limit of new cards less the cards a study session introduced today (UTC)."""
    now = now or utcnow()
    introduced = db.session.scalar(
        select(func.count(Card.id)).where(
            Card.user_id == user_id, Card.source == "study", Card.created_at >= day_start(now)
        )
    )
    return max(0, settings_for(user_id).new_per_day - introduced)


def new_questions(
    user_id: int, set_id: int | None = None, now: datetime | None = None
) -> list[Question]:
    """The new cards a session may show now: questions without a card, in set order, at most
    `new_left_today`."""
    left = new_left_today(user_id, now)
    if left == 0:
        return []
    query = _new_query(user_id, set_id).order_by(Question.set_id, Question.position, Question.id)
    return list(db.session.scalars(query.limit(left)))


@dataclass
class StudyItem:
    """The card to show: a question, its card (None for a new one), and whether it is shown
    before it is due (a learning card, when nothing else is left)."""

    question: Question
    card: Card | None
    ahead: bool = False

    @property
    def reps(self) -> int:
        return self.card.reps if self.card is not None else 0

    @property
    def is_new(self) -> bool:
        return self.card is None


def next_item(
    user_id: int, set_id: int | None = None, now: datetime | None = None
) -> StudyItem | None:
    """The card a session shows next (StudyItem), or None when nothing is left for now."""
    now = now or utcnow()
    due = db.session.scalar(
        cards_query(user_id, set_id)
        .where(Card.due <= now)
        .order_by(Card.due, Card.id)
        .options(joinedload(Card.question))
        .limit(1)
    )
    if due is not None:
        return StudyItem(due.question, due)
    new = new_questions(user_id, set_id, now)
    if new:
        return StudyItem(new[0], None)
    ahead = db.session.scalar(
        cards_query(user_id, set_id)
        .where(Card.due <= now + LEARN_AHEAD, Card.state != scheduling.REVIEW)
        .order_by(Card.due, Card.id)
        .options(joinedload(Card.question))
        .limit(1)
    )
    return StudyItem(ahead.question, ahead, ahead=True) if ahead is not None else None


def item_for(user_id: int, question_id: int) -> StudyItem:
    """A given card (to show its answer); NotFound unless the user may study the question."""
    question = studyable_question(user_id, question_id)
    card = db.session.scalar(
        select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
    )
    return StudyItem(question, card)


@dataclass
class Progress:
    due: int
    new: int
    done_today: int
    next_due: datetime | None  # the next card due after now, for "come back at"
    limit_reached: bool = False  # new cards wait for tomorrow (not: none left to learn)


def progress(user_id: int, set_id: int | None = None, now: datetime | None = None) -> Progress:
    """Due now, new cards on offer, reviews done today (UTC), and when the next card is due."""
    now = now or utcnow()
    due_query = cards_query(user_id, set_id).where(Card.due <= now)
    due = db.session.scalar(select(func.count()).select_from(due_query.subquery()))
    left = new_left_today(user_id, now)
    # one more than the limit lets in tells "the limit holds some back" from "none left"
    new_query = _new_query(user_id, set_id).limit(left + 1)
    unstudied = db.session.scalar(select(func.count()).select_from(new_query.subquery()))
    new = min(unstudied, left)
    done = select(func.count(ReviewLog.id)).where(
        ReviewLog.user_id == user_id,
        ReviewLog.source == "study",
        ReviewLog.reviewed_at >= day_start(now),
    )
    if set_id is not None:
        done = done.join(Question, ReviewLog.question_id == Question.id).where(
            Question.set_id == set_id
        )
    next_due = db.session.scalar(
        cards_query(user_id, set_id).where(Card.due > now).with_only_columns(func.min(Card.due))
    )
    return Progress(due, new, db.session.scalar(done), next_due, unstudied > left)


def card_sets(user_id: int, now: datetime | None = None) -> list[tuple[QuestionSet, int, int]]:
    """(set, cards, due now) for each set the student has cards in, most due first."""
    now = now or utcnow()
    due = func.sum(case((Card.due <= now, 1), else_=0))
    rows = db.session.execute(
        select(QuestionSet, func.count(Card.id), due)
        .select_from(Card)
        .join(Question, Card.question_id == Question.id)
        .join(QuestionSet, Question.set_id == QuestionSet.id)
        .where(Card.user_id == user_id, _takeable(user_id))
        .group_by(QuestionSet.id)
        .order_by(due.desc(), QuestionSet.id)
    ).all()
    return [(qset, int(count), int(due_now or 0)) for qset, count, due_now in rows]


# -- reviews ---------------------------------------------------------------------------------


def _state(card: Card) -> scheduling.CardState:
    return scheduling.CardState(
        card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
    )


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
    before = card.state if card.last_review is not None else scheduling.NEW
    seed = _seed(card.user_id, card.question_id, card.reps or 0)
    after = scheduling.review(_state(card), rating, at, retention=retention, fuzz_seed=seed)
    card.state, card.step = after.state, after.step
    card.stability, card.difficulty = after.stability, after.difficulty
    card.due, card.last_review = after.due, after.last_review
    card.reps = (card.reps or 0) + 1
    log = ReviewLog(
        user_id=card.user_id,
        question_id=card.question_id,
        rating=rating,
        state=before,
        source=source,
        reviewed_at=at,
        due=after.due,
        interval_seconds=round((after.due - at).total_seconds()),
        duration_ms=duration_ms,
    )
    db.session.add(log)
    return log


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


def record_answers(user_id: int | None, answers: Iterable[tuple[int, bool]], at: datetime) -> None:
    """Quiz to flashcards, inside the caller's transaction (no commit): for each
    (question id, answered right) of a signed-in user apply the module's rule. Guests (None)
    have no cards."""
    if user_id is None:
        return
    answers = dict(answers)
    if not answers:
        return
    created = _ensure_cards(user_id, list(answers), at)
    cards = {
        card.question_id: card
        for card in db.session.scalars(
            select(Card)
            .where(Card.user_id == user_id, Card.question_id.in_(list(answers)))
            .with_for_update()
        )
    }
    retention = settings_for(user_id).desired_retention
    for question_id, right in answers.items():
        card = cards[question_id]
        if question_id in created or card.last_review is None:
            # a new card: wrong → due at once (it already is), right → reviewed "Good"
            if right:
                _apply(card, scheduling.GOOD, at, retention, "quiz")
        elif not right:
            _apply(card, scheduling.AGAIN, at, retention, "quiz")
        elif card.due <= at:
            _apply(card, scheduling.GOOD, at, retention, "quiz")
    db.session.flush()


def _ensure_cards(user_id: int, question_ids: list[int], at: datetime) -> set[int]:
    """Make the user's missing cards of these questions (new, due at `at`, made by a quiz);
    the ids made. INSERT … ON CONFLICT DO NOTHING: two quizzes submitted at the same moment
    (PostgreSQL) never clash on a card, nor fail the submission."""
    have = set(
        db.session.scalars(
            select(Card.question_id).where(
                Card.user_id == user_id, Card.question_id.in_(question_ids)
            )
        )
    )
    missing = [q for q in question_ids if q not in have]
    if not missing:
        return set()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    rows = [
        {
            "user_id": user_id,
            "question_id": q,
            "state": scheduling.LEARNING,
            "step": 0,
            "due": at,
            "reps": 0,
            "source": "quiz",
            "created_at": at,
        }
        for q in missing
    ]
    db.session.execute(dialect_insert(Card).values(rows).on_conflict_do_nothing())
    return set(missing)


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
