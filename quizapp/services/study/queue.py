"""Flashcard sessions: what may be studied, the cards due, new cards, the daily limit of new
cards, progress, and which card comes next.

Rules (README "Flashcards"):
- A card belongs to a (student, question row). Only questions the student may study count:
  enabled questions of published sets (a teacher's own drafts too) whose flashcards are open to
  them (the set's study access: services.answer_keys). A card whose set is withdrawn, or closed
  to them, is kept but not shown.
- Showing a card's answer (`item_for`) works for the student's own cards and the new cards a
  session offers them now, never for any question by id.
- A session shows the cards due now (oldest first), then new cards — questions without a card
  yet — up to the daily limit of new cards less those introduced today. Days are UTC days.
  Studying a set offers that set's questions as new cards; "everything due" offers those of
  the sets the student already has cards in. When nothing else is left, a card still in its
  learning steps comes up to LEARN_AHEAD early (as in Anki), so "Again · 1m" is seen again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ... import scheduling
from ...extensions import db
from ...models import Card, Question, QuestionSet, ReviewLog, utcnow
from .. import Invalid, NotFound
from ..answer_keys import study_allowed
from .settings import settings_for

LEARN_AHEAD = timedelta(minutes=20)


def day_start(now: datetime) -> datetime:
    """Midnight UTC of `now`'s day: daily limits and "done today" count UTC days."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _takeable(user_id: int):
    """Questions the user may study: enabled, in a published set or one they own, whose
    flashcards are open to them (answer_keys.study_allowed)."""
    return and_(
        Question.enabled.is_(True),
        or_(QuestionSet.status == "published", QuestionSet.owner_id == user_id),
        study_allowed(user_id),
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


def item_for(
    user_id: int, question_id: int, set_id: int | None = None, now: datetime | None = None
) -> StudyItem:
    """A card to show the answer of: one of the user's cards, or a new card the session (of
    set `set_id`, or everything due) offers now; any question of a set the user owns. NotFound
    for anything else: a question is never revealed by its id alone."""
    question = studyable_question(user_id, question_id)
    if set_id is not None and question.set_id != set_id:
        raise NotFound("That card is not in this set.")
    card = db.session.scalar(
        select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
    )
    if card is None and question.question_set.owner_id != user_id:
        offered = {q.id for q in new_questions(user_id, set_id, now)}
        if question.id not in offered:
            raise NotFound("That card is not in your flashcards yet: study it when it comes up.")
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
