"""Issue 16, "analytics that stay flat": class results read counters kept by each submission
(quizapp/services/counters.py). They give the figures of the SQL-aggregate reference after
quizzes, practice, retries, edits and guest attempts given to an account; two submissions at
once both count; and a submission updates them with three statements."""

from __future__ import annotations

import threading

import pytest
from helpers import small_bank
from test_class_stats_sql import _random_class, _reference


def _counter_rows() -> tuple[list, list]:
    """The question and score counters, each key's shards merged (sums; the earliest first
    attempt), keys with nothing counted left out."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import QuestionCounter, ScoreCounter
    from quizapp.services.counters import earlier

    questions: dict[tuple, list] = {}
    for row in db.session.execute(
        select(
            QuestionCounter.question_id,
            QuestionCounter.question_version,
            QuestionCounter.guest,
            QuestionCounter.correct,
            QuestionCounter.given,
            QuestionCounter.answered,
            QuestionCounter.total_sum,
            QuestionCounter.total_squares,
            QuestionCounter.first_at,
            QuestionCounter.first_attempt,
        )
    ):
        found = questions.get(tuple(row[:5]))
        if found is None:
            questions[tuple(row[:5])] = list(row[5:])
            continue
        found[:3] = [a + b for a, b in zip(found[:3], row[5:8], strict=True)]
        if earlier(tuple(row[8:]), tuple(found[3:])):
            found[3:] = row[8:]
    scores: dict[tuple, int] = {}
    for *key, count in db.session.execute(
        select(
            ScoreCounter.set_id,
            ScoreCounter.guest,
            ScoreCounter.score,
            ScoreCounter.max_score,
            ScoreCounter.attempts,
        )
    ):
        scores[tuple(key)] = scores.get(tuple(key), 0) + count
    return (
        [(*k, *v) for k, v in sorted(questions.items()) if v[0] > 0],
        [(*k, v) for k, v in sorted(scores.items()) if v > 0],
    )


def _same_as_reference(qset) -> None:
    from quizapp.services import class_stats

    for guests in (True, False):
        for current_only in (False, True):
            old = _reference(qset, "all", current_only, guests)
            new = class_stats.class_report(qset, "all", current_only=current_only, guests=guests)
            assert new.attempt_count == old["count"]
            assert new.guest_attempts == old["guest_attempts"]
            assert new.mean_score == pytest.approx(old["mean_score"], abs=1e-9)
            assert new.mean_percent == pytest.approx(old["mean_percent"], abs=1e-9)
            assert new.median_percent == old["median_percent"]
            assert new.histogram == old["histogram"]
            got = [
                (
                    q.number,
                    q.question.id,
                    q.older_versions,
                    q.stats.answered,
                    q.stats.right,
                    q.stats.facility,
                    q.stats.answers,
                    q.flags,
                )
                for q in new.questions
            ]
            want = [
                (n, qid, older, s.answered, s.right, s.facility, s.answers, s.flags)
                for n, qid, s, older in old["questions"]
            ]
            assert got == want
            for q, (_n, _qid, s, _older) in zip(new.questions, old["questions"], strict=True):
                assert q.stats.discrimination == pytest.approx(s.discrimination, abs=1e-9)
            shown = class_stats.students(qset, guests=guests).items
            assert [
                [s.user_id, s.name, s.attempts, s.best_percent, s.last_percent, s.last_at]
                + [s.attempt_id]
                for s in shown
            ] == old["students"][:50]
            recent = class_stats.recent_attempts(qset, guests=guests).items
            assert [a.id for a in recent] == old["attempts"][::-1][:50]


def _answers(qset, seed: int) -> dict:
    return {q.uid: ("Zanthorpe" if seed % 2 else "Ashby") for q in qset.questions}


@pytest.mark.parametrize("seed", [16, 1601])
def test_counters_kept_by_submissions_equal_a_recount(app, factory, seed):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import counters

    set_id = _random_class(app, factory, seed)  # quizzes, guests, an edit half-way
    with app.app_context():
        kept = _counter_rows(), _taker_rows()
        assert kept[0][0] and kept[0][1] and kept[1]
        counters.rebuild(set_id)
        db.session.commit()
        assert (_counter_rows(), _taker_rows()) == kept
        _same_as_reference(db.session.get(QuestionSet, set_id))


def test_practice_and_retries_are_not_counted(app, factory):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    student_id, _ = factory.user("student", "Sam")
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        user = db.session.get(User, student_id)
        ids = [q.id for q in qset.questions]
        attempts.submit_quiz(qset, ids, {"q-town000001": "Zanthorpe"}, user=user)
        before = _counter_rows()
        attempts.submit_quiz(qset, ids[:1], {}, user=user, mode="retry")
        practice = attempts.start_practice(qset, ids, user=user)
        for qid in ids:
            attempts.answer_practice(practice.id, qid, "Zanthorpe")
        assert _counter_rows() == before
        _same_as_reference(db.session.get(QuestionSet, set_id))


def test_guest_attempts_given_to_an_account_move_in_the_counters(app, factory):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts, class_stats

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    student_id, _ = factory.user("student", "Sam")
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        ids = [q.id for q in qset.questions]
        user = db.session.get(User, student_id)
        mine, _ = attempts.submit_quiz(qset, ids, {"q-town000001": "Ashby"}, user=user)
        guest = []
        for n in range(3):
            answers = {"q-town000001": "Zanthorpe", "q-visitors01": str(n)}
            found, _ = attempts.submit_quiz(qset, ids, answers, user=None, guest_name="G")
            guest.append(found.id)
        assert class_stats.class_report(qset, guests=False).attempt_count == 1
        # one of the ids is the student's own attempt: it must stay counted once
        assert attempts.claim_guest_attempts(user, [*guest[:2], mine.id]) == 2
        qset = db.session.get(QuestionSet, set_id)
        report = class_stats.class_report(qset, guests=False)
        assert (report.attempt_count, report.guest_attempts) == (3, 0)
        assert class_stats.class_report(qset).guest_attempts == 1
        _same_as_reference(qset)
        kept = _counter_rows()
        from quizapp.services import counters

        counters.rebuild(set_id)
        db.session.commit()
        assert _counter_rows()[1] == kept[1]
        assert [r[:8] for r in _counter_rows()[0]] == [r[:8] for r in kept[0]]


def test_an_edit_keeps_counts_and_current_only_falls_back_to_aggregates(app, factory):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import attempts, class_stats, editing

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        ids = [q.id for q in qset.questions]
        for n in range(4):
            attempts.submit_quiz(qset, ids, _answers(qset, n), user=None, guest_name=f"G{n}")
        town = next(q for q in qset.questions if q.uid == "q-town000001")
        editing.edit_question(town, {"answer": "Ashby"})
        for n in range(3):
            qset = db.session.get(QuestionSet, set_id)
            attempts.submit_quiz(qset, ids, _answers(qset, n), user=None, guest_name=f"H{n}")
        qset = db.session.get(QuestionSet, set_id)
        report = class_stats.class_report(qset, current_only=True)
        item = next(q for q in report.questions if q.question.uid == "q-town000001")
        assert item.stats.answered == 3 and item.older_versions == 4
        _same_as_reference(qset)


def test_a_submission_counts_with_three_upserts(app, factory):
    from sqlalchemy import event

    from quizapp.extensions import db
    from quizapp.models import QuestionSet
    from quizapp.services import attempts

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        ids = [q.id for q in qset.questions]
        seen: list[str] = []

        def statement(_conn, _cursor, sql, *_args) -> None:
            seen.append(sql)

        event.listen(db.engine, "before_cursor_execute", statement)
        try:
            attempts.submit_quiz(qset, ids, {}, user=None, guest_name="G")
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
        tables = ("question_counters", "score_counters", "taker_counters")
        counted = [s for s in seen if any(t in s for t in tables)]
        assert len(counted) == 3
        assert all("ON CONFLICT" in s for s in counted)


def test_two_submissions_at_once_both_count(app, factory):
    from quizapp.extensions import db
    from quizapp.models import QuestionSet, User
    from quizapp.services import attempts, class_stats

    teacher_id, _ = factory.user("teacher")
    set_id = factory.bank_set(small_bank(), teacher_id)
    students = [factory.user("student", f"S{n}")[0] for n in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(student_id: int) -> None:
        try:
            with app.app_context():
                qset = db.session.get(QuestionSet, set_id)
                ids = [q.id for q in qset.questions]
                user = db.session.get(User, student_id)
                barrier.wait()
                attempts.submit_quiz(qset, ids, {"q-town000001": "Zanthorpe"}, user=user)
                db.session.remove()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        report = class_stats.class_report(qset)
        assert report.attempt_count == 2
        town = next(q for q in report.questions if q.question.uid == "q-town000001")
        assert (town.stats.answered, town.stats.right) == (2, 2)
        _same_as_reference(qset)


def _exact(row: tuple) -> tuple:
    """A question counter row without the first attempt to give its answer if a guest row."""
    return row[:8] if row[2] else row


def _taker_rows() -> list:
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import TakerCounter

    return [
        tuple(r)
        for r in db.session.execute(
            select(*TakerCounter.__table__.columns).order_by(
                TakerCounter.set_id, TakerCounter.taker
            )
        )
    ]


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_the_migration_backfills_what_submissions_kept(tmp_path, monkeypatch):
    """Upgraded, answered through the services, taken back below 0008 (counters dropped) and
    upgraded again: the backfill gives the counters the submissions kept."""
    import logging.config

    import flask_migrate
    from helpers import Factory

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import User
    from quizapp.services import attempts

    monkeypatch.setenv("QUIZAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_KIB": 64,
        }
    )
    directory = app.config["MIGRATIONS"]
    with app.app_context():
        flask_migrate.upgrade(directory=directory)
    set_id = _random_class(app, Factory(app), 7)
    with app.app_context():
        student = db.session.scalar(db.select(User).where(User.role == "student"))
        from quizapp.models import Attempt

        guests = list(db.session.scalars(db.select(Attempt.id).where(Attempt.user_id.is_(None))))
        attempts.claim_guest_attempts(student, guests[:3])
        kept = (_counter_rows(), _taker_rows())
        assert kept[0][0] and kept[1]
        db.session.remove()
        flask_migrate.downgrade(directory=directory, revision="0007")
        flask_migrate.upgrade(directory=directory)
        assert (_counter_rows()[1], _taker_rows()) == (kept[0][1], kept[1])
        # A guest row may keep a claimed attempt as the first to give an answer: that attempt
        # is the student's now, so with guests counted (guests' and students' rows together)
        # the earliest is still right, and without guests the guests' rows are not read.
        assert [_exact(r) for r in _counter_rows()[0]] == [_exact(r) for r in kept[0][0]]
        from quizapp.models import QuestionSet

        _same_as_reference(db.session.get(QuestionSet, set_id))
        db.engine.dispose()


def test_results_csv_reads_attempts_in_keyset_batches(app, factory, monkeypatch):
    """Batches of 4, with attempts sharing one time: every attempt once, oldest first."""
    from sqlalchemy import update

    from quizapp.extensions import db
    from quizapp.models import Attempt, QuestionSet
    from quizapp.services import class_stats

    set_id = _random_class(app, factory, 42)
    with app.app_context():
        ids = list(db.session.scalars(db.select(Attempt.id).order_by(Attempt.id)))
        same = db.session.get(Attempt, ids[5]).submitted_at
        db.session.execute(
            update(Attempt).where(Attempt.id.in_(ids[2:11])).values(submitted_at=same)
        )
        db.session.commit()
        monkeypatch.setattr(class_stats, "CSV_BATCH", 4)
        qset = db.session.get(QuestionSet, set_id)
        for guests in (True, False):
            old = _reference(qset, "all", False, guests)
            assert "".join(class_stats.results_csv(qset, guests=guests)) == old["csv"]
