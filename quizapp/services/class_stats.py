"""How the class did: a teacher's dashboard figures, item analysis per question, a per-student
view and the results as CSV. Counted: graded full quizzes (not retries of missed questions,
not practice): all of them, or each student's first."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import item_analysis
from ..extensions import db
from ..interchange.csv_format import protect
from ..models import Attempt, Question, QuestionSet, User

WHICH = ("first", "all")


@dataclass
class SetRow:
    question_set: QuestionSet
    questions: int
    enabled: int
    attempts: int
    mean_percent: float | None


def dashboard(owner: User) -> list[SetRow]:
    """The owner's sets, newest first, with question counts, attempts and the mean score."""
    counted = (Attempt.mode == "quiz", Attempt.state == "graded", Attempt.max_score > 0)
    taken = {
        set_id: (count, mean)
        for set_id, count, mean in db.session.execute(
            select(
                Attempt.set_id,
                func.count(Attempt.id),
                func.avg(Attempt.score * 100.0 / Attempt.max_score),
            )
            .join(QuestionSet, QuestionSet.id == Attempt.set_id)
            .where(QuestionSet.owner_id == owner.id, *counted)
            .group_by(Attempt.set_id)
        ).all()
    }
    counts = {
        set_id: (total, enabled or 0)
        for set_id, total, enabled in db.session.execute(
            select(
                Question.set_id,
                func.count(Question.id),
                func.sum(func.cast(Question.enabled, db.Integer)),
            )
            .join(QuestionSet, QuestionSet.id == Question.set_id)
            .where(QuestionSet.owner_id == owner.id)
            .group_by(Question.set_id)
        ).all()
    }
    sets = db.session.scalars(
        select(QuestionSet)
        .where(QuestionSet.owner_id == owner.id)
        .order_by(QuestionSet.created_at.desc(), QuestionSet.id.desc())
    ).all()
    return [
        SetRow(
            qset,
            counts.get(qset.id, (0, 0))[0],
            int(counts.get(qset.id, (0, 0))[1]),
            taken.get(qset.id, (0, None))[0],
            float(taken[qset.id][1]) if qset.id in taken else None,
        )
        for qset in sets
    ]


def counted_attempts(qset: QuestionSet, which: str = "all") -> list[Attempt]:
    """The set's graded full quizzes, oldest first; `which="first"` keeps each student's (or
    guest attempt's) first only."""
    if which not in WHICH:
        raise ValueError(f"which: {which!r}")
    found = db.session.scalars(
        select(Attempt)
        .options(selectinload(Attempt.responses), joinedload(Attempt.user))
        .where(Attempt.set_id == qset.id, Attempt.mode == "quiz", Attempt.state == "graded")
        .order_by(Attempt.submitted_at, Attempt.id)
    ).all()
    if which == "all":
        return list(found)
    seen, first = set(), []
    for attempt in found:
        taker = _taker(attempt)
        if taker not in seen:
            seen.add(taker)
            first.append(attempt)
    return first


def _taker(attempt: Attempt) -> tuple[str, int]:
    """Who took an attempt: the account, or (a guest) the attempt itself."""
    return ("u", attempt.user_id) if attempt.user_id else ("a", attempt.id)


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
    attempts: list[Attempt]
    mean_percent: float | None
    median_percent: float | None
    histogram: list[tuple[str, int]]
    questions: list[QuestionReport] = field(default_factory=list)

    @property
    def edited(self) -> bool:
        """Some answers were given to an earlier version of their question."""
        return any(q.older_versions for q in self.questions)

    @property
    def flagged(self) -> list[QuestionReport]:
        return [q for q in self.questions if q.flags]


def class_report(
    qset: QuestionSet, which: str = "all", *, current_only: bool = False
) -> ClassReport:
    """Item analysis of the set (see `quizapp.item_analysis`): attempts, score distribution,
    per question facility, discrimination and the answers given (wrong ones first). With
    `current_only`, answers to an earlier version of a question are left out of the question
    analysis (after an edit, the figures of the new key alone); scores stay as graded."""
    attempts = counted_attempts(qset, which)
    questions = db.session.scalars(
        select(Question).where(Question.set_id == qset.id).order_by(Question.position, Question.id)
    ).all()
    versions = {q.id: q.version for q in questions}
    older: dict[int, int] = {}
    data = []
    for attempt in attempts:
        row = {}
        for response in attempt.responses:
            if response.question_version != versions.get(response.question_id):
                older[response.question_id] = older.get(response.question_id, 0) + 1
                if current_only:
                    continue
            row[response.question_id] = (response.correct, response.given or "")
        data.append(row)
    asked = {qid for row in data for qid in row} | set(older)
    shown = [q for q in questions if q.id in asked]
    stats = item_analysis.analyse(data, [q.id for q in shown])
    number = {q.id: i for i, q in enumerate(questions, 1)}
    percents = sorted(a.percent for a in attempts)
    return ClassReport(
        which=which,
        current_only=current_only,
        attempts=attempts,
        mean_percent=sum(percents) / len(percents) if percents else None,
        median_percent=_median(percents),
        histogram=item_analysis.score_histogram(percents),
        questions=[
            QuestionReport(q, number[q.id], s, older.get(q.id, 0))
            for q, s in zip(shown, stats, strict=True)
        ],
    )


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


@dataclass
class StudentRow:
    user_id: int | None
    name: str
    attempts: int
    best_percent: float
    last_percent: float
    last_at: datetime | None
    attempt_id: int  # the latest attempt, to open


def students(qset: QuestionSet, counted: list[Attempt] | None = None) -> list[StudentRow]:
    """Everyone who took the set's full quiz: best and latest score, by name. `counted`: the
    set's attempts from `counted_attempts(qset, "all")` when the caller has them already."""
    rows: dict[tuple, StudentRow] = {}
    for attempt in counted if counted is not None else counted_attempts(qset, "all"):
        taker = _taker(attempt)
        row = rows.get(taker)
        if row is None:
            rows[taker] = StudentRow(
                attempt.user_id,
                attempt.taker_name,
                1,
                attempt.percent,
                attempt.percent,
                attempt.submitted_at,
                attempt.id,
            )
        else:
            row.attempts += 1
            row.best_percent = max(row.best_percent, attempt.percent)
            row.last_percent, row.last_at, row.attempt_id = (
                attempt.percent,
                attempt.submitted_at,
                attempt.id,
            )
    return sorted(rows.values(), key=lambda r: r.name.casefold())


def student_attempts(qset: QuestionSet, user_id: int) -> tuple[User, list[Attempt]]:
    """One student's attempts at the set (every mode), newest first. Raises NotFound when the
    student has none: a teacher sees only students of their own sets."""
    from . import NotFound

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


def results_csv(qset: QuestionSet, which: str = "all") -> str:
    """One row per attempt: student, time, score, then each question's given answer and 1/0."""
    report = class_report(qset, which)
    questions = [q.question for q in report.questions]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["student", "submitted_at", "score", "max_score", "percent"]
    for n, question in enumerate(questions, 1):
        header += [f"Q{n} {question.uid} answer", f"Q{n} correct"]
    writer.writerow(header)
    for attempt in report.attempts:
        by_question = {r.question_id: r for r in attempt.responses}
        row = [
            attempt.taker_name,
            attempt.submitted_at.isoformat() if attempt.submitted_at else "",
            attempt.score,
            attempt.max_score,
            f"{attempt.percent:.1f}",
        ]
        for question in questions:
            response = by_question.get(question.id)
            row += [response.given, int(response.correct)] if response else ["", ""]
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8
