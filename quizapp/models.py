"""Database models (SQLAlchemy 2.x). Unique constraints make impossible states impossible."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .vocabulary import CATEGORIES as CATEGORIES
from .vocabulary import FORMATS as FORMATS

ROLES = ("student", "teacher")
SET_STATUSES = ("draft", "published", "archived")
# quiz: the set's default quiz; retry: chosen questions (the ones missed); practice: one by one.
ATTEMPT_MODES = ("quiz", "retry", "practice")
ATTEMPT_STATES = ("in_progress", "graded")
# Who may study a set's flashcards or download its Anki deck (the answer keys) before taking it:
# anyone who may take it (study_aid), only after a first graded attempt, or the teacher only.
STUDY_ACCESS = ("study_aid", "after_attempt", "teacher_only")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware UTC time")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16), default="student")
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the session's user id: changing it (sign-out) invalidates every copy of the cookie.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only a SHA-256 of the token is stored; the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class RateLimitHit(db.Model):
    """One counted event (a failed sign-in, say); kept in the database so that every server
    process sees the same count."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


# Slots of a `RateLimitCount`: the window is cut into RATE_SLOTS - 1 buckets, and the hits of
# the RATE_SLOTS latest buckets are counted, so the count covers the whole window (and at most
# one bucket more).
RATE_SLOTS = 7


class RateLimitCount(db.Model):
    """A key's hits in its recent window as one row (the quiz submission limits): a ring of
    RATE_SLOTS buckets, slot `n % RATE_SLOTS` holding bucket `n`, `bucket` the latest one
    counted. One upsert counts a hit and returns the count, its row lock serialising the
    requests of one key to their commit (`limits.count_hits`)."""

    __tablename__ = "rate_limit_counts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # the latest hit
    s0: Mapped[int] = mapped_column(Integer, default=0)
    s1: Mapped[int] = mapped_column(Integer, default=0)
    s2: Mapped[int] = mapped_column(Integer, default=0)
    s3: Mapped[int] = mapped_column(Integer, default=0)
    s4: Mapped[int] = mapped_column(Integer, default=0)
    s5: Mapped[int] = mapped_column(Integer, default=0)
    s6: Mapped[int] = mapped_column(Integer, default=0)


class QuestionSet(db.Model):
    __tablename__ = "question_sets"
    __table_args__ = (
        CheckConstraint(_in("status", SET_STATUSES), name="status"),
        CheckConstraint(_in("study_access", STUDY_ACCESS), name="study_access"),
        # One set per article and owner: a double-clicked "Generate" or a file imported twice
        # finds the set made first, even when both requests run at once (PostgreSQL).
        UniqueConstraint("owner_id", "source_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_published: Mapped[str | None] = mapped_column(String(40))
    source_licence: Mapped[str | None] = mapped_column(String(200))
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    article_text: Mapped[str | None] = mapped_column(Text)
    generator: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    study_access: Mapped[str] = mapped_column(
        String(16), default="after_attempt", server_default="after_attempt"
    )
    # Guests (no account) may take the set unless the teacher requires sign-in.
    require_signin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # What the generator found in the article beyond the questions (wrong-option candidates by
    # kind), kept so suggestions never parse the article again. None: not generated here.
    findings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Bumped by every change to the set or its questions (quizapp/services/question_cache.py):
    # each process caches the set's questions under (id, revision).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    owner: Mapped[User | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="question_set", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("set_id", "uid"),
        CheckConstraint(_in("format", FORMATS), name="format"),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(64))  # the bank's stable question id
    position: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    category: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accepted_answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    choices: Mapped[list[str] | None] = mapped_column(JSON)
    numeric: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    source_sentence: Mapped[str] = mapped_column(Text, default="")
    source_span: Mapped[list[int] | None] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    question_set: Mapped[QuestionSet] = relationship(back_populates="questions")

    def content(self) -> dict[str, Any]:
        """The question in the bank format (contracts §2)."""
        data = {
            "id": self.uid,
            "category": self.category,
            "format": self.format,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted_answers": list(self.accepted_answers or []),
            "choices": list(self.choices) if self.choices is not None else None,
            "numeric": dict(self.numeric) if self.numeric is not None else None,
            "explanation": self.explanation,
            "source_sentence": self.source_sentence,
            "source_span": list(self.source_span) if self.source_span else None,
            "score": self.score,
        }
        if self.updated_at is not None:
            data["updated_at"] = self.updated_at.isoformat()
        return data


class QuestionRevision(db.Model):
    """An immutable snapshot of a question's content; responses point at the one they answered."""

    __tablename__ = "question_revisions"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(_in("mode", ATTEMPT_MODES), name="mode"),
        CheckConstraint(_in("state", ATTEMPT_STATES), name="state"),
        CheckConstraint("user_id IS NOT NULL OR guest_name IS NOT NULL", name="taker"),
        # My results pages through a student's graded attempts, newest first, by this index:
        # a page costs the same at 50 attempts and at 5,000.
        Index("ix_attempts_user_state_submitted", "user_id", "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(80))
    mode: Mapped[str] = mapped_column(String(16), default="quiz")
    state: Mapped[str] = mapped_column(String(16), default="in_progress")
    # The questions asked, in order (question row ids).
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[int | None] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer)
    # A double click, a retry or a re-sent form carries the same key: one attempt.
    submission_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    question_set: Mapped[QuestionSet] = relationship()
    user: Mapped[User | None] = relationship()
    responses: Mapped[list[Response]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="Response.id"
    )

    @property
    def taker_name(self) -> str:
        return self.user.display_name if self.user else f"{self.guest_name} (guest)"

    @property
    def percent(self) -> float:
        return 100.0 * (self.score or 0) / self.max_score if self.max_score else 0.0


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("attempt_id", "question_id"),
        ForeignKeyConstraint(
            ["question_id", "question_version"],
            ["question_revisions.question_id", "question_revisions.version"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    question_version: Mapped[int] = mapped_column(Integer)
    given: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    question: Mapped[Question] = relationship()


# --- class results counters (kept by submissions; quizapp/services/counters.py) -------------


class QuestionCounter(db.Model):
    """How often one answer was given to one version of a question in the set's graded full
    quizzes, by guests or by students, with the sums of those attempts' totals (right answers)
    that item analysis needs. Added to by each submission, so the results cost the same at
    1,000 responses as at 100,000."""

    __tablename__ = "question_counters"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    question_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    guest: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    correct: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    given: Mapped[str] = mapped_column(Text, primary_key=True)  # at most MAX_ANSWER_CHARS
    # Concurrent submissions giving the same answer add to different rows (`counters.SHARDS`);
    # readers sum the shards.
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, server_default=text("0"))
    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), index=True
    )
    answered: Mapped[int] = mapped_column(Integer, default=0)
    total_sum: Mapped[int] = mapped_column(Integer, default=0)  # of the attempts' totals
    total_squares: Mapped[int] = mapped_column(Integer, default=0)
    # The earliest attempt that gave it (submitted_at, id): ties between spellings go to it.
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_attempt: Mapped[int] = mapped_column(Integer, default=0)


class ScoreCounter(db.Model):
    """How many of the set's graded full quizzes, by guests or by students, scored `score` out
    of `max_score`: what the mean, median and histogram of class results need."""

    __tablename__ = "score_counters"

    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), primary_key=True
    )
    guest: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    score: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_score: Mapped[int] = mapped_column(Integer, primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, server_default=text("0"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class TakerCounter(db.Model):
    """One taker of the set's graded full quizzes (a student, or one guest attempt): attempts,
    best percent, the latest attempt and the first one's time: the results page's list of
    students, without reading every attempt."""

    __tablename__ = "taker_counters"

    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), primary_key=True
    )
    taker: Mapped[str] = mapped_column(String(24), primary_key=True)  # "u<user id>", "a<attempt>"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    guest_name: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    best_percent: Mapped[float] = mapped_column(Float, default=0.0)
    last_attempt: Mapped[int] = mapped_column(Integer)
    last_score: Mapped[int] = mapped_column(Integer)
    last_max_score: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_attempt: Mapped[int] = mapped_column(Integer)


# Long lists read a page at a time by these indexes (issue 16): a set's attempts newest first
# (results page, CSV), the published sets newest first (home page), a set's questions in order
# (review page), a teacher's sets newest first (My sets).
Index("ix_attempts_set_id_submitted_at_id", Attempt.set_id, Attempt.submitted_at, Attempt.id)
Index(
    "ix_question_sets_status_source_published_id",
    QuestionSet.status,
    QuestionSet.source_published,
    QuestionSet.id,
)
Index("ix_questions_set_id_position_id", Question.set_id, Question.position, Question.id)
# A set's count of questions and of enabled ones (review page, My sets), read from the index
# alone: the table's rows are not read (migration 0009).
Index("ix_questions_set_id_enabled", Question.set_id, Question.enabled)
Index(  # My sets, newest first
    "ix_question_sets_owner_id_created_at_id",
    QuestionSet.owner_id,
    QuestionSet.created_at,
    QuestionSet.id,
)


# --- flashcards (spaced repetition; scheduling maths in quizapp/scheduling.py) ----------------

CARD_STATES = (1, 2, 3)  # FSRS: learning, review, relearning
CARD_SOURCES = ("study", "quiz")  # what made the card: a study session or a quiz answer


class Card(db.Model):
    """A student's flashcard for one question: its FSRS state. It belongs to the question row,
    so a teacher's edit keeps it (the current version is what the card shows)."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        db.Index("ix_cards_user_id_due", "user_id", "due"),
        CheckConstraint("state IN (1, 2, 3)", name="state"),
        CheckConstraint(_in("source", CARD_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reviews so far: a rating form carries it, so a re-sent form (a double click) is ignored.
    reps: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(8), default="study")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship()


class ReviewLog(db.Model):
    """One review of a flashcard (studied, or answered in a quiz), as FSRS scheduled it."""

    __tablename__ = "review_logs"
    __table_args__ = (
        db.Index("ix_review_logs_user_id_reviewed_at", "user_id", "reviewed_at"),
        CheckConstraint("rating IN (1, 2, 3, 4)", name="rating"),
        CheckConstraint("state IN (0, 1, 2, 3)", name="state"),
        CheckConstraint(_in("source", CARD_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)  # 1 again, 2 hard, 3 good, 4 easy
    # The card's state before this review (0: never reviewed); retention counts state 2.
    state: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8), default="study")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due: Mapped[datetime] = mapped_column(UTCDateTime())  # the next review it scheduled
    interval_seconds: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class StudySettings(db.Model):
    """A student's flashcard settings (a row only once they change the defaults)."""

    __tablename__ = "study_settings"
    __table_args__ = (
        CheckConstraint(
            "desired_retention >= 0.7 AND desired_retention <= 0.99", name="desired_retention"
        ),
        CheckConstraint("new_per_day >= 0 AND new_per_day <= 500", name="new_per_day"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# A generation job's stages, in order (quizapp/services/jobs.py); "done" and "failed" end it.
JOB_STAGES = ("queued", "reading", "parsing", "questions", "storing", "done", "failed")


class GenerationJob(db.Model):
    """A teacher's article on its way to a question set, run by the task queue's worker
    (quizapp/tasks.py). Kept in the database so every worker and app server sees its stage."""

    __tablename__ = "generation_jobs"
    __table_args__ = (
        CheckConstraint(_in("stage", JOB_STAGES), name="stage"),
        Index("ix_generation_jobs_owner_id_source_sha256", "owner_id", "source_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    # What the teacher sent, kept until the set is made (and after a failure, for a retry).
    title: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_published: Mapped[str | None] = mapped_column(String(40))
    source_name: Mapped[str] = mapped_column(String(200))
    source_kind: Mapped[str] = mapped_column(String(8))
    source_text: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    set_id: Mapped[int | None] = mapped_column(ForeignKey("question_sets.id", ondelete="SET NULL"))
    created_set: Mapped[bool] = mapped_column(Boolean, default=False)
    question_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_status: Mapped[int | None] = mapped_column(Integer)  # the HTTP status it maps to
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
