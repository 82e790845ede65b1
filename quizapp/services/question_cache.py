"""A set's questions, cached per process under (set id, revision).

The quiz page, the grader and the API read a set's questions from here instead of loading every
question row on every request. `QuestionSet.revision` is bumped in the same transaction as any
change to the set or to one of its questions (`_bump_revisions`, a flush hook, so no service can
forget it); a request reads the set's row anyway (`catalogue.set_to_take`), and a new revision
is a new cache key, so no process ever serves a stale copy. The cache is an LRU bounded by
entries and by questions held, one per database engine (each app has its own engine: tests' apps
never share it).

Core statements on `questions` through the session (a bulk `insert(Question)`, an
`update(Question)`) bump the revisions of the sets they touch too (`_bump_for_statement`); a
statement run on a bare connection must bump them itself (`bump`).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .. import quizzes, scoring
from ..extensions import db
from ..models import Question, QuestionSet

MAX_SETS = 128  # sets cached per process …
MAX_QUESTIONS = 100_000  # … and questions held in all, whichever comes first
GRADES_KEPT = 2_048  # graded answers remembered per set (SetQuestions.grade)
PIECES_KEPT = 4_096  # values remembered per set (SetQuestions.remembered): page fragments


@dataclass(frozen=True, slots=True)
class CachedQuestion:
    """What the quiz page, the grader and the API need of a question (attribute names as on
    `Question`); `content` is the bank-format dict the grader reads (do not change it)."""

    id: int
    uid: str
    version: int
    position: int
    enabled: bool
    category: str
    format: str
    prompt: str
    choices: tuple[str, ...] | None
    numeric: MappingProxyType | None
    content: dict[str, Any]

    @property
    def unit(self) -> str | None:
        return (self.numeric or {}).get("unit") or None


@dataclass
class SetQuestions:
    """All of one revision of a set's questions, in set order (position, id)."""

    set_id: int
    revision: int
    questions: tuple[CachedQuestion, ...]
    by_id: dict[int, CachedQuestion]
    enabled: tuple[CachedQuestion, ...]
    _quizzes: dict[int, tuple[CachedQuestion, ...]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # (question id, answer) → its grade: a revision's questions never change, and a class gives
    # the same answers again and again (a multiple-choice question has a handful). Bounded.
    _grades: dict[tuple[int, str | None], scoring.Grade] = field(default_factory=dict)
    # Anything else made from this revision alone (the quiz page's rendered pieces). Bounded.
    _pieces: dict[Any, Any] = field(default_factory=dict)

    def remembered(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()`, made once per revision under `key` (at most PIECES_KEPT keys per set and
        revision; past that, made on every call). The value must depend on nothing but this
        revision of the set and `key`."""
        found = self._pieces.get(key)
        if found is None:
            found = make()
            if len(self._pieces) < PIECES_KEPT:
                self._pieces[key] = found
        return found

    def grade(self, question: CachedQuestion, given: str | None) -> scoring.Grade:
        """`scoring.grade` of `given` for one of these questions, remembered (at most
        GRADES_KEPT answers per set and revision)."""
        found = self._grades.get((question.id, given))
        if found is None:
            found = scoring.grade(question.content, given)
            if len(self._grades) < GRADES_KEPT:
                self._grades[(question.id, given)] = found
        return found

    def default_quiz(self, length: int) -> tuple[CachedQuestion, ...]:
        """The default quiz of `length` questions (`quizzes.choose`), chosen once per
        revision."""
        with self._lock:
            found = self._quizzes.get(length)
        if found is None:
            chosen = quizzes.choose([q.content for q in self.enabled], length)
            found = tuple(self.enabled[i] for i in chosen)
            with self._lock:
                self._quizzes[length] = found
        return found


def _cached(question: Question) -> CachedQuestion:
    content = question.content()
    return CachedQuestion(
        id=question.id,
        uid=question.uid,
        version=question.version,
        position=question.position,
        enabled=bool(question.enabled),
        category=question.category,
        format=question.format,
        prompt=question.prompt,
        choices=tuple(question.choices) if question.choices else None,
        numeric=MappingProxyType(dict(question.numeric)) if question.numeric else None,
        content=content,
    )


def _load(set_id: int, revision: int) -> SetQuestions:
    rows = db.session.scalars(
        select(Question).where(Question.set_id == set_id).order_by(Question.position, Question.id)
    ).all()
    questions = tuple(_cached(q) for q in rows)
    for row in rows:  # plain copies are kept: the rows need not stay in the session
        db.session.expunge(row)
    return SetQuestions(
        set_id=set_id,
        revision=revision,
        questions=questions,
        by_id={q.id: q for q in questions},
        enabled=tuple(q for q in questions if q.enabled),
    )


class _Lru:
    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[int, int], SetQuestions] = OrderedDict()
        self.held = 0
        self.lock = threading.Lock()
        self.loads = 0  # how many times a set was read from the database (tests, benchmarks)

    def get(self, key: tuple[int, int]) -> SetQuestions | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[int, int], value: SetQuestions) -> None:
        with self.lock:
            self.loads += 1
            if key in self.entries:
                return
            # An older revision of the same set is never asked for again.
            for old in [k for k in self.entries if k[0] == key[0]]:
                self.held -= len(self.entries.pop(old).questions)
            self.entries[key] = value
            self.held += len(value.questions)
            while len(self.entries) > 1 and (
                len(self.entries) > MAX_SETS or self.held > MAX_QUESTIONS
            ):
                _key, dropped = self.entries.popitem(last=False)
                self.held -= len(dropped.questions)


# One cache per engine (per app), dropped with it; the session's bind says which.
_CACHES: weakref.WeakKeyDictionary[Any, _Lru] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _lru() -> _Lru:
    engine = db.session.get_bind()
    lru = _CACHES.get(engine)
    if lru is None:
        with _CACHES_LOCK:
            lru = _CACHES.setdefault(engine, _Lru())
    return lru


def stats() -> dict[str, int]:
    """Sets and questions held, and reads from the database so far (this app, this process)."""
    lru = _lru()
    return {"sets": len(lru.entries), "questions": lru.held, "loads": lru.loads}


def for_set(qset: QuestionSet) -> SetQuestions:
    """The set's questions at the revision of `qset` as loaded (one SELECT on a miss)."""
    key = (qset.id, qset.revision)
    lru = _lru()
    found = lru.get(key)
    if found is None:
        found = _load(qset.id, qset.revision)
        lru.put(key, found)
    return found


def quiz(qset: QuestionSet, length: int, only: Iterable[str] | None = None) -> list:
    """The default quiz of `length` questions, or the enabled questions with the uids in
    `only` (in set order); None when one of `only` is not an enabled question of the set."""
    cached = for_set(qset)
    if not only:
        return list(cached.default_quiz(length))
    wanted = set(only)
    chosen = [q for q in cached.enabled if q.uid in wanted]
    return chosen if len(chosen) == len(wanted) else None


# --- the revision number ----------------------------------------------------------------------


def bump(session: Session, set_ids: Iterable[int]) -> None:
    """Bump the revision of these sets, in the session's transaction."""
    ids = sorted({i for i in set_ids if i is not None})
    if ids:
        session.execute(
            update(QuestionSet)
            .where(QuestionSet.id.in_(ids))
            .values(revision=QuestionSet.revision + 1)
            .execution_options(synchronize_session=False)
        )


def _set_of(question: Question) -> int | None:
    if question.set_id is not None:
        return question.set_id
    parent = question.question_set
    return parent.id if parent is not None else None


@event.listens_for(Session, "before_flush")
def _bump_revisions(session: Session, _context, _instances) -> None:
    """Any new, changed or deleted question, or a changed set, bumps its set's revision."""
    bumped: set[int] = set()
    for obj in session.dirty:
        if isinstance(obj, QuestionSet) and session.is_modified(obj):
            obj.revision = QuestionSet.revision + 1  # computed by the database
            bumped.add(obj.id)
    sets: set[int | None] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Question) and (obj not in session.dirty or session.is_modified(obj)):
            sets.add(_set_of(obj))
    sets -= bumped | {None}
    if sets:
        _pending(session).update(sets)


def _pending(session: Session) -> set[int]:
    return session.info.setdefault("quizapp.bump_sets", set())


@event.listens_for(Session, "after_flush")
def _bump_pending(session: Session, _context) -> None:
    ids = session.info.pop("quizapp.bump_sets", None)
    if ids:
        # The sets' rows may not be in the session: one UPDATE on the connection.
        session.connection().execute(
            update(QuestionSet.__table__)
            .where(QuestionSet.__table__.c.id.in_(sorted(ids)))
            .values(revision=QuestionSet.__table__.c.revision + 1)
        )


def _statement_sets(statement, parameters: Sequence[dict] | dict | None) -> set[int]:
    """The set ids a Core insert into `questions` names."""
    rows = parameters if isinstance(parameters, list | tuple) else [parameters or {}]
    found = {row.get("set_id") for row in rows if isinstance(row, dict)}
    if not found - {None}:  # insert(Question).values(...): the values are in the statement
        params = statement.compile().params
        found = {v for k, v in params.items() if k == "set_id" or k.startswith("set_id_m")}
    return found - {None}


@event.listens_for(Session, "do_orm_execute")
def _bump_for_statement(state) -> None:
    """A Core-style insert, update or delete of questions through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)  # an ORM statement's is annotated
    if getattr(table, "name", None) != Question.__tablename__:
        return
    if state.is_insert:
        _pending(state.session).update(_statement_sets(state.statement, state.parameters))
        _bump_pending(state.session, None)
        return
    where = state.statement.whereclause
    touched = select(Question.set_id).distinct()
    if where is not None:
        touched = touched.where(where)
    state.session.connection().execute(
        update(QuestionSet.__table__)
        .where(QuestionSet.__table__.c.id.in_(touched))
        .values(revision=QuestionSet.__table__.c.revision + 1)
    )
