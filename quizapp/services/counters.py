"""Class results counters: what item analysis and the score figures need, added to by each
graded full quiz in its own transaction, so reading them costs the same whatever the number of
responses (issue 16, "analytics that stay flat").

Counted as `class_stats` counts: graded attempts of mode "quiz", kept apart for guests and for
students. Every change is an addition (an upsert adding to the row), so two submissions at once
both count, on SQLite and on PostgreSQL alike. Every path that changes counted attempts keeps
the counters right, in its own transaction: a submission (`count_submission`), guest attempts
given to an account (`move_claimed`); a set's deletion takes
its counters with it (ON DELETE CASCADE). A question's edit changes nothing here: counters keep
the version answered. What cannot be counted (each student's first attempt; current versions
only, after an edit) is left to `class_stats`' aggregates.

The question and score counters are split into SHARDS rows per key (the attempt's id modulo
SHARDS), so that submissions at the same moment with the same score or the same answer add to
different rows: on PostgreSQL an added-to row stays locked until its transaction commits. The
readers here sum the shards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, case, delete, func, or_, select, true
from sqlalchemy.dialects import postgresql

from ..database import as_arrays, once_per_dialect, rows_from_arrays
from ..extensions import db
from ..models import Attempt, QuestionCounter, Response, ScoreCounter, TakerCounter, User

# SQL: the attempts class results count, by the counters and by `class_stats`' aggregates alike.
COUNTED = (Attempt.mode == "quiz", Attempt.state == "graded")
SHARDS = 8


@dataclass(frozen=True)
class Answer:
    """One graded response of a counted attempt."""

    question_id: int
    question_version: int
    given: str
    correct: bool


@dataclass(frozen=True)
class Taken:
    """One counted attempt: who (a guest or not), when, and its responses."""

    attempt_id: int
    set_id: int
    user_id: int | None
    guest_name: str | None
    submitted_at: datetime | None
    max_score: int
    answers: Sequence[Answer]

    @property
    def guest(self) -> bool:
        return self.user_id is None

    @property
    def taker(self) -> str:
        """Who, for the list of students: the student, or this one guest attempt."""
        return f"a{self.attempt_id}" if self.user_id is None else f"u{self.user_id}"


def _sums(taken: Iterable[Taken], sign: int = 1) -> tuple[dict, dict, dict]:
    """The counter rows `taken` adds (sign 1) or takes away (sign -1), keyed by primary key:
    questions, scores, takers."""
    questions: dict[tuple, dict] = {}
    scores: dict[tuple, dict] = {}
    takers: dict[tuple, dict] = {}
    for attempt in taken:
        total = sum(1 for a in attempt.answers if a.correct)
        _add_taker(takers, attempt, total, sign)
        shard = attempt.attempt_id % SHARDS
        key = (attempt.set_id, attempt.guest, total, attempt.max_score, shard)
        row = scores.setdefault(
            key,
            {
                "set_id": attempt.set_id,
                "guest": attempt.guest,
                "score": total,
                "max_score": attempt.max_score,
                "shard": shard,
                "attempts": 0,
            },
        )
        row["attempts"] += sign
        first = (attempt.submitted_at, attempt.attempt_id)
        for answer in attempt.answers:
            given = answer.given or ""
            key = (
                answer.question_id,
                answer.question_version,
                attempt.guest,
                bool(answer.correct),
                given,
                shard,
            )
            row = questions.get(key)
            if row is None:
                row = questions[key] = {
                    "question_id": answer.question_id,
                    "question_version": answer.question_version,
                    "guest": attempt.guest,
                    "correct": bool(answer.correct),
                    "given": given,
                    "shard": shard,
                    "set_id": attempt.set_id,
                    "answered": 0,
                    "total_sum": 0,
                    "total_squares": 0,
                    "first_at": first[0],
                    "first_attempt": first[1],
                }
            row["answered"] += sign
            row["total_sum"] += sign * total
            row["total_squares"] += sign * total * total
            if earlier(first, (row["first_at"], row["first_attempt"])):
                row["first_at"], row["first_attempt"] = first
    return questions, scores, takers


def _add_taker(takers: dict, attempt: Taken, score: int, sign: int) -> None:
    at = (attempt.submitted_at, attempt.attempt_id)
    percent = 100.0 * score / attempt.max_score if attempt.max_score else 0.0
    new = {
        "set_id": attempt.set_id,
        "taker": attempt.taker,
        "user_id": attempt.user_id,
        "guest_name": attempt.guest_name,
        "attempts": sign,
        "best_percent": percent,
        "last_attempt": attempt.attempt_id,
        "last_score": score,
        "last_max_score": attempt.max_score,
        "last_at": attempt.submitted_at,
        "first_at": attempt.submitted_at,
        "first_attempt": attempt.attempt_id,
    }
    row = takers.get((attempt.set_id, attempt.taker))
    if row is None:
        takers[(attempt.set_id, attempt.taker)] = new
        return
    row["attempts"] += sign
    row["best_percent"] = max(row["best_percent"], percent)
    if earlier((row["last_at"], row["last_attempt"]), at):
        for name in ("last_attempt", "last_score", "last_max_score", "last_at"):
            row[name] = new[name]
    if earlier(at, (row["first_at"], row["first_attempt"])):
        row["first_at"], row["first_attempt"] = at


def order(pair: tuple) -> tuple:
    """A sort key for (submitted_at, attempt id): oldest first, a missing time last (as the
    upsert has it)."""
    return (pair[0] is None, pair[0].timestamp() if pair[0] else 0.0, pair[1])


def earlier(a: tuple, b: tuple) -> bool:
    """(submitted_at, attempt id) `a` before `b`."""
    return order(a) < order(b)


def _pair_before(new_at, new_id, old_at, old_id):
    """SQL: (new_at, new_id) comes before (old_at, old_id); a missing time last."""
    return or_(
        and_(old_at.is_(None), new_at.is_not(None)),
        new_at < old_at,
        and_(new_at == old_at, new_id < old_id),
        and_(old_at.is_(None), new_at.is_(None), new_id < old_id),
    )


def _build(insert) -> tuple:
    """The three upserts (INSERT … ON CONFLICT DO UPDATE adding to the row), on the tables
    (Core, not the ORM's bulk path) and with no values: the rows are sent as an executemany."""
    table = QuestionCounter.__table__
    stmt = insert(table)
    if insert is postgresql.insert:
        # PostgreSQL: the rows as one array per column (unnest, in the order sent), so the
        # server runs one statement for them all, not one per row.
        names = [column.name for column in table.c]
        stmt = insert(table).from_select(names, rows_from_arrays(table, names))
    new, old = stmt.excluded, table.c
    earlier = _pair_before(new.first_at, new.first_attempt, old.first_at, old.first_attempt)
    questions = stmt.on_conflict_do_update(
        index_elements=["question_id", "question_version", "guest", "correct", "given", "shard"],
        set_={
            "answered": old.answered + new.answered,
            "total_sum": old.total_sum + new.total_sum,
            "total_squares": old.total_squares + new.total_squares,
            "first_at": case((earlier, new.first_at), else_=old.first_at),
            "first_attempt": case((earlier, new.first_attempt), else_=old.first_attempt),
        },
    )
    table = ScoreCounter.__table__
    stmt = insert(table)
    scores = stmt.on_conflict_do_update(
        index_elements=["set_id", "guest", "score", "max_score", "shard"],
        set_={"attempts": table.c.attempts + stmt.excluded.attempts},
    )
    table = TakerCounter.__table__
    stmt = insert(table)
    new, old = stmt.excluded, table.c
    first = _pair_before(new.first_at, new.first_attempt, old.first_at, old.first_attempt)
    last = _pair_before(old.last_at, old.last_attempt, new.last_at, new.last_attempt)
    latest = {
        name: case((last, getattr(new, name)), else_=getattr(old, name))
        for name in ("last_attempt", "last_score", "last_max_score", "last_at")
    }
    takers = stmt.on_conflict_do_update(
        index_elements=["set_id", "taker"],
        set_={
            "attempts": old.attempts + new.attempts,
            "best_percent": case(
                (new.best_percent > old.best_percent, new.best_percent),
                else_=old.best_percent,
            ),
            **latest,
            "first_at": case((first, new.first_at), else_=old.first_at),
            "first_attempt": case((first, new.first_attempt), else_=old.first_attempt),
        },
    )
    return questions, scores, takers


# The upserts for the session's database, built once per dialect and process: building and
# compiling them on every submission cost more than the rest of it (issue 16's submission bar).
_statements = once_per_dialect(_build)


def _upsert(questions: dict, scores: dict, takers: dict) -> None:
    """Add the rows to the counters: one upsert per table, its rows sent at once (an
    executemany of the statement compiled once). The rows are keyed by the conflict target
    (`_sums`), so no row is touched twice by one statement, and written in the order of their
    keys: concurrent submissions lock the rows they share in one order, so never in a
    deadlock (PostgreSQL). (Not one multi-row statement: on PostgreSQL, an upsert of many rows
    at once got slower with every submission, from 0.5 to 2.2 ms in 1,000.)"""
    connection = db.session.connection()
    statements = _statements()
    for stmt, rows in zip(statements, (questions, scores, takers), strict=True):
        if rows:
            ordered = [row for _key, row in sorted(rows.items(), key=_key)]
            if stmt is statements[0] and connection.dialect.name == "postgresql":
                # One statement over arrays (`_build`): a column's values in the rows' order.
                connection.execute(stmt, as_arrays(ordered, list(ordered[0])))
            else:
                connection.execute(stmt, ordered)


def _key(item: tuple) -> tuple:
    """A sort key for a counter row's key (None, e.g. a missing time, first)."""
    return tuple((value is not None, value) for value in item[0])


def record_attempt(taken: Taken) -> None:
    """Count one graded full quiz (mode "quiz") in the caller's transaction: three statements
    (an upsert into each counters table)."""
    _upsert(*_sums([taken]))


def count_submission(attempt: Attempt, rows: Iterable[dict]) -> None:
    """Count a just-graded attempt if class results count it (mode "quiz"), in the caller's
    transaction; `rows`: its responses as inserted."""
    if attempt.mode == "quiz" and attempt.state == "graded":
        answers = [
            Answer(r["question_id"], r["question_version"], r.get("given") or "", r["correct"])
            for r in rows
        ]
        record_attempt(
            Taken(
                attempt.id,
                attempt.set_id,
                attempt.user_id,
                attempt.guest_name,
                attempt.submitted_at,
                attempt.max_score,
                answers,
            )
        )


def _counted_attempts(where) -> list[Taken]:
    """The counted attempts matching `where`, with their responses (read from the database)."""
    rows = db.session.execute(
        select(
            Attempt.id,
            Attempt.set_id,
            Attempt.user_id,
            Attempt.guest_name,
            Attempt.submitted_at,
            Attempt.max_score,
            Response.question_id,
            Response.question_version,
            Response.given,
            Response.correct,
        )
        .outerjoin(Response, Response.attempt_id == Attempt.id)
        .where(*COUNTED, where)
        .order_by(Attempt.id)
    ).all()
    found: dict[int, Taken] = {}
    for attempt_id, set_id, user_id, guest, at, max_score, qid, version, given, right in rows:
        taken = found.get(attempt_id)
        if taken is None:
            taken = Taken(attempt_id, set_id, user_id, guest, at, max_score, [])
            found[attempt_id] = taken
        if qid is not None:
            taken.answers.append(Answer(qid, version, given or "", bool(right)))
    return list(found.values())


def move_claimed(attempt_ids: Sequence[int]) -> None:
    """Guest attempts just given to an account (`attempt_ids`, as the UPDATE that gave them
    returned, in the same transaction): taken out of the guests' counters and counted as the
    student's. Called after that UPDATE, so only the transaction that really claimed them moves
    them, however many sign-ins claim the same attempts at once.

    A guests' answer row may keep one of them as the first to give that answer: still right for
    every figure, since guests' rows are read either with the students' (which now hold that
    attempt) or not at all."""
    if not attempt_ids:
        return
    taken = _counted_attempts(Attempt.id.in_(list(attempt_ids)))
    as_guests = [replace(t, user_id=None, guest_name=None) for t in taken]
    questions, scores, takers = _sums(as_guests, sign=-1)
    _upsert(questions, scores, {})
    for set_id, taker in takers:  # a guest attempt was a taker of its own
        db.session.execute(
            delete(TakerCounter).where(TakerCounter.set_id == set_id, TakerCounter.taker == taker)
        )
    _upsert(*_sums(taken))


def rebuild(set_id: int | None = None) -> None:
    """Count again from the responses, for one set or every set (after bulk loads that bypass
    the services, e.g. benchmarks; the migration that made the counters backfills them)."""
    where = true() if set_id is None else Attempt.set_id == set_id
    for table in (QuestionCounter, ScoreCounter, TakerCounter):
        stmt = delete(table)
        db.session.execute(stmt if set_id is None else stmt.where(table.set_id == set_id))
    _upsert(*_sums(_counted_attempts(where)))


def score_rows(set_id: int, *, guests: bool) -> list[tuple[int, int, int, int]]:
    """(score, max_score, attempts, of them by guests) for the set's counted attempts (the
    shards summed)."""
    query = select(
        ScoreCounter.score,
        ScoreCounter.max_score,
        func.sum(ScoreCounter.attempts),
        func.sum(case((ScoreCounter.guest, ScoreCounter.attempts), else_=0)),
    ).where(ScoreCounter.set_id == set_id)
    if not guests:
        query = query.where(ScoreCounter.guest.is_(False))
    query = query.group_by(ScoreCounter.score, ScoreCounter.max_score).order_by(
        ScoreCounter.score, ScoreCounter.max_score
    )
    return [(s, m, int(c), int(g)) for s, m, c, g in db.session.execute(query) if c > 0]


class AnswerRow(NamedTuple):
    question_id: int
    question_version: int
    correct: bool
    given: str
    answered: int
    total_sum: int
    total_squares: int
    first_at: datetime | None
    first_attempt: int


def answer_rows(set_id: int, *, guests: bool) -> list[AnswerRow]:
    """The set's question counters (guests' left out with `guests=False`), one row per
    (question, version, guests or not, answer) with its shards summed and the earliest first
    attempt of them: question_id, question_version, correct, given, answered, total_sum,
    total_squares, first_at, first_attempt."""
    query = select(
        QuestionCounter.guest,
        QuestionCounter.question_id,
        QuestionCounter.question_version,
        QuestionCounter.correct,
        QuestionCounter.given,
        QuestionCounter.answered,
        QuestionCounter.total_sum,
        QuestionCounter.total_squares,
        QuestionCounter.first_at,
        QuestionCounter.first_attempt,
    ).where(QuestionCounter.set_id == set_id)
    if not guests:
        query = query.where(QuestionCounter.guest.is_(False))
    merged: dict[tuple, list] = {}
    for (
        guest,
        qid,
        version,
        correct,
        given,
        answered,
        total,
        squares,
        at,
        first,
    ) in db.session.execute(query):
        row = merged.get((qid, version, guest, correct, given))
        if row is None:
            merged[(qid, version, guest, correct, given)] = [answered, total, squares, at, first]
            continue
        row[0] += answered
        row[1] += total
        row[2] += squares
        if earlier((at, first), (row[3], row[4])):
            row[3], row[4] = at, first
    return [
        AnswerRow(qid, version, correct, given, *sums)
        for (qid, version, _guest, correct, given), sums in merged.items()
        if sums[0] > 0
    ]


def taker_rows(set_id: int, *, guests: bool) -> list:
    """The set's takers (guests' attempts left out with `guests=False`): user_id, display_name,
    guest_name, attempts, best_percent, last_attempt, last_score, last_max_score, last_at,
    first_at, first_attempt."""
    query = (
        select(
            TakerCounter.user_id,
            User.display_name,
            TakerCounter.guest_name,
            TakerCounter.attempts,
            TakerCounter.best_percent,
            TakerCounter.last_attempt,
            TakerCounter.last_score,
            TakerCounter.last_max_score,
            TakerCounter.last_at,
            TakerCounter.first_at,
            TakerCounter.first_attempt,
        )
        .outerjoin(User, User.id == TakerCounter.user_id)
        .where(TakerCounter.set_id == set_id, TakerCounter.attempts > 0)
    )
    if not guests:
        query = query.where(TakerCounter.user_id.is_not(None))
    return db.session.execute(query).all()


def attempt_total(set_id: int, *, guests: bool) -> int:
    """How many counted attempts the set has (guests' left out with `guests=False`)."""
    return sum(count for _s, _m, count, _g in score_rows(set_id, guests=guests))
