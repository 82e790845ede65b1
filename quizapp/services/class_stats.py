"""How the class did: a teacher's dashboard figures, item analysis per question, a per-student
view and the results as CSV. Counted: graded full quizzes (not retries of missed questions,
not practice): all of them, or each student's first; guests' attempts included unless the
teacher leaves them out (`guests=False`)."""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, case, cast, func, literal, or_, select, tuple_

from .. import item_analysis
from ..extensions import db
from ..interchange.csv_format import protect
from ..models import Attempt, Question, QuestionSet, Response, ScoreCounter, User, UTCDateTime
from ..pagination import PER_PAGE, Paged, pages_for
from . import NotFound, counters

WHICH = ("first", "all")


@dataclass
class SetRow:
    question_set: QuestionSet
    questions: int
    enabled: int
    attempts: int
    mean_percent: float | None


def dashboard(owner: User, page: int = 1) -> Listing:
    """A page of the owner's sets (`SetRow`s), newest first, with question counts, attempts
    and the mean score (read from the counters): the work is that of one page, whatever the
    number of sets or attempts."""
    mine = QuestionSet.owner_id == owner.id
    total = db.session.scalar(select(func.count(QuestionSet.id)).where(mine))
    page, pages = pages_for(total, page)
    sets = db.session.scalars(
        select(QuestionSet)
        .where(mine)
        .order_by(QuestionSet.created_at.desc(), QuestionSet.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    ids = [qset.id for qset in sets]
    taken: dict[int, list] = {}
    for set_id, score, max_score, count in db.session.execute(
        select(
            ScoreCounter.set_id, ScoreCounter.score, ScoreCounter.max_score, ScoreCounter.attempts
        ).where(ScoreCounter.set_id.in_(ids), ScoreCounter.max_score > 0, ScoreCounter.attempts > 0)
    ):
        found = taken.setdefault(set_id, [0, []])
        found[0] += count
        found[1].append(score * 100.0 / max_score * count)
    counts = {
        set_id: (total, enabled or 0)
        for set_id, total, enabled in db.session.execute(
            select(
                Question.set_id,
                func.count(Question.id),
                func.sum(func.cast(Question.enabled, db.Integer)),
            )
            .where(Question.set_id.in_(ids))
            .group_by(Question.set_id)
        ).all()
    }
    rows = [
        SetRow(
            qset,
            counts.get(qset.id, (0, 0))[0],
            int(counts.get(qset.id, (0, 0))[1]),
            taken[qset.id][0] if qset.id in taken else 0,
            math.fsum(taken[qset.id][1]) / taken[qset.id][0] if qset.id in taken else None,
        )
        for qset in sets
    ]
    return Listing(rows, page, pages, total)


def _counted(qset: QuestionSet, which: str = "all", *, guests: bool = True):
    """The set's graded full quizzes as a subquery: id, user_id, guest_name, score, max_score,
    submitted_at and `seq`, their place oldest first. `which="first"` keeps each student's first
    only (every guest attempt is its own taker); `guests=False` leaves out the attempts of guests
    (no account), which anyone can make."""
    if which not in WHICH:
        raise ValueError(f"which: {which!r}")
    oldest_first = (Attempt.submitted_at, Attempt.id)
    query = select(
        Attempt.id,
        Attempt.user_id,
        Attempt.guest_name,
        Attempt.score,
        Attempt.max_score,
        Attempt.submitted_at,
        func.row_number().over(order_by=oldest_first).label("seq"),
        func.row_number().over(partition_by=Attempt.user_id, order_by=oldest_first).label("nth"),
    ).where(Attempt.set_id == qset.id, *counters.COUNTED)
    if not guests:
        query = query.where(Attempt.user_id.is_not(None))
    found = query.subquery("found")
    if which == "all":
        return found
    return select(found).where(or_(found.c.user_id.is_(None), found.c.nth == 1)).subquery("first")


def _percent(score: int | None, max_score: int) -> float:
    """As `Attempt.percent`."""
    return 100.0 * (score or 0) / max_score if max_score else 0.0


def _percent_sql(counted):
    """`Attempt.percent` in SQL: the same floating-point operations, so the same values."""
    return case(
        (
            counted.c.max_score > 0,
            cast(func.coalesce(counted.c.score, 0), Float) * 100.0 / counted.c.max_score,
        ),
        else_=0.0,
    )


def _taker_name(display_name: str | None, guest_name: str | None) -> str:
    """As `Attempt.taker_name`."""
    return display_name if display_name is not None else f"{guest_name} (guest)"


@dataclass
class Listing(Paged):
    """One page of a long list of the results page."""

    items: list
    page: int
    pages: int
    total: int


@dataclass
class AttemptRow:
    id: int
    taker_name: str
    score: int | None
    max_score: int
    submitted_at: datetime | None

    @property
    def percent(self) -> float:
        return _percent(self.score, self.max_score)


@dataclass
class QuestionReport:
    question: Question
    number: int
    stats: item_analysis.ItemStats
    older_versions: int  # answers given to an earlier version of the question

    @property
    def flags(self) -> list[str]:
        return self.stats.flags


@dataclass
class ClassReport:
    which: str
    current_only: bool
    attempt_count: int
    mean_score: float | None
    mean_percent: float | None
    median_percent: float | None
    histogram: list[tuple[str, int]]
    questions: list[QuestionReport] = field(default_factory=list)
    guests: bool = True  # guests' attempts counted
    guest_attempts: int = 0  # of the counted attempts, those of guests

    @property
    def by_students(self) -> int:
        return self.attempt_count - self.guest_attempts

    @property
    def edited(self) -> bool:
        """Some answers were given to an earlier version of their question."""
        return any(q.older_versions for q in self.questions)

    @property
    def flagged(self) -> list[QuestionReport]:
        return [q for q in self.questions if q.flags]


def class_report(
    qset: QuestionSet, which: str = "all", *, current_only: bool = False, guests: bool = True
) -> ClassReport:
    """Item analysis of the set (see `quizapp.item_analysis`): attempts, score distribution,
    per question facility, discrimination and the answers given (wrong ones first). With
    `current_only`, answers to an earlier version of a question are left out of the question
    analysis (after an edit, the figures of the new key alone); scores stay as graded. With
    `guests=False`, guests' attempts are left out of every figure. Raises ValueError for an
    unknown `which`.

    Read from the counters kept by submissions (`quizapp.services.counters`) for all attempts:
    the work grows with the questions and the different answers given, not with the attempts.
    Each student's first attempt, and current versions only once some answers are to an older
    version, are computed by the database with aggregates instead."""
    if which == "all":
        report = _counted_report(qset, current_only=current_only, guests=guests)
        if report is not None:
            return report
    counted = _counted(qset, which, guests=guests)
    scores = db.session.execute(
        select(
            counted.c.score,
            counted.c.max_score,
            func.count(),
            func.sum(case((counted.c.user_id.is_(None), 1), else_=0)),
        ).group_by(counted.c.score, counted.c.max_score)
    ).all()
    questions = db.session.scalars(
        select(Question).where(Question.set_id == qset.id).order_by(Question.position, Question.id)
    ).all()
    reports = _question_reports(counted, questions, current_only)
    return _report(which, current_only, guests, scores, reports)


def _report(which, current_only, guests, scores, questions) -> ClassReport:
    """A ClassReport from (score, max_score, attempts, of them guests') rows and the
    question reports."""
    # (percent, attempts) in ascending order of the percent: what mean, median and the
    # histogram need, a few rows whatever the number of attempts.
    by_percent: dict[float, int] = {}
    for score, max_score, count, _guests in scores:
        percent = _percent(score, max_score)
        by_percent[percent] = by_percent.get(percent, 0) + count
    percents = sorted(by_percent)
    counts = [by_percent[p] for p in percents]
    total = sum(counts)
    return ClassReport(
        which=which,
        current_only=current_only,
        attempt_count=total,
        mean_score=sum((s or 0) * c for s, _m, c, _g in scores) / total if total else None,
        mean_percent=math.fsum(p * c for p, c in zip(percents, counts, strict=True)) / total
        if total
        else None,
        median_percent=_median(percents, counts),
        histogram=item_analysis.score_histogram(percents, counts=counts),
        questions=questions,
        guests=guests,
        guest_attempts=sum(int(g or 0) for *_rest, g in scores),
    )


def _counted_report(qset: QuestionSet, *, current_only: bool, guests: bool) -> ClassReport | None:
    """`class_report` of all attempts from the counters; None when they cannot say (current
    versions only, with answers to an older version)."""
    questions = db.session.scalars(
        select(Question).where(Question.set_id == qset.id).order_by(Question.position, Question.id)
    ).all()
    versions = {q.id: q.version for q in questions}
    rows = counters.answer_rows(qset.id, guests=guests)
    older: dict[int, int] = {}
    for row in rows:
        if row.question_version != versions.get(row.question_id):
            older[row.question_id] = older.get(row.question_id, 0) + row.answered
    if current_only and older:
        return None
    # Per question: answered, right, Σ totals, Σ totals², Σ totals of the right ones; the
    # answers given as (correct, given) → [count, first (submitted_at, attempt id)].
    sums: dict[int, list[int]] = {}
    given: dict[int, dict[tuple[bool, str], list]] = {}
    for row in rows:
        found = sums.setdefault(row.question_id, [0, 0, 0, 0, 0])
        found[0] += row.answered
        found[2] += row.total_sum
        found[3] += row.total_squares
        if row.correct:
            found[1] += row.answered
            found[4] += row.total_sum
        first = (row.first_at, row.first_attempt)
        answer = given.setdefault(row.question_id, {}).get((row.correct, row.given))
        if answer is None:
            given[row.question_id][(row.correct, row.given)] = [row.answered, first]
        else:
            answer[0] += row.answered
            if counters.earlier(first, answer[1]):
                answer[1] = first
    reports = []
    for number, question in enumerate(questions, 1):
        if question.id not in sums:
            continue  # never asked among the counted attempts
        answered, right, total_sum, squares, right_total = sums[question.id]
        answers = sorted(given[question.id].items(), key=lambda a: counters.order(a[1][1]))
        stats = item_analysis.item_from_sums(
            question.id,
            answered,
            right,
            total_sum,
            squares,
            right_total,
            [(correct, text, count) for (correct, text), (count, _first) in answers],
        )
        reports.append(QuestionReport(question, number, stats, older.get(question.id, 0)))
    scores = counters.score_rows(qset.id, guests=guests)
    return _report("all", current_only, guests, scores, reports)


def _question_reports(counted, questions, current_only: bool) -> list[QuestionReport]:
    """Per question, from grouped sums over the counted attempts' responses (see
    `item_analysis.item_from_sums`)."""
    right = case((Response.correct, 1), else_=0)
    current = Response.question_version == Question.version
    older = dict(
        db.session.execute(
            select(Response.question_id, func.count())
            .join(counted, counted.c.id == Response.attempt_id)
            .join(Question, Question.id == Response.question_id)
            .where(~current)
            .group_by(Response.question_id)
        ).all()
    )
    included = (
        select(
            Response.attempt_id,
            Response.question_id,
            Response.given,
            Response.correct,
            right.label("x"),
            counted.c.seq,
        )
        .join(counted, counted.c.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
    )
    if current_only:
        included = included.where(current)
    # Each response with its attempt's total (right answers among those included): a window,
    # not a join of two derived tables, which SQLite would match row by row.
    with_totals = included.add_columns(
        func.sum(right).over(partition_by=Response.attempt_id).label("total")
    ).subquery("with_totals")
    included = included.subquery("included")
    x, t = with_totals.c.x, with_totals.c.total
    sums = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(
                with_totals.c.question_id,
                func.count(),
                func.sum(x),
                func.sum(t),
                func.sum(t * t),
                func.sum(x * t),
            ).group_by(with_totals.c.question_id)
        ).all()
    }
    given: dict[int, list[tuple[int, bool, str, int]]] = {}
    for question_id, text, correct, count, first in db.session.execute(
        select(
            included.c.question_id,
            included.c.given,
            included.c.correct,
            func.count(),
            func.min(included.c.seq),
        ).group_by(included.c.question_id, included.c.given, included.c.correct)
    ):
        given.setdefault(question_id, []).append((first, bool(correct), text or "", count))
    reports = []
    for number, question in enumerate(questions, 1):
        if question.id not in sums and question.id not in older:
            continue  # never asked among the counted attempts
        answered, right_, total_sum, squares, right_total = sums.get(question.id, (0, 0, 0, 0, 0))
        rows = sorted(given.get(question.id, []), key=lambda r: r[0])
        stats = item_analysis.item_from_sums(
            question.id,
            int(answered),
            int(right_ or 0),
            int(total_sum or 0),
            int(squares or 0),
            int(right_total or 0),
            [(correct, text, count) for _first, correct, text, count in rows],
        )
        reports.append(QuestionReport(question, number, stats, older.get(question.id, 0)))
    return reports


def _median(values: list[float], counts: list[int]) -> float | None:
    """The median of `values` (ascending), each repeated its count."""
    n = sum(counts)
    if not n:
        return None

    def nth(k: int) -> float:  # the k-th value (0-based) of the expanded list
        for value, count in zip(values, counts, strict=True):
            if k < count:
                return value
            k -= count
        raise IndexError(k)

    mid = n // 2
    return nth(mid) if n % 2 else (nth(mid - 1) + nth(mid)) / 2


def _attempt_columns(attempts) -> tuple:
    """An attempt's columns as results show them: id, the taker's names, score, time;
    `attempts`: the table (`Attempt`) or a subquery's columns (`_counted(...).c`)."""
    return (
        attempts.id,
        User.display_name,
        attempts.guest_name,
        attempts.score,
        attempts.max_score,
        attempts.submitted_at,
    )


def _all_counted(qset: QuestionSet, *, guests: bool):
    """All the set's counted attempts (`_attempt_columns`, by the index on (set, time)), a
    query to order and limit."""
    query = (
        select(*_attempt_columns(Attempt))
        .outerjoin(User, User.id == Attempt.user_id)
        .where(Attempt.set_id == qset.id, *counters.COUNTED)
    )
    if not guests:
        query = query.where(Attempt.user_id.is_not(None))
    return query


def recent_attempts(
    qset: QuestionSet, which: str = "all", *, guests: bool = True, page: int = 1
) -> Listing:
    """One page of the counted attempts, newest first (`AttemptRow`s). All attempts: read by
    the index on (set, time), counted by the counters; each student's first: aggregates."""
    if which == "all":
        return _recent_all(qset, guests=guests, page=page)
    counted = _counted(qset, which, guests=guests)
    total = db.session.scalar(select(func.count()).select_from(counted))
    page, pages = pages_for(total, page)
    rows = db.session.execute(
        select(*_attempt_columns(counted.c))
        .outerjoin(User, User.id == counted.c.user_id)
        .order_by(counted.c.seq.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    items = [
        AttemptRow(id_, _taker_name(name, guest), score, max_score, at)
        for id_, name, guest, score, max_score, at in rows
    ]
    return Listing(items, page, pages, total)


def _recent_all(qset: QuestionSet, *, guests: bool, page: int) -> Listing:
    total = counters.attempt_total(qset.id, guests=guests)
    page, pages = pages_for(total, page)
    query = (
        _all_counted(qset, guests=guests)
        .order_by(Attempt.set_id.desc(), Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    items = [
        AttemptRow(id_, _taker_name(name, guest), score, max_score, at)
        for id_, name, guest, score, max_score, at in db.session.execute(query)
    ]
    return Listing(items, page, pages, total)


@dataclass
class StudentRow:
    user_id: int | None
    name: str
    attempts: int
    best_percent: float
    last_percent: float
    last_at: datetime | None
    attempt_id: int  # the latest attempt, to open


def students(qset: QuestionSet, *, guests: bool = True, page: int = 1) -> Listing:
    """Everyone who took the set's full quiz (`StudentRow`s: best and latest score), by name,
    a page at a time. Each guest attempt is its own taker; `guests=False` leaves them out.
    Read from the counters: one row per taker, not per attempt."""
    found = [
        (
            counters.order((row.first_at, row.first_attempt)),
            StudentRow(
                row.user_id,
                _taker_name(row.display_name, row.guest_name),
                row.attempts,
                row.best_percent,
                _percent(row.last_score, row.last_max_score),
                row.last_at,
                row.last_attempt,
            ),
        )
        for row in counters.taker_rows(qset.id, guests=guests)
    ]
    # By name; the same name in the order of the takers' first attempts.
    found.sort(key=lambda pair: (pair[1].name.casefold(), pair[0]))
    page, pages = pages_for(len(found), page)
    rows = [row for _first, row in found[(page - 1) * PER_PAGE : page * PER_PAGE]]
    return Listing(rows, page, pages, len(found))


def student_attempts(qset: QuestionSet, user_id: int) -> tuple[User, list[Attempt]]:
    """One student's attempts at the set (every mode), newest first. Raises NotFound when the
    student has none: a teacher sees only students of their own sets."""
    user = db.session.get(User, user_id)
    found = db.session.scalars(
        select(Attempt)
        .where(Attempt.set_id == qset.id, Attempt.user_id == user_id, Attempt.state == "graded")
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    ).all()
    if user is None or not found:
        raise NotFound("That student has not taken this set.")
    return user, list(found)


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return protect("" if value is None else str(value))


def results_csv(qset: QuestionSet, which: str = "all", *, guests: bool = True) -> Iterator[str]:
    """One row per attempt, oldest first: student, time, score, then each question's given
    answer and 1/0; `guests=False` leaves out guests' attempts. A generator of chunks of the
    CSV, read from the database as it is written (run it inside the request, e.g. with Flask's
    `stream_with_context`): memory stays flat however many attempts there are. All attempts
    are read CSV_BATCH at a time by the index on (set, time): no sort of the whole class."""
    if which == "all":
        asked = {row.question_id for row in counters.answer_rows(qset.id, guests=guests)}
        attempts = _attempts_in_batches(qset, guests=guests)
    else:
        counted = _counted(qset, which, guests=guests)
        asked = set(
            db.session.scalars(
                select(Response.question_id)
                .join(counted, counted.c.id == Response.attempt_id)
                .distinct()
            )
        )
        attempts = _attempts_by_aggregates(counted)
    questions = [
        q
        for q in db.session.scalars(
            select(Question)
            .where(Question.set_id == qset.id)
            .order_by(Question.position, Question.id)
        )
        if q.id in asked
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["student", "submitted_at", "score", "max_score", "percent"]
    for n, question in enumerate(questions, 1):
        header += [f"Q{n} {question.uid} answer", f"Q{n} correct"]
    writer.writerow(header)
    yield "\ufeff" + _drain(out)  # the BOM makes Excel read UTF-8
    written = 0
    for first, answers in attempts:
        # Only text a taker typed can start like a formula: names and answers are protected;
        # times, counts and percentages are digits.
        row = [
            _cell(_taker_name(first.display_name, first.guest_name)),
            first.submitted_at.isoformat() if first.submitted_at else "",
            "" if first.score is None else first.score,
            first.max_score,
            f"{_percent(first.score, first.max_score):.1f}",
        ]
        for question in questions:
            answer = answers.get(question.id)
            row += [_cell(answer[0]), int(answer[1])] if answer else ["", ""]
        writer.writerow(row)
        written += 1
        if written % CSV_BATCH == 0:
            yield _drain(out)
    yield _drain(out)


def _attempts_in_batches(qset: QuestionSet, *, guests: bool) -> Iterator[tuple]:
    """The set's counted attempts oldest first, each with {question_id: (given, correct)}:
    CSV_BATCH attempts per query, the next batch found from the last one's (time, id)."""
    query = (
        _all_counted(qset, guests=guests)
        # every graded attempt has its time (grading sets it)
        .where(Attempt.submitted_at.is_not(None))
        .order_by(Attempt.set_id, Attempt.submitted_at, Attempt.id)
        .limit(CSV_BATCH)
    )
    batch = db.session.execute(query).all()
    while batch:
        answers: dict[int, dict[int, tuple[str, bool]]] = {row.id: {} for row in batch}
        for attempt_id, question_id, given, correct in db.session.execute(
            select(
                Response.attempt_id, Response.question_id, Response.given, Response.correct
            ).where(Response.attempt_id.in_(list(answers)))
        ):
            answers[attempt_id][question_id] = (given, correct)
        for row in batch:
            yield row, answers[row.id]
        last = batch[-1]
        if len(batch) < CSV_BATCH:
            break
        # A row value comparison: both databases seek the index to it.
        after = tuple_(Attempt.submitted_at, Attempt.id) > tuple_(
            literal(last.submitted_at, UTCDateTime()), literal(last.id)
        )
        batch = db.session.execute(query.where(after)).all()


def _attempts_by_aggregates(counted) -> Iterator[tuple]:
    """As `_attempts_in_batches`, for a subquery of counted attempts (`_counted`)."""
    rows = db.session.execute(
        select(
            *_attempt_columns(counted.c),
            Response.question_id,
            Response.given,
            Response.correct,
        )
        .outerjoin(User, User.id == counted.c.user_id)
        .outerjoin(Response, Response.attempt_id == counted.c.id)
        .order_by(counted.c.seq)
        .execution_options(yield_per=CSV_BATCH)
    )
    for _attempt_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        answers: dict[int, tuple[str, bool]] = {}
        for row in group:
            first = row
            if row.question_id is not None:
                answers[row.question_id] = (row.given, row.correct)
        yield first, answers


CSV_BATCH = 200  # attempts read and written at a time


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
