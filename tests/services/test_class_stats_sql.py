"""Issue 16, "analytics that stay flat": class results, the results CSV and the stats API are
computed by the database with aggregates (no attempt or response loaded as an object), the CSV
is streamed, and the long lists of the results page are paginated. The figures are those of the
Python computation they replace (kept below as the reference), on a seeded random class."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from helpers import small_bank

# --- the reference: the computation the aggregates replaced, over ORM objects ---------------


def _reference(qset, which: str, current_only: bool, guests: bool) -> dict:
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload, selectinload

    from quizapp import item_analysis
    from quizapp.extensions import db
    from quizapp.models import Attempt, Question

    query = (
        select(Attempt)
        .options(selectinload(Attempt.responses), joinedload(Attempt.user))
        .where(Attempt.set_id == qset.id, Attempt.mode == "quiz", Attempt.state == "graded")
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    if not guests:
        query = query.where(Attempt.user_id.is_not(None))
    everyone = list(db.session.scalars(query).all())

    def taker(a):
        return ("u", a.user_id) if a.user_id else ("a", a.id)

    attempts = everyone
    if which == "first":
        seen, attempts = set(), []
        for a in everyone:
            if taker(a) not in seen:
                seen.add(taker(a))
                attempts.append(a)
    questions = db.session.scalars(
        select(Question).where(Question.set_id == qset.id).order_by(Question.position, Question.id)
    ).all()
    versions = {q.id: q.version for q in questions}
    older: dict[int, int] = {}
    data = []
    for a in attempts:
        row = {}
        for r in a.responses:
            if r.question_version != versions.get(r.question_id):
                older[r.question_id] = older.get(r.question_id, 0) + 1
                if current_only:
                    continue
            row[r.question_id] = (r.correct, r.given or "")
        data.append(row)
    asked = {qid for row in data for qid in row} | set(older)
    shown = [q for q in questions if q.id in asked]
    stats = item_analysis.analyse(data, [q.id for q in shown])
    number = {q.id: i for i, q in enumerate(questions, 1)}
    percents = sorted(a.percent for a in attempts)
    mid = len(percents) // 2
    median = (
        None
        if not percents
        else percents[mid]
        if len(percents) % 2
        else (percents[mid - 1] + percents[mid]) / 2
    )
    scores = [a.score or 0 for a in attempts]
    # students: over all the counted attempts (guests as asked), by name
    rows: dict = {}
    for a in everyone:
        row = rows.get(taker(a))
        if row is None:
            rows[taker(a)] = [
                a.user_id,
                a.taker_name,
                1,
                a.percent,
                a.percent,
                a.submitted_at,
                a.id,
            ]
        else:
            row[2] += 1
            row[3] = max(row[3], a.percent)
            row[4:7] = [a.percent, a.submitted_at, a.id]
    return {
        "attempts": [a.id for a in attempts],
        "count": len(attempts),
        "mean_score": sum(scores) / len(scores) if scores else None,
        "mean_percent": sum(percents) / len(percents) if percents else None,
        "median_percent": median,
        "histogram": item_analysis.score_histogram(percents),
        "guest_attempts": sum(1 for a in attempts if a.user_id is None),
        "questions": [
            (number[q.id], q.id, s, older.get(q.id, 0)) for q, s in zip(shown, stats, strict=True)
        ],
        "students": sorted(rows.values(), key=lambda r: r[1].casefold()),
        "csv": _reference_csv(everyone, shown),
    }


def _reference_csv(attempts, questions) -> str:
    from quizapp.interchange.csv_format import protect

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["student", "submitted_at", "score", "max_score", "percent"]
    for n, q in enumerate(questions, 1):
        header += [f"Q{n} {q.uid} answer", f"Q{n} correct"]
    writer.writerow(header)
    for a in attempts:
        by_question = {r.question_id: r for r in a.responses}
        row = [
            a.taker_name,
            a.submitted_at.isoformat() if a.submitted_at else "",
            a.score,
            a.max_score,
            f"{a.percent:.1f}",
        ]
        for q in questions:
            r = by_question.get(q.id)
            row += [r.given, int(r.correct)] if r else ["", ""]
        writer.writerow([protect("" if v is None else str(v)) for v in row])
    return "\ufeff" + out.getvalue()


# --- a seeded random class ------------------------------------------------------------------

ANSWERS = {
    "q-mayor00001": ["Quintessa Vorbeck", "vorbeck", "VORBECK ", "Nobody", "nobody", "", "=1+1"],
    "q-visitors01": ["4500", "4,500", "12", " 12", "4 500", "", "@SUM(A1)"],
    "q-town000001": ["Zanthorpe", "Ashby", "Kelmore", "Dunmarch", ""],
    "q-trust00001": ["Glimmerstone Trust", "glimmerstone  trust", "The Trust", "", "+x"],
}


def _random_class(app, factory, seed: int) -> int:
    """A set and ~70 attempts: students taking it once or several times, guests, random subsets
    of the questions and random answers (spellings differing in case and spaces, blanks,
    formulas), one question edited half-way (answers to both versions)."""
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts, editing

    rng = random.Random(seed)
    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    names = ["Ada", "ben", "Ćiro", "Dee", "ada", "Eve", "Zoë", "Ünal"]
    students = [factory.user("student", name)[0] for name in names]

    def take(n: int) -> None:
        for _ in range(n):
            qset = db.session.get(QuestionSet, set_id)
            questions = list(qset.questions)
            asked = rng.sample(questions, rng.randint(1, len(questions)))
            answers = {q.uid: rng.choice(ANSWERS[q.uid]) for q in asked if rng.random() < 0.9}
            if rng.random() < 0.25:
                user, guest = None, rng.choice(["Gus", "gus", "Hal", "=cmd"])
            else:
                user, guest = db.session.get(User, rng.choice(students)), None
            attempts.submit_quiz(qset, [q.id for q in asked], answers, user=user, guest_name=guest)

    with app.app_context():
        take(35)
        qset = db.session.get(QuestionSet, set_id)
        mayor = next(q for q in qset.questions if q.uid == "q-mayor00001")
        editing.edit_question(mayor, {"prompt": "Who opened the harbour festival on Saturday?"})
        take(35)
    return set_id


@pytest.mark.parametrize("seed", [16, 1601])
def test_sql_aggregates_give_the_figures_of_the_python_computation(app, factory, seed):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import class_stats

    set_id = _random_class(app, factory, seed)
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        for which in ("all", "first"):
            for current_only in (False, True):
                for guests in (True, False):
                    old = _reference(qset, which, current_only, guests)
                    new = class_stats.class_report(
                        qset, which, current_only=current_only, guests=guests
                    )
                    assert new.attempt_count == old["count"] > 0
                    assert new.guest_attempts == old["guest_attempts"]
                    assert new.mean_score == pytest.approx(old["mean_score"], abs=1e-9)
                    assert new.mean_percent == pytest.approx(old["mean_percent"], abs=1e-9)
                    assert new.median_percent == old["median_percent"]
                    assert new.histogram == old["histogram"]
                    assert len(new.questions) == len(old["questions"])
                    for got, (number, qid, stats, older) in zip(
                        new.questions, old["questions"], strict=True
                    ):
                        assert (got.number, got.question.id, got.older_versions) == (
                            number,
                            qid,
                            older,
                        )
                        assert (got.stats.answered, got.stats.right) == (
                            stats.answered,
                            stats.right,
                        )
                        assert got.stats.facility == stats.facility
                        if stats.discrimination is None:
                            assert got.stats.discrimination is None
                        else:
                            assert got.stats.discrimination == pytest.approx(
                                stats.discrimination, abs=1e-9
                            )
                        assert got.stats.answers == stats.answers
                        assert got.flags == stats.flags
                    listing = class_stats.recent_attempts(qset, which, guests=guests)
                    assert [a.id for a in listing.items] == old["attempts"][::-1][:50]
                    if which == "all":
                        shown = class_stats.students(qset, guests=guests)
                        assert shown.pages == 1
                        got = [
                            [
                                s.user_id,
                                s.name,
                                s.attempts,
                                s.best_percent,
                                s.last_percent,
                                s.last_at,
                                s.attempt_id,
                            ]
                            for s in shown.items
                        ]
                        assert got == old["students"]
                        streamed = "".join(class_stats.results_csv(qset, "all", guests=guests))
                        assert streamed == old["csv"]


# --- through the web and the API -------------------------------------------------------------


def _class_of(app, factory, attempts: int) -> tuple[int, str]:
    """A set with `attempts` attempts (a third by guests, one answering a formula)."""
    teacher_id, teacher_email = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    student_id, _ = factory.user("student", "Sam Student")
    for n in range(attempts):
        answers = {"q-town000001": "=HYPERLINK(1)" if n == 0 else "Zanthorpe"}
        user_id = student_id if n % 3 else None
        factory.attempt(set_id, answers, user_id=user_id, guest_name=f"Guest {n:03}")
    return set_id, teacher_email


def _objects_loaded(app, client, urls: list[str], headers=None) -> dict[str, int]:
    """How many attempts and responses each request loads as ORM objects."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from quizapp.models import Attempt, Response

    loaded = {"Attempt": 0, "Response": 0}

    def count(_session, instance) -> None:
        if isinstance(instance, Attempt | Response):
            loaded[type(instance).__name__] += 1

    event.listen(Session, "loaded_as_persistent", count)
    try:
        for url in urls:
            response = client.get(url, headers=headers or {})
            assert response.status_code == 200, url
            response.get_data()  # a streamed body is read now
    finally:
        event.remove(Session, "loaded_as_persistent", count)
    return loaded


def test_results_page_csv_and_api_load_no_attempt_or_response(app, client, factory, auth):
    set_id, email = _class_of(app, factory, 12)
    assert auth.login(email).status_code == 302
    urls = [
        f"/teach/sets/{set_id}/stats",
        f"/teach/sets/{set_id}/stats?attempts=first&versions=current&guests=0",
        f"/teach/sets/{set_id}/results.csv",
        f"/teach/sets/{set_id}/results.csv?guests=0",
        f"/api/v1/sets/{set_id}/stats",
        f"/api/v1/sets/{set_id}/stats?attempts=first&guests=0",
    ]
    assert _objects_loaded(app, client, urls) == {"Attempt": 0, "Response": 0}
    stats = client.get(f"/api/v1/sets/{set_id}/stats").get_json()
    assert (stats["attempts"], stats["guest_attempts"]) == (12, 4)
    assert stats["mean_score"] == pytest.approx(11 / 12)
    town = next(q for q in stats["questions"] if q["id"] == "q-town000001")
    assert town["answers"] == {"=HYPERLINK(1)": 1, "Zanthorpe": 11}


def test_results_csv_is_streamed_with_formulas_neutralised(app, client, factory, auth):
    set_id, email = _class_of(app, factory, 7)
    assert auth.login(email).status_code == 302
    response = client.get(f"/teach/sets/{set_id}/results.csv")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffstudent,") and body.count("\ufeff") == 1
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + 7
    assert rows[1][0] == "Guest 000 (guest)"
    assert "'=HYPERLINK(1)" in rows[1] and "=HYPERLINK(1)" not in rows[1]
    students = client.get(f"/teach/sets/{set_id}/results.csv?guests=0")
    names = [row[0] for row in csv.reader(io.StringIO(students.get_data(as_text=True)))][1:]
    assert names == ["Sam Student"] * 4


def test_results_page_lists_attempts_and_students_a_page_at_a_time(app, client, factory, auth):
    set_id, email = _class_of(app, factory, 57)  # 19 guests, 38 attempts of one student
    assert auth.login(email).status_code == 302
    page = client.get(f"/teach/sets/{set_id}/stats").get_data(as_text=True)
    assert "57 attempts" in page
    attempts = page[page.index('id="attempts-heading"') :]
    assert len(re.findall(r'href="/attempts/\d+"', attempts)) == 50
    assert "Attempts 1–50 of 57 · page 1 of 2" in attempts
    assert "Guest 000" not in attempts  # the oldest attempt is on page 2
    second = client.get(f"/teach/sets/{set_id}/stats?page=2").get_data(as_text=True)
    attempts = second[second.index('id="attempts-heading"') :]
    assert len(re.findall(r'href="/attempts/\d+"', attempts)) == 7
    assert "Guest 000" in attempts
    # a page past the last, or not a number: the last page, or the first; never an error
    assert client.get(f"/teach/sets/{set_id}/stats?page=99").status_code == 200
    assert client.get(f"/teach/sets/{set_id}/stats?page=x&students_page=-1").status_code == 200
    # students: one row per student, one per guest attempt: 20 rows on one page
    section = page[page.index('id="students-heading"') : page.index('id="attempts-heading"')]
    assert section.count("<tr>") == 1 + 20 and "Sam Student" in section
    assert "Pages of students" not in section
